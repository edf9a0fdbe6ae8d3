# Issue 11, proved against the real sshd: the temporary password route
# opens password login for the one account it is for (a Match User block
# at the end of the main file), not for every account; the next dry run
# says it is still open, and --rollback removes it byte for byte.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

not_id() { ! has_id "$1"; }
CASES="password-route am-publickey-password am-disabled-match am-disabled-global am-global-match-on am-negative"
why=$(e2e_missing)
if [ -n "$why" ]; then
	for c in $CASES; do skip "e2e methods $c" "$why"; done
	exit 0
fi

R="$T/pwroute"; sandbox "$R"
set_password "$R" alice
set_password "$R" bob
rm "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
printf 'PasswordAuthentication no\n' >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
LINE="Connection closed by authenticating user alice"
attempt "$R" alice password
check "password route: alice's password is refused" refused
check "password route: sshd logs \"$LINE\"" log_has "$LINE"
run --root "$R" --dry-run --json --user alice
check "password route: dry run reports auth-lockout" has_id auth-lockout
tree "$R" >"$T/t0"
run --root "$R" --apply --user alice
check "password route: --apply exits 0" [ "$RC" -eq 0 ]
attempt "$R" alice password
check "password route: alice logs in with her password" logged_in
attempt "$R" bob password
check "password route: bob's password is still refused (alice alone)" refused
check "password route: sshd logs bob's refusal" \
    log_has "Connection closed by authenticating user bob"
id=$(ls "$R/var/lib/sshfix/snapshots" | sed -n 's/\.tar$//p' | tail -1)
run --root "$R" --oneline --user alice
check "password route: the next dry run names the open measure" \
    out_has "still open: a temporary measure for alice (snapshot $id)"
check "password route: ... and the rollback command" \
    out_has "remove it with: sshfix --rollback $id --root $R"
check "password route: ... and exits 1" [ "$RC" -eq 1 ]
run --root "$R" --rollback
check "password route: --rollback exits 0" [ "$RC" -eq 0 ]
tree "$R" >"$T/t1"
check "password route: --rollback removes the block byte for byte" \
    cmp -s "$T/t0" "$T/t1"
attempt "$R" alice password
check "password route: alice is refused again" refused
check "password route: with the same log line" log_has "$LINE"

# auth-methods: AuthenticationMethods asks for a password alice does not
# have. Advice only: --apply changes nothing and exits 1.
R="$T/am"; sandbox "$R"
printf 'AuthenticationMethods publickey,password\n' \
    >"$R/etc/ssh/sshd_config.d/50-am.conf"
attempt "$R" alice key
check "publickey,password, no password: alice's key alone is refused" refused
check "publickey,password: sshd logs the closed connection" \
    log_has "Connection closed by authenticating user alice"
check "publickey,password: the client is asked for the password" \
    grep -qF "Permission denied (password)" "$T/attempt.out"
run --root "$R" --dry-run --json --user alice
check "publickey,password: dry run reports auth-methods" has_id auth-methods
check "publickey,password: the logline is sshd's" \
    out_has '"logline":"Connection closed by authenticating user alice ADDR port N [preauth]"'
tree "$R" >"$T/t0"
run --root "$R" --apply --user alice
tree "$R" >"$T/t1"
check "publickey,password: --apply weakens nothing (exit 1, no change)" \
    sh -c "[ $RC -eq 1 ] && cmp -s '$T/t0' '$T/t1'"

R="$T/amoff"; sandbox "$R"
printf 'PasswordAuthentication no\nMatch User alice\n\tAuthenticationMethods password\n' \
    >"$R/etc/ssh/sshd_config.d/50-am.conf"
attempt "$R" alice key
check "Match: a list of a disabled method: alice is refused" refused
check "Match: sshd logs \"No AuthenticationMethods left ...\"" \
    log_has "No AuthenticationMethods left after eliminating disabled methods"
run --root "$R" --dry-run --json --user alice
check "Match: dry run reports auth-methods with that line" sh -c '
    printf "%s" "$1" | grep -qF "\"id\":\"auth-methods\"" &&
    printf "%s" "$1" | grep -qF "\"logline\":\"No AuthenticationMethods left after eliminating disabled methods\""' _ "$OUT"

R="$T/amglobal"; sandbox "$R"
printf 'AuthenticationMethods password\nPasswordAuthentication no\n' \
    >"$R/etc/ssh/sshd_config.d/50-am.conf"
attempt "$R" alice key
check "global list of a disabled method: sshd does not start" refused
check "global: sshd logs \"AuthenticationMethods cannot be satisfied ...\"" \
    log_has "AuthenticationMethods cannot be satisfied by enabled authentication methods"
run --root "$R" --dry-run --json --user alice
check "global: dry run reports auth-methods" has_id auth-methods

# The global list of a method off globally, turned on for alice by a
# Match block: sshd checks the global settings at start and exits, so
# alice is refused too. The dry run says sshd will not start (an error
# about no one account), not "alice can log in".
R="$T/ammatch"; sandbox "$R"
set_password "$R" alice
printf 'PasswordAuthentication no\nAuthenticationMethods password\nMatch User alice\n\tPasswordAuthentication yes\n' \
    >"$R/etc/ssh/sshd_config.d/50-am.conf"
attempt "$R" alice password
check "global list, Match turns it on for alice: sshd does not start" refused
check "... sshd logs \"AuthenticationMethods cannot be satisfied ...\"" \
    log_has "AuthenticationMethods cannot be satisfied by enabled authentication methods"
run --root "$R" --dry-run --json --user alice
check "... the dry run says sshd will not start, for no one account" \
    "${PY:-python3}" -c '
import json, sys
d = json.loads(sys.argv[1])
f = [x for x in d["findings"] if x["id"] == "auth-methods"]
sys.exit(0 if d["result"] == "faults-found" and len(f) == 1 and
    f[0]["severity"] == "error" and "user" not in f[0]["evidence"] and
    f[0]["message"].startswith("sshd will not start") else 1)' "$OUT"

# Negative control: one list alice can satisfy is enough.
R="$T/amok"; sandbox "$R"
printf 'AuthenticationMethods publickey,password publickey\n' \
    >"$R/etc/ssh/sshd_config.d/50-am.conf"
attempt "$R" alice key
check "publickey,password or publickey: alice logs in with her key" logged_in
run --root "$R" --dry-run --json --user alice
check "publickey,password or publickey: no auth-methods" not_id auth-methods
