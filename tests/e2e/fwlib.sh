# The host-firewall end-to-end harness (sourced after tests/e2e/lib.sh):
# the real sshd in a network namespace behind a ruleset its loader put
# there, the real client in another, joined by a veth pair.

SRV4=198.51.100.10 SRV6=2001:db8:1::10

# fw_missing CMD...: why these tests cannot run here, or nothing.
fw_missing() {
	_why=$(e2e_missing)
	for _c in "$@"; do
		[ -n "$_why" ] || command -v "$_c" >/dev/null 2>&1 ||
		    _why="no $_c (make deps)"
	done
	[ -n "$_why" ] || ip netns list >/dev/null 2>&1 || _why="no ip netns"
	# sshfix's judge needs a user namespace (none in a chroot:
	# check-fresh).
	[ -n "$_why" ] || unshare -U -r -n true 2>/dev/null ||
	    _why="no user namespaces here (a chroot?)"
	echo "$_why"
}

# through DIR LOADER RULES FROM [PORT]: sshd on DIR in namespace S with
# RULES loaded by LOADER (nft, iptables-restore, ip6tables-restore), alice
# logs in with her key from FROM in namespace C. Sets LOGIN (0: in) and
# SAYS (the client's complaint).
through() {
	unshare -m sh -c '
		S=$1 T=$2 LOADER=$3 RULES=$4 FROM=$5 PORT=$6 SSHD=$7
		. "$8"
		# Named in /run/netns, which other runs share.
		NS=fws$9 NC=fwc$9
		sandbox_mounts "$S"
		ip netns add $NS && ip netns add $NC || exit 90
		trap "ip netns del $NS; ip netns del $NC" EXIT
		ip link add eth0 netns $NS type veth peer name c0 netns $NC
		for n in $NS $NC; do ip -n $n link set lo up; done
		ip -n $NS link set eth0 up; ip -n $NC link set c0 up
		case $FROM in
		*:*)	SRV='"$SRV6"'
			ip -n $NS -6 addr add $SRV/128 dev eth0 nodad
			ip -n $NC -6 addr add $FROM/128 dev c0 nodad
			ip -n $NS -6 route add default dev eth0
			ip -n $NC -6 route add default dev c0 ;;
		*)	SRV='"$SRV4"'
			ip -n $NS addr add $SRV/32 dev eth0
			ip -n $NC addr add $FROM/32 dev c0
			ip -n $NS route add default dev eth0
			ip -n $NC route add default dev c0 ;;
		esac
		ip netns exec $NS $LOADER <"$RULES" || exit 91
		ip netns exec $NS "$SSHD" -D -E "$T/sshd.log" -o Port="$PORT" \
		    2>>"$T/sshd.log" & pid=$!
		trap "kill $pid; wait $pid; ip netns del $NS; ip netns del $NC" EXIT
		i=0
		while [ $i -lt 50 ] && kill -0 $pid 2>/dev/null &&
		    ! grep -q "Server listening" "$T/sshd.log" 2>/dev/null; do
			sleep 0.1; i=$((i + 1))
		done
		ip netns exec $NC ssh -F /dev/null -o StrictHostKeyChecking=no \
		    -o UserKnownHostsFile=/dev/null -o ConnectTimeout=3 \
		    -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/client_key" \
		    -p "$PORT" "alice@$SRV" true </dev/null 2>"$T/says"
		echo $? >"$T/login.rc"
	' _ "$1" "$T" "$2" "$3" "$4" "${5:-22}" "$SSHD" \
	    "$SSHFIX_TOP/tests/e2e/mounts.sh" $$ >"$T/through.out" 2>&1
	# shellcheck disable=SC2034 # the caller's
	LOGIN=$(cat "$T/login.rc" 2>/dev/null || echo 99)
	SAYS=$(cat "$T/says" 2>/dev/null)
	rm -f "$T/login.rc" "$T/says" "$T/sshd.log"
}
says() { printf '%s' "$SAYS" | grep -qF -- "$1"; }
fwfind() {
	printf '%s' "$OUT" | jq -r '[.findings[] | select(.id ==
	    "host-firewall")][0].'"$1"' // empty'
}
no_fw() { ! has_id host-firewall; }
