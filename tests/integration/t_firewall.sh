# host-firewall: the firewall a target loads at boot, judged by the real
# kernel: the ruleset loaded with this machine's nft or iptables-restore
# into network namespaces of sshfix's helper, a TCP connection made over a
# veth pair to a listener on each of sshd's ports, from the --from
# address (else an outside one). Accept and drop, IPv4 and IPv6, a
# non-default port, an include, a reject; the line that stops it; the
# repair re-judged before it is written, and rolled back; the controls
# (a firewall that lets ssh in, a unit not enabled, another address);
# what cannot be judged says so; hostile files.
. "$SSHFIX_TOP/tests/integration/lib.sh"

fwfind() {	# fwfind FIELD: FIELD of the host-firewall finding (jq)
	printf '%s' "$OUT" | jq -r '[.findings[] | select(.id ==
	    "host-firewall")][0].'"$1"' // empty'
}
sev() { [ "$(fwfind severity)" = "$1" ]; }
msg_has() { fwfind message | grep -qF -- "$1"; }
no_fw() { ! has_id host-firewall; }
# The newest snapshot of $R, for --rollback.
last_snap() {
	find "$R/var/lib/sshfix/snapshots" -name '*.tar' -printf '%f\n' |
	    sort | tail -1 | sed 's/\.tar$//'
}
acts() { printf '%s' "$OUT" | jq -r '[.findings[] | select(.id ==
    "host-firewall")][0].actions[].type' | tr '\n' ' '; }

# nftroot DIR: a Debian root whose nftables.service is enabled and loads
# /etc/nftables.conf (the unit as Debian ships it); the ruleset is stdin.
nftroot() {
	if [ ! -e "$1/etc/passwd" ]; then
		mkroot "$1"
		mkdir -p "$1/etc/systemd/system/sysinit.target.wants" \
		    "$1/lib/systemd/system" "$1/etc/nftables.d"
		printf '[Service]\nType=oneshot\nExecStart=/usr/sbin/nft -f /etc/nftables.conf\n' \
		    >"$1/lib/systemd/system/nftables.service"
		ln -s /lib/systemd/system/nftables.service \
		    "$1/etc/systemd/system/sysinit.target.wants/nftables.service"
	fi
	cat >"$1/etc/nftables.conf"
}
# The usual shape: a base chain dropping what it does not accept.
ruleset() {	# ruleset ACCEPT-LINES...
	printf '#!/usr/sbin/nft -f\nflush ruleset\n\ntable inet filter {\n'
	printf '\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n'
	printf '\t\tct state established,related accept\n\t\tiif "lo" accept\n'
	for l in "$@"; do printf '\t\t%s\n' "$l"; done
	printf '\t}\n}\n'
}

command -v jq >/dev/null || { skip_line "host-firewall" "no jq (make deps)"; exit 0; }
if ! command -v nft >/dev/null 2>&1; then
	skip_line "host-firewall" "no nft on this machine (make deps)"
	exit 0
fi
if ! unshare -U -r -n true 2>/dev/null; then
	skip_line "host-firewall" "no user namespaces here"
	exit 0
fi

# --- nftables: drop by policy, IPv4.
R="$T/nft"; ruleset 'tcp dport 80 accept' | nftroot "$R"
diagnose "$R" --from 203.0.113.50
check "policy drop, only port 80: host-firewall error" sev error
check "the dry run leaves the root alone" [ "$UNCHANGED" -eq 0 ]
check "names the port, the address and IPv4" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4)"
check "names the policy line that stops it (FILE:LINE)" \
    msg_has 'at /etc/nftables.conf:6 ("		type filter hook input priority filter; policy drop;")'
check "plans the narrowest repair: an edit and the reload advice" \
    [ "$(acts)" = "edit manual " ]
check "the edit accepts only that address and port" \
    out_has 'insert \"ip saddr 203.0.113.50 tcp dport 22 accept\" at line 7'
check "exit 1 (faults found)" [ "$RC" -eq 1 ]

# Without --from: judged from an outside address, a warning, advice only.
diagnose "$R"
check "without --from: a warning" sev warning
check "without --from: IPv4 and IPv6 from outside addresses" \
    msg_has "drops port 22 from 203.0.113.7 (IPv4)"
check "without --from: IPv6 too" msg_has "from 2001:db8:ff::7 (IPv6)"
check "without --from: says --from names yours" msg_has "--from names yours"
check "without --from: advice only, no edit" [ "$(acts)" = "manual " ]

