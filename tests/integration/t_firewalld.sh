# host-firewall, firewalld: its zones, services and policies read from the
# disk (/etc/firewalld over /usr/lib/firewalld), what it does with TCP to
# sshd's port from the --from address worked out as firewalld builds its
# chains. The packaged files here are Debian 12's (firewalld 1.3), cut
# to what matters; real roots with the real firewalld judging are
# tests/distros' (make check-distros). Each fault with the line that
# stops it, the repair (a rich rule in the zone's file, or a copy of
# the packaged zone) re-judged, applied and rolled back; controls; what
# sshfix does not model said as "cannot tell"; hostile files.
. "$SSHFIX_TOP/tests/integration/lib.sh"

fwfind() {	# fwfind FIELD: FIELD of the first host-firewall finding (jq)
	printf '%s' "$OUT" | jq -r '[.findings[] | select(.id ==
	    "host-firewall")][0].'"$1"' // empty'
}
sev() { [ "$(fwfind severity)" = "$1" ]; }
msg_has() { fwfind message | grep -qF -- "$1"; }
# A whole report (never a crash) without host-firewall.
no_fw() { printf '%s' "$OUT" | jq -e .result >/dev/null && ! has_id host-firewall; }
# sev_msg SEVERITY TEXT...: the finding is SEVERITY and says each TEXT.
sev_msg() {
	sev "$1" || return 1
	shift
	for m in "$@"; do msg_has "$m" || return 1; done
}
acts() { printf '%s' "$OUT" | jq -r '[.findings[] | select(.id ==
    "host-firewall")][0].actions[].type' | tr '\n' ' '; }
last_snap() {
	find "$R/var/lib/sshfix/snapshots" -name '*.tar' -printf '%f\n' |
	    sort | tail -1 | sed 's/\.tar$//'
}

# zone DIR NAME [TARGET] ELEMENTS...: a zone file (DIR the zones dir).
zone() {
	_d=$1 _n=$2 _t=$3
	shift 3
	{
		printf '<?xml version="1.0" encoding="utf-8"?>\n'
		if [ -n "$_t" ]; then
			printf '<zone target="%s">\n' "$_t"
		else
			printf '<zone>\n'
		fi
		printf '  <short>%s</short>\n' "$_n"
		for e in "$@"; do printf '  %s\n' "$e"; done
		printf '</zone>\n'
	} >"$_d/$_n.xml"
}
# fwdroot DIR: a root whose boot starts firewalld, with Debian's packaged
# zones, the services they name, and its IPv6 policy.
fwdroot() {
	mkroot "$1"
	L=$1/usr/lib/firewalld
	mkdir -p "$1/etc/systemd/system/multi-user.target.wants" \
	    "$1/etc/firewalld/zones" "$1/etc/firewalld/services" \
	    "$L/zones" "$L/services" "$L/policies"
	ln -s /lib/systemd/system/firewalld.service \
	    "$1/etc/systemd/system/multi-user.target.wants/firewalld.service"
	printf 'DefaultZone=public\nCleanupOnExit=yes\nFirewallBackend=nftables\n' \
	    >"$1/etc/firewalld/firewalld.conf"
	zone "$L/zones" public "" '<service name="ssh"/>' \
	    '<service name="dhcpv6-client"/>' '<forward/>'
	zone "$L/zones" drop DROP '<forward/>'
	zone "$L/zones" block '%%REJECT%%' '<forward/>'
	zone "$L/zones" trusted ACCEPT '<forward/>'
	zone "$L/zones" internal "" '<service name="ssh"/>' \
	    '<service name="dhcpv6-client"/>' '<forward/>'
	printf '<?xml version="1.0" encoding="utf-8"?>\n<service>\n  <short>SSH</short>\n  <port protocol="tcp" port="22"/>\n</service>\n' \
	    >"$L/services/ssh.xml"
	printf '<?xml version="1.0" encoding="utf-8"?>\n<service>\n  <short>DHCPv6 Client</short>\n  <port protocol="udp" port="546"/>\n</service>\n' \
	    >"$L/services/dhcpv6-client.xml"
	printf '<?xml version="1.0" encoding="utf-8"?>\n<service>\n  <short>HTTPS</short>\n  <port protocol="tcp" port="443"/>\n</service>\n' \
	    >"$L/services/https.xml"
	cat >"$L/policies/allow-host-ipv6.xml" <<'P'
<?xml version="1.0" encoding="utf-8"?>
<policy target="CONTINUE" priority="-15000">
  <short>Allow host IPv6</short>
  <ingress-zone name="ANY" />
  <egress-zone name="HOST" />
  <rule family="ipv6">
    <icmp-type name="neighbour-solicitation" />
    <accept />
  </rule>
</policy>
P
}
E=etc/firewalld/zones

