# pam-module and sshd-binary judged by the real sshd (see lib.sh): the
# sandbox's /etc/pam.d is mounted over the system's, so the real libpam
# loads the sandbox's stack from the system's module directory, which the
# sandbox holds a copy of for sshfix to read.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

CASES="tcp-wrappers tcp-wrappers-allow pam-healthy pam-required pam-optional pam-dash pam-dash-optional pam-session pam-auth"
MODDIR=/lib/x86_64-linux-gnu/security

why=$(e2e_missing)
if [ -z "$why" ] && { [ ! -f /etc/pam.d/sshd ] || [ ! -d $MODDIR ]; }; then
	why="no Debian PAM stack for sshd on this host"
fi
if [ -n "$why" ]; then
	for s in $CASES; do skip "e2e $s" "$why"; done
	exit 0
fi

# hosts.deny refusing sshd (Debian's sshd links libwrap): the sandbox
# holds a copy of sshd and its libraries for sshfix to read; sshd logs
# the refusal at debug level only.
if ldd /usr/sbin/sshd | grep -q libwrap; then
	export E2E_MOUNTS="etc/hosts.allow etc/hosts.deny"
	R="$T/wrap"; sandbox "$R"; copy_sshd "$R"
	printf 'LogLevel DEBUG1\n' >"$R/etc/ssh/sshd_config.d/debug.conf"
	: >"$R/etc/hosts.allow"
	printf '# local rules\nsshd: ALL\n' >"$R/etc/hosts.deny"
	scenario "hosts.deny sshd: ALL" "$R" alice key \
	    "Connection refused by tcp wrapper" tcp-wrappers
	R="$T/wrapok"; sandbox "$R"; copy_sshd "$R"
	printf 'sshd: 127.0.0.1\n' >"$R/etc/hosts.allow"
	printf 'ALL: ALL\n' >"$R/etc/hosts.deny"
	attempt "$R" alice key
	check "hosts.allow lets 127.0.0.1 in, hosts.deny ALL: ALL: login works" \
	    logged_in
	run --root "$R" --json
	check "hosts.allow lets 127.0.0.1 in, hosts.deny ALL: ALL: no finding" \
	    no_ids
else
	skip "e2e tcp-wrappers" "this sshd is not linked with libwrap"
	skip "e2e tcp-wrappers-allow" "this sshd is not linked with libwrap"
fi

export E2E_MOUNTS=etc/pam.d

# pamroot DIR [LINE]: a sandbox with a copy of the system's PAM files and
# modules, LINE appended to its /etc/pam.d/sshd.
pamroot() {
	sandbox "$1"
	mkdir -p "$1/etc/pam.d" "$1$(dirname $MODDIR)"
	cp -a /etc/pam.d/. "$1/etc/pam.d/"
	cp -a $MODDIR "$1$(dirname $MODDIR)/"
	[ -z "${2:-}" ] || printf '%s\n' "$2" >>"$1/etc/pam.d/sshd"
}

R="$T/healthy"; pamroot "$R"
attempt "$R" alice key
check "the system's PAM stack: alice logs in" logged_in
run --root "$R" --json
check "the system's PAM stack: no finding" no_ids

R="$T/required"; pamroot "$R" "account required pam_sshfix_gone.so"
attempt "$R" alice key
check "account required, module missing: login fails" refused
check "account required, module missing: sshd logs the PAM refusal" \
    log_has "Access denied for user alice by PAM account configuration"
run --root "$R" --json
check "account required, module missing: exit 1" [ "$RC" -eq 1 ]
check "account required, module missing: pam-module error" \
    out_has '"id":"pam-module","severity":"error","subject":"pam_sshfix_gone.so"'
check "account required, module missing: names the path" \
    out_has "PAM unable to dlopen($MODDIR/pam_sshfix_gone.so)"

R="$T/optional"; pamroot "$R" "account optional pam_sshfix_gone.so"
attempt "$R" alice key
check "account optional, module missing: alice logs in" logged_in
run --root "$R" --json
check "account optional, module missing: a warning only" \
    out_has '"id":"pam-module","severity":"warning","subject":"pam_sshfix_gone.so"'

# A '-' type silences libpam's log line but not the control.
R="$T/dash"; pamroot "$R" "-account required pam_sshfix_gone.so"
attempt "$R" alice key
check "-account required, module missing: login fails" refused
check "-account required, module missing: sshd logs the PAM refusal" \
    log_has "Access denied for user alice by PAM account configuration"
run --root "$R" --json
check "-account required, module missing: pam-module error" \
    out_has '"id":"pam-module","severity":"error","subject":"pam_sshfix_gone.so"'

R="$T/dashopt"; pamroot "$R" "-session optional pam_sshfix_gone.so"
attempt "$R" alice key
check "-session optional, module missing: alice logs in" logged_in
run --root "$R" --json
check "-session optional, module missing: no finding" no_ids

R="$T/session"; pamroot "$R" "session required pam_sshfix_gone.so"
attempt "$R" alice key
check "session required, module missing: login fails" refused
check "session required, module missing: sshd logs pam_open_session" \
    log_has "PAM: pam_open_session(): Module is unknown"
run --root "$R" --json
check "session required, module missing: pam-module error with that line" \
    out_has 'PAM: pam_open_session(): Module is unknown'

R="$T/auth"; pamroot "$R" "auth required pam_sshfix_gone.so"
set_password "$R" alice
attempt "$R" alice password
check "auth required, module missing: password login fails" refused
check "auth required, module missing: sshd logs Failed password" \
    log_has "Failed password for alice"
attempt "$R" alice key
check "auth required, module missing: key login works" logged_in
run --root "$R" --json
check "auth required, module missing: pam-module error" \
    out_has '"id":"pam-module","severity":"error","subject":"pam_sshfix_gone.so"'

echo "1..$N"
