# An interrupted --apply or --rollback is always recoverable (issue 12).
# strace's fault injection kills sshfix (SIGKILL: the OOM killer, a power
# cut), fails a write or fsync (ENOSPC) or sends SIGTERM/SIGHUP/SIGINT at
# one mutating system call at a time, on a root with several faults; then
# the tree (content, mode, owner, mtime: lib.sh's tree) must come back
# exactly as it was before.
#
# strace counts calls per syscall and per process (-f): when=N hits the
# first process to make its Nth such call, sshfix itself or a child it
# spawned (ssh-keygen, sshd -t). The reference trace says which one, and
# in which phase: "pre" (before the snapshot's state file exists: nothing
# may have changed), "change", "post" (after the final state is written).
. "$SSHFIX_TOP/tests/integration/lib.sh"

if ! command -v strace >/dev/null 2>&1; then
	skip_line "crash injection" "strace not installed (make deps)"
	exit 0
fi
# Without ptrace (some containers) strace cannot run at all.
if ! strace -qq -o /dev/null true 2>/dev/null; then
	skip_line "crash injection" "strace cannot trace here (ptrace refused)"
	exit 0
fi

SET=write,pwrite64,writev,openat,open,creat,rename,renameat,renameat2
SET=$SET,unlink,unlinkat,mkdir,mkdirat,rmdir,fchmod,fchmodat,chmod,fchown
SET=$SET,fchownat,chown,lchown,utimensat,futimesat,fsetxattr,setxattr
SET=$SET,lsetxattr,fremovexattr,removexattr,fsync,fdatasync,ftruncate
SET=$SET,truncate,link,linkat,symlink,symlinkat
# Crash points per syscall kind at most (first and last always in).
K=${SSHFIX_CRASH_K:-16}
KR=${SSHFIX_CRASH_KR:-10}	# the same for --rollback (two runs a point)
if [ -n "${SSHFIX_SANITIZE:-}" ]; then K=4 KR=3; fi

# The pristine root: a shared-group home, host keys 0777, a configured
# host key that is corrupt (removed, then ssh-keygen), AddressFamily inet6
# with IPv6 disabled (a config edit: temp + fsync + rename).
P="$T/pristine"; mkroot "$P"
chgrp users "$P/home/alice"; chmod 0775 "$P/home/alice"
chmod 0777 "$P"/etc/ssh/ssh_host_*
printf 'HostKey /etc/ssh/ssh_host_rsa_key\nHostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/custom_ed25519_key\n' \
    >"$P/etc/ssh/sshd_config.d/10-k.conf"
printf 'garbage\n' >"$P/etc/ssh/custom_ed25519_key"
chmod 0600 "$P/etc/ssh/custom_ed25519_key"
printf 'AddressFamily inet6\n' >"$P/etc/ssh/sshd_config.d/20-v6.conf"
printf 'net.ipv6.conf.all.disable_ipv6 = 1\n' >"$P/etc/sysctl.d/90-v6.conf"
tree "$P" >"$T/before"

fresh() { rm -rf "$1" && cp -a "$2" "$1"; }
: >"$T/diff"

# The reference apply, on a copy: it must work, with every kind of step.
A="$T/applied"; fresh "$A" "$P"
run --root "$A" --apply --json
check "reference apply exits 0" [ "$RC" -eq 0 ]
SID=$(printf '%s' "$OUT" | grep -o '"snapshot":"[^"]*"' | cut -d'"' -f4)
check "reference apply: chmod, unlink, ssh-keygen and a config edit" sh -c '
    for w in "chmod 0777 -> 0600" "remove corrupt" "generate host key" \
	"edit /etc/ssh/sshd_config.d/20-v6.conf:1"; do
	printf "%s" "$1" | grep -qF "$w" || exit 1
    done' _ "$OUT"
tree "$A" >"$T/after"
if [ -z "$SID" ] || cmp -s "$T/before" "$T/after"; then
	not_ok "reference apply changed the root and named its snapshot"
	exit 0
