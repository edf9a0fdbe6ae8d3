# Who is locked out, proved against the real sshd (see lib.sh): without
# --user, sshfix finds the person's account from the evidence on the disk
# and the system accounts real roots carry (sync, shutdown, halt: a shell,
# no key, no password) never count as a way in; --apply lets the person
# in, --rollback shuts them out again. A deliberately denied account that
# no evidence names is reported and left alone. A keys file behind a
# symlink is judged along its real path, as sshd does.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in "DenyUsers root with sync" "PermitRootLogin no with sync" \
	    "cloud image" "cloud stub for root" "log evidence" \
	    "deliberate DenyUsers bob" \
	    "keys behind a link" "wrong key" "wrong key --explain" \
	    "revoked key"; do
		skip "e2e people $s" "$why"
	done
	echo "1..$N"
	exit 0
fi

# rootonly NAME CONFIG: only root has a key; the system accounts.
rootonly() {
	R="$T/$1"; sandbox "$R"; sysaccounts "$R"
	rm "$R/home/alice/.ssh/authorized_keys"
	printf '%s\n' "$2" >"$R/etc/ssh/sshd_config.d/50-local.conf"
}

rootonly denyroot 'DenyUsers root'
scenario "DenyUsers root with sync, no --user" "$R" root key \
    "User root from 127.0.0.1 not allowed because listed in DenyUsers" \
    access-list
rootonly prlno 'PermitRootLogin no'
scenario "PermitRootLogin no with sync, no --user" "$R" root key \
    "ROOT LOGIN REFUSED" auth-lockout

# A cloud image: admin's authorized_keys emptied, password login off,
# root's only key cloud-init's stub. No --user: cloud-init names admin;
# the key given is installed for admin.
R="$T/cloud"; sandbox "$R"; cloudimg "$R" "$CKEY.pub"
mkdir -p "$R/etc/cloud"
printf 'disable_root: true\nsystem_info:\n  default_user:\n    name: admin\n' \
    >"$R/etc/cloud/cloud.cfg"
attempt "$R" root key
check "cloud stub for root: the real sshd runs the stub, the session fails" \
    sh -c "[ $LOGIN -eq 142 ]"
scenario "cloud image" "$R" admin key \
    "Connection closed by authenticating user admin" auth-lockout \
    --authorized-key "$CKEY.pub"

# The evidence is the real sshd's own refusal: AllowUsers root shuts
# alice out; her failed login's log line, framed as rsyslog writes
# auth.log, is on the disk. No --user: the log names alice.
R="$T/logged"; sandbox "$R"
printf 'AllowUsers root\n' >"$R/etc/ssh/sshd_config.d/50-local.conf"
attempt "$R" alice key
check "log evidence: the real sshd refuses alice" \
    log_has "User alice from 127.0.0.1 not allowed because not listed in AllowUsers"
mkdir -p "$R/var/log"
printf '%s\n' "$LOG" | grep -F 'alice' |
    sed 's/^/2026-12-01T08:00:00.123456+00:00 web1 sshd[4242]: /' \
    >"$R/var/log/auth.log"
scenario "log evidence, no --user" "$R" alice key \
    "User alice from 127.0.0.1 not allowed because not listed in AllowUsers" \
    access-list
run --root "$R" --json
check "log evidence: the table names alice as the person's, from sshd's log" \
    out_has '"name":"alice","uid":1000,"verdict":"refused","target":true'

# bob refused on purpose; alice gets in. Nothing names bob: no change.
R="$T/deliberate"; sandbox "$R"
cp -a "$R/home/alice/.ssh" "$R/home/bob/"
chown -R 1001:1001 "$R/home/bob/.ssh"
printf 'DenyUsers bob\n' >"$R/etc/ssh/sshd_config.d/50-local.conf"
run --root "$R" --apply --json
check "deliberate DenyUsers bob: --apply changes nothing (exit 0)" sh -c \
    "[ $RC -eq 0 ] && grep -qx 'DenyUsers bob' '$R/etc/ssh/sshd_config.d/50-local.conf'"
