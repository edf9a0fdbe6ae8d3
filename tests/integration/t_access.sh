#!/bin/sh
# access-list: AllowUsers, DenyUsers, AllowGroups, DenyGroups judged as
# auth.c allowed_user does, and repaired one word at a time.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

D=etc/ssh/sshd_config.d/50-access.conf
lists() { R="$T/$1"; mkroot "$R"; printf "$2" >"$R/$D"; }
# nth_id N: the id of the Nth finding; nth N KEY: its KEY string.
nth() { printf '%s' "$OUT" | grep -o "\"$2\":\"[^\"]*\"" | sed -n "$1p"; }
clean() { [ "$RC" -eq 0 ] && no_ids; }
no_access() { ! has_id access-list; }
line_is() { [ "$(sed -n "${2}p" "$R/$D")" = "$1" ]; }

# Each list refuses alice, with sshd's own line.
lists allow 'AllowUsers bob\n'
diagnose "$R" --user alice
check "AllowUsers without alice: access-list, exit 1" sh -c \
    "[ $RC -eq 1 ] && echo '$(ids)' | grep -qx access-list"
check "AllowUsers: sshd's line, <client> without --from" out_has \
    '"logline":"User alice from <client> not allowed because not listed in AllowUsers"'
check "AllowUsers: the dry run changed nothing" [ "$UNCHANGED" -eq 0 ]
diagnose "$R" --user alice --from 127.0.0.1
check "AllowUsers with --from: the line names the address" out_has \
    'User alice from 127.0.0.1 not allowed because not listed in AllowUsers'
diagnose "$R" --user bob
check "AllowUsers bob: no access-list for bob" no_access

lists deny 'DenyUsers bob alice\n'
diagnose "$R" --user alice
check "DenyUsers alice: sshd's line" out_has \
    'User alice from <client> not allowed because listed in DenyUsers'
lists dgroup 'DenyGroups alice\n'
diagnose "$R" --user alice
check "DenyGroups naming alice's group: sshd's line" out_has \
    'User alice from <client> not allowed because a group is listed in DenyGroups'
lists agroup 'AllowGroups bob\n'
diagnose "$R" --user alice
check "AllowGroups without alice's groups: sshd's line" out_has \
    "User alice from <client> not allowed because none of user's groups are listed in AllowGroups"
lists agroup2 'AllowGroups users\n'
diagnose "$R" --user alice
check "AllowGroups users (a supplementary group of alice): clean" clean

# sshd's order: DenyUsers first, then every later list that would bite.
lists order 'AllowGroups bob\nDenyGroups alice\nAllowUsers bob\nDenyUsers alice\n'
diagnose "$R" --user alice
order() { printf '%s' "$OUT" | grep -o "because [a-z' ]* in [A-Za-z]*" |
    sed 's/.* //' | tr '\n' ' '; }
check "Deny before Allow: four findings in sshd's order" \
    [ "$(order)" = 'DenyUsers AllowUsers DenyGroups AllowGroups ' ]
check "the later ones say they bite once the first is fixed" sh -c \
    "[ \"\$(printf '%s' \"\$0\" | grep -o 'once that is fixed' | wc -l)\" -eq 3 ]" \
    "$OUT"

# Negative controls.
lists glob 'AllowUsers al* carol\n'
diagnose "$R" --user alice
check "AllowUsers al*: includes alice, clean" clean
lists bang 'DenyUsers !alice\n'
diagnose "$R" --user alice
check "DenyUsers !alice: '!' is literal, alice is not denied" clean
lists other 'DenyUsers alice@10.9.9.9\n'
diagnose "$R" --user alice --from 127.0.0.1
check "DenyUsers alice@10.9.9.9 with --from 127.0.0.1: clean" clean
diagnose "$R" --user alice --from 10.9.9.9
check "... with --from 10.9.9.9: refused, the line names it" out_has \
    'User alice from 10.9.9.9 not allowed because listed in DenyUsers'
run --root "$R" --user alice --from 127.0.0.1 --from 10.9.9.9 --json
check "two --from, one refused: the finding names that address" sh -c \
    "echo \"\$0\" | grep -q '\"from\":\"10.9.9.9\"'" "$OUT"

