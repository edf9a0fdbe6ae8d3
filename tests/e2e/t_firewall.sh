# host-firewall end to end: the real sshd behind the target's own ruleset,
# loaded into a network namespace of its own, and the real client in
# another, joined by a veth pair: what the person sees ("Connection timed
# out", "Connection refused", a login) against what sshfix says, before
# and after its repair. nftables and iptables-persistent, IPv4 and IPv6, a
# non-default port; the controls let ssh in.
. "$SSHFIX_TOP/tests/e2e/lib.sh"
. "$SSHFIX_TOP/tests/e2e/fwlib.sh"

why=$(fw_missing nft jq)
if [ -n "$why" ]; then
	skip "host-firewall end to end" "$why"
	exit 0
fi

R="$T/nft"; sandbox "$R"
mkdir -p "$R/etc/systemd/system/sysinit.target.wants" "$R/lib/systemd/system"
printf '[Service]\nExecStart=/usr/sbin/nft -f /etc/nftables.conf\n' \
    >"$R/lib/systemd/system/nftables.service"
ln -s /lib/systemd/system/nftables.service \
    "$R/etc/systemd/system/sysinit.target.wants/nftables.service"
nftconf() {
	printf 'flush ruleset\ntable inet filter {\n\tchain input {\n'
	printf '\t\ttype filter hook input priority filter; policy drop;\n'
	printf '\t\tct state established,related accept\n\t\tiif "lo" accept\n'
	for l in "$@"; do printf '\t\t%s\n' "$l"; done
	printf '\t}\n}\n'
}

# Control first: the rig lets a login through when the firewall does.
nftconf 'tcp dport 22 accept' >"$R/etc/nftables.conf"
through "$R" "nft -f -" "$R/etc/nftables.conf" 203.0.113.50
check "control: ssh allowed: alice logs in through the veth pair" \
    [ "$LOGIN" -eq 0 ]
run --root "$R" --dry-run --json --user alice --from 203.0.113.50
check "control: sshfix reports no host-firewall" no_fw

# Policy drop, IPv4.
nftconf 'tcp dport 80 accept' >"$R/etc/nftables.conf"
through "$R" "nft -f -" "$R/etc/nftables.conf" 203.0.113.50
check "nft policy drop: the client cannot log in" [ "$LOGIN" -ne 0 ]
check "nft policy drop: the client says Connection timed out" \
    says "Connection timed out"
run --root "$R" --dry-run --json --user alice --from 203.0.113.50
check "nft policy drop: sshfix: host-firewall error" \
    [ "$(fwfind severity)" = error ]
check "nft policy drop: sshfix: drops port 22 from 203.0.113.50" \
    sh -c 'printf "%s" "$1" | grep -qF "drops port 22 from 203.0.113.50 (IPv4)"' \
    _ "$(fwfind message)"
run --root "$R" --apply --user alice --from 203.0.113.50
check "nft: --apply exits 0" [ "$RC" -eq 0 ]
through "$R" "nft -f -" "$R/etc/nftables.conf" 203.0.113.50
check "nft: after the repair, alice logs in (the ruleset as the boot loads it)" \
    [ "$LOGIN" -eq 0 ]
through "$R" "nft -f -" "$R/etc/nftables.conf" 203.0.113.51
check "nft: the repair let in only that address: another times out" \
    says "Connection timed out"

# The SYN let in, what follows dropped (no "established" rule): the
# client's TCP connect opens, then ssh hears nothing.
printf 'flush ruleset\ntable inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tiif "lo" accept\n\t\ttcp dport 22 ct state new accept\n\t}\n}\n' \
    >"$R/etc/nftables.conf"
through "$R" "nft -f -" "$R/etc/nftables.conf" 203.0.113.50
check "ct state new only: the client cannot log in" [ "$LOGIN" -ne 0 ]
check "ct state new only: the client times out (in the banner exchange)" \
    says "timed out"
run --root "$R" --dry-run --json --user alice --from 203.0.113.50
check "ct state new only: sshfix: drops port 22 from 203.0.113.50" \
    sh -c 'printf "%s" "$1" | grep -qF "drops port 22 from 203.0.113.50 (IPv4)"' \
    _ "$(fwfind message)"
run --root "$R" --apply --user alice --from 203.0.113.50
through "$R" "nft -f -" "$R/etc/nftables.conf" 203.0.113.50
check "ct state new only: after the repair, alice logs in" [ "$LOGIN" -eq 0 ]

