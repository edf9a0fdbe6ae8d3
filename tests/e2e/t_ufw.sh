# host-firewall end to end, ufw: the real sshd behind what ufw's own
# ufw-init loads from the target's files (ufw 0.36 from Debian's package,
# unpacked by make deps), and the real client across a veth pair: what
# the person sees against what sshfix says, before and after its repair
# (a rule in user.rules, as ufw writes its own). IPv4 and IPv6, a DROP
# and a REJECT policy; the control lets ssh in.
. "$SSHFIX_TOP/tests/e2e/lib.sh"
. "$SSHFIX_TOP/tests/integration/ufw/root.sh"
. "$SSHFIX_TOP/tests/e2e/fwlib.sh"
why=$(fw_missing iptables-restore ip6tables-restore jq)
[ -n "$why" ] || [ -x "$U/lib/ufw/ufw-init" ] ||
    why="no ufw in the test cache (make deps)"
if [ -n "$why" ]; then
	skip "host-firewall (ufw) end to end" "$why"
	exit 0
fi

# ufw enabled at boot, as its package installs it and "ufw enable"
# leaves it; its ufw-init loads the root's own files.
R="$T/ufw"; sandbox "$R"
ufw_files "$R"
cp -a "$R/etc/ufw" "$T/ufw.orig"
UFWINIT="sh $R/lib/ufw/ufw-init --rootdir $R --datadir $R start"

# Control: a rule of ufw's own allowing 22/tcp lets alice in.
printf '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT\n' >"$T/ins"
sed -i "/^COMMIT/e cat $T/ins" "$R/etc/ufw/user.rules"
through "$R" "$UFWINIT" /dev/null 203.0.113.50
check "control: ufw allows 22/tcp: alice logs in through the veth pair" \
    [ "$LOGIN" -eq 0 ]
run --root "$R" --dry-run --json --user alice --from 203.0.113.50
check "control: sshfix reports no host-firewall" no_fw
cp "$T/ufw.orig/user.rules" "$R/etc/ufw/user.rules"

# "ufw enable" with no rule: policy DROP.
through "$R" "$UFWINIT" /dev/null 203.0.113.50
check "ufw enabled, no rule: the client cannot log in" [ "$LOGIN" -ne 0 ]
check "ufw enabled, no rule: the client says Connection timed out" \
    says "Connection timed out"
run --root "$R" --dry-run --json --user alice --from 203.0.113.50
check "ufw enabled, no rule: sshfix: host-firewall error" \
    [ "$(fwfind severity)" = error ]
check "ufw enabled, no rule: sshfix: drops port 22 from 203.0.113.50" \
    sh -c 'printf "%s" "$1" | grep -qF "drops port 22 from 203.0.113.50 (IPv4)"' \
    _ "$(fwfind message)"
run --root "$R" --apply --user alice --from 203.0.113.50
check "ufw: --apply exits 0" [ "$RC" -eq 0 ]
through "$R" "$UFWINIT" /dev/null 203.0.113.50
check "ufw: after the repair, alice logs in (ufw's own ufw-init loading the files)" \
    [ "$LOGIN" -eq 0 ]
through "$R" "$UFWINIT" /dev/null 203.0.113.51
check "ufw: the repair let in only that address: another times out" \
    says "Connection timed out"

# A REJECT policy: the client hears "refused".
cp "$T/ufw.orig/user.rules" "$R/etc/ufw/user.rules"
sed -i 's/^DEFAULT_INPUT_POLICY=.*/DEFAULT_INPUT_POLICY="REJECT"/' "$R/etc/default/ufw"
through "$R" "$UFWINIT" /dev/null 203.0.113.50
check "ufw REJECT: the client says Connection refused" \
    says "Connection refused"
run --root "$R" --dry-run --json --user alice --from 203.0.113.50
check "ufw REJECT: sshfix: rejects port 22" \
    sh -c 'printf "%s" "$1" | grep -qF "rejects port 22 from 203.0.113.50 (IPv4)"' \
    _ "$(fwfind message)"
sed -i 's/^DEFAULT_INPUT_POLICY=.*/DEFAULT_INPUT_POLICY="DROP"/' "$R/etc/default/ufw"

# IPv6 (ufw's IPV6=yes): the repair goes into user6.rules.
through "$R" "$UFWINIT" /dev/null 2001:db8:5::5
check "ufw, IPv6: the client cannot log in" [ "$LOGIN" -ne 0 ]
run --root "$R" --dry-run --json --user alice --from 2001:db8:5::5
check "ufw, IPv6: sshfix: drops port 22 from 2001:db8:5::5" \
    sh -c 'printf "%s" "$1" | grep -qF "drops port 22 from 2001:db8:5::5 (IPv6)"' \
    _ "$(fwfind message)"
run --root "$R" --apply --user alice --from 2001:db8:5::5
through "$R" "$UFWINIT" /dev/null 2001:db8:5::5
check "ufw, IPv6: after the repair, alice logs in" [ "$LOGIN" -eq 0 ]
