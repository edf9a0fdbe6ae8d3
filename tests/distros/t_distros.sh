# make check-distros: sshfix on real Debian roots (bullseye, bookworm,
# trixie: build.sh), each judged by its own sshd (lib.sh). For each
# release: the healthy root lets alice (key, no password: "!" in shadow),
# bob (password) and root (key) in, and the dry run is clean. Then each
# fault, injected as it happens in the field: the real sshd refuses (or
# does not start); the dry run names the fault; --apply lets the account
# in, changing only files the plan names; --rollback gives back the
# identical tree (type, mode, owner, size, content of every file) and the
# refusal. Negative controls: Debian's private-group home 0775, an Include
# that matches nothing. Then, on roots of their own (build.sh's
# flavours), the host firewalls judged by the real kernel (firewalls),
# the root's own firewalld (firewalld) and SELinux labels judged by the
# root's own setfiles (selinux).
# DISTRO_PARTS: which of matrix, firewalls, firewalld, selinux run (all).
# Ends with "check-distros: N cycles, M ok".
DISTRO_LOOP=${DISTRO_LOOP-bookworm}
# A private mount namespace for the loop mount (once: DISTRO_NS set).
if [ -z "${DISTRO_NS:-}" ] && [ -n "$DISTRO_LOOP" ] &&
    unshare -m true 2>/dev/null; then
	DISTRO_NS=1
	export DISTRO_NS
	exec unshare -m sh -c \
	    'mount --make-rprivate / && exec sh "$0"' "$0"
fi
. "$SSHFIX_TOP/tests/distros/lib.sh"

SUITES=${DISTRO_SUITES:-bullseye bookworm trixie}
why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in $SUITES; do skip "distros $s" "$why"; done
	exit 0
fi
cycles=0 good=0
not() { ! "$@"; }
# The static binary, for sshfix run live inside a root (built here if
# the static archives are there: make deps).
STATIC=$SSHFIX_TOP/build/sshfix-static STATIC_WHY=
make -s -C "$SSHFIX_TOP" static >"$T/static.log" 2>&1 ||
    STATIC_WHY="make static: $(grep -m1 . "$T/static.log")"
ssh-keygen -q -t ed25519 -N '' -C other -f "$T/other"
# A user CA, and a client key its certificates are for ($T/ckey-cert.pub
# beside it: the client offers it).
ssh-keygen -q -t ed25519 -N '' -C ca -f "$T/ca"
ssh-keygen -q -t ed25519 -N '' -C cert -f "$T/ckey"
# The failed checks so far: a cycle is ok when none of its checks failed.
NOTOK=0
not_ok() { N=$((N + 1)); NOTOK=$((NOTOK + 1)); echo "not ok $N - $*"; }
failed() { echo "$NOTOK"; }

# The paths a change touched (LISTING before, after), one a line.
changed() {
	diff "$1" "$2" | awk '/^[<>]/ { sub(/^\./, "", $8); print $8 }' |
	    sort -u
}
# Every path with its type, mode and owner; a file's size, mtime and
# ctime too (a chmod or a rewrite shows); sshfix's own state aside.
listing() {
	(cd "$1" && find . -path ./var/lib/sshfix -prune -o \
	    \( -path ./proc -o -path ./dev -o -path ./sys \) -prune -o \
	    -type d -printf '%y %m %U:%G - - - %p\n' -o \
	    -printf '%y %m %U:%G %s %T@ %C@ %p\n' | sort)
}

