#!/bin/sh
# Who is locked out (sshfix(8), WHO IS LOCKED OUT): without --user, the
# accounts the evidence names are judged; an account with no key and no
# password is not a way in, whatever its shell (Debian's sync, RHEL's
# shutdown and halt); "cannot tell" is never "clean". Every case has a
# JSON assertion on "accounts" (valid against the schema).
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
D=etc/ssh/sshd_config.d/50-local.conf

# rootonly NAME CONFIG: a server only root logs in to (alice's key gone),
# with the system accounts, and CONFIG in a drop-in.
rootonly() {
	R="$T/$1"
	mkroot "$R"
	sysaccounts "$R"
	rm "$R/home/alice/.ssh/authorized_keys"
	printf "$2" >"$R/$D"
}
# authlog DIR LINE...: /var/log/auth.log holds sshd's LINEs.
authlog() {
	d=$1
	shift
	mkdir -p "$d/var/log"
	for l in "$@"; do
		echo "2026-12-01T08:00:00.123456+00:00 web1 sshd[4242]: $l"
	done >"$d/var/log/auth.log"
}
notin() { ! printf '%s' "$OUT" | grep -qF -- "$1"; }

# 1. DenyUsers root on a root-only server: sync (no key, no password)
# used to count as an account that gets in: "no faults".
rootonly deny 'DenyUsers root\n'
diagnose "$R"
check "root only, DenyUsers root, sync present: access-list for root, exit 1" \
    sh -c "[ $RC -eq 1 ] && [ $UNCHANGED -eq 0 ]"
jscheck "... JSON: root refused at the DenyUsers line, repaired by access-list" \
    'f["access-list"]["subject"] == "root" and
    acc["root"]["verdict"] == "refused" and
    acc["root"]["reasons"][0]["where"] == "/etc/ssh/sshd_config.d/50-local.conf:1" and
    acc["root"]["reasons"][0]["finding"] == "access-list" and
    "sync" not in acc and "halt" not in acc and
    d["accounts_without_way_in"] == 5 and d["result"] == "faults-found"'
cycle "DenyUsers root" "$R"

# 2. PermitRootLogin no: the lockout is root's (its key works under
# prohibit-password), never "passwd sync".
rootonly prl 'PermitRootLogin no\n'
diagnose "$R"
check "PermitRootLogin no: exit 1, no 'passwd sync', root's key reopened" \
    sh -c "[ $RC -eq 1 ] && ! printf '%s' \"\$0\" | grep -q 'passwd sync' &&
    printf '%s' \"\$0\" | grep -q '\"new\":\"PermitRootLogin prohibit-password\"'" "$OUT"
jscheck "... JSON: root refused by PermitRootLogin no" \
    'acc["root"]["verdict"] == "refused" and
    "PermitRootLogin no" in acc["root"]["reasons"][0]["text"]'
cycle "PermitRootLogin no" "$R"

# 3. The person named by sshd's log: AllowUsers root, alice (with a key)
# refused three times. Without the log it is deliberate: no change.
R="$T/log"; mkroot "$R"; printf 'AllowUsers root\n' >"$R/$D"
diagnose "$R"
check "AllowUsers root, no log: exit 0, nothing planned" \
    sh -c "[ $RC -eq 0 ] && [ $UNCHANGED -eq 0 ]"
jscheck "... JSON: alice refused, not a target; result clean" \
    'acc["alice"]["verdict"] == "refused" and not acc["alice"]["target"] and
    acc["root"]["verdict"] == "ok" and d["findings"] == [] and
    d["result"] == "clean"'
run --root "$R"
check "... text: alice's row asks whether it is deliberate" \
    out_has 'deliberate? no evidence names it, nothing is changed'
authlog "$R" \
    "User alice from 203.0.113.5 not allowed because not listed in AllowUsers" \
    "User alice from 203.0.113.5 not allowed because not listed in AllowUsers" \
    "Connection closed by authenticating user alice 203.0.113.5 port 50022 [preauth]" \
    "Invalid user oracle from 198.51.100.7 port 4242" \
    "Failed password for bob from 192.0.2.1 port 1 ssh2" \
    "Failed password for bob from 192.0.2.2 port 1 ssh2" \
    "Failed password for bob from 192.0.2.3 port 1 ssh2" \
    "Failed password for bob from 192.0.2.4 port 1 ssh2"
diagnose "$R"
check "the log names alice: access-list for alice, exit 1" \
    sh -c "[ $RC -eq 1 ] && [ $UNCHANGED -eq 0 ]"
