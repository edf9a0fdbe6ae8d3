#!/bin/sh
# Issue 13, item 4: the boot unit sshfix-auto-repair.service as installed.
# It passes systemd-analyze verify (no ordering cycle with ssh.service and
# ssh.socket) and scores 3.0 or better in systemd-analyze security; its
# ExecStart, run on a sandbox root, consumes the trigger (one apply per
# trigger) and opens password login only when the trigger says so.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"
cd "$SSHFIX_TOP" || exit 1

not() { ! "$@"; }
P="$T/pfx"
make -s install B="$(dirname "$SSHFIX")" PREFIX="$P" SYSCONFDIR="$P/etc" \
    >"$T/log" 2>&1
check "make install: exit 0" [ $? -eq 0 ]
UNIT="$P/lib/systemd/system/sshfix-auto-repair.service"
EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
check "the unit's ExecStart is the installed auto-repair script" \
    sh -c "[ '$EXEC' = '$P/libexec/sshfix/auto-repair' ] && [ -x '$EXEC' ]"
check "the installed script runs the installed sshfix" \
    grep -q "^SSHFIX=\${SSHFIX:-$P/sbin/sshfix}\$" "$EXEC"
check "/etc/sshfix is installed (touch /etc/sshfix/auto-repair works)" \
    [ -d "$P/etc/sshfix" ]
check "the unit has a start timeout" grep -Eq '^TimeoutStartSec=[0-9]+$' "$UNIT"
check "the unit waits for the trigger" \
    grep -qx 'ConditionPathExists=/etc/sshfix/auto-repair' "$UNIT"
check "the unit comes before ssh.service, sshd.service and ssh.socket" \
    sh -c "grep '^Before=' '$UNIT' | grep -w ssh.service | grep -w sshd.service |
    grep -qw ssh.socket"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	skip_line "systemd-analyze verify, security" "no systemd-analyze"
else
	# A target that starts the unit with sshd, its socket and the usual
	# boot targets: an ordering cycle among them shows in this transaction.
	cp "$UNIT" "$T/sshfix-auto-repair.service"
	printf '[Unit]\nDescription=boot with sshfix\nWants=sshfix-auto-repair.service ssh.socket ssh.service sshd.service sockets.target basic.target multi-user.target\n' \
	    >"$T/sshfix-boot-test.target"
	systemd-analyze verify --man=no "$T/sshfix-auto-repair.service" \
	    "$T/sshfix-boot-test.target" >"$T/v" 2>&1
	RC=$?
	check "systemd-analyze verify: exit 0" [ "$RC" -eq 0 ]
	check "systemd-analyze verify: no ordering cycle, no complaint" \
	    not grep -Eiq 'cycle|sshfix-auto-repair.service:' "$T/v"
	sed 's/^/# /' "$T/v"
	systemd-analyze security --offline=true --threshold=30 "$UNIT" \
	    >"$T/s" 2>&1
	RC=$?
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$T/s")
	check "systemd-analyze security --offline: exposure $score <= 3.0 (exit $RC)" \
	    sh -c "[ $RC -eq 0 ] && [ -n '$score' ] &&
	    awk 'BEGIN { exit !($score <= 3.0) }'"
	grep '✗' "$T/s" | sed 's/^/# /'
fi

# alice and bob have only a password, nobody a key (lockout): only the
# temporary password route would let them in.
unit_root() {
	lockout "$1"
	# A fault whose repair opens nothing.
	chmod 0644 "$1/etc/ssh/ssh_host_ed25519_key"
	mkdir -p "$1/etc/sshfix"
}
# unit_run ROOT: the ExecStart command, on ROOT instead of /, with the
# unit's capabilities and without a network where setpriv and unshare
# can do that here.
CAPS="-all,+chown,+fowner,+fsetid,+dac_override,+dac_read_search"
unit_run() {
	if setpriv --bounding-set="$CAPS" --no-new-privs true 2>/dev/null &&
	    unshare -n true 2>/dev/null; then
		SSHFIX_ROOT="$1" unshare -n setpriv --bounding-set="$CAPS" \
		    --inh-caps=-all --no-new-privs "$EXEC" >"$T/out" 2>"$T/err"
	else
		SSHFIX_ROOT="$1" "$EXEC" >"$T/out" 2>"$T/err"
	fi
	RC=$?
	OUT=$(cat "$T/out")
}
pw_opened() { grep -Eq '^[[:space:]]*PasswordAuthentication yes' "$1/etc/ssh/sshd_config"; }