# cycle NAME SUITE USER HOW ID INJECT [ARGS...]: the fault injected into
# a fresh root by the shell command INJECT ($R the root), then the seven
# steps; ARGS go to sshfix.
cycle() {
	name="$2$TAG: $1" S=$2 U=$3 HOW=$4 ID=$5 INJ=$6
	shift 6
	cycles=$((cycles + 1))
	R="$BASE/$S-$ID"
	distro_root "$S" "$R" || return
	( eval "$INJ" ) || { not_ok "$name: inject"; return; }
	fp0=$(fingerprint "$R")
	dattempt "$R" "$U" "$HOW"
	f0=$(failed)
	check "$name: the real sshd refuses $U" refused
	[ -z "${DISTRO_SAYS:-}" ] ||
	    check "$name: the client says \"$DISTRO_SAYS\"" says "$DISTRO_SAYS"
	run --root "$R" --dry-run --json "$@"
	check "$name: the dry run reports $ID" has_id "$ID"
	plan=$OUT
	listing "$R" >"$T/l0"
	run --root "$R" --apply "$@"
	check "$name: --apply exits 0" [ "$RC" -eq 0 ]
	[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | tail -5 | sed 's/^/# /'
	listing "$R" >"$T/l1"
	extra=$(changed "$T/l0" "$T/l1" | while read -r p; do
		printf '%s' "$plan" | grep -qF "\"$p\"" || echo "$p"; done)
	check "$name: nothing changed outside the plan${extra:+ ($extra)}" \
	    [ -z "$extra" ]
	dattempt "$R" "$U" "$HOW"
	check "$name: $U logs in after --apply" logged_in
	[ -z "${DISTRO_AFTER:-}" ] ||
	    check "$name: $DISTRO_AFTER" "$DISTRO_AFTER" "$R"
	run --root "$R" --rollback
	check "$name: --rollback exits 0" [ "$RC" -eq 0 ]
	check "$name: --rollback gives back the identical tree" \
	    [ "$(fingerprint "$R")" = "$fp0" ]
	dattempt "$R" "$U" "$HOW"
	check "$name: refused again after --rollback" refused
	[ "$(failed)" -ne "$f0" ] || good=$((good + 1))
	rm -rf "$R"
}

# manual NAME SUITE ID INJECT WORD [ARGS...]: a fault whose repair is
# the person's (a package to reinstall, a command to run): sshd refuses,
# the dry run (with ARGS) names ID and WORD (the package of that
# release, from its dpkg database, or the command). DISTRO_FIX: that
# advice carried out by hand (a shell command, $R the root): then alice
# logs in (DISTRO_HOW: how, else with her key). DISTRO_SAYS: the client's
# complaint (DISTRO_FW's attempts); DISTRO_NOAUTO: the plan for ID holds
# nothing but advice.
manual() {
	name="$2$TAG: $1" S=$2 ID=$3
	cycles=$((cycles + 1))
	R="$BASE/$S-$ID"
	distro_root "$S" "$R" || return
	( eval "$4" ) || { not_ok "$name: inject"; return; }
	word=$5
	shift 5
	f0=$(failed)
	dattempt "$R" alice key
	check "$name: the real sshd refuses alice" refused
	[ -z "${DISTRO_SAYS:-}" ] ||
	    check "$name: the client says \"$DISTRO_SAYS\"" says "$DISTRO_SAYS"
	run --root "$R" --dry-run --json "$@"
	check "$name: the dry run reports $ID" has_id "$ID"
	check "$name: and names $word" out_has "$word"
	[ -z "${DISTRO_NOAUTO:-}" ] ||
	    check "$name: and plans no change for it" only_advice "$ID"
	if [ -n "${DISTRO_FIX:-}" ]; then
		( eval "$DISTRO_FIX" ) >"$T/fix.out" 2>&1
		check "$name: the advice carried out by hand" [ $? -eq 0 ]
		dattempt "$R" alice "${DISTRO_HOW:-key}"
		check "$name: then alice logs in" logged_in
	fi
	[ "$(failed)" -ne "$f0" ] || good=$((good + 1))
	rm -rf "$R"
}

# only_advice ID: the dry run's findings ID hold manual actions only.
only_advice() {
	printf '%s' "$OUT" | jq -e --arg id "$1" '[.findings[] |
	    select(.id == $id) | .actions[] | select(.type != "manual")] |
	    length == 0' >/dev/null
}

# control NAME SUITE INJECT [ARGS...]: the root with INJECT still lets
# alice in, and the dry run for her (with ARGS) is clean.
control() {
	name="$2$TAG: control $1"
	R="$BASE/$2-control"
	distro_root "$2" "$R" || return
	( eval "$3" ) || { not_ok "$name: inject"; return; }
	shift 3
	dattempt "$R" alice key
	check "$name: alice logs in" logged_in
	run --root "$R" --dry-run --json --user alice "$@"
	check "$name: the dry run is clean (exit 0)" [ "$RC" -eq 0 ]
	rm -rf "$R"
}

# reinstall PKG: the advice "apt-get install --reinstall PKG" carried out
# offline on $R: dpkg -i of that package as the archive the root came
# from has it (build.sh keeps it beside the tarball), chrooted, in
# private namespaces, with invoke-rc.d told to start nothing.
reinstall() {
	_deb=$(ls "$(distro_tar "$S").debs/$1"_*.deb) || return 1
	cp "$_deb" "$R/tmp/reinstall.deb" &&
	    printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d" &&
	    chmod 0755 "$R/usr/sbin/policy-rc.d" &&
	    unshare -m -n -p -f chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    DEBIAN_FRONTEND=noninteractive dpkg -i /tmp/reinstall.deb
	_rc=$?
	rm -f "$R/tmp/reinstall.deb" "$R/usr/sbin/policy-rc.d"
	return $_rc
}

# sysusers_same DIR: DIR's sshd account is the one systemd-sysusers said
# it would create ($T/sysusers.want: "Creating user 'sshd' (GECOS) with
# UID N and GID M.").
sysusers_same() {
	sed -n "s/^Creating user 'sshd' (\(.*\)) with UID \([0-9]*\) and GID \([0-9]*\)\.\$/sshd:x:\2:\3:\1:/p" \
	    "$T/sysusers.want" >"$T/sysusers.line"
	[ -s "$T/sysusers.line" ] && grep -q "^$(cat "$T/sysusers.line")" \
	    "$1/etc/passwd"
}

