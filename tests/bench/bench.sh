#!/bin/sh
# make bench: sshfix against the bare-syscall floor (see floor.c), on
# fake roots of 1, 1k, 10k and 100k accounts, and --apply/--rollback of
# 10k broken homes. Prints a table and saves it under build/bench/.
set -eu

B=${1:-build}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W="$TOP/$B/bench"
SSHFIX="$TOP/$B/sshfix"
RUNS=${BENCH_RUNS:-7}
mkdir -p "$W/roots"

if [ "$(id -u)" -ne 0 ]; then
	echo "make bench: run as root (the fake roots need chown)" >&2
	exit 2
fi
for t in genroot floor runbench; do
	cc -O2 -Wall -Wextra -o "$W/$t" "$TOP/tests/bench/$t.c"
done
if [ ! -f "$W/keys/ssh_host_ed25519_key" ]; then
	mkdir -p "$W/keys"
	ssh-keygen -q -t ed25519 -N '' -C bench -f "$W/keys/ssh_host_ed25519_key"
fi
root() {	# root NAME ACCOUNTS [HOMEMODE]: generated once, then reused
	if [ ! -f "$W/roots/$1/etc/passwd" ]; then
		rm -rf "$W/roots/$1"
		echo "generating $1 ($2 accounts)..." >&2
		BENCH_KEYS="$W/keys" "$W/genroot" "$W/roots/$1" "$2" ${3:-}
	fi
}
root one 1
root 1k 1000
root 10k 10000
root 100k 100000
root broken10k 10000 0777

# sshd -t needs its privilege separation directory to run to the end.
made_privsep=no
if [ ! -d /run/sshd ]; then
	mkdir -m 0755 /run/sshd && made_privsep=yes
fi
trap '[ "$made_privsep" = no ] || rmdir /run/sshd 2>/dev/null' EXIT

OUT="$W/results.txt"
{
echo "sshfix $("$SSHFIX" --version | cut -d' ' -f2), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, median of $RUNS runs, warm cache"
printf '%-28s %10s %10s %9s %10s  %s\n' "case" "sshfix ms" "floor ms" "ratio" "peak RSS" "target"
for n in 1k 10k 100k; do
	set -- $("$W/runbench" "$RUNS" "$SSHFIX" --root "$W/roots/$n")
	s=$1 rss=$2
	set -- $("$W/runbench" "$RUNS" "$W/floor" "$W/roots/$n")
	f=$1
	ratio=$(awk -v a="$s" -v b="$f" 'BEGIN { printf "%.2f", a / b }')
	target=""
	if [ "$n" = 100k ]; then
		target=$(awk -v r="$ratio" -v m="$rss" 'BEGIN { if (r <= 2 && m < 32768) print "<=2x, <32 MB: met"; else print "<=2x, <32 MB: NOT met" }')
	fi
	printf '%-28s %10s %10s %8sx %7s KB  %s\n' "dry-run, $n accounts" "$s" \
	    "$f" "$ratio" "$rss" "$target"
done
set -- $("$W/runbench" "$RUNS" "$SSHFIX" --root "$W/roots/one")
s=$1 rss=$2
set -- $("$W/runbench" "$RUNS" /usr/sbin/sshd -t \
    -f "$W/roots/one/etc/ssh/sshd_config" \
    -h "$W/keys/ssh_host_ed25519_key")
printf '%-28s %10s %10s %9s %7s KB  %s\n' "dry-run, 1 account" "$s" "-" "-" \
    "$rss" "$(awk -v t="$s" -v m="$rss" 'BEGIN { if (t < 10 && m < 4096) print "<10 ms, <4 MB: met"; else print "<10 ms, <4 MB: NOT met" }')"
printf '%-28s %10s %10s %9s %7s KB  %s\n' "sshd -t, same config" "$1" "-" \
    "-" "$2" "(for comparison; exit $3)"
for i in 1 2 3; do
	rm -rf "$W/apply"
	cp -a "$W/roots/broken10k" "$W/apply"
	set -- $("$W/runbench" 0 "$SSHFIX" --root "$W/apply" --apply)
	echo "$1 $2" >>"$W/apply.times"
	set -- $("$W/runbench" 0 "$SSHFIX" --root "$W/apply" --rollback)
	echo "$1 $2" >>"$W/rollback.times"
done
for what in apply rollback; do
	set -- $(sort -n "$W/$what.times" | sed -n 2p)
	printf '%-28s %10s %10s %9s %7s KB  %s\n' \
	    "--$what, 10k home modes" "$1" "-" "-" "$2" "$(awk -v t="$1" \
	    'BEGIN { if (t < 2000) print "<2 s: met"; else print "<2 s: NOT met" }')"
	rm -f "$W/$what.times"
done
rm -rf "$W/apply"
} | tee "$OUT"
echo "results saved in $OUT"
