# Host keys that look right but do not parse; the privilege separation
# user and directory. Each on fake roots; the e2e twin asks the real sshd.
. "$SSHFIX_TOP/tests/integration/lib.sh"

# cut FILE: keep BEGIN, two lines of the body and END (headers intact).
cut_key() {
	{ head -2 "$1"; sed -n 3p "$1"; tail -1 "$1"; } >"$1.cut"
	cat "$1.cut" >"$1"; rm "$1.cut"
}
# only_rsa DIR: the RSA key is the only host key.
only_rsa() { rm -f "$1"/etc/ssh/ssh_host_ecdsa_key* "$1"/etc/ssh/ssh_host_ed25519_key*; }

R="$T/cut"; mkroot "$R"
for k in "$R"/etc/ssh/ssh_host_*_key; do cut_key "$k"; done
diagnose "$R"
check "keys cut, headers intact: exit 1" [ "$RC" -eq 1 ]
check "keys cut, headers intact: hostkey-missing" has_id hostkey-missing
check "keys cut, headers intact: truncated" out_has 'is truncated or corrupt'
check "keys cut, headers intact: no hostkeys line" \
    out_has 'sshd: no hostkeys available -- exiting.'
check "keys cut, headers intact: plan removes and regenerates" sh -c \
    "printf '%s' \"\$1\" | grep -qF '\"type\":\"unlink\",\"path\":\"/etc/ssh/ssh_host_ed25519_key\"' &&
     printf '%s' \"\$1\" | grep -qF '\"type\":\"keygen\",\"path\":\"/etc/ssh/ssh_host_ed25519_key\"'" _ "$OUT"
check "keys cut, headers intact: unchanged" [ "$UNCHANGED" -eq 0 ]
tree "$R" >"$T/before"
run --root "$R" --apply
check "keys cut: --apply exits 0" [ "$RC" -eq 0 ]
check "keys cut: regenerated keys load" \
    sh -c "ssh-keygen -y -f '$R/etc/ssh/ssh_host_ed25519_key' >/dev/null"
run --root "$R" --dry-run --json
check "keys cut: clean after --apply" no_ids
run --root "$R" --rollback
tree "$R" >"$T/after"
check "keys cut: --rollback restores them" sh -c \
    "[ $RC -eq 0 ] && cmp -s '$T/before' '$T/after'"

R="$T/onecut"; mkroot "$R"; cut_key "$R/etc/ssh/ssh_host_ecdsa_key"
diagnose "$R"
check "one default key cut, others fine: exit 0" [ "$RC" -eq 0 ]
check "one default key cut, others fine: nothing reported" no_ids

R="$T/cfgcut"; mkroot "$R"
printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_rsa_key\n' \
    >"$R/etc/ssh/sshd_config.d/10-keys.conf"
cut_key "$R/etc/ssh/ssh_host_rsa_key"
diagnose "$R"
check "configured key cut: warning hostkey-missing" \
    out_has '"id":"hostkey-missing","severity":"warning"'
check "configured key cut: plan ssh-keygen -t rsa" \
    out_has '"type":"keygen","path":"/etc/ssh/ssh_host_rsa_key"'

R="$T/small"; mkroot "$R"; only_rsa "$R"
openssl genrsa -traditional -out "$R/etc/ssh/ssh_host_rsa_key" 768 2>/dev/null
diagnose "$R"
check "RSA 768 bits (PEM): hostkey-missing" has_id hostkey-missing
check "RSA 768 bits: sshd's reason" out_has 'Invalid key length'

R="$T/small8"; mkroot "$R"; only_rsa "$R"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:768 \
    -out "$R/etc/ssh/ssh_host_rsa_key" 2>/dev/null
diagnose "$R"
check "RSA 768 bits (PKCS#8): hostkey-missing" has_id hostkey-missing

R="$T/pass"; mkroot "$R"; only_rsa "$R"; rm "$R"/etc/ssh/ssh_host_rsa_key*
ssh-keygen -q -t ed25519 -N secret -C '' -f "$R/etc/ssh/ssh_host_ed25519_key"
diagnose "$R"
check "key with a passphrase: hostkey-missing" has_id hostkey-missing
check "key with a passphrase: sshd's reason" out_has 'incorrect passphrase'

