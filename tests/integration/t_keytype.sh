#!/bin/sh
# key-refused, key types: a key line whose type the target's sshd will not
# accept for the account (PubkeyAcceptedAlgorithms, or the release's
# default, include/target/keys/keyalgs.h). Advice only: sshfix never widens the list.
# The real sshd's verdicts are in tests/e2e/t_keytype.sh.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"
. "$SSHFIX_TOP/tests/versions/openssh.sh"

for ty in rsa dsa; do
	ssh-keygen -q -t $ty -N '' -C $ty -f "$KEYS/user_$ty"
done
not_id() { ! has_id "$1"; }
is_warning() { out_has '"id":"key-refused","severity":"warning"'; }
is_error() { out_has '"id":"key-refused","severity":"error"'; }
not_error() { ! is_error; }

# ktroot NAME SSHD KEYS LIST: alice's authorized_keys holds KEYS (user_*
# names), sshd is the host's 9.2 ("92") or none ("") on the root, LIST
# the PubkeyAcceptedAlgorithms line ("" for none).
ktroot() {
	R="$T/$1"; mkroot "$R"
	[ "$2" = 92 ] && copy_sshd "$R"
	AK="$R/home/alice/.ssh/authorized_keys"
	: >"$AK"
	for k in $3; do cat "$KEYS/$k.pub" >>"$AK"; done
	chown 1000:1000 "$AK"
	[ -z "$4" ] || echo "$4" >"$R/etc/ssh/sshd_config.d/20-algs.conf"
}

ktroot list92 92 user_rsa "PubkeyAcceptedAlgorithms ssh-ed25519"
diagnose "$R" --user alice
check "RSA key, list ssh-ed25519: key-refused error" is_error
check "RSA key, list ssh-ed25519: names the line that excludes it" out_has \
    'PubkeyAcceptedAlgorithms ssh-ed25519 at /etc/ssh/sshd_config.d/20-algs.conf:1 allows no signature algorithm of it'
check "RSA key, list ssh-ed25519: sshd's line" out_has \
    'userauth_pubkey: signature algorithm rsa-sha2-512 not in PubkeyAcceptedAlgorithms [preauth]'
check "RSA key, list ssh-ed25519: advice, never a widened list" out_has \
    'with --authorized-key (ssh-keygen -t ed25519 makes one); or, if ssh-rsa keys should be accepted, change PubkeyAcceptedAlgorithms at /etc/ssh/sshd_config.d/20-algs.conf:1'
check "RSA key, list ssh-ed25519: the dry run changed nothing" [ "$UNCHANGED" -eq 0 ]
diagnose "$R"
check "RSA key, list ssh-ed25519, no --user: reported (no usable key left)" \
    has_id key-refused
diagnose "$R" --user alice
check "RSA key, list ssh-ed25519: auth-lockout sees alice keyless" out_has \
    'alice cannot log in: no usable key'
cat "$KEYS/user_key.pub" >>"$AK"
diagnose "$R"
check "RSA + ed25519 keys, no --user: quiet (a usable key is left)" \
    not_id key-refused
check "RSA + ed25519 keys, no --user: no auth-lockout" not_id auth-lockout
diagnose "$R" --user alice
check "RSA + ed25519 keys, --user alice: the RSA line reported" out_has \
    '"subject":"/home/alice/.ssh/authorized_keys:1"'

ktroot incl92 92 user_rsa "PubkeyAcceptedAlgorithms ssh-ed25519,rsa-sha2-*"
diagnose "$R" --user alice
check "RSA key, list with rsa-sha2-*: clean" not_id key-refused

ktroot glob92 92 "user_key user_rsa" "PubkeyAcceptedAlgorithms ssh-ed*"
diagnose "$R" --user alice
check "ed25519 key, list ssh-ed*: its line clean" sh -c \
    "! printf '%s' \"\$1\" | grep -qF 'authorized_keys:1\"'" _ "$OUT"
check "RSA key, list ssh-ed*: its line reported" out_has \
    '"subject":"/home/alice/.ssh/authorized_keys:2"'

ktroot sha256 92 user_rsa "PubkeyAcceptedAlgorithms rsa-sha2-256"
diagnose "$R" --user alice
check "RSA key, list rsa-sha2-256 on 9.2: a warning (OpenSSH clients sign rsa-sha2-512)" \
    is_warning
check "RSA key, list rsa-sha2-256 on 9.2: not an error" not_error
diagnose "$R"
check "RSA key, list rsa-sha2-256 on 9.2, no --user: counted usable" \
    not_id auth-lockout

