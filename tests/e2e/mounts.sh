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
