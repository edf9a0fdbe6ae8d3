# Can a client reach sshd at all: ListenAddress of an address the machine
# lacks, a port another program holds, MaxAuthTries too low for a client
# with several keys, and the proof that sshd lives after a live --apply.
# The real sshd judges each case (see lib.sh).
. "$SSHFIX_TOP/tests/e2e/lib.sh"

CASES="listen-address-root listen-address-live listen-address-controls
port-in-use max-auth-tries liveness-revert liveness-sighup"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in $CASES; do skip "e2e reach $s" "$why"; done
	exit 0
fi

# inns DIR SCRIPT: SCRIPT in a private mount and network namespace with the
# sandbox DIR over the running system (as live() does), IPv6 on. It sees
# $S $T $SSHFIX $SSHD; every process it starts it stops by pid.
inns() {
	unshare -m -n sh -c '
		S=$1 T=$2 SSHFIX=$3 SSHD=$4
		. "$5"
		sandbox_mounts "$S" var/lib
		eval "$6"
	' _ "$1" "$T" "$SSHFIX" "$SSHD" "$SSHFIX_TOP/tests/e2e/mounts.sh" \
	    "$2" >"$T/inns.$((NS = ${NS:-0} + 1)).out" 2>&1
}
# Shell snippets for inns.
STOP_SSHD='p=$(cat /run/sshd.pid 2>/dev/null); [ -n "$p" ] && kill "$p"'
SSH_LOGIN='ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 -o LogLevel=ERROR \
    -o IdentitiesOnly=yes'
file_has() { grep -qF -- "$2" "$1"; }

# 1. ListenAddress of an address the target lacks; its network config
# pins another one.
R="$T/la-root"; sandbox "$R"; mkdir -p "$R/etc/network"
printf 'auto eth0\niface eth0 inet static\n\taddress 192.168.7.2/24\n' \
    >"$R/etc/network/interfaces"
printf 'ListenAddress 10.255.0.5\n' >"$R/etc/ssh/sshd_config.d/10-listen.conf"
run --root "$R" --json
check "ListenAddress 10.255.0.5, pinned 192.168.7.2: dry run exits 1" \
    [ "$RC" -eq 1 ]
check "ListenAddress 10.255.0.5: it is an error (sshd exits)" out_has \
    '"id":"listen-address","severity":"error"'
scenario "ListenAddress 10.255.0.5 (--root)" "$R" alice key \
    "Bind to port $PORT on 10.255.0.5 failed: Cannot assign requested address." \
    listen-address asconfig
check "ListenAddress 10.255.0.5: sshd said it could bind nothing" log_has \
    "Cannot bind any address."

# A second address that exists: sshd runs, the dead one is a warning.
printf 'ListenAddress 127.0.0.1\n' >>"$R/etc/ssh/sshd_config.d/10-listen.conf"
run --root "$R" --json
check "ListenAddress 10.255.0.5 + 127.0.0.1: a warning" out_has \
    '"id":"listen-address","severity":"warning"'

# 2. The running system: the kernel of the namespace has no 10.255.0.5.
R="$T/la-live"; sandbox "$R"
printf 'ListenAddress 10.255.0.5\n' >"$R/etc/ssh/sshd_config.d/10-listen.conf"
inns "$R" '"$SSHFIX" --json >"$T/dry.out"; echo $? >"$T/dry.rc"
	"$SSHD" -E "$T/start.log"; echo $? >"$T/start.rc"; sleep 0.5
	"$SSHFIX" --apply --oneline >"$T/apply.out" 2>&1; echo $? >"$T/apply.rc"
	'"$SSH_LOGIN"' -i "$T/client_key" -p 22 alice@127.0.0.1 true </dev/null
	echo $? >"$T/login.rc"; '"$STOP_SSHD"
OUT=$(cat "$T/dry.out")
check "live ListenAddress 10.255.0.5: sshd cannot start" file_has \
    "$T/start.log" "Cannot bind any address."
check "live ListenAddress 10.255.0.5: dry run exits 1" [ "$(cat "$T/dry.rc")" = 1 ]
check "live ListenAddress 10.255.0.5: dry run reports listen-address" \
    has_id listen-address
check "live ListenAddress 10.255.0.5: --apply exits 0" [ "$(cat "$T/apply.rc")" = 0 ]
check "live ListenAddress 10.255.0.5: sshfix started sshd" file_has \
    "$T/apply.out" "started /usr/sbin/sshd"
check "live ListenAddress 10.255.0.5: login works" [ "$(cat "$T/login.rc")" = 0 ]

