# account-state and root-login (issue 11), proved against the real sshd:
# each refusal is logged by sshd with the line the finding carries, and
# the dry run reports it with its advice; root-login is repaired with
# PermitRootLogin prohibit-password and rolled back. Negative controls:
# what sshd accepts (or refuses on purpose) stays clean.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

CASES="shell-missing shell-noexec locked-nopam expired-pam expired-nopam
nologin-pam nologin-nopam root-no toor-no root-forced root-pw
neg-locked-pam neg-service neg-root-unasked"
why=$(e2e_missing)
if [ -n "$why" ]; then
	for c in $CASES; do skip "e2e account $c" "$why"; done
	exit 0
fi

# acct_root DIR: a sandbox whose shells sshfix can judge (sshd uses the
# host's own /bin/bash: the sandbox does not cover /bin), with the host's
# PAM stack as sshfix's view of it.
acct_root() {
	sandbox "$1"
	mkdir -p "$1/bin"
	printf '#!/bin/sh\n' >"$1/bin/bash"
	cp "$1/bin/bash" "$1/bin/sh"
	chmod 0755 "$1/bin/bash" "$1/bin/sh"
	printf '/bin/sh\n/bin/bash\n' >"$1/etc/shells"
	cp -a /etc/pam.d "$1/etc/"
}

not() { ! "$@"; }
lacks() { ! out_has "$1"; }
one_edit() { [ "$(printf '%s' "$OUT" | grep -oF -- "$1" | wc -l)" -eq 1 ]; }

# refusal NAME DIR USER LINE ADVICE: sshd refuses USER's key login and
# logs LINE; the dry run reports account-state with ADVICE.
refusal() {
	attempt "$2" "$3" key
	check "$1: login fails" refused
	check "$1: sshd logs \"$4\"" log_has "$4"
	[ "$LOGIN" -ne 0 ] && log_has "$4" ||
	    printf '%s\n' "$LOG" | tail -5 | sed 's/^/# /'
	run --root "$2" --dry-run --json --user "$3"
	check "$1: dry run reports account-state" has_id account-state
	check "$1: the finding carries sshd's line" out_has "$4"
	check "$1: advice: $5" out_has "$5"
}

# after NAME DIR USER: the advice carried out, the key login works.
after() {
	attempt "$2" "$3" key
	check "$1: login works once the advice is followed" logged_in
	run --root "$2" --dry-run --json --user "$3"
	check "$1: and the dry run is clean" no_ids
}

R="$T/shell"; acct_root "$R"
sed -i 's|^\(alice:.*\):/bin/bash$|\1:/bin/zsh|' "$R/etc/passwd"
refusal "shell-missing" "$R" alice \
    "User alice not allowed because shell /bin/zsh does not exist" \
    "usermod --root $R -s /bin/bash alice"
usermod --root "$R" -s /bin/bash alice
after "shell-missing" "$R" alice

R="$T/noexec"; acct_root "$R"
printf '#!/bin/sh\n' >"$R/etc/ssh/notexec"
chmod 0644 "$R/etc/ssh/notexec"
sed -i 's|^\(alice:.*\):/bin/bash$|\1:/etc/ssh/notexec|' "$R/etc/passwd"
refusal "shell-noexec" "$R" alice \
    "User alice not allowed because shell /etc/ssh/notexec is not executable" \
    "usermod --root $R -s /bin/bash alice"

# UsePAM no: sshd itself refuses a "!" password (platform_locked_account).
R="$T/locked"; acct_root "$R"
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
refusal "locked-nopam" "$R" alice \
    "User alice not allowed because account is locked" \
    "usermod --root $R -p '*' alice"
usermod --root "$R" -p '*' alice
after "locked-nopam" "$R" alice

# Expired in shadow (field 8, day 1): PAM's pam_unix refuses it after the
# key was accepted; with UsePAM no sshd logs the expiry and "locked".
R="$T/expired"; acct_root "$R"
sed -i 's/^alice:!:19000:0:99999:7:::/alice:!:19000:0:99999:7::1:/' \
    "$R/etc/shadow"
refusal "expired-pam" "$R" alice \
    "Access denied for user alice by PAM account configuration" \
    "chage --root $R -E -1 alice"
chage --root "$R" -E -1 alice
after "expired-pam" "$R" alice
sed -i 's/^alice:!:19000:0:99999:7:::/alice:*:19000:0:99999:7::1:/' \
    "$R/etc/shadow"
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
refusal "expired-nopam" "$R" alice \
    "User alice not allowed because account is locked" \
    "chage --root $R -E -1 alice"
check "expired-nopam: sshd logs the expiry first" \
    log_has "Account alice has expired"

# /etc/nologin: the sandbox's whole etc (a copy of the host's with the
# sandbox's files) is mounted over /etc, so that sshd and PAM see it.
R="$T/nologin"; acct_root "$R"
cp -an /etc/. "$R/etc/"
echo "maintenance" >"$R/etc/nologin"
export E2E_MOUNTS=etc
refusal "nologin-pam" "$R" alice \
    "Access denied for user alice by PAM account configuration" \
    "rm $R/etc/nologin"
