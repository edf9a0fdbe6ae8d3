# Run inside "unshare -m -n": the real sshd's answer for one root.
# sh real.sh ROOT WORK SSHD MOUNTS_SH TRIES [SSHD OPTIONS...]
# ROOT's etc/ssh, homes and account files go over the system's (mounts.sh),
# sshd starts on 127.0.0.1:2222 and every account tries every way in with
# the real client, a few at a time: its key alone (k: with W/client_key2,
# both keys, for a chain naming publickey twice), its password alone
# (p), keyboard-interactive alone (i), and anything (a: key, then
# keyboard-interactive, then password, as a person's client would).
# TRIES names the attempts that can succeed ("alice:ka bob:pia"): a key
# attempt for an account the setup gave no key, a password or
# keyboard-interactive one for an account with no password, cannot.
# Prints "up" or "down", then per account NAME=LETTERS of what let it in
# (alice=k..a), "." for what did not. sshd is stopped by its pid.
S=$1 W=$2 SSHD=$3 TRIES=$5
. "$4"
shift 5
sandbox_mounts "$S" etc/pam.d
rm -f "$W"/rc.* "$W/sshd.log"
# Every attempt at once: room for them before sshd starts dropping.
"$SSHD" -D -E "$W/sshd.log" "$@" -o Port=2222 -o ListenAddress=127.0.0.1 \
    -o MaxStartups=30 \
    2>>"$W/sshd.log" & pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
i=0
while [ $i -lt 500 ] && kill -0 $pid 2>/dev/null &&
    ! grep -q "Server listening" "$W/sshd.log" 2>/dev/null; do
	sleep 0.01
	i=$((i + 1))
done
if ! grep -q "Server listening" "$W/sshd.log" 2>/dev/null; then
	echo "down alice=.... bob=.... root=...."
	exit 0
fi

# The second key, where the setup has one: offered after the first.
IDS="-i $W/client_key"
[ ! -f "$W/client_key2" ] || IDS="$IDS -i $W/client_key2"
try() {	# try USER HOW
	set -- "$1" "$2" -F /dev/null -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
	    -o LogLevel=ERROR -o IdentitiesOnly=yes -o NumberOfPasswordPrompts=1 \
	    -o GSSAPIAuthentication=no -o HostbasedAuthentication=no -p 2222 \
	    -o KexAlgorithms=curve25519-sha256@libssh.org
	u=$1 how=$2
	shift 2
	# shellcheck disable=SC2086
	case $how in
	k) set -- "$@" -o BatchMode=yes -o PreferredAuthentications=publickey \
	    $IDS ;;
	p) set -- "$@" -o PubkeyAuthentication=no \
	    -o PreferredAuthentications=password ;;
	i) set -- "$@" -o PubkeyAuthentication=no \
	    -o PreferredAuthentications=keyboard-interactive ;;
	a) set -- "$@" $IDS \
	    -o PreferredAuthentications=publickey,keyboard-interactive,password ;;
	esac
	SSH_ASKPASS="$W/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none \
	    timeout 20 ssh "$@" "$u@127.0.0.1" true </dev/null \
	    >"$W/out.$u.$how" 2>&1
	echo $? >"$W/rc.$u.$how"
}
jobs_=
for t in $TRIES; do
	for how in k p i a; do
		case ${t#*:} in
		*$how*) try "${t%%:*}" "$how" & jobs_="$jobs_ $!" ;;
		esac
	done
done
# shellcheck disable=SC2086
[ -z "$jobs_" ] || wait $jobs_	# not sshd (none: wait alone would)
printf 'up'
for u in alice bob root; do
	printf ' %s=' "$u"
	for how in k p i a; do
		[ "$(cat "$W/rc.$u.$how" 2>/dev/null)" = 0 ] && printf %s "$how" ||
		    printf .
	done
done
echo
