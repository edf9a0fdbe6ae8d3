#!/bin/sh
# Issue 12 item 5: --prune [--keep N] removes old snapshots but never one
# a recovery or a dry run still needs; --list shows each one's size.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

not() { ! "$@"; }
SD=		# the snapshot directory of the root in use
newest() { ls "$SD" | sed -n 's/\.tar$//p' | sort | tail -1; }
# ids: every snapshot id left, sorted, on one line.
left() { ls "$SD" | sed -n 's/\.tar$//p' | sort | tr '\n' ' '; }
# files ID: how many files of snapshot ID are left (temp files too).
files() { ls -a "$SD" | grep -c "^\.\{0,1\}$1\."; }
hostkey_fault() {	# hostkey_fault DIR ARGS...: break a key, apply
	R0=$1; shift
	chmod 0777 "$R0/etc/ssh/ssh_host_ed25519_key"
	run --root "$R0" --apply --no-reload "$@"
	[ "$RC" -eq 0 ] || echo "# apply exited $RC: $ERR"
}
lockout() {	# lockout DIR: alice has only a password, and it is refused
	rm -f "$1/home/alice/.ssh/authorized_keys"
	give_password "$1" alice
	printf 'PasswordAuthentication no\n' \
	    >"$1/etc/ssh/sshd_config.d/50-cloud-init.conf"
}

R="$T/r"; mkroot "$R"; SD="$R/var/lib/sshfix/snapshots"
run --root "$R" --prune
check "no snapshot directory: nothing to prune, exit 0" \
    sh -c "[ $RC -eq 0 ] && [ ! -e '$SD' ]"
check "no snapshot directory: the summary says 0" \
    out_has "pruned: removed 0 snapshots (0B), kept 0"

# S1 apply, then rolled back by S2; S3 apply; S4 apply with a temporary
# measure (alice's password route); S5 apply; S6 apply rolled back by S7.
hostkey_fault "$R"; s1=$(newest)
run --root "$R" --rollback; s2=$(newest)
hostkey_fault "$R"; s3=$(newest)
lockout "$R"
run --root "$R" --apply --no-reload --user alice; s4=$(newest)
check "setup: the password route, a temporary measure" \
    sh -c "[ $RC -eq 0 ] && printf '%s' \"\$1\" | grep -q '(temporary)'" _ "$OUT"
hostkey_fault "$R" --user alice; s5=$(newest)
hostkey_fault "$R" --user alice; s6=$(newest)
tree "$R" >"$T/t6"
run --root "$R" --rollback; s7=$(newest)
check "setup: seven distinct snapshots" \
    [ "$(printf '%s\n' $s1 $s2 $s3 $s4 $s5 $s6 $s7 | sort -u | wc -l)" -eq 7 ]

# --list: the size of each snapshot, its files summed as du -b sums them.
run --root "$R" --list --json
ok_sizes=yes
for id in $s1 $s2 $s3 $s4 $s5 $s6 $s7; do
	want=$(du -bc "$SD/$id".* | tail -1 | cut -f1)
	out_has "\"id\":\"$id\"," || ok_sizes=no
	printf '%s' "$OUT" | grep -q "\"id\":\"$id\",[^}]*\"size\":$want," ||
	    { ok_sizes=no; echo "# $id: want size $want"; }
done
check "--list --json: each snapshot's size is the sum of its files" \
    [ $ok_sizes = yes ]
run --root "$R" --list
# The text column, "5.0K" style: rounded up, never more than 10% over.
want=$(du -bc "$SD/$s4".* | tail -1 | cut -f1)
got=$(printf '%s\n' "$OUT" | grep "^$s4 " | awk '{print $7}')
# GOT in bytes, as du -h's units count them.
bytes=$(printf '%s' "$got" | awk '/^[0-9]+(\.[0-9])?[BKMG]$/ {
    u = substr($0, length($0)); n = substr($0, 1, length($0) - 1) + 0
    m = 1; if (u == "K") m = 1024; if (u == "M") m = 1048576
    if (u == "G") m = 1073741824; printf "%d", n * m }')
