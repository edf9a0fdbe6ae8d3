# --json: one document in every mode, valid against the schema shipped in
# packaging/sshfix.schema.json (Debian's python3-jsonschema), strict UTF-8
# whatever bytes the target holds, with the raw bytes recoverable; exit
# codes as without --json.
. "$SSHFIX_TOP/tests/integration/lib.sh"
chmod 0755 "$T"		# the unprivileged runs must reach the roots

SCHEMA="$SSHFIX_TOP/packaging/sshfix.schema.json"
# Debian's python3 and its python3-jsonschema, not another on the PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# doc NAME RC WANT-RC MODE RESULT [PYTHON [ARG]]: the last stdout is one
# line, strict UTF-8 JSON, valid against the schema, in MODE with RESULT,
# its error null exactly when the exit status is 0 or 1, and the exit
# status WANT-RC; PYTHON asserts more on the document d (ARG: sys.argv[7]).
doc() {
	name=$1 want=$3 mode=$4 result=$5
	# Kept for ajv (the end of this file).
	mkdir -p "$T/docs" && cp "$T/out" "$T/docs/$N.json"
	check "$name: exit $want" [ "$RC" -eq "$want" ]
	check "$name: one document, valid against the schema, mode $mode, result $result" \
	    "$PY" - "$T/out" "$SCHEMA" "$mode" "$result" "$RC" "${6:-pass}" \
	    "${7:-}" <<'EOF'
import base64, json, sys
import jsonschema
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\n") and raw.count(b"\n") == 1, "not one line"
d = json.loads(raw.decode("utf-8"))
schema = json.load(open(sys.argv[2]))
try:
    jsonschema.Draft202012Validator(schema).validate(d)
except jsonschema.ValidationError as e:
    print("# schema:", e.message, list(e.absolute_path))
    sys.exit(1)
assert d["mode"] == sys.argv[3], d["mode"]
assert d["result"] == sys.argv[4], d["result"]
assert (d["error"] is None) == (int(sys.argv[5]) < 2), d["error"]
b64 = lambda s: base64.b64decode(s, validate=True)
exec(sys.argv[6])
EOF
}

# A healthy root, then one with a home 0777 (home-perms).
R="$T/clean"; mkroot "$R"
run --root "$R" --json
doc "dry run, clean" "$RC" 0 dry-run clean 'assert d["findings"] == []'
run --root "$R" --apply --json
doc "apply, nothing to do" "$RC" 0 apply nothing-to-do \
    'assert d["snapshot"] is None and d["done"] == []'
run --root "$R" --list --json
doc "list, no snapshot" "$RC" 0 list listed 'assert d["snapshots"] == []'
run --root "$R" --prune --json
doc "prune, no snapshot" "$RC" 0 prune pruned \
    'assert d["removed"] == [] and d["kept"] == [] and d["freed"] == 0'
run --root "$R" --rollback --json
doc "rollback, no snapshot" "$RC" 2 rollback not-rolled-back

R="$T/faults"; mkroot "$R"; chmod 0777 "$R/root"
run --root "$R" --json
doc "dry run, a fault" "$RC" 1 dry-run faults-found \
    'assert [f["id"] for f in d["findings"]] == ["home-perms"]'
check "dry run: the time is now, in RFC 3339" "$PY" -c '
import datetime, json, sys
d = json.load(open(sys.argv[1]))
t = datetime.datetime.strptime(d["time"], "%Y-%m-%dT%H:%M:%SZ")
now = datetime.datetime.utcnow()
assert abs((now - t).total_seconds()) < 60, (now, t)' "$T/out"
run --root "$R" --apply --json
doc "apply, applied" "$RC" 0 apply applied "
assert d['snapshot'] and d['done'] == ['chmod 0777 -> 0755 /root'], d['done']
assert d['rollback'] == 'sshfix --rollback %s --root $R' % d['snapshot'], d['rollback']"
s1=$(printf '%s' "$OUT" | grep -o '"snapshot":"[^"]*"' | cut -d'"' -f4)
chmod 0750 "$R/root"	# a change after the apply
run --root "$R" --rollback --json
doc "rollback, refused over a later change" "$RC" 3 rollback refused \
    "assert d['changed'] == ['/root'] and d['snapshot'] == '$s1'"
