# Client logs for --explain, from the real ssh client against the real
# sshd (tests/e2e/lib.sh's sandbox). Sourced by tests/e2e/t_explain.sh
# (live) and run once by hand to make the test data kept under
# tests/integration/explain/:
#   SSHFIX_TOP=$PWD SSHFIX=$PWD/build/sshfix sh tests/e2e/explain_capture.sh DIR
# capture NAME DIR [down] -- CLIENT-ARGS...: start sshd on sandbox DIR
# (unless "down", or it dies: no host keys), run "ssh -v CLIENT-ARGS
# -p PORT USER@HOST true" and keep its standard error in
# $CAP/NAME.log. SSH: the client (default ssh); CUSER: the account
# (default alice); VERB: -v (default), -vv or -vvv; HOLD: keep one
# connection open meanwhile (MaxStartups); HOST: where to connect
# (default 127.0.0.1); SETUP: a command run in the namespace once sshd
# listens, before the client (a route: only loopback exists there, so
# nothing leaves the machine).
. "$SSHFIX_TOP/tests/e2e/lib.sh"

CAP=${CAP:-$T/cap}
mkdir -p "$CAP"

capture() {
	name=$1 S=$2
	shift 2
	up=up
	[ "$1" = down ] && { up=down; shift; }
	[ "$1" = -- ] && shift
	rm -f "$T/sshd.log"
	unshare -m -n sh -c '
		S=$1 T=$2 SSHD=$3 PORT=$4 UP=$5 OUT=$6 SSH=$7 HOLD=$8 VERB=${10} CUSER=${11}
		HOST=${12} SETUP=${13}
		. "$9"
		shift 13
		sandbox_mounts "$S"
		pid=
		if [ "$UP" = up ]; then
			"$SSHD" -D -E "$T/sshd.log" -o Port="$PORT" \
			    -o ListenAddress=127.0.0.1 & pid=$!
			trap "kill $pid 2>/dev/null; wait $pid 2>/dev/null" EXIT
			i=0
			while [ $i -lt 50 ] && kill -0 $pid 2>/dev/null &&
			    ! grep -q "Server listening" "$T/sshd.log"; do
				sleep 0.1; i=$((i + 1))
			done
		fi
		[ -z "$SETUP" ] || $SETUP || exit 95
		# HOLD: one unauthenticated connection kept open meanwhile.
		if [ -n "$HOLD" ]; then
			perl -MIO::Socket::INET -e "\$s = IO::Socket::INET->new(
			    q{127.0.0.1:$PORT}) or exit 1; sleep 4" & sleep 0.5
		fi
		"$SSH" $VERB -F /dev/null -o ConnectTimeout=5 "$@" -p "$PORT" \
		    "$CUSER@$HOST" true </dev/null 2>"$OUT"
	' _ "$S" "$T" "$SSHD" "$PORT" "$up" "$CAP/$name.log" "${SSH:-ssh}" \
	    "${HOLD:-}" "$SSHFIX_TOP/tests/e2e/mounts.sh" "${VERB:--v}" \
	    "${CUSER:-alice}" "${HOST:-127.0.0.1}" "${SETUP:-}" "$@" \
	    >/dev/null 2>&1
}

# Every case, in the sandboxes of tests/e2e/t_sshd.sh and the rest.
NOHK="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
KEY="-o BatchMode=yes -o IdentitiesOnly=yes -i $CKEY"

capture_all() {
	R="$T/ok"; sandbox "$R"
	capture ok "$R" -- $NOHK $KEY
	R="$T/hkgone"; sandbox "$R"; rm -f "$R"/etc/ssh/ssh_host_*
	capture hostkeys-gone "$R" -- $NOHK $KEY
	R="$T/home777"; sandbox "$R"; chmod 0777 "$R/home/alice"
	capture home-perms "$R" -- $NOHK $KEY
	R="$T/ok"
	cp "$CKEY" "$T/open_key"; chmod 0644 "$T/open_key"
	capture unprotected-key "$R" -- $NOHK -o BatchMode=yes \
	    -o IdentitiesOnly=yes -i "$T/open_key"
	capture no-identity "$R" -- $NOHK -o BatchMode=yes \
	    -o IdentitiesOnly=yes -i "$T/no_such_key"
	printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cat "$CKEY.pub" |
	    cut -d' ' -f1,2)" >"$T/known_hosts"
	capture hostkey-changed "$R" -- -o StrictHostKeyChecking=yes \
	    -o UserKnownHostsFile="$T/known_hosts" $KEY
	R="$T/nopw"; sandbox "$R"
	echo 'PasswordAuthentication no' \
	    >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
	capture password-disabled "$R" -- $NOHK -o BatchMode=yes \
	    -o PubkeyAuthentication=no -o PreferredAuthentications=password
	R="$T/dsa"; sandbox "$R"; rm -f "$R"/etc/ssh/ssh_host_*
	ssh-keygen -q -t dsa -N '' -C '' -f "$R/etc/ssh/ssh_host_dsa_key"
	echo "HostKey /etc/ssh/ssh_host_dsa_key" \
	    >"$R/etc/ssh/sshd_config.d/10-keys.conf"
	capture dsa-only "$R" -- $NOHK $KEY
	echo 'HostKeyAlgorithms +ssh-dss' \
	    >"$R/etc/ssh/sshd_config.d/20-dss.conf"
	capture dsa-offered "$R" -- $NOHK $KEY
	R="$T/home777"
	VERB=-vvv capture home-perms-vvv "$R" -- $NOHK $KEY
	R="$T/ok"
	capture refused "$R" down -- $NOHK $KEY
	R="$T/startups"; sandbox "$R"
	echo 'MaxStartups 1:100:1' >"$R/etc/ssh/sshd_config.d/10-m.conf"
	HOLD=1 capture maxstartups "$R" -- $NOHK $KEY
	R="$T/rootpw"; sandbox "$R"; set_password "$R" root
	printf '#!/bin/sh\necho %s\n' "$PASSWORD" >"$T/askpass"
	chmod 0755 "$T/askpass"
	export SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force
	CUSER=root capture password-rejected "$R" -- $NOHK \
	    -o PubkeyAuthentication=no -o PreferredAuthentications=password \
	    -o NumberOfPasswordPrompts=2
	unset SSH_ASKPASS SSH_ASKPASS_REQUIRE
	R="$T/tries"; sandbox "$R"
	echo 'MaxAuthTries 2' >"$R/etc/ssh/sshd_config.d/10-m.conf"
	for i in 1 2 3; do
		[ -f "$T/other$i" ] ||
		    ssh-keygen -q -t ed25519 -N '' -C '' -f "$T/other$i"
	done
	capture too-many-keys "$R" -- $NOHK -o BatchMode=yes \
	    -o IdentitiesOnly=yes -i "$T/other1" -i "$T/other2" \
	    -i "$T/other3" -i "$CKEY"
}