# 3. Negative controls: loopback and the wildcard are always there; a
# root whose network config pins nothing gets a note, not an error.
for a in 127.0.0.1 0.0.0.0; do
	R="$T/la-$a"; sandbox "$R"
	printf 'ListenAddress %s\n' "$a" >"$R/etc/ssh/sshd_config.d/10-listen.conf"
	attempt "$R" alice key asconfig
	check "ListenAddress $a: sshd accepts logins" logged_in
	run --root "$R" --json
	check "ListenAddress $a: --root exits 0" [ "$RC" -eq 0 ]
	check "ListenAddress $a: --root finds nothing" no_ids
	inns "$R" '"$SSHFIX" --json >"$T/dry.out"; echo $? >"$T/dry.rc"'
	check "ListenAddress $a: the running system finds nothing" \
	    [ "$(cat "$T/dry.rc")" = 0 ]
done
R="$T/la-nonet"; sandbox "$R"
printf 'ListenAddress 10.255.0.5\n' >"$R/etc/ssh/sshd_config.d/10-listen.conf"
run --root "$R"
check "--root, no pinned network config: exit 0, no finding" [ "$RC" -eq 0 ]
check "--root, no pinned network config: a note says it cannot tell" \
    out_has "cannot tell whether the target has this address"
mkdir -p "$R/etc/network"
printf 'iface eth0 inet static\n\taddress 192.168.7.2/24\niface eth1 inet dhcp\n' \
    >"$R/etc/network/interfaces"
run --root "$R"
check "--root, one static and one DHCP interface: still only a note" sh -c \
    "[ $RC -eq 0 ] && printf '%s' \"\$1\" | grep -q 'iface eth1 inet dhcp'" _ "$OUT"

# 4. Another program holds sshd's port (perl, the harness's own tool).
R="$T/port"; sandbox "$R"
printf 'ListenAddress 127.0.0.1\n' >"$R/etc/ssh/sshd_config.d/10-listen.conf"
HOLD='perl -MIO::Socket::INET -e '\''$s = IO::Socket::INET->new(LocalAddr =>
    "127.0.0.1", LocalPort => 22, Listen => 5, ReuseAddr => 1) or exit 1;
    sleep 30'\'' & hp=$!; sleep 0.5'
inns "$R" "$HOLD"'
	"$SSHD" -D -E "$T/start.log" & sp=$!; sleep 0.5; kill $sp 2>/dev/null
	"$SSHFIX" --json >"$T/dry.out"; echo $? >"$T/dry.rc"
	echo $hp >"$T/holder.pid"; kill $hp'
OUT=$(cat "$T/dry.out")
check "port 22 held by perl: sshd cannot bind it" file_has "$T/start.log" \
    "Bind to port 22 on 127.0.0.1 failed: Address already in use."
check "port 22 held by perl: dry run exits 1" [ "$(cat "$T/dry.rc")" = 1 ]
check "port 22 held by perl: port-in-use" has_id port-in-use
check "port 22 held by perl: the program and its pid are named" out_has \
    "perl (pid $(cat "$T/holder.pid"))"
# Control: sshd's own listener is not a fault.
inns "$R" '"$SSHD" -E "$T/start.log"; sleep 0.5
	"$SSHFIX" --json >"$T/dry.out"; echo $? >"$T/dry.rc"; '"$STOP_SSHD"
OUT=$(cat "$T/dry.out")
check "port 22 held by sshd itself: no finding" sh -c \
    "[ \"\$(cat '$T/dry.rc')\" = 0 ] && ! printf '%s' \"\$1\" | grep -q port-in-use" _ "$OUT"

# 5. MaxAuthTries 1: a client offering a key the server does not know
# before the right one is cut off.
ssh-keygen -q -t ed25519 -N '' -C other -f "$T/other_key"
two_keys() {	# two_keys DIR: sets LOGIN and LOG
	inns "$1" '"$SSHD" -D -E "$T/sshd.log" -o Port='"$PORT"' & sp=$!
		sleep 0.5
		'"$SSH_LOGIN"' -i "$T/other_key" -i "$T/client_key" -p '"$PORT"' \
		    alice@127.0.0.1 true </dev/null
		echo $? >"$T/login.rc"; sleep 0.2; kill $sp'
	LOGIN=$(cat "$T/login.rc" 2>/dev/null || echo 99)
	LOG=$(cat "$T/sshd.log" 2>/dev/null)
}
R="$T/mat"; sandbox "$R"
printf 'MaxAuthTries 1\n' >"$R/etc/ssh/sshd_config.d/10-tries.conf"
rm -f "$T/sshd.log"; two_keys "$R"
check "MaxAuthTries 1, two keys: login refused" refused
check "MaxAuthTries 1: sshd logs maximum authentication attempts exceeded" \
    log_has "maximum authentication attempts exceeded for alice"