run --root "$R" --rollback --force --json
doc "rollback --force, rolled back" "$RC" 0 rollback rolled-back "
assert d['snapshot'] == '$s1' and d['undo']
assert d['rollback'] == 'sshfix --rollback %s --root $R' % d['undo']"
run --root "$R" --rollback "$s1" --json
doc "rollback of a rolled-back snapshot, not rolled back" "$RC" 2 rollback \
    not-rolled-back "assert 'not applied' in d['error']['message']"
run --root "$R" --list --json
doc "list, two snapshots" "$RC" 0 list listed "
v = d['snapshots']
assert [(s['kind'], s['state']) for s in v] == [('apply', 'rolled-back'),
    ('rollback', 'applied')], v
assert v[0]['id'] == '$s1' and v[0]['findings'] == ['home-perms /root']"
run --root "$R" --prune --keep 0 --json
doc "prune --keep 0" "$RC" 0 prune pruned "
assert [s['id'] for s in d['removed']] == ['$s1'], d['removed']
assert len(d['kept']) == 1 and d['kept'][0]['reason'], d['kept']
assert d['freed'] == d['removed'][0]['size'] > 0"

# Debris of a crash before any change: removed, nothing changed.
R="$T/debris"; mkroot "$R"; chmod 0777 "$R/root"
run --root "$R" --apply --json
sd="$R/var/lib/sshfix/snapshots"
s=$(ls "$sd" | sed -n 's/\.tar$//p')
run --root "$R" --rollback --json
cp "$sd/$s.tar" "$sd/20000101T000000Z.tar"
run --root "$R" --rollback --json
doc "rollback of the debris of a crash: nothing changed" "$RC" 0 rollback \
    nothing-changed
cp "$sd/$s.tar" "$sd/20000101T000000Z.tar"
run --root "$R" --rollback 20000101T000000Z --json
doc "rollback of the debris by its id: nothing changed (it used to print nothing)" \
    "$RC" 0 rollback nothing-changed \
    "assert d['snapshot'] == '20000101T000000Z'"

# An interrupted apply: --apply refuses (not applied), --list shows it.
R="$T/interrupted"; mkroot "$R"; chmod 0777 "$R/root"
run --root "$R" --apply --json
s=$(ls "$R/var/lib/sshfix/snapshots" | sed -n 's/\.tar$//p')
printf 'applying\n' >"$R/var/lib/sshfix/snapshots/$s.state"
run --root "$R" --apply --json
doc "apply over an interrupted run, not applied" "$RC" 2 apply not-applied \
    "assert 'interrupted' in d['error']['message']"
run --root "$R" --list --json
doc "list, an interrupted snapshot" "$RC" 0 list listed \
    "assert d['snapshots'][0]['state'] == 'interrupted'"
run --root "$R" --rollback --json
doc "rollback of the interrupted run" "$RC" 0 rollback rolled-back

# --rollback ID over an interrupted rollback of ID whose archive was
# edited: refused, said once (it used to print two documents).
R="$T/edited"; mkroot "$R"; chmod 0777 "$R/root"
sd="$R/var/lib/sshfix/snapshots"
run --root "$R" --apply --json
s=$(ls "$sd" | sed -n 's/\.tar$//p')
run --root "$R" --rollback --json
u=$(ls "$sd" | sed -n 's/\.tar$//p' | grep -vx "$s")
printf 'applying\n' >"$sd/$u.state"
printf 'x' >>"$sd/$u.tar"
run --root "$R" --rollback "$s" --json
doc "rollback over an interrupted rollback, edited: one document" "$RC" 2 \
    rollback not-rolled-back "assert 'does not match its seal' in d['error']['message']"

# sshd -t rejects the edit: restored (see t_apply).
R="$T/reject"; mkroot "$R"; chmod 0777 "$R/root"
{ echo 'AddressFamily inet6'; i=0
  while [ $i -lt 16 ]; do echo 'UseDNS perhaps'; i=$((i + 1)); done
  echo 'NoSuchOption yes'; } >"$R/etc/ssh/sshd_config.d/20-v6.conf"
