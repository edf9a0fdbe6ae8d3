# Host keys cut short with their headers intact, and privilege
# separation, judged by the real sshd (see lib.sh).
. "$SSHFIX_TOP/tests/e2e/lib.sh"

SCENARIOS="healthy keys-cut mismatched-pub privsep-user live-run-sshd rhel-privsep-dir"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in $SCENARIOS; do skip "e2e $s" "$why"; done
	exit 0
fi

R="$T/healthy"; sandbox "$R"
attempt "$R" root key
check "healthy root: root logs in with a key" logged_in

R="$T/cut"; sandbox "$R"
for k in "$R"/etc/ssh/ssh_host_*_key; do
	{ head -2 "$k"; sed -n 3p "$k"; tail -1 "$k"; } >"$k.cut"
	cat "$k.cut" >"$k"; rm "$k.cut"
done
scenario "every host key cut, headers intact" "$R" root key \
    "sshd: no hostkeys available -- exiting." hostkey-missing
run --root "$R" --dry-run
check "keys cut, after --rollback: dry run exits 1" [ "$RC" -eq 1 ]

R="$T/nouser"; sandbox "$R"
sed -i '/^sshd:/d' "$R/etc/passwd" "$R/etc/shadow"
scenario "privsep user sshd missing from passwd" "$R" root key \
    "Privilege separation user sshd does not exist" privsep
check "privsep user: the account is gone again after --rollback" sh -c \
    "! grep -q '^sshd:' '$R/etc/passwd' '$R/etc/shadow'"

# The running Debian system: /run/sshd group-writable while sshd runs
# (the next reload would kill it); --apply fixes the mode and reloads.
live "$(R="$T/live"; sandbox "$R"; echo "$R")" privsep-gw
check "live /run/sshd 0775: sshd -t refuses it" grep -qF \
    "/run/sshd must be owned by root and not group or world-writable." \
    "$T/sshd-t.out"
check "live /run/sshd 0775: --apply fixes privsep, exits 0" sh -c \
    "[ $APPLY_RC -eq 0 ] && printf '%s' \"\$1\" | grep -q privsep &&
     [ \"\$(cat '$T/runsshd.mode')\" = 755 ]" _ "$APPLY_OUT"
# A reload with /run/sshd still 0775 kills sshd with that line.
check "live /run/sshd 0775: sshd reloaded after the fix, login works" sh -c \
    "printf '%s' \"\$1\" | grep -q 'SIGHUP\|reload' && [ $LOGIN -eq 0 ]" \
    _ "$APPLY_OUT"

# Debian's sshd judges only its compiled-in /run/sshd (same rule, see
# fault-model.md); /var/empty/sshd is tested on fake roots.
skip "rhel /var/empty/sshd group-writable" \
    "the host's sshd (Debian) checks /run/sshd, not /var/empty/sshd"

# Negative control: sshd loads a key whose .pub belongs to another key.
R="$T/mismatch"; sandbox "$R"
S="$R/etc/ssh/ssh_host"
cp "${S}_rsa_key.pub" "$T/rsa.pub"
cp "${S}_ed25519_key.pub" "${S}_rsa_key.pub"
cp "${S}_ed25519_key.pub" "${S}_ecdsa_key.pub"
cp "$T/rsa.pub" "${S}_ed25519_key.pub"
attempt "$R" root key
check "mismatched .pub: sshd loads the keys, root logs in" logged_in
run --root "$R" --dry-run --json
check "mismatched .pub: nothing reported" sh -c "[ $RC -eq 0 ]"
