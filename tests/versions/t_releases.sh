# make check-versions: the end-to-end fault scenarios (tests/e2e/t_sshd.sh
# and its kin) judged by the real login against one sshd release,
# SSHFIX_RELEASE: "debian" (this host's /usr/sbin/sshd, Debian's patch
# set) or an upstream release built by tests/versions/openssh.sh (7.4p1,
# 8.0p1, 8.9p1, 9.6p1, 10.0p2). The target root carries that sshd as
# ROOT/usr/sbin/sshd (sshfix reads its version there) and, for upstream,
# an os-release without Debian's patch (Arch Linux ships upstream
# OpenSSH), so the expected verdict follows the release: a home 0775 with
# the user's private group is a fault upstream and a negative control on
# Debian. Each scenario: refused with the release's log line, the dry run
# finds it, --apply, login works, --rollback, refused again (lib.sh).
# Then what differs by release: keywords a release does not know, a DSA
# host key only, +ssh-dss, PerSourcePenalties on 10.x.
. "$SSHFIX_TOP/tests/e2e/lib.sh"
. "$SSHFIX_TOP/tests/versions/openssh.sh"

REL=${SSHFIX_RELEASE:-debian}
why=$(e2e_missing)
if [ -z "$why" ] && [ "$REL" != debian ] &&
    ! P=$(openssh_build "$REL" 2>"$T/why"); then
	why=$(head -1 "$T/why")
fi
if [ -n "$why" ]; then
	skip "OpenSSH $REL: every scenario" "$why"
	exit 0
fi

# What the release accepts and logs (fault-model.md section 7).
INCLUDE=yes		# sshd_config Include (8.2 and later)
CLOSED="Connection closed by authenticating user alice"
case $REL in
7.4p1|8.0p1) INCLUDE=no ;;
esac
[ "$REL" = 7.4p1 ] && CLOSED="Connection closed by 127.0.0.1 port"
if [ "$REL" != debian ]; then
	SSHD="$P/sbin/sshd"
	# The build's sysconfdir is /etc/ssh, the sandbox's: sshd reads
	# /etc/ssh/sshd_config as a packaged one does (its log lines name
	# the paths sshfix names).
	export E2E_SSHD_OPTS="-f /etc/ssh/sshd_config"
fi
not() { ! "$@"; }
clean() { [ "$RC" -eq 0 ] && no_ids; }

# vbox DIR: a healthy sandbox (lib.sh) made for the release: its sshd at
# ROOT/usr/sbin/sshd with its libraries, /tmp and /dev; upstream: Arch's
# os-release, no PAM (alice's "!" would be a locked account: "*"),
# explicit HostKey lines, ed25519 only on 7.4p1 (built without OpenSSL);
# 7.4p1 and 8.0p1: no Include, no KbdInteractiveAuthentication (neither
# known to them).
vbox() {
	sandbox "$1"
	copy_sshd "$1"
	mkdir -p "$1/tmp" "$1/dev"	# sshfix runs this sshd -t chrooted
	[ "$REL" = debian ] && return 0
	openssh_root "$1" "$P"
	sed -i 's/^alice:!:/alice:*:/' "$1/etc/shadow"
	sed -i '/^UsePAM/d' "$1/etc/ssh/sshd_config"
	[ "$REL" != 7.4p1 ] || rm -f "$1"/etc/ssh/ssh_host_rsa_key* \
	    "$1"/etc/ssh/ssh_host_ecdsa_key*
	for k in "$1"/etc/ssh/ssh_host_*_key; do
		echo "HostKey /etc/ssh/${k##*/}"
	done >>"$1/etc/ssh/sshd_config"
	if [ "$INCLUDE" = no ]; then
		sed -i '/^Include/d; s/^KbdInteractiveAuthentication/ChallengeResponseAuthentication/' \
		    "$1/etc/ssh/sshd_config"
	fi
}

