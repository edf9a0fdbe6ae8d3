#!/bin/sh
# sshfix for /var/lib/cloud/scripts/per-boot/: runs late on every boot,
# when sshd may already be up, so sshfix reloads (or starts) it after a
# repair. One line goes to the serial console. Copy it there to turn it
# on (it is installed inert under /usr/share/sshfix/cloud-init/).
SSHFIX=${SSHFIX:-sshfix}
SSHFIX_ROOT=${SSHFIX_ROOT:-/}
CONSOLE=${CONSOLE:-/dev/console}

if ! command -v "$SSHFIX" >/dev/null 2>&1; then
	echo "sshfix: not installed on this image" >"$CONSOLE"
	exit 0
fi
"$SSHFIX" --root "$SSHFIX_ROOT" --apply --oneline >"$CONSOLE" 2>&1
exit 0
