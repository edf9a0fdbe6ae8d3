#!/bin/sh
# Issue 11: the temporary password route opens password login for one
# account only (a marked Match User block at the end of the main file),
# and every later dry run says it is still open until it is rolled back.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

day=$(date +%Y-%m-%d)
not() { ! "$@"; }

R="$T/pw"; lockout "$R"
cp "$R/etc/ssh/sshd_config" "$T/main0"
tree "$R" >"$T/t0"
run --root "$R" --apply --no-reload --user alice
check "password route: apply exits 0" [ "$RC" -eq 0 ]
check "apply: the undo command names the root (a rescue host's own / is not it)" \
    sh -c "printf '%s' \"\$0\" | grep -Eqx '  sshfix --rollback [0-9TZ-]+ --root $R'" "$OUT"
{ cat "$T/main0"
  printf '# sshfix %s: added\nMatch User alice\n' "$day"
  printf '# sshfix %s: added\n\tPasswordAuthentication yes\n' "$day"
} >"$T/want"
check "password route: a marked Match User alice block ends the main file" \
    cmp -s "$T/want" "$R/etc/ssh/sshd_config"
check "password route: the global PasswordAuthentication no stays" \
    grep -qx 'PasswordAuthentication no' \
    "$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
diagnose "$R" --user alice
check "password route: alice is no longer locked out" not has_id auth-lockout
diagnose "$R" --user bob
check "password route: bob (a password too) is still locked out" \
    has_id auth-lockout
id=$(ls "$R/var/lib/sshfix/snapshots" | sed -n 's/\.tar$//p' | tail -1)
run --root "$R" --oneline
check "open measure: --oneline names it, the account and the rollback" \
    out_has "still open: a temporary measure for alice (snapshot $id): /etc/ssh/sshd_config: Match User alice, PasswordAuthentication yes; remove it with: sshfix --rollback $id --root $R"
check "open measure: a dry run with nothing else found exits 1" [ "$RC" -eq 1 ]
run --root "$R" --json
check "open measure: JSON" out_has "\"open\":[{\"snapshot\":\"$id\",\"user\":\"alice\",\"measure\":\"/etc/ssh/sshd_config: Match User alice, PasswordAuthentication yes\",\"rollback\":\"sshfix --rollback $id --root $R\"}]"
NO_COLOR=1 run --root "$R"
check "open measure: text" out_has "still open: a temporary measure for alice"
run --root "$R" --rollback
check "password route: rollback exits 0" [ "$RC" -eq 0 ]
u1=$(printf '%s' "$OUT" | sed -n 's/^  sshfix --rollback \([^ ]*\).*/\1/p')
tree "$R" >"$T/t1"
check "password route: rollback restores every byte (the block is gone)" \
    cmp -s "$T/t0" "$T/t1"
run --root "$R" --oneline
check "rolled back: nothing is said to be open" not out_has "still open"
run --root "$R" --json
check "rolled back: JSON open is empty" out_has '"open":[]'
# Undoing the rollback puts the measure back: said again, with the
# rollback that removes it now (rollback is a stack: the rollback is
# undone by its own id, then a plain --rollback undoes that apply again).
run --root "$R" --rollback "$u1"
check "undo of the rollback exits 0" [ "$RC" -eq 0 ]
id2=$(printf '%s' "$OUT" | sed -n 's/^  sshfix --rollback \([^ ]*\).*/\1/p')
check "the rollback's undo command names the root it ran on" \
    sh -c "printf '%s\n' \"\$0\" | grep -qx '  sshfix --rollback $id2 --root $R'" "$OUT"
run --root "$R" --oneline
check "undo of the rollback: the measure is said to be open again, the apply's" \
    out_has "still open: a temporary measure for alice (snapshot $id): /etc/ssh/sshd_config: Match User alice, PasswordAuthentication yes; remove it with: sshfix --rollback $id --root $R"
run --root "$R" --rollback
tree "$R" >"$T/t2"
check "rolled back again: every byte as before the apply" cmp -s "$T/t0" "$T/t2"
run --root "$R" --oneline
check "rolled back again: nothing is said to be open" not out_has "still open"

# The block goes after an Include that ends the main file (sshd ends a
# Match block with the file: a block before it would swallow nothing,
# but one after the Include is the last word), and after a last line
# without a newline.
R="$T/inc"; lockout "$R"
printf 'UsePAM yes\nKbdInteractiveAuthentication no\nInclude /etc/ssh/sshd_config.d/*.conf' >"$R/etc/ssh/sshd_config"
run --root "$R" --apply --no-reload --user alice
check "Include last, no final newline: apply exits 0" [ "$RC" -eq 0 ]
printf 'UsePAM yes\nKbdInteractiveAuthentication no\nInclude /etc/ssh/sshd_config.d/*.conf\n# sshfix %s: added\nMatch User alice\n# sshfix %s: added\n\tPasswordAuthentication yes\n' \
    "$day" "$day" >"$T/want"
