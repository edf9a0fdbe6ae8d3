# sshd_config deleted, proved against the real sshd (see lib.sh): sshd
# does not start; sshfix puts the package's default back (Debian's
# /usr/share/openssh/sshd_config), alice logs in, --rollback removes it.
# sshd's PAM service missing under UsePAM yes, proved against the real
# sshd (see lib.sh): with neither /etc/pam.d/sshd nor /etc/pam.d/other,
# libpam cannot start and sshd refuses every login ("PAM: initialisation
# failed"); sshfix names it. With "other" in place sshd uses it, and
# sshfix finds nothing. (The repair is a reinstall: advice, no apply.)
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in "sshd_config deleted" "live, sshd_config deleted" \
	    "no PAM service" "PAM other only"; do
		skip "e2e absent $s" "$why"
	done
	echo "1..$N"
	exit 0
fi

R="$T/noconf"; sandbox "$R"
mkdir -p "$R/usr/sbin" "$R/usr/share/openssh"
: >"$R/usr/sbin/sshd"
cp /usr/share/openssh/sshd_config "$R/usr/share/openssh/sshd_config"
rm "$R/etc/ssh/sshd_config"
scenario "sshd_config deleted" "$R" alice key \
    "/etc/ssh/sshd_config: No such file or directory" sshd-absent

# On the server itself (serial console): sshd is down for want of its
# config; --apply puts it back and starts sshd, which lets alice in.
R="$T/live-noconf"; sandbox "$R"; mkdir -p "$R/var/lib"
rm "$R/etc/ssh/sshd_config"
live "$R" down
check "live, sshd_config deleted: --apply exits 0" [ "$APPLY_RC" -eq 0 ]
[ "$APPLY_RC" -eq 0 ] || printf '%s\n' "$APPLY_OUT" | sed 's/^/# /'
check "live, sshd_config deleted: the default back, sshfix started sshd" \
    sh -c "cmp -s /usr/share/openssh/sshd_config '$R/etc/ssh/sshd_config' &&
    printf '%s' \"\$1\" | grep -q 'started /usr/sbin/sshd'" _ "$APPLY_OUT"
check "live, sshd_config deleted: login works" logged_in

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
