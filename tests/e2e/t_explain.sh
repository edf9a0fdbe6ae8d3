# --explain live: the real ssh client's -v output against the real sshd
# (tests/e2e/explain_capture.sh), explained with --root on the sandbox
# sshd served: the case and the server's finding that caused it.
. "$SSHFIX_TOP/tests/e2e/explain_capture.sh"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in "home 0777" "no host keys" "OpenSSH 7.4 client" \
	    "old server's kex" "no route"; do
		skip "e2e explain $s" "$why"
	done
	exit 0
fi

NOHK="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
KEY="-o BatchMode=yes -o IdentitiesOnly=yes -i $CKEY"

# explained NAME LOG ROOT CASE FAULT:
# --explain LOG --root ROOT names CASE with a FAULT finding.
explained() {
	run --explain "$CAP/$2.log" --root "$3" --json
	check "$1: exit 1" [ "$RC" -eq 1 ]
	check "$1: $4, the server's $5 found" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["cases"][0]
assert [x["id"] for x in d["cases"]] == [sys.argv[2]], d["cases"]
assert sys.argv[3] in [f["id"] for f in c["found"]], c["found"]' \
	    "$T/out" "$4" "$5"
}

R="$T/home777"; sandbox "$R"; chmod 0777 "$R/home/alice"
capture home-perms "$R" -- $NOHK $KEY
check "home 0777: the client says Permission denied (publickey" \
    grep -qF "Permission denied (publickey" "$CAP/home-perms.log"
explained "home 0777" home-perms "$R" denied-keys-offered home-perms

R="$T/hkgone"; sandbox "$R"; rm -f "$R"/etc/ssh/ssh_host_*
capture hostkeys-gone "$R" -- $NOHK $KEY
check "no host keys: sshd logged no hostkeys available" \
    grep -qF "no hostkeys available" "$T/sshd.log"
explained "no host keys" hostkeys-gone "$R" connection-refused \
    hostkey-missing

# explained_as NAME LOG CASE: --explain LOG --json names CASE alone.
explained_as() {
	run --explain "$CAP/$2.log" --json
	check "$1: exit 1" [ "$RC" -eq 1 ]
	check "$1: $3" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["id"] for x in d["cases"]] == [sys.argv[2]], d["cases"]' \
	    "$T/out" "$3"
}

R="$T/alg"; sandbox "$R"
echo 'KexAlgorithms diffie-hellman-group14-sha1' \
    >"$R/etc/ssh/sshd_config.d/10-alg.conf"
capture no-kex "$R" -- $NOHK $KEY
check "old server's kex: the client says no matching key exchange method" \
    grep -qF "no matching key exchange method found" "$CAP/no-kex.log"
explained_as "old server's kex" no-kex old-algorithms

HOST=10.9.9.2 SETUP="ip route add unreachable 10.9.9.0/24" \
    capture no-route "$R" down -- $NOHK $KEY
check "no route: the client says No route to host" \
    grep -qF "No route to host" "$CAP/no-route.log"
explained_as "no route" no-route unreachable

SSH74=/var/cache/sshfix-test/openssh-7.4p1/bin/ssh
if [ -x "$SSH74" ]; then
	R="$T/home777"
	SSH=$SSH74 capture old-client "$R" -- $NOHK $KEY
	check "OpenSSH 7.4 client: its version line" \
	    grep -q '^OpenSSH_7\.4' "$CAP/old-client.log"
	explained "OpenSSH 7.4 client" old-client "$R" denied-keys-offered \
	    home-perms
else
	skip "e2e explain OpenSSH 7.4 client" "no $SSH74"
fi
echo "1..$N"