# IPv6.
diagnose "$R" --from 2001:db8:5::5
check "IPv6 --from: error" sev error
check "IPv6 --from: names IPv6" msg_has "drops port 22 from 2001:db8:5::5 (IPv6)"
check "IPv6 --from: the edit says ip6 saddr" \
    out_has 'insert \"ip6 saddr 2001:db8:5::5 tcp dport 22 accept\"'
check "IPv6 --from: the policy drops neighbour discovery: accepted first" \
    out_has 'insert \"icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\" at line 7'
check "IPv6 --from: the evidence says why" \
    out_has 'the ruleset drops neighbour discovery too'

# Control: ssh let in.
ruleset 'tcp dport 22 accept' | nftroot "$R"
diagnose "$R" --from 203.0.113.50
check "control: tcp dport 22 accept: no host-firewall" no_fw
check "control: exit 0" [ "$RC" -eq 0 ]

# Only a management network: its address gets in, another does not.
ruleset 'ip saddr 10.0.0.0/8 tcp dport 22 accept' | nftroot "$R"
diagnose "$R" --from 10.1.2.3
check "ssh from 10/8 only, --from 10.1.2.3: no host-firewall" no_fw
diagnose "$R" --from 192.0.2.9
check "ssh from 10/8 only, --from 192.0.2.9: error" sev error

# A non-default port: sshd on 2222, the firewall lets 22 in.
ruleset 'tcp dport 22 accept' | nftroot "$R"
printf 'Port 2222\n' >"$R/etc/ssh/sshd_config.d/10-port.conf"
diagnose "$R" --from 203.0.113.50
check "Port 2222, firewall accepts 22: error on 2222" \
    msg_has "drops port 2222 from 203.0.113.50"
ruleset 'tcp dport { 22, 2222 } accept' | nftroot "$R"
diagnose "$R" --from 203.0.113.50
check "Port 2222, firewall accepts 2222: no host-firewall" no_fw
rm "$R/etc/ssh/sshd_config.d/10-port.conf"

# An include, and a rule that drops before the accept.
printf 'include "/etc/nftables.d/*.nft"\n' | nftroot "$R"
cat >"$R/etc/nftables.d/10-filter.nft" <<'N'
table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 22 counter drop
		tcp dport 22 accept
	}
}
N
diagnose "$R" --from 203.0.113.50
check "include: the drop in the included file is found" sev error
check "include: names the included file and its line" \
    msg_has 'at /etc/nftables.d/10-filter.nft:4 ("		tcp dport 22 counter drop")'
check "include: the edit goes into the included file, before the drop" \
    out_has 'edit /etc/nftables.d/10-filter.nft: insert \"ip saddr 203.0.113.50 tcp dport 22 accept\" at line 4'

# A reject.
sed -i 's/counter drop/reject with tcp reset/' "$R/etc/nftables.d/10-filter.nft"
diagnose "$R" --from 203.0.113.50
check "reject with tcp reset: rejects" msg_has "rejects port 22 from 203.0.113.50"

# Apply, prove, roll back.
before=$(tree "$R")
run --root "$R" --apply --from 203.0.113.50
check "apply: exit 0" [ "$RC" -eq 0 ]
check "apply: the accept line is in the included file, before the reject" \
    [ "$(sed -n 5p "$R/etc/nftables.d/10-filter.nft")" = "ip saddr 203.0.113.50 tcp dport 22 accept" ]
diagnose "$R" --from 203.0.113.50
check "after apply: the same judge lets it through" no_fw
snap=$(last_snap)
run --root "$R" --rollback "$snap"
check "rollback: exit 0" [ "$RC" -eq 0 ]
check "rollback: the tree is as it was" [ "$(tree "$R")" = "$before" ]

# The SYN let in, what follows dropped (no "established" rule): the
# client's connect opens, ssh then hangs; the judge sends data both ways.
ruleset_noest() {
	printf 'table inet filter {\n\tchain input {\n'
	printf '\t\ttype filter hook input priority filter; policy drop;\n'
	printf '\t\ttcp dport 22 ct state new accept\n\t}\n}\n'
}
ruleset_noest | nftroot "$R"
diagnose "$R" --from 203.0.113.50
check "ct state new accept, no established: drops (the handshake alone is not a way in)" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4)"

# Two ports, both stopped: the repair lets both through, or verification
# would find the other and undo it.
ruleset 'tcp dport 80 accept' | nftroot "$R"
printf 'Port 22\nPort 2222\n' >"$R/etc/ssh/sshd_config.d/10-port.conf"
run --root "$R" --apply --from 203.0.113.50
check "two ports stopped: --apply exits 0 (fixed and verified)" [ "$RC" -eq 0 ]
check "two ports stopped: an accept line for each" \
    [ "$(grep -c 'ip saddr 203.0.113.50 tcp dport' "$R/etc/nftables.conf")" -eq 2 ]