ktroot match92 92 user_rsa ""
printf 'Match User alice\n\tPubkeyAcceptedAlgorithms ssh-ed25519\n' \
    >>"$R/etc/ssh/sshd_config"
diagnose "$R" --user alice
check "RSA key, list in Match User alice: reported" is_error
sed -i 's/^Match User alice/Match User bob/' "$R/etc/ssh/sshd_config"
diagnose "$R" --user alice
check "RSA key, list in Match User bob: clean for alice" not_id key-refused

ktroot dsa92 92 user_dsa ""
diagnose "$R" --user alice
check "DSA key on 9.2, default list: key-refused error" is_error
check "DSA key on 9.2: not in the default list" out_has \
    'sshd will not accept the ssh-dss key: it is not in the default PubkeyAcceptedAlgorithms of OpenSSH_9.2p1'
check "DSA key on 9.2: sshd's line" out_has \
    'userauth_pubkey: signature algorithm ssh-dss not in PubkeyAcceptedAlgorithms [preauth]'
check "DSA key on 9.2: no list line to name" sh -c \
    "! printf '%s' \"\$1\" | grep -qF 'change PubkeyAcceptedAlgorithms'" _ "$OUT"

ktroot dsaplus92 92 user_dsa "PubkeyAcceptedKeyTypes +ssh-dss"
diagnose "$R" --user alice
check "DSA key on 9.2, +ssh-dss (old keyword): clean" not_id key-refused
ktroot dsaminus92 92 user_dsa "PubkeyAcceptedAlgorithms -ssh-ed25519"
diagnose "$R" --user alice
check "DSA key on 9.2, -ssh-ed25519: still refused (not in the default)" \
    is_error
ktroot edminus 92 user_key "PubkeyAcceptedAlgorithms -ssh-ed25519"
diagnose "$R" --user alice
check "ed25519 key on 9.2, -ssh-ed25519: refused" out_has \
    'PubkeyAcceptedAlgorithms -ssh-ed25519 at /etc/ssh/sshd_config.d/20-algs.conf:1'

ktroot dsaunknown "" user_dsa ""
diagnose "$R" --user alice
check "DSA key, unknown release: no finding" not_id key-refused
check "DSA key, unknown release: a note, cannot tell" out_has \
    'cannot tell whether sshd accepts the ssh-dss key on line 1 of /home/alice/.ssh/authorized_keys (alice)'
ktroot rsaunknown "" user_rsa "PubkeyAcceptedAlgorithms ssh-ed25519"
diagnose "$R" --user alice
check "RSA key, unknown release, explicit list: judged exactly" is_error
ktroot plusunknown "" user_dsa "PubkeyAcceptedAlgorithms +ssh-dss"
diagnose "$R" --user alice
check "DSA key, unknown release, +ssh-dss: no finding" not_id key-refused
check "DSA key, unknown release, +ssh-dss: a note" out_has \
    'cannot tell whether sshd accepts the ssh-dss key'

ktroot ca92 92 "" "PubkeyAcceptedAlgorithms ssh-ed25519"
printf 'cert-authority %s\n' "$(cat "$KEYS/user_rsa.pub")" >"$AK"
diagnose "$R" --user alice
check "cert-authority RSA line under list ssh-ed25519: not judged" \
    not_id key-refused

if P10=$(openssh_build 10.0p2 2>"$T/why"); then
	ktroot dsa10 92 user_dsa ""
	cp "$P10/sbin/sshd" "$R/usr/sbin/sshd"
	diagnose "$R" --user alice
	check "DSA key on 10.0: no DSA support" out_has \
	    'sshd will not accept the ssh-dss key: this sshd (OpenSSH_10.0p2) has no DSA support'
	check "DSA key on 10.0: sshd's line" out_has \
	    'userauth_pubkey: unsupported public key algorithm: ssh-dss [preauth]'
	ktroot sha256_10 92 user_rsa "PubkeyAcceptedAlgorithms rsa-sha2-256"
	cp "$P10/sbin/sshd" "$R/usr/sbin/sshd"
	diagnose "$R" --user alice
	check "RSA key, list rsa-sha2-256 on 10.0: clean" not_id key-refused
else
	skip_line "DSA key on OpenSSH 10.0" "$(head -1 "$T/why")"
	skip_line "RSA key, rsa-sha2-256 on OpenSSH 10.0" "$(head -1 "$T/why")"
fi