check "Include last, no final newline: the block is appended after it" \
    cmp -s "$T/want" "$R/etc/ssh/sshd_config"

# An earlier Match block that matches alice and says no wins over a
# later one: that line is edited instead, nothing appended.
R="$T/match"; lockout "$R"
printf 'PasswordAuthentication yes\n' >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
printf 'Match Group users\n\tPasswordAuthentication no\n' \
    >"$R/etc/ssh/sshd_config.d/60-users.conf"
cp "$R/etc/ssh/sshd_config" "$T/main0"
run --root "$R" --apply --no-reload --user alice
check "earlier Match block: apply exits 0" [ "$RC" -eq 0 ]
check "earlier Match block: its line is edited (temporary)" sh -c "
    printf '# sshfix %s: was \"\tPasswordAuthentication no\"\n\tPasswordAuthentication yes\n' '$day' >'$T/w2'
    tail -n 2 '$R/etc/ssh/sshd_config.d/60-users.conf' | cmp -s - '$T/w2'"
check "earlier Match block: nothing appended to the main file" \
    cmp -s "$T/main0" "$R/etc/ssh/sshd_config"

# Root: PermitRootLogin yes only inside root's own block, and only asked.
R="$T/root"; lockout "$R"; give_password "$R" root
sed -i "s|^root:[^:]*:|root:$HASH:|" "$R/etc/shadow"
run --root "$R" --apply --no-reload --user root --allow-root-password
check "root --allow-root-password: apply exits 0" [ "$RC" -eq 0 ]
check "root --allow-root-password: both lines in the Match User root block" sh -c "
    tail -n 6 '$R/etc/ssh/sshd_config' | grep -v '^# sshfix' |
    tr '\n' '|' | grep -qx 'Match User root|	PasswordAuthentication yes|	PermitRootLogin yes|'"
check "root --allow-root-password: no global PermitRootLogin yes" sh -c "
    ! grep -rqiE '^PermitRootLogin yes' '$R/etc/ssh/sshd_config' \
    '$R/etc/ssh/sshd_config.d'"

# A name sshd's Match User would read as a pattern is never written.
R="$T/glob"; lockout "$R"
sed -i 's/^alice:/al?ce:/' "$R/etc/passwd" "$R/etc/shadow"
diagnose "$R" --user 'al?ce'
check "user name with a pattern character: no Match line planned" \
    not out_has '"new":"Match User'
check "user name with a pattern character: a manual step" \
    out_has 'cannot be named in a Match User line'

# An apply without a temporary measure leaves nothing open.
R="$T/perm"; mkroot "$R"; chmod 0777 "$R/root"
run --root "$R" --apply --no-reload
check "non-temporary apply: exit 0" [ "$RC" -eq 0 ]
run --root "$R" --oneline
check "non-temporary apply: nothing said to be open, exit 0" sh -c \
    "[ $RC -eq 0 ] && ! printf '%s' \"\$1\" | grep -q 'still open'" _ "$OUT"

# auth-methods: AuthenticationMethods, effective for the account.
am() {	# am DIR LINE...: a root whose drop-in holds the lines
	mkroot "$1"; d=$1; shift
	printf '%s\n' "$@" >"$d/etc/ssh/sshd_config.d/50-am.conf"
}
R="$T/am"; am "$R" 'AuthenticationMethods publickey,password'
diagnose "$R" --user alice
check "publickey,password, key but no password: auth-methods" has_id auth-methods
check "publickey,password: advice names passwd, the list is not edited" sh -c "
    printf '%s' \"\$1\" | grep -qF 'set a password for alice from the console (passwd alice inside chroot)' &&
    ! printf '%s' \"\$1\" | grep -qF '\"type\":\"edit\"'" _ "$OUT"
check "publickey,password: no auth-lockout beside it (a key works alone)" \
    not has_id auth-lockout
check "publickey,password: dry run unchanged" [ "$UNCHANGED" -eq 0 ]
give_password "$R" alice
diagnose "$R" --user alice
check "publickey,password, alice has a password: no finding" no_ids
for l in 'AuthenticationMethods any' \
    'AuthenticationMethods publickey,password publickey' \
    'AuthenticationMethods publickey'; do
	R="$T/amneg"; rm -rf "$R"; am "$R" "$l"
	diagnose "$R" --user alice
	check "negative: $l: no finding" no_ids
done
# publickey twice needs two different keys (sshd refuses a key used
# before: "refusing previously-used ED25519 key"); the differential cases
# show it with the real sshd.
R="$T/am2"; am "$R" 'AuthenticationMethods publickey,publickey'
diagnose "$R" --user alice
check "publickey,publickey, one key: auth-methods" has_id auth-methods
check "publickey,publickey, one key: says why" \
    out_has 'publickey 2 times: as many different keys, 1 usable'