# live_port SUITE: a program a deploy left holds port 22 on IPv4 of the
# running machine; sshd starts on IPv6 only and alice's IPv4 login meets
# the other program. sshfix run live inside the root (the static binary,
# chrooted, with the root's /proc: the machine as it sees itself from a
# serial console) names the program; stopped by hand (the advice), sshd
# binds and alice logs in.
live_port() {
	name="$1$TAG: port 22 taken (sshfix run live)" S=$1
	if [ ! -x "$STATIC" ]; then
		skip "$name" "no build/sshfix-static ($STATIC_WHY)"
		return
	fi
	cycles=$((cycles + 1))
	R="$BASE/$S-live"
	distro_root "$S" "$R" || return
	cp "$STATIC" "$R/tmp/sshfix"
	f0=$(failed)
	rm -f "$T/r1" "$T/r2" "$T/live.json"
	dlive "$R" '
		PORT=22
		chroot "$R" perl -MIO::Socket::INET -e "my \$s = IO::Socket::INET->new(LocalAddr => q(0.0.0.0), LocalPort => 22, Listen => 5, ReuseAddr => 1) or die qq(listen: \$!); while (my \$c = \$s->accept) { close \$c }" & lp=$!
		i=0
		while [ $i -lt 50 ] && ! grep -q " 00000000:0016 00000000:0000 0A " /proc/net/tcp; do
			sleep 0.1; i=$((i + 1))
		done
		sshd_up
		try alice key; echo $? >"$T/r1"
		chroot "$R" /tmp/sshfix --dry-run --json --user alice \
		    >"$T/live.json" 2>"$T/live.err"
		kill $lp; wait $lp
		sshd_down
		sshd_up && try alice key; echo $? >"$T/r2"
	'
	LOGIN=$(cat "$T/r1" 2>/dev/null || echo 99)
	check "$name: the real sshd refuses alice (IPv4 meets the program)" refused
	OUT=$(cat "$T/live.json" 2>/dev/null)
	check "$name: the live dry run reports port-in-use" has_id port-in-use
	check "$name: and names the program" out_has '"perl (pid '
	LOGIN=$(cat "$T/r2" 2>/dev/null || echo 99)
	check "$name: the program stopped by hand: alice logs in" logged_in
	[ "$LOGIN" -eq 0 ] || sed 's/^/# /' "$T/live.out" | tail -5
	[ "$(failed)" -ne "$f0" ] || good=$((good + 1))
	rm -rf "$R"
}

# penalised SUITE: OpenSSH 9.8+ (PerSourcePenalties, on by default):
# six failed logins (another key) from 127.0.0.1, then alice's own key is
# dropped before the banner. The root's log holds sshd's lines as rsyslog
# writes them; the dry run for 127.0.0.1 advises the exempt list (not for
# another address); the exempt list set by hand, the same failures, and
# alice's key gets in at once.
penalised() {
	name="$1$TAG: a penalised source (PerSourcePenalties)" S=$1
	cycles=$((cycles + 1))
	R="$BASE/$S-penalty"
	distro_root "$S" "$R" || return
	f0=$(failed)
	tries='
		sshd_up -o ListenAddress=127.0.0.1 -o Port=$PORT
		for i in 1 2 3 4 5 6; do try alice key "$T/other"; done
		try alice key; echo $? >"$T/r1"
	'
	rm -f "$T/r1"
	dlive "$R" "$tries"
	LOGIN=$(cat "$T/r1" 2>/dev/null || echo 99)
	check "$name: the real sshd drops alice's own key" refused
	check "$name: sshd logs the penalty" \
	    grep -q "penalty: failed authentication" "$R/sshd.log"
	mkdir -p "$R/var/log"
	sed "s/^/$(date -u +%Y-%m-%dT%H:%M:%S.000000+00:00) $S sshd[4242]: /" \
	    "$R/sshd.log" >"$R/var/log/auth.log" && rm "$R/sshd.log"
	run --root "$R" --dry-run --json --user alice --from 127.0.0.1
	check "$name: the dry run for 127.0.0.1 reports source-penalty" \
	    has_id source-penalty
	check "$name: and advises PerSourcePenaltyExemptList 127.0.0.1" \
	    out_has "PerSourcePenaltyExemptList 127.0.0.1"
	run --root "$R" --dry-run --json --user alice --from 192.0.2.7
	check "$name: control: not for another address" not has_id source-penalty
	echo "PerSourcePenaltyExemptList 127.0.0.1" \
	    >"$R/etc/ssh/sshd_config.d/40-exempt.conf"
	rm -f "$T/r1"
	dlive "$R" "$tries"
	LOGIN=$(cat "$T/r1" 2>/dev/null || echo 99)
	check "$name: the exempt list by hand: alice logs in at once" logged_in
	[ "$(failed)" -ne "$f0" ] || good=$((good + 1))
	rm -rf "$R"
}