fi

# points TRACE ROOT KMAX: from an `strace -f -y` trace (with execve) of
# a run on ROOT, one line per crash point "KIND N WHO PHASE TARGET CALL":
# the first call that is some process's Nth of KIND; TARGET 1 when it
# acts on the root outside var/lib (which tree() leaves out). PHASE: early (no snapshot file
# yet), pre (the snapshot being written), change (from the first change
# to the root), post (after the last state file is in place). openat and
# open count only where they create or write. At most KMAX points a kind,
# first and last always in, evenly spaced.
points() {
	awk -v kmax="$3" -v root="$2" '
	function skip() { return $2 ~ /^(---|\+\+\+|<\.\.\.)/ }
	function parse() {
		pid = $1; line = $0; sub(/^[0-9]+ +/, "", line)
		call = line; sub(/\(.*/, "", call)
		if (main == "") main = pid
	}
	NR == FNR {
		if (skip()) next
		parse()
		if (pid == main && call ~ /^rename/ && line ~ /\.state"/)
			laststate = FNR
		next
	}
	FNR == 1 { main = "" }
	{
		if (skip()) next
		parse()
		if (call == "execve") {
			p = line; sub(/^execve\("/, "", p); sub(/".*/, "", p)
			sub(/.*\//, "", p); who[pid] = p; next
		}
		w = (pid == main) ? "sshfix" : (pid in who ? who[pid] : "child")
		mut = !(call ~ /^(open|openat)$/ &&
		    line !~ /O_CREAT|O_WRONLY|O_RDWR|O_TRUNC/)
		tgt = mut && index(line, root "/") &&
		    !index(line, root "/var/lib")
		if (ph == "") ph = "early"
		# Killed at the openat that creates the archive, the file
		# is not made: that point is still early.
		if (topre) { ph = "pre"; topre = 0 }
		if (ph == "early" && pid == main && call ~ /^open/ &&
		    line ~ /\.tar"/ && line ~ /O_CREAT/)
			topre = 1
		if (tgt && ph != "post") ph = "change"
		if (laststate && FNR > laststate) ph = "post"
		n = ++cnt[pid SUBSEP call]
		k = call SUBSEP n
		if (k in desc) next
		if (!(call in max) || n > max[call]) max[call] = n
		d = line; gsub(root, "R", d); d = substr(d, 1, 64)
		gsub(/[#\\]/, "%", d)
		desc[k] = w " " ph " " tgt " " d; ismut[k] = mut
		# The first mutating call of each process and phase is
		# always a point, however few the sample takes.
		g = call SUBSEP w SUBSEP ph
		if (mut && !(g in seen)) { seen[g] = 1; must[k] = 1 }
	}
	END {
		for (c in max) {
			m = 0
			for (n = 1; n <= max[c]; n++)
				if (ismut[c SUBSEP n] || n == 1 || n == max[c])
					cand[++m] = n
			last = 0
			delete out
			for (j = 0; j < kmax && j < m; j++) {
				if (m <= kmax) i = j + 1
				else i = 1 + int(j * (m - 1) / (kmax - 1) + 0.5)
				if (i == last) continue
				last = i
				out[cand[i]] = 1
			}
			for (n = 1; n <= max[c]; n++)
				if (n in out || (c SUBSEP n) in must)
					print c, n, desc[c SUBSEP n]
		}
	}' "$1" "$1" | sort -k1,1 -k2,2n
}

# leftovers DIR: temp files, the keygen staging directory, snapshot debris.
leftovers() {
	find "$1" \( -name '.sshfix-*.tmp' -o -name '.sshfix-keygen' \) \
	    -print 2>/dev/null
	find "$1/var/lib/sshfix/snapshots" -name '.*.tmp' -print 2>/dev/null
}
# interrupted DIR: snapshots whose state still says applying.
interrupted() {
	grep -lx applying "$1"/var/lib/sshfix/snapshots/*.state 2>/dev/null
}
# same DIR WANT: DIR's tree is WANT and nothing is left over; else why()
# and cwhy() show the difference.
same() {
	tree "$1" >"$T/got"
	{ diff "$2" "$T/got" | head -8; leftovers "$1" | sed 's/^/left over: /'
	} >"$T/diff"
	[ ! -s "$T/diff" ]
}
say() { printf '%s\n' "$*" | head -4 | sed 's/^/#   /'; }
# why, cwhy: after a failed check, sshfix's last words (of `run`, of
# `crash`) and the difference same() found.
why() {
	say "$1 exited $RC: $(printf '%s\n' "$OUT" | tail -1) $ERR"
	sed 's/^/#   /' "$T/diff"; : >"$T/diff"
}

# ptraced ARGS...: strace ARGS. LeakSanitizer cannot run under ptrace
# (it aborts with exit 99): the ASan build's leak check is off there only.
ptraced() {
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace "$@"
}
# crash DIR INJECT KIND: sshfix --apply under strace -f injecting INJECT
# into KIND; sets SRC (its exit status; 128+9 when killed).
crash() {
	traced -e trace="$3,mkdir" -e inject="$3:$2" \
	    "$SSHFIX" --root "$1" --apply >"$T/cout" 2>"$T/cerr"
	SRC=$?
}
# traced ARGS...: strace -f ARGS, tracing mkdir too: the sshd -t directory
# a killed sshfix leaves in /tmp is removed (by its name in the trace).
traced() {
	ptraced -f -qq -o "$T/ct" "$@"
	st=$?
	sed -n 's|^[0-9]* *mkdir("\(/tmp/sshfix-validate\.[A-Za-z0-9]*\)".* = 0$|\1|p' \
	    "$T/ct" | while read -r v; do rm -rf "$v"; done
	return $st
}
cwhy() {
	say "apply exited $SRC: $(tail -1 "$T/cout") $(cat "$T/cerr")"
	sed 's/^/#   /' "$T/diff"; : >"$T/diff"
}
# reference ROOT OUT ARGS...: trace one run, with the paths of fds.
reference() {
	r=$1 o=$2; shift 2
	ptraced -f -qq -y -e trace="$SET,execve" -o "$o" \
	    "$SSHFIX" --root "$r" "$@" >/dev/null 2>&1
}
# summary TRACE POINTS WHAT K: the counts per kind and the sample.
summary() {
	echo "# $3: calls per kind: $(awk '$2 !~ /^(---|\+\+\+|<)/ {
	    c = $2; sub(/\(.*/, "", c); if (c != "execve") n[c]++ }
	    END { for (c in n) printf "%s %d, ", c, n[c] }' "$1")"
	echo "# $3: crash points (at most $4 a kind): $(awk '{ a[$1] = a[$1] \
	    " " $2 } END { for (c in a) printf "%s:%s; ", c, a[c] }' "$2")"
}

# The reference trace of --apply, once.
R="$T/r"; fresh "$R" "$P"
reference "$R" "$T/trace.apply" --apply
points "$T/trace.apply" "$R" "$K" >"$T/pts.apply"
summary "$T/trace.apply" "$T/pts.apply" --apply "$K"
check "--apply: crash points in every phase, sshfix and ssh-keygen" sh -c '
    for w in " early " " pre " " change " " post " "^write [0-9]* ssh-keygen "; do
	grep -q "$w" "$1" || exit 1
    done' _ "$T/pts.apply"

# 1. SIGKILL at each sampled point, then --rollback (no ID). Killed
# before any snapshot file exists, "nothing to roll back" (2) is right.
while read -r kind n who ph tgt call; do
	R="$T/k"; fresh "$R" "$P"
	crash "$R" "signal=KILL:when=$n" "$kind"
	note="killed"
	[ "$SRC" -eq 137 ] || note="not killed: apply exited $SRC"
	run --root "$R" --rollback
	d="kill at $kind #$n ($who, $ph: $call; $note): --rollback exits 0, tree exactly as before"
	rcok=no
	case "$RC:$ph" in 0:*|2:early) rcok=yes ;; esac
	if [ $rcok = yes ] && same "$R" "$T/before"; then ok "$d"
	else not_ok "$d"; why --rollback; fi
done <"$T/pts.apply"

# 2. A crash inside ssh-keygen: sshfix killed as it waits for it (the key
# is written whole by the orphan), and both killed while ssh-keygen is
# stopped after one of its umask calls (before the private key, between
# it and the .pub). sshfix's earlier wait4 calls are sshd -t validation's.
R="$T/r"; fresh "$R" "$P"
ptraced -f -qq -e trace=wait4,execve -o "$T/trace.wait" \
    "$SSHFIX" --root "$R" --apply >/dev/null 2>&1
KG=$(awk '$2 ~ /^execve/ && $2 ~ /ssh-keygen/ && $0 !~ /sshfix-validate/ {
    print NR; exit }' "$T/trace.wait")
WN=$(awk -v kg="${KG:-0}" 'NR == 1 { main = $1 }
    $1 == main && $2 ~ /^wait4/ { n++; if (NR > kg) { print n; exit } }' \
    "$T/trace.wait")
d="kill while ssh-keygen runs (wait4 #$WN): --rollback exits 0, tree exactly as before"
if [ -z "$KG" ] || [ -z "$WN" ]; then
	not_ok "$d (no ssh-keygen on the root in the reference run)"
else
	R="$T/k"; fresh "$R" "$P"
	crash "$R" "signal=KILL:when=$WN" wait4
	run --root "$R" --rollback
	if [ "$SRC" -eq 137 ] && [ "$RC" -eq 0 ] && same "$R" "$T/before"
	then ok "$d"; else not_ok "$d"; cwhy; why --rollback; fi
fi
# kill_in_keygen M: ssh-keygen on the root stopped (a strace delay) after
# its Mth umask; sshfix and then it are killed, as by a power cut.
kill_in_keygen() {
	R="$T/k"; fresh "$R" "$P"
	traced -e trace=umask,mkdir \
	    -e inject=umask:delay_exit=3000000:when="$1" \
	    "$SSHFIX" --root "$R" --apply >/dev/null 2>&1 &
	sp=$!
	hit=no i=0 killed=none
	while [ $i -lt 200 ] && [ $hit = no ] && kill -0 $sp 2>/dev/null; do
		for k in $(pgrep -x ssh-keygen); do
			# The host key's, in sshfix's own directory (never
			# a path in the root), of the sshfix working on $R.
			grep -qaF "sshfix-keygen." "/proc/$k/cmdline" \
			    2>/dev/null || continue
			# 95: umask on x86_64, in its delay
			[ "$(cut -d' ' -f1 "/proc/$k/syscall" 2>/dev/null)" = 95 ] ||
			    continue
			pp=$(awk '{ print $4 }' "/proc/$k/stat")
			grep -qaF "$R" "/proc/$pp/cmdline" 2>/dev/null ||
			    continue
			[ "$(cat "/proc/$pp/comm" 2>/dev/null)" = sshfix ] &&
			    kill -KILL "$pp" && killed=$pp
			kill -KILL "$k"
			hit=yes
		done
		sleep 0.05
		i=$((i + 1))
	done
	wait $sp 2>/dev/null
	left=$(ls -d /tmp/sshfix-keygen.$killed.* 2>/dev/null)
	run --root "$R" --rollback
	d="kill inside ssh-keygen after its umask #$1: --rollback exits 0, tree exactly as before"
	if [ $hit = yes ] && [ "$RC" -eq 0 ] && same "$R" "$T/before"; then
		ok "$d"
	else
		not_ok "$d"; say "killed: $hit"; why --rollback
	fi
	# The key ssh-keygen was writing, in sshfix's own directory on the
	# machine, is gone with the --rollback that follows.
	check "kill inside ssh-keygen after its umask #$1: its directory ($left) removed by --rollback" \
	    sh -c '[ -n "$1" ] && ! ls -d $1 >/dev/null 2>&1' _ "$left"
}
if [ "$(uname -m)" = x86_64 ]; then
	kill_in_keygen 1
	kill_in_keygen 2
else
	skip_line "kill inside ssh-keygen" "the umask syscall number is x86_64's"
fi

# 3. ENOSPC from write and from fsync: exit 3 with the tree as before (2
# only before anything changed); or a harmless failure (stdout), an apply
# that worked, and a --rollback that undoes it.
awk '$1 == "write" || $1 == "fsync"' "$T/pts.apply" >"$T/pts.enospc"
while read -r kind n who ph tgt call; do
	R="$T/e"; fresh "$R" "$P"
	crash "$R" "error=ENOSPC:when=$n" "$kind"
	d="ENOSPC at $kind #$n ($who, $ph: $call)"
	case "$SRC:$ph" in
	3:*|2:early|2:pre)
		d="$d: apply exits $SRC, tree exactly as before, no snapshot left applying"
		if same "$R" "$T/before" && [ -z "$(interrupted "$R")" ]; then
			ok "$d"
		else
			not_ok "$d"; cwhy; say "applying: $(interrupted "$R")"
		fi ;;
	0:*|1:*)
		run --root "$R" --rollback
		d="$d: harmless (apply exits $SRC); --rollback exits 0, tree exactly as before"
		if [ "$RC" -eq 0 ] && same "$R" "$T/before"; then ok "$d"
		else not_ok "$d"; why --rollback; fi ;;
	*)
		not_ok "$d: apply exits 3 (2 before any change, 0/1 when harmless), not $SRC"
		cwhy ;;
	esac
done <"$T/pts.enospc"

# 4. SIGTERM, SIGHUP, SIGINT at calls that change the root (the first and
# last fchmod, unlinkat and renameat there): a safe stop, everything put
# back, exit 3, the snapshot restored.
awk '$5 == 1 && $4 == "change" && $3 == "sshfix" &&
    ($1 == "fchmod" || $1 == "unlinkat" || $1 ~ /^rename/)' \
    "$T/pts.apply" | awk '!($1 in f) { f[$1] = $2 } { l[$1] = $2 }
    END { for (k in f) { print k, f[k]; if (l[k] != f[k]) print k, l[k] } }' |
    sort >"$T/pts.sig"
[ -s "$T/pts.sig" ] || not_ok "the reference apply changes the root by fchmod, unlinkat or rename"
for sig in TERM HUP INT; do
	while read -r kind n; do
		R="$T/s"; fresh "$R" "$P"
		crash "$R" "signal=$sig:when=$n" "$kind"
		run --root "$R" --list
		d="SIG$sig at $kind #$n (a change to the root): apply exits 3, tree exactly as before, snapshot restored"
		if [ "$SRC" -eq 3 ] && same "$R" "$T/before" &&
		    out_has ' restored '; then
			ok "$d"
		else
			not_ok "$d"; cwhy; say "--list: $OUT"
		fi
	done <"$T/pts.sig"
done

# 5. The next run notices an interrupted apply (killed at the first
# change to the root).
set -- $(awk '$5 == 1 && $4 == "change" && $3 == "sshfix" { print $1, $2; exit }' \
    "$T/pts.apply")
R="$T/n"; fresh "$R" "$P"
crash "$R" "signal=KILL:when=${2:-1}" "${1:-fchmod}"
ID=$(ls "$R/var/lib/sshfix/snapshots" 2>/dev/null | sed -n 's/\.tar$//p' | tail -1)
check "interrupted apply (killed at ${1:-?} #${2:-?}): it left snapshot $ID" \
    sh -c '[ "$1" -eq 137 ] && [ -n "$2" ]' _ "$SRC" "$ID"
tree "$R" >"$T/n0"
run --root "$R"
check "interrupted apply: a dry run says so on one stderr line naming --root R --rollback $ID" \
    sh -c '[ "$(printf "%s\n" "$1" | grep -F -- "--rollback $3" |
    grep -F -- "--root $2" | wc -l)" -eq 1 ]' _ "$ERR" "$R" "$ID"
run --root "$R" --apply
check "interrupted apply: a new --apply refuses (exit 2)" [ "$RC" -eq 2 ]
d="interrupted apply: the refused --apply changes nothing"
if same "$R" "$T/n0"; then ok "$d"; else not_ok "$d"; why --apply; fi
run --root "$R" --list
check "interrupted apply: --list shows it interrupted" sh -c \
    'printf "%s\n" "$1" | grep "^$2 " | grep -q " interrupted "' _ "$OUT" "$ID"
R="$T/n"; fresh "$R" "$P"
crash "$R" "signal=KILL:when=${2:-1}" "${1:-fchmod}"
run --root "$R" --rollback
d="interrupted apply: --rollback exits 0, tree exactly as before"
if [ "$RC" -eq 0 ] && same "$R" "$T/before"; then ok "$d"
else not_ok "$d"; why --rollback; fi
run --root "$R"
check "after the recovery a dry run says nothing of an interruption" sh -c \
    '! printf "%s" "$1" | grep -qF -- "--rollback"' _ "$ERR"

# 6. Killing --rollback itself. (a) --rollback again (no ID) puts back
# the state before the interrupted rollback: the applied tree (a whole
# rollback leaves nothing for it: exit 2); (b)
# --rollback S (the apply's snapshot) finishes it: the tree before S.
R="$T/r"; fresh "$R" "$A"
reference "$R" "$T/trace.rb" --rollback
points "$T/trace.rb" "$R" "$KR" >"$T/pts.rb"
summary "$T/trace.rb" "$T/pts.rb" --rollback "$KR"
check "--rollback: crash points that change the root" \
    grep -q '^[a-z0-9]* [0-9]* sshfix change 1 ' "$T/pts.rb"
while read -r kind n who ph tgt call; do
	for how in again S; do
		R="$T/b"; fresh "$R" "$A"
		traced -e trace="$kind,mkdir" \
		    -e inject="$kind:signal=KILL:when=$n" \
		    "$SSHFIX" --root "$R" --rollback >/dev/null 2>&1
		src=$?
		note="killed"
		[ "$src" -eq 137 ] || note="not killed: rollback exited $src"
		d="kill --rollback at $kind #$n ($who, $ph: $call; $note)"
		if [ $how = again ]; then
			# Killed before its snapshot's first file: nothing
			# was interrupted, S is rolled back as usual.
			# Killed after its last state file (or not at all):
			# the rollback is whole, and rollback is a stack:
			# no apply is left in force to undo (exit 2).
			want="$T/after" what="the applied tree back" rcw=0
			case "$src:$ph" in
			137:early) want="$T/before" what="S rolled back as usual" ;;
			137:post|0:*) want="$T/before" rcw=2
			    what="nothing left to undo, the tree before S" ;;
			esac
			run --root "$R" --rollback
			d="$d: --rollback exits $rcw, $what"
			if [ "$RC" -eq "$rcw" ] && same "$R" "$want"; then ok "$d"
			else not_ok "$d"; why --rollback; fi
			continue
		fi
		run --root "$R" --rollback "$SID"
		d="$d: --rollback S finishes it, tree as before the apply"
		# Not interrupted (no kill, or after its last state file):
		# S is rolled back already and may be refused (2).
		rcok=no
		case "$RC:$src:$ph" in
		0:*|2:137:post|2:0:*) rcok=yes ;;
		esac
		if [ $rcok = yes ] && same "$R" "$T/before"; then ok "$d"
		else not_ok "$d"; why "--rollback S"; fi
	done
done <"$T/pts.rb"