check "publickey,publickey, one key: advice asks for another key" \
    out_has 'give alice another, different key'
k=$(cat "$R/home/alice/.ssh/authorized_keys")
printf '%s\n' "$k" >>"$R/home/alice/.ssh/authorized_keys"
check "the same key twice: two lines" \
    [ "$(grep -c . "$R/home/alice/.ssh/authorized_keys")" -eq 2 ]
diagnose "$R" --user alice
check "publickey,publickey, the same key twice: still auth-methods" \
    has_id auth-methods
ssh-keygen -q -t ed25519 -N '' -C second -f "$T/second"
cat "$T/second.pub" >>"$R/home/alice/.ssh/authorized_keys"
diagnose "$R" --user alice
check "publickey,publickey, two different keys: no finding" no_ids
R="$T/amuser"; am "$R" 'Match User alice' '	AuthenticationMethods keyboard-interactive'
diagnose "$R" --user alice
check "Match User alice: keyboard-interactive without it on: auth-methods" \
    has_id auth-methods
check "Match User alice: all lists off: sshd's line" \
    out_has '"logline":"No AuthenticationMethods left after eliminating disabled methods"'
diagnose "$R" --user root
check "Match User alice: root is not concerned" no_ids
R="$T/amglobal"; am "$R" 'AuthenticationMethods password' 'PasswordAuthentication no'
diagnose "$R" --user alice
check "global list of a disabled method: sshd will not start" \
    out_has '"logline":"AuthenticationMethods cannot be satisfied by enabled authentication methods"'
R="$T/amhb"; am "$R" 'HostbasedAuthentication yes' 'AuthenticationMethods publickey,hostbased'
diagnose "$R" --user alice
check "hostbased: cannot tell, a warning and nothing planned" sh -c "
    printf '%s' \"\$1\" | grep -qF '\"id\":\"auth-methods\",\"severity\":\"warning\"' &&
    printf '%s' \"\$1\" | grep -qF 'cannot tell' &&
    ! printf '%s' \"\$1\" | grep -qF '\"type\":\"edit\"'" _ "$OUT"
# No method at all: the summary is auth-lockout's, not both.
R="$T/amnone"; am "$R" 'AuthenticationMethods publickey,password'
rm "$R/home/alice/.ssh/authorized_keys"
diagnose "$R" --user alice
check "no way in at all: auth-lockout only" sh -c "
    printf '%s' \"\$1\" | grep -qF '\"id\":\"auth-lockout\"' &&
    ! printf '%s' \"\$1\" | grep -qF '\"id\":\"auth-methods\"'" _ "$OUT"
# Without --user: reported only when no account at all gets in.
R="$T/amall"; am "$R" 'AuthenticationMethods publickey,password'
diagnose "$R"
check "no --user, nobody gets in: auth-methods once" \
    sh -c "[ \$(printf '%s' \"\$1\" | grep -o '\"id\":\"auth-methods\"' | wc -l) -eq 1 ]" _ "$OUT"
sed -i "s|^root:[^:]*:|root:$HASH:|" "$R/etc/shadow"
printf 'PermitRootLogin yes\n' >>"$R/etc/ssh/sshd_config.d/50-am.conf"
diagnose "$R"
check "no --user, root gets in with key and password: no finding" no_ids

# PubkeyAuthentication turned off by a Match block for alice, whose key
# is her only way in: that line is turned back on (auth-lockout).
R="$T/pkoff"; am "$R" 'Match User alice' '	PubkeyAuthentication no'
run --root "$R" --apply --no-reload --user alice
check "Match PubkeyAuthentication no: apply exits 0" [ "$RC" -eq 0 ]
check "Match PubkeyAuthentication no: the line is turned back on" sh -c "
    tail -n 1 '$R/etc/ssh/sshd_config.d/50-am.conf' |
    grep -qx '	PubkeyAuthentication yes'"
check "Match PubkeyAuthentication no: no password login opened" sh -c "
    ! grep -rqiE '^[[:space:]]*PasswordAuthentication yes' \
    '$R/etc/ssh/sshd_config' '$R/etc/ssh/sshd_config.d'"

# The password route is not planned where AuthenticationMethods would not
# take a password alone: it would open nothing that lets alice in.
R="$T/pwam"; lockout "$R"
printf 'AuthenticationMethods publickey\n' >"$R/etc/ssh/sshd_config.d/40-am.conf"
diagnose "$R" --user alice
check "password route under AuthenticationMethods publickey: not planned" sh -c "
    printf '%s' \"\$1\" | grep -qF 'asks for more than a password' &&
    ! printf '%s' \"\$1\" | grep -qF '\"type\":\"edit\"'" _ "$OUT"
printf 'AuthenticationMethods publickey password\n' >"$R/etc/ssh/sshd_config.d/40-am.conf"
diagnose "$R" --user alice
check "password route under AuthenticationMethods publickey password: planned" \
    out_has '"new":"Match User alice"'