command -v jq >/dev/null || { skip_line "firewalld" "no jq (make deps)"; exit 0; }

# --- Controls: as installed, ssh is in the default zone.
R="$T/ok"; fwdroot "$R"
diagnose "$R" --from 203.0.113.50
check "firewalld as installed (public opens ssh): no host-firewall" no_fw
check "the dry run leaves the root alone" [ "$UNCHANGED" -eq 0 ]
diagnose "$R"
check "as installed, from an outside address (IPv4 and IPv6): no host-firewall" no_fw
# firewall-cmd --permanent --remove-service=ssh, then her address trusted.
zone "$R/$E" public "" '<service name="dhcpv6-client"/>' '<forward/>'
zone "$R/$E" trusted ACCEPT '<source address="203.0.113.50/32"/>' '<forward/>'
diagnose "$R" --from 203.0.113.50
check "ssh removed, her address in the trusted zone: no host-firewall" no_fw
rm "$R/$E/trusted.xml"
zone "$R/$E" public "" '<service name="dhcpv6-client"/>' \
    '<rule family="ipv4"><source address="203.0.113.50"/><port port="22" protocol="tcp"/><accept/></rule>'
diagnose "$R" --from 203.0.113.50
check "ssh removed, a rich rule accepts her: no host-firewall" no_fw
zone "$R/$E" public "" '<port port="22" protocol="tcp"/>'
diagnose "$R" --from 203.0.113.50
check "ssh removed, port 22/tcp opened: no host-firewall" no_fw
rm "$R/etc/systemd/system/multi-user.target.wants/firewalld.service"
zone "$R/$E" public "" '<service name="dhcpv6-client"/>'
diagnose "$R" --from 203.0.113.50
check "firewalld not enabled: its zones are not judged" no_fw

# --- The default zone without ssh (firewall-cmd --remove-service=ssh).
R="$T/noss"; fwdroot "$R"
zone "$R/$E" public "" '<service name="dhcpv6-client"/>' '<forward/>'
diagnose "$R" --from 203.0.113.50
check "ssh removed from the default zone: host-firewall error" sev error
check "names the port, the address, the zone and its default target" \
    msg_has "rejects port 22 from 203.0.113.50 (IPv4): no service, port or rule of zone public opens 22/tcp (its target is default: rejected), at /etc/firewalld/zones/public.xml:2"
check "says what the client sees, over IPv6 too" \
    msg_has '"No route to host" (a zone'"'"'s reject; over IPv6 "Permission denied")'
check "plans the rich rule and the reload" [ "$(acts)" = "edit manual " ]
check "the rule accepts only her address and the port" \
    out_has 'insert \"  <rule family=\"ipv4\"><source address=\"203.0.113.50\"/><port port=\"22\" protocol=\"tcp\"/><accept/></rule>\" at line 6'
check "exit 1 (faults found)" [ "$RC" -eq 1 ]
diagnose "$R"
check "without --from: a warning, IPv4 and IPv6" sev_msg warning 'from 203.0.113.7 (IPv4)' 'from 2001:db8:ff::7 (IPv6)'
check "without --from: advice only" [ "$(acts)" = "manual " ]
before=$(tree "$R")
run --root "$R" --apply --from 203.0.113.50
check "apply: exit 0" [ "$RC" -eq 0 ]
check "apply: the rule before </zone>, its marker an XML comment" sh -c \
    "sed -n 6,8p '$R/$E/public.xml' | tr -d '\n' | grep -q '<!-- sshfix [0-9-]*: added -->  <rule family=\"ipv4\"><source address=\"203.0.113.50\"/><port port=\"22\" protocol=\"tcp\"/><accept/></rule></zone>'"
if command -v xmllint >/dev/null 2>&1; then
	check "apply: the zone is well-formed XML" xmllint --noout "$R/$E/public.xml"
fi
diagnose "$R" --from 203.0.113.50
check "after apply: no host-firewall" no_fw
snap=$(last_snap)
run --root "$R" --rollback "$snap"
check "rollback: exit 0" [ "$RC" -eq 0 ]
check "rollback: the tree is as it was" [ "$(tree "$R")" = "$before" ]

