# host-firewall, ufw: what ufw's ufw-init loads at boot (its chains and
# policies from /etc/default/ufw, before.rules, after.rules, user.rules)
# judged by the real kernel. The roots hold ufw 0.36's own files from
# Debian's package (unpacked by make deps, never installed); ufw's own
# ufw-init loads the repaired files, and ufw's own code reads the rule
# sshfix adds as one of its own.
. "$SSHFIX_TOP/tests/integration/lib.sh"
. "$SSHFIX_TOP/tests/integration/ufw/root.sh"

UPY=$U/usr/lib/python3/dist-packages
for need in jq python3 iptables-restore ip6tables-restore; do
	command -v "$need" >/dev/null ||
	    { skip_line "host-firewall (ufw)" "no $need (make deps)"; exit 0; }
done
[ -x "$U/lib/ufw/ufw-init" ] ||
    { skip_line "host-firewall (ufw)" "no ufw in the test cache (make deps)"; exit 0; }
# sshfix's judge needs a user namespace (none in a chroot: check-fresh).
unshare -U -r -n true 2>/dev/null ||
    { skip_line "host-firewall (ufw)" "no user namespaces here (a chroot?)"; exit 0; }

fw() { printf '%s' "$OUT" | jq -r '[.findings[] | select(.id ==
    "host-firewall")][0].'"$1"' // empty'; }
msg_has() { fw message | grep -qF -- "$1"; }
no_fw() { ! has_id host-firewall; }
edits() { printf '%s' "$OUT" | jq '[.findings[].actions[]? | select(.type == "edit")] | length'; }
last_snap() {
	find "$R/var/lib/sshfix/snapshots" -name '*.tar' -printf '%f\n' |
	    sort | tail -1 | sed 's/\.tar$//'
}

# ufwroot DIR: a healthy root with ufw enabled at boot, no rule yet.
ufwroot() {
	mkroot "$1"
	ufw_files "$1"
}
# ufwrule DIR TEXT: TEXT (a rule in ufw's own format, lines in printf's
# escapes) put into DIR's user.rules before its COMMIT, as ufw puts it.
ufwrule() {
	printf '%b' "$2" >"$T/ins"
	sed -i "/^COMMIT/e cat $T/ins" "$1/etc/ufw/user.rules"
}
# What ufw's own code reads from root $1's user rules.
ufwrules() {
	(cd / && unshare -n python3 "$SSHFIX_TOP/tests/integration/ufw/ufwrules.py" \
	    "$UPY" "$1" 2>/dev/null)
}
# ufw's own ufw-init loading root $1's files into a namespace of its own:
# iptables -S (or ip6tables -S with $2 6) of what it loaded.
ufwload() {
	unshare -n sh -c 'ip link set lo up; sh "$1/lib/ufw/ufw-init" \
	    --rootdir "$1" --datadir "$1" start >/dev/null 2>&1 || exit 1
	    ip${2}tables -S' _ "$1" "${2:-}"
}
loaded() { printf '%s\n' "$LOADED" | grep -qxF -- "$1"; }
polline=$(grep -n '^DEFAULT_INPUT_POLICY=' "$U/etc/default/ufw" | cut -d: -f1)

R="$T/ufw"; ufwroot "$R"
diagnose "$R" --from 203.0.113.50
check "ufw enabled, policy DROP, no rule: host-firewall error" \
    [ "$(fw severity)" = error ]