attempt "$R" bob key
check "deliberate DenyUsers bob: the real sshd still refuses bob" \
    log_has "User bob from 127.0.0.1 not allowed because listed in DenyUsers"
attempt "$R" alice key
check "deliberate DenyUsers bob: alice gets in" logged_in

# alice's keys in /srv/keys through her symlink; the directory 0777.
R="$T/link"; sandbox "$R"
mkdir -p "$R/srv/keys"
mv "$R/home/alice/.ssh/authorized_keys" "$R/srv/keys/alice"
ln -s /srv/keys/alice "$R/home/alice/.ssh/authorized_keys"
chown -h 1000:1000 "$R/home/alice/.ssh/authorized_keys"
chmod 0777 "$R/srv/keys"
export E2E_MOUNTS=srv
scenario "keys behind a link" "$R" alice key \
    "bad ownership or modes for directory /srv/keys" sshdir-perms \
    --user alice
unset E2E_MOUNTS

# "Is my key accepted?": alice's file holds another key; the one given
# with --authorized-key (the client's) is refused, with the fingerprint
# sshd logs (at LogLevel VERBOSE, as for key-refused); --apply installs
# exactly it.
FP=$(ssh-keygen -lf "$CKEY.pub" | cut -d' ' -f2)
ssh-keygen -q -t ed25519 -N '' -C other@desk -f "$T/other_key"
R="$T/wrongkey"; sandbox "$R"
cp "$T/other_key.pub" "$R/home/alice/.ssh/authorized_keys"
echo 'LogLevel VERBOSE' >"$R/etc/ssh/sshd_config.d/00-log.conf"
scenario "wrong key" "$R" alice key \
    "Failed publickey for alice from 127.0.0.1 port" key-offered \
    --user alice --authorized-key "$CKEY.pub"
check "wrong key: sshd logs the fingerprint sshfix names" \
    log_has "ssh2: ED25519 $FP"
run --root "$R" --json --user alice --authorized-key "$CKEY.pub"
check "wrong key: the finding names that fingerprint and the other key" \
    sh -c "printf '%s' \"\$0\" | grep -q 'your ED25519 key $FP' &&
    printf '%s' \"\$0\" | grep -q 'other@desk'" "$OUT"

# The client's own ssh -v against the real sshd, given to --explain with
# the root: the fingerprint it offered is not alice's.
cp "$T/other_key.pub" "$R/home/alice/.ssh/authorized_keys"
E2E_SSH_OPTS=-v attempt "$R" alice key
cp "$T/attempt.out" "$T/client.log"
run --explain "$T/client.log" --root "$R"
check "wrong key: --explain with the root names the offered key" \
    out_reads "the key your client offered (ED25519 $FP) is not in alice's"

# The key is in RevokedKeys: sshd refuses it with its own line.
R="$T/revoked"; sandbox "$R"
cp "$CKEY.pub" "$R/etc/ssh/revoked_keys"
echo 'RevokedKeys /etc/ssh/revoked_keys' >"$R/etc/ssh/sshd_config.d/50-rev.conf"
attempt "$R" alice key
check "revoked key: login fails" refused
check "revoked key: sshd logs the revocation" \
    log_has "Authentication key ED25519 $FP revoked by file /etc/ssh/revoked_keys"
run --root "$R" --json --user alice --authorized-key "$CKEY.pub"
check "revoked key: sshd's line (key-refused, the line there), no key installed" sh -c \
    "printf '%s' \"\$0\" | grep -q 'Authentication key ED25519 $FP revoked by file /etc/ssh/revoked_keys' &&
    ! printf '%s' \"\$0\" | grep -q '\"type\":\"add-key\"'" "$OUT"

echo "1..$N"
