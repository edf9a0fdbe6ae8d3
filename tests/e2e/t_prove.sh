# Proof by the real sshd (src/prove): on the running system (the sandbox
# mounted over the machine's paths, no --root), a dry run with
# --authorized-key asks a second instance of the installed sshd whether
# it accepts the key, and says what sshd answered in its own words:
# accepted; not registered; refused by a key option; refused by
# AllowUsers; a password account's methods. After --apply (home 0777,
# reloaded) the key is proved accepted. The installed sshd's own
# listener is untouched, and no process of the proof outlives the run.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
if [ -n "$why" ] || ! command -v jq >/dev/null 2>&1; then
	for s in accepted sweep "not registered" "key option" AllowUsers methods schema \
	    "after --apply" "--root accepted" "--root AllowUsers" \
	    "--root AuthorizedKeysCommand" "--root keys outside" \
	    "--root home outside"; do
		skip "e2e proof $s" "${why:-no jq}"
	done
	exit 0
fi
ssh-keygen -q -t ed25519 -N '' -C other -f "$T/other"

# golive DIR [up] ARGS...: sshfix ARGS on the sandbox DIR as the running
# system (up: its own sshd running on port 22 first, and still
# answering after); sets RC, OUT, LISTENS (0: port 22 answered after).
golive() {
	_r=$1
	shift
	_up=
	[ "$1" = up ] && { _up=1; shift; }
	rm -f "$T/live.rc" "$T/still"
	unshare -m -n sh -c '
		S=$1 T=$2 SSHFIX=$3 SSHD=$4 UP=$5
		shift 5
		. "$1"
		shift
		sandbox_mounts "$S" var/lib
		pid=
		if [ -n "$UP" ]; then
			"$SSHD" -D -E "$T/sshd.log" -o Port=22 & pid=$!
			sleep 0.5
		fi
		"$SSHFIX" "$@" >"$T/live.json" 2>"$T/live.err"
		echo $? >"$T/live.rc"
		if [ -n "$pid" ]; then
			perl -MIO::Socket::INET -e "exit !IO::Socket::INET->new(q(127.0.0.1:22))"
			echo $? >"$T/still"
			kill $pid; wait $pid
		fi
		# Nothing of the proof is left: its sshd, its client.
		ps -eo args | grep -c "[s]shd .*sshd.pid" >"$T/left"
	' _ "$_r" "$T" "$SSHFIX" "$SSHD" "$_up" \
	    "$SSHFIX_TOP/tests/e2e/mounts.sh" "$@" >"$T/golive.out" 2>&1
	RC=$(cat "$T/live.rc" 2>/dev/null || echo 99)
	OUT=$(cat "$T/live.json" 2>/dev/null)
	LISTENS=$(cat "$T/still" 2>/dev/null || echo 99)
}
# tryv FILTER: the jq value of the first try.
tryv() { printf '%s' "$OUT" | jq -r ".proof.tries[0].$1" 2>/dev/null; }
says() { printf '%s' "$OUT" | jq -r '.proof.tries[0].sshd_says[]' 2>/dev/null |
    grep -qF -- "$1"; }
FP=$(ssh-keygen -lf "$CKEY.pub" | cut -d' ' -f2)

# Each JSON document with a proof, kept for the schema (the end).
mkdir "$T/docs"
keep() { printf '%s\n' "$OUT" >"$T/docs/$1.json"; }

# What a proof killed half way left (its host key) goes with the next.
mkdir -m 0700 /tmp/sshfix-prove.4194305.AbCdEf
echo key >/tmp/sshfix-prove.4194305.AbCdEf/hostkey
R=$T/ok; sandbox "$R"
golive "$R" up --dry-run --json --user alice --authorized-key "$CKEY.pub"
keep accepted
check "a dead run's /tmp/sshfix-prove.PID.* is swept" \
    [ ! -e /tmp/sshfix-prove.4194305.AbCdEf ]
