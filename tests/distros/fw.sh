# Sourced inside the namespaces of tests/distros/lib.sh's dattempt and
# dlive ($T the test's scratch directory).

# f2b_up DIR: DIR's own fail2ban-server started chrooted, as its unit
# starts it (its pid in f2b); 0 when its sshd jail answers within 10 s.
f2b_up() {
	mkdir -p "$1/run/fail2ban"
	chroot "$1" /usr/bin/fail2ban-server -xf start >"$T/f2b.out" 2>&1 &
	# shellcheck disable=SC2034 # the caller stops it
	f2b=$!
	_i=0
	while [ $_i -lt 100 ]; do
		chroot "$1" /usr/bin/fail2ban-client status sshd \
		    >/dev/null 2>&1 && return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}

# f2b_applied DIR: wait (3 s at most) for the bans the server puts back
# to reach the kernel (a test address in the ruleset, whichever of
# iptables or nft its banaction uses).
f2b_applied() {
	_i=0
	while [ $_i -lt 30 ] && ! chroot "$1" /usr/sbin/nft list ruleset \
	    2>/dev/null | grep -q "192\.0\.2\."; do
		sleep 0.1; _i=$((_i + 1))
	done
}

# fwd_up DIR: DIR's own dbus-daemon and firewalld started chrooted, as
# their units start them (their pids in fwd_bus and fwd); 0 when its
# firewall-cmd says running and firewalld's table is in the kernel (as
# the root's own libnftables lists it), within 30 s; 2 as soon as it
# says failed (it refused the files, and runs its stock configuration
# instead: tests/distros/fwdgen.sh's "invalid"). First the
# machine-id the boot makes (systemd-machine-id-setup; the image's is
# empty, and dbus-daemon will not start without one). dbus-daemon
# starts polkitd on firewalld's first call (it dies with the pid
# namespace).
fwd_up() {
	[ -s "$1/etc/machine-id" ] || chroot "$1" systemd-machine-id-setup \
	    >"$T/fwd.out" 2>&1 || return 1
	mkdir -p "$1/run/dbus"
	chroot "$1" /usr/bin/dbus-daemon --system --nofork --nopidfile \
	    >>"$T/fwd.out" 2>&1 &
	# shellcheck disable=SC2034 # the caller stops it
	fwd_bus=$!
	_i=0
	while [ $_i -lt 50 ] && [ ! -S "$1/run/dbus/system_bus_socket" ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	chroot "$1" /usr/sbin/firewalld --nofork --nopid >>"$T/fwd.out" 2>&1 &
	fwd=$!
	_end=$(($(date +%s) + 30))
	while [ "$(date +%s)" -lt $_end ] && kill -0 $fwd 2>/dev/null; do
		case $(chroot "$1" /usr/bin/firewall-cmd --state 2>&1) in
		running)
			chroot "$1" /usr/bin/python3 -c 'import sys
import nftables
sys.exit(nftables.Nftables().cmd("list table inet firewalld")[0])' \
			    >/dev/null 2>&1 && return 0 ;;
		failed)
			return 2 ;;
		esac
		sleep 0.2
	done
	return 1
}

# fw_veth NETNS FROM [FROM6]: this namespace's eth0 (198.51.100.10, and
# 2001:db8:1::10 with FROM6) joined by a veth pair to a new client
# namespace NETNS (named in /run/netns, which other runs share: name it
# after a pid outside) at FROM (and FROM6), routes both ways; the caller
# deletes NETNS.
fw_veth() {
	ip netns add "$1" &&
	    ip link add eth0 type veth peer name c0 netns "$1" &&
	    ip link set eth0 up && ip -n "$1" link set lo up &&
	    ip -n "$1" link set c0 up &&
	    ip addr add 198.51.100.10/32 dev eth0 &&
	    ip -n "$1" addr add "$2/32" dev c0 &&
	    ip route add default dev eth0 &&
	    ip -n "$1" route add default dev c0 || return 1
	[ -z "${3:-}" ] && return 0
	ip addr add 2001:db8:1::10/128 dev eth0 nodad &&
	    ip -n "$1" addr add "$3/128" dev c0 nodad &&
	    ip -6 route add default dev eth0 &&
	    ip -n "$1" -6 route add default dev c0
}
