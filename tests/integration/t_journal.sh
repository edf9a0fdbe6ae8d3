# The target's systemd journal as evidence. The journals in
# tests/integration/journal/ were written by the real systemd-journald
# from the real sshd's lines (journal/capture.sh: Debian's 9.2p1 logging
# as sshd, upstream 10.0p2's session process as sshd-session). journalctl
# reading the same file is the judge of what sshfix must attach: the
# count and the first and last time of the lines a finding names.
. "$SSHFIX_TOP/tests/integration/lib.sh"

J="$SSHFIX_TOP/tests/integration/journal"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
MID=3d1219c7c4c5404aaa1f6d2a48adfda4

if ! command -v journalctl >/dev/null 2>&1 ||
    ! ldconfig -p 2>/dev/null | grep -q 'libsystemd\.so\.0 '; then
	echo "ok 1 - journal # SKIP no journalctl or libsystemd.so.0 (make deps)"
	exit 0
fi
if ! "$SSHFIX" --version >/dev/null 2>&1 ||
    ! strings "$SSHFIX" 2>/dev/null | grep -q 'libsystemd\.so\.0'; then
	echo "ok 1 - journal # SKIP sshfix built without libsystemd's headers (make deps: libsystemd-dev)"
	exit 0
fi

# journal DIR NAME [SUBDIR]: NAME's journal as ROOT/SUBDIR/MACHINE-ID/
# system.journal (SUBDIR: var/log/journal).
journal() {
	d="$1/${3:-var/log/journal}/$MID"
	mkdir -p "$d"
	gzip -dc "$J/$2.journal.gz" >"$d/system.journal"
}

# judged NAME ID TEXT [ARGS...]: sshfix's evidence on ID is what
# journalctl says of NAME's sshd entries containing TEXT (ARGS: more
# of sshfix's options).
judged() {
	n=$1 id=$2 text=$3
	shift 3
	gzip -dc "$J/$n.journal.gz" >"$T/judge.journal"
	journalctl --file "$T/judge.journal" -t sshd -t sshd-session -o json \
	    >"$T/judge.json" 2>/dev/null || return 1
	"$PY" - "$T/out" "$T/judge.json" "$id" "$text" "${1:-}" <<'P'
import json, sys, time
d = json.load(open(sys.argv[1]))
f = {x["id"]: x for x in d["findings"]}
ev = f[sys.argv[3]]["evidence"] if sys.argv[3] in f else {}
ts = [int(e["__REALTIME_TIMESTAMP"]) // 1000000
      for e in map(json.loads, open(sys.argv[2]))
      if sys.argv[4] in e.get("MESSAGE", "")]
iso = lambda s: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(s))
want = {"log_lines": str(len(ts)), "log_first": iso(min(ts)),
        "log_last": iso(max(ts)), "log_file": sys.argv[5] or "/var/log/journal"}
got = {k: ev.get(k) for k in want}
if not ts or got != want:
    print("# want %s\n# got  %s" % (want, got))
    sys.exit(1)
P
}

# The journal of Debian 12 (sshd, 9.2p1): alice's home is 0777, sshd
# refused her twice.
R="$T/home"; mkroot "$R"; chmod 0777 "$R/home/alice"; journal "$R" home-perms
diagnose "$R"
check "journal (sshd 9.2p1): home-perms carries the entries journalctl shows" \
    judged home-perms home-perms "Authentication refused: bad ownership or modes for directory /home/alice"
check "... the dry run left the root untouched" [ "$UNCHANGED" -eq 0 ]
check "... and exits 1 (a finding)" [ "$RC" -eq 1 ]

# Upstream 10.0p2: the refusal is logged by sshd-session.
R="$T/home10"; mkroot "$R"; chmod 0777 "$R/home/alice"
journal "$R" home-perms-10.0
diagnose "$R"
check "journal (10.0p2, sshd-session): home-perms carries its entries" \
    judged home-perms-10.0 home-perms "Authentication refused: bad ownership or modes for directory /home/alice"

