# Sourced by tests that run upstream OpenSSH releases (../shared/openssh:
# tarballs and build.sh). openssh_build VERSION prints the prefix of a
# build of VERSION (PREFIX/sbin/sshd; 10.x also PREFIX/libexec/sshd-session),
# building it on first use (1-2 minutes) into a cache outside the clone,
# or prints why not on stderr and fails: the caller then prints SKIP lines.
# A build is kept with the key of what made it (openssh_key) and made
# again when build.sh, a patch or the tarball changes.
# OPENSSH_SRC and OPENSSH_CACHE override where sources and builds are;
# OPENSSH_RELEASES, which releases make check-versions runs.

OPENSSH_SRC=${OPENSSH_SRC:-$SSHFIX_TOP/../shared/openssh}
OPENSSH_CACHE=${OPENSSH_CACHE:-/var/cache/sshfix-test}
OPENSSH_RELEASES=${OPENSSH_RELEASES:-7.4p1 8.0p1 8.9p1 9.6p1 10.0p2}

# The key of a build of VERSION: what went into it, build.sh, the
# release's patches and its tarball. A build made with another build.sh
# (or from before the key was kept) is built again, not trusted.
openssh_key() {
	_t=V_$(echo "$1" | sed 's/p/_P/; s/\./_/g')
	cat "$OPENSSH_SRC/build.sh" "$OPENSSH_SRC/openssh-$_t.tar.gz" \
	    "$OPENSSH_SRC/$1"-*.patch 2>/dev/null | sha256sum | cut -d' ' -f1
}

# Is PREFIX a finished build with key KEY (any build when KEY is empty:
# no sources to compare with)?
openssh_built() {
	[ -x "$1/sbin/sshd" ] && { [ -z "$2" ] ||
	    [ "$(cat "$1/.build-key" 2>/dev/null)" = "$2" ]; }
}

openssh_build() {
	_v=$1
	_p="$OPENSSH_CACHE/openssh-$_v"
	_k=
	[ -x "$OPENSSH_SRC/build.sh" ] && _k=$(openssh_key "$_v")
	if openssh_built "$_p" "$_k"; then
		echo "$_p"
		return 0
	fi
	if [ -z "$_k" ]; then
		echo "no $OPENSSH_SRC/build.sh (OpenSSH sources)" >&2
		return 1
	fi
	for _c in cc make autoreconf flock sha256sum; do
		command -v $_c >/dev/null 2>&1 || {
			echo "no $_c (make deps)" >&2; return 1; }
	done
	mkdir -p "$OPENSSH_CACHE" || return 1
	# Runs at once (two clones, two test files) build a release once:
	# the others wait for it under the lock, then find it built.
	(
		flock 9 || exit 1
		openssh_built "$_p" "$_k" && exit 0
		rm -rf "$_p"
		# A failed build leaves nothing that looks finished; the key
		# is written last.
		if ! "$OPENSSH_SRC/build.sh" "$_v" "$_p" \
		    >"$OPENSSH_CACHE/build-$_v.log" 2>&1 ||
		    [ ! -x "$_p/sbin/sshd" ] ||
		    ! echo "$_k" >"$_p/.build-key"; then
			rm -rf "$_p"
			echo "building OpenSSH $_v failed: see" \
			    "$OPENSSH_CACHE/build-$_v.log" >&2
			exit 1
		fi
	) 9>"$OPENSSH_CACHE/.lock-$_v" || return 1
	echo "$_p"
}

# openssh_helpers DIR PREFIX: 10.x's sshd-session and sshd-auth where the
# build's sshd looks for them, DIR/PREFIX/libexec (its libexecdir, compiled
# in: sshfix reads the path from the binary; a distribution's is
# /usr/lib/openssh or /usr/libexec/openssh).
openssh_helpers() {
	[ -d "$2/libexec" ] || return 0
	for _f in "$2"/libexec/sshd-*; do
		[ -f "$_f" ] || continue
		mkdir -p "$1$2/libexec" && cp -p "$_f" "$1$2/libexec/" || return 1
	done
}

# openssh_root DIR PREFIX: a test root (with copy_sshd's libraries) made to
# carry the build at PREFIX as a distribution shipping upstream OpenSSH
# would: its sshd at usr/sbin/sshd, 10.x's helpers (openssh_helpers),
# Arch Linux's os-release (no Debian patch).
openssh_root() {
	cp "$2/sbin/sshd" "$1/usr/sbin/sshd" || return 1
	openssh_helpers "$1" "$2" || return 1
	printf 'NAME="Arch Linux"\nPRETTY_NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\n' \
	    >"$1/etc/os-release"
}