# Keys sshd loads stay unreported, whatever their form.
for form in pem2048 p8-2048 p8-ec rsa1024 ecdsa-pem mismatched-pub; do
	R="$T/ok-$form"; mkroot "$R"; only_rsa "$R"
	k="$R/etc/ssh/ssh_host_rsa_key"
	case $form in
	pem2048) openssl genrsa -traditional -out "$k" 2048 2>/dev/null ;;
	p8-2048) openssl genpkey -algorithm RSA -pkeyopt \
	    rsa_keygen_bits:2048 -out "$k" 2>/dev/null ;;
	p8-ec) openssl genpkey -algorithm EC -pkeyopt \
	    ec_paramgen_curve:P-256 -out "$k" 2>/dev/null ;;
	rsa1024) rm "$k"; ssh-keygen -q -t rsa -b 1024 -N '' -f "$k" ;;
	ecdsa-pem) rm "$k"; ssh-keygen -q -t ecdsa -m PEM -N '' -f "$k" ;;
	mismatched-pub) cp "$KEYS/ssh_host_ed25519_key.pub" "$k.pub" ;;
	esac
	chmod 0600 "$k"
	diagnose "$R"
	check "host key $form: loads, nothing reported" \
	    sh -c "[ $RC -eq 0 ] && [ $UNCHANGED -eq 0 ]"
done

R="$T/rhelkeys"; mkroot "$R" rhel
chgrp 998 "$R"/etc/ssh/ssh_host_*_key; chmod 0640 "$R"/etc/ssh/ssh_host_*_key
diagnose "$R"
check "rhel root:ssh_keys 0640 keys: nothing reported" [ "$RC" -eq 0 ]

# --- privsep: the user sshd drops to, and its chroot directory ---
R="$T/nouser"; mkroot "$R"; sed -i '/^sshd:/d' "$R/etc/passwd" "$R/etc/shadow"
diagnose "$R"
check "debian, no sshd user: exit 1" [ "$RC" -eq 1 ]
check "debian, no sshd user: privsep" has_id privsep
check "debian, no sshd user: log line" \
    out_has 'Privilege separation user sshd does not exist'
check "debian, no sshd user: adduser --system style account" \
    out_has '"passwd":"sshd:x:100:65534::/run/sshd:/usr/sbin/nologin"'
check "debian, no sshd user: unchanged" [ "$UNCHANGED" -eq 0 ]
tree "$R" >"$T/before"
run --root "$R" --apply
check "debian, no sshd user: --apply exits 0" [ "$RC" -eq 0 ]
check "debian, no sshd user: passwd line added" \
    grep -qx 'sshd:x:100:65534::/run/sshd:/usr/sbin/nologin' "$R/etc/passwd"
