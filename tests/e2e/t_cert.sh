# cert-offered against the real sshd (see lib.sh): a user certificate
# given with --authorized-key, judged as sshd judges it for alice. Each
# refusal is shown by a real login with that certificate (sshd's line in
# its log) and found by the dry run; each control logs in and is clean.
# A certificate is never written into an authorized keys file: sshd
# matches it only through its CA, so such a line lets nobody in.
. "$SSHFIX_TOP/tests/e2e/lib.sh"
. "$SSHFIX_TOP/tests/versions/openssh.sh"

CASES="control-trusted principal expired not-yet untrusted untrusted-apply
host-cert principals-file principals-file-control source-address
source-address-control ca-line-principals ca-line-control only-way revoked-ca
ca-sha1 ca-sha512-control ca-sha1-8.0 ca-sha1-10.0"
why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in $CASES; do skip "e2e cert $s" "$why"; done
	exit 0
fi

ssh-keygen -q -t ed25519 -N '' -C ca -f "$T/ca"
ssh-keygen -q -t rsa -b 2048 -N '' -C ca-rsa -f "$T/ca_rsa"
ssh-keygen -q -t ed25519 -N '' -C alice-cert -f "$T/ukey"
CERT="$T/ukey-cert.pub"
E2E_KEY="$T/ukey"	# the client offers ukey's certificate (and ukey)
export E2E_KEY
not_id() { ! has_id "$1"; }

# sign ARGS...: alice's certificate, signed by the ed25519 CA unless
# ARGS name another; -I and the key are added.
sign() {
	rm -f "$CERT"
	ssh-keygen -q -s "$T/ca" -I alice-id "$@" "$T/ukey.pub"
}

# cbox NAME CONFIG: the sandbox $R trusting the CA (TrustedUserCAKeys)
# with CONFIG lines ("" none) in a drop-in.
cbox() {
	R="$T/$1"; sandbox "$R"
	cp "$T/ca.pub" "$R/etc/ssh/user_ca.pub"
	cat "$T/ca_rsa.pub" >>"$R/etc/ssh/user_ca.pub"
	printf '%s\nTrustedUserCAKeys /etc/ssh/user_ca.pub\n' "$2" \
	    >"$R/etc/ssh/sshd_config.d/10-ca.conf"
}

# refused NAME LINE: the certificate is refused for alice with LINE in
# sshd's log, and the dry run reports cert-offered with that line.
cert_refused() {
	attempt "$R" alice key
	check "$1: login with the certificate fails" refused
	check "$1: sshd logs \"$2\"" log_has "$2"
	run --root "$R" --dry-run --json --user alice --from 127.0.0.1 \
	    --authorized-key "$CERT"
	check "$1: dry run reports cert-offered" has_id cert-offered
	check "$1: an error" out_has '"id":"cert-offered","severity":"error"'
	[ -z "$2" ] || check "$1: with sshd's line" out_has "$2"
}

cert_ok() {
	attempt "$R" alice key
	check "$1: logs in with the certificate" logged_in
	run --root "$R" --dry-run --json --user alice --from 127.0.0.1 \
	    --authorized-key "$CERT"
	check "$1: no cert-offered" not_id cert-offered
}

sign -n alice
cbox trusted ""
cert_ok "control: CA trusted, principal alice"

sign -n bob
cbox principal ""
cert_refused "principal bob" \
    "Certificate invalid: name is not a listed principal"

sign -n alice -V 20200101:20200102
cbox expired ""
cert_refused "expired" "Certificate invalid: expired"

sign -n alice -V +3000d:+3001d
cbox notyet ""
cert_refused "not yet valid" "Certificate invalid: not yet valid"

# A host certificate: the client does not even offer it (sshd logs
# nothing); sshd's cert check would say "not a user certificate".
sign -n alice -h
cbox host ""
cert_refused "host certificate" ""
check "host certificate: says so" out_has "it is a host certificate"

# No CA trusted: refused. --apply writes no certificate line (a line
# sshd would never match: it logs in with nothing more).
sign -n alice
R="$T/untrusted"; sandbox "$R"
cert_refused "CA not trusted" ""
check "CA not trusted: names the CA" out_has "names its CA ED25519"
cp "$R/home/alice/.ssh/authorized_keys" "$T/untrusted.ak"
run --root "$R" --apply --user alice --from 127.0.0.1 \
    --authorized-key "$CERT"
check "CA not trusted: --apply writes no certificate line" \
    cmp -s "$R/home/alice/.ssh/authorized_keys" "$T/untrusted.ak"
attempt "$R" alice key
check "CA not trusted: still refused after --apply" refused

sign -n admins
cbox pfile "AuthorizedPrincipalsFile /etc/ssh/principals/%u"
mkdir -p "$R/etc/ssh/principals"
echo 'ops' >"$R/etc/ssh/principals/alice"
cert_refused "AuthorizedPrincipalsFile without its principal" \
    "Certificate does not contain an authorized principal"