check "ufw: drops port 22 at the policy line of /etc/default/ufw" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4) at /etc/default/ufw:$polline (which ufw loads as \":INPUT DROP [0:0]\")"
check "ufw: judged with iptables-restore -n, as ufw-init loads its files" \
    sh -c 'printf "%s" "$1" | grep -qF "this machine'"'"'s iptables-restore -n"' _ "$OUT"
check "ufw: the repair goes into user.rules, as ufw's own rules" \
    out_has '"type":"edit","path":"/etc/ufw/user.rules","line":11,"old":null,"new":"### tuple ### allow tcp 22 0.0.0.0/0 any 203.0.113.50 in"'
check "ufw: the dry run leaves the root alone" [ "$UNCHANGED" -eq 0 ]
diagnose "$R"
check "ufw, no --from: a warning (judged from an outside address)" \
    [ "$(fw severity)" = warning ]
check "ufw, no --from: no edit" [ "$(edits)" -eq 0 ]
before=$(tree "$R")
run --root "$R" --apply --from 203.0.113.50
check "ufw apply: exit 0" [ "$RC" -eq 0 ]
check "ufw apply: ufw's own code reads the rule as one of its own" \
    [ "$(ufwrules "$R")" = "allow tcp 22 203.0.113.50" ]
LOADED=$(ufwload "$R")
check "ufw apply: ufw's own ufw-init loads it" \
    loaded "-A ufw-user-input -s 203.0.113.50/32 -p tcp -m tcp --dport 22 -j ACCEPT"
diagnose "$R" --from 203.0.113.50
check "ufw after apply: no host-firewall" no_fw
diagnose "$R" --from 203.0.113.51
check "ufw after apply: another address is still dropped" \
    msg_has "drops port 22 from 203.0.113.51"
run --root "$R" --rollback "$(last_snap)"
check "ufw rollback: the tree is as it was" [ "$(tree "$R")" = "$before" ]

# "ufw deny 22/tcp" before: ufw keeps its rules in the file's order, and
# "ufw allow" would append after the deny (the address still dropped):
# the rule goes just before the deny's tuple.
R="$T/deny"; ufwroot "$R"
ufwrule "$R" '### tuple ### deny tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 22 -j DROP\n\n### END RULES ###\n'
check "control: ufw's own code reads the deny rule" \
    [ "$(ufwrules "$R")" = "deny tcp 22 0.0.0.0/0" ]
diagnose "$R" --from 203.0.113.50
check "ufw deny 22: drops port 22 (the deny and the policy both: no line alone)" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4): the client waits"
check "ufw deny 22: the rule goes before the deny's tuple (as ufw insert 1)" \
    out_has '"path":"/etc/ufw/user.rules","line":11,"old":null,"new":"### tuple ### allow tcp 22 0.0.0.0/0 any 203.0.113.50 in"'
run --root "$R" --apply --from 203.0.113.50
check "ufw deny 22: apply exits 0" [ "$RC" -eq 0 ]
check "ufw deny 22: ufw's own code reads the allow first, then the deny" \
    [ "$(ufwrules "$R" | tr '\n' ';')" = "allow tcp 22 203.0.113.50;deny tcp 22 0.0.0.0/0;" ]
LOADED=$(ufwload "$R")
check "ufw deny 22: ufw-init loads the allow before the drop" \
    [ "$(printf '%s\n' "$LOADED" | grep -- '-A ufw-user-input' | tr '\n' ';')" = "-A ufw-user-input -s 203.0.113.50/32 -p tcp -m tcp --dport 22 -j ACCEPT;-A ufw-user-input -p tcp -m tcp --dport 22 -j DROP;" ]
diagnose "$R" --from 203.0.113.50
check "ufw deny 22 after apply: no host-firewall" no_fw

# Controls.
R="$T/allowed"; ufwroot "$R"
ufwrule "$R" '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT\n'
check "control: ufw's own code reads the allow rule" \
    [ "$(ufwrules "$R")" = "allow tcp 22 0.0.0.0/0" ]
diagnose "$R" --from 203.0.113.50
check "control: ufw allows 22/tcp: no host-firewall" no_fw
R="$T/off"; ufwroot "$R"
sed -i 's/^ENABLED=yes/ENABLED=no/' "$R/etc/ufw/ufw.conf"
diagnose "$R" --from 203.0.113.50
check "control: ufw ENABLED=no: no host-firewall" no_fw
sed -i 's/^ENABLED=no/ENABLED=yes/' "$R/etc/ufw/ufw.conf"
rm "$R/etc/systemd/system/multi-user.target.wants/ufw.service"
diagnose "$R" --from 203.0.113.50
check "control: ufw.service not enabled: no host-firewall" no_fw

