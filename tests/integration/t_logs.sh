# The target's sshd log lines as evidence. The messages are the ones the
# real sshd (Debian's) logged for each fault, recorded by
# tests/integration/logs/capture.sh; here they get the framing rsyslog
# gives them (RFC 3339 stamps as Debian 12 writes auth.log, traditional
# ones as RHEL's secure) and are fed to fake roots.
. "$SSHFIX_TOP/tests/integration/lib.sh"

L="$SSHFIX_TOP/tests/integration/logs"
SCHEMA="$SSHFIX_TOP/packaging/sshfix.schema.json"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# iso NAME STAMP: the captured lines of NAME as rsyslog writes them,
# e.g. iso home-perms 2026-11-20T08:00:00
iso() {
	sed "s/^/$2.123456+00:00 web1 sshd[4242]: /" "$L/$1.log"
}
# bsd NAME "Nov 20 08:00:00": traditional syslog format.
bsd() {
	sed "s/^/$2 web1 sshd[4242]: /" "$L/$1.log"
}

# logged DIR FILE NAME STAMP...: /var/log/FILE in DIR holds NAME's
# lines once per STAMP (iso).
logged() {
	d=$1 f=$2 n=$3
	shift 3
	mkdir -p "$d/var/log"
	for s in "$@"; do
		iso "$n" "$s"
	done >"$d/var/log/$f"
}

# js PYTHON: assert on the last JSON document d (f: findings by id,
# ev(id): the evidence of that finding).
js() {
	"$PY" - "$T/out" "$SCHEMA" "$1" <<'P'
import json, sys
import jsonschema
d = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(json.load(open(sys.argv[2]))).validate(d)
f = {x["id"]: x for x in d["findings"]}
ev = lambda i: f[i]["evidence"]
notes = "\n".join(d["notes"])
ok = eval("(" + sys.argv[3] + ")")
if not ok:
    print("# " + json.dumps(d)[:1500])
sys.exit(0 if ok else 1)
P
}

R="$T/home"; mkroot "$R"; chmod 0777 "$R/home/alice"
mkdir -p "$R/var/log"
{
	iso home-perms 2026-11-20T08:00:00
	# another program quoting sshd's line is not sshd
	echo "2026-11-20T08:30:00.000000+00:00 web1 sudo[77]: root : COMMAND=/usr/bin/grep 'Authentication refused: bad ownership or modes for directory /home/alice' /var/log/sshd.log"
	iso home-perms 2026-11-21T09:15:00
	iso home-perms 2026-11-22T10:45:00
} >"$R/var/log/auth.log"
diagnose "$R"
check "auth.log (RFC 3339): home-perms carries the 3 lines sshd logged, not sudo's" \
    js 'ev("home-perms")["log_lines"] == "3"'
check "... first and last time, the file" js '
    ev("home-perms")["log_first"] == "2026-11-20T08:00:00Z" and
    ev("home-perms")["log_last"] == "2026-11-22T10:45:00Z" and
    ev("home-perms")["log_file"] == "/var/log/auth.log"'
check "... the dry run left the root untouched" [ "$UNCHANGED" -eq 0 ]
run --root "$R"
check "... the text report shows the evidence" \
    out_has "log_lines=3 log_first=2026-11-20T08:00:00Z"

# --since bounds the window; bad values are usage errors.
diagnose "$R" --since 2026-11-21
check "--since 2026-11-21: 2 lines left" js 'ev("home-perms")["log_lines"] == "2"'
diagnose "$R" --since "2026-11-22 10:45:01"
check "--since after the last line: no log evidence, the finding stays" \
    js '"log_lines" not in ev("home-perms")'
run --root "$R" --since yesterday
check "--since yesterday: usage error (exit 2)" sh -c "[ $RC -eq 2 ]"
check "... naming the option" err_has "--since yesterday"

# The default window: seven days before the newest sshd line.
R="$T/window"; mkroot "$R"; chmod 0777 "$R/home/alice"
logged "$R" auth.log home-perms 2026-11-01T08:00:00 2026-11-20T08:00:00
diagnose "$R"
check "default window: a line 19 days older than the newest is left out" \
    js 'ev("home-perms")["log_lines"] == "1" and ev("home-perms")["log_first"] == "2026-11-20T08:00:00Z"'

# RHEL: /var/log/secure, traditional stamps; rotated files count too.
R="$T/secure"; mkroot "$R" rhel; chmod 0777 "$R/home/alice/.ssh"
mkdir -p "$R/var/log"
touch -d 2026-11-22T12:00:00Z "$R/var/log"
bsd sshdir-perms "Nov 22 11:00:00" >"$R/var/log/secure"
bsd sshdir-perms "Nov 21 11:00:00" >"$R/var/log/secure.1"
bsd sshdir-perms "Nov 20 11:00:00" | gzip >"$R/var/log/secure.2.gz"
touch -d 2026-11-22T12:00:00Z "$R/var/log/secure" "$R/var/log/secure.1" \
    "$R/var/log/secure.2.gz"