printf 'net.ipv6.conf.all.disable_ipv6=1\n' >"$R/etc/sysctl.conf"
run --root "$R" --apply --json
doc "apply rejected by sshd -t, restored" "$RC" 3 apply not-applied \
    "assert 'NoSuchOption' in d['error']['message']"

# A step fails half way (a read-only host key): restored.
if unshare -m true 2>/dev/null; then
	R="$T/halfway"; mkroot "$R"
	chmod 0777 "$R"/etc/ssh/ssh_host_*_key "$R/root"
	unshare -m sh -c '
	    k="$1/etc/ssh/ssh_host_ed25519_key"
	    mount --bind "$k" "$k" && mount -o remount,bind,ro "$k" &&
	    "$SSHFIX" --root "$1" --apply --json >"$2/out" 2>"$2/err"
	    echo $? >"$2/rc"' _ "$R" "$T"
	RC=$(cat "$T/rc")
	doc "apply failing half way, restored" "$RC" 3 apply restored \
	    "assert d['snapshot'] and 'ssh_host_ed25519_key' in d['error']['message']"
else
	skip_line "apply failing half way, restored" "unshare -m not permitted"
fi

# --preflight: safe, unsafe (a lockout, and sshd that would not start),
# and a candidate it cannot read (an error document, exit 2).
R="$T/pre"; mkroot "$R"
cp "$R/etc/ssh/sshd_config" "$T/cand-ok"
printf 'PasswordAuthentication no\n' >>"$T/cand-ok"
run --root "$R" --preflight "$T/cand-ok" --json
doc "preflight, safe" "$RC" 0 preflight safe \
    'assert d["safe"] and d["start"]["ok"] and d["accounts"]'
{ printf 'AllowUsers nobody\n'; cat "$R/etc/ssh/sshd_config"; } >"$T/cand-lock"
run --root "$R" --preflight "$T/cand-lock" --json
doc "preflight, an account locked out" "$RC" 1 preflight unsafe \
    'assert not d["safe"] and any(a["locked_out"] for a in d["accounts"])'
printf 'PaswordAuthentication no\n' >"$T/cand-typo"
run --root "$R" --preflight "$T/cand-typo" --json
doc "preflight, sshd would not start" "$RC" 1 preflight unsafe \
    'assert not d["start"]["ok"] and "PaswordAuthentication" in d["start"]["error"]'
run --root "$R" --preflight "$T/no-such-candidate" --json
doc "preflight, candidate missing" "$RC" 2 error error

# --explain: a client log with the server's findings, one alone (not
# combined), one that worked, one with nothing recognised (exit 2).
EX="$SSHFIX_TOP/tests/integration/explain"
R="$T/exhome"; mkroot "$R"; chmod 0777 "$R/home/alice"
run --explain "$EX/home-perms.log" --root "$R" --json
doc "explain, combined" "$RC" 1 explain explained \
    'assert d["combined"] and d["cases"][0]["found"][0]["id"] == "home-perms"'
run --explain "$EX/handwritten-timeout.log" --json
doc "explain, client only" "$RC" 1 explain explained \
    'assert not d["combined"] and d["root"] is None'
run --explain "$EX/ok.log" --root "$R" --json
doc "explain, login works" "$RC" 0 explain login-works
printf 'not a log\n' >"$T/notlog"
run --explain "$T/notlog" --json
doc "explain, nothing recognised" "$RC" 2 explain nothing-recognised \
    'assert d["cases"] == [] and "ssh -v" in d["error"]["message"]'

