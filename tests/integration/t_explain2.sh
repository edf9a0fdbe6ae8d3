# --explain on the client shapes that never reach a login: the name,
# the route, a drop, sshd's per-connection process gone, no mutual
# algorithm (an old server's offer, or a client that refuses a modern
# one), and the 7.4 and 10.0 clients' shapes. Real client logs from
# tests/e2e/explain_capture.sh (tests/integration/explain/README).
. "$SSHFIX_TOP/tests/integration/lib.sh"

LOGS="$SSHFIX_TOP/tests/integration/explain"
PY=/usr/bin/python3

# explain NAME LOG PYTHON [ARGS...]: --explain LOG --json ARGS exits 1,
# its output is valid against packaging/sshfix.schema.json and, as d (c:
# the cases by id, ids, found), passes PYTHON.
explain() {
	name=$1 log=$2 want=$3
	shift 3
	run --explain "$LOGS/$log" --json "$@"
	check "$name: exit 1" [ "$RC" -eq 1 ]
	check "$name: $want" "$PY" -c 'import json, sys, jsonschema
d = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(json.load(open(sys.argv[3]))).validate(d)
c = {x["id"]: x for x in d["cases"]}
ids = [x["id"] for x in d["cases"]]
found = lambda i: [f["id"] for f in c[i]["found"] or []]
exec(sys.argv[2])' "$T/out" "$want" \
	    "$SSHFIX_TOP/packaging/sshfix.schema.json"
}

explain "name does not resolve" resolve-failed.log \
    'assert ids == ["resolve-failed"] and c[ids[0]]["side"] == "client" and d["client"]["host"] == "nosuch.invalid" and "/etc/hosts" in c[ids[0]]["next"] and d["combined"] is False'
explain "Network is unreachable: the client's own network" \
    net-unreachable.log \
    'assert ids == ["unreachable"] and c[ids[0]]["side"] == "network" and c[ids[0]]["line"].endswith("Network is unreachable") and "ip route get 10.9.9.2" in c[ids[0]]["next"] and "firewall" not in c[ids[0]]["next"]'
explain "No route to host: a route, or the server's firewall rejecting" \
    no-route.log \
    'assert ids == ["unreachable"] and c[ids[0]]["line"].endswith("No route to host") and "firewall-cmd --permanent --add-port=2222/tcp," in c[ids[0]]["next"] and "ip route get 10.9.9.2" in c[ids[0]]["next"]'
explain "Permission denied from connect (IPv6 admin-prohibited): a firewall, not a login" \
    v6-prohibited.log \
    'assert ids == ["unreachable"] and c[ids[0]]["side"] == "network" and c[ids[0]]["line"].endswith("port 2222: Permission denied") and "administratively prohibited" in c[ids[0]]["detail"] and "firewall-cmd --permanent --add-port=2222/tcp," in c[ids[0]]["next"] and "host-firewall" in c[ids[0]]["next"]'
# The same real log on port 22: ssh's service, not a port number.
sed 's/port 2222/port 22/' "$LOGS/no-route.log" >"$T/no-route-22.log"
run --explain "$T/no-route-22.log" --json
check "No route to host on port 22: firewall-cmd --add-service=ssh" \
    grep -qF 'firewall-cmd --permanent --add-service=ssh, then' "$T/out"
explain "Connection timed out (a real drop): firewall, not combined" \
    timeout.log \
    'assert ids == ["connection-timeout"] and c[ids[0]]["side"] == "network" and c[ids[0]]["line"] == "ssh: connect to host 10.9.9.2 port 2222: Connection timed out" and "security group" in c[ids[0]]["next"] and c[ids[0]]["faults"] == ["listen-address", "host-firewall", "address-banned"] and "network security group" in c[ids[0]]["next"] and d["combined"] is False'

