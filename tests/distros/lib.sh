# The distros harness (sourced by t_distros.sh): a real Debian root
# (build.sh) unpacked into $T, judged by that root's own /usr/sbin/sshd
# run chrooted into a copy-on-write overlay of it (its writes land in a
# scratch upper layer, so the tree sshfix sees is only what the test and
# sshfix change), in private mount, pid and net namespaces with /proc,
# /dev and a tmpfs /run; the host's ssh client logs in over loopback.

. "$SSHFIX_TOP/tests/e2e/lib.sh"
. "$SSHFIX_TOP/tests/distros/build.sh"

# distro_root SUITE DIR: unpack the suite's root into DIR, with the
# client key for alice and root. 1 (a reason on stderr) if unavailable.
distro_root() {
	_tar=$(distro_tar "$1") || return 1
	rm -rf "$2" && mkdir -p "$2" &&
	    tar -C "$2" --numeric-owner -xpf "$_tar" || return 1
	cp "$CKEY.pub" "$2/home/alice/.ssh/authorized_keys"
	cp "$CKEY.pub" "$2/root/.ssh/authorized_keys"
	chown 1000:1000 "$2/home/alice/.ssh/authorized_keys"
}

# fingerprint DIR: every path's type, mode and owner, every file's size
# and content, sshfix's own state aside.
fingerprint() {
	(cd "$1" && find . -path ./var/lib/sshfix -prune -o \
	    \( -path ./proc -o -path ./dev -o -path ./sys \) -prune -o \
	    -type f -printf '%y %m %U:%G %s %p\n' -o \
	    -printf '%y %m %U:%G %p -> %l\n' | sort) >"$T/fp.list"
	(cd "$1" && find . -path ./var/lib/sshfix -prune -o \
	    \( -path ./proc -o -path ./dev -o -path ./sys \) -prune -o \
	    -type f -print0 | sort -z | xargs -0 sha256sum) >>"$T/fp.list"
	sha256sum <"$T/fp.list" | cut -d' ' -f1
}

