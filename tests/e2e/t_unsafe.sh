# Issue 11 (d), proved against the real sshd: root with a key under
# PermitRootLogin no is repaired with prohibit-password (never yes), and
# root then logs in with its key (see lib.sh).
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
if [ -n "$why" ]; then
	skip "e2e unsafe root-prohibit-password" "$why"
	exit 0
fi

R="$T/rootno"; sandbox "$R"
printf 'PermitRootLogin no\n' >"$R/etc/ssh/sshd_config.d/50-root.conf"
scenario "root with a key, PermitRootLogin no" "$R" root key \
    "ROOT LOGIN REFUSED FROM 127.0.0.1" auth-lockout --user root
run --root "$R" --apply --user root
check "root with a key: the repair is prohibit-password, never yes" sh -c "
    grep -qx 'PermitRootLogin prohibit-password' \
    '$R/etc/ssh/sshd_config.d/50-root.conf' &&
    ! grep -rqiE '^[[:space:]]*(PermitRootLogin|PasswordAuthentication) yes' \
    '$R/etc/ssh/sshd_config' '$R/etc/ssh/sshd_config.d'"
run --root "$R" --rollback