check "debian, no sshd user: shadow line added, shadow still 0640" sh -c \
    "grep -q '^sshd:\*:[0-9]*:0:99999:7:::\$' '$R/etc/shadow' &&
     [ \"\$(stat -c %a '$R/etc/shadow')\" = 640 ]"
check "debian, no sshd user: no group added, no lock left" sh -c \
    "! grep -q '^sshd:' '$R/etc/group' && ! ls '$R'/etc/*.lock 2>/dev/null"
run --root "$R" --dry-run --json
check "debian, no sshd user: clean after --apply" no_ids
run --root "$R" --rollback
tree "$R" >"$T/after"
check "debian, no sshd user: --rollback restores the files" sh -c \
    "[ $RC -eq 0 ] && cmp -s '$T/before' '$T/after'"

R="$T/locked"; mkroot "$R"; sed -i '/^sshd:/d' "$R/etc/passwd" "$R/etc/shadow"
echo 4242 >"$R/etc/shadow.lock"
cp "$R/etc/passwd" "$T/passwd.before"
run --root "$R" --apply
check "shadow.lock held: --apply fails" [ "$RC" -ne 0 ]
check "shadow.lock held: says which lock" sh -c \
    "printf '%s%s' \"\$1\" \"\$2\" | grep -q 'shadow.lock: held'" _ "$OUT" "$ERR"
check "shadow.lock held: passwd unchanged, the lock is not ours to remove" \
    sh -c "cmp -s '$T/passwd.before' '$R/etc/passwd' &&
    [ -e '$R/etc/shadow.lock' ] && [ ! -e '$R/etc/passwd.lock' ]"

R="$T/rhnouser"; mkroot "$R" rhel
sed -i '/^sshd:/d' "$R/etc/passwd" "$R/etc/shadow" "$R/etc/group"
printf 'root:::\n' >"$R/etc/gshadow"; chmod 0 "$R/etc/gshadow"
diagnose "$R"
check "rhel, no sshd user: privsep" has_id privsep
run --root "$R" --apply
check "rhel, no sshd user: --apply exits 0" [ "$RC" -eq 0 ]
check "rhel, no sshd user: the spec file's account" sh -c "
    grep -qx 'sshd:x:74:74:Privilege-separated SSH:/usr/share/empty.sshd:/sbin/nologin' '$R/etc/passwd' &&
    grep -qx 'sshd:x:74:' '$R/etc/group' &&
    grep -q '^sshd:!!:[0-9]*::::::\$' '$R/etc/shadow' &&
    grep -qx 'sshd:!::' '$R/etc/gshadow' &&
    [ \"\$(stat -c %a '$R/etc/gshadow')\" = 0 ]"

# Debian 13: openssh-server's sysusers.d line makes the account, and
# systemd-sysusers allocates down from 999, passing over a uid another
# group holds as its gid (999: systemd-journal) or an account has (998):
# the repair makes what systemd-sysusers makes (tests/distros compares
# the two on a real trixie root).
sysroot() {
	R="$T/$1"; mkroot "$R"
	sed -i '/^sshd:/d' "$R/etc/passwd" "$R/etc/shadow"
	echo 'systemd-journal:x:999:' >>"$R/etc/group"
	echo 'systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin' >>"$R/etc/passwd"
	echo 'systemd-network:x:998:' >>"$R/etc/group"
	mkdir -p "$R/usr/lib/sysusers.d"
	printf '%s\n' '# sshd' 'u sshd -:nogroup "sshd user" /run/sshd' \
	    >"$R/usr/lib/sysusers.d/openssh-server.conf"
}
sysroot trixie
tree "$R" >"$T/before"
run --root "$R" --apply
check "debian 13, no sshd user: --apply exits 0" [ "$RC" -eq 0 ]
check "debian 13, no sshd user: systemd-sysusers' account (uid 997)" sh -c "
    grep -qx 'sshd:x:997:65534:sshd user:/run/sshd:/usr/sbin/nologin' '$R/etc/passwd' &&
    grep -q '^sshd:!\*:[0-9]*::::::\$' '$R/etc/shadow' &&
    ! grep -q '^sshd:' '$R/etc/group'"
run --root "$R" --rollback
tree "$R" >"$T/after"
check "debian 13, no sshd user: --rollback restores the files" sh -c \
    "[ $RC -eq 0 ] && cmp -s '$T/before' '$T/after'"
# /etc/sysusers.d hides /usr/lib's file of the same name; a uid of the
# line's own, and a group of the account's name made with it.
sysroot sysetc
mkdir -p "$R/etc/sysusers.d"
printf 'g sshd 7\nu sshd 150 "SSH daemon" /var/empty\n' \
    >"$R/etc/sysusers.d/openssh-server.conf"
run --root "$R" --apply
check "sysusers.d in /etc: its line, uid 150, group sshd 150 made" sh -c "
    grep -qx 'sshd:x:150:150:SSH daemon:/var/empty:/usr/sbin/nologin' '$R/etc/passwd' &&
    grep -qx 'sshd:x:150:' '$R/etc/group'"
# A line whose ids come from a file's owner: the command, not a guess.
sysroot syspath
echo 'u sshd /run/sshd' >"$R/usr/lib/sysusers.d/openssh-server.conf"
diagnose "$R"
check "sysusers.d uid from a path: systemd-sysusers named, nothing automatic" \
    sh -c "printf '%s' \"\$1\" | grep -q 'systemd-sysusers --root=$R openssh-server.conf' &&
    ! printf '%s' \"\$1\" | grep -q '\"type\":\"add-account\"'" _ "$OUT"
# Commented out, or another account's line: Debian's adduser account.
sysroot syscomment
printf '#u sshd 150\nu sshd2 151\n' >"$R/usr/lib/sysusers.d/openssh-server.conf"
diagnose "$R"
check "sysusers.d without a line for sshd: adduser --system's account" \
    out_has '"passwd":"sshd:x:100:65534::/run/sshd:/usr/sbin/nologin"'

R="$T/rhnodir"; mkroot "$R" rhel; rmdir "$R/var/empty/sshd"
diagnose "$R"
check "rhel, /var/empty/sshd missing: privsep" has_id privsep
check "rhel, /var/empty/sshd missing: log line" \
    out_has 'Missing privilege separation directory: /var/empty/sshd'
check "rhel, /var/empty/sshd missing: plan mkdir 0711" \
    out_has '"type":"mkdir","path":"/var/empty/sshd","mode":"0711"'
tree "$R" >"$T/before"
run --root "$R" --apply
check "rhel, /var/empty/sshd missing: made 0711 root:root" sh -c \
    "[ $RC -eq 0 ] && [ \"\$(stat -c '%a %U:%G' '$R/var/empty/sshd')\" = '711 root:root' ]"
run --root "$R" --rollback
tree "$R" >"$T/after"
check "rhel, /var/empty/sshd missing: --rollback removes it again" sh -c \
    "[ $RC -eq 0 ] && [ ! -e '$R/var/empty/sshd' ] && cmp -s '$T/before' '$T/after'"

R="$T/rhgw"; mkroot "$R" rhel; chmod 0775 "$R/var/empty/sshd"
chown 1000 "$R/var/empty/sshd"
diagnose "$R"
check "rhel, /var/empty/sshd 0775 alice: log line" \
    out_has '/var/empty/sshd must be owned by root and not group or world-writable.'
check "rhel, /var/empty/sshd 0775 alice: chown and chmod 0755" sh -c "
    printf '%s' \"\$1\" | grep -qF '\"type\":\"chown\",\"path\":\"/var/empty/sshd\",\"from\":\"1000:0\",\"to\":\"0:0\"' &&
    printf '%s' \"\$1\" | grep -qF '\"type\":\"chmod\",\"path\":\"/var/empty/sshd\",\"from\":\"0775\",\"to\":\"0755\"'" _ "$OUT"
run --root "$R" --apply
check "rhel, /var/empty/sshd 0775 alice: --apply makes it root's 0755" sh -c \
    "[ $RC -eq 0 ] && [ \"\$(stat -c '%a %u' '$R/var/empty/sshd')\" = '755 0' ]"

R="$T/rhfile"; mkroot "$R" rhel; rmdir "$R/var/empty/sshd"; : >"$R/var/empty/sshd"
diagnose "$R"
check "rhel, /var/empty/sshd a file: privsep, a manual step only" sh -c "
    printf '%s' \"\$1\" | grep -qF 'Missing privilege separation directory' &&
    printf '%s' \"\$1\" | grep -qF '\"type\":\"manual\"' &&
    ! printf '%s' \"\$1\" | grep -qF '\"type\":\"mkdir\"'" _ "$OUT"

# Negative controls.
R="$T/norun"; mkroot "$R"
diagnose "$R"
check "debian under --root without /run/sshd: nothing reported" sh -c \
    "[ $RC -eq 0 ] && [ ! -e '$R/run' ]"
R="$T/other"; mkroot "$R"; printf 'ID=arch\n' >"$R/etc/os-release"
diagnose "$R"
check "unknown distribution without /var/empty: nothing reported" [ "$RC" -eq 0 ]