# matrix SUITE: the healthy root, the controls and every fault.
matrix() {
	S=$1
	R="$BASE/$S"
	if ! distro_root "$S" "$R" 2>"$T/why"; then
		skip "distros $S$TAG" "$(head -1 "$T/why")"
		return
	fi
	fp=$(fingerprint "$R")
	dattempt "$R" alice key
	check "$S$TAG: healthy: alice (key, locked password) logs in" logged_in
	dattempt "$R" bob password
	check "$S$TAG: healthy: bob logs in with his password" logged_in
	dattempt "$R" root key
	check "$S$TAG: healthy: root logs in with a key" logged_in
	check "$S$TAG: healthy: sshd's runs left the tree as it was" \
	    [ "$(fingerprint "$R")" = "$fp" ]
	run --root "$R" --dry-run --json
	check "$S$TAG: healthy: the dry run is clean (exit 0)" [ "$RC" -eq 0 ]
	[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | head -c 600 | sed 's/^/# /'
	rm -rf "$R"

	control "private-group home 0775" "$S" 'chmod 0775 "$R/home/alice"'
	control "an Include that matches nothing" "$S" \
	    'echo "Include /etc/ssh/nothing.d/*.conf" >>"$R/etc/ssh/sshd_config"'

	# chmod -R 777 /home, as in the Alibaba and Tencent incidents.
	cycle "home 0777" "$S" alice key home-perms \
	    'chmod 0777 "$R/home/alice"' --user alice
	cycle "~/.ssh 0777" "$S" alice key sshdir-perms \
	    'chmod 0777 "$R/home/alice/.ssh"' --user alice
	# A hardening script that loosened instead; an image cleaned of keys.
	cycle "host keys 0777" "$S" alice key hostkey-perms \
	    'chmod 0777 "$R"/etc/ssh/ssh_host_*_key'
	cycle "host keys deleted" "$S" alice key hostkey-missing \
	    'rm -f "$R"/etc/ssh/ssh_host_*'
	# A cloud-init drop-in with a typo: sshd does not start.
	cycle "drop-in typo" "$S" alice key config-invalid \
	    'echo "PasswordAuthentcation no" >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"'
	# Keys emptied while passwords are off; the person's key installed.
	cycle "keys emptied, passwords off" "$S" alice key auth-lockout \
	    ': >"$R/home/alice/.ssh/authorized_keys"; echo "PasswordAuthentication no" >"$R/etc/ssh/sshd_config.d/60-hardening.conf"' \
	    --user alice --authorized-key "$CKEY.pub"
	# Everyone locked out, no --user: Debian's system accounts (sync has
	# a shell and no password) must not make it "clean" or the pick;
	# bob's password route is opened (temporary, until --rollback).
	cycle "everyone locked out" "$S" bob password auth-lockout \
	    ': >"$R/home/alice/.ssh/authorized_keys"; : >"$R/root/.ssh/authorized_keys"; echo "PasswordAuthentication no" >"$R/etc/ssh/sshd_config.d/60-hardening.conf"'
	# A config-management push: root with a key only, PermitRootLogin no.
	cycle "PermitRootLogin no" "$S" root key root-login \
	    'echo "PermitRootLogin no" >"$R/etc/ssh/sshd_config.d/70-root.conf"' \
	    --user root
	# A key pasted wrapped over two lines (a serial console's paste).
	cycle "key wrapped over two lines" "$S" alice key key-refused \
	    'k=$(cut -d" " -f2 "$CKEY.pub"); h=${k%????????????????????}; printf "ssh-ed25519 %s\n%s e2e\n" "$h" "${k#"$h"}" >"$R/home/alice/.ssh/authorized_keys"' \
	    --user alice --from 127.0.0.1
	# Another key registered: the person's key given and installed.
	cycle "another key registered" "$S" alice key key-offered \
	    'cp "$T/other.pub" "$R/home/alice/.ssh/authorized_keys"' \
	    --user alice --authorized-key "$CKEY.pub"
	# A config-management push that lists the allowed users.
	cycle "AllowUsers without alice" "$S" alice key access-list \
	    'echo "AllowUsers bob root" >"$R/etc/ssh/sshd_config.d/40-allow.conf"' \
	    --user alice --from 127.0.0.1
	# libwrap (Debian 11 and 12 link it): a hardening guide's deny-all.
	case $S in bullseye|bookworm)
		cycle "hosts.deny sshd: ALL" "$S" alice key tcp-wrappers \
		    'echo "sshd: ALL" >>"$R/etc/hosts.deny"' ;;
	esac
	DISTRO_FIX='chroot "$R" usermod -s /bin/bash alice' \
	    manual "login shell removed" "$S" account-state \
	    'sed -i "s|^\(alice:.*:\)/bin/bash\$|\1/bin/zsh|" "$R/etc/passwd"' usermod \
	    --user alice
	# Key and password required, alice has only a key: the password set
	# from the console, as the advice says; she logs in with both.
	DISTRO_FIX='echo "alice:$DISTRO_PW" | chroot "$R" chpasswd' \
	    DISTRO_HOW=keypw \
	    manual "AuthenticationMethods publickey,password" "$S" auth-methods \
	    'echo "AuthenticationMethods publickey,password" >"$R/etc/ssh/sshd_config.d/40-mfa.conf"' passwd
	DISTRO_FIX='rm "$R/etc/ssh/sshd_config.d/40-ciphers.conf"' \
	    manual "Ciphers no client offers" "$S" algorithms \
	    'echo "Ciphers aes128-cbc" >"$R/etc/ssh/sshd_config.d/40-ciphers.conf"' Ciphers
	DISTRO_FIX='reinstall libpam-modules' \
	    manual "pam_unix.so deleted" "$S" pam-module \
	    'rm -f "$R"/usr/lib/*-linux-gnu/security/pam_unix.so "$R"/lib/*-linux-gnu/security/pam_unix.so' libpam-modules
	DISTRO_FIX='reinstall openssh-server' \
	    manual "sshd deleted" "$S" sshd-binary \
	    'rm -f "$R/usr/sbin/sshd"' openssh-server
	# The package purged (an image "slimmed"): sshd-absent, install it.
	DISTRO_FIX='reinstall openssh-server' \
	    manual "openssh-server purged" "$S" sshd-absent \
	    'chroot "$R" dpkg --purge openssh-server >/dev/null 2>&1' \
	    'apt-get install openssh-server'
	# IPv6 only, on a machine whose IPv6 an administrator turned off;
	# a ListenAddress the machine no longer has (its static address
	# changed). The namespace has no IPv6 and only loopback.
	DISTRO_ASCONFIG=1 cycle "AddressFamily inet6, IPv6 off" "$S" \
	    alice key address-family \
	    'echo "AddressFamily inet6" >"$R/etc/ssh/sshd_config.d/30-af.conf"; echo "net.ipv6.conf.all.disable_ipv6 = 1" >"$R/etc/sysctl.d/99-noipv6.conf"'
	DISTRO_ASCONFIG=1 cycle "ListenAddress gone" "$S" alice key \
	    listen-address \
	    'echo "ListenAddress 10.255.0.5" >"$R/etc/ssh/sshd_config.d/30-listen.conf"; mkdir -p "$R/etc/systemd/network"; printf "[Match]\nName=eth0\n[Network]\nAddress=10.0.0.7/24\n" >"$R/etc/systemd/network/10-eth0.network"'
	# An upgrade cut short: sshd's user gone, sshd does not start. On
	# trixie openssh-server's sysusers.d line makes it: the account
	# comes back as the root's own systemd-sysusers would make it (its
	# --dry-run, before --apply: uid 997, "sshd user").
	if [ "$S" = trixie ]; then
		DISTRO_AFTER=sysusers_same cycle "privsep user removed" "$S" \
		    alice key privsep \
		    'sed -i "/^sshd:/d" "$R/etc/passwd" "$R/etc/shadow"; chroot "$R" systemd-sysusers --dry-run openssh-server.conf >"$T/sysusers.want" 2>&1'
	else
		cycle "privsep user removed" "$S" alice key privsep \
		    'sed -i "/^sshd:/d" "$R/etc/passwd" "$R/etc/shadow"'
	fi
	# An sftp jail a provisioning script left group-writable: sshd
	# lets alice authenticate, then closes her session (her sftp client
	# logs in).
	cycle "sftp jail group-writable" "$S" alice sftp chroot-perms \
	    'mkdir -p "$R/srv/jail" && chmod 0775 "$R/srv/jail" && printf "Match User alice\n\tChrootDirectory /srv/jail\n\tForceCommand internal-sftp\n" >>"$R/etc/ssh/sshd_config"' \
	    --user alice
	# A hardening guide's MaxAuthTries 1, and a client that offers
	# another key first (an agent's): refused at the first failure;
	# MaxAuthTries raised back by hand.
	E2E_SSH_OPTS="-i $T/other" \
	    DISTRO_FIX='echo "MaxAuthTries 6" >"$R/etc/ssh/sshd_config.d/40-tries.conf"' \
	    manual "MaxAuthTries 1, another key offered first" "$S" \
	    max-auth-tries \
	    'echo "MaxAuthTries 1" >"$R/etc/ssh/sshd_config.d/40-tries.conf"' \
	    MaxAuthTries --user alice
	# Certificates: a CA in TrustedUserCAKeys, alice's key file emptied,
	# her certificate signed for the wrong principal; signed again for
	# alice by hand.
	DISTRO_KEY=$T/ckey DISTRO_FIX='ssh-keygen -q -s "$T/ca" -I alice -n alice "$T/ckey.pub"' \
	    manual "certificate for another principal" "$S" cert-offered \
	    'cp "$T/ca.pub" "$R/etc/ssh/user_ca.pub" && echo "TrustedUserCAKeys /etc/ssh/user_ca.pub" >"$R/etc/ssh/sshd_config.d/50-ca.conf" && : >"$R/home/alice/.ssh/authorized_keys" && ssh-keygen -q -s "$T/ca" -I alice -n bob "$T/ckey.pub"' \
	    principal --user alice --authorized-key "$T/ckey-cert.pub"
	# The library sshd needs, deleted: the package of this release.
	case $S in
	bullseye) ssl=libssl1.1 ;;
	bookworm) ssl=libssl3 ;;
	*) ssl=libssl3t64 ;;
	esac
	DISTRO_FIX="reinstall $ssl" \
	    manual "libcrypto deleted" "$S" sshd-binary \
	    'rm -f "$R"/usr/lib/x86_64-linux-gnu/libcrypto.so.*' "$ssl"
	live_port "$S"
	[ "$S" != trixie ] || penalised "$S"
	# OpenSSH 10's helper, deleted: sshd starts, every connection dies.
	[ "$S" != trixie ] || DISTRO_FIX='reinstall openssh-server' \
	    manual "sshd-session deleted" "$S" sshd-binary \
	    'rm -f "$R/usr/lib/openssh/sshd-session"' openssh-server
}