# dropin DIR NAME TEXT: TEXT in a drop-in, or at the end of sshd_config
# where the release has no Include. Sets CONF to the file it went to.
dropin() {
	CONF="$1/etc/ssh/sshd_config"
	[ "$INCLUDE" = no ] || CONF="$1/etc/ssh/sshd_config.d/$2.conf"
	printf '%s\n' "$3" >>"$CONF"
}

R="$T/healthy"; vbox "$R"
attempt "$R" alice key
check "$REL healthy: alice logs in with her key" logged_in
[ "$LOGIN" -eq 0 ] || printf '%s\n' "$LOG" | tail -5 | sed 's/^/# /'
attempt "$R" root key
check "$REL healthy: root logs in with a key" logged_in
run --root "$R" --dry-run --json
check "$REL healthy: dry run exits 0, no findings" clean
[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | head -c 600 | sed 's/^/# /'

R="$T/roothome"; vbox "$R"; chmod 0777 "$R/root"
scenario "$REL root home 0777" "$R" root key \
    "Authentication refused: bad ownership or modes for directory /root" \
    home-perms

R="$T/shared"; vbox "$R"; chgrp users "$R/home/alice"; chmod 0775 "$R/home/alice"
scenario "$REL home 0775, shared group" "$R" alice key \
    "Authentication refused: bad ownership or modes for directory /home/alice" \
    home-perms

# Debian's patch accepts group write by the user's private group with no
# other member; upstream (every release) refuses it.
R="$T/private"; vbox "$R"; chmod 0775 "$R/home/alice"
if [ "$REL" = debian ]; then
	attempt "$R" alice key
	check "$REL home 0775, private group: sshd accepts it" logged_in
	run --root "$R" --apply
	check "$REL home 0775, private group: apply changes nothing" sh -c \
	    "[ $RC -eq 0 ] && [ \"\$(stat -c %a '$R/home/alice')\" = 775 ]"
else
	scenario "$REL home 0775, private group" "$R" alice key \
	    "Authentication refused: bad ownership or modes for directory /home/alice" \
	    home-perms
fi

# The patch is the binary's, not the distribution's: an upstream sshd
# built on a Debian root (its version names no "Debian-") refuses it too.
if [ "$REL" != debian ]; then
	R="$T/debupstream"; vbox "$R"; chmod 0775 "$R/home/alice"
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' \
	    >"$R/etc/os-release"
	scenario "$REL on Debian, home 0775, private group" "$R" alice key \
	    "Authentication refused: bad ownership or modes for directory /home/alice" \
	    home-perms
fi

R="$T/sshdir"; vbox "$R"; chmod 0777 "$R/home/alice/.ssh"
scenario "$REL ~/.ssh 0777" "$R" alice key \
    "Authentication refused: bad ownership or modes for directory /home/alice/.ssh" \
    sshdir-perms

R="$T/hk777"; vbox "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*_key
scenario "$REL host keys 0777" "$R" alice key \
    "sshd: no hostkeys available -- exiting." hostkey-perms

R="$T/hkgone"; vbox "$R"; rm -f "$R"/etc/ssh/ssh_host_*
scenario "$REL all host keys deleted" "$R" alice key \
    "sshd: no hostkeys available -- exiting." hostkey-missing

R="$T/nokeys"; vbox "$R"
rm "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
dropin "$R" 50-cloud-init 'PasswordAuthentication no'
scenario "$REL no keys, PasswordAuthentication no (--authorized-key)" "$R" \
    alice key "$CLOSED" auth-lockout --user alice --authorized-key "$CKEY.pub"

R="$T/inet6"; vbox "$R"
dropin "$R" 20-v6 'AddressFamily inet6'
printf 'net.ipv6.conf.all.disable_ipv6 = 1\n' >"$R/etc/sysctl.d/90-no-ipv6.conf"
scenario "$REL AddressFamily inet6, IPv6 disabled" "$R" alice key \
    "Server listening on :: port $PORT." address-family noipv6

R="$T/allow"; vbox "$R"
dropin "$R" 50-access 'AllowUsers bob'
scenario "$REL AllowUsers bob" "$R" alice key \
    "User alice from 127.0.0.1 not allowed because not listed in AllowUsers" \
    access-list --user alice --from 127.0.0.1

# Without --user: the person's account from this release's own log line
# (as rsyslog writes it to /var/log/auth.log).
R="$T/allowlog"; vbox "$R"
dropin "$R" 50-access 'AllowUsers bob'
attempt "$R" alice key
check "$REL AllowUsers bob, no --user: login fails" refused
mkdir -p "$R/var/log"
printf '%s\n' "$LOG" | grep 'not allowed because' |
    sed "s/^/$(date '+%b %e %H:%M:%S') host sshd[4242]: /" >"$R/var/log/auth.log"
run --root "$R" --dry-run --json --from 127.0.0.1
jscheck "$REL AllowUsers bob, no --user: alice the target from sshd's log" \
    'f["access-list"]["subject"] == "alice" and acc["alice"]["target"] and
    "sshd'"'"'s log" in acc["alice"]["evidence"]'
run --root "$R" --apply --from 127.0.0.1
attempt "$R" alice key
check "$REL AllowUsers bob, no --user: --apply lets alice in" logged_in
run --root "$R" --rollback
attempt "$R" alice key
check "$REL AllowUsers bob, no --user: refused again after --rollback" refused

# sshd_config deleted: sshd does not start; the package's default (here
# the root's own, moved to where Debian keeps it) is put back.
R="$T/noconf"; vbox "$R"
mkdir -p "$R/usr/share/openssh"
mv "$R/etc/ssh/sshd_config" "$R/usr/share/openssh/sshd_config"
scenario "$REL sshd_config deleted" "$R" alice key \
    "/etc/ssh/sshd_config: No such file or directory" sshd-absent

R="$T/rootno"; vbox "$R"
mkdir -p "$R/bin"; printf '#!/bin/sh\n' >"$R/bin/bash"; chmod 0755 "$R/bin/bash"
printf '/bin/bash\n' >"$R/etc/shells"
dropin "$R" 50-root 'PermitRootLogin no'
scenario "$REL PermitRootLogin no" "$R" root key \
    "ROOT LOGIN REFUSED FROM 127.0.0.1" root-login --user root --from 127.0.0.1

R="$T/typo"; vbox "$R"
dropin "$R" 10-typo 'PasswordAuthentcation no'
scenario "$REL misspelled keyword" "$R" alice key \
    "${CONF#"$R"}: line $(wc -l <"$CONF"): Bad configuration option: PasswordAuthentcation" \
    config-invalid

# Keywords this release's sshd does not know, written by a newer tool or
# copied from a newer machine: sshd does not start (config-invalid); a
# release that knows them accepts them (a negative control).
kw() {	# kw NAME LINE KNOWN(yes|no): LINE at the end of sshd_config
	R="$T/kw-$1"; vbox "$R"
	printf '%s\n' "$2" >>"$R/etc/ssh/sshd_config"
	n=$(wc -l <"$R/etc/ssh/sshd_config")
	if [ "$3" = no ]; then
		scenario "$REL $1 (unknown to $REL)" "$R" alice key \
		    "/etc/ssh/sshd_config: line $n: Bad configuration option: ${2%% *}" \
		    config-invalid
	else
		attempt "$R" alice key
		check "$REL $1: sshd accepts it, alice logs in" logged_in
		run --root "$R" --dry-run --json
		check "$REL $1: dry run exits 0, no findings" clean
	fi
}
# 8.2 added both to sshd_config.
kw PubkeyAcceptedAlgorithms 'PubkeyAcceptedAlgorithms ssh-ed25519' $INCLUDE
kw Include 'Include /etc/ssh/sshd_config.d/*.conf' $INCLUDE
# 9.8 added PerSourcePenalties (the advice for a penalised source).
PENALTIES=no
case $REL in 10.*) PENALTIES=yes ;; esac
kw PerSourcePenaltyExemptList 'PerSourcePenaltyExemptList 127.0.0.1' $PENALTIES
# The old name works on every release.
R="$T/kw-old"; vbox "$R"
printf 'PubkeyAcceptedKeyTypes ssh-ed25519\n' >>"$R/etc/ssh/sshd_config"
attempt "$R" alice key
check "$REL PubkeyAcceptedKeyTypes: sshd accepts it, alice logs in" logged_in
run --root "$R" --dry-run --json
check "$REL PubkeyAcceptedKeyTypes: dry run exits 0, no findings" clean

