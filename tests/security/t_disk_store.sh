# The snapshot store of a disk an attacker wrote (issue 22, item 4): a
# FIFO, socket, device or link where sshfix keeps a file of its own (a
# snapshot's state, archive, manifests, seal; the root's lock), or an
# archive truncated up to a terabyte (sparse). Every mode must end by
# itself within TMAX seconds, exit 2 (cannot run: the store is refused)
# naming the file, and change nothing on the disk, sshfix's own files
# included. SIGTERM stops a --rollback before its first change; once the
# restore is under way it runs to its end.
. "$SSHFIX_TOP/tests/integration/lib.sh"

TMAX=${SSHFIX_STORE_TMAX:-3}	# seconds; a fixed sshfix takes a fraction
SD=var/lib/sshfix/snapshots

now_ms() { date +%s%3N; }

# disk DIR: every entry (the store and the lock too) and the content of
# each file under 1 MiB: a sparse terabyte is compared by its listing.
disk() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s %T@ %l\n' | sort &&
	    find . -type f -size -1024k -exec sha256sum {} + | sort)
}

# timed ARGS...: sshfix ARGS, SIGTERM after TMAX s (SIGKILL a second
# later); RC, OUT, ERR as run(), MS how long it ran.
timed() {
	t0=$(now_ms)
	timeout -k 1 "$TMAX" "$SSHFIX" "$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	MS=$(($(now_ms) - t0))
	OUT=$(cat "$T/out") ERR=$(cat "$T/err")
}

# term_after SECS ARGS...: sshfix ARGS, SIGTERM after SECS; SIGKILL at
# TMAX + 1 s from the start. MS: from the SIGTERM to its end.
term_after() {
	delay=$1; shift
	rm -f "$T/pid"
	timeout -s KILL $((TMAX + 1)) sh -c 'echo $$ >"$1"; shift; exec "$@"' \
	    _ "$T/pid" "$SSHFIX" "$@" >"$T/out" 2>"$T/err" </dev/null &
	tpid=$!
	sleep "$delay"
	t0=$(now_ms)
	kill -TERM "$(cat "$T/pid")" 2>/dev/null
	{ wait "$tpid"; } 2>/dev/null
	RC=$?
	MS=$(($(now_ms) - t0))
	OUT=$(cat "$T/out") ERR=$(cat "$T/err")
}

# judge DESC NAME KIND: the last run ended by itself within TMAX s, exit
# 2, said NAME and KIND (in one message: the report's lines rejoined),
# and the disk is as $T/d0 says.
judge() {
	disk "$R" >"$T/d1"
	named=no
	printf '%s\n%s\n' "$OUT" "$ERR" | tr -s ' \n' '  ' |
	    grep -F -- "$2" | grep -qF -- "$3" && named=yes
	if [ "$MS" -lt $((TMAX * 1000)) ] && [ "$RC" -eq 2 ] &&
	    [ "$named" = yes ] && cmp -s "$T/d0" "$T/d1"; then
		ok "$1"
		return
	fi
	not_ok "$1"
	echo "#   exit $RC after ${MS} ms; said $2 ($3): $named;" \
	    "$(cmp -s "$T/d0" "$T/d1" && echo unchanged || echo CHANGED)"
	printf '%s\n%s\n' "$OUT" "$ERR" | grep -v '^$' | tail -3 |
	    sed 's/^/#   /'
}

# The base: /root 0777 fixed by an --apply (one applied snapshot), then
# /home/alice made 0777: a dry run has a fault, --apply work to do, and
# --rollback a snapshot it would undo.
B="$T/base"; mkroot "$B"; chmod 0777 "$B/root"
"$SSHFIX" --root "$B" --apply >"$T/out" 2>&1 ||
    { not_ok "setup: --apply exits 0"; cat "$T/out" | sed 's/^/# /'; exit 0; }
chmod 0777 "$B/home/alice"
SID=$(ls "$B/$SD" | sed -n 's/\.tar$//p')
fresh() { rm -rf "$R" && cp -a "$B" "$R"; }

MODES="--dry-run --list --apply --rollback --prune"

# 1. A FIFO as each file of the store and as the lock, in every mode.
for f in "$SD/$SID.state" "$SD/$SID.tar" "$SD/$SID.before.mtree" \
    "$SD/$SID.after.mtree" "$SD/$SID.seal" var/lib/sshfix/lock; do
	for m in $MODES; do
		R="$T/c"; fresh
		rm -f "$R/$f"
		mkfifo -m 0600 "$R/$f"
		disk "$R" >"$T/d0"
		timed --root "$R" "$m"
		judge "FIFO as ${f##*/}: $m ends at once, exit 2, names it, changes nothing" \
		    "/$f" "a FIFO"
	done
done