run --root "$R" --json
check "MaxAuthTries 1: max-auth-tries is a warning" out_has \
    '"id":"max-auth-tries","severity":"warning"'
printf 'MaxAuthTries 2\n' >"$R/etc/ssh/sshd_config.d/10-tries.conf"
rm -f "$T/sshd.log"; two_keys "$R"
check "MaxAuthTries 2, two keys: login works" logged_in
run --root "$R" --json
check "MaxAuthTries 2: no finding" no_ids
# MaxAuthTries 0: sshd disconnects every login at its first request
# ("none"), before any key: an error about everyone, set back to the
# default by --apply, the line again after --rollback.
printf 'MaxAuthTries 0\n' >"$R/etc/ssh/sshd_config.d/10-tries.conf"
run --root "$R" --json --user alice
check "MaxAuthTries 0: max-auth-tries is an error" out_has \
    '"id":"max-auth-tries","severity":"error"'
check "MaxAuthTries 0: nobody gets in once it is fixed" out_has \
    '"accounts_once_fixed":true'
scenario "MaxAuthTries 0" "$R" alice key \
    "maximum authentication attempts exceeded for alice" max-auth-tries \
    --user alice
check "MaxAuthTries 0: the line is back after --rollback" sh -c \
    "grep -qx 'MaxAuthTries 0' '$R/etc/ssh/sshd_config.d/10-tries.conf'"
# In a Match block it shuts out the accounts it applies to: root here,
# advice only; alice, whom it does not match, is no finding.
printf 'Match User root\n\tMaxAuthTries 0\n' \
    >"$R/etc/ssh/sshd_config.d/10-tries.conf"
attempt "$R" root key
check "Match User root, MaxAuthTries 0: root refused" refused
check "Match User root, MaxAuthTries 0: sshd logs it for root" log_has \
    "maximum authentication attempts exceeded for root"
attempt "$R" alice key
check "Match User root, MaxAuthTries 0: alice logs in" logged_in
run --root "$R" --json --user root
check "Match User root, MaxAuthTries 0: an error for root" out_has \
    '"id":"max-auth-tries","severity":"error","subject":"root"'
run --root "$R" --json --user alice
check "Match User root, MaxAuthTries 0: no finding for alice" no_ids

# 6. A fix that leaves sshd dead is undone. The host keys are 0777
# (hostkey-perms, fixed) but /run/sshd is gone too: a cause sshfix does not
# detect (systemd's RuntimeDirectory makes it), and sshd exits at start.
R="$T/dead"; sandbox "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*_key
inns "$R" 'rmdir /run/sshd
	"$SSHFIX" --apply --json >"$T/apply.out" 2>&1; echo $? >"$T/apply.rc"
	'"$STOP_SSHD"
check "sshd dead after the fix: --apply exits 3" [ "$(cat "$T/apply.rc")" = 3 ]
check "sshd dead after the fix: the report quotes sshd" file_has \
    "$T/apply.out" "Missing privilege separation directory: /run/sshd"
check "sshd dead after the fix: it says sshd is not listening" file_has \
    "$T/apply.out" "sshd is not listening on"
check "sshd dead after the fix: the host keys are back at 0777" sh -c \
    "[ \"\$(stat -c %a '$R/etc/ssh/ssh_host_ed25519_key')\" = 777 ]"
check "sshd dead after the fix: the snapshot says restored" sh -c \
    "grep -rqx restored '$R/var/lib/sshfix'"

# 7. Control: a running sshd (no options of its own) reloaded by SIGHUP is
# proven alive on its new sockets, and the fix stays. IPv6 is off in the
# namespace, so AddressFamily inet6 is the fault (address-family).
R="$T/hup"; sandbox "$R"
printf 'AddressFamily inet6\n' >"$R/etc/ssh/sshd_config.d/20-v6.conf"
inns "$R" 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
	"$SSHD" -E "$T/hup.log"; sleep 0.5
	"$SSHFIX" --apply --oneline >"$T/apply.out" 2>&1; echo $? >"$T/apply.rc"
	'"$SSH_LOGIN"' -i "$T/client_key" -p 22 alice@127.0.0.1 true </dev/null
	echo $? >"$T/login.rc"; '"$STOP_SSHD"
check "SIGHUP to a running sshd: --apply exits 0 (proven alive)" \
    [ "$(cat "$T/apply.rc")" = 0 ]
check "SIGHUP to a running sshd: it restarted" file_has "$T/hup.log" \
    "Received SIGHUP; restarting."
check "SIGHUP to a running sshd: login works" [ "$(cat "$T/login.rc")" = 0 ]