# Debian's sshd re-executes itself per connection: without its privsep
# directory the new process exits before the banner. An RHEL root whose
# /var/empty/sshd is gone has the privsep finding.
R="$T/rhel"; mkroot "$R" rhel; rmdir "$R/var/empty/sshd"
explain "privsep directory gone: reset before the banner, privsep found" \
    privsep-gone.log \
    'assert ids == ["dropped-before-banner"] and "privsep" in c[ids[0]]["faults"] and found(ids[0]) == ["privsep"] and "privilege separation directory" in c[ids[0]]["detail"]' \
    --root "$R"

R="$T/clean"; mkroot "$R"
explain "old server's key exchange: server side, the method to allow" \
    no-kex.log \
    'assert ids == ["old-algorithms"] and c[ids[0]]["side"] == "server" and c[ids[0]]["faults"] == [] and "key exchange method" in c[ids[0]]["detail"] and "diffie-hellman-group14-sha1" in c[ids[0]]["detail"] and "kex-strict" not in c[ids[0]]["detail"] and "KexAlgorithms in sshd_config" in c[ids[0]]["next"] and "-o KexAlgorithms=+diffie-hellman-group14-sha1" in c[ids[0]]["next"]' \
    --root "$R"
explain "old server's cipher: Ciphers" no-cipher.log \
    'assert ids == ["old-algorithms"] and "cipher" in c[ids[0]]["detail"] and "-o Ciphers=+aes256-cbc" in c[ids[0]]["next"]' \
    --root "$R"
explain "old server's MAC: MACs" no-mac.log \
    'assert ids == ["old-algorithms"] and "MAC" in c[ids[0]]["detail"] and "-o MACs=+hmac-md5" in c[ids[0]]["next"]' \
    --root "$R"
explain "OpenSSH 7.4 client, a new server's only kex: the client's side" \
    74-no-kex.log \
    'assert ids == ["no-kex"] and c[ids[0]]["side"] == "client" and d["client"]["version"].startswith("OpenSSH_7.4p1") and "sntrup761x25519-sha512@openssh.com" in c[ids[0]]["detail"] and "kex-strict" not in c[ids[0]]["detail"] and "KexAlgorithms" in c[ids[0]]["next"] and "=+" not in c[ids[0]]["next"]' \
    --root "$R"
explain "client refuses the server's ed25519: client side, no fault" \
    hostkey-type-client.log \
    'assert ids == ["hostkey-type-refused"] and c[ids[0]]["side"] == "client" and c[ids[0]]["faults"] == [] and "ssh-ed25519" in c[ids[0]]["detail"] and "HostKeyAlgorithms" in c[ids[0]]["next"]' \
    --root "$R"

R="$T/dsa"; mkroot "$R"; rm -f "$R"/etc/ssh/ssh_host_*; copy_sshd "$R"
ssh-keygen -q -t dsa -N '' -C '' -f "$R/etc/ssh/ssh_host_dsa_key"
echo "HostKey /etc/ssh/ssh_host_dsa_key" >"$R/etc/ssh/sshd_config.d/10-keys.conf"
explain "DSA-only server, 9.2 client: the type to allow meanwhile" \
    dsa-offered.log \
    'assert ids == ["no-hostkey-type"] and "-o HostKeyAlgorithms=+ssh-dss" in c[ids[0]]["next"] and found(ids[0]) == ["hostkey-missing"]' \
    --root "$R"
explain "DSA-only server, 10.0 client: its version, no DSA workaround" \
    10-dsa-offered.log \
    'assert ids == ["no-hostkey-type"] and d["client"]["version"].startswith("OpenSSH_10.0p2") and "+ssh-dss" not in c[ids[0]]["next"] and found(ids[0]) == ["hostkey-missing"]' \
    --root "$R"
run --explain "$LOGS/10-dsa-offered.log" --root "$R"
check "DSA-only server, 10.0 client, text: the client's version" \
    sh -c 'printf "%s" "$1" | grep -qF "explain: client OpenSSH_10.0p2, OpenSSL"' \
    _ "$OUT"
echo "1..$N"