# Connections that never reach an sshd: the name, the route, a drop.
capture_network() {
	R="$T/net"; sandbox "$R"
	HOST=nosuch.invalid capture resolve-failed "$R" down -- $NOHK $KEY
	HOST=10.9.9.2 capture net-unreachable "$R" down -- $NOHK $KEY
	HOST=10.9.9.2 SETUP="ip route add unreachable 10.9.9.0/24" \
	    capture no-route "$R" down -- $NOHK $KEY
	# Sent back in on loopback to an address nobody has: dropped.
	HOST=10.9.9.2 SETUP="ip route add 10.9.9.0/24 dev lo" \
	    capture timeout "$R" down -- $NOHK $KEY
	# A firewall's reject over IPv6 (firewalld's answer: an ICMPv6
	# "administratively prohibited"): connect says Permission denied.
	printf 'table inet f {\n\tchain i {\n\t\ttype filter hook input priority 0;\n\t\ttcp dport %s reject with icmpx admin-prohibited\n\t}\n}\n' \
	    "$PORT" >"$T/v6-prohibited.nft"
	HOST=::1 SETUP="nft -f $T/v6-prohibited.nft" \
	    capture v6-prohibited "$R" down -- $NOHK $KEY
	# sshd runs, then loses /run/sshd (tmpfs cleaned): its banner, then
	# each connection's child cannot chroot and closes.
	SETUP="rmdir /run/sshd" capture privsep-gone "$R" -- $NOHK $KEY
}

# No mutual algorithm: the server's sshd_config (an old server's offer),
# or the client's own -o.
capture_algorithms() {
	R="$T/alg"; sandbox "$R"
	A="$R/etc/ssh/sshd_config.d/10-alg.conf"
	echo 'KexAlgorithms diffie-hellman-group14-sha1' >"$A"
	capture no-kex "$R" -- $NOHK $KEY
	echo 'HostKeyAlgorithms ssh-ed25519' >"$A"
	capture hostkey-type-client "$R" -- $NOHK $KEY \
	    -o HostKeyAlgorithms=rsa-sha2-512
	echo 'Ciphers aes256-cbc' >"$A"
	capture no-cipher "$R" -- $NOHK $KEY
	printf 'Ciphers aes128-ctr\nMACs hmac-md5\n' >"$A"
	capture no-mac "$R" -- $NOHK $KEY
	rm -f "$A"
}

# Run by hand: the data set, into DIR.
case "$0" in
*explain_capture.sh)
	CAP=${1:?usage: explain_capture.sh DIR}
	mkdir -p "$CAP"
	capture_all
	capture_network
	capture_algorithms
	if [ -x /var/cache/sshfix-test/openssh-7.4p1/bin/ssh ]; then
		R="$T/home777"
		SSH=/var/cache/sshfix-test/openssh-7.4p1/bin/ssh capture \
		    74-home-perms "$R" -- $NOHK $KEY
		R="$T/ok"
		SSH=/var/cache/sshfix-test/openssh-7.4p1/bin/ssh capture \
		    74-refused "$R" down -- $NOHK $KEY
		# An old client, a new server's only key exchange method.
		R="$T/alg"
		echo 'KexAlgorithms sntrup761x25519-sha512@openssh.com' \
		    >"$R/etc/ssh/sshd_config.d/10-alg.conf"
		SSH=/var/cache/sshfix-test/openssh-7.4p1/bin/ssh capture \
		    74-no-kex "$R" -- $NOHK $KEY
		rm -f "$R/etc/ssh/sshd_config.d/10-alg.conf"
	fi
	# 10.0's client has no DSA at all.
	if [ -x /var/cache/sshfix-test/openssh-10.0p2/bin/ssh ]; then
		SSH=/var/cache/sshfix-test/openssh-10.0p2/bin/ssh capture \
		    10-dsa-offered "$T/dsa" -- $NOHK $KEY
	fi
	;;
esac
