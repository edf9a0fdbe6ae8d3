# Every fault whose trouble the real sshd logs, with the lines it logged
# (tests/integration/logs/NAME.log, captured by capture.sh from Debian's
# sshd) in the target's auth.log: the finding carries exactly those lines
# as evidence, and a finding of another fault, one sshd did not log,
# carries none.
. "$SSHFIX_TOP/tests/integration/lib.sh"

L="$SSHFIX_TOP/tests/integration/logs"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T1=2026-11-21T08:00:00
T2=2026-11-22T09:30:00

# evidence ID N OTHER: every finding ID carries N lines from T1 to T2
# in auth.log; the finding OTHER is there and carries none.
evidence() {
	"$PY" - "$T/out" "$1" "$2" "${T1}Z" "${T2}Z" "$3" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
fid, n, a, b, other = sys.argv[2:7]
mine = [x["evidence"] for x in d["findings"] if x["id"] == fid]
others = [x["evidence"] for x in d["findings"] if x["id"] == other]
ok = mine and others and all("log_lines" not in e for e in others) and all(e.get("log_lines") == n and
    e.get("log_first") == a and e.get("log_last") == b and
    e.get("log_file") == "/var/log/auth.log" for e in mine)
if not ok:
    print("# " + json.dumps([[x["id"], x["evidence"], x.get("logline")]
          for x in d["findings"]])[:1500])
sys.exit(0 if ok else 1)
P
}

# lines NAME ID N ARGS...: $R has the fault and the fault $OTHER, whose
# line sshd did not log; auth.log holds NAME's captured lines at T1 and
# at T2, each time N of them ID's.
OTHER=max-auth-tries
lines() {
	name=$1 id=$2 n=$3
	shift 3
	mkdir -p "$R/var/log"
	for s in $T1 $T2; do
		sed "s/^/$s.123456+00:00 web1 sshd[4242]: /" "$L/$name.log"
	done >"$R/var/log/auth.log"
	diagnose "$R" "$@"
	check "$name: $id carries its $((n * 2)) lines, $OTHER none" \
	    evidence "$id" $((n * 2)) "$OTHER"
}

# fault DIR: a fake root, and one more fault whose line is in no capture
# but max-auth-tries' own (MaxAuthTries 1: a warning, nothing refused).
fault() {
	mkroot "$1"
	printf 'MaxAuthTries 1\n' >"$1/etc/ssh/sshd_config.d/90-other.conf"
}
conf() { printf '%b\n' "$2" >"$1/etc/ssh/sshd_config.d/10-fault.conf"; }
shells() {	# shells DIR: login shells exist, as account-state needs
	mkdir -p "$1/bin"
	printf '#!/bin/sh\n' >"$1/bin/bash"
	cp "$1/bin/bash" "$1/bin/sh"
	chmod 0755 "$1/bin/bash" "$1/bin/sh"
	printf '/bin/sh\n/bin/bash\n' >"$1/etc/shells"
}
AK=home/alice/.ssh/authorized_keys
PUB=$(cat "$KEYS/user_key.pub")

R="$T/home"; fault "$R"; chmod 0777 "$R/home/alice"
lines home-perms home-perms 1
R="$T/sshdir"; fault "$R"; chmod 0777 "$R/home/alice/.ssh"
lines sshdir-perms sshdir-perms 1
R="$T/deny"; fault "$R"; conf "$R" 'DenyUsers alice'
lines access-list access-list 1 --user alice --from 127.0.0.1

R="$T/shell"; fault "$R"; shells "$R"
sed -i 's|^\(alice:.*\):/bin/bash$|\1:/bin/zsh|' "$R/etc/passwd"
lines shell-missing account-state 1 --user alice
R="$T/locked"; fault "$R"; shells "$R"
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
lines account-locked account-state 1 --user alice
R="$T/expired"; fault "$R"; shells "$R"; cp -a /etc/pam.d "$R/etc/"
sed -i 's/^alice:!:19000:0:99999:7:::/alice:!:19000:0:99999:7::1:/' \
    "$R/etc/shadow"