# 2. A sparse terabyte archive: refused on its size, never hashed.
for m in $MODES; do
	R="$T/c"; fresh
	truncate -s 1T "$R/$SD/$SID.tar"
	disk "$R" >"$T/d0"
	timed --root "$R" "$m"
	judge "1 TiB sparse $SID.tar: $m refuses it on its size at once" \
	    "/$SD/$SID.tar" "1099511627776 bytes"
done

# 3. Other kinds in place of the state: a symlink, a socket, a device
# node (1,3: the null device, harmless if opened; never opened here).
other_kind() {	# other_kind KIND-SAID MAKE-COMMAND...
	said=$1; shift
	for m in --list --rollback; do
		R="$T/c"; fresh
		rm -f "$R/$SD/$SID.state"
		if ! "$@" "$R/$SD/$SID.state" 2>/dev/null; then
			skip_line "$said as the state: $m" "cannot make one here"
			continue
		fi
		disk "$R" >"$T/d0"
		timed --root "$R" "$m"
		judge "$said as $SID.state: $m refused, exit 2" \
		    "/$SD/$SID.state" "$said"
	done
}
mksock() { python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1"; }
other_kind "a symbolic link" ln -s "$SID.seal"
other_kind "a socket" mksock
mkdev() { mknod -m 0600 "$1" c 1 3; }
other_kind "a character device" mkdev

# 4. SIGTERM to a --rollback that main left blocked on a FIFO, or hashing
# a terabyte: it ends within TMAX s of the signal, exit 2, nothing
# changed (main ignores the signal there).
R="$T/c"; fresh
rm -f "$R/$SD/$SID.state"; mkfifo -m 0600 "$R/$SD/$SID.state"
disk "$R" >"$T/d0"
term_after 0.5 --root "$R" --rollback
judge "SIGTERM to --rollback with a FIFO as the state: ends, exit 2" \
    "/$SD/$SID.state" "a FIFO"
R="$T/c"; fresh
truncate -s 1T "$R/$SD/$SID.tar"
disk "$R" >"$T/d0"
term_after 0.5 --root "$R" --rollback
judge "SIGTERM to --rollback of a 1 TiB archive: ends, exit 2" \
    "/$SD/$SID.tar" "bytes"

# 5. SIGTERM while --rollback hashes an archive within the bound (200 MiB,
# its seal made to match): strace delivers it at the 1000th read, in the
# hashing; the rollback stops there, exit 2, nothing changed. At its first
# change instead, the restore runs to its end: exit 0, rolled back.
if command -v strace >/dev/null 2>&1 && strace -qq -o /dev/null true \
    2>/dev/null; then
	traced_rb() {	# traced_rb INJECT: --rollback of R under strace
		t0=$(now_ms)
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" timeout -s KILL \
		    $((TMAX * 3)) strace -qq -o /dev/null -e inject="$1" \
		    "$SSHFIX" --root "$R" --rollback >"$T/out" 2>"$T/err"
		RC=$?
		MS=$(($(now_ms) - t0))
		OUT=$(cat "$T/out") ERR=$(cat "$T/err")
	}
	R="$T/c"; fresh
	tar="$R/$SD/$SID.tar"
	truncate -s 200M "$tar"
	sum=$(sha256sum "$tar" | cut -d' ' -f1)
	sed -i "s/^tar .*/tar $sum/" "$R/$SD/$SID.seal"
	disk "$R" >"$T/d0"
	traced_rb read:signal=TERM:when=1000
	judge "SIGTERM while --rollback hashes a 200 MiB archive: stops, exit 2" \
	    "SIGTERM" "nothing was changed"
	R="$T/c"; fresh
	tree "$R" >"$T/t0"
	traced_rb fchmodat,fchmod:signal=TERM:when=1
	tree "$R" >"$T/t1"
	check "SIGTERM at --rollback's first change: the restore runs to its end (exit 0, /root 0777 again)" \
	    sh -c "[ $RC -eq 0 ] && [ \"\$(stat -c %a '$R/root')\" = 777 ]"
else
	skip_line "SIGTERM under strace" "strace cannot trace here"
fi

# 6. The dry run's view is incomplete, and says so in JSON too.
R="$T/c"; fresh
rm -f "$R/$SD/$SID.tar"; mkfifo -m 0600 "$R/$SD/$SID.tar"
timed --root "$R" --json
check "FIFO archive: dry run --json: result incomplete, the file in incomplete" \
    sh -c "[ $RC -eq 2 ] && printf '%s' \"\$1\" | grep -q '\"result\":\"incomplete\"' &&
    printf '%s' \"\$1\" | grep -qF '\"path\":\"/$SD/$SID.tar\",\"error\":\"a FIFO, not a regular file; refused\"'" \
    _ "$OUT"
