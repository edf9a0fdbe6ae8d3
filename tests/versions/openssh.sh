# Sourced by tests that run upstream OpenSSH releases (../shared/openssh:
# tarballs and build.sh). openssh_build VERSION prints the prefix of a
# build of VERSION (PREFIX/sbin/sshd; 10.x also PREFIX/libexec/sshd-session),
# building it on first use (1-2 minutes) into a cache outside the clone,
# or prints why not on stderr and fails: the caller then prints SKIP lines.
# OPENSSH_SRC and OPENSSH_CACHE override where sources and builds are;
# OPENSSH_RELEASES, which releases make check-versions runs.

OPENSSH_SRC=${OPENSSH_SRC:-$SSHFIX_TOP/../shared/openssh}
OPENSSH_CACHE=${OPENSSH_CACHE:-/var/cache/sshfix-test}
OPENSSH_RELEASES=${OPENSSH_RELEASES:-7.4p1 8.0p1 8.9p1 9.6p1 10.0p2}

openssh_build() {
	_v=$1
	_p="$OPENSSH_CACHE/openssh-$_v"
	# A build from before build.sh took --sysconfdir=/etc/ssh has its own
	# PREFIX/etc: it is built again (below, under the lock).
	if [ -x "$_p/sbin/sshd" ] && [ ! -d "$_p/etc" ]; then
		echo "$_p"
		return 0
	fi
	if [ ! -x "$OPENSSH_SRC/build.sh" ]; then
		echo "no $OPENSSH_SRC/build.sh (OpenSSH sources)" >&2
		return 1
	fi
	for _c in cc make autoreconf flock; do
		command -v $_c >/dev/null 2>&1 || {
			echo "no $_c (make deps)" >&2; return 1; }
	done
	mkdir -p "$OPENSSH_CACHE" || return 1
	# Runs at once (two clones, two test files) build a release once:
	# the others wait for it under the lock, then find it built.
	(
		flock 9 || exit 1
		[ ! -x "$_p/sbin/sshd" ] || [ -d "$_p/etc" ] || exit 0
		rm -rf "$_p"
		# A failed build leaves nothing that looks finished.
		if ! "$OPENSSH_SRC/build.sh" "$_v" "$_p" \
		    >"$OPENSSH_CACHE/build-$_v.log" 2>&1 ||
		    [ ! -x "$_p/sbin/sshd" ]; then
			rm -rf "$_p"
			echo "building OpenSSH $_v failed: see" \
			    "$OPENSSH_CACHE/build-$_v.log" >&2
			exit 1
		fi
	) 9>"$OPENSSH_CACHE/.lock-$_v" || return 1
	echo "$_p"
}
