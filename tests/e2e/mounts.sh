# Sourced inside "unshare -m -n": put sandbox $1 over the running system's
# paths (and the extra directories named after it), give sshd a private
# /run, and bring up loopback, the only interface of the namespace.
sandbox_mounts() {
	S=$1
	shift
	mount --make-rprivate / || exit 90
	for p in etc/ssh home root "$@"; do
		mount --bind "$S/$p" "/$p" || exit 91
	done
	for f in passwd group shadow; do
		mount --bind "$S/etc/$f" "/etc/$f" || exit 92
	done
	mount -t tmpfs -o mode=0755 tmpfs /run && mkdir -m 0755 /run/sshd
	ip link set lo up || exit 93
}

# client_try PORT USER key|password|keypw|sftp KEY ASKPASS: one login with
# the host's ssh to USER@127.0.0.1 (keypw: the key, then the password;
# sftp: its sftp client with the key, no command, as into an sftp-only
# jail; E2E_SSH_OPTS: more client options);
# its status.
client_try() {
	_u=$2 _how=$3 _key=$4 _ask=$5 _port=$1
	set -- -F /dev/null -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
	    -o LogLevel=ERROR
	if [ "$_how" = sftp ]; then
		# shellcheck disable=SC2086 # options, split on purpose
		sftp "$@" -P "$_port" -o BatchMode=yes -o IdentitiesOnly=yes \
		    ${E2E_SSH_OPTS:-} -i "$_key" -b /dev/null "$_u@127.0.0.1" \
		    </dev/null
		return
	fi
	set -- "$@" -p "$_port"
	if [ "$_how" = keypw ]; then
		# The key, then the password (AuthenticationMethods
		# publickey,password).
		SSH_ASKPASS="$_ask" SSH_ASKPASS_REQUIRE=force \
		    ssh "$@" -o IdentitiesOnly=yes -i "$_key" \
		    -o PreferredAuthentications=publickey,password \
		    -o NumberOfPasswordPrompts=1 "$_u@127.0.0.1" true \
		    </dev/null
	elif [ "$_how" = key ]; then
		# shellcheck disable=SC2086 # options, split on purpose
		ssh "$@" -o BatchMode=yes -o IdentitiesOnly=yes \
		    ${E2E_SSH_OPTS:-} -i "$_key" "$_u@127.0.0.1" true </dev/null
	else
		SSH_ASKPASS="$_ask" SSH_ASKPASS_REQUIRE=force \
		    ssh "$@" -o PubkeyAuthentication=no \
		    -o PreferredAuthentications=password \
		    -o NumberOfPasswordPrompts=1 "$_u@127.0.0.1" true \
		    </dev/null
	fi
}
