# A home sshd refuses (0777) when another AuthorizedKeysFile, outside the
# home and root-owned, holds the key: the real sshd lets alice in through
# it, so home-perms is a warning and the access table says ok. Control:
# the same home, /etc/ssh/keys/alice empty, the key only below the home:
# refused, an error.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in "key outside the home: login works" \
	    "key outside the home: home-perms a warning" \
	    "key outside the home: alice ok in the access table" \
	    "control, key only below the home: login fails" \
	    "control: home-perms an error" \
	    "control: alice refused in the access table"; do
		skip "$s" "$why"
	done
	exit 0
fi

# outside DIR KEYFILE: alice's home 0777, AuthorizedKeysFile
# /etc/ssh/keys/%u .ssh/authorized_keys, /etc/ssh/keys/alice from KEYFILE.
outside() {
	sandbox "$1"
	chmod 0777 "$1/home/alice"
	mkdir -p "$1/etc/ssh/keys"
	cp "$2" "$1/etc/ssh/keys/alice"
	chmod 0644 "$1/etc/ssh/keys/alice"
	echo 'AuthorizedKeysFile /etc/ssh/keys/%u .ssh/authorized_keys' \
	    >"$1/etc/ssh/sshd_config.d/20-keys.conf"
}
sev() {	# sev SEVERITY: the home-perms finding of $T/out has it
	"${PY:-python3}" - "$T/out" "$1" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["id"] == "home-perms"]
sys.exit(0 if len(f) == 1 and f[0]["severity"] == sys.argv[2] else 1)
P
}
verdict() {	# verdict V: alice's row in the access table
	"${PY:-python3}" - "$T/out" "$1" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
a = {x["name"]: x for x in d["accounts"]}
sys.exit(0 if a["alice"]["verdict"] == sys.argv[2] else 1)
P
}

R="$T/out_ok"
outside "$R" "$CKEY.pub"
attempt "$R" alice key
check "key outside the home: login works" logged_in
run --root "$R" --json --user alice
check "key outside the home: home-perms a warning" sev warning
check "key outside the home: alice ok in the access table" verdict ok

R="$T/out_ctl"
outside "$R" /dev/null
attempt "$R" alice key
check "control, key only below the home: login fails" refused
run --root "$R" --json --user alice
check "control: home-perms an error" sev error
check "control: alice refused in the access table" verdict refused