R="$T/plain"; unit_root "$R"; : >"$R/etc/sshfix/auto-repair"
cp "$R/etc/ssh/sshd_config" "$T/main0"
unit_run "$R"
check "empty trigger: exit 1 (faults left for a person)" [ "$RC" -eq 1 ]
sed 's/^/# /' "$T/out" "$T/err"
check "empty trigger: the trigger is consumed" \
    sh -c "[ ! -e '$R/etc/sshfix/auto-repair' ] &&
    [ -f '$R/etc/sshfix/auto-repair.taken' ]"
check "empty trigger: no password login opened (sshd_config unchanged)" \
    cmp -s "$T/main0" "$R/etc/ssh/sshd_config"
check "empty trigger: a repair that opens nothing is made (host key 0600)" \
    [ "$(stat -c %a "$R/etc/ssh/ssh_host_ed25519_key")" = 600 ]
run --root "$R" --json
check "empty trigger: the lockout is left for a person" has_id auth-lockout
tree "$R" >"$T/t1"
unit_run "$R"
check "second boot: no trigger, exit 0" [ "$RC" -eq 0 ]
check "second boot: says there is nothing to do" \
    sh -c "printf '%s' \"\$0\" | grep -q 'no trigger'" "$OUT"
tree "$R" >"$T/t2"
check "second boot: nothing changed" cmp -s "$T/t1" "$T/t2"

R="$T/allow"; unit_root "$R"
printf '# asked by the admin\nallow-password\n' >"$R/etc/sshfix/auto-repair"
unit_run "$R"
check "allow-password: exit 0" [ "$RC" -eq 0 ]
sed 's/^/# /' "$T/out" "$T/err"
check "allow-password: the trigger is consumed" [ ! -e "$R/etc/sshfix/auto-repair" ]
check "allow-password: the temporary password route is opened" pw_opened "$R"
run --root "$R" --oneline
check "allow-password: a dry run then names the open measure and its rollback" \
    sh -c "[ $RC -eq 1 ] && printf '%s' \"\$0\" | grep -q 'still open.*sshfix --rollback'" "$OUT"

R="$T/root"; unit_root "$R"
sed -i "s|^root:[^:]*:|root:$HASH:|; s|^alice:[^:]*:|alice:!:|;
    s|^bob:[^:]*:|bob:!:|" "$R/etc/shadow"
echo allow-password >"$R/etc/sshfix/auto-repair"
unit_run "$R"
check "allow-password, only root has a password: exit 1, root's password login stays shut" \
    sh -c "[ $RC -eq 1 ] && ! grep -q 'PermitRootLogin yes' '$R/etc/ssh/sshd_config'"
echo allow-root-password >"$R/etc/sshfix/auto-repair"
unit_run "$R"
check "allow-root-password: exit 0, root's temporary password login is opened" \
    sh -c "[ $RC -eq 0 ] && grep -q 'PermitRootLogin yes' '$R/etc/ssh/sshd_config'"

# The option itself.
R="$T/cli"; unit_root "$R"
diagnose "$R" --user alice --no-password-route
check "--no-password-route: no edit planned for alice, advice instead" \
    sh -c "[ $RC -eq 1 ] && ! printf '%s' \"\$0\" | grep -q '\"type\":\"edit\"' &&
    printf '%s' \"\$0\" | grep -q 'authorized-key'" "$OUT"
diagnose "$R" --user alice
check "without it: the password route is planned (an edit)" out_has '"type":"edit"'
run --root "$R" --no-password-route --allow-root-password
check "--no-password-route with --allow-root-password: exit 2, both named" \
    sh -c "[ $RC -eq 2 ] && printf '%s' \"\$0\" | grep -q -- '--allow-root-password' &&
    printf '%s' \"\$0\" | grep -q -- '--no-password-route'" "$ERR"
