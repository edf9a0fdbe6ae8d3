#!/bin/sh
# key-offered: "is my key accepted?" -- the key given with
# --authorized-key, judged for the account before anything is installed:
# registered or not (and what is registered instead), refused by its type
# for this sshd, revoked by RevokedKeys. Only a key sshd would not accept
# is installed, and only that one.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

not() { ! "$@"; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
ssh-keygen -q -t ed25519 -N '' -C alice@laptop -f "$T/new"
FP=$(ssh-keygen -lf "$T/new.pub" | cut -d' ' -f2)
OLDFP=$(ssh-keygen -lf "$KEYS/user_key.pub" | cut -d' ' -f2)
adds() {	# adds: the number of add-key actions in the last JSON
	printf '%s' "$OUT" | grep -o '"type":"add-key"' | wc -l
}

R="$T/wrong"; mkroot "$R"
diagnose "$R" --user alice --authorized-key "$T/new.pub"
check "a key alice's file does not hold: key-offered, exit 1, nothing changed" \
    sh -c "[ $RC -eq 1 ] && [ \"\$(echo '$(ids)')\" = key-offered ] &&
    [ $UNCHANGED -eq 0 ]"
jscheck "... JSON: its fingerprint (as ssh-keygen -l), what is there instead, one add-key" \
    'f["key-offered"]["subject"] == "alice" and
    "'"$FP"' alice@laptop is not in" in f["key-offered"]["message"] and
    "ED25519 '"$OLDFP"' test (/home/alice/.ssh/authorized_keys:1)" in f["key-offered"]["message"] and
    f["key-offered"]["logline"].endswith("ssh2: ED25519 '"$FP"'") and
    [a["type"] for a in f["key-offered"]["actions"]] == ["add-key"] and
    acc["alice"]["verdict"] == "refused" and
    acc["alice"]["reasons"][0]["finding"] == "key-offered"'
cycle "wrong key" "$R" --user alice --authorized-key "$T/new.pub"

# The registered key: accepted, nothing to do.
R="$T/right"; mkroot "$R"
diagnose "$R" --user alice --authorized-key "$KEYS/user_key.pub"
check "the key alice's file holds: clean, exit 0" \
    sh -c "[ $RC -eq 0 ] && [ -z '$(ids)' ]"

# Two keys given, one there: only the other is installed.
cat "$KEYS/user_key.pub" "$T/new.pub" >"$T/both.pub"
diagnose "$R" --user alice --authorized-key "$T/both.pub"
check "two keys given, one registered: one finding, one add-key" \
    sh -c "[ \"\$(echo '$(ids)')\" = key-offered ] && [ $(adds) -eq 1 ]"
jscheck "... for the missing one" \
    '"'"$FP"'" in f["key-offered"]["message"]'

# Revoked: advice, never installed, never taken out of RevokedKeys.
cp "$T/new.pub" "$R/etc/ssh/revoked"
echo 'RevokedKeys /etc/ssh/revoked' >"$R/etc/ssh/sshd_config.d/60-rev.conf"
diagnose "$R" --user alice --authorized-key "$T/new.pub"
jscheck "a key RevokedKeys lists: key-offered with sshd's line, advice only" \
    'f["key-offered"]["logline"] == "Authentication key ED25519 '"$FP"' revoked by file /etc/ssh/revoked" and
    [a["type"] for a in f["key-offered"]["actions"]] == ["manual"]'
# A RevokedKeys file that does not exist: sshd takes no key at all.
echo 'RevokedKeys /etc/ssh/revoked.gone' \
    >"$R/etc/ssh/sshd_config.d/60-rev.conf"
diagnose "$R" --user alice --authorized-key "$T/new.pub"
jscheck "RevokedKeys missing: one key-refused about the file, no add-key" \
    'f["key-refused"]["subject"] == "/etc/ssh/revoked.gone" and
    f["key-refused"]["logline"].startswith("Error checking authentication key ED25519 ") and
    not any(a["type"] == "add-key" for g in d["findings"] for a in g["actions"])'
# A KRL (ssh-keygen -k): judged by the host's ssh-keygen -Q.
ssh-keygen -q -k -f "$R/etc/ssh/revoked.krl" "$T/new.pub"
echo 'RevokedKeys /etc/ssh/revoked.krl' \
    >"$R/etc/ssh/sshd_config.d/60-rev.conf"
diagnose "$R" --user alice --authorized-key "$T/new.pub"
jscheck "a KRL revoking the key: key-offered with sshd's line, advice only" \
    'f["key-offered"]["logline"] == "Authentication key ED25519 '"$FP"' revoked by file /etc/ssh/revoked.krl" and
    [a["type"] for a in f["key-offered"]["actions"]] == ["manual"]'
diagnose "$R" --user alice
check "a KRL revoking another key: alice's own key is fine" no_ids
check "a KRL revoking another key: no cannot-tell note" not out_has 'cannot tell whether RevokedKeys'
cut -d' ' -f1,2 "$R/home/alice/.ssh/authorized_keys" >"$T/alice.pub"
rm "$R/etc/ssh/revoked.krl"
ssh-keygen -q -k -f "$R/etc/ssh/revoked.krl" "$T/alice.pub"
diagnose "$R" --user alice
jscheck "a KRL revoking alice's key: key-refused on her line" \
    'f["key-refused"]["logline"].startswith("Authentication key ED25519 ") and
    f["key-refused"]["logline"].endswith(" revoked by file /etc/ssh/revoked.krl")'
printf 'SSHKRL\n\0not a KRL' >"$R/etc/ssh/revoked.krl"
diagnose "$R" --user alice --authorized-key "$T/new.pub"
jscheck "a KRL that cannot be read: one key-refused about it, sshd's error, no add-key" \
    'f["key-refused"]["subject"] == "/etc/ssh/revoked.krl" and
    f["key-refused"]["logline"].endswith("in revoked keys file /etc/ssh/revoked.krl: invalid format") and
    not any(a["type"] == "add-key" for g in d["findings"] for a in g["actions"])'
check "a KRL that cannot be read: unchanged" [ "$UNCHANGED" -eq 0 ]
rm "$R/etc/ssh/sshd_config.d/60-rev.conf"

# A KRL and more accounts than it keeps answers for: each key is judged
# once and kept, so every verdict stays the same across the detectors
# that ask (each key asked several times); none revoked, none in doubt.
R="$T/krlmany"; mkroot "$R"
ssh-keygen -q -k -f "$R/etc/ssh/revoked.krl" "$T/new.pub"
echo 'RevokedKeys /etc/ssh/revoked.krl' >"$R/etc/ssh/sshd_config.d/60-rev.conf"
i=1
while [ $i -le 24 ]; do
	u=u$i
	echo "$u:x:$((2000 + i)):$((2000 + i)):$u:/home/$u:/bin/sh" >>"$R/etc/passwd"
	echo "$u:x:$((2000 + i)):" >>"$R/etc/group"
	echo "$u:*:19000:0:99999:7:::" >>"$R/etc/shadow"
	mkdir -p "$R/home/$u/.ssh"
	ssh-keygen -q -t ed25519 -N '' -C "$u" -f "$T/k$u"
	cp "$T/k$u.pub" "$R/home/$u/.ssh/authorized_keys"
	chown -R "$((2000 + i)):$((2000 + i))" "$R/home/$u"
	chmod 0700 "$R/home/$u/.ssh"
	i=$((i + 1))
done
diagnose "$R"
check "a KRL, 24 keys of 24 accounts: no finding" no_ids
check "a KRL, 24 keys of 24 accounts: no cannot-tell about it" \
    not out_has 'whether RevokedKeys'

# A type this sshd (OpenSSH 9.2, no DSA by default) refuses: advice.
R="$T/dsa"; mkroot "$R"
DSA="ssh-dss AAAAB3NzaC1kc3MAAACBAP1/U4EddRIpUt9KnC7s5Of2EbdSPO9EAMMeP4C2USZpRV1AIlH7WT2NWPq/xfW6MPbLm1Vs14E7gB00b/JmYLdrmVClpJ+f6AR7ECLCT7up1/63xhv4O1fnxqimFQ8E+4P208UewwI1VBNaFpEy9nXzrith1yrv8iIDGZ3RSAHHAAAAFQCXYFCPFSMLzLKSuYKi64QL8Fgc9QAAAIEA9+GghdabPd7LvKtcNrhXuXmUr7v6OuqC+VdMCz0HgmdRWVeOutRZT+ZxBxCBgLRJFnEj6EwoFhO3zwkyjMim4TwWeotUfI0o4KOuHiuzpnWRbqN/C/ohNWLx+2J6ASQ7zKTxvqhRkImog9/hWuWfBpKLZl6Ae1UlZAFMO/7PSSoAAACBAKKSU2PFl/qOLxIwmBZPPIcJshVe7bVUpFvyl3BbJDow8rXfskl8wO63OzP/qLmcJM0+JbcRU/53JjTuyk31drV2qxhIOsLDC9ru1c0g2GGYGvxS7A9KmmkUdvSgqwRU8iTQ7W1u5uwpkXtUE8Sr4a0wrBd6+hG/ugkf0Vt0gAAX x@y"
diagnose "$R" --user alice --authorized-key "$DSA"
jscheck "a DSA key for OpenSSH 9.2: refused by type, advice, no add-key" \
    'f["key-offered"]["message"].startswith("your DSA key") and
    "would be refused even if installed" in f["key-offered"]["message"] and
    [a["type"] for a in f["key-offered"]["actions"]] == ["manual"]'

# No way in at all: auth-lockout installs the key; key-offered is silent
# (one add-key, not two).
R="$T/locked"; mkroot "$R"
: >"$R/home/alice/.ssh/authorized_keys"
diagnose "$R" --user alice --authorized-key "$T/new.pub"
check "alice has no key: auth-lockout installs it, key-offered silent" \
    sh -c "[ \"\$(echo '$(ids)')\" = auth-lockout ] && [ $(adds) -eq 1 ]"

# Keys sshfix cannot see (AuthorizedKeysCommand): no verdict on the key.
R="$T/akc"; mkroot "$R"
printf 'AuthorizedKeysCommand /usr/local/bin/keys %%u\nAuthorizedKeysCommandUser nobody\n' \
    >"$R/etc/ssh/sshd_config.d/50-akc.conf"
diagnose "$R" --user alice --authorized-key "$T/new.pub"
check "keys from AuthorizedKeysCommand: no key-offered" \
    sh -c "! echo '$(ids)' | grep -qx key-offered"

# A key pasted in the RFC 4716 format (PuTTYgen's "Save public key",
# ssh-keygen -e): sshd reads none of its lines; key-refused names the
# format and converts the block to the one OpenSSH line, its comment kept.
R="$T/rfc4716"; mkroot "$R"
ssh-keygen -e -f "$KEYS/user_key.pub" >"$R/home/alice/.ssh/authorized_keys"
diagnose "$R" --user alice
jscheck "an RFC 4716 block: key-refused names the format, one join-key to the OpenSSH line" \
    'f["key-refused"]["subject"] == "/home/alice/.ssh/authorized_keys:1" and
    "RFC 4716 format" in f["key-refused"]["message"] and
    [a["type"] for a in f["key-refused"]["actions"]] == ["join-key"] and
    f["key-refused"]["actions"][0]["new"].startswith("'"$(cut -d' ' -f1-2 "$KEYS/user_key.pub")"' ") and
    f["key-refused"]["actions"][0]["lines"] == 4'
cycle "RFC 4716 block" "$R" --user alice
# A block whose base64 is cut short: not converted (no key to make).
R="$T/rfc4716bad"; mkroot "$R"
ssh-keygen -e -f "$KEYS/user_key.pub" | sed '3s/.........$//' \
    >"$R/home/alice/.ssh/authorized_keys"
diagnose "$R" --user alice
check "an RFC 4716 block cut short: no join-key" \
    sh -c "! printf '%s' \"\$0\" | grep -q '\"type\":\"join-key\"'" "$OUT"

echo "1..$N"