# user@host without --from: a warning naming the rule, no repair.
lists host 'AllowUsers bob alice@10.0.0.0/8\n'
diagnose "$R" --user alice
check "AllowUsers alice@10.0.0.0/8 without --from: warning, exit 1" sh -c \
    "[ $RC -eq 1 ] && echo \"\$0\" | grep -q '\"severity\":\"warning\"' &&
    ! echo \"\$0\" | grep -q '\"severity\":\"error\"'" "$OUT"
check "... it names the rule and the addresses" out_has \
    'AllowUsers alice@10.0.0.0/8 (/etc/ssh/sshd_config.d/50-access.conf:1): alice may log in only from 10.0.0.0/8; rerun with --from ADDR'
check "... and plans no change" sh -c \
    "! echo \"\$0\" | grep -q '\"type\":\"edit\"'" "$OUT"
diagnose "$R" --user alice --from 10.1.2.3
check "... with --from inside 10/8: clean" clean
diagnose "$R" --user alice --from 127.0.0.1
check "... with --from outside: error, alice@127.0.0.1 added (the list ties her to addresses)" \
    out_has '"new":"AllowUsers bob alice@10.0.0.0/8 alice@127.0.0.1"'

# Repairs: one word, and --rollback restores the bytes (cycle).
# repair NAME CONF EXPECTED ARGS...: after --apply ARGS, the drop-in
# without comment lines is EXPECTED (printf format); then rolled back.
applied() { [ "$(grep -v '^#' "$R/$D")" = "$(printf "$1")" ]; }
repair() {
	name=$1 exp=$3; lists "r$name" "$2"; shift 3
	run --root "$R" --apply "$@"
	cp "$R/$D" "$T/last-applied"
	check "$name: --apply exits 0" [ "$RC" -eq 0 ]
	check "$name: the list line is as expected" applied "$exp"
	run --root "$R" --rollback
	check "$name: --rollback exits 0" [ "$RC" -eq 0 ]
}
lists radd 'AllowUsers bob\n'
cycle "AllowUsers bob" "$R" --user alice
repair AllowUsers 'AllowUsers bob\n' 'AllowUsers bob alice' --user alice
check "AllowUsers: the old line kept as a comment" grep -q \
    '^# sshfix .*was "AllowUsers bob"' "$T/last-applied"
lists rdeny 'DenyUsers bob alice\n'
cycle "DenyUsers bob alice" "$R" --user alice
repair DenyUsers 'DenyUsers bob alice\n' 'DenyUsers bob' --user alice
repair DenyUsers-alone 'DenyUsers alice\n' '' --user alice
check "DenyUsers alice alone: the line commented out, not deleted" grep -qx \
    '#DenyUsers alice' "$T/last-applied"
lists rgroup 'AllowGroups bob\n'
cycle "AllowGroups bob" "$R" --user alice
repair AllowGroups 'AllowGroups bob\n' 'AllowGroups bob alice' --user alice
# A Match block's list is the effective one: the edit is inside it.
repair Match 'Match User alice,bob\n\tAllowUsers bob\n' \
    'Match User alice,bob\n\tAllowUsers bob alice' --user alice
# Two accounts refused by one line: one edit adds both (bob has no key:
# his auth-lockout remains, so only the line is checked).
lists rtwo 'AllowUsers carol\n'
run --root "$R" --apply --user alice --user bob
check "two --user refused by one line: one edit adds both" applied \
    'AllowUsers carol alice bob'
run --root "$R" --rollback

# A word that also denies another account is never removed.
lists rglob 'DenyUsers al*\n'
echo 'alan:x:1002:1002:Alan:/home/bob:/bin/bash' >>"$R/etc/passwd"
echo 'alan:x:1002:' >>"$R/etc/group"
tree "$R" >"$T/g0"
run --root "$R" --apply --user alice
tree "$R" >"$T/g1"
check "DenyUsers al* also matching alan: nothing edited, exit 1" sh -c \
    "[ $RC -eq 1 ] && cmp -s '$T/g0' '$T/g1'"
check "... a manual step names alan" out_has 'also refuses alan'
lists rshared 'DenyGroups users\n'
tree "$R" >"$T/g0"
run --root "$R" --apply --user alice
tree "$R" >"$T/g1"
check "DenyGroups users (bob's too): nothing edited, manual step" sh -c \
    "[ $RC -eq 1 ] && cmp -s '$T/g0' '$T/g1'" 