# DenyUsers in a drop-in.
R="$T/deny"; mkroot "$R"
echo 'DenyUsers alice' >"$R/etc/ssh/sshd_config.d/10-deny.conf"
journal "$R" access-list
diagnose "$R" --user alice --from 127.0.0.1
check "journal: access-list carries sshd's DenyUsers entry" \
    judged access-list access-list "User alice from 127.0.0.1 not allowed because listed in DenyUsers"

# sshd would not start (Debian 12: every host key 0777). What sshd wrote
# to stderr reached the journal as systemd connects a service's stderr:
# each key's "Permissions 0777 for '...' are too open." and the exit.
R="$T/keys"; mkroot "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*_key
journal "$R" hostkey-perms
diagnose "$R"
gzip -dc "$J/hostkey-perms.journal.gz" >"$T/keys.journal"
journalctl --file "$T/keys.journal" -t sshd -o json >"$T/keys.json"
check "sshd did not start: the hostkey-perms finding (the three keys, one cause) carries each key's line and the exit" \
    "$PY" - "$T/out" "$T/keys.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [e["MESSAGE"] for e in map(json.loads, open(sys.argv[2]))]
fs = [f for f in d["findings"] if f["id"] == "hostkey-perms"]
ok = len(fs) == 1
if ok:
    ps = fs[0]["evidence"]["paths"].split(", ")
    want = sum(1 for m in msgs if m in ["Permissions 0777 for '%s' are too open." % p
               for p in ps] or m == "sshd: no hostkeys available -- exiting.")
    ok = len(ps) == 3 and want == 4 and fs[0]["evidence"].get("log_lines") == str(want)
if not ok:
    print("# %s" % json.dumps(fs)[:1000])
sys.exit(0 if ok else 1)
P

# The volatile journal of a running system (/run/log/journal).
R="$T/run"; mkroot "$R"; chmod 0777 "$R/home/alice"
journal "$R" home-perms run/log/journal
diagnose "$R"
check "/run/log/journal is read too" \
    judged home-perms home-perms "Authentication refused: bad ownership" \
    /run/log/journal

# The same lines in a syslog file and in the journal (RHEL's secure and
# its journal, Debian with rsyslog) are one set of events, not two.
R="$T/both"; mkroot "$R"; chmod 0777 "$R/home/alice"
journal "$R" home-perms
gzip -dc "$J/home-perms.journal.gz" >"$T/both.journal"
journalctl --file "$T/both.journal" -o short-iso >"$R/var/log/auth.log"
diagnose "$R"
check "auth.log and the journal with the same lines: counted once" \
    judged home-perms home-perms "Authentication refused: bad ownership"
R="$T/textonly"; mkroot "$R"; chmod 0777 "$R/home/alice"
mkdir -p "$R/var/log"
journalctl --file "$T/both.journal" -o short-iso >"$R/var/log/auth.log"
diagnose "$R"
check "journalctl -o short-iso's stamps (+0000) read in a text log" \
    judged home-perms home-perms "Authentication refused: bad ownership" \
    /var/log/auth.log

# --since bounds the journal as it bounds the text logs.
R="$T/home"
last=$(journalctl --file "$T/both.journal" -t sshd -o json |
    "$PY" -c 'import json,sys; print(max(int(json.loads(l)["__REALTIME_TIMESTAMP"]) for l in sys.stdin) // 1000000 + 1)')
diagnose "$R" --since "$(date -u -d "@$last" '+%Y-%m-%d %H:%M:%S')"
check "--since after the last entry: no log evidence, the finding stays" \
    sh -c 'printf "%s" "$1" | grep -q "\"home-perms\"" &&
        ! printf "%s" "$1" | grep -q log_lines' _ "$OUT"
diagnose "$R" --since 2026-01-01
check "--since before: the entries again" \
    judged home-perms home-perms "Authentication refused: bad ownership"

# Hostile roots. The journal directory a symlink out of the root, a
# machine directory or a journal file that is a symlink: not followed.
mkdir -p "$T/outside/$MID"
gzip -dc "$J/home-perms.journal.gz" >"$T/outside/$MID/system.journal"
R="$T/symdir"; mkroot "$R"; chmod 0777 "$R/home/alice"; mkdir -p "$R/var/log"
ln -s "$T/outside" "$R/var/log/journal"
chown -h 1000:1000 "$R/var/log/journal"
diagnose "$R"
check "var/log/journal a user's symlink out of the root: not read" \
    sh -c '! printf "%s" "$1" | grep -q log_lines' _ "$OUT"
