# --explain on client logs captured from the real ssh client against the
# real sshd (tests/integration/explain/, made by
# tests/e2e/explain_capture.sh; 74-*: OpenSSH 7.4p1's client), each with
# --root on a server that has (or has not) the fault: the case, its side,
# the next step, the fault ids and the server's matching findings.
. "$SSHFIX_TOP/tests/integration/lib.sh"

LOGS="$SSHFIX_TOP/tests/integration/explain"
PY=/usr/bin/python3

# jq_ok PYTHON: the last --json output, as d, passes the assertion.
jq_ok() {
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
c = {x["id"]: x for x in d["cases"]}
ids = [x["id"] for x in d["cases"]]
found = lambda i: [f["id"] for f in c[i]["found"] or []]
exec(sys.argv[2])' "$T/out" "$1"
}

# The captured logs offer the capture's client key; the fake roots hold
# this run's user_key for alice and root. ours LOG: a copy of LOG in T
# with that key's fingerprint put in place of the capture's, so that a
# log and a root agree on which key was offered (key-offered judges it).
THEIRS=SHA256:2ZQ4NStXo8yMuHJ9JKZtAhmQ3FodG6lxNjyFSO8vUcA
OURS=$(ssh-keygen -lf "$KEYS/user_key.pub" | cut -d' ' -f2)
ours() {
	sed "s|$THEIRS|$OURS|g" "$LOGS/$1" >"$T/$1"
	echo "$T/$1"
}

# explain NAME LOG ROOT WANT-RC PYTHON: --explain LOG --root ROOT --json.
explain() {
	run --explain "$(ours "$2")" --root "$3" --json
	check "$1: exit $4" [ "$RC" -eq "$4" ]
	check "$1: $5" jq_ok "$5"
}

R="$T/home"; mkroot "$R"; chmod 0777 "$R/home/alice"
explain "home 0777, 9.2 client -v" home-perms.log "$R" 1 \
    'assert ids == ["denied-keys-offered"] and c[ids[0]]["side"] == "server" and "home-perms" in c[ids[0]]["faults"] and found(ids[0]) == ["home-perms"] and d["client"]["user"] == "alice" and d["combined"]'
explain "home 0777, -vvv" home-perms-vvv.log "$R" 1 \
    'assert ids == ["denied-keys-offered"] and found(ids[0]) == ["home-perms"]'
explain "home 0777, OpenSSH 7.4 client" 74-home-perms.log "$R" 1 \
    'assert ids == ["denied-keys-offered"] and "1 key (" in c[ids[0]]["detail"] and found(ids[0]) == ["home-perms"] and d["client"]["version"].startswith("OpenSSH_7.4p1")'
run --explain "$(ours home-perms.log)" --root "$R"
check "home 0777, text: the seed's line, the next step, the server's finding" \
    sh -c 'printf "%s" "$1" | grep -qF "shown by: alice@127.0.0.1: Permission denied (publickey,password)." &&
    printf "%s" "$1" | grep -qF "next: run sshfix on the server (sshfix --user alice" &&
    printf "%s" "$1" | grep -qF "server $2: home-perms: /home/alice:"' _ "$OUT" "$R"

R="$T/clean"; mkroot "$R"
explain "home 0777 log, healthy server: no finding among the faults" \
    home-perms.log "$R" 1 'assert found("denied-keys-offered") == []'
# The log as captured: the client offered a key alice's file does not
# hold. "Is my key accepted?" answers with that fingerprint and hers.
run --explain "$LOGS/home-perms.log" --root "$R" --json
check "a key the server does not hold: key-offered names the offered fingerprint" \
    jq_ok 'f = c["denied-keys-offered"]["found"]
assert [x["id"] for x in f] == ["key-offered"]
assert "(ED25519 '"$THEIRS"') is not in alice" in f[0]["message"]
assert "'"$OURS"'" in f[0]["message"]'

R="$T/nokeys"; mkroot "$R"; rm -f "$R"/etc/ssh/ssh_host_*
explain "no hostkeys available: connection refused" hostkeys-gone.log \
    "$R" 1 'assert ids == ["connection-refused"] and set(found(ids[0])) == {"hostkey-missing"}'
explain "connection refused, OpenSSH 7.4 client" 74-refused.log "$R" 1 \
    'assert ids == ["connection-refused"] and c[ids[0]]["line"] == "ssh: connect to host 127.0.0.1 port 2222: Connection refused"'

R="$T/dsa"; mkroot "$R"; rm -f "$R"/etc/ssh/ssh_host_*; copy_sshd "$R"
ssh-keygen -q -t dsa -N '' -C '' -f "$R/etc/ssh/ssh_host_dsa_key"
echo "HostKey /etc/ssh/ssh_host_dsa_key" >"$R/etc/ssh/sshd_config.d/10-keys.conf"
explain "DSA-only server: reset in key exchange" dsa-only.log "$R" 1 \
    'assert ids == ["dropped-in-kex"] and found(ids[0]) == ["hostkey-missing"]'
explain "DSA-only server offering ssh-dss: no mutual host key type" \
    dsa-offered.log "$R" 1 \
    'assert ids == ["no-hostkey-type"] and "Their offer: ssh-dss" in c[ids[0]]["line"] and found(ids[0]) == ["hostkey-missing"]'

R="$T/clean"
explain "MaxStartups: kex_exchange_identification closed" maxstartups.log \
    "$R" 1 'assert ids == ["max-startups"] and c[ids[0]]["faults"] == []'
