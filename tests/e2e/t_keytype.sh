# key-refused, key types, against the real sshd (see lib.sh): a key whose
# type the server's PubkeyAcceptedAlgorithms (or its release's default)
# leaves out refuses alice's login with the line sshfix names; sshfix only
# advises (it never widens the list), and the key it is told to add with
# --authorized-key lets her in until --rollback. An allowed type is clean.
. "$SSHFIX_TOP/tests/e2e/lib.sh"
. "$SSHFIX_TOP/tests/versions/openssh.sh"

CASES="rsa-list-ed25519 ed25519-control rsa-sha2-256-warning dsa-9.2
rsa-size rsa-size-control rsa-size-match rsa-size-match-other dsa-10.0"
why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in $CASES; do skip "e2e keytype $s" "$why"; done
	exit 0
fi
for ty in rsa dsa; do
	ssh-keygen -q -t $ty -N '' -C $ty -f "$T/user_$ty"
done
ssh-keygen -q -t rsa -b 1024 -N '' -C rsa1024 -f "$T/user_rsa1024"
not_id() { ! has_id "$1"; }
export E2E_KEY	# attempt's client key (lib.sh)

# ktbox NAME KEY LIST: the sandbox $R, alice's only key KEY, LIST the
# PubkeyAcceptedAlgorithms line ("" none); the client logs in with KEY.
ktbox() {
	R="$T/$1"; sandbox "$R"; copy_sshd "$R"
	cp "$2.pub" "$R/home/alice/.ssh/authorized_keys"
	chown 1000:1000 "$R/home/alice/.ssh/authorized_keys"
	[ -z "$3" ] || echo "$3" >"$R/etc/ssh/sshd_config.d/20-algs.conf"
	E2E_KEY=$2
}

LINE='userauth_pubkey: signature algorithm rsa-sha2-512 not in PubkeyAcceptedAlgorithms [preauth]'
ktbox rsa "$T/user_rsa" "PubkeyAcceptedAlgorithms ssh-ed25519"
refused_as "RSA key, list ssh-ed25519" key-refused "$LINE"
check "RSA key, list ssh-ed25519: an error" out_has \
    '"id":"key-refused","severity":"error"'
# The advice carried out: the ed25519 key added, alice logs in with it.
run --root "$R" --apply --user alice --authorized-key "$CKEY.pub"
check "RSA key, list ssh-ed25519: --apply --authorized-key exits 1 (the RSA line stays, advised)" \
    [ "$RC" -eq 1 ]
check "RSA key, list ssh-ed25519: the ed25519 key added" grep -qF \
    "$(cut -d' ' -f2 "$CKEY.pub")" "$R/home/alice/.ssh/authorized_keys"
check "RSA key, list ssh-ed25519: the list is not widened" grep -qx \
    'PubkeyAcceptedAlgorithms ssh-ed25519' "$R/etc/ssh/sshd_config.d/20-algs.conf"
E2E_KEY=$CKEY attempt "$R" alice key
check "RSA key, list ssh-ed25519: the added ed25519 key logs in" logged_in
run --root "$R" --rollback
check "RSA key, list ssh-ed25519: --rollback exits 0" [ "$RC" -eq 0 ]
E2E_KEY=$CKEY attempt "$R" alice key
check "RSA key, list ssh-ed25519: refused again after --rollback" refused

ktbox ed "$CKEY" "PubkeyAcceptedAlgorithms ssh-ed25519"
attempt "$R" alice key
check "control ed25519 key, list ssh-ed25519: logs in" logged_in
run --root "$R" --dry-run --json --user alice --from 127.0.0.1
check "control ed25519 key, list ssh-ed25519: no key-refused" \
    not_id key-refused

ktbox sha256 "$T/user_rsa" "PubkeyAcceptedAlgorithms rsa-sha2-256"
refused_as "RSA key, list rsa-sha2-256 (Debian 9.2)" key-refused "$LINE"
check "RSA key, list rsa-sha2-256: a warning (other clients may sign so)" \
    out_has '"id":"key-refused","severity":"warning"'

