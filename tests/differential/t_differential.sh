# The differential test: generated setups (gen.awk), each judged by
# the real sshd of one release (DIFF_RELEASE: "debian", this host's sshd,
# or an upstream release from ../shared/openssh) with real clients, and by
# sshfix --dry-run --json; first the setups of the file "cases", then the
# generated ones; one TAP line per setup, "not ok" where the two
# differ, with the seed and the setup shrunk to what still shows it.
# DIFF_FIRST (1) and DIFF_COUNT (40: make check's sample, about a minute)
# say which seeds; DIFF_CASES (the cases file) which cases are judged
# first; DIFF_MINIMISE (3) how many disagreements are shrunk;
# DIFF_JOBS (two per CPU: a judge waits on the network half the time)
# how many setups are judged at once.
. "$SSHFIX_TOP/tests/e2e/lib.sh"
. "$SSHFIX_TOP/tests/versions/openssh.sh"
. "$SSHFIX_TOP/tests/differential/lib.sh"

REL=${DIFF_RELEASE:-debian}
FIRST=${DIFF_FIRST:-1}
COUNT=${DIFF_COUNT:-40}
why=$(e2e_missing)
[ -n "$why" ] || command -v jq >/dev/null || why="no jq"
if [ -z "$why" ] && ! diff_release "$REL" 2>"$T/why"; then
	why=$(head -1 "$T/why")
fi
if [ -n "$why" ]; then
	skip "differential $REL: seeds $FIRST-$((FIRST + COUNT - 1))" "$why"
	exit 0
fi
# setup_work DIR: a worker's directory: the client's key and askpass.
setup_work() {
	mkdir -p "$1"
	cp "$CKEY" "$1/client_key"
	printf '#!/bin/sh\necho %s\n' "$PASSWORD" >"$1/askpass"
	chmod 0755 "$1/askpass"
}
DBASE="$T/base"
diff_base "$DBASE"

# The cases file first: each class found so far and its control.
DW="$T/wc"
setup_work "$DW"
awk -v dir="$T" '/^== /{ n++; f = sprintf("%s/case.%03d", dir, n);
    print substr($0, 4) >f; next } /^#/ { next } f { print >f }' \
    "${DIFF_CASES:-$DIR_/cases}"
cases=0 cagree=0
for c in "$T"/case.*; do
	name=$(head -1 "$c")
	judge "$(tail -n +2 "$c")"
	cases=$((cases + 1))
	if [ "$AGREE" = yes ]; then
		cagree=$((cagree + 1))
		ok "differential $REL case \"$name\": $REAL"
	else
		not_ok "differential $REL case \"$name\": sshd: $REAL; sshfix: $SF"
	fi
done

# DIFF_JOBS workers (two per CPU), each its own namespaces and seeds
# s = FIRST + j, FIRST + j + JOBS, ...: "SEED AGREE REAL|SF" lines.
JOBS=${DIFF_JOBS:-$((2 * $(nproc 2>/dev/null || echo 1)))}
worker() {
	DW="$T/w$1"
	setup_work "$DW"
	s=$((FIRST + $1))
	while [ "$s" -lt $((FIRST + COUNT)) ]; do
		D=$(awk -v seed="$s" -v ver="$DVER" -v pam="$DPAM" \
		    -f "$DIR_/gen.awk")
		judge "$D"
		printf '%s %s %s|%s\n' "$s" "$AGREE" "$REAL" "$SF"
		s=$((s + JOBS))
	done >"$T/res.$1"
}
j=0 pids=
while [ "$j" -lt "$JOBS" ]; do
	worker "$j" &
	pids="$pids $!"
	j=$((j + 1))
done
# shellcheck disable=SC2086
wait $pids

DW="$T/w0"
agree=0 shrunk=0 n=0
ina=0 inb=0 inr=0
sort -n "$T"/res.* >"$T/res"
while read -r s a rest; do
	REAL=${rest%%|*} SF=${rest#*|}
	n=$((n + 1))
	case $REAL in *alice=???a*) ina=$((ina + 1)) ;; esac
	case $REAL in *bob=???a*) inb=$((inb + 1)) ;; esac
	case $REAL in *root=???a) inr=$((inr + 1)) ;; esac
	if [ "$a" = yes ]; then
		agree=$((agree + 1))
		ok "differential $REL seed $s: $REAL"
		continue
	fi
	not_ok "differential $REL seed $s: sshd: $REAL; sshfix: $SF"
	D=$(awk -v seed="$s" -v ver="$DVER" -v pam="$DPAM" -f "$DIR_/gen.awk")
	if [ "$shrunk" -lt "${DIFF_MINIMISE:-3}" ]; then
		shrunk=$((shrunk + 1))
		echo "# seed $s, shrunk to:"
		minimise "$D" | sed 's/^/#   /'
		echo "#   (sshd: $REAL; sshfix: $SF)"
	else
		printf '%s\n' "$D" | sed 's/^/#   /'
	fi
done <"$T/res"
pc() { echo "$(($1 * 100 / (n ? n : 1)))%"; }
echo "# agreement $REL: $agree of $n generated setups (seeds $FIRST-$((FIRST +
    COUNT - 1))), $cagree of $cases cases; sshd lets in alice $(pc $ina)," \
    "bob $(pc $inb), root $(pc $inr)"