# A DSA host key only: before 10.0 sshd starts and no key exchange
# succeeds; 10.0 has no DSA and exits. 7.4p1 built without OpenSSL loads
# no DSA key at all (CentOS 7's, with OpenSSL, does): not measured here.
if [ "$REL" = 7.4p1 ]; then
	skip "$REL DSA host key only" "built without OpenSSL: no DSA"
else
	R="$T/dsa"; vbox "$R"
	rm -f "$R"/etc/ssh/ssh_host_*
	sed -i '/^HostKey/d' "$R/etc/ssh/sshd_config"
	ssh-keygen -q -t dsa -N '' -C '' -f "$R/etc/ssh/ssh_host_dsa_key"
	dropin "$R" 10-keys 'HostKey /etc/ssh/ssh_host_dsa_key'
	# Debian's 9.2p1 and upstream word the failed key exchange apart.
	case $REL in
	10.*) LINE="sshd: no hostkeys available -- exiting." ;;
	debian) LINE="No supported key exchange algorithms [preauth]" ;;
	*) LINE=": no matching host key type found. Their offer: " ;;
	esac
	scenario "$REL DSA host key only" "$R" alice key "$LINE" hostkey-missing
fi

# ssh-dss in an algorithm list: 10.0 refuses to start ("Bad key types");
# earlier releases accept it (the old keyword name: every release has it).
# 7.4p1 without OpenSSL refuses it too (CentOS 7's does not): not measured.
R="$T/plusdss"; vbox "$R"
printf 'PubkeyAcceptedKeyTypes +ssh-dss\n' >>"$R/etc/ssh/sshd_config"
case $REL in
7.4p1)
	skip "$REL PubkeyAcceptedKeyTypes +ssh-dss" \
	    "built without OpenSSL: no DSA, \"Bad key types '+ssh-dss'.\""
	;;
