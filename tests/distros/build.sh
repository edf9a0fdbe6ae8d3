# Real Debian roots for tests/distros (sourced): built with mmdebstrap
# from Debian's archive (minbase, openssh-server, sudo, login,
# libpam-modules, passwd) and cached as a tarball keyed by the suite, the
# package list and this file's content, so a changed recipe is rebuilt.
# The accounts are made by the root's own useradd and chpasswd, in a
# chroot: alice (uid 1000, keys only), bob (1001, a password), root.
# Beside the tarball, SUITE-KEY.debs/ keeps the packages a manual repair
# reinstalls (openssh-server, libpam-modules, the libssl sshd's libcrypto
# comes from), fetched by the root's own apt-get download at build time,
# so that the tests carry out that advice offline.
# DISTRO_CACHE and DISTRO_MIRROR override where and from where.
# DISTRO_FLAVOUR: a root of its own with more packages, SUITE-FLAVOUR-KEY.tar
# (distro_extra), for tests/distros/t_distros.sh's firewall, firewalld
# and SELinux cycles.

DISTRO_CACHE=${DISTRO_CACHE:-/var/cache/sshfix-test/distros}
DISTRO_MIRROR=${DISTRO_MIRROR:-http://deb.debian.org/debian}
DISTRO_PKGS=openssh-server,sudo,login,libpam-modules,passwd
DISTRO_PW=distro-secret-pw

# distro_extra: the packages DISTRO_FLAVOUR adds: fw, the host firewalls
# as their packages install them; se, Debian's SELinux policy (its
# postinst builds it in the root), setfiles, and grub2-common (the
# release's own default /etc/default/grub, which selinux-activate edits);
# fd, firewalld (its postinst enables firewalld.service; dbus-daemon and
# python3-nftables come with it) and netbase (/etc/protocols: firewalld
# will not start without it; every Debian but a minbase has it).
distro_extra() {
	case ${DISTRO_FLAVOUR:-} in
	'')	;;
	fw)	echo nftables,ufw,fail2ban ;;
	se)	echo selinux-policy-default,policycoreutils,grub2-common ;;
	fd)	echo firewalld,netbase ;;
	*)	echo "unknown DISTRO_FLAVOUR ${DISTRO_FLAVOUR}" >&2; return 1 ;;
	esac
}

# distro_tar SUITE: the cached tarball's path (built on first use), or a
# reason on stderr and status 1.
distro_tar() {
	_s=$1
	command -v mmdebstrap >/dev/null 2>&1 ||
	    { echo "no mmdebstrap (make deps)" >&2; return 1; }
	_x=$(distro_extra) || return 1
	_p=$DISTRO_PKGS${_x:+,$_x}
	_k=$( { echo "$_s $_p"; cat "$SSHFIX_TOP/tests/distros/build.sh"; } |
	    sha256sum | cut -c1-16)
	_tar="$DISTRO_CACHE/$_s${DISTRO_FLAVOUR:+-$DISTRO_FLAVOUR}-$_k.tar"
	if [ ! -s "$_tar" ]; then
		mkdir -p "$DISTRO_CACHE" || return 1
		# The hooks run on the host with the root at $1.
		mmdebstrap --quiet --format=tar --variant=minbase --include="$_p" \
		    --customize-hook='chroot "$1" useradd -m -u 1000 -s /bin/bash alice' \
		    --customize-hook='chroot "$1" useradd -m -u 1001 -s /bin/bash bob' \
		    --customize-hook="echo 'bob:$DISTRO_PW' | chroot \"\$1\" chpasswd" \
		    --customize-hook='mkdir -p "$1/root/.ssh" "$1/home/alice/.ssh"' \
		    --customize-hook='chmod 0700 "$1/root/.ssh" "$1/home/alice/.ssh"' \
		    --customize-hook='chroot "$1" chown alice:alice /home/alice/.ssh' \
		    --customize-hook="rm -rf '$_tar.debs' && mkdir '$_tar.debs' \"\$1/tmp/debs\" && chroot \"\$1\" sh -c 'cd /tmp/debs && apt-get -q download openssh-server libpam-modules \$(dpkg -S /usr/lib/x86_64-linux-gnu/libcrypto.so.* | cut -d: -f1 | sort -u)' && mv \"\$1\"/tmp/debs/*.deb '$_tar.debs/' && rmdir \"\$1/tmp/debs\"" \
		    "$_s" "$_tar.part" "$DISTRO_MIRROR" \
		    >"$DISTRO_CACHE/build-$_s.log" 2>&1 || {
			echo "mmdebstrap $_s failed: see $DISTRO_CACHE/build-$_s.log" >&2
			rm -f "$_tar.part"
			return 1
		}
		mv "$_tar.part" "$_tar"
		# Builds of an older recipe are never used again.
		for _o in "$DISTRO_CACHE/$_s${DISTRO_FLAVOUR:+-$DISTRO_FLAVOUR}"-????????????????.tar; do
			[ "$_o" = "$_tar" ] || rm -rf "$_o" "$_o.debs"
		done
	fi
	echo "$_tar"
}