# --- The default zone set to drop: only the packaged file; the repair
# writes the zone to /etc/firewalld/zones, as firewall-cmd would.
R="$T/drop"; fwdroot "$R"
sed -i 's/^DefaultZone=.*/DefaultZone=drop/' "$R/etc/firewalld/firewalld.conf"
diagnose "$R" --from 203.0.113.50
check "default zone drop: host-firewall error" sev error
check "drop: names its target DROP and its line" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4): no service, port or rule of zone drop opens 22/tcp, and its target is DROP, at /usr/lib/firewalld/zones/drop.xml:2"
before=$(tree "$R")
run --root "$R" --apply --from 203.0.113.50
check "drop apply: exit 0" [ "$RC" -eq 0 ]
check "drop apply: /etc/firewalld/zones/drop.xml is the packaged zone and the rule" sh -c \
    "grep -q '<zone target=\"DROP\">' '$R/$E/drop.xml' && grep -q 'source address=\"203.0.113.50\"' '$R/$E/drop.xml' && [ \"\$(tail -1 '$R/$E/drop.xml')\" = '</zone>' ]"
check "drop apply: the packaged file is left alone" \
    [ "$(grep -c rule "$R/usr/lib/firewalld/zones/drop.xml")" -eq 0 ]
diagnose "$R" --from 203.0.113.50
check "drop after apply: no host-firewall" no_fw
run --root "$R" --rollback "$(last_snap)"
check "drop rollback: the tree is as it was (the new file gone)" [ "$(tree "$R")" = "$before" ]

# --- A non-default port: the ssh service opens 22 only.
R="$T/port"; fwdroot "$R"
printf 'Port 2222\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R" --from 203.0.113.50
check "Port 2222, ssh service only: rejects 2222" \
    msg_has "rejects port 2222 from 203.0.113.50 (IPv4)"
zone "$R/$E" public "" '<service name="ssh"/>' '<port port="2200-2299" protocol="tcp"/>'
diagnose "$R" --from 203.0.113.50
check "Port 2222, a port range 2200-2299 open: no host-firewall" no_fw

# --- IPv6: a rule for IPv4 only.
R="$T/v6"; fwdroot "$R"
zone "$R/$E" public "" '<rule family="ipv4"><service name="ssh"/><accept/></rule>'
diagnose "$R" --from 2001:db8:5::50
check "a rich rule for IPv4 only: rejects her IPv6 address" \
    msg_has "rejects port 22 from 2001:db8:5::50 (IPv6)"
run --root "$R" --json --apply --from 2001:db8:5::50
check "IPv6 apply: exit 0" [ "$RC" -eq 0 ]
check "IPv6 apply: an ipv6 rule" grep -q 'family="ipv6"><source address="2001:db8:5::50"/>' "$R/$E/public.xml"

# --- Rich rules: a deny before what the zone allows; priorities.
R="$T/rich"; fwdroot "$R"
zone "$R/$E" public "" '<service name="ssh"/>' \
    '<rule family="ipv4"><source address="203.0.113.0/24"/><service name="ssh"/><reject/></rule>'
diagnose "$R" --from 203.0.113.50
check "a rich rule rejects her network: host-firewall, its line" \
    msg_has "a rich rule of zone public rejects it, at /etc/firewalld/zones/public.xml:5"
check "a deny rule stops her: advice, no edit (an accept would come after it)" \
    [ "$(acts)" = "manual " ]
diagnose "$R" --from 198.51.100.7
check "the same rule, another network: no host-firewall" no_fw
zone "$R/$E" public "" \
    '<rule family="ipv4"><source address="203.0.113.0/24"/><service name="ssh"/><reject/></rule>' \
    '<rule family="ipv4" priority="-10"><source address="203.0.113.50"/><service name="ssh"/><accept/></rule>'
diagnose "$R" --from 203.0.113.50
check "an accept of priority -10 comes before the deny: no host-firewall" no_fw
zone "$R/$E" public "" '<service name="ssh"/>' \
    '<rule family="ipv4" priority="5"><source address="203.0.113.50" invert="True"/><drop/></rule>'
diagnose "$R" --from 203.0.113.50
check "a drop of positive priority comes after the service: no host-firewall" no_fw
zone "$R/$E" public "" \
    '<rule family="ipv4" priority="5"><source address="203.0.113.50" invert="True"/><drop/></rule>'