10.*)
	scenario "$REL PubkeyAcceptedKeyTypes +ssh-dss" "$R" alice key \
	    "Bad key types '+ssh-dss'" config-invalid
	;;
*)
	attempt "$R" alice key
	check "$REL PubkeyAcceptedKeyTypes +ssh-dss: sshd accepts it, alice logs in" logged_in
	run --root "$R" --dry-run --json
	check "$REL PubkeyAcceptedKeyTypes +ssh-dss: dry run exits 0, no findings" clean
	;;
esac

# OpenSSH 10's helpers (9.8 split off sshd-session, 10.0 sshd-auth), at
# the paths compiled into the build's sshd (the sandbox's copies mounted
# over the build's libexec): sshd stats both at start and exits, and
# sshd -t does not look. sshd-session 0644 (a chmod -R gone wrong):
# --apply mends the mode. sshd-auth deleted: the dry run names it for a
# reinstall; put back by hand, alice logs in (the negative control).
case $REL in
10.*)
	export E2E_MOUNTS="${P#/}/libexec"
	HELPER="$P/libexec/sshd-session"
	R="$T/helpmode"; vbox "$R"; chmod 0644 "$R$HELPER"
	scenario "$REL sshd-session 0644" "$R" alice key \
	    "$HELPER does not exist or is not executable" sshd-binary
	HELPER="$P/libexec/sshd-auth"
	R="$T/helpgone"; vbox "$R"; mv "$R$HELPER" "$T/sshd-auth.kept"
	refused_as "$REL sshd-auth deleted" sshd-binary \
	    "$HELPER does not exist or is not executable"
	check "$REL sshd-auth deleted: the subject is the compiled path" \
	    out_has "\"subject\":\"$HELPER\""
	mv "$T/sshd-auth.kept" "$R$HELPER"
	attempt "$R" alice key
	check "$REL sshd-auth put back: alice logs in" logged_in
	run --root "$R" --dry-run --json
	check "$REL sshd-auth put back: dry run exits 0, no findings" clean
	unset E2E_MOUNTS
	;;