# RequiredRSASize (9.1+): a 1024-bit RSA key under 2048 is refused
# before any signature (the proof's query too); a 3072-bit one is not.
ktbox rsasize "$T/user_rsa1024" "RequiredRSASize 2048"
refused_as "RSA 1024 under RequiredRSASize 2048" key-refused \
    'refusing RSA key: Invalid key length'
check "RSA 1024 under RequiredRSASize 2048: an error naming the bits and the line" \
    out_has 'it has 1024 bits, fewer than RequiredRSASize 2048 at /etc/ssh/sshd_config.d/20-algs.conf:1'
check "RSA 1024 under RequiredRSASize 2048: advice only (never lowered)" \
    out_has 'sshfix never lowers RequiredRSASize'
ktbox rsasize3072 "$T/user_rsa" "RequiredRSASize 2048"
attempt "$R" alice key
check "control RSA 3072 under RequiredRSASize 2048: logs in" logged_in
run --root "$R" --dry-run --json --user alice --from 127.0.0.1
check "control RSA 3072 under RequiredRSASize 2048: no key-refused" \
    not_id key-refused
# In a Match block: for her, 4096 refuses her 3072-bit key; for bob only,
# her key is let in.
printf 'Match User alice\n\tRequiredRSASize 4096\n' \
    >"$R/etc/ssh/sshd_config.d/20-algs.conf"
refused_as "RSA 3072, Match User alice RequiredRSASize 4096" key-refused \
    'refusing RSA key: Invalid key length'
printf 'Match User bob\n\tRequiredRSASize 4096\n' \
    >"$R/etc/ssh/sshd_config.d/20-algs.conf"
attempt "$R" alice key
check "control RSA 3072, Match User bob RequiredRSASize 4096: alice logs in" \
    logged_in
run --root "$R" --dry-run --json --user alice --from 127.0.0.1
check "control RSA 3072, Match User bob: no key-refused" not_id key-refused

# The client offers a DSA key only when told to.
E2E_SSH_OPTS="-o PubkeyAcceptedAlgorithms=+ssh-dss"
export E2E_SSH_OPTS
ktbox dsa "$T/user_dsa" ""
refused_as "DSA key, Debian 9.2 default list" key-refused \
    'userauth_pubkey: signature algorithm ssh-dss not in PubkeyAcceptedAlgorithms [preauth]'
echo "PubkeyAcceptedAlgorithms +ssh-dss" >"$R/etc/ssh/sshd_config.d/20-algs.conf"
attempt "$R" alice key
check "control DSA key, +ssh-dss on 9.2: logs in" logged_in
run --root "$R" --dry-run --json --user alice --from 127.0.0.1
check "control DSA key, +ssh-dss on 9.2: no key-refused" not_id key-refused

# Upstream 10.0p2 has no DSA: at VERBOSE it names the algorithm. It has
# no PAM either, so root (key, no "!" lock) is the account tried.
if ! P10=$(openssh_build 10.0p2 2>"$T/why"); then
	skip "e2e keytype dsa-10.0" "$(head -1 "$T/why")"
	exit 0
fi
ktbox dsa10 "$T/user_dsa" "LogLevel VERBOSE"
cp "$T/user_dsa.pub" "$R/root/.ssh/authorized_keys"
cp "$P10/sbin/sshd" "$R/usr/sbin/sshd"
SSHD="$P10/sbin/sshd"
LINE='userauth_pubkey: unsupported public key algorithm: ssh-dss [preauth]'
attempt "$R" root key
check "DSA key, 10.0: login fails" refused
check "DSA key, 10.0: sshd logs \"$LINE\"" log_has "$LINE"
run --root "$R" --dry-run --json --user root --from 127.0.0.1
check "DSA key, 10.0: dry run reports key-refused" has_id key-refused
check "DSA key, 10.0: with sshd's exact line" out_has "$LINE"
