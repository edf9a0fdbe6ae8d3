#cloud-boothook
#!/bin/sh
# sshfix recovery for images without cloud-config support: paste this as
# the instance's user data. It runs very early on every boot, before sshd,
# and prints one line to the serial console. KEY: your public key to
# install (optional); LOGIN: the account it is for (default root).
KEY=""
LOGIN=""

SSHFIX=${SSHFIX:-sshfix}
SSHFIX_ROOT=${SSHFIX_ROOT:-/}
CONSOLE=${CONSOLE:-/dev/console}
if [ -n "$KEY" ] && [ -z "$LOGIN" ]; then
	LOGIN=root
fi
if ! command -v "$SSHFIX" >/dev/null 2>&1; then
	echo "sshfix: not installed on this image" >"$CONSOLE"
	exit 0
fi
"$SSHFIX" --root "$SSHFIX_ROOT" --apply --no-reload --oneline \
    ${LOGIN:+--user "$LOGIN"} ${KEY:+--authorized-key "$KEY"} \
    >"$CONSOLE" 2>&1
exit 0