# Errors: a document on stdout too, one line on stderr, exit codes kept.
err_doc() {	# err_doc NAME WANT-RC WANT-IN-MESSAGE
	doc "$1" "$RC" "$2" error error \
	    "assert sys.argv[7] in d['error']['message'], d['error']" "$3"
	check "$1: stderr says it" err_has "$3"
}
run --root "$T/clean" --bogus --json
err_doc "usage error, --json after it" 2 "unknown option '--bogus'"
run --json --root "$T/clean" --keep x
err_doc "usage error, --json before it" 2 "--keep goes with --prune"
run --json --oneline
err_doc "conflicting outputs" 2 "--json and --oneline: choose one output"
run --root "$T/missing" --json
err_doc "missing --root dir" 2 "--root $T/missing: No such file or directory"
$NOBODY "$SSHFIX" --root "$T/clean" --list --json >"$T/out" 2>"$T/err"
RC=$?; ERR=$(cat "$T/err")
err_doc "--list as a user" 2 "must run as root"
R="$T/garbage"; mkroot "$R"
printf 'carol:x:1002\n' >>"$R/etc/passwd"
run --root "$R" --json
err_doc "a malformed passwd: the diagnosis cannot run" 2 "/etc/passwd line 6"
R="$T/incomplete"; mkroot "$R"
$NOBODY "$SSHFIX" --root "$R" --json >"$T/out" 2>"$T/err"
RC=$?
doc "incomplete diagnosis (unprivileged)" "$RC" 2 dry-run incomplete \
    "assert {'path': '/etc/shadow', 'error': 'Permission denied'} in d['incomplete']"
if setpriv --inh-caps=-dac_override,-dac_read_search \
    --bounding-set=-dac_override,-dac_read_search true 2>/dev/null; then
	chmod 0777 "$R/root"
	setpriv --inh-caps=-dac_override,-dac_read_search \
	    --bounding-set=-dac_override,-dac_read_search \
	    "$SSHFIX" --root "$R" --apply --json >"$T/out" 2>"$T/err"
	RC=$?
	doc "apply refused on an incomplete diagnosis" "$RC" 2 apply \
	    not-applied "
assert 'incomplete' in d['error']['message'] and d['incomplete']
assert d['snapshot'] is None and d['findings']"
else
	skip_line "apply refused on an incomplete diagnosis" "setpriv refused"
fi

# Bytes that are not UTF-8: a home /home/x<ff>y (home-perms) under a
# root whose own name holds 0xfe. Each such string is vis-encoded and its
# member has a _raw sibling holding the bytes.
R=$(printf '%s/r\376oot' "$T"); mkroot "$R"
H=$(printf '/home/x\377y')
mkdir -p "$R$H/.ssh"
cp "$KEYS/user_key.pub" "$R$H/.ssh/authorized_keys"
printf 'carol:x:1002:1002::%s:/bin/bash\n' "$H" >>"$R/etc/passwd"
echo 'carol:x:1002:' >>"$R/etc/group"
echo 'carol:!:19000:0:99999:7:::' >>"$R/etc/shadow"
chown -R 1002:1002 "$R$H"; chmod 0700 "$R$H/.ssh"; chmod 0777 "$R$H"
# RAW: the Python bytes of the home and of the root.
RAW="H = b'/home/x\\xffy'; R = b'$T/r\\xfeoot'"
run --root "$R" --json
doc "not UTF-8: dry run" "$RC" 1 dry-run faults-found "$RAW
assert d['root'] == '$T/r\\\\376oot' and b64(d['root_raw']) == R
f = d['findings'][0]
assert f['subject'] == '/home/x\\\\377y' and b64(f['subject_raw']) == H
assert b64(f['evidence']['path_raw']) == H
assert b64(f['actions'][0]['path_raw']) == H
assert b64(f['actions'][0]['description_raw']) == b'chmod 0777 -> 0755 ' + H
assert 'message_raw' not in f, 'a UTF-8 message has no raw twin'"
check "not UTF-8: the document's bytes are all ASCII" \
    sh -c "[ \"\$(LC_ALL=C tr -d '\n\040-\176' <'$T/out' | wc -c)\" -eq 0 ]"