echo 'admins' >"$R/etc/ssh/principals/alice"
cert_ok "control: AuthorizedPrincipalsFile names admins"

sign -n alice -O source-address=10.9.0.0/16
cbox src ""
cert_refused "source-address 10.9.0.0/16" \
    "Refused by certificate options"
sign -n alice -O source-address=127.0.0.0/8
cert_ok "control: source-address 127.0.0.0/8"

# A cert-authority line in alice's authorized_keys instead.
sign -n alice
R="$T/caline"; sandbox "$R"
printf 'cert-authority,principals="ops" %s\n' "$(cat "$T/ca.pub")" \
    >>"$R/home/alice/.ssh/authorized_keys"
cert_refused "cert-authority line, principals=ops" \
    "Certificate does not contain an authorized principal"
printf 'cert-authority %s\n' "$(cat "$T/ca.pub")" \
    >>"$R/home/alice/.ssh/authorized_keys"
cert_ok "control: cert-authority line without principals="

# Alice's only way in is her certificate: it is one, not "cannot tell".
sign -n alice
cbox only "PasswordAuthentication no"
: >"$R/home/alice/.ssh/authorized_keys"
cert_ok "control: the certificate is alice's only way in"
check "control: the certificate is alice's only way in: no auth-lockout" \
    not_id auth-lockout
check "control: the certificate is alice's only way in: exit 0" [ "$RC" -eq 0 ]

cbox revca "RevokedKeys /etc/ssh/revoked"
cp "$T/ca.pub" "$R/etc/ssh/revoked"
FP=$(ssh-keygen -lf "$T/ukey.pub" | cut -d' ' -f2)
cert_refused "RevokedKeys lists the CA" \
    "Authentication key ED25519-CERT $FP revoked by file /etc/ssh/revoked"
check "RevokedKeys lists the CA: says so" out_has "revokes its CA"

# A CA signature made with ssh-rsa (SHA-1): refused since 8.2.
# The release decides (release.c's table): the sandbox holds sshd.
sign -n alice -s "$T/ca_rsa" -t ssh-rsa
cbox sha1 ""
copy_sshd "$R"
cert_refused "CA signed with ssh-rsa" \
    "certificate signature algorithm ssh-rsa"
sign -n alice -s "$T/ca_rsa" -t rsa-sha2-512
cert_ok "control: CA signed with rsa-sha2-512"

# Upstream 10.0p2 (no PAM: root, with a certificate for root) refuses
# the SHA-1 CA signature with the same line; 8.0p1 takes it.
# rel_box NAME RELEASE: the sandbox with that release's sshd as judge.
rel_box() {
	P=$(openssh_build "$2" 2>"$T/why") || return 1
	cbox "$1" ""
	# 8.0 reads no Include: the whole config in one file
	echo 'TrustedUserCAKeys /etc/ssh/user_ca.pub' >"$R/etc/ssh/sshd_config"
	copy_sshd "$R"
	cp "$P/sbin/sshd" "$R/usr/sbin/sshd"
	SSHD="$P/sbin/sshd"
}
if rel_box sha1-80 8.0p1; then
	sign -n root -s "$T/ca_rsa" -t ssh-rsa
	attempt "$R" root key
	check "8.0p1, CA signed with ssh-rsa: root logs in" logged_in
	run --root "$R" --dry-run --json --user root --from 127.0.0.1 \
	    --authorized-key "$CERT"
	check "8.0p1, CA signed with ssh-rsa: no cert-offered" \
	    not_id cert-offered
else
	skip "e2e cert ca-sha1-8.0" "$(head -1 "$T/why")"
fi
if ! rel_box sha1-10 10.0p2; then
	skip "e2e cert ca-sha1-10.0" "$(head -1 "$T/why")"
	exit 0
fi
sign -n root -s "$T/ca_rsa" -t ssh-rsa
attempt "$R" root key
check "10.0p2, CA signed with ssh-rsa: root's login fails" refused
check "10.0p2, CA signed with ssh-rsa: sshd logs it" \
    log_has "certificate signature algorithm ssh-rsa: signature algorithm not supported"
run --root "$R" --dry-run --json --user root --from 127.0.0.1 \
    --authorized-key "$CERT"
check "10.0p2, CA signed with ssh-rsa: an error" \
    out_has '"id":"cert-offered","severity":"error"'
sign -n root -s "$T/ca_rsa" -t rsa-sha2-512
attempt "$R" root key
check "10.0p2, control rsa-sha2-512: root logs in" logged_in
run --root "$R" --dry-run --json --user root --from 127.0.0.1 \
    --authorized-key "$CERT"
check "10.0p2, control rsa-sha2-512: no cert-offered" not_id cert-offered
