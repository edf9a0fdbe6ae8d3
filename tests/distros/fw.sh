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
