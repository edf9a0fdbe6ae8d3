# End-to-end harness: the machine's real /usr/sbin/sshd judges a sandbox
# root. Each attempt runs in a private mount and network namespace
# (unshare -m -n) where the sandbox's etc/ssh, home, root and account files
# are bind-mounted over the real paths, /run is a fresh tmpfs, and only
# loopback exists: sshd listens on a port nothing else can see, and no
# traffic leaves the namespace. sshd is stopped by its pid every time.

. "$SSHFIX_TOP/tests/integration/lib.sh"

# The tests mount sandboxes over /root and /home: a checkout there
# (/root/sshfix, as a newcomer clones it) would vanish from under them.
# They run a private copy of the binary, and every script they source
# inside a namespace is read before its first mount.
cp "$SSHFIX" "$T/sshfix.bin" || exit 1
SSHFIX="$T/sshfix.bin"

SSHD=/usr/sbin/sshd
PORT=2222
CKEY="$T/client_key"
ssh-keygen -q -t ed25519 -N '' -C e2e -f "$CKEY"
PASSWORD=e2e-secret-pw

# Can this machine run the suite? Otherwise one SKIP line per scenario.
e2e_missing() {
	[ "$(id -u)" -eq 0 ] || { echo "not root"; return; }
	for c in unshare ip ssh perl; do
		command -v $c >/dev/null 2>&1 || { echo "no $c"; return; }
	done
	[ -x "$SSHD" ] || { echo "no $SSHD (openssh-server)"; return; }
	unshare -m -n true 2>/dev/null || echo "unshare -m -n not permitted"
}

skip() { N=$((N + 1)); echo "ok $N - $1 # SKIP $2"; }

# sandbox DIR [debian|rhel]: a healthy root sshd can serve: alice and
# root log in with the client key.
sandbox() {
	mkroot "$1" "${2:-debian}"	# with sshd's privsep user
	cp "$CKEY.pub" "$1/home/alice/.ssh/authorized_keys"
	cp "$CKEY.pub" "$1/root/.ssh/authorized_keys"
	chown 1000:1000 "$1/home/alice/.ssh/authorized_keys"
}

set_password() {	# set_password DIR USER
	h=$(perl -e 'print crypt($ARGV[0], "\$6\$e2esalt\$")' "$PASSWORD")
	sed -i "s|^$2:[^:]*:|$2:$h:|" "$1/etc/shadow"
}

# attempt DIR USER key|password [noipv6|asconfig]: start sshd on the
# sandbox (asconfig: on the addresses its config names), try one login,
# stop sshd. Sets LOGIN (0 = logged in) and LOG (sshd's log).
# E2E_MOUNTS: more sandbox directories to mount over the system's (etc/pam.d).
# E2E_KEY: the client's private key (default $T/client_key); E2E_SSH_OPTS:
# more client options (-o PubkeyAcceptedAlgorithms=+ssh-dss); E2E_SSHD_OPTS:
# more sshd options (-f /etc/ssh/sshd_config for a build with another sysconfdir);
# E2E_SYSLOG=1: sshd logs through /dev/log instead of to $T/sshd.log.
attempt() {
	rm -f "$T/sshd.log" "$T/login.rc"
	cat >"$T/askpass" <<A
#!/bin/sh
echo '$PASSWORD'
A
	chmod 0755 "$T/askpass"
	unshare -m -n sh -c '
		S=$1 T=$2 U=$3 HOW=$4 NOV6=$5 SSHD=$6 PORT=$7
		. "$8"
		sandbox_mounts "$S" ${E2E_MOUNTS:-}
		# 127.0.0.1 only; the AddressFamily case listens as its
		# config says (the namespace holds nothing but loopback).
		set -- -o ListenAddress=127.0.0.1
		if [ "$NOV6" = noipv6 ]; then
			echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
			set --
		fi
		[ "$NOV6" = asconfig ] && set --
		# E2E_SYSLOG: sshd logs to /dev/log as a service does (the
		# journal captures, tests/integration/journal/capture.sh).
		if [ -n "${E2E_SYSLOG:-}" ]; then
			# stderr to the journal as systemd connects it
			mkdir -p /run/systemd/journal
			: >/run/systemd/journal/stdout
			mount --bind /dev/journal-stdout \
			    /run/systemd/journal/stdout || exit 95
			systemd-cat -t sshd "$SSHD" -D ${E2E_SSHD_OPTS:-} \
			    -o Port="$PORT" "$@" & pid=$!
			sleep 1
		else
			# what sshd says before its log is open (a missing
			# config) goes to stderr: the same log
			"$SSHD" -D -E "$T/sshd.log" ${E2E_SSHD_OPTS:-} \
			    -o Port="$PORT" "$@" 2>>"$T/sshd.log" & pid=$!
		fi
		trap "kill $pid 2>/dev/null; wait $pid 2>/dev/null" EXIT
		i=0
		while [ $i -lt 50 ] && kill -0 $pid 2>/dev/null &&
		    [ -z "${E2E_SYSLOG:-}" ] &&
		    ! grep -q "Server listening" "$T/sshd.log" 2>/dev/null; do
			sleep 0.1; i=$((i + 1))
		done
		client_try "$PORT" "$U" "$HOW" "${E2E_KEY:-$T/client_key}" \
		    "$T/askpass"
		echo $? >"$T/login.rc"
		sleep 0.2	# let sshd write its log line
	' _ "$1" "$T" "$2" "$3" "${4:-}" "$SSHD" "$PORT" \
	    "$SSHFIX_TOP/tests/e2e/mounts.sh" >"$T/attempt.out" 2>&1
	LOGIN=$(cat "$T/login.rc" 2>/dev/null || echo 99)
	LOG=$(cat "$T/sshd.log" 2>/dev/null)
}