check "this run's own is removed" \
    sh -c '! ls -d /tmp/sshfix-prove.* >/dev/null 2>&1'
check "accepted: the dry run is clean (exit 0)" [ "$RC" -eq 0 ]
check "accepted: sshd's own version is named" \
    sh -c '[ "$(printf "%s" "$1" | jq -r .proof.sshd)" != null ]' _ "$OUT"
check "accepted: the key, by its fingerprint ($FP), is accepted" \
    [ "$(tryv accepted) $(tryv key)" = "true ED25519 $FP" ]
check "accepted: the running sshd still answers on port 22" \
    [ "$LISTENS" -eq 0 ]
check "accepted: no process of the proof is left" [ "$(cat "$T/left")" -eq 0 ]

golive "$R" --dry-run --json --user alice --authorized-key "$T/other.pub"
check "not registered: sshd does not accept it" [ "$(tryv accepted)" = false ]
check "not registered: sshd's line: Failed publickey" \
    says "Failed publickey for alice from 127.0.0."
check "not registered: the model agrees (key-offered, exit 1)" \
    sh -c '[ "$1" -eq 1 ] && printf "%s" "$2" | grep -q "\"id\":\"key-offered\""' \
    _ "$RC" "$OUT"

R=$T/opt; sandbox "$R"
printf 'expiry-time="20200101" %s\n' "$(cat "$CKEY.pub")" \
    >"$R/home/alice/.ssh/authorized_keys"
golive "$R" --dry-run --json --user alice --authorized-key "$CKEY.pub"
check "key option: expiry-time past: not accepted" [ "$(tryv accepted)" = false ]
check "key option: sshd's line: Refused by key options" \
    says "Refused by key options"

R=$T/allow; sandbox "$R"
echo "AllowUsers root" >>"$R/etc/ssh/sshd_config"
golive "$R" --dry-run --json --user alice --authorized-key "$CKEY.pub"
keep allow
check "AllowUsers: not accepted" [ "$(tryv accepted)" = false ]
check "AllowUsers: sshd's line names it" \
    says "not allowed because not listed in AllowUsers"
check "AllowUsers: the model agrees (access-list)" \
    sh -c 'printf "%s" "$1" | grep -q "\"id\":\"access-list\""' _ "$OUT"

R=$T/pw; sandbox "$R"; set_password "$R" bob
golive "$R" --dry-run --json --user bob --authorized-key "$CKEY.pub"
check "methods: bob (password) is offered publickey,password" \
    [ "$(tryv methods)" = publickey,password ]

# After --apply: alice's home 0777 (sshd refuses her key), repaired,
# sshd reloaded, and the key proved accepted; the text says so.
R=$T/home; sandbox "$R"; chmod 0777 "$R/home/alice"
golive "$R" up --dry-run --json --user alice --authorized-key "$CKEY.pub"
check "home 0777: before --apply sshd does not accept the key" \
    [ "$(tryv accepted)" = false ]
check "home 0777: sshd's line: bad ownership or modes" \
    says "bad ownership or modes for directory /home/alice"
