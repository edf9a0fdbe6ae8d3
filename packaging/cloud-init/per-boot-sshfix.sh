#!/bin/sh
# sshfix for /var/lib/cloud/scripts/per-boot/: runs late on every boot,
# when sshd may already be up, so sshfix reloads (or starts) it after a
# repair, and writes one line to the serial console. Copy it there (mode
# 0700) to turn it on; it is installed inert under
# /usr/share/sshfix/cloud-init/. Remove it once you are back in.
#
# KEY     your public key to install (optional), "ssh-ed25519 AAAA... you"
# LOGIN   the account the key is for (empty: root)
# Where the image has no sshfix, it is fetched and checked first:
# SSHFIX_URL     the static release binary, sshfix-VERSION-linux-x86_64
# SSHFIX_SHA256  its SHA-256: the first word of the .sha256 file beside it
# A missing or wrong SHA-256 runs nothing and says so on the console.
KEY=""
LOGIN=""
SSHFIX_URL=""
SSHFIX_SHA256=""
# sshd may run already: reload it after a repair.
NO_RELOAD=
# ---- the same in boothook.sh, per-boot-sshfix.sh and user-data.yaml ----
SSHFIX=${SSHFIX:-sshfix}
SSHFIX_ROOT=${SSHFIX_ROOT:-/}
CONSOLE=${CONSOLE:-/dev/console}
say() { echo "sshfix: $*" >"$CONSOLE"; }
# fetch: SSHFIX_URL into a new directory only root can read; it is
# run only when its SHA-256 is SSHFIX_SHA256.
fetch() {
	[ -n "$SSHFIX_URL" ] ||
	    { say "not installed on this image and no SSHFIX_URL given; nothing run"; return 1; }
	want=$(printf '%s\n' "$SSHFIX_SHA256" | tr A-F a-f |
	    sed -n '1s/^[[:space:]]*\([0-9a-f]\{64\}\)\([[:space:]].*\)\{0,1\}$/\1/p')
	[ -n "$want" ] ||
	    { say "refusing $SSHFIX_URL: SSHFIX_SHA256 is not a SHA-256 (64 hex digits); nothing run"; return 1; }
	d=$(umask 077 && mktemp -d "${TMPDIR:-/run}/sshfix.XXXXXX") ||
	    { say "cannot make a private directory; nothing run"; return 1; }
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --retry 3 --connect-timeout 30 -o "$d/sshfix" "$SSHFIX_URL"
	else
		wget -q -T 30 -O "$d/sshfix" "$SSHFIX_URL"
	fi >/dev/null 2>&1 ||
	    { say "cannot fetch $SSHFIX_URL; nothing run"; rm -rf "$d"; return 1; }
	got=$(sha256sum "$d/sshfix" | cut -d' ' -f1)
	[ "$got" = "$want" ] || {
		say "refusing $SSHFIX_URL: its SHA-256 is ${got:-unknown}, not $want; nothing run"
		rm -rf "$d"; return 1; }
	chmod 0700 "$d/sshfix" && SSHFIX=$d/sshfix
}
command -v "$SSHFIX" >/dev/null 2>&1 || fetch || exit 0
[ -z "$KEY" ] || LOGIN=${LOGIN:-root}
# A fetched sshfix stays (in /run, until the next boot) for the rollback
# the line names: the line names its path.
"$SSHFIX" --root "$SSHFIX_ROOT" --apply $NO_RELOAD --oneline \
    ${LOGIN:+--user "$LOGIN"} ${KEY:+--authorized-key "$KEY"} 2>&1 |
    sed "s|: sshfix --rollback|: $SSHFIX --rollback|g" >"$CONSOLE"
exit 0