explain "MaxStartups: kex_exchange_identification reset" \
    maxstartups-reset.log "$R" 1 'assert ids == ["max-startups"]'
# The seed's shape: the same real log without sshd's banner line
# (PerSourcePenalties, hosts.deny and MaxStartups before 8.x drop so).
grep -v 'Exceeded MaxStartups' "$LOGS/maxstartups-reset.log" >"$T/reset.log"
run --explain "$T/reset.log" --root "$R" --json
check "Connection reset by peer before the banner: source-penalty, tcp-wrappers, privsep" \
    jq_ok 'assert ids == ["dropped-before-banner"] and c[ids[0]]["line"] == "kex_exchange_identification: read: Connection reset by peer" and c[ids[0]]["faults"] == ["source-penalty", "tcp-wrappers", "privsep"]'

explain "host key changed: the ssh-keygen -R command, whole in its own member" hostkey-changed.log \
    "$R" 1 'assert ids == ["hostkey-changed"] and c[ids[0]]["side"] == "client" and c[ids[0]]["command"].startswith("ssh-keygen ") and c[ids[0]]["command"].endswith(" -R \"[127.0.0.1]:2222\"") and c[ids[0]]["next"].endswith("remove the old one:")'
explain "unprotected private key: client side, chmod 600" \
    unprotected-key.log "$R" 1 \
    'assert ids == ["unprotected-key"] and c[ids[0]]["next"].startswith("chmod 600 /") and c[ids[0]]["next"].endswith("/open_key")'
explain "identity file missing: client side" no-identity.log "$R" 1 \
    'assert ids == ["identity-missing"] and c[ids[0]]["side"] == "client"'

R="$T/tries"; mkroot "$R"
echo 'MaxAuthTries 1' >"$R/etc/ssh/sshd_config.d/10-m.conf"
explain "too many authentication failures: max-auth-tries" \
    too-many-keys.log "$R" 1 \
    'assert ids == ["too-many-keys"] and found(ids[0]) == ["max-auth-tries"] and "IdentitiesOnly=yes" in c[ids[0]]["next"]'

R="$T/nopw"; mkroot "$R"
rm "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
echo 'PasswordAuthentication no' >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
explain "password disabled, no key offered" password-disabled.log "$R" 1 \
    'assert ids == ["denied-no-key", "password-disabled"] and c["password-disabled"]["side"] == "server" and "auth-lockout" in found("password-disabled")'

R="$T/clean"
explain "root's password asked for and refused" password-rejected.log \
    "$R" 1 'assert ids == ["password-rejected"] and d["client"]["user"] == "root" and "root-login" in c[ids[0]]["faults"]'
explain "a login that worked" ok.log "$R" 0 \
    'assert ids == ["authenticated"] and d["result"] == "login-works"'

R="$T/noalice"; mkroot "$R"; chmod 0777 "$R/home/alice"
sed -i '/^alice:/d' "$R/etc/passwd" "$R/etc/shadow"
explain "the log's account is not on the server" home-perms.log "$R" 1 \
    'assert d["account_missing"] is True and ids == ["denied-keys-offered"]'

# Without --root, a log to another machine is the client's alone.
run --explain "$LOGS/handwritten-timeout.log" --json
check "timeout to another host: network side, not combined" jq_ok \
    'assert ids == ["connection-timeout"] and c[ids[0]]["side"] == "network" and d["combined"] is False and d["root"] is None and c[ids[0]]["found"] is None'
"$SSHFIX" --explain <"$LOGS/handwritten-timeout.log" >"$T/out" 2>&1
check "no FILE: standard input" grep -qF "1. no answer" "$T/out"
"$SSHFIX" --explain - <"$LOGS/handwritten-timeout.log" >"$T/out" 2>&1
check "FILE -: standard input" grep -qF "1. no answer" "$T/out"

printf 'hello\nworld\n' >"$T/junk.log"
run --explain "$T/junk.log" --root "$R"
check "nothing recognised: exit 2, said on stderr" sh -c \
    '[ "$1" -eq 2 ] && printf "%s" "$2" | grep -qF "no ssh client output recognised"' \
    _ "$RC" "$ERR"
check "nothing recognised: nothing on stdout" [ -z "$OUT" ]
timeout 60 "$SSHFIX" --explain /dev/zero >/dev/null 2>&1
check "endless input (/dev/zero): read to a bound, exit 2" [ $? -eq 2 ]
{ head -c 100000 /dev/zero | tr '\0' A; echo
  cat "$LOGS/handwritten-timeout.log"; } >"$T/long.log"
run --explain "$T/long.log" --json
check "a 100 kB line first: cut, the rest still read" jq_ok \
    'assert ids == ["connection-timeout"]'
run --explain "$T/missing.log"
check "an unreadable FILE: exit 2" [ "$RC" -eq 2 ]

# Foreign bytes from the log are escaped.
printf 'debug1: Connecting to \033]0;x\007evil [203.0.113.9] port 22.\nssh: connect to host evil\033[2J port 22: Connection refused\n' >"$T/evil.log"
run --explain "$T/evil.log"
check "escape sequences in the log are escaped" sh -c \
    '! printf "%s" "$1" | grep -q "$(printf "\033")" && printf "%s" "$1" | grep -qF "\\033[2J"' _ "$OUT"

run --explain "$LOGS/ok.log" --apply
check "--explain with --apply: usage error" [ "$RC" -eq 2 ]
run --explain "$LOGS/ok.log" --oneline
check "--explain with --oneline: usage error" [ "$RC" -eq 2 ]
echo "1..$N"
