#!/bin/sh
# Record the lines the real sshd logs for faults sshfix knows (and for
# trouble it has no check for), as test data for t_logs.sh. Not part of
# make check: run by hand as root where tests/e2e runs, from the top:
#   SSHFIX_TOP=$PWD SSHFIX=$PWD/build/sshfix sh tests/integration/logs/capture.sh
# Each NAME.log holds what sshd -E wrote for one login attempt (the
# message text; t_logs.sh adds the syslog framing rsyslog would).
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
[ -z "$why" ] || { echo "capture: $why" >&2; exit 1; }
D="$SSHFIX_TOP/tests/integration/logs"

keep() {	# keep NAME: the attempt's sshd lines, without start and stop
	grep -v -e '^Server listening' -e '^Received signal' \
	    -e '^debug' "$T/sshd.log" | tr -d '\r' >"$D/$1.log"
	echo "captured $1: $(wc -l <"$D/$1.log") lines, login rc $LOGIN"
}

R="$T/home"; sandbox "$R"; chmod 0777 "$R/home/alice"
attempt "$R" alice key; keep home-perms

R="$T/sshdir"; sandbox "$R"; chmod 0777 "$R/home/alice/.ssh"
attempt "$R" alice key; keep sshdir-perms

R="$T/deny"; sandbox "$R"
echo 'DenyUsers alice' >"$R/etc/ssh/sshd_config.d/10-deny.conf"
attempt "$R" alice key; keep access-list

# Seven keys sshd does not know, offered before the right one: sshd
# gives up after MaxAuthTries (6) with "Too many authentication
# failures", a client-side problem no check of sshfix covers.
R="$T/many"; sandbox "$R"
set --
for i in 1 2 3 4 5 6 7; do
	ssh-keygen -q -t ed25519 -N '' -C "k$i" -f "$T/k$i"
	set -- "$@" -i "$T/k$i"
done
E2E_SSH_OPTS="$*" attempt "$R" alice key; keep too-many
