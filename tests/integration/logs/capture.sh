#!/bin/sh
# Record the lines the real sshd logs for faults sshfix knows (and for
# trouble it has no check for), as test data for t_logs.sh. Not part of
# make check: run by hand as root where tests/e2e runs, from the top:
#   SSHFIX_TOP=$PWD SSHFIX=$PWD/build/sshfix sh tests/integration/logs/capture.sh
# Each NAME.log holds what sshd -E wrote for one login attempt (the
# message text; t_logs.sh adds the syslog framing rsyslog would).
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
[ -z "$why" ] || { echo "capture: $why" >&2; exit 1; }
D="$SSHFIX_TOP/tests/integration/logs"
# sshd's own port, as on a real system: the lines that name it (a bind
# that fails) then say what sshd says there. The namespace is private.
PORT=22

# keep NAME [PATTERN]: the attempt's sshd lines, without start and stop
# and debug lines (but those holding PATTERN: a fault sshd logs only at
# LogLevel DEBUG).
keep() {
	awk -v p="${2:-}" '(p != "" && index($0, p)) ||
	    !/^(Server listening|Received signal|debug)/' "$T/sshd.log" |
	    tr -d '\r' >"$D/$1.log"
	echo "captured $1: $(wc -l <"$D/$1.log") lines, login rc $LOGIN"
}
conf() {	# conf DIR LINES: a drop-in of sshd_config in DIR
	printf '%b\n' "$2" >"$1/etc/ssh/sshd_config.d/10-fault.conf"
}

R="$T/home"; sandbox "$R"; chmod 0777 "$R/home/alice"
attempt "$R" alice key; keep home-perms

R="$T/sshdir"; sandbox "$R"; chmod 0777 "$R/home/alice/.ssh"
attempt "$R" alice key; keep sshdir-perms

R="$T/deny"; sandbox "$R"
echo 'DenyUsers alice' >"$R/etc/ssh/sshd_config.d/10-deny.conf"
attempt "$R" alice key; keep access-list

# Seven keys sshd does not know, offered before the right one: sshd
# gives up after MaxAuthTries (6) with "Too many authentication
# failures", a client-side problem no check of sshfix covers.
R="$T/many"; sandbox "$R"
set --
for i in 1 2 3 4 5 6 7; do
	ssh-keygen -q -t ed25519 -N '' -C "k$i" -f "$T/k$i"
	set -- "$@" -i "$T/k$i"
done
E2E_SSH_OPTS="$*" attempt "$R" alice key; keep too-many


# Account state (account-state). UsePAM no: sshd judges the account.
R="$T/shell"; sandbox "$R"
sed -i 's|^\(alice:.*\):/bin/bash$|\1:/bin/zsh|' "$R/etc/passwd"
attempt "$R" alice key; keep shell-missing
R="$T/locked"; sandbox "$R"
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
attempt "$R" alice key; keep account-locked
R="$T/expired"; sandbox "$R"
sed -i 's/^alice:!:19000:0:99999:7:::/alice:!:19000:0:99999:7::1:/' \
    "$R/etc/shadow"
attempt "$R" alice key; keep account-expired-pam

# A PAM account module that does not exist (pam-module): libpam's own
# "unable to dlopen" goes to syslog, not to sshd -E; sshd's line is kept.
R="$T/pam"; sandbox "$R"; cp -a /etc/pam.d "$R/etc/"
sed -i '1i account required pam_sshfix_gone.so' "$R/etc/pam.d/sshd"
E2E_MOUNTS=etc/pam.d attempt "$R" alice key; keep pam-module

# root-login: PermitRootLogin no; root's password with the default.
R="$T/rootno"; sandbox "$R"; conf "$R" 'PermitRootLogin no'
attempt "$R" root key; keep root-refused
R="$T/rootpw"; sandbox "$R"; set_password "$R" root
rm "$R/root/.ssh/authorized_keys"
attempt "$R" root password; keep root-password

