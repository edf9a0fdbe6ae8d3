#!/bin/sh
# make check-fresh: the README's quick start, typed as a newcomer types it,
# on a fresh minimal Debian 12. mmdebstrap builds a minbase root from
# Debian's archive, this tree's HEAD is cloned into /root/sshfix there,
# and the README's two commands run in it, in that directory, as root:
# in private mount and pid namespaces, chrooted, the root's / a mount
# point of its own (so that the tests' own namespaces nest), on the
# host's network (apt-get fetches from the archive, npm from its
# registry: the host's resolver and its locally added certificate
# authorities). It passes when command 1 builds build/sshfix and sshfix
# gives a verdict, and command 2 ends "N passed, 0 failed"; the last
# line printed is command 2's.
#
# SSHFIX_FRESH_SUITE (bookworm) and SSHFIX_FRESH_MIRROR
# (http://deb.debian.org/debian) choose the release and the archive;
# SSHFIX_FRESH_KEEP=1 keeps the root (its path is printed).
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=${SSHFIX_FRESH_SUITE:-bookworm}
MIRROR=${SSHFIX_FRESH_MIRROR:-http://deb.debian.org/debian}

die() {
	echo "check-fresh: $*" >&2
	exit 2
}

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap, chroot, namespaces)"
for c in mmdebstrap git unshare chroot; do
	command -v "$c" >/dev/null 2>&1 ||
	    die "$c not found (make deps installs it)"
done

# The README's two commands: the indented lines of its Quick start.
CMDS=$(sed -n '/^## Quick start/,/^## /p' "$TOP/README.md" |
    sed -n 's/^    \(.*[^ ]\)$/\1/p')
[ "$(printf '%s\n' "$CMDS" | wc -l)" -eq 2 ] ||
    die "README.md's Quick start does not hold exactly two commands"
CMD1=$(printf '%s\n' "$CMDS" | sed -n 1p)
CMD2=$(printf '%s\n' "$CMDS" | sed -n 2p)

if [ -n "$(git -C "$TOP" status --porcelain --untracked-files=no)" ]; then
	echo "check-fresh: note: tests HEAD ($(git -C "$TOP" rev-parse \
	    --short HEAD)), not the uncommitted changes"
fi

# Not /tmp: the root grows to about 2 GB; /var/tmp is on disk.
W=$(mktemp -d /var/tmp/sshfix-fresh.XXXXXX) || die "mktemp failed"
R="$W/root"
cleanup() {
	if [ "${SSHFIX_FRESH_KEEP:-0}" = 1 ]; then
		echo "check-fresh: root kept in $R"
	else
		# Every mount was made in the namespace, gone with it.
		rm -rf --one-file-system "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
echo "check-fresh: mmdebstrap --variant=minbase $SUITE (a minute or two)..."
if ! mmdebstrap --quiet --variant=minbase "$SUITE" "$R" "$MIRROR" \
    >"$W/mmdebstrap.log" 2>&1; then
	tail -20 "$W/mmdebstrap.log" >&2
	die "mmdebstrap failed"
fi
# As in any chroot, packages install their services without starting
# them: openssh-server's sshd would listen on the host's port 22 (the
# tests start their own, on loopback, in namespaces of their own).
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d" &&
    chmod 0755 "$R/usr/sbin/policy-rc.d" || die "policy-rc.d: cannot write"
# The host's network, as for its resolver: the certificate authorities
# added locally (a proxy that inspects TLS signs with one) are the
# root's too once its ca-certificates is installed (npm fetches over
# https).
for c in /usr/local/share/ca-certificates/*.crt; do
	[ -f "$c" ] || continue
	mkdir -p "$R/usr/local/share/ca-certificates" &&
	    cp "$c" "$R/usr/local/share/ca-certificates/" ||
	    die "$c: cannot copy into the root"
done
git clone -q "$TOP" "$R/root/sshfix" || die "git clone failed"
echo "check-fresh: $SUITE minbase root, clone of $(git -C "$R/root/sshfix" \
    rev-parse --short HEAD) in /root/sshfix ($(($(date +%s) - start))s)"

# In the namespaces: the root bound onto itself (a mount point: the
# tests' "mount --make-rprivate /" works in it), the kernel's file
# systems, the host's resolver, then each command through the root's
# own /bin/sh with a login's minimal environment. Exit status: that of
# the first command that failed.
# shellcheck disable=SC2016
{ unshare -m -p -f --kill-child sh -c '
	set -e
	R=$1
	mount --make-rprivate /
	mount --bind "$R" "$R"
	mount -t proc proc "$R/proc"
	mount --rbind /sys "$R/sys"
	mount --make-rslave "$R/sys"
	mount --rbind /dev "$R/dev"
	mount --make-rslave "$R/dev"
	mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
	mount -t tmpfs -o mode=0755 tmpfs "$R/run"
	cp /etc/resolv.conf "$R/etc/resolv.conf"
	run() {
		chroot "$R" /usr/bin/env -i HOME=/root USER=root LOGNAME=root \
		    SHELL=/bin/sh TERM=dumb \
		    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		    /bin/sh -c "cd /root/sshfix && $1"
	}
	echo "check-fresh: command 1: $2"
	set +e
	run "$2" >"$R/../cmd1.log" 2>&1
	rc=$?
	set -e
	tail -5 "$R/../cmd1.log" | sed "s/^/    /"
	if [ ! -x "$R/root/sshfix/build/sshfix" ]; then
		echo "check-fresh: command 1 built no build/sshfix (exit $rc)"
		exit 1
	fi
	# sshfix diagnosed the fresh machine: 0 (logins work), 1 (faults
	# found) or 5 (cannot tell); 2 and above is an error.
	case $rc in
	0|1|5) echo "check-fresh: command 1: sshfix exited $rc (a verdict)" ;;
	*) echo "check-fresh: command 1 exited $rc"; exit 1 ;;
	esac
	echo "check-fresh: command 2: $3"
	run "$3"
' fresh "$R" "$CMD1" "$CMD2"; echo $? >"$W/rc"; } 2>&1 | tee "$W/out.log"
rc=$(cat "$W/rc")
# make check's summary: after it, make's own error line when it failed.
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$W/out.log" | tail -1)
[ -n "$last" ] || last=$(tail -1 "$W/out.log")
secs=$(($(date +%s) - start))
case $rc/$last in
0/*" passed, 0 failed"*)
	echo "check-fresh: the README's two commands passed on a fresh" \
	    "$SUITE minbase root in ${secs}s"
	echo "$last"
	exit 0
	;;
esac
echo "check-fresh: failed after ${secs}s (exit $rc; the last line" \
    "must be \"N passed, 0 failed\")" >&2
echo "$last"
exit 1