# flavour FLAVOUR WHAT: $S's root of build.sh's FLAVOUR from here on (0),
# or WHAT skipped with the reason (1).
flavour() {
	DISTRO_FLAVOUR=$1
	export DISTRO_FLAVOUR
	distro_tar "$S" >/dev/null 2>"$T/why" && return 0
	skip "distros $S: $2" "$(head -1 "$T/why")"
	unset DISTRO_FLAVOUR
	return 1
}

# What the boot starts of each firewall, run by dattempt in the server's
# namespace ($M the root): nftables.service's nft -f, ufw.service's
# ufw-init, fail2ban.service's server (its jail up, and the bans it puts
# back applied: its chain holds a rule, or 3 s).
FW_NFT='chroot "$M" /usr/sbin/nft -f /etc/nftables.conf'
FW_UFW='chroot "$M" /lib/ufw/ufw-init start >"$T/ufw.out" 2>&1'
FW_F2B='. "$SSHFIX_TOP/tests/distros/fw.sh" && f2b_up "$M" && f2b_applied "$M"'
# firewalld.service (and the dbus-daemon it needs): its rules loaded.
FW_FWD='. "$SSHFIX_TOP/tests/distros/fw.sh" && fwd_up "$M"'
# f2b_ban DIR ADDR...: DIR's own fail2ban-server bans each ADDR in its
# sshd jail, and stops (the bans stay in its database, as on a server
# rebooted after the ban).
f2b_ban() {
	_r=$1
	shift
	rm -f "$T/f2b.ok"
	dlive "$_r" '. "$SSHFIX_TOP/tests/distros/fw.sh"
		f2b_up "$R" || exit 1
		for a in '"$*"'; do
			chroot "$R" /usr/bin/fail2ban-client set sshd banip $a ||
			    exit 1
		done
		chroot "$R" /usr/bin/fail2ban-client stop >/dev/null &&
		    wait $f2b && echo ok >"$T/f2b.ok"'
	[ -f "$T/f2b.ok" ]
}
# A hardening that forgot sshd: the inet filter of Debian's own
# nftables.conf with a drop policy and only the web ports open.
NFT_WEB='sed -i "s/type filter hook input priority [a-z0-9]*;/&\\n\\t\\tpolicy drop;\\n\\t\\tct state established,related accept\\n\\t\\tiif lo accept\\n\\t\\ttcp dport { 80, 443 } accept/" "$R/etc/nftables.conf"'
NFT_ON='mkdir -p "$R/etc/systemd/system/sysinit.target.wants" && ln -s /lib/systemd/system/nftables.service "$R/etc/systemd/system/sysinit.target.wants/"'

