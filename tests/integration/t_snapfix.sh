#!/bin/sh
# Defects of the snapshot store:
# 1. ids TIMESTAMP-N order by the timestamp, then N as a number: the 10th
#    snapshot of a second (X-10) is newer than X-9 for --rollback, the
#    recovery of an interrupted run, --prune and --list;
# 2. --prune removes what a --prune cut short left (files of an id with
#    no archive), and says so.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

SD=
# ids: every snapshot id left, sorted as strings.
left() { LC_ALL=C ls "$SD" | sed -n 's/\.tar$//p' | LC_ALL=C sort | tr '\n' ' '; }
hostkey_fault() {	# hostkey_fault DIR: break a key, apply
	chmod 0777 "$1/etc/ssh/ssh_host_ed25519_key"
	frozen --root "$1" --apply --no-reload
	[ "$RC" -eq 0 ] || echo "# apply exited $RC: $ERR"
}

# frozen ARGS...: run, with time(2) stopped at one second, so that every
# snapshot has the same timestamp (the shim is what faketime does).
cat >"$T/frozen.c" <<'C'
#include <time.h>
time_t time(time_t *t) { if (t) *t = 1700000000; return 1700000000; }
C
${CC:-cc} -shared -fPIC -o "$T/frozen.so" "$T/frozen.c" ||
    { not_ok "cannot build the time shim"; exit 0; }
frozen() {
	LD_PRELOAD="$T/frozen.so" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" run "$@"
}
X=20231114T221320Z

# 1. Eleven applies in one second: X, X-2 ... X-11.
R="$T/r"; mkroot "$R"; SD="$R/var/lib/sshfix/snapshots"
i=1
while [ $i -le 11 ]; do hostkey_fault "$R"; i=$((i + 1)); done
all="$X"
i=2
while [ $i -le 11 ]; do all="$all $X-$i"; i=$((i + 1)); done
check "setup: eleven snapshots of one second, X to X-11" \
    [ "$(left)" = "$X $X-10 $X-11 $X-2 $X-3 $X-4 $X-5 $X-6 $X-7 $X-8 $X-9 " ]

run --root "$R" --list
check "--list: a header, then oldest first, X-10 and X-11 after X-9" \
    [ "$(printf '%s\n' "$OUT" | grep -v '^ ' | cut -d' ' -f1 | tr '\n' ' ')" = "ID $all " ]
run --root "$R" --list --json
check "--list --json: the same order" \
    [ "$(printf '%s' "$OUT" | grep -o '"id":"[^"]*"' | cut -d'"' -f4 |
    tr '\n' ' ')" = "$all " ]

frozen --root "$R" --rollback
check "--rollback: the newest applied is X-11, not X-9" \
    sh -c "[ $RC -eq 0 ] && printf '%s' \"\$1\" |
    grep -A1 '^rolled back snapshot $X-11; undo with:\$' | grep -q '^  sshfix --rollback $X-12 '" _ "$OUT"

# Two interrupted runs (as a crash leaves them; never two at once in
# practice): the newest, X-10, is the one recovered.
cp "$SD/$X-2.state" "$T/x2.state"
printf 'applying\n' >"$SD/$X-2.state"
printf 'applying\n' >"$SD/$X-10.state"
run --root "$R" --rollback
check "recovery: the newest interrupted run is X-10, not X-2" \
    sh -c "[ $RC -eq 0 ] && printf '%s' \"\$1\" |
    grep -q '^snapshot $X-10: the interrupted --apply was put back'" _ "$OUT"
cp "$T/x2.state" "$SD/$X-2.state"

# Now X-11 and X-12 are the two newest; X-12 (the rollback) is the newest
# rollback; X-10 and X-11 are rolled back, so X-9 is the newest apply in
# force (what a plain --rollback undoes), not X-10 nor X-2.
run --root "$R" --prune --keep 2
check "--prune --keep 2: X-9, X-11 and X-12 stay, X to X-8 and X-10 go" \
    sh -c "[ $RC -eq 0 ] && [ '$(left)' = '$X-11 $X-12 $X-9 ' ]"
check "--prune: removed oldest first, X-10 last" \
    [ "$(printf '%s\n' "$OUT" | sed -n 's/^removed \([^ ]*\) .*/\1/p' |
    tr '\n' ' ')" = "$X $X-2 $X-3 $X-4 $X-5 $X-6 $X-7 $X-8 $X-10 " ]

# 2. Leftovers: files of an id whose archive is gone (a --prune removes
# the archive first and the state last).
R="$T/r2"; mkroot "$R"; SD="$R/var/lib/sshfix/snapshots"
# files ID: how many files of snapshot ID are left (temp files too).
files() { ls -a "$SD" | grep -c "^\.\{0,1\}$1\."; }
hostkey_fault "$R"; hostkey_fault "$R"; hostkey_fault "$R"
Y=20231114T221319Z
printf 'applied\n' >"$SD/$Y.state"
printf 'x\n' >"$SD/$Y.before.mtree"
printf 'x\n' >"$SD/.$Y.state.tmp"
chmod 0600 "$SD/$Y.state" "$SD/$Y.before.mtree" "$SD/.$Y.state.tmp"
run --root "$R" --prune
check "a leftover made by hand: --prune exits 0 and removes all its files" \
    sh -c "[ $RC -eq 0 ] && [ $(files $Y) -eq 0 ]"
check "--prune says so, with the size of what it removed" \
    sh -c "printf '%s\n' \"\$1\" | grep -qx 'removed leftover $Y (10B): files left without their archive by a --prune cut short'" _ "$OUT"
check "a leftover: the snapshots with their archive are untouched" \
    sh -c "[ $(files $X) -eq 5 ] && [ $(files $X-2) -eq 5 ] &&
    [ $(files $X-3) -eq 5 ] && [ '$(left)' = '$X $X-2 $X-3 ' ]"
printf 'applying\n' >"$SD/$Y-4.state"
run --root "$R" --prune --json
check "--prune --json: the leftover (a lone applying state) in leftovers" \
    sh -c "[ $RC -eq 0 ] && [ $(files $Y-4) -eq 0 ] && printf '%s' \"\$1\" |
    grep -q '\"removed\":\[\],\"kept\":\[{.*\],\"leftovers\":\[{\"id\":\"$Y-4\",\"size\":9}\],\"freed\":0,'" _ "$OUT"
run --root "$R" --prune --json
check "--prune --json: no leftover, an empty list" \
    out_has '"leftovers":[],"freed":0,'

# A --prune killed between two unlinks (strace: SIGKILL at the second).
if command -v strace >/dev/null 2>&1 &&
    strace -qq -o /dev/null true 2>/dev/null; then
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq \
	    -o /dev/null -e trace=unlinkat \
	    -e inject=unlinkat:signal=KILL:when=2 \
	    "$SSHFIX" --root "$R" --prune --keep 0 >/dev/null 2>&1
	check "killed --prune: X lost its archive, 4 files left" \
	    sh -c "[ ! -e '$SD/$X.tar' ] && [ $(files $X) -eq 4 ]"
	run --root "$R" --prune --keep 0
	check "the next --prune removes them and says so" \
	    sh -c "[ $RC -eq 0 ] && [ $(files $X) -eq 0 ] && printf '%s\n' \
	    \"\$1\" | grep -q '^removed leftover $X ('" _ "$OUT"
	check "and prunes the rest as usual: X-3, the newest, stays" \
	    sh -c "[ '$(left)' = '$X-3 ' ] && [ $(files $X-3) -eq 5 ]"
else
	skip_line "killed --prune" "strace cannot run here"
fi