diagnose "$R" --from 198.51.100.7
check "an inverted source: drops the others" \
    msg_has "drops port 22 from 198.51.100.7 (IPv4): a rich rule of zone public drops it"

# --- Which zone: a source zone decides; an interface's zone may differ.
R="$T/which"; fwdroot "$R"
zone "$R/$E" drop DROP '<source address="203.0.113.0/24"/>'
diagnose "$R" --from 203.0.113.50
check "her network bound to the drop zone: drops, zone drop" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4): no service, port or rule of zone drop opens 22/tcp, and its target is DROP"
diagnose "$R" --from 198.51.100.7
check "another address (the default zone): no host-firewall" no_fw
rm "$R/$E/drop.xml"
zone "$R/$E" block '%%REJECT%%' '<interface name="eth1"/>'
diagnose "$R" --from 198.51.100.7
check "eth1 in zone block, the default zone opens ssh: cannot tell which" sev_msg warning 'cannot tell whether it lets you reach sshd: zone public accepts it and zone block refuses it'
rm "$R/$E/block.xml"
mkdir -p "$R/etc/NetworkManager/system-connections"
printf '[connection]\nid=eth0\ntype=ethernet\ninterface-name=eth0\nzone=drop\n' \
    >"$R/etc/NetworkManager/system-connections/eth0.nmconnection"
diagnose "$R" --from 198.51.100.7
check "NetworkManager puts eth0 in zone drop: cannot tell, never clean" sev_msg warning 'zone drop refuses it'
rm -r "$R/etc/NetworkManager"
mkdir -p "$R/etc/sysconfig/network-scripts"
printf 'DEVICE=eth0\nZONE="nosuch"\n' >"$R/etc/sysconfig/network-scripts/ifcfg-eth0"
diagnose "$R" --from 198.51.100.7
check "ifcfg names a zone firewalld does not have: cannot tell" \
    msg_has "an interface is put in zone nosuch, which firewalld does not have"

# --- Found by tests/distros/fwdgen.sh, each as the real firewalld 1.3
# answered it. A zone's own target comes after the policies of priority
# 0 and more ("zones are always terminal": the zone's chain jumps to them
# before its target).
R="$T/gen"; fwdroot "$R"
P=$R/etc/firewalld/policies; mkdir -p "$P"
policy() {	# policy TARGET PRIORITY ELEMENTS...: ANY to HOST, as p.xml
	_t=$1 _p=$2
	shift 2
	{
		printf '<?xml version="1.0" encoding="utf-8"?>\n'
		printf '<policy target="%s" priority="%s">\n' "$_t" "$_p"
		printf '  <ingress-zone name="ANY"/>\n  <egress-zone name="HOST"/>\n'
		for e in "$@"; do printf '  %s\n' "$e"; done
		printf '</policy>\n'
	} >"$P/p.xml"
}
sed -i 's/^DefaultZone=.*/DefaultZone=drop/' "$R/etc/firewalld/firewalld.conf"
policy CONTINUE 10 '<service name="ssh"/>'
diagnose "$R" --from 203.0.113.50
check "zone drop, a policy of priority 10 opening ssh: accepted (firewalld: accepted)" no_fw
sed -i 's/^DefaultZone=.*/DefaultZone=trusted/' "$R/etc/firewalld/firewalld.conf"
policy DROP 10
diagnose "$R" --from 203.0.113.50
check "zone trusted, a policy of priority 10 with target DROP: drops (firewalld: timed out)" \
    sev_msg error "drops port 22 from 203.0.113.50 (IPv4): no service, port or rule of policy p opens 22/tcp, and its target is DROP"
sed -i 's/^DefaultZone=.*/DefaultZone=block/' "$R/etc/firewalld/firewalld.conf"
policy ACCEPT 10
diagnose "$R" --from 203.0.113.50
check "zone block, a policy of priority 10 with target ACCEPT: accepted (firewalld: accepted)" no_fw
sed -i 's/^DefaultZone=.*/DefaultZone=public/' "$R/etc/firewalld/firewalld.conf"
rm "$P/p.xml"
# Rich rules firewalld leaves out (a warning in its log; the rest of the
# zone loads): a source address without a family, no element and no
# source, two elements.
for r in '<rule><source address="203.0.113.50"/><reject/></rule>' \
    '<rule family="ipv4"><reject/></rule>' \
    '<rule family="ipv4"><service name="ssh"/><port port="22" protocol="tcp"/><reject/></rule>'; do
	zone "$R/$E" public "" '<service name="ssh"/>' "$r"
	diagnose "$R" --from 203.0.113.50
	check "a rule firewalld leaves out is left out (firewalld: accepted): $r" no_fw