diagnose "$R"
check "secure, secure.1, secure.2.gz: sshdir-perms carries 3 lines" js '
    ev("sshdir-perms")["log_lines"] == "3" and
    ev("sshdir-perms")["log_first"] == "2026-11-20T11:00:00Z" and
    ev("sshdir-perms")["log_last"] == "2026-11-22T11:00:00Z" and
    ev("sshdir-perms")["log_file"] == "/var/log/secure"'

# RHEL's logrotate names rotations by date (dateext): the newest two are
# read, compressed or not; an older third is not.
R="$T/dateext"; mkroot "$R" rhel; chmod 0777 "$R/home/alice/.ssh"
mkdir -p "$R/var/log"
bsd sshdir-perms "Nov 22 11:00:00" >"$R/var/log/secure"
bsd sshdir-perms "Nov 21 11:00:00" >"$R/var/log/secure-20261122"
bsd sshdir-perms "Nov 20 11:00:00" | gzip >"$R/var/log/secure-20261121.gz"
bsd sshdir-perms "Nov 19 11:00:00" >"$R/var/log/secure-20261120"
touch -d 2026-11-22T12:00:00Z "$R/var/log/secure"
touch -d 2026-11-22T00:00:00Z "$R/var/log/secure-20261122"
touch -d 2026-11-21T00:00:00Z "$R/var/log/secure-20261121.gz"
touch -d 2026-11-20T00:00:00Z "$R/var/log/secure-20261120"
diagnose "$R"
check "secure-YYYYMMDD rotations: the log and the newest two, not the third" js '
    ev("sshdir-perms")["log_lines"] == "3" and
    ev("sshdir-perms")["log_first"] == "2026-11-20T11:00:00Z" and
    ev("sshdir-perms")["log_last"] == "2026-11-22T11:00:00Z"'

R="$T/deny"; mkroot "$R"
echo 'DenyUsers alice' >"$R/etc/ssh/sshd_config.d/10-deny.conf"
logged "$R" auth.log access-list 2026-11-22T10:00:00
diagnose "$R" --user alice --from 127.0.0.1
check "DenyUsers: access-list carries sshd's line" \
    js 'ev("access-list")["log_lines"] == "1"'

# alice's home and her ~/.ssh both open: each finding carries its own
# line, not the other's ("/home/alice" is a prefix of "/home/alice/.ssh").
R="$T/both"; mkroot "$R"; chmod 0777 "$R/home/alice" "$R/home/alice/.ssh"
mkdir -p "$R/var/log"
{ iso home-perms 2026-11-22T10:00:00; iso sshdir-perms 2026-11-21T10:00:00; } \
    >"$R/var/log/auth.log"
diagnose "$R"
check "home and ~/.ssh open: each finding carries only its own line" js '
    ev("home-perms")["log_lines"] == "1" and
    ev("home-perms")["log_first"] == "2026-11-22T10:00:00Z" and
    ev("sshdir-perms")["log_lines"] == "1" and
    ev("sshdir-perms")["log_first"] == "2026-11-21T10:00:00Z"'

# What sshd logged that sshfix has no check for: a note.
R="$T/many"; mkroot "$R"
logged "$R" messages too-many 2026-11-22T09:00:00 2026-11-22T09:05:00
diagnose "$R"
check "Too many authentication failures on a healthy root: no finding, exit 0" \
    sh -c "[ $RC -eq 0 ] && [ -z \"\$(printf '%s' \"\$1\" | grep -o '\"severity\"')\" ]" _ "$OUT"
check "... a note: sshd logged it 2 times; sshfix has no check for this" js '
    "Too many authentication failures [preauth]\" 2 times (2026-11-22T09:00:00Z to 2026-11-22T09:05:00Z, /var/log/messages)" in notes
    and "sshfix has no check for this" in notes'
diagnose "$R" --since 2026-11-23
check "... and none outside --since" js '"Too many" not in notes'

# Penalty drops (upstream 10.0p2's line, as t_penalty): source-penalty
# explains them all, whatever the connection number: no note.
R="$T/penalty"; mkroot "$R"; mkdir -p "$R/var/log"
for n in 1 2; do
	echo "2026-11-22T10:00:0$n.000000+00:00 web1 sshd[9]: drop connection #$n from [192.0.2.7]:50022 on [10.0.0.5]:22 penalty: failed authentication"
done >"$R/var/log/auth.log"
diagnose "$R"
check "penalty drops: source-penalty, and no \"no check\" note for them" \
    js '"source-penalty" in f and "penalty" not in notes'

# A healthy root without logs: nothing about logs at all.
R="$T/none"; mkroot "$R"
diagnose "$R"
check "no logs: clean, no note" sh -c "[ $RC -eq 0 ] && ! printf '%s' \"\$1\" | grep -q 'sshd logged'" _ "$OUT"

# A log that is a symlink leaving the root is not followed.
R="$T/link"; mkroot "$R"; chmod 0777 "$R/home/alice"
mkdir -p "$R/var/log" "$T/outside"
iso home-perms 2026-11-22T10:00:00 >"$T/outside/auth.log"
chown 1000 "$T/outside/auth.log"
ln -s "$T/outside/auth.log" "$R/var/log/auth.log"
chown -h 1000 "$R/var/log/auth.log"
diagnose "$R"
check "auth.log a symlink not root's: not read" js '"log_lines" not in ev("home-perms")'

echo "1..$N"