lines account-expired-pam account-state 1 --user alice
R="$T/pam"; fault "$R"; cp -a /etc/pam.d "$R/etc/"
mkdir -p "$R/usr/lib/x86_64-linux-gnu"
cp -a /usr/lib/x86_64-linux-gnu/security "$R/usr/lib/x86_64-linux-gnu/"
sed -i '1i account required pam_sshfix_gone.so' "$R/etc/pam.d/sshd"
lines pam-module pam-module 1 --user alice

R="$T/rootno"; fault "$R"; conf "$R" 'PermitRootLogin no'
lines root-refused root-login 2 --user root --from 127.0.0.1
R="$T/rootpw"; fault "$R"; give_password "$R" root
sed -i 's/^root:\*:/root:!:/' "$R/etc/shadow"; give_password "$R" root
rm "$R/root/.ssh/authorized_keys"
lines root-password root-login 1 --user root --from 127.0.0.1

R="$T/from"; fault "$R"; printf 'from="10.0.0.0/8" %s\n' "$PUB" >"$R/$AK"
lines key-from key-refused 1 --user alice --from 127.0.0.1
R="$T/expiry"; fault "$R"
printf 'expiry-time="20200101" %s\n' "$PUB" >"$R/$AK"
lines key-expired key-refused 1 --user alice --from 127.0.0.1
R="$T/wrap"; fault "$R"; conf "$R" 'LogLevel VERBOSE'
B64=$(echo "$PUB" | cut -d' ' -f2)
printf '%s %s\n%s e2e\n' "${PUB%% *}" "$(echo "$B64" | cut -c1-40)" \
    "$(echo "$B64" | cut -c41-)" >"$R/$AK"
lines key-wrapped key-refused 1 --user alice --from 127.0.0.1
ssh-keygen -q -t rsa -N '' -C rsa -f "$T/user_rsa"
R="$T/keytype"; fault "$R"; copy_sshd "$R"
conf "$R" 'PubkeyAcceptedAlgorithms ssh-ed25519'
cp "$T/user_rsa.pub" "$R/$AK"
lines key-type key-refused 1 --user alice --from 127.0.0.1

R="$T/lockout"; fault "$R"; rm "$R/$AK" "$R/root/.ssh/authorized_keys"
conf "$R" 'PasswordAuthentication no'
lines auth-lockout auth-lockout 1 --user alice
R="$T/am"; fault "$R"; conf "$R" 'AuthenticationMethods publickey,password'
lines auth-methods auth-methods 1 --user alice
R="$T/amoff"; fault "$R"
conf "$R" 'PasswordAuthentication no\nMatch User alice\n\tAuthenticationMethods password'
lines auth-methods-match auth-methods 2 --user alice
R="$T/amglobal"; fault "$R"
conf "$R" 'AuthenticationMethods password\nPasswordAuthentication no'
lines auth-methods-global auth-methods 1 --user alice

# Here the other fault is alice's home 0777 (sshd logged nothing of it).
R="$T/tries"; mkroot "$R"; conf "$R" 'MaxAuthTries 1'
chmod 0777 "$R/home/alice"
OTHER=home-perms lines max-auth-tries max-auth-tries 1
R="$T/chroot"; fault "$R"; conf "$R" 'ChrootDirectory %h'
lines chroot-perms chroot-perms 1 --user alice

R="$T/hk777"; fault "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*_key
# One finding for the three keys of one cause: each key's line and the
# exit.
lines hostkey-perms hostkey-perms 4
R="$T/hkgone"; fault "$R"; rm -f "$R"/etc/ssh/ssh_host_*
lines hostkey-missing hostkey-missing 1
R="$T/nouser"; fault "$R"; sed -i '/^sshd:/d' "$R/etc/passwd" "$R/etc/shadow"
lines privsep-user privsep 1
R="$T/listen"; fault "$R"; conf "$R" 'ListenAddress 10.255.0.5'
mkdir -p "$R/etc/network"	# the address the target has
printf 'auto eth0\niface eth0 inet static\n\taddress 192.168.7.2/24\n' \
    >"$R/etc/network/interfaces"
lines listen-address listen-address 2
R="$T/family"; fault "$R"; conf "$R" 'AddressFamily inet\nListenAddress ::1'
lines address-family address-family 1
R="$T/typo"; fault "$R"; conf "$R" 'PasswordAuthentcation no'
lines config-invalid config-invalid 1

echo "1..$N"