# IPv6 behind a policy drop that drops neighbour discovery too: every
# IPv6 packet is lost; the repair accepts it with the port.
nftconf 'tcp dport 80 accept' >"$R/etc/nftables.conf"
through "$R" "nft -f -" "$R/etc/nftables.conf" 2001:db8:5::5
check "nft drop, IPv6: the client says Connection timed out" \
    says "Connection timed out"
run --root "$R" --dry-run --json --user alice --from 2001:db8:5::5
check "nft drop, IPv6: sshfix: drops port 22 from 2001:db8:5::5" \
    sh -c 'printf "%s" "$1" | grep -qF "drops port 22 from 2001:db8:5::5 (IPv6)"' \
    _ "$(fwfind message)"
run --root "$R" --apply --user alice --from 2001:db8:5::5
through "$R" "nft -f -" "$R/etc/nftables.conf" 2001:db8:5::5
check "nft drop, IPv6: after the repair (neighbour discovery too), alice logs in" \
    [ "$LOGIN" -eq 0 ]

# IPv6, a reject, neighbour discovery let in.
nftconf 'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept' \
    'tcp dport 22 reject with tcp reset' >"$R/etc/nftables.conf"
through "$R" "nft -f -" "$R/etc/nftables.conf" 2001:db8:5::5
check "nft reject, IPv6: the client says Connection refused" \
    says "Connection refused"
run --root "$R" --dry-run --json --user alice --from 2001:db8:5::5
check "nft reject, IPv6: sshfix: rejects port 22 from 2001:db8:5::5" \
    sh -c 'printf "%s" "$1" | grep -qF "rejects port 22 from 2001:db8:5::5 (IPv6)"' \
    _ "$(fwfind message)"
run --root "$R" --apply --user alice --from 2001:db8:5::5
through "$R" "nft -f -" "$R/etc/nftables.conf" 2001:db8:5::5
check "nft reject, IPv6: after the repair, alice logs in" [ "$LOGIN" -eq 0 ]

# A non-default port.
nftconf 'tcp dport 22 accept' >"$R/etc/nftables.conf"
printf 'Port 2222\n' >"$R/etc/ssh/sshd_config.d/10-port.conf"
through "$R" "nft -f -" "$R/etc/nftables.conf" 203.0.113.50 2222
check "Port 2222, the firewall accepts 22: timed out" says "Connection timed out"
run --root "$R" --dry-run --json --user alice --from 203.0.113.50
check "Port 2222: sshfix names port 2222" \
    sh -c 'printf "%s" "$1" | grep -qF "drops port 2222 from 203.0.113.50"' \
    _ "$(fwfind message)"
rm "$R/etc/ssh/sshd_config.d/10-port.conf"

# iptables-persistent.
if command -v iptables-restore >/dev/null 2>&1; then
	R="$T/ipt"; sandbox "$R"
	mkdir -p "$R/etc/systemd/system/multi-user.target.wants" "$R/etc/iptables"
	ln -s /lib/systemd/system/netfilter-persistent.service \
	    "$R/etc/systemd/system/multi-user.target.wants/netfilter-persistent.service"
	printf '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT\n' \
	    >"$R/etc/iptables/rules.v4"
	through "$R" iptables-restore "$R/etc/iptables/rules.v4" 203.0.113.50
	check "rules.v4 INPUT DROP: timed out" says "Connection timed out"
	run --root "$R" --dry-run --json --user alice --from 203.0.113.50
	check "rules.v4: sshfix: host-firewall error" [ "$(fwfind severity)" = error ]
	run --root "$R" --apply --user alice --from 203.0.113.50
	through "$R" iptables-restore "$R/etc/iptables/rules.v4" 203.0.113.50
	check "rules.v4: after the repair, alice logs in" [ "$LOGIN" -eq 0 ]
	printf '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n' >"$R/etc/iptables/rules.v4"
	through "$R" iptables-restore "$R/etc/iptables/rules.v4" 203.0.113.50
	check "rules.v4 control: ACCEPT: alice logs in" [ "$LOGIN" -eq 0 ]
	run --root "$R" --dry-run --json --user alice --from 203.0.113.50
	check "rules.v4 control: no host-firewall" no_fw
else
	skip "iptables-persistent end to end" "no iptables-restore (make deps)"
fi
