#!/bin/sh
# make check: run every test binary and script, each speaking TAP
# ("ok ..." / "not ok ..."), and end with one line "N passed, N failed".
set -u

B=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
LOG=$(mktemp -d "${TMPDIR:-/tmp}/sshfix-check.XXXXXX")
pass=0
fail=0

run_one() {
	name=$1
	shift
	out="$LOG/$(basename "$name").tap"
	"$@" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	# A crash, or a non-zero exit with no failed test named, is a failure.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited $rc" >>"$out"
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name ran no test" >>"$out"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	printf '%-40s %3d passed, %d failed\n' "$name" "$p" "$f"
	if [ "$f" -ne 0 ]; then
		grep -E '^not ok|^# ' "$out" | sed 's/^/    /' | head -40
	fi
}

for t in "$TOP/$B"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP \
	    SSHFIX_TOP="$TOP" "$t"
done
for t in "$TOP"/tests/integration/t_*.sh; do
	[ -f "$t" ] || continue
	run_one "integration/$(basename "$t" .sh)" env SSHFIX_TOP="$TOP" \
	    SSHFIX="$TOP/$B/sshfix" sh "$t"
done
for t in "$TOP"/tests/e2e/t_*.sh; do
	[ -f "$t" ] || continue
	run_one "e2e/$(basename "$t" .sh)" env SSHFIX_TOP="$TOP" \
	    SSHFIX="$TOP/$B/sshfix" sh "$t"
done
rm -rf "$LOG"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