log_has() { printf '%s' "$LOG" | grep -qF -- "$1"; }
logged_in() { [ "$LOGIN" -eq 0 ]; }
refused() { [ "$LOGIN" -ne 0 ]; }

# refused_as NAME ID LINE: sshd refuses alice on $R and logs LINE; the dry
# run reports ID with that exact line (a fault with advice, no repair).
refused_as() {
	attempt "$R" alice key
	check "$1: login fails" refused
	check "$1: sshd logs \"$3\"" log_has "$3"
	run --root "$R" --dry-run --json --user alice --from 127.0.0.1
	check "$1: dry run reports $2" has_id "$2"
	check "$1: with sshd's exact line" out_has "$(printf '%s' "$3" |
	    sed 's/"/\\"/g')"
}

# scenario NAME DIR USER HOW LOGLINE FAULT-ID [ARGS...] -- the fault
# has been injected into DIR already; HEALTHY is a copy taken before it.
# Asserts the seven steps of the issue.
scenario() {
	name=$1 R=$2 U=$3 HOW=$4 LINE=$5 ID=$6
	shift 6
	NOV6=
	case "${1:-}" in noipv6|asconfig) NOV6=$1; shift ;; esac
	attempt "$R" "$U" "$HOW" "$NOV6"
	check "$name: login fails with the fault" refused
	check "$name: sshd logs \"$LINE\"" log_has "$LINE"
	run --root "$R" --dry-run --json "$@"
	check "$name: dry run reports $ID" has_id "$ID"
	run --root "$R" --apply "$@"
	check "$name: --apply exits 0" [ "$RC" -eq 0 ]
	[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | tail -5 | sed 's/^/# /'
	attempt "$R" "$U" "$HOW" "$NOV6"
	check "$name: login works after --apply" logged_in
	run --root "$R" --rollback
	check "$name: --rollback exits 0" [ "$RC" -eq 0 ]
	attempt "$R" "$U" "$HOW" "$NOV6"
	check "$name: login fails again after --rollback" refused
	check "$name: with the same log line" log_has "$LINE"
}

# live DIR SETUP: the sandbox mounted over the running system's paths (and
# /var/lib, so sshfix's own files stay in it), sshd started unless SETUP
# says "down" ("privsep-gw": then /run/sshd made 0775, sshd -t's verdict
# kept in $T/sshd-t.out), then sshfix --apply with no --root: the live mode, which
# reloads or starts sshd itself. Sets APPLY_RC, APPLY_OUT, LOGIN, LOG.
live() {
	rm -f "$T/sshd.log" "$T/login.rc" "$T/apply.rc"
	unshare -m -n sh -c '
		S=$1 T=$2 SSHFIX=$3 SSHD=$4 HOW=$5
		. "$6"
		sandbox_mounts "$S" var/lib
		echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
		pid=
		stop() {
			[ -n "$pid" ] && kill $pid 2>/dev/null && wait $pid 2>/dev/null
			# An sshd that sshfix started: its pid is in the PidFile.
			p=$(cat /run/sshd.pid 2>/dev/null)
			[ -n "$p" ] && [ "$p" != "$pid" ] && kill "$p" 2>/dev/null
		}
		trap stop EXIT
		if [ "$HOW" != down ]; then
			"$SSHD" -D -E "$T/sshd.log" -o Port=22 & pid=$!
			sleep 0.5
		fi
		if [ "$HOW" = privsep-gw ]; then	# sshd runs; a reload would fail
			chmod 0775 /run/sshd
			"$SSHD" -t >"$T/sshd-t.out" 2>&1
		fi
		"$SSHFIX" --apply --oneline >"$T/apply.out" 2>&1
		echo $? >"$T/apply.rc"
		stat -c %a /run/sshd >"$T/runsshd.mode"
		sleep 1
		ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no \
		    -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
		    -o LogLevel=ERROR -o IdentitiesOnly=yes -i "$T/client_key" \
		    -p 22 alice@127.0.0.1 true </dev/null
		echo $? >"$T/login.rc"
	' _ "$1" "$T" "$SSHFIX" "$SSHD" "${2:-up}" \
	    "$SSHFIX_TOP/tests/e2e/mounts.sh" >"$T/live.out" 2>&1
	APPLY_RC=$(cat "$T/apply.rc" 2>/dev/null || echo 99)
	APPLY_OUT=$(cat "$T/apply.out" 2>/dev/null)
	LOGIN=$(cat "$T/login.rc" 2>/dev/null || echo 99)
	LOG=$(cat "$T/sshd.log" 2>/dev/null)
}