rm "$R/etc/ssh/sshd_config.d/10-port.conf"

# The interface packets arrive on: the one the ruleset names, else none.
printf 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tiifname "ens3" tcp dport 22 drop\n\t}\n}\n' \
    | nftroot "$R"
diagnose "$R" --from 203.0.113.50
check "iifname \"ens3\" tcp dport 22 drop: judged arriving on ens3, drops" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4)"
printf 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tiifname "ens3" tcp dport 22 drop\n\t\tiifname "ens4" tcp dport 22 accept\n\t}\n}\n' \
    | nftroot "$R"
diagnose "$R" --from 203.0.113.50
check "two interfaces named: cannot tell which is the server's" \
    msg_has "more than one interface"

# The unit not enabled, or masked: nothing is loaded at boot.
rm "$R/etc/systemd/system/sysinit.target.wants/nftables.service"
diagnose "$R" --from 203.0.113.50
check "nftables.service not enabled: no host-firewall" no_fw
ln -s /lib/systemd/system/nftables.service \
    "$R/etc/systemd/system/sysinit.target.wants/nftables.service"
ln -s /dev/null "$R/etc/systemd/system/nftables.service"
diagnose "$R" --from 203.0.113.50
check "nftables.service masked: no host-firewall" no_fw
rm "$R/etc/systemd/system/nftables.service"

# A ruleset this machine's nft refuses: cannot tell, with the line.
printf 'table inet filter {\n\tchain input {\n\t\ttcp dport 22 frobnicate\n\t}\n}\n' \
    | nftroot "$R"
diagnose "$R" --from 203.0.113.50
check "nft refuses the ruleset: a warning" sev warning
check "nft refuses the ruleset: cannot tell, at FILE:LINE" \
    msg_has "cannot tell whether it lets you reach sshd: /etc/nftables.conf:3:"

# A unit whose ExecStart names another file (Red Hat's layout).
R="$T/rh"; ruleset 'tcp dport 80 accept' | nftroot "$R"
mkdir -p "$R/etc/sysconfig"
mv "$R/etc/nftables.conf" "$R/etc/sysconfig/nftables.conf"
printf '[Service]\nExecStart=/sbin/nft -f /etc/sysconfig/nftables.conf\n' \
    >"$R/lib/systemd/system/nftables.service"
diagnose "$R" --from 203.0.113.50
check "ExecStart names /etc/sysconfig/nftables.conf: judged there" \
    msg_has "(/etc/sysconfig/nftables.conf) drops port 22"

# More than one statement on an include's line: not split, cannot tell.
R="$T/nft"
printf 'include "/etc/nftables.d/*.nft"; table inet f { chain i { type filter hook input priority 0; policy drop; } }\n' \
    | nftroot "$R"
diagnose "$R" --from 203.0.113.50
check "an include followed by a table on its line: cannot tell" \
    msg_has "an include sshfix cannot follow"
i=0; : >"$R/etc/nftables.conf"
while [ $i -lt 70 ]; do
	printf 'include "/etc/nftables.d/none%d*.nft"\n' $i >>"$R/etc/nftables.conf"
	i=$((i + 1))
done
diagnose "$R" --from 203.0.113.50
check "70 include statements: past the budget, cannot tell" \
    msg_has "more include statements than sshfix follows"

# --- iptables-persistent: rules.v4 and rules.v6.
R="$T/ipt"; mkroot "$R"
mkdir -p "$R/etc/systemd/system/multi-user.target.wants" "$R/etc/iptables"
ln -s /lib/systemd/system/netfilter-persistent.service \
    "$R/etc/systemd/system/multi-user.target.wants/netfilter-persistent.service"
printf '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT\n' \
    >"$R/etc/iptables/rules.v4"