jscheck "... JSON: alice the target from sshd's log; oracle unknown; bob a scan" \
    'f["access-list"]["subject"] == "alice" and acc["alice"]["target"] and
    acc["alice"]["evidence"] == ["sshd'"'"'s log"] and
    "3 sshd log lines" in acc["alice"]["evidence_text"] and
    "oracle" in d["log_unknown_users"] and "bob" in d["log_scans"] and
    "bob" not in acc'
run --root "$R"
check "... text: the table marks alice as the person's, with the evidence" \
    sh -c "printf '%s' \"\$0\" | grep -q '^  \* alice *refused' &&
    printf '%s' \"\$0\" | grep -q 'the person.s account: 3 sshd log lines'" "$OUT"
check "... text: fits 80 columns" \
    [ "$(printf '%s\n' "$OUT" | awk 'length($0) > 80' | wc -l)" -eq 0 ]
cycle "alice named by the log" "$R"
# A login after the last refusal: she got in, not evidence.
authlog "$R" \
    "User alice from 203.0.113.5 not allowed because not listed in AllowUsers" \
    "Accepted publickey for alice from 203.0.113.5 port 50022 ssh2: ED25519 SHA256:x"
diagnose "$R"
check "alice accepted after her refusal: not a target, exit 0" [ "$RC" -eq 0 ]

# 4. A cloud image: root's only key is cloud-init's stub, the default
# user admin has an emptied authorized_keys and password login is off.
R="$T/cloud"; mkroot "$R"; cloudimg "$R" "$KEYS/user_key.pub"
mkdir -p "$R/etc/cloud"
printf 'disable_root: true\nsystem_info:\n  default_user:\n    name: admin\n    lock_passwd: true\n' \
    >"$R/etc/cloud/cloud.cfg"
diagnose "$R"
check "cloud image, root's stub key: admin's lockout, exit 1" \
    sh -c "[ $RC -eq 1 ] && [ $UNCHANGED -eq 0 ]"
jscheck "... JSON: admin the target (cloud-init), root refused by the stub" \
    'f["auth-lockout"]["subject"] == "admin" and acc["admin"]["target"] and
    acc["admin"]["evidence"] == ["cloud-init"] and
    "/etc/cloud/cloud.cfg:4" in acc["admin"]["evidence_text"] and
    acc["root"]["verdict"] == "refused" and not acc["root"]["target"] and
    "stub" in acc["root"]["reasons"][0]["text"]'
run --root "$R"
check "... text: the stub is not called deliberate" \
    notin 'deliberate?'
cycle "cloud image with --authorized-key" "$R" \
    --authorized-key "$KEYS/user_key.pub"
R="$T/stub"; mkroot "$R"; cloudimg "$R" "$KEYS/user_key.pub"
diagnose "$R"
jscheck "no cloud.cfg: the user the stub names is the target" \
    'f["auth-lockout"]["subject"] == "admin" and
    "tells you to log in as admin" in acc["admin"]["evidence_text"]'

# 5. The only human account: alice, whose keys were emptied; root's key
# works. It used to be "no faults".
R="$T/human"; mkroot "$R"
sed -i '/^bob:/d' "$R/etc/passwd" "$R/etc/shadow" "$R/etc/group"
: >"$R/home/alice/.ssh/authorized_keys"
printf 'PasswordAuthentication no\n' >"$R/$D"
diagnose "$R"
check "the only human account locked out, root fine: exit 1" [ "$RC" -eq 1 ]
jscheck "... JSON: alice the target as the only human account" \
    'f["auth-lockout"]["subject"] == "alice" and
    acc["alice"]["evidence"] == ["only human account"] and
    acc["root"]["verdict"] == "ok"'

# 6. --authorized-key's comment names its owner.
R="$T/keycomment"; mkroot "$R"
sed "s/ test\$/ bob@laptop/" "$KEYS/user_key.pub" >"$T/bob.pub"
diagnose "$R" --authorized-key "$T/bob.pub"
jscheck "--authorized-key bob@laptop: bob the target, his key installed" \
    'acc["bob"]["evidence"] == ["--authorized-key"] and
    f["auth-lockout"]["subject"] == "bob" and
    any(a["type"] == "add-key" for a in f["auth-lockout"]["actions"])'

# 7. A deliberately denied account beside the person's: reported, never
# changed unless --user names it.
R="$T/deliberate"; mkroot "$R"
cp -a "$R/home/alice/.ssh" "$R/home/bob/"
chown -R 1001:1001 "$R/home/bob/.ssh"
printf 'DenyUsers bob\n' >"$R/$D"
authlog "$R" "Failed publickey for alice from 203.0.113.5 port 1 ssh2: ED25519 SHA256:x"
diagnose "$R"
jscheck "DenyUsers bob, alice the target and fine: clean, bob refused, not a target" \
    'd["result"] == "clean" and d["findings"] == [] and
    acc["alice"]["target"] and acc["alice"]["verdict"] == "ok" and
    acc["bob"]["verdict"] == "refused" and not acc["bob"]["target"]'
tree "$R" >"$T/d0"
run --root "$R" --apply
tree "$R" >"$T/d1"
check "... --apply leaves bob's DenyUsers alone" \
    sh -c "[ $RC -eq 0 ] && cmp -s '$T/d0' '$T/d1'"
diagnose "$R" --user bob
check "... --user bob: his refusal is a fault" \
    sh -c "[ $RC -eq 1 ] && echo '$(ids)' | grep -qx access-list"

# 8. Cannot tell is not clean: alice's keys come from a program.
R="$T/akc"; mkroot "$R"
printf 'AuthorizedKeysCommand /usr/local/bin/keys %%u\nAuthorizedKeysCommandUser nobody\n' >"$R/$D"
rm "$R/home/alice/.ssh/authorized_keys"
diagnose "$R" --user alice
check "AuthorizedKeysCommand, --user alice: exit 5, not 0" [ "$RC" -eq 5 ]
jscheck "... JSON: cannot-tell with an error, alice cannot-tell at the line" \
    'd["result"] == "cannot-tell" and d["error"] is not None and
    acc["alice"]["verdict"] == "cannot-tell" and
    acc["alice"]["reasons"][0]["where"] == "/etc/ssh/sshd_config.d/50-local.conf:1"'
run --root "$R" --user alice
check "... text: 'cannot tell', never 'no faults found'" sh -c \
    "printf '%s' \"\$0\" | grep -q '^cannot tell: no fault found' &&
    ! printf '%s' \"\$0\" | grep -q 'no faults found'" "$OUT"
run --root "$R" --user alice --oneline
check "... --oneline: 'cannot tell', the account and why, exit 5" sh -c \
    "[ $RC -eq 5 ] && printf '%s' \"\$0\" | grep -q '^sshfix: cannot tell on .*: alice (its keys come from AuthorizedKeysCommand'" "$OUT"

# Keys sshfix cannot judge are not a way in it can vouch for: alice's only
# key a DSA key under an sshd whose release the table does not know (no
# binary on this root), or a key limited by from= with no --from.
R="$T/unsure"; mkroot "$R"
ssh-keygen -q -t dsa -N '' -C alice -f "$T/dsa" </dev/null >/dev/null 2>&1 ||
    ssh-keygen -q -t ecdsa -N '' -C alice -f "$T/dsa" </dev/null
cp "$T/dsa.pub" "$R/home/alice/.ssh/authorized_keys"
if grep -q '^ssh-dss' "$T/dsa.pub"; then
	run --root "$R" --user alice --json
	jscheck "only a key type no release rule judges: alice cannot-tell, exit 5" \
	    'acc["alice"]["verdict"] == "cannot-tell" and
	    "release table has no rule" in acc["alice"]["reasons"][0]["text"] and
	    acc["alice"]["reasons"][0]["where"] == "/home/alice/.ssh/authorized_keys:1" and
	    d["result"] == "cannot-tell"'
	check "... exit 5" [ "$RC" -eq 5 ]
else
	skip_line "only a key type no release rule judges" "this ssh-keygen makes no DSA key"
	skip_line "... exit 5" "this ssh-keygen makes no DSA key"
fi
ssh-keygen -q -t ed25519 -N '' -C alice -f "$T/ed" </dev/null
printf 'from="10.0.0.0/8" %s\n' "$(cat "$T/ed.pub")" \
    >"$R/home/alice/.ssh/authorized_keys"
run --root "$R" --user alice --json
jscheck "only a from= key, no --from: alice cannot-tell, rerun with --from" \
    'acc["alice"]["verdict"] == "cannot-tell" and
    "rerun with --from" in acc["alice"]["reasons"][0]["text"]'
run --root "$R" --user alice --json --from 10.1.2.3
jscheck "... --from inside it: alice ok, clean" \
    'acc["alice"]["verdict"] == "ok" and d["result"] == "clean"'

echo "1..$N"