golive "$R" up --apply --user alice --authorized-key "$CKEY.pub"
check "after --apply: exit 0" [ "$RC" -eq 0 ]
[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | tail -12 | sed 's/^/# /'
TEXT=$OUT
golive "$R" up --rollback
golive "$R" up --apply --json --user alice --authorized-key "$CKEY.pub"
keep applied
check "after --apply (JSON): the proof says accepted" \
    [ "$(tryv accepted)" = true ]
OUT=$TEXT
check "after --apply: proved by sshd: the key is accepted" \
    sh -c 'printf "%s" "$1" | tr "\n" " " | tr -s " " |
    grep -qF "alice: key ED25519 $2 is accepted"' _ "$OUT" "$FP"

# Under --root (a rescue disk): this machine's own sshd and ssh, never
# the disk's, asked about the disk's files mounted over its own. carol
# exists only on the disk: the answer is about the disk's accounts.
rootproof() {
	R=$1
	shift
	run --root "$R" --dry-run --json "$@"
}
R=$T/disk; sandbox "$R"
echo "carol:x:1002:1002::/home/carol:/bin/sh" >>"$R/etc/passwd"
echo "carol:*:19000:0:99999:7:::" >>"$R/etc/shadow"
echo "carol:x:1002:" >>"$R/etc/group"
mkdir -p "$R/home/carol/.ssh"
cp "$CKEY.pub" "$R/home/carol/.ssh/authorized_keys"
chown -R 1002:1002 "$R/home/carol"
chmod 0700 "$R/home/carol/.ssh"
rootproof "$R" --user carol --authorized-key "$CKEY.pub"
keep rescue
check "--root accepted: carol (only on the disk): the key is accepted" \
    [ "$(tryv accepted)" = true ]
check "--root accepted: it says it was this machine's sshd" \
    [ "$(printf '%s' "$OUT" | jq -r .proof.rescue)" = true ]
check "--root accepted: nothing of the disk changed" \
    [ "$(stat -c %a "$R/home/carol")" = 755 ]
echo "AllowUsers root" >>"$R/etc/ssh/sshd_config"
rootproof "$R" --user carol --authorized-key "$CKEY.pub"
check "--root AllowUsers: not accepted, sshd's line" sh -c \
    '[ "$1" = false ] && printf "%s" "$2" | grep -q "not listed in AllowUsers"' \
    _ "$(tryv accepted)" "$OUT"
R=$T/akc; sandbox "$R"
printf 'AuthorizedKeysCommand /usr/bin/id\nAuthorizedKeysCommandUser nobody\n' \
    >>"$R/etc/ssh/sshd_config"
rootproof "$R" --user alice --authorized-key "$CKEY.pub"
check "--root AuthorizedKeysCommand: never run, said why" sh -c \
    'printf "%s" "$1" | jq -r .proof.error | grep -q "AuthorizedKeysCommand.*never runs"' \
    _ "$OUT"
R=$T/akf; sandbox "$R"
echo "AuthorizedKeysFile /var/keys/%u" >>"$R/etc/ssh/sshd_config"
rootproof "$R" --user alice --authorized-key "$CKEY.pub"
check "--root keys outside: not asked (outside what is mounted)" sh -c \
    'printf "%s" "$1" | jq -r .proof.error | grep -q "/var/keys/%u .*outside what the proof mounts"' \
    _ "$OUT"
R=$T/srv; sandbox "$R"
sed -i 's|^alice:\(.*\):/home/alice:|alice:\1:/srv/alice:|' "$R/etc/passwd"
mkdir -p "$R/srv"
mv "$R/home/alice" "$R/srv/alice"
rootproof "$R" --user alice --authorized-key "$CKEY.pub"
check "--root home outside /home: alice not asked, said why" sh -c \
    '[ "$(printf "%s" "$1" | jq -r ".proof.tries[0].client_says")" = "not asked: the home is outside /home and /root, which the proof mounts" ]' \
    _ "$OUT"

# The documents with a proof are what the schema says (ajv, strict).
AJV=${SSHFIX_AJV:-/var/cache/sshfix-test/ajv/node_modules/.bin/ajv}
if [ -x "$AJV" ]; then
	"$AJV" validate --spec=draft2020 --strict=true -c ajv-formats \
	    -s "$SSHFIX_TOP/packaging/sshfix.schema.json" \
	    -d "$T/docs/*.json" >"$T/ajv.out" 2>&1
	check "the schema accepts each document with a proof" sh -c \
	    "[ $? -eq 0 ] && [ \$(grep -c ' valid\$' '$T/ajv.out') -eq 4 ]"
	grep -v ' valid$' "$T/ajv.out" | sed 's/^/# /' | head
else
	skip "the schema accepts each document with a proof" "no $AJV"
fi
