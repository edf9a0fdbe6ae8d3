# sshd's PAM service missing under UsePAM yes, proved against the real
# sshd (see lib.sh): with neither /etc/pam.d/sshd nor /etc/pam.d/other,
# libpam cannot start and sshd refuses every login ("PAM: initialisation
# failed"); sshfix names it. With "other" in place sshd uses it, and
# sshfix finds nothing. (The repair is a reinstall: advice, no apply.)
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in "no PAM service" "PAM other only"; do
		skip "e2e absent $s" "$why"
	done
	echo "1..$N"
	exit 0
fi

export E2E_MOUNTS=etc/pam.d
R="$T/nopam"; sandbox "$R"; rm "$R/etc/pam.d/sshd"
attempt "$R" alice key
check "no PAM service: the real sshd refuses alice" refused
check "no PAM service: sshd logs \"PAM: initialisation failed\"" \
    log_has "PAM: initialisation failed"
run --root "$R" --json --user alice
check "no PAM service: sshfix reports pam-module with sshd's line" sh -c \
    "[ $RC -eq 1 ] && echo '$(ids)' | grep -qx pam-module &&
    printf '%s' \"\$0\" | grep -q '\"logline\":\"PAM: initialisation failed\"'" "$OUT"

# /etc/pam.d/other, as Debian ships it, stands in for sshd's service.
for f in other common-auth common-account common-session common-password; do
	cp "/etc/pam.d/$f" "$R/etc/pam.d/"
done
attempt "$R" alice key
check "PAM other only: the real sshd lets alice in" logged_in
run --root "$R" --json --user alice
check "PAM other only: sshfix finds nothing (exit 0)" \
    sh -c "[ $RC -eq 0 ] && [ -z '$(ids)' ]"
unset E2E_MOUNTS

echo "1..$N"
