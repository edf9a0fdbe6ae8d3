#!/bin/sh
# Record journals written by the real systemd-journald from the real
# sshd's syslog lines, one per fault, as test data for t_journal.sh.
# Not part of make check: run by hand as root where tests/e2e runs, from
# the top:
#   SSHFIX_TOP=$PWD SSHFIX=$PWD/build/sshfix sh tests/integration/journal/capture.sh
# In a private mount namespace: /dev is a tmpfs holding the usual nodes
# and /dev/log and /dev/journal-stdout (bound to journald's syslog and
# stream sockets, so that they survive the private /run each attempt
# mounts), /run/systemd/journal and /var/log/journal are private, and
# journald runs by hand, once per fault. sshd runs as a service does
# (no -E, tests/e2e/lib.sh E2E_SYSLOG): its syslog lines reach journald
# through /dev/log, and what it writes to stderr (the start-up errors)
# through journald's stream socket, as systemd connects a service's
# stderr. Each NAME.journal.gz is the system journal file
# journald wrote, gzipped (journald allocates 8 MiB, mostly zeros).
JD=/lib/systemd/systemd-journald
[ -x "$JD" ] || { echo "capture: no $JD" >&2; exit 1; }
if [ -z "${CAPTURE_NS:-}" ]; then
	CAPTURE_NS=1 exec unshare -m sh "$0" "$@"
fi
. "$SSHFIX_TOP/tests/e2e/lib.sh"
why=$(e2e_missing)
[ -z "$why" ] || { echo "capture: $why" >&2; exit 1; }
D="$SSHFIX_TOP/tests/integration/journal"

set -e
mount --make-rprivate /
# The real /dev is reachable under $DEV only while the nodes are bound,
# then unmounted at once: nothing may ever remove files through it.
DEV=$(mktemp -d /run/sshfix-capture-dev.XXXXXX)
mount --rbind /dev "$DEV"
mount -t tmpfs -o mode=0755 tmpfs /dev
for n in null zero random urandom tty full; do
	: >"/dev/$n"
	mount --bind "$DEV/$n" "/dev/$n"
done
mkdir /dev/pts /dev/shm
mount --rbind "$DEV/pts" /dev/pts
umount -R "$DEV"
rmdir "$DEV"
: >/dev/log
: >/dev/journal-stdout
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/systemd/journal
mount -t tmpfs -o mode=0755 tmpfs /var/log
mkdir /var/log/journal
set +e

jpid=
journal_start() {
	rm -rf /var/log/journal/* /run/systemd/journal/* /run/log/journal
	"$JD" & jpid=$!
	i=0
	while [ $i -lt 50 ] && [ ! -S /run/systemd/journal/dev-log ]; do
		sleep 0.1; i=$((i + 1))
	done
	mount --bind /run/systemd/journal/dev-log /dev/log
	mount --bind /run/systemd/journal/stdout /dev/journal-stdout
	journalctl --flush
}
# keep NAME: stop journald and keep its file.
keep() {
	journalctl --sync
	kill "$jpid"; wait "$jpid"
	umount /dev/log /dev/journal-stdout
	f=$(find /var/log/journal -name system.journal)
	gzip -9n <"$f" >"$D/$1.journal.gz"
	echo "captured $1: $(journalctl --file "$f" -t sshd -t sshd-session \
	    -o cat | wc -l) sshd lines, login rc $LOGIN"
}
trap '[ -n "$jpid" ] && kill "$jpid" 2>/dev/null; rm -rf --one-file-system "$T"' EXIT
export E2E_SYSLOG=1

journal_start
R="$T/home"; sandbox "$R"; chmod 0777 "$R/home/alice"
attempt "$R" alice key; attempt "$R" alice key; keep home-perms

journal_start
R="$T/deny"; sandbox "$R"
echo 'DenyUsers alice' >"$R/etc/ssh/sshd_config.d/10-deny.conf"
attempt "$R" alice key; keep access-list

# sshd does not start: every host key readable by all.
journal_start
R="$T/keys"; sandbox "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*_key
attempt "$R" alice key; keep hostkey-perms

# Upstream OpenSSH 10.0p2 (tests/versions/openssh.sh's build, when it is
# there): the session process logs as sshd-session. As t_releases.sh's
# vbox: no PAM in the build, so alice's password field is "*", not "!".
P=/var/cache/sshfix-test/openssh-10.0p2
if [ -x "$P/sbin/sshd" ]; then
	journal_start
	R="$T/home10"; sandbox "$R"; chmod 0777 "$R/home/alice"
	sed -i 's/^alice:!:/alice:*:/' "$R/etc/shadow"
	sed -i '/^UsePAM/d' "$R/etc/ssh/sshd_config"
	for k in "$R"/etc/ssh/ssh_host_*_key; do
		echo "HostKey /etc/ssh/${k##*/}"
	done >>"$R/etc/ssh/sshd_config"
	SSHD="$P/sbin/sshd"
	export E2E_SSHD_OPTS="-f /etc/ssh/sshd_config"
	attempt "$R" alice key; keep home-perms-10.0
fi