# fwcycle FW SAYS NAME ID INJECT: cycle behind FW (what the boot starts),
# alice from 192.0.2.50, whose client says SAYS when refused.
fwcycle() {
	DISTRO_FW=$1 DISTRO_SAYS=$2 cycle "$3" "$S" alice key "$4" "$5" \
	    --user alice --from 192.0.2.50
}
# fwcontrol FW NAME INJECT: control behind FW, for 192.0.2.50.
fwcontrol() {
	DISTRO_FW=$1 control "$2" "$S" "$3" --from 192.0.2.50
}

# firewalls SUITE: the root with nftables, ufw and fail2ban installed as
# their packages install them (build.sh's fw flavour: fail2ban and ufw.service enabled, ufw
# itself ENABLED=no, nftables.service not), sshd behind what the boot
# starts of them, alice coming from 192.0.2.50: each firewall fault
# refuses her, the dry run names it, --apply (--from her address) lets
# her in through the same firewall, --rollback gives the tree and the
# refusal back. Controls: Debian's own nftables.conf enabled, "ufw allow
# 22/tcp" (the root's own ufw) before ENABLED=yes, a ban of another
# address.
firewalls() {
	S=$1
	flavour fw firewalls || return
	fwcontrol "$FW_NFT" "nftables.conf as Debian ships it, enabled" "$NFT_ON"
	fwcycle "$FW_NFT" "Connection timed out" \
	    "nftables: a drop policy, only the web ports" host-firewall \
	    "$NFT_WEB && $NFT_ON"
	fwcontrol "$FW_UFW" "ufw allow 22/tcp, then enabled" \
	    'chroot "$R" /usr/sbin/ufw allow 22/tcp >/dev/null && sed -i "s/^ENABLED=no/ENABLED=yes/" "$R/etc/ufw/ufw.conf"'
	fwcycle "$FW_UFW" "Connection timed out" \
	    "ufw enabled without allowing ssh" host-firewall \
	    'sed -i "s/^ENABLED=no/ENABLED=yes/" "$R/etc/ufw/ufw.conf"'
	# fail2ban's sshd jail reads /var/log/auth.log (rsyslog's).
	fwcontrol "$FW_F2B" "fail2ban: another address banned" \
	    ': >"$R/var/log/auth.log" && f2b_ban "$R" 192.0.2.99'
	fwcycle "$FW_F2B" "Connection refused" "fail2ban: her address banned" \
	    address-banned ': >"$R/var/log/auth.log" && f2b_ban "$R" 192.0.2.50'
	unset DISTRO_FLAVOUR
}