# The rollback command names the placeholder ROOT: a root that is not
# shell-safe is never put in a command to paste (sh_quote()).
run --root "$R" --apply --json
doc "not UTF-8: apply" "$RC" 0 apply applied "$RAW
assert b64(d['done_raw'][0]) == b'chmod 0777 -> 0755 ' + H, d['done_raw']
assert d['rollback'].endswith(' --root ROOT') and 'rollback_raw' not in d, d['rollback']"
chmod 0775 "$R$H"
run --root "$R" --rollback --json
doc "not UTF-8: rollback refused" "$RC" 3 rollback refused "$RAW
assert [b64(x) for x in d['changed_raw']] == [H], d['changed_raw']"
run --root "$R" --list --json
doc "not UTF-8: list" "$RC" 0 list listed "$RAW
assert b64(d['snapshots'][0]['findings_raw'][0]) == b'home-perms ' + H"
run --root "$R$H/nonexistent" --json
doc "not UTF-8: error" "$RC" 2 error error "$RAW
assert b64(d['root_raw']) == R + H + b'/nonexistent'
assert b64(d['error']['message_raw']).startswith(b'--root ' + R + H)"

# The schema itself: a valid 2020-12 schema, and it refuses what is not
# an sshfix document (so that the checks above can fail).
check "the schema is a valid JSON Schema (2020-12)" "$PY" -c '
import json, sys, jsonschema
jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1])))' \
    "$SCHEMA"
check "the schema refuses a document without schema_version, an unknown member, a list time not RFC 3339, a failed list with a null error, a _raw not base64" \
    "$PY" - "$SCHEMA" "$T" <<'EOF'
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
base = {"schema_version": 1, "version": "0.1.0", "mode": "list",
        "root": "/", "time": "2026-11-22T16:00:00Z", "snapshots": [],
        "result": "listed", "error": None}
assert v.is_valid(base)
bad = []
d = dict(base); del d["schema_version"]; bad.append(d)
d = dict(base); d["extra"] = 1; bad.append(d)
d = dict(base); d["snapshots"] = [{"id": "x", "time": "2026-11-22 16:00:00 UTC",
    "kind": "apply", "state": "applied", "size": 1, "findings": []}]; bad.append(d)
d = dict(base); d["result"] = "not-listed"; bad.append(d)
d = dict(base); d["root_raw"] = "not base64!"; bad.append(d)
for i, d in enumerate(bad):
    assert not v.is_valid(d), d
    json.dump(d, open(sys.argv[2] + "/bad%d.json" % i, "w"))
EOF

# ajv 8 (npm's ajv-cli 5, as fleet tooling in JavaScript validates) in
# strict mode, every kind at once (strictTypes, strictRequired...):
# the schema compiles, every document above is valid, and each of the
# refused documents is refused by ajv too.
AJV=${SSHFIX_AJV:-/var/cache/sshfix-test/ajv/node_modules/.bin/ajv}
ajv() { c=$1; shift; "$AJV" "$c" --spec=draft2020 --strict=true \
    -c ajv-formats -s "$SCHEMA" "$@"; }
if [ ! -x "$AJV" ]; then
	for s in "compiles in strict mode" "accepts every document" \
	    "refuses the refused documents"; do
		skip_line "ajv: $s" "no $AJV (make deps installs ajv-cli)"
	done
else
	ajv compile >"$T/ajv.out" 2>&1
	check "ajv: compiles in strict mode" sh -c "[ $? -eq 0 ] &&
	    ! grep -q 'strict mode' '$T/ajv.out'"
	grep -v ' is valid$' "$T/ajv.out" | sed 's/^/# /' | head -20
	ndocs=$(ls "$T/docs" | wc -l)
	ajv validate -d "$T/docs/*.json" >"$T/ajv.out" 2>&1
	check "ajv: accepts every document ($ndocs)" sh -c "[ $? -eq 0 ] &&
	    [ \$(grep -c ' valid\$' '$T/ajv.out') -eq $ndocs ]"
	grep -v ' valid$' "$T/ajv.out" | sed 's/^/# /' | head -30
	refused=0
	for b in "$T"/bad*.json; do
		ajv validate -d "$b" >/dev/null 2>&1 ||
		    refused=$((refused + 1))
	done
	check "ajv: refuses the refused documents ($refused of 5)" \
	    [ "$refused" -eq 5 ]
fi
