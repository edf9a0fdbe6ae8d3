#!/bin/sh
# cert-offered on hostile or unreadable files: a certificate given with
# --authorized-key is judged against the target's TrustedUserCAKeys and
# AuthorizedPrincipalsFile, read through safefs under a budget. A FIFO, a
# file past the budget or a principals command is "cannot
# tell" (a warning), never "accepted", never a hang; nothing is written;
# a certificate cut short is a one-line error (exit 2). The verdicts
# themselves are proved against the real sshd in tests/e2e/t_cert.sh.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
ssh-keygen -q -t ed25519 -N '' -C ca -f "$T/ca"
ssh-keygen -q -t ed25519 -N '' -C alice-cert -f "$T/u"
ssh-keygen -q -s "$T/ca" -I alice -n alice "$T/u.pub"
CERT="$T/u-cert.pub"

# cabox NAME: TrustedUserCAKeys /etc/ssh/ca.pub, alice with a plain key
# too (her login is not in question: only the certificate is).
cabox() {
	R="$T/$1"; mkroot "$R"
	cp "$T/ca.pub" "$R/etc/ssh/ca.pub"
	echo 'TrustedUserCAKeys /etc/ssh/ca.pub' >"$R/etc/ssh/sshd_config.d/ca.conf"
}
warned() {	# warned WHAT: cert-offered a warning saying "cannot tell"
	jscheck "$1: a warning, cannot tell, nothing changed" \
	    'f["cert-offered"]["severity"] == "warning" and
	    f["cert-offered"]["message"].startswith("cannot tell")'
	check "$1: nothing changed" [ "$UNCHANGED" -eq 0 ]
}

cabox good
diagnose "$R" --user alice --authorized-key "$CERT"
check "trusted CA, principal alice: clean, exit 0" \
    sh -c "[ $RC -eq 0 ] && [ -z '$(ids)' ]"

cabox fifo
rm "$R/etc/ssh/ca.pub"; mkfifo "$R/etc/ssh/ca.pub"
timeout 20 "$SSHFIX" --root "$R" --json --user alice \
    --authorized-key "$CERT" >"$T/out" 2>"$T/err"
RC=$?; OUT=$(cat "$T/out"); UNCHANGED=0
check "TrustedUserCAKeys a FIFO: no hang (exit $RC)" [ "$RC" -ne 124 ]
warned "TrustedUserCAKeys a FIFO"

# A link sshd (root) follows: followed inside the root, never out of it.
cabox link
mv "$R/etc/ssh/ca.pub" "$R/etc/ssh/real-ca.pub"
ln -s /etc/ssh/real-ca.pub "$R/etc/ssh/ca.pub"
diagnose "$R" --user alice --authorized-key "$CERT"
check "TrustedUserCAKeys a symlink inside the root: followed, clean" \
    sh -c "[ $RC -eq 0 ] && [ -z '$(ids)' ]"
cp "$T/ca.pub" "$T/outside-ca.pub"
ln -sf "$T/outside-ca.pub" "$R/etc/ssh/ca.pub"
diagnose "$R" --user alice --authorized-key "$CERT"
jscheck "TrustedUserCAKeys a symlink out of the root: not followed there" \
    'f["cert-offered"]["severity"] == "error" and
    "no CA sshd trusts" in f["cert-offered"]["message"]'

cabox big
truncate -s 2G "$R/etc/ssh/ca.pub"
diagnose "$R" --user alice --authorized-key "$CERT"
warned "TrustedUserCAKeys a sparse 2 GiB file"

cabox pcmd
echo 'AuthorizedPrincipalsCommand /bin/false' >>"$R/etc/ssh/sshd_config.d/ca.conf"
echo 'AuthorizedPrincipalsCommandUser nobody' >>"$R/etc/ssh/sshd_config.d/ca.conf"
diagnose "$R" --user alice --authorized-key "$CERT"
warned "AuthorizedPrincipalsCommand (not run)"

cabox pglob
echo 'AuthorizedPrincipalsFile /etc/ssh/principals/*' >>"$R/etc/ssh/sshd_config.d/ca.conf"
diagnose "$R" --user alice --authorized-key "$CERT"
warned "AuthorizedPrincipalsFile a pattern"

# The certificate itself cut short: refused before anything is read.
cabox cut
head -c 300 "$CERT" >"$T/cut.pub"; echo >>"$T/cut.pub"
diagnose "$R" --user alice --authorized-key "$T/cut.pub"
check "a certificate cut short: exit 2, one line naming the file" \
    sh -c "[ $RC -eq 2 ] && [ \"\$(grep -c . '$T/err')\" -eq 1 ] &&
    grep -q 'cut.pub line 1' '$T/err'"
check "a certificate cut short: nothing changed" [ "$UNCHANGED" -eq 0 ]

# --apply with a refused certificate writes nothing: its advice only.
cabox apply
ssh-keygen -q -s "$T/ca" -I bob -n bob "$T/u.pub"
tree "$R" >"$T/t0"
run --root "$R" --apply --json --user alice --authorized-key "$CERT"
tree "$R" >"$T/t1"
check "principal bob, --apply: exit 1, nothing written" \
    sh -c "[ $RC -eq 1 ] && cmp -s '$T/t0' '$T/t1'"
jscheck "principal bob: an error naming the principal, advice only" \
    'f["cert-offered"]["severity"] == "error" and
    "do not name alice" in f["cert-offered"]["message"] and
    all(a["type"] == "manual" for a in f["cert-offered"]["actions"])'