check "--list: a size column in du -h style ($got for $want bytes)" \
    sh -c "[ -n '$bytes' ] && [ '$bytes' -ge $want ] &&
    [ '$bytes' -le $((want + want / 10 + 1)) ]"

# An interrupted apply looks like this on disk; debris has no state.
cp "$SD/$s6.state" "$T/s6.state"
printf 'applying\n' >"$SD/$s6.state"
mv "$SD/$s1.state" "$T/s1.state"
printf 'x\n' >"$SD/.$s3.state.tmp"
run --root "$R" --list
check "--list: an applying snapshot is shown as interrupted" \
    sh -c "printf '%s\n' \"\$1\" | grep -q '^$s6 .* interrupted '" _ "$OUT"
run --root "$R" --list --json
check "--list --json: state interrupted" \
    sh -c "printf '%s' \"\$1\" | grep -q '\"id\":\"$s6\",[^}]*\"state\":\"interrupted\"'" _ "$OUT"

run --root "$R" --prune --keep garbage
check "--keep garbage: usage error, exit 2" [ "$RC" -eq 2 ]
check "--keep garbage: the first line says why" \
    sh -c "printf '%s\n' \"\$1\" | head -1 | grep -q -- '--keep garbage: not a number'" _ "$ERR"
all="$s1 $s2 $s3 $s4 $s5 $s6 $s7 "
for bad in -1 +1 ' 1' 1x 0x10 ''; do
	run --root "$R" --prune --keep "$bad"
	check "--keep '$bad': exit 2, nothing removed, says why" \
	    sh -c "[ $RC -eq 2 ] && [ '$(left)' = '$all' ] &&
	    printf '%s' \"\$1\" | grep -q 'not a number of snapshots'" _ "$ERR"
done
run --root "$R" --keep 1
check "--keep without --prune: exit 2" \
    sh -c "[ $RC -eq 2 ] && printf '%s' \"\$1\" | grep -q -- '--keep goes with --prune'" _ "$ERR"

# --keep 2: S6 and S7 are the two newest. S1 is debris, S4 holds an open
# temporary measure, S5 is the newest apply in force (what a plain
# --rollback undoes: rollback is a stack): they stay. S2 and S3 go, the
# oldest first.
run --root "$R" --prune --keep 2
check "--prune --keep 2: exit 0" [ "$RC" -eq 0 ]
check "--prune --keep 2: exactly S2, S3 removed" \
    [ "$(left)" = "$s1 $s4 $s5 $s6 $s7 " ]
check "--prune: every file of a removed one is gone, its temp file too" \
    sh -c "[ $(files $s2) -eq 0 ] && [ $(files $s3) -eq 0 ]"
check "--prune: a kept one keeps all its files" \
    sh -c "[ $RC -eq 0 ] && [ $(files $s4) -eq 5 ] && [ $(files $s7) -eq 5 ]"
check "--prune: one line per removed snapshot, oldest first" sh -c "
    [ \"\$(printf '%s\n' \"\$1\" | sed -n 's/^removed \([^ ]*\) .*/\1/p' |
    tr '\n' ' ')\" = '$s2 $s3 ' ]" _ "$OUT"
check "--prune: the summary" out_has "pruned: removed 2 snapshots ("
check "--prune: says why the debris stays" \
    sh -c "printf '%s\n' \"\$1\" | grep -A1 '^kept    $s1 ' | grep -q -- '--rollback handles it'" _ "$OUT"
check "--prune: says why the open temporary measure stays" \
    sh -c "printf '%s\n' \"\$1\" | grep -A1 '^kept    $s4 ' | grep -q 'temporary measure of it is still open'" _ "$OUT"

# --keep 0: still the interrupted one, the debris, the open measure, the
# newest apply in force (S5) and the newest rollback (S7) stay.
run --root "$R" --prune --keep 0 --json
check "--prune --keep 0: nothing more removed" [ "$(left)" = "$s1 $s4 $s5 $s6 $s7 " ]
check "--prune --keep 0 --json: one object, nothing removed" \
    sh -c "[ \"\$(printf '%s\n' \"\$1\" | wc -l)\" -eq 1 ] &&
    printf '%s' \"\$1\" | grep -q '^{\"schema_version\":1,.*\"mode\":\"prune\",.*,\"keep\":0,\"removed\":\[\],\"kept\":\[{\"id\":'" _ "$OUT"
