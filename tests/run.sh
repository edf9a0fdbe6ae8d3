#!/bin/sh
# make check: run every test binary and script, each speaking TAP
# ("ok ..." / "not ok ..."), and end with one line "N passed, N failed".
# make check-versions (run.sh B versions): tests/versions/t_*.sh against
# this host's sshd and each upstream release instead (see README.md);
# make check-differential (run.sh B differential): the differential test
# at full size against each of them.
set -u

B=${1:-build}
MODE=${2:-check}
TOP=$(cd "$(dirname "$0")/.." && pwd)
LOG=$(mktemp -d "${TMPDIR:-/tmp}/sshfix-check.XXXXXX")
pass=0
fail=0
skipped=0
# make check SANITIZE=1: every sanitizer report goes to a file under
# $LOG/san; a test after which one exists failed, whatever it printed.
SAN=
if [ -n "${SSHFIX_SANITIZE:-}" ]; then
	SAN="$LOG/san"
	mkdir "$SAN" || exit 1
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}:log_path=$SAN/asan"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:log_path=$SAN/ubsan"
fi

run_one() {
	name=$1
	shift
	out="$LOG/$(basename "$name").tap"
	"$@" >"$out" 2>&1
	rc=$?
	s=$(grep -c '^ok .*# SKIP' "$out")
	p=$(($(grep -c '^ok ' "$out") - s))
	f=$(grep -c '^not ok ' "$out")
	# A crash, or a non-zero exit with no failed test named, is a failure.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited $rc" >>"$out"
	fi
	if [ -n "$SAN" ] && [ -n "$(ls -A "$SAN")" ]; then
		f=$((f + 1))
		echo "not ok - $name: sanitizer report" >>"$out"
		cat "$SAN"/* | sed 's/^/# /' | head -30 >>"$out"
		rm -f "$SAN"/*
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		f=1
		echo "not ok - $name ran no test" >>"$out"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + s))
	printf '%-40s %3d passed, %d failed%s\n' "$name" "$p" "$f" \
	    "$([ "$s" -eq 0 ] || echo ", $s skipped")"
	if [ "$s" -ne 0 ]; then
		grep '# SKIP' "$out" | sed 's/^/    /' | head -20
	fi
	if [ "$f" -ne 0 ]; then
		grep -E '^not ok|^# ' "$out" | sed 's/^/    /' | head -40
	fi
}

# check-versions: each tests/versions/t_*.sh once per release; one SKIP
# line for all when the OpenSSH sources are not there.
versions() {
	SSHFIX_TOP=$TOP
	. "$TOP/tests/versions/openssh.sh"
	if [ ! -x "$OPENSSH_SRC/build.sh" ]; then
		run_one versions echo "ok 1 - every release # SKIP no" \
		    "$OPENSSH_SRC/build.sh (OpenSSH sources)"
		return
	fi
	for r in debian $OPENSSH_RELEASES; do
		for t in "$TOP"/tests/versions/t_*.sh; do
			run_one "versions/$r/$(basename "$t" .sh)" env \
			    SSHFIX_TOP="$TOP" SSHFIX="$TOP/$B/sshfix" \
			    SSHFIX_RELEASE="$r" sh "$t"
		done
	done
}

# scripts DIR [VAR=VALUE]...: each tests/DIR/t_*.sh, with VAR=VALUE in
# its environment too.
scripts() {
	d=$1
	shift
	for t in "$TOP/tests/$d"/t_*.sh; do
		[ -f "$t" ] || continue
		run_one "$d/$(basename "$t" .sh)" env SSHFIX_TOP="$TOP" \
		    SSHFIX="$TOP/$B/sshfix" "$@" sh "$t"
	done
}

# make check: every test but the releases.
all() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "make check: not root: the integration tests need chown" \
		    "and the end-to-end tests mount namespaces; run it as" \
		    "root (sudo make check)"
	fi
	for t in "$TOP/$B"/tests/test_*; do
		[ -x "$t" ] || continue
		run_one "unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP \
		    SSHFIX_TOP="$TOP" "$t"
	done
	scripts integration
	scripts security
	scripts layout
	scripts packaging B="$B"
	scripts e2e
	scripts differential
}

# check-differential: the differential test with DIFF_COUNT (1000) setups
# against this host's sshd and each release; one line of agreement each.
differential() {
	SSHFIX_TOP=$TOP
	. "$TOP/tests/versions/openssh.sh"
	rels=debian
	[ -x "$OPENSSH_SRC/build.sh" ] && rels="debian $OPENSSH_RELEASES"
	for r in $rels; do
		run_one "differential/$r" env SSHFIX_TOP="$TOP" \
		    SSHFIX="$TOP/$B/sshfix" DIFF_RELEASE="$r" \
		    DIFF_COUNT="${DIFF_COUNT:-1000}" \
		    sh "$TOP/tests/differential/t_differential.sh"
		grep '^# agreement' "$LOG/$r.tap" 2>/dev/null |
		    sed 's/^# /    /'
	done
}

# check-distros: tests/distros on real Debian roots (needs Debian's
# archive the first time: the roots are cached); its summary line.
distros() {
	run_one "distros/t_distros" env SSHFIX_TOP="$TOP" \
	    SSHFIX="$TOP/$B/sshfix" sh "$TOP/tests/distros/t_distros.sh"
	grep '^# check-distros' "$LOG/t_distros.tap" 2>/dev/null |
	    sed 's/^# /    /'
}

if [ "$MODE" = versions ]; then
	versions
elif [ "$MODE" = differential ]; then
	differential
elif [ "$MODE" = distros ]; then
	distros
else
	all
fi
rm -rf "$LOG"
if [ "$skipped" -ne 0 ]; then
	echo "$pass passed, $fail failed, $skipped skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