done
# Of two zones whose sources hold her address, the first by name.
zone "$R/$E" drop DROP '<source address="203.0.113.0/24"/>'
zone "$R/$E" trusted ACCEPT '<source address="203.0.113.50/32"/>'
diagnose "$R" --from 203.0.113.50
check "drop (/24) and trusted (/32) hold her: drop decides (firewalld: timed out)" \
    sev_msg error "drops port 22 from 203.0.113.50 (IPv4): no service, port or rule of zone drop opens"
zone "$R/$E" trusted ACCEPT '<source address="203.0.113.50/32"/>' '<forward/>'
sed -i 's/<zone>/<zone ingress-priority="-10">/' "$R/$E/trusted.xml"
sed -i 's/<zone target="ACCEPT">/<zone target="ACCEPT" ingress-priority="-10">/' "$R/$E/trusted.xml"
diagnose "$R" --from 203.0.113.50
check "an ingress priority (firewalld 2.x): cannot tell which" sev_msg warning \
    "cannot tell whether it lets you reach sshd"
rm "$R/$E/trusted.xml"
zone "$R/$E" block '%%REJECT%%' '<source address="203.0.113.0/24"/>'
zone "$R/$E" drop DROP '<source address="203.0.113.50/32"/>'
zone "$R/$E" public "" '<interface name="eth0"/>'
zone "$R/$E" internal DROP '<interface name="eth1"/>'
rm "$R/$E/block.xml"
zone "$R/$E" drop DROP '<source address="203.0.113.50/32"/>'
diagnose "$R" --from 198.51.100.7
check "public (no ssh) on eth0, internal DROP on eth1: both refuse, an error" \
    sev_msg error "port 22 from 198.51.100.7 (IPv4)"
check "both refuse in different zones: advice, no edit" [ "$(acts)" = "manual " ]
rm "$R/$E/internal.xml" "$R/$E/drop.xml"
# A zone of target REJECT: firewalld refuses it (its own is %%REJECT%%).
zone "$R/$E" public REJECT '<service name="ssh"/>'
diagnose "$R" --from 203.0.113.50
check "a zone of target REJECT: cannot tell (firewalld does not load it)" \
    sev_msg warning "target REJECT, which firewalld refuses for a zone"
rm "$R/$E/public.xml"

# --- What sshfix does not model: cannot tell, never an all-clear.
R="$T/unsure"; fwdroot "$R"
zone "$R/$E" public "" '<rule family="ipv4"><source ipset="admins"/><service name="ssh"/><accept/></rule>'
diagnose "$R" --from 203.0.113.50
check "a rule on an ipset: cannot tell" sev_msg warning 'a rich rule on an ipset, a MAC address or a destination'
# A service for a multicast destination (Fedora's mdns) before ssh, and
# one for a destination that would open sshd's port.
printf '<?xml version="1.0"?>\n<service>\n  <port port="5353" protocol="udp"/>\n  <destination ipv4="224.0.0.251" ipv6="ff02::fb"/>\n</service>\n' \
    >"$R/usr/lib/firewalld/services/mdns.xml"
zone "$R/$E" public "" '<service name="mdns"/>' '<service name="ssh"/>'
diagnose "$R" --from 203.0.113.50
check "a service with a destination for another port (mdns): no host-firewall" no_fw
printf '<?xml version="1.0"?>\n<service>\n  <port port="22" protocol="tcp"/>\n  <destination ipv4="198.51.100.10"/>\n</service>\n' \
    >"$R/etc/firewalld/services/ssh-one.xml"
zone "$R/$E" public "" '<service name="ssh-one"/>'
diagnose "$R" --from 203.0.113.50
check "a service opening 22 for one destination: cannot tell" sev_msg warning \
    'service ssh-one opens it for a destination address only'
zone "$R/$E" public "" '<service name="ssh"/>'
printf '<?xml version="1.0"?>\n<direct>\n  <rule ipv="ipv4" table="filter" chain="INPUT" priority="0">-p tcp --dport 22 -j DROP</rule>\n</direct>\n' \
    >"$R/etc/firewalld/direct.xml"
diagnose "$R" --from 203.0.113.50
check "direct rules: cannot tell" msg_has "direct.xml holds direct rules, which sshfix does not judge"
rm "$R/etc/firewalld/direct.xml"
zone "$R/$E" public "" '<service name="nosuch"/>'
diagnose "$R" --from 203.0.113.50
check "a service firewalld does not have: cannot tell" \
    msg_has "it names service nosuch, which firewalld does not have"