# A REJECT policy, a port of sshd's own, IPv6.
R="$T/reject"; ufwroot "$R"
sed -i 's/^DEFAULT_INPUT_POLICY=.*/DEFAULT_INPUT_POLICY="REJECT"/' "$R/etc/default/ufw"
printf 'Port 2222\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R" --from 203.0.113.50
check "ufw REJECT policy, Port 2222: rejects port 2222" \
    msg_has "rejects port 2222 from 203.0.113.50 (IPv4)"
R="$T/v6"; ufwroot "$R"
diagnose "$R" --from 2001:db8:5::5
check "ufw, IPv6: drops port 22 from 2001:db8:5::5" \
    msg_has "drops port 22 from 2001:db8:5::5 (IPv6)"
check "ufw, IPv6: the repair goes into user6.rules" \
    out_has '"path":"/etc/ufw/user6.rules","line":6,"old":null,"new":"-A ufw6-user-input -p tcp --dport 22 -s 2001:db8:5::5 -j ACCEPT"'
run --root "$R" --apply --from 2001:db8:5::5
check "ufw, IPv6 apply: exit 0" [ "$RC" -eq 0 ]
LOADED=$(ufwload "$R" 6)
check "ufw, IPv6 apply: ufw's own ufw-init loads the rule" \
    loaded "-A ufw6-user-input -s 2001:db8:5::5/128 -p tcp -m tcp --dport 22 -j ACCEPT"
R="$T/v6off"; ufwroot "$R"
sed -i 's/^IPV6=.*/IPV6=no/' "$R/etc/default/ufw"
diagnose "$R" --from 2001:db8:5::5
check "ufw IPV6=no: all of IPv6 dropped (no line alone: INPUT and OUTPUT)" \
    msg_has "drops port 22 from 2001:db8:5::5 (IPv6): the client waits"
check "ufw IPV6=no: no edit (user6.rules is not loaded): advice" \
    [ "$(edits)" -eq 0 ]

# What sshfix does not follow: a warning that says so, never a clean bill.
R="$T/init"; ufwroot "$R"
printf '#!/bin/sh\nexit 0\n' >"$R/etc/ufw/before.init"
chmod 0755 "$R/etc/ufw/before.init"
diagnose "$R" --from 203.0.113.50
check "ufw with an executable before.init: cannot tell, and says why" \
    msg_has "ufw runs /etc/ufw/before.init at start, a script sshfix does not run"
R="$T/badpol"; ufwroot "$R"
sed -i 's/^DEFAULT_INPUT_POLICY=.*/DEFAULT_INPUT_POLICY="BLOCK"/' "$R/etc/default/ufw"
diagnose "$R" --from 203.0.113.50
check "ufw policy that is no policy: cannot tell" \
    msg_has "/etc/default/ufw gives a policy other than ACCEPT, DROP or REJECT"

# The two files ufw-init sources, read as the shell reads them, in its
# order (/etc/default/ufw, then ufw.conf), or not at all: a line of shell
# sshfix does not follow is a "cannot tell", never "not enabled".
R="$T/shell"; ufwroot "$R"
polline=$(grep -n '^DEFAULT_INPUT_POLICY=' "$R/etc/default/ufw" | cut -d: -f1)
sed -i 's/^ENABLED=yes/ENABLED=yes # by the admin/' "$R/etc/ufw/ufw.conf"
diagnose "$R" --from 203.0.113.50
check "ENABLED=yes with a comment after it: ufw judged" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4)"
sed -i 's/^ENABLED=.*/ENABLED=no/' "$R/etc/ufw/ufw.conf"
printf 'ENABLED=yes\n' >>"$R/etc/default/ufw"
diagnose "$R" --from 203.0.113.50
check "control: ENABLED=yes in /etc/default/ufw, =no in ufw.conf (ufw.conf wins): no host-firewall" \
    no_fw
