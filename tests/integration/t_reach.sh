# listen-address on a mounted root: only the target's own pinned network
# configuration decides; anything dynamic is a note. max-auth-tries.
# port-in-use and the liveness proof need the running system (e2e).
. "$SSHFIX_TOP/tests/integration/lib.sh"

la() {	# la DIR VALUE...: the ListenAddress lines of DIR
	R=$1; shift
	: >"$R/etc/ssh/sshd_config.d/10-listen.conf"
	for v in "$@"; do
		printf 'ListenAddress %s\n' "$v" >>"$R/etc/ssh/sshd_config.d/10-listen.conf"
	done
}
notes_has() { printf '%s' "$OUT" | grep -q '"notes":\[.*'"$1"; }
sev() { out_has "\"id\":\"listen-address\",\"severity\":\"$1\""; }

R="$T/networkd"; mkroot "$R"; mkdir -p "$R/etc/systemd/network"
printf '[Match]\nName=eth0\n[Network]\nAddress=10.1.2.3/24\nGateway=10.1.2.1\n' \
    >"$R/etc/systemd/network/10-eth0.network"
la "$R" 10.9.9.9
diagnose "$R"
check "networkd pins 10.1.2.3, ListenAddress 10.9.9.9: error" sev error
check "networkd: the dry run leaves the root alone" [ "$UNCHANGED" -eq 0 ]
la "$R" 10.1.2.3
diagnose "$R"
check "networkd pins 10.1.2.3, ListenAddress 10.1.2.3: no finding" no_ids
la "$R" 10.1.2.3:2222 '[10.9.9.9]:2200'
diagnose "$R"
check "ADDR:PORT and [ADDR]:PORT forms: the dead one is a warning" sev warning
check "[10.9.9.9]:2200: sshd's line names its port" \
    out_has 'Bind to port 2200 on [10.9.9.9]:2200 failed'
printf 'DHCP=yes\n' >>"$R/etc/systemd/network/10-eth0.network"
la "$R" 10.9.9.9
diagnose "$R"
check "networkd with DHCP=yes: no finding" no_ids
check "networkd with DHCP=yes: a note says why it cannot tell" notes_has "DHCP=yes"

R="$T/ifcfg"; mkroot "$R" rhel; mkdir -p "$R/etc/sysconfig/network-scripts"
printf 'DEVICE=eth0\nBOOTPROTO=none\nIPADDR="172.16.0.4"\nPREFIX=24\n' \
    >"$R/etc/sysconfig/network-scripts/ifcfg-eth0"
la "$R" 172.16.0.5
diagnose "$R"
check "ifcfg IPADDR=172.16.0.4, ListenAddress 172.16.0.5: error" sev error
la "$R" 172.16.0.4
diagnose "$R"
check "ifcfg IPADDR=172.16.0.4, ListenAddress 172.16.0.4: no finding" no_ids
sed -i 's/BOOTPROTO=none/BOOTPROTO=dhcp/' "$R/etc/sysconfig/network-scripts/ifcfg-eth0"
la "$R" 172.16.0.5
diagnose "$R"
check "ifcfg BOOTPROTO=dhcp: no finding" no_ids

R="$T/nonlocal"; mkroot "$R"; mkdir -p "$R/etc/network"
printf 'iface eth0 inet static\n\taddress 192.168.7.2/24\n' >"$R/etc/network/interfaces"
printf 'net.ipv4.ip_nonlocal_bind = 1\n' >"$R/etc/sysctl.d/60-vip.conf"
la "$R" 192.168.7.100
diagnose "$R"
check "ip_nonlocal_bind = 1 (a floating address): no finding" no_ids
check "ip_nonlocal_bind = 1: the note names the sysctl" notes_has "ip_nonlocal_bind"
rm "$R/etc/sysctl.d/60-vip.conf"
diagnose "$R"
check "same root without ip_nonlocal_bind: listen-address" has_id listen-address
mkdir -p "$R/etc/netplan"
diagnose "$R"
check "a netplan directory (not read): no finding" no_ids

R="$T/names"; mkroot "$R"; mkdir -p "$R/etc/network"
printf 'iface eth0 inet static\n\taddress 192.168.7.2/24\n' >"$R/etc/network/interfaces"
la "$R" sshd.example.org fd00::5 127.0.0.2 '::1' 0.0.0.0 '::'
diagnose "$R"
check "host name, IPv6, loopback, wildcards: no finding" no_ids
check "a host name is not resolved on the host: a note" notes_has \
    "sshd.example.org.*host name"

R="$T/apply"; mkroot "$R"; mkdir -p "$R/etc/network"
printf 'iface eth0 inet static\n\taddress 192.168.7.2/24\n' >"$R/etc/network/interfaces"
la "$R" 10.9.9.9 10.9.9.8
run --root "$R" --apply
check "two dead ListenAddress lines: --apply exits 0" [ "$RC" -eq 0 ]
check "both commented out: sshd listens on the wildcard" sh -c \
    "! grep -q '^ListenAddress' '$R/etc/ssh/sshd_config.d/10-listen.conf'"
run --root "$R" --json
check "after --apply: no finding" no_ids

R="$T/mat"; mkroot "$R"
printf 'MaxAuthTries 1\n' >"$R/etc/ssh/sshd_config.d/10-tries.conf"
diagnose "$R"
check "MaxAuthTries 1: max-auth-tries warning" \
    out_has '"id":"max-auth-tries","severity":"warning"'
# 0: the real sshd disconnects every login at its first request
# (tests/e2e/t_reach.sh): an error, the line set back to the default.
printf 'MaxAuthTries 0\n' >"$R/etc/ssh/sshd_config.d/10-tries.conf"
diagnose "$R"
check "MaxAuthTries 0: max-auth-tries error" \
    out_has '"id":"max-auth-tries","severity":"error"'
check "MaxAuthTries 0: the line set to the default" \
    out_has '"new":"MaxAuthTries 6"'
printf 'MaxAuthTries 3\n' >"$R/etc/ssh/sshd_config.d/10-tries.conf"
diagnose "$R"
check "MaxAuthTries 3: no finding" no_ids
run --root "$R" --json
check "port-in-use is never judged on a mounted root" sh -c \
    "! printf '%s' \"\$1\" | grep -q port-in-use" _ "$OUT"