printf '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n' >"$R/etc/iptables/rules.v6"
if command -v iptables-restore >/dev/null 2>&1; then
	diagnose "$R" --from 203.0.113.50
	check "rules.v4 INPUT DROP: host-firewall error" sev error
	check "rules.v4: the policy line is named" \
	    msg_has 'at /etc/iptables/rules.v4:2 (":INPUT DROP [0:0]")'
	check "rules.v4: the edit appends an ACCEPT to INPUT after the policy" \
	    out_has 'insert \"-A INPUT -s 203.0.113.50 -p tcp -m tcp --dport 22 -j ACCEPT\" at line 3'
	diagnose "$R" --from 2001:db8:5::5
	check "rules.v6 accepts: IPv6 --from, no host-firewall" no_fw
	printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset\nCOMMIT\n' \
	    >"$R/etc/iptables/rules.v6"
	diagnose "$R" --from 2001:db8:5::5
	check "rules.v6 REJECT: rejects, at its line" \
	    msg_has 'rejects port 22 from 2001:db8:5::5 (IPv6) at /etc/iptables/rules.v6:3'
	cp "$R/etc/iptables/rules.v6" "$T/v6"
	printf '#\0\n*filter\n:INPUT DROP [0:0]\nCOMMIT\n' >"$R/etc/iptables/rules.v6"
	diagnose "$R" --from 2001:db8:5::5
	check "rules.v6 with a NUL byte (iptables-restore reads past it): cannot tell" \
	    msg_has "a file of it holds a NUL byte"
	cp "$T/v6" "$R/etc/iptables/rules.v6"
	before=$(tree "$R")
	run --root "$R" --apply --from 203.0.113.50
	check "rules.v4 apply: exit 0" [ "$RC" -eq 0 ]
	diagnose "$R" --from 203.0.113.50
	check "rules.v4 after apply: no host-firewall for IPv4" no_fw
	snap=$(last_snap)
	run --root "$R" --rollback "$snap"
	check "rules.v4 rollback: the tree is as it was" [ "$(tree "$R")" = "$before" ]
else
	skip_line "iptables-persistent" "no iptables-restore (make deps)"
fi

# --- A firewall sshfix does not judge yet: said, never a clean bill.
R="$T/ufw"; mkroot "$R"
mkdir -p "$R/etc/systemd/system/multi-user.target.wants" "$R/etc/ufw"
printf 'ENABLED=yes\n' >"$R/etc/ufw/ufw.conf"
ln -s /lib/systemd/system/ufw.service \
    "$R/etc/systemd/system/multi-user.target.wants/ufw.service"
diagnose "$R" --from 203.0.113.50
check "ufw enabled with no /etc/default/ufw (its ufw-init aborts): no host-firewall" \
    sh -c '! printf "%s" "$1" | grep -q "\"id\":\"host-firewall\""' _ "$OUT"
R="$T/firewalld"; mkroot "$R"
mkdir -p "$R/etc/systemd/system/multi-user.target.wants" "$R/etc/firewalld"
printf 'DefaultZone=public\n' >"$R/etc/firewalld/firewalld.conf"
ln -s /usr/lib/systemd/system/firewalld.service \
    "$R/etc/systemd/system/multi-user.target.wants/firewalld.service"
diagnose "$R" --from 203.0.113.50
check "firewalld enabled, no zone files: a warning, cannot tell" \
    msg_has "firewalld.service starts firewalld at boot, and sshfix cannot tell whether it lets you reach sshd: its default zone public has no file"

# --- Hostile files: each a warning that says why, never a hang.
R="$T/hostile"; ruleset | nftroot "$R"
rm "$R/etc/nftables.conf"; mkfifo "$R/etc/nftables.conf"
diagnose "$R" --from 203.0.113.50
check "nftables.conf a FIFO: cannot tell, no hang" \
    msg_has "cannot tell whether it lets you reach sshd: a file of it cannot be read"
rm "$R/etc/nftables.conf"
printf 'include "/etc/nftables.conf"\n' >"$R/etc/nftables.conf"
diagnose "$R" --from 203.0.113.50
check "an include of itself: cannot tell (too deep)" \
    msg_has "includes nest too deep"
printf 'include "/etc/nftables.d/none.nft"\n' >"$R/etc/nftables.conf"
diagnose "$R" --from 203.0.113.50
check "an include of a missing file: cannot tell" \
    msg_has "an include names a file that cannot be read"
truncate -s 2G "$R/etc/nftables.conf"
diagnose "$R" --from 203.0.113.50
check "a sparse 2 GB nftables.conf: cannot tell, not read" \
    msg_has "a file of it cannot be read"
ln -s /etc/shadow "$R/etc/nftables.d/evil.nft"
chown -h 1000:1000 "$R/etc/nftables.d/evil.nft"
printf 'include "/etc/nftables.d/*.nft"\n' >"$R/etc/nftables.conf"
diagnose "$R" --from 203.0.113.50
check "an include through alice's symlink: not followed" \
    msg_has "cannot tell whether it lets you reach sshd: a file of it cannot be read"
printf 'table inet t { chain c { type filter hook input priority 0; }; }; include "/etc/passwd"\n' \
    >"$R/etc/nftables.conf"
rm "$R/etc/nftables.d/evil.nft"
diagnose "$R" --from 203.0.113.50
check "an include sshfix cannot follow (mid-line): cannot tell" \
    msg_has "an include sshfix cannot follow"