sed -i 's/^ENABLED=no/export ENABLED=yes/' "$R/etc/ufw/ufw.conf"
diagnose "$R" --from 203.0.113.50
check "export ENABLED=yes: cannot tell, and says why" \
    msg_has "/etc/ufw/ufw.conf line"
sed -i 's/^export ENABLED=yes/ENABLED=yes/' "$R/etc/ufw/ufw.conf"
sed -i 's/^DEFAULT_INPUT_POLICY=.*/DEFAULT_INPUT_POLICY="ACCEPT"/' "$R/etc/default/ufw"
printf 'DEFAULT_INPUT_POLICY=DROP\n' >>"$R/etc/ufw/ufw.conf"
confline=$(grep -n '^DEFAULT_INPUT_POLICY=' "$R/etc/ufw/ufw.conf" | cut -d: -f1)
diagnose "$R" --from 203.0.113.50
check "a policy in ufw.conf over /etc/default/ufw's: judged, and named there" \
    msg_has "at /etc/ufw/ufw.conf:$confline (which ufw loads as \":INPUT DROP [0:0]\")"
printf 'IPV6=yes\0\nDEFAULT_INPUT_POLICY=ACCEPT\n' >>"$R/etc/ufw/ufw.conf"
diagnose "$R" --from 203.0.113.50
check "a NUL byte in ufw.conf: cannot tell" \
    msg_has "/etc/ufw/ufw.conf holds a NUL byte or a carriage return"

# Links, chains and newlines as ufw-init's shell and loader meet them.
R="$T/links"; ufwroot "$R"
mv "$R/etc/ufw/before.rules" "$R/etc/ufw/real-before.rules"
ln -s /etc/ufw/real-before.rules "$R/etc/ufw/before.rules"
chown -h 1000:1000 "$R/etc/ufw/before.rules"
diagnose "$R" --from 203.0.113.50
check "before.rules alice's symlink (the shell follows it, sshfix does not): cannot tell" \
    msg_has "cannot tell whether it lets you reach sshd: a file of it cannot be read"
R="$T/chains"; ufwroot "$R"
printf 'ENABLED=yes\n' >"$R/etc/ufw/ufw.conf"
ufwrule "$R" '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT\n'
sed -i '/^:ufw-user-input/d' "$R/etc/ufw/user.rules"
sed -i 's/^:ufw-not-local - \[0:0\]$/&\n:ufw-user-input - [0:0]\n-A ufw-user-input -p tcp --dport 22 -j DROP/' \
    "$R/etc/ufw/before.rules"
LOADED=$(ufwload "$R")
check "control: ufw-init keeps before.rules' ufw-user-input (its drop first)" \
    loaded "-A ufw-user-input -p tcp -m tcp --dport 22 -j DROP"
diagnose "$R" --from 203.0.113.50
check "ufw-user-input made in before.rules: not made again, its drop judged" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4)"
R="$T/newline"; ufwroot "$R"
ufwrule "$R" '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT\n'
printf '%s' "$(cat "$R/etc/ufw/user.rules")" >"$R/etc/ufw/user.rules.new"
mv "$R/etc/ufw/user.rules.new" "$R/etc/ufw/user.rules"
diagnose "$R" --from 203.0.113.50
check "user.rules with no newline after its last COMMIT: cannot tell" \
    msg_has "does not end in a newline"
R="$T/fifo"; ufwroot "$R"
rm "$R/etc/ufw/before.rules"; mkfifo "$R/etc/ufw/before.rules"
diagnose "$R" --from 203.0.113.50
check "ufw before.rules a FIFO: passed over as ufw-init's [ -s ] does, no hang" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4)"
rm "$R/etc/ufw/before.rules"; truncate -s 2G "$R/etc/ufw/before.rules"
diagnose "$R" --from 203.0.113.50
check "ufw before.rules a sparse 2 GB file: cannot tell, not read" \
    msg_has "cannot tell whether it lets you reach sshd: a file of it cannot be read"