check "--prune --json: the interrupted one, with its reason" \
    sh -c "printf '%s' \"\$1\" | grep -q '\"id\":\"$s6\",[^}]*\"state\":\"interrupted\",[^}]*\"reason\":\"interrupted'" _ "$OUT"
check "--prune --json: the newest apply in force, with its reason" \
    sh -c "printf '%s' \"\$1\" | grep -q '\"id\":\"$s5\",[^}]*\"reason\":\"the newest apply in force (what --rollback undoes)\"'" _ "$OUT"
check "--prune --json: the newest rollback, with its reason" \
    sh -c "printf '%s' \"\$1\" | grep -q '\"id\":\"$s7\",[^}]*\"reason\":\"the newest rollback (--rollback ID undoes it)\"'" _ "$OUT"
check "--prune --json: nothing freed, result pruned, error null" \
    out_has '"freed":0,"result":"pruned","error":null}'

# The open measure is still said by a dry run, and the kept snapshots
# still roll back.
mv "$T/s1.state" "$SD/$s1.state"
cp "$T/s6.state" "$SD/$s6.state"
run --root "$R" --user alice --oneline
check "after prune: the open measure is still said" \
    out_has "still open: a temporary measure for alice (snapshot $s4)"
run --root "$R" --rollback "$s7"
check "after prune: the kept newest rollback can be undone" [ "$RC" -eq 0 ]
tree "$R" >"$T/t7"
check "after prune: undoing it restores the state after S6" \
    cmp -s "$T/t6" "$T/t7"
run --root "$R" --rollback "$s4" --force
check "after prune: the kept temporary measure rolls back" [ "$RC" -eq 0 ]
run --root "$R" --user alice --oneline
check "after that rollback: nothing is open" not out_has "still open"

# A measure a kept rollback would put back stays: A (temporary) rolled
# back by U; B and C later applies. --keep 3 keeps U, B, C; A stays for
# U's sake, so that undoing U says the measure is open again.
R="$T/r2"; mkroot "$R"; SD="$R/var/lib/sshfix/snapshots"; lockout "$R"
run --root "$R" --apply --no-reload --user alice; a=$(newest)
run --root "$R" --rollback; u=$(newest)
hostkey_fault "$R" --user root; b=$(newest)
hostkey_fault "$R" --user root; c=$(newest)
run --root "$R" --prune --keep 3
check "--keep 3: exit 0, the measure U would put back stays" \
    sh -c "[ $RC -eq 0 ] && [ '$(left)' = '$a $u $b $c ' ]"
check "--keep 3: and says why" \
    out_has "its temporary measure comes back if its rollback is undone"
run --root "$R" --rollback "$u" --force
run --root "$R" --user alice --oneline
check "undoing U after prune: the measure is said to be open again" \
    out_has "still open: a temporary measure for alice"

# A file that cannot be removed: one line, exit 2, the rest untouched.
R="$T/r3"; mkroot "$R"; SD="$R/var/lib/sshfix/snapshots"
hostkey_fault "$R"; r1=$(newest)
hostkey_fault "$R"; r2=$(newest)
nscheck "a removal that fails: exit 2, one line, the snapshot listed" \
    unshare -m sh -c "mount --bind -o ro '$SD' '$SD' &&
    '$SSHFIX' --root '$R' --prune --keep 0 >'$T/o' 2>'$T/e';
    [ \$? -eq 2 ] && [ \"\$(grep -c . '$T/e')\" -eq 1 ] &&
    grep -q 'removing $r1.tar: Read-only file system' '$T/e' &&
    [ \"\$(ls '$SD' | grep -c '\.tar\$')\" -eq 2 ]"
run --root "$R" --prune --keep 0
check "then, writable: the older one goes" [ "$(left)" = "$r2 " ]