# key-refused: a from= the client is not in, an expired entry (logged at
# LogLevel DEBUG only), a key wrapped over two lines (Failed publickey:
# LogLevel VERBOSE), a key type PubkeyAcceptedAlgorithms leaves out.
PUB=$(cat "$CKEY.pub")
AKP=home/alice/.ssh/authorized_keys
R="$T/from"; sandbox "$R"
printf 'from="10.0.0.0/8" %s\n' "$PUB" >"$R/$AKP"
attempt "$R" alice key; keep key-from
R="$T/expiry"; sandbox "$R"; conf "$R" 'LogLevel DEBUG'
printf 'expiry-time="20200101" %s\n' "$PUB" >"$R/$AKP"
attempt "$R" alice key; keep key-expired "entry expired"
R="$T/wrap"; sandbox "$R"; conf "$R" 'LogLevel VERBOSE'
B64=$(echo "$PUB" | cut -d' ' -f2)
printf '%s %s\n%s e2e\n' "${PUB%% *}" "$(echo "$B64" | cut -c1-40)" \
    "$(echo "$B64" | cut -c41-)" >"$R/$AKP"
attempt "$R" alice key; keep key-wrapped
ssh-keygen -q -t rsa -N '' -C rsa -f "$T/user_rsa"
R="$T/keytype"; sandbox "$R"; conf "$R" 'PubkeyAcceptedAlgorithms ssh-ed25519'
cp "$T/user_rsa.pub" "$R/$AKP"
E2E_KEY="$T/user_rsa" attempt "$R" alice key; keep key-type

# No key and no password way in (auth-lockout); AuthenticationMethods
# that the key alone cannot satisfy, or that no enabled method can.
R="$T/lockout"; sandbox "$R"; rm "$R/$AKP" "$R/root/.ssh/authorized_keys"
conf "$R" 'PasswordAuthentication no'
attempt "$R" alice key; keep auth-lockout
R="$T/am"; sandbox "$R"; conf "$R" 'AuthenticationMethods publickey,password'
attempt "$R" alice key; keep auth-methods
R="$T/amoff"; sandbox "$R"
conf "$R" 'PasswordAuthentication no\nMatch User alice\n\tAuthenticationMethods password'
attempt "$R" alice key; keep auth-methods-match
R="$T/amglobal"; sandbox "$R"
conf "$R" 'AuthenticationMethods password\nPasswordAuthentication no'
attempt "$R" alice key; keep auth-methods-global

# MaxAuthTries 1: a key sshd does not know, offered first.
R="$T/tries"; sandbox "$R"; conf "$R" 'MaxAuthTries 1'
E2E_SSH_OPTS="-i $T/k1" attempt "$R" alice key; keep max-auth-tries

# ChrootDirectory %h: alice owns her home.
R="$T/chroot"; sandbox "$R"; conf "$R" 'ChrootDirectory %h'
attempt "$R" alice key; keep chroot-perms

# Start-up failures: sshd exits before it listens.
R="$T/hk777"; sandbox "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*_key
attempt "$R" alice key; keep hostkey-perms
R="$T/hkgone"; sandbox "$R"; rm -f "$R"/etc/ssh/ssh_host_*
attempt "$R" alice key; keep hostkey-missing
R="$T/nouser"; sandbox "$R"; sed -i '/^sshd:/d' "$R/etc/passwd" "$R/etc/shadow"
attempt "$R" alice key; keep privsep-user
R="$T/listen"; sandbox "$R"; conf "$R" 'ListenAddress 10.255.0.5'
attempt "$R" alice key asconfig; keep listen-address
R="$T/family"; sandbox "$R"; conf "$R" 'AddressFamily inet\nListenAddress ::1'
attempt "$R" alice key asconfig; keep address-family
R="$T/typo"; sandbox "$R"; conf "$R" 'PasswordAuthentcation no'
attempt "$R" alice key; keep config-invalid