attempt "$R" root key
check "nologin-pam: root is exempt and logs in" logged_in
run --root "$R" --dry-run --json --user root
check "nologin-pam: --user root is clean" no_ids
# UsePAM no: sshd's own do_nologin (alice's "!" would refuse her first).
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
sed -i 's/^alice:!:/alice:*:/' "$R/etc/shadow"
refusal "nologin-nopam" "$R" alice \
    "User alice not allowed because /etc/nologin exists" \
    "rm $R/etc/nologin"
rm "$R/etc/nologin"
after "nologin-nopam" "$R" alice
unset E2E_MOUNTS

# root-login: every uid 0 account, repaired with prohibit-password once.
R="$T/rootno"; acct_root "$R"
printf 'PermitRootLogin no\n' >"$R/etc/ssh/sshd_config.d/50-root.conf"
scenario "root-no" "$R" root key "ROOT LOGIN REFUSED FROM 127.0.0.1" \
    root-login --user root --from 127.0.0.1
run --root "$R" --dry-run --json --user root --from 127.0.0.1
check "root-no: the finding carries sshd's line" \
    out_has "ROOT LOGIN REFUSED FROM 127.0.0.1 port"
check "root-no: one prohibit-password edit, planned once" one_edit \
    '"new":"PermitRootLogin prohibit-password"'

R="$T/toor"; acct_root "$R"
echo 'toor:x:0:0:root alias:/root:/bin/bash' >>"$R/etc/passwd"
echo 'toor:*:19000:0:99999:7:::' >>"$R/etc/shadow"
printf 'PermitRootLogin no\n' >"$R/etc/ssh/sshd_config.d/50-root.conf"
scenario "toor-no" "$R" toor key "ROOT LOGIN REFUSED FROM 127.0.0.1" \
    root-login --user toor --from 127.0.0.1

R="$T/forced"; acct_root "$R"
printf 'PermitRootLogin forced-commands-only\n' \
    >"$R/etc/ssh/sshd_config.d/50-root.conf"
scenario "root-forced" "$R" root key "ROOT LOGIN REFUSED FROM 127.0.0.1" \
    root-login --user root
sed -i 's/^/command="true" /' "$R/root/.ssh/authorized_keys"
attempt "$R" root key
check "root-forced: a key with command= logs in" logged_in
run --root "$R" --dry-run --json --user root
check "root-forced: and is clean" no_ids

# Root with only a password under the default prohibit-password: sshd
# fails the password; --allow-root-password opens it (auth-lockout's
# temporary PermitRootLogin yes), and --rollback closes it again.
R="$T/rootpw"; acct_root "$R"
rm "$R/root/.ssh/authorized_keys"
set_password "$R" root
scenario "root-pw" "$R" root password \
    "Failed password for root from 127.0.0.1 port" root-login \
    --user root --from 127.0.0.1 --allow-root-password
run --root "$R" --dry-run --json --user root --from 127.0.0.1
check "root-pw: without --allow-root-password, advice only" \
    out_has "rerun with --allow-root-password"
check "root-pw: the finding carries sshd's line" \
    out_has "Failed password for root from 127.0.0.1 port N ssh2"
check "root-pw: root login not opened unasked" \
    lacks '"new":"PermitRootLogin yes"'

# Negative controls.
R="$T/neglocked"; acct_root "$R"
check "neg-locked-pam: alice is \"!\"-locked" grep -q "^alice:!:" "$R/etc/shadow"
attempt "$R" alice key
check "neg-locked-pam: a \"!\" account logs in with its key (UsePAM yes)" \
    logged_in
run --root "$R" --dry-run --json --user alice
check "neg-locked-pam: sshfix says nothing" no_ids
check "neg-locked-pam: exit 0" [ "$RC" -eq 0 ]

R="$T/service"; acct_root "$R"
echo 'svc:x:998:998:service:/var/lib/svc:/usr/sbin/nologin' >>"$R/etc/passwd"
echo 'svc:x:998:' >>"$R/etc/group"
echo 'svc:*:19000:0:99999:7:::' >>"$R/etc/shadow"
attempt "$R" svc key
check "neg-service: sshd refuses no account state of svc" \
    not log_has "User svc not allowed"
run --root "$R" --dry-run --json
check "neg-service: the dry run is clean" no_ids
check "neg-service: exit 0" [ "$RC" -eq 0 ]
run --root "$R" --dry-run --json --user svc
check "neg-service: --user svc: no account-state" not has_id account-state

R="$T/rootunasked"; acct_root "$R"
printf 'PermitRootLogin no\n' >"$R/etc/ssh/sshd_config.d/50-root.conf"
attempt "$R" root key
check "neg-root-unasked: sshd refuses root on purpose" \
    log_has "ROOT LOGIN REFUSED FROM 127.0.0.1"
run --root "$R" --dry-run --json
check "neg-root-unasked: without --user root the dry run is clean" no_ids
check "neg-root-unasked: exit 0" [ "$RC" -eq 0 ]