# The root's own firewall-offline-cmd, chrooted (an administrator's
# permanent change, as firewall-cmd --permanent writes it).
FWD_CMD='chroot "$R" /usr/bin/firewall-offline-cmd'
# firewalld SUITE: the root with firewalld as its package installs it
# (build.sh's fd flavour: firewalld.service enabled, the public zone the
# default, ssh among its services), sshd behind the root's own firewalld,
# alice coming from 192.0.2.50 over eth0 (in no zone: the default zone's).
# Each fault refuses her, the dry run names it, --apply (--from her
# address: a rich rule for her in the zone's file under /etc/firewalld)
# lets her in through the same firewalld, --rollback gives the tree and
# the refusal back. Controls: firewalld as installed; ssh removed from
# the public zone but her address in the trusted zone, or a rich rule
# accepting her on port 22. (firewall-offline-cmd's --remove-service is
# lokkit's, for the default zone only: with --zone, its
# --remove-service-from-zone.)
firewalld() {
	S=$1
	flavour fd firewalld || return
	fwcontrol "$FW_FWD" "firewalld as installed" true
	fwcontrol "$FW_FWD" "firewalld: ssh removed, her address trusted" \
	    "$FWD_CMD --zone=public --remove-service-from-zone=ssh >/dev/null && $FWD_CMD --zone=trusted --add-source=192.0.2.50/32 >/dev/null"
	fwcontrol "$FW_FWD" "firewalld: ssh removed, a rich rule for her" \
	    "$FWD_CMD --zone=public --remove-service-from-zone=ssh >/dev/null && $FWD_CMD --zone=public --add-rich-rule='rule family=\"ipv4\" source address=\"192.0.2.50\" port port=\"22\" protocol=\"tcp\" accept' >/dev/null"
	# The zone's target rejects (icmp admin-prohibited): the client
	# says "No route to host".
	fwcycle "$FW_FWD" "No route to host" \
	    "firewalld: ssh removed from the public zone" host-firewall \
	    "$FWD_CMD --zone=public --remove-service-from-zone=ssh >/dev/null"
	# The drop zone made the default: nothing answers.
	fwcycle "$FW_FWD" "Connection timed out" \
	    "firewalld: the default zone drop" host-firewall \
	    "$FWD_CMD --set-default-zone=drop >/dev/null"
	# ssh still in the zone, but a rich rule rejects her network (a
	# rich rule's reject: "Connection refused"): the person's to undo.
	DISTRO_FW=$FW_FWD DISTRO_SAYS="Connection refused" DISTRO_NOAUTO=1 \
	    manual "firewalld: a rich rule rejects her network" "$S" \
	    host-firewall \
	    "$FWD_CMD --zone=public --add-rich-rule='rule family=\"ipv4\" source address=\"192.0.2.0/24\" service name=\"ssh\" reject' >/dev/null" \
	    /etc/firewalld/zones/public.xml --user alice --from 192.0.2.50
	# Random configurations (seeded) judged by this root's firewalld
	# and by sshfix, one check each (fwdgen.sh); bookworm's only.
	[ "$S" != bookworm ] || { FWDGEN_LIB=1 . "$SSHFIX_TOP/tests/distros/fwdgen.sh" && fwdgen "$S"; }
	unset DISTRO_FLAVOUR
}

# Labels as a kernel without SELinux keeps them: security.selinux
# xattrs. se_run DIR ARGS...: ARGS run chrooted in DIR with its /proc
# (libselinux works through /proc/self/fd).
se_run() {
	unshare -m sh -c 'R=$1; shift; mount --make-rprivate / &&
	    mount -t proc proc "$R/proc" && exec chroot "$R" "$@"' _ "$@"
}
FC=/etc/selinux/default/contexts/files/file_contexts
# se_label PATH CONTEXT: one file's label, as a tool that does not label
# (mv, a restore from a backup) leaves it.
se_label() {
	python3 -c 'import os, sys
os.setxattr(sys.argv[1], "security.selinux", sys.argv[2].encode() + b"\0",
    follow_symlinks=False)' "$1" "$2"
}
# se_wrong DIR: what DIR's own setfiles would relabel among the files
# sshd reads (the homes, /root, /etc/ssh): its "Would relabel" lines.
se_wrong() {
	se_run "$1" /sbin/setfiles -n -v "$FC" /home /root /etc/ssh 2>&1 |
	    grep "relabel"
}
# se_labels DIR: every label under those paths, hashed.
se_labels() {
	python3 -c 'import os, sys
for top in ("home", "root", "etc/ssh"):
    for d, dirs, files in os.walk(os.path.join(sys.argv[1], top)):
        for n in [d] + [os.path.join(d, f) for f in files]:
            try:
                v = os.getxattr(n, "security.selinux", follow_symlinks=False)
            except OSError as e:
                v = str(e.errno).encode()
            print(n, v)' "$1" | sha256sum | cut -d' ' -f1
}