R="$T/symmid"; mkroot "$R"; chmod 0777 "$R/home/alice"
mkdir -p "$R/var/log/journal"
ln -s "$T/outside/$MID" "$R/var/log/journal/$MID"
diagnose "$R"
check "a machine directory that is a symlink: not followed" \
    sh -c '! printf "%s" "$1" | grep -q log_lines' _ "$OUT"
R="$T/symfile"; mkroot "$R"; chmod 0777 "$R/home/alice"
mkdir -p "$R/var/log/journal/$MID"
ln -s "$T/outside/$MID/system.journal" "$R/var/log/journal/$MID/system.journal"
diagnose "$R"
check "a journal file that is a symlink: not followed" \
    sh -c '! printf "%s" "$1" | grep -q log_lines' _ "$OUT"

# Garbage where a journal should be: no crash, the diagnosis stands.
R="$T/garbage"; mkroot "$R"; chmod 0777 "$R/home/alice"
mkdir -p "$R/var/log/journal/$MID"
head -c 65536 /dev/urandom >"$R/var/log/journal/$MID/system.journal"
: >"$R/var/log/journal/$MID/system@0-1.journal~"
diagnose "$R"
check "a garbage journal file: exit 1, home-perms still found" \
    sh -c '[ "$1" -eq 1 ] && printf "%s" "$2" | grep -q "\"home-perms\""' _ "$RC" "$OUT"
# Half garbage: a real journal cut short, as a crash leaves it.
gzip -dc "$J/home-perms.journal.gz" | head -c 20000 \
    >"$R/var/log/journal/$MID/system.journal"
diagnose "$R"
check "a journal cut short: exit 1, no crash" [ "$RC" -eq 1 ]

# One damaged file (a crash leaves NAME.journal~) beside a sound one:
# the sound one is still read, the damaged one named in a note.
R="$T/damaged"; mkroot "$R"; chmod 0777 "$R/home/alice"
journal "$R" home-perms
head -c 65536 /dev/urandom \
    >"$R/var/log/journal/$MID/system@0123-4567.journal~"
diagnose "$R"
check "a damaged journal~ beside a sound journal: the sound one is read" \
    judged home-perms home-perms "Authentication refused: bad ownership"
check "... and the damaged one is named in a note" \
    out_has "1 damaged journal file under /var/log/journal was left out"

# More files than are read (128): the newest are read. 200 older damaged
# files, the sound journal written last.
R="$T/many"; mkroot "$R"; chmod 0777 "$R/home/alice"
mkdir -p "$R/var/log/journal/$MID"
i=0
while [ $i -lt 200 ]; do
	echo "junk $i" >"$R/var/log/journal/$MID/user-1000@$i.journal"
	i=$((i + 1))
done
touch -d 2026-01-01 "$R/var/log/journal/$MID/"user-1000@*.journal
journal "$R" home-perms
diagnose "$R"
check "200 older files: the newest journal is among those read" \
    judged home-perms home-perms "Authentication refused: bad ownership"

# A dry run on a root without a journal never loads libsystemd.
# (LeakSanitizer cannot run under ptrace: off for the traced runs.)
traced() { ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace "$@"; }
if command -v strace >/dev/null 2>&1; then
	R="$T/nojournal"; mkroot "$R"
	traced -f -e trace=openat -o "$T/trace" "$SSHFIX" --root "$R" \
	    >/dev/null 2>&1
	check "no journal: libsystemd is not loaded" \
	    sh -c '! grep -q libsystemd "$1"' _ "$T/trace"
	R="$T/home"
	traced -f -e trace=openat -o "$T/trace" "$SSHFIX" --root "$R" \
	    >/dev/null 2>&1
	check "... a journal: it is (the test sees the difference)" \
	    grep -q libsystemd "$T/trace"
fi

echo "1..$N"