zone "$R/$E" public "" '<service name="ssh"/>' '<future-thing/>'
diagnose "$R" --from 203.0.113.50
check "an element sshfix does not know: cannot tell, FILE:LINE" \
    msg_has "/etc/firewalld/zones/public.xml:5: an element sshfix does not know: future-thing"
zone "$R/$E" public "" '<service name="ssh"/>' '<forward-port port="22" protocol="tcp" to-port="2022"/>'
diagnose "$R" --from 203.0.113.50
check "a forward-port of sshd's port: cannot tell" msg_has "a forward-port takes sshd's port elsewhere"
printf '<?xml version="1.0"?>\n<policy target="DROP" priority="-5"><ingress-zone name="ANY"/><egress-zone name="HOST"/></policy>\n' \
    >"$R/etc/firewalld/policies.xml"
mkdir -p "$R/etc/firewalld/policies"
mv "$R/etc/firewalld/policies.xml" "$R/etc/firewalld/policies/lock.xml"
zone "$R/$E" public "" '<service name="ssh"/>'
diagnose "$R" --from 203.0.113.50
check "a policy into HOST with target DROP, before the zones: drops" \
    msg_has "drops port 22 from 203.0.113.50 (IPv4): no service, port or rule of policy lock opens 22/tcp, and its target is DROP"
check "a policy stops her: advice only" [ "$(acts)" = "manual " ]

# --- Hostile files: each said, never a hang or a clean bill.
# A zone whose file name holds a tab: judged, but no edit (the name
# would split the plan's lines and name another file).
R="$T/tab"; fwdroot "$R"
printf '<zone target="DROP">\n  <source address="203.0.113.50/32"/>\n</zone>\n' \
    >"$R/$E/x	y.xml"
diagnose "$R" --from 203.0.113.50
check "a zone named with a tab: its drop found" sev error
check "a zone named with a tab: advice only, no edit" [ "$(acts)" = "manual " ]
run --root "$R" --apply --from 203.0.113.50
check "a zone named with a tab: --apply writes no file beside it" \
    [ ! -e "$R/$E/x" ]

R="$T/hostile"; fwdroot "$R"
rm "$R/usr/lib/firewalld/zones/public.xml"
mkfifo "$R/usr/lib/firewalld/zones/public.xml"
diagnose "$R" --from 203.0.113.50
check "the default zone a FIFO: cannot tell, no hang" sev_msg warning \
    '/usr/lib/firewalld/zones/public.xml is not a regular file'
rm "$R/usr/lib/firewalld/zones/public.xml"
zone "$R/usr/lib/firewalld/zones" public "" '<service name="ssh"/>'
ln -s /etc/shadow "$R/$E/public.xml"
diagnose "$R" --from 203.0.113.50
check "the zone a symlink to /etc/shadow: cannot tell" sev_msg warning \
    '/etc/firewalld/zones/public.xml is not a regular file'
rm "$R/$E/public.xml"
mkfifo "$R/$E/drop.xml"
diagnose "$R" --from 203.0.113.50
check "a FIFO among the zones: cannot tell, no hang" sev_msg warning \
    '/etc/firewalld/zones/drop.xml is not a regular file'
rm "$R/$E/drop.xml"
cat >"$R/$E/public.xml" <<'X'
<?xml version="1.0"?>
<!DOCTYPE zone [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
<zone><service name="ssh"/><short>&b;</short></zone>
X
diagnose "$R" --from 203.0.113.50
check "a document type (entities): refused, cannot tell" \
    msg_has "a document type, which sshfix does not read"
printf '<zone><service name="ssh"/>' >"$R/$E/public.xml"
diagnose "$R" --from 203.0.113.50
check "truncated XML: cannot tell, FILE:LINE" \
    msg_has "/etc/firewalld/zones/public.xml:1: not XML firewalld would read"
truncate -s 2G "$R/$E/public.xml"
diagnose "$R" --from 203.0.113.50
check "a sparse 2 GB zone file: cannot tell, nothing read" sev warning
rm "$R/$E/public.xml"
zone "$R/$E" public "" '<service name="../../../etc/shadow"/>'
diagnose "$R" --from 203.0.113.50
check "a service name with a slash: cannot tell" \
    msg_has "a service name sshfix does not take"
