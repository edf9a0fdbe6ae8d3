#!/bin/sh
# make fuzz: run each harness in DIR for SECONDS on its seed corpus
# (tests/fuzz/corpus/NAME, only read) and a scratch corpus in DIR. Prints
# one line per harness with libFuzzer's run count; a crash, a leak, a
# timeout or a sanitizer report fails, and its input is kept in DIR.
# The harnesses' scratch roots go to DIR/tmp (TMPDIR), removed after each
# run: libFuzzer ends a timed run without the harness's atexit cleanup.
set -u

FZ=$(cd "$1" && pwd) || exit 1
SECS=${2:-20}
RSS=${3:-2048}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
failed=0

for h in "$FZ"/fuzz_*; do
	[ -x "$h" ] || continue
	name=$(basename "$h")
	seeds="$TOP/tests/fuzz/corpus/${name#fuzz_}"
	work="$FZ/corpus/${name#fuzz_}"
	log="$FZ/$name.log"
	rm -rf "$FZ/tmp"
	mkdir -p "$work" "$FZ/crashes" "$FZ/tmp" || exit 1
	if [ ! -d "$seeds" ]; then
		echo "$name: no seed corpus $seeds"
		failed=1
		continue
	fi
	TMPDIR="$FZ/tmp" "$h" -max_total_time="$SECS" -rss_limit_mb="$RSS" -timeout=10 \
	    -artifact_prefix="$FZ/crashes/$name-" -print_final_stats=1 \
	    "$work" "$seeds" >"$log" 2>&1
	rc=$?
	rm -rf "$FZ/tmp"
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ "$rc" -ne 0 ] || [ -z "$runs" ]; then
		echo "$name: FAILED (exit $rc), log $log"
		grep -E 'ERROR|SUMMARY|leak|Test unit written|fuzz harness' \
		    "$log" | head -20 | sed 's/^/    /'
		failed=1
	else
		echo "$name: $runs, $cov, no crash"
	fi
done
[ "$failed" -eq 0 ]