# selinux SUITE: the root with Debian's SELinux policy (build.sh's se
# flavour), relabelled whole by its own setfiles as an autorelabel does,
# SELinux enforcing. No kernel here enforces it, so the judge of record
# is the root's own setfiles -n -v: each mislabel injected is one it
# would relabel; the dry run names selinux-label; after --apply the
# root's setfiles has nothing to relabel and alice still logs in (its
# own sshd); --rollback gives back the identical tree and every label.
# Controls: the labels as the policy sets them; wrong labels with
# SELinux disabled.
# se_root: $R as selinux-activate leaves it (security=selinux on the
# kernel command line: Debian's kernels start AppArmor without it; its
# own sed, on the release's default /etc/default/grub as grub's package
# installs it), relabelled, then set enforcing.
se_root() {
	distro_root "$S" "$R" || return 1
	cp "$R/usr/share/grub/default/grub" "$R/etc/default/grub" &&
	    sed -i -e "s/ \\?selinux=1//g" -e "s/ \\?security=selinux//g" \
	    -e "s/\\(^GRUB_CMDLINE_LINUX=.*\\)\"\$/\\1 security=selinux\"/" \
	    "$R/etc/default/grub" &&
	    grep -q '^GRUB_CMDLINE_LINUX=" security=selinux"$' \
	    "$R/etc/default/grub" &&
	    se_run "$R" /sbin/setfiles -F "$FC" / >"$T/setfiles.out" 2>&1 &&
	    sed -i 's/^SELINUX=.*/SELINUX=enforcing/' "$R/etc/selinux/config"
}
# se_cycle NAME INJECT: the seven steps above for one mislabel.
se_cycle() {
	name="$S$TAG: SELinux: $1" INJ=$2
	cycles=$((cycles + 1))
	R="$BASE/$S-selinux"
	se_root || { not_ok "$name: the labelled root"; return; }
	( eval "$INJ" ) || { not_ok "$name: inject"; return; }
	f0=$(failed)
	fp0=$(fingerprint "$R") l0=$(se_labels "$R")
	check "$name: the root's own setfiles would relabel it" \
	    [ -n "$(se_wrong "$R")" ]
	run --root "$R" --dry-run --json --user alice
	check "$name: the dry run reports selinux-label" has_id selinux-label
	run --root "$R" --apply --user alice
	check "$name: --apply exits 0" [ "$RC" -eq 0 ]
	[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | tail -5 | sed 's/^/# /'
	w=$(se_wrong "$R")
	check "$name: then the root's setfiles has nothing to relabel${w:+ ($w)}" \
	    [ -z "$w" ]
	dattempt "$R" alice key
	check "$name: alice logs in after --apply" logged_in
	run --root "$R" --rollback
	check "$name: --rollback exits 0" [ "$RC" -eq 0 ]
	check "$name: --rollback gives back the identical tree" \
	    [ "$(fingerprint "$R")" = "$fp0" ]
	check "$name: and every label" [ "$(se_labels "$R")" = "$l0" ]
	[ "$(failed)" -ne "$f0" ] || good=$((good + 1))
	rm -rf "$R"
}
# se_control NAME INJECT: the dry run for alice is clean (SE_AGREES: and
# so is the root's setfiles).
se_control() {
	name="$S$TAG: SELinux: control $1"
	R="$BASE/$S-selinux"
	se_root || { not_ok "$name: the labelled root"; return; }
	( eval "$2" ) || { not_ok "$name: inject"; return; }
	[ -z "${SE_AGREES:-}" ] ||
	    check "$name: the root's setfiles has nothing to relabel" \
	    [ -z "$(se_wrong "$R")" ]
	run --root "$R" --dry-run --json --user alice
	check "$name: the dry run is clean (exit 0)" [ "$RC" -eq 0 ]
	[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | head -c 600 | sed 's/^/# /'
	rm -rf "$R"
}
selinux() {
	S=$1
	flavour se SELinux || return
	SE_AGREES=1 se_control "the labels the policy sets" true
	# The release's own grub file, not activated: Debian's kernel
	# starts AppArmor (and the reader is sure of that file).
	se_control "wrong labels, selinux-activate never run" \
	    'cp "$R/usr/share/grub/default/grub" "$R/etc/default/grub" && se_label "$R/home/alice/.ssh/authorized_keys" unconfined_u:object_r:user_tmp_t:s0'
	se_control "wrong labels, SELinux disabled" \
	    'sed -i "s/^SELINUX=.*/SELINUX=disabled/" "$R/etc/selinux/config" && se_label "$R/home/alice/.ssh/authorized_keys" unconfined_u:object_r:user_tmp_t:s0'
	# The keys written in /tmp and moved into place.
	se_cycle "authorized_keys moved from /tmp (user_tmp_t)" \
	    'se_label "$R/home/alice/.ssh/authorized_keys" unconfined_u:object_r:user_tmp_t:s0'
	# ~/.ssh restored from a backup by a tool that keeps no labels: the
	# home's own type.
	se_cycle "~/.ssh restored without its labels (user_home_t)" \
	    'se_label "$R/home/alice/.ssh" unconfined_u:object_r:user_home_t:s0 && se_label "$R/home/alice/.ssh/authorized_keys" unconfined_u:object_r:user_home_t:s0'
	# A host key written by a provisioning tool that does not label.
	se_cycle "a host key unlabelled (default_t)" \
	    'se_label "$R/etc/ssh/ssh_host_ed25519_key" system_u:object_r:default_t:s0'
	unset DISTRO_FLAVOUR
}

BASE=$T TAG=
for S in $SUITES; do
	for p in ${DISTRO_PARTS:-matrix firewalls firewalld selinux}; do
		"$p" "$S"
	done
done
# The same on an ext4 image through a loop device, as a rescue machine
# mounts the broken server's disk (the private mount namespace of the
# re-exec above keeps the mount from the host).
if [ -n "$DISTRO_LOOP" ]; then
	truncate -s 3G "$T/disk.img" && mkfs.ext4 -q -F "$T/disk.img" &&
	    mkdir "$T/disk" && mount -o loop "$T/disk.img" "$T/disk"
	if [ $? -ne 0 ]; then
		skip "distros $DISTRO_LOOP (ext4 image)" "no loop device"
	else
		BASE=$T/disk TAG=" (ext4 image)"
		matrix "$DISTRO_LOOP"
		umount "$T/disk"
	fi
fi
echo "# check-distros: $cycles cycles, $good ok"