check "... naming bob" out_has 'also refuses bob'
lists rnogroup 'AllowGroups wheel\n'
sed -i 's/^alice:x:1000:$/alice:x:1000:bob/' "$R/etc/group"
diagnose "$R" --user alice
check "AllowGroups, alice's group shared with bob: usermod advice, no edit" \
    sh -c "echo \"\$0\" | grep -q 'usermod --root $R -aG wheel alice' &&
    ! echo \"\$0\" | grep -q '\"type\":\"edit\"'" "$OUT"

# Without --user and without evidence: only a server no account with a
# way in (a key, a password) may enter is a fault. bob passes AllowUsers
# but has neither: alice, who has a key, is locked out.
lists nouser 'AllowUsers bob\n'
diagnose "$R"
check "no --user, AllowUsers bob (bob has no key, no password): alice's finding" \
    sh -c "[ $RC -eq 1 ] && printf '%s' \"\$0\" | grep -q '\"id\":\"access-list\",\"severity\":\"error\",\"subject\":\"alice\"'" "$OUT"
cp -a "$R/home/alice/.ssh" "$R/home/bob/"
chown -R 1001:1001 "$R/home/bob/.ssh"
diagnose "$R"
check "no --user, AllowUsers bob with a key: deliberate, no finding, exit 0" clean
check "... the table lists alice refused, not a target, unchanged" sh -c \
    "printf '%s' \"\$0\" | grep -q '\"name\":\"alice\",\"uid\":1000,\"verdict\":\"refused\",\"target\":false' &&
    [ $UNCHANGED -eq 0 ]" "$OUT"
rm -r "$R/home/bob/.ssh"
lists nouser2 'AllowUsers carol\n'
diagnose "$R"
check "no --user, nobody passes: one finding for alice (first uid >= 1000)" sh -c "
    [ \"\$(printf '%s' \"\$0\" | grep -o '\"subject\":\"[a-z]*\"')\" = '\"subject\":\"alice\"' ]" "$OUT"
# alice has no key and no password, bob has a key: bob is the account to
# open (adding alice would change the policy and let nobody in).
rm "$R/home/alice/.ssh/authorized_keys"
cp -a "$R/home/alice/.ssh" "$R/home/bob/"
cp "$KEYS/user_key.pub" "$R/home/bob/.ssh/authorized_keys"
chown -R 1001:1001 "$R/home/bob/.ssh"
diagnose "$R"
check "no --user, nobody passes: the finding is for bob, who has a key" sh -c "
    [ \"\$(printf '%s' \"\$0\" | grep -o '\"subject\":\"[a-z]*\"')\" = '\"subject\":\"bob\"' ] &&
    printf '%s' \"\$0\" | grep -q 'AllowUsers carol bob'" "$OUT"

# In no group at all: refused while any group list is set, one finding.
lists nogroup 'AllowGroups alice users\n'
sed -i '/^alice:x:1000:/d; s/^users:x:100:alice,bob/users:x:100:bob/' \
    "$R/etc/group"
diagnose "$R" --user alice
check "no group, AllowGroups only: 'not in any group', once, groupadd advice" \
    sh -c "[ \"\$(printf '%s' \"\$0\" | grep -o '\"id\":\"access-list\"' |
    wc -l)\" -eq 1 ] && printf '%s' \"\$0\" | grep -q \
    'because not in any group\".*\"AllowGroups\":.*groupadd --root'" "$OUT"
rm "$R/$D"
diagnose "$R" --user alice
check "no group and no group list: clean" clean

# Two accounts refused by one line share its edit: the text report points
# the second at the finding that edits that line, not at any earlier one.
lists cover 'AllowUsers carol\nDenyUsers alice\n'
cp -a "$R/home/alice/.ssh" "$R/home/bob/"
chown -R 1001:1001 "$R/home/bob/.ssh"
run --root "$R" --user alice --user bob
check "shared AllowUsers edit: bob's finding points at alice's AllowUsers one" \
    sh -c "printf '%s\n' \"\$0\" | grep -A8 '^3\. .*access-list: bob' |
    grep -q 'done by the plan of 2\. above'" "$OUT"
echo "1..$N"