# dattempt DIR USER key|password|sftp: start DIR's own sshd (chrooted into an
# overlay of DIR), try one login, stop it. Sets LOGIN (0 logged in), LOG.
# DISTRO_ASCONFIG=1: sshd listens where its config says, without IPv6;
# DISTRO_KEY: the client's key (else $CKEY), with its KEY-cert.pub if any.
# DISTRO_FW: behind the root's own firewall: the namespace gets eth0
# (198.51.100.10), a veth pair to a client namespace at DISTRO_FROM (else
# 192.0.2.50); DISTRO_FW (shell, $M the root as sshd sees it) starts what
# the boot would start (its own nft, ufw-init, fail2ban-server, or
# dbus-daemon and firewalld) before sshd listens as its config says (port
# 22); the client logs in over eth0.
dattempt() {
	rm -rf "$T/ov" && mkdir -p "$T/ov/up" "$T/ov/work" "$T/ov/m"
	cat >"$T/askpass" <<A
#!/bin/sh
echo '$DISTRO_PW'
A
	chmod 0755 "$T/askpass"
	rm -f "$T/login.rc" "$T/says"
	unshare -m -n -p -f sh -c '
		R=$1 T=$2 U=$3 HOW=$4 PORT=$5 CKEY=$6
		. "$7"
		M=$T/ov/m
		mount --make-rprivate / || exit 90
		mount -t overlay overlay -o \
		    "lowerdir=$R,upperdir=$T/ov/up,workdir=$T/ov/work" "$M" ||
		    exit 91
		mount -t proc proc "$M/proc" || exit 92
		mount --rbind /dev "$M/dev" || exit 93
		mount -t tmpfs -o mode=0755 tmpfs "$M/run" || exit 94
		mkdir -m 0755 "$M/run/sshd"
		ip link set lo up || exit 95
		# 127.0.0.1, unless sshd listens as its config says, with
		# no IPv6 (the namespace holds nothing but loopback).
		set -- -o ListenAddress=127.0.0.1
		if [ -n "${DISTRO_ASCONFIG:-}" ]; then
			echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
			set --
		fi
		FROM=${DISTRO_FROM:-192.0.2.50}
		if [ -n "${DISTRO_FW:-}" ]; then
			# The client namespace: named in /run/netns, which
			# other runs share (the pid outside, not 1).
			C=dfwc$8
			trap "ip netns del $C 2>/dev/null" EXIT
			. "$SSHFIX_TOP/tests/distros/fw.sh" &&
			    fw_veth $C "$FROM" || exit 97
			eval "$DISTRO_FW" || exit 98
			set --
			PORT=22
		fi
		chroot "$M" /usr/sbin/sshd -D -E /sshd.log "$@" \
		    -o Port="$PORT" 2>>"$T/ov/early.log" & pid=$!
		i=0
		while [ $i -lt 50 ] && kill -0 $pid 2>/dev/null &&
		    ! grep -q "Server listening" "$M/sshd.log" 2>/dev/null; do
			sleep 0.1; i=$((i + 1))
		done
		if [ -n "${DISTRO_FW:-}" ]; then
			ip netns exec $C ssh -F /dev/null -o LogLevel=ERROR \
			    -o StrictHostKeyChecking=no -o BatchMode=yes \
			    -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
			    -o IdentitiesOnly=yes -i "$CKEY" \
			    "$U@198.51.100.10" true </dev/null 2>"$T/says"
		else
			client_try "$PORT" "$U" "$HOW" "$CKEY" "$T/askpass"
		fi
		echo $? >"$T/login.rc"
		sleep 0.2
		kill $pid 2>/dev/null; wait $pid 2>/dev/null
		[ -z "${f2b:-}" ] || { kill $f2b; wait $f2b; } 2>/dev/null
		[ -z "${fwd:-}" ] || { kill $fwd; wait $fwd; } 2>/dev/null
		[ -z "${fwd_bus:-}" ] ||
		    { kill $fwd_bus; wait $fwd_bus; } 2>/dev/null
		cp "$M/sshd.log" "$T/ov/sshd.log" 2>/dev/null
	' _ "$1" "$T" "$2" "$3" "$PORT" "${DISTRO_KEY:-$CKEY}" \
	    "$SSHFIX_TOP/tests/e2e/mounts.sh" $$ >"$T/attempt.out" 2>&1
	LOGIN=$(cat "$T/login.rc" 2>/dev/null || echo 99)
	LOG=$(cat "$T/ov/early.log" "$T/ov/sshd.log" 2>/dev/null)
	SAYS=$(cat "$T/says" 2>/dev/null)
}
# says TEXT: the client's complaint (DISTRO_FW's attempts) holds TEXT.
says() { printf '%s' "$SAYS" | grep -qF -- "$1"; }

# dlive DIR SCRIPT: SCRIPT (shell, eval'd) run in private mount, pid and
# net namespaces around DIR itself, as on the machine running: /proc,
# /dev, a tmpfs /run, loopback up; DIR's writes (its sshd's log) stay in
# DIR. In SCRIPT: sshd_up [OPTS] starts DIR's own sshd chrooted (log in
# DIR/sshd.log; 1 if it is not listening within 5 s), sshd_down stops
# it; try USER key|password [KEY] is one login (client_try on $PORT);
# every process it starts is stopped by its pid.
dlive() {
	unshare -m -n -p -f sh -c '
		R=$1 T=$2 PORT=$3 CKEY=$4
		. "$5"
		mount --make-rprivate / || exit 90
		mount -t proc proc "$R/proc" || exit 92
		mount --rbind /dev "$R/dev" || exit 93
		mount -t tmpfs -o mode=0755 tmpfs "$R/run" || exit 94
		mkdir -m 0755 "$R/run/sshd"
		ip link set lo up || exit 95
		sp=
		sshd_up() {
			: >"$R/sshd.log"
			chroot "$R" /usr/sbin/sshd -D -E /sshd.log "$@" & sp=$!
			_i=0
			while [ $_i -lt 50 ] && kill -0 $sp 2>/dev/null; do
				grep -q "Server listening" "$R/sshd.log" &&
				    return 0
				sleep 0.1; _i=$((_i + 1))
			done
			return 1
		}
		sshd_down() {
			[ -z "$sp" ] || { kill $sp 2>/dev/null; wait $sp 2>/dev/null; }
			sp=
		}
		try() { client_try "$PORT" "$1" "$2" "${3:-$CKEY}" "$T/askpass"; }
		eval "$6"
		sshd_down
	' _ "$1" "$T" "$PORT" "$CKEY" "$SSHFIX_TOP/tests/e2e/mounts.sh" "$2" \
	    >"$T/live.out" 2>&1
}