esac

# PerSourcePenalties (10.x, on by default): the same sshd, after failed
# logins from one address, drops that address for a while, so a fix is
# not seen by the client that tried; PerSourcePenaltyExemptList spares it.
# penalised DIR: sshd started once on DIR (alice's home 0777), FAILS
# refused logins, the home fixed (chmod, as --apply would), one more
# login. Sets LOGIN (the last one), LOG, CLIENT (its ssh's stderr).
penalised() {
	rm -f "$T/sshd.log" "$T/login.rc" "$T/client.err"
	unshare -m -n sh -c '
		S=$1 T=$2 SSHD=$3
		. "$4"
		sandbox_mounts "$S"
		"$SSHD" -D -E "$T/sshd.log" ${E2E_SSHD_OPTS:-} \
		    -o Port=2222 -o ListenAddress=127.0.0.1 & pid=$!
		trap "kill $pid 2>/dev/null; wait $pid 2>/dev/null" EXIT
		i=0
		while [ $i -lt 50 ] && ! grep -q "Server listening" \
		    "$T/sshd.log" 2>/dev/null; do
			sleep 0.1; i=$((i + 1))
		done
		login() {
			ssh -F /dev/null -o StrictHostKeyChecking=no \
			    -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
			    -o BatchMode=yes -o IdentitiesOnly=yes \
			    -i "$T/client_key" -p 2222 alice@127.0.0.1 true \
			    </dev/null 2>"$T/client.err"
		}
		for i in 1 2 3 4 5 6; do login; done
		chmod 0755 "$S/home/alice"
		sleep 0.5
		login
		echo $? >"$T/login.rc"
		sleep 0.2
	' _ "$1" "$T" "$SSHD" "$SSHFIX_TOP/tests/e2e/mounts.sh" \
	    >"$T/penalised.out" 2>&1
	LOGIN=$(cat "$T/login.rc" 2>/dev/null || echo 99)
	LOG=$(cat "$T/sshd.log" 2>/dev/null)
	CLIENT=$(cat "$T/client.err" 2>/dev/null)
}
client_has() { printf '%s' "$CLIENT" | grep -qF -- "$1"; }
if [ "$PENALTIES" = yes ]; then
	R="$T/penalty"; vbox "$R"; chmod 0777 "$R/home/alice"
	penalised "$R"
	check "$REL penalty: the fixed login is still refused" refused
	check "$REL penalty: sshd logs the penalty" \
	    log_has "penalty: failed authentication"
	# Reset or closed, as the client's read meets sshd's close.
	check "$REL penalty: the client is dropped before the banner" sh -c \
	    'printf "%s" "$1" | grep -qxE "kex_exchange_identification: (read: Connection reset by peer|Connection closed by remote host)"' \
	    _ "$(printf '%s' "$CLIENT" | tr -d '\r')"
	printf '%s\n' "$CLIENT" | sed 's/^/# client: /'
	# The target's log holds it (Debian's auth.log): sshfix advises.
	mkdir -p "$R/var/log"
	printf '%s\n' "$LOG" | sed 's/^/Nov 22 10:00:00 host sshd[1]: /' \
	    >"$R/var/log/auth.log"
	run --root "$R" --dry-run --json --user alice --from 127.0.0.1
	check "$REL penalty: the dry run advises PerSourcePenaltyExemptList" \
	    out_has PerSourcePenaltyExemptList
	R="$T/exempt"; vbox "$R"; chmod 0777 "$R/home/alice"
	printf 'PerSourcePenaltyExemptList 127.0.0.1\n' >>"$R/etc/ssh/sshd_config"
	penalised "$R"
	check "$REL penalty, 127.0.0.1 exempt: the fixed login works at once" \
	    logged_in
	check "$REL penalty, 127.0.0.1 exempt: no penalty logged" \
	    not log_has "penalty:"
fi
