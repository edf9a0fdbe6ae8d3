#!/bin/sh
# Symlinks on the way to authorized keys: sshd opens the file as the user
# and follows every link; sshfix follows them too, inside the root (an
# absolute link restarts at the root, ".." stops there), with the user's
# credentials (it reads nothing the user could not), and judges
# StrictModes along the file's real path (misc.c safe_path).
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
AK=home/alice/.ssh/authorized_keys
# linked DIR TARGET: alice's authorized_keys is her symlink to TARGET.
linked() {
	rm -f "$1/$AK"
	ln -s "$2" "$1/$AK"
	chown -h 1000:1000 "$1/$AK"
}
# keyfile DIR PATH OWNER MODE: alice's key at PATH inside DIR.
keyfile() {
	mkdir -p "$1$(dirname "$2")"
	cp "$KEYS/user_key.pub" "$1$2"
	chown "$3" "$1$2"
	chmod "$4" "$1$2"
}

# Her keys kept in /srv/keys, as a configuration-management tool does.
R="$T/srv"; mkroot "$R"; keyfile "$R" /srv/keys/alice 1000 0644
linked "$R" /srv/keys/alice
diagnose "$R" --user alice
check "link to /srv/keys/alice (sound modes): exit 0, nothing changed" \
    sh -c "[ $RC -eq 0 ] && [ $UNCHANGED -eq 0 ]"
jscheck "... JSON: alice ok by publickey" \
    'acc["alice"]["verdict"] == "ok" and acc["alice"]["methods"] == "publickey"'

# The directory of the real file world-writable: sshd refuses ("bad
# ownership or modes for directory /srv/keys"); the repair is that
# directory's mode, not the link.
chmod 0777 "$R/srv/keys"
diagnose "$R" --user alice
jscheck "/srv/keys 0777 behind the link: sshdir-perms on /srv/keys, chmod 0755" \
    'f["sshdir-perms"]["subject"] == "/srv/keys" and
    "bad ownership or modes for directory /srv/keys" in f["sshdir-perms"]["logline"] and
    [a["to"] for a in f["sshdir-perms"]["actions"] if a["type"] == "chmod"] == ["0755"] and
    acc["alice"]["verdict"] == "refused"'
cycle "/srv/keys 0777 behind the link" "$R" --user alice

# The real file is root's 0600: alice (sshd reads as her) cannot read it.
R="$T/unreadable"; mkroot "$R"; keyfile "$R" /srv/keys/alice 0 0600
linked "$R" /srv/keys/alice
diagnose "$R" --user alice
check "link to a file alice cannot read: auth-lockout, exit 1" \
    sh -c "[ $RC -eq 1 ] && echo '$(ids)' | grep -qx auth-lockout"
check "... says why" out_has 'a link sshd follows to a file the user cannot read'

# A link that points out of the root: followed inside it, never outside.
mkdir -p "$T/outside"
cp "$KEYS/user_key.pub" "$T/outside/keys"
chmod 0644 "$T/outside/keys"
R="$T/escape"; mkroot "$R"; linked "$R" "$T/outside/keys"
diagnose "$R" --user alice
check "absolute link to a file outside the root: not read, alice has no key" \
    sh -c "[ $RC -eq 1 ] && echo '$(ids)' | grep -qx auth-lockout"
linked "$R" ../../../../../../../../../../../outside/keys
diagnose "$R" --user alice
check "'..' link climbing out of the root: stops at the root, no key" \
    sh -c "[ $RC -eq 1 ] && echo '$(ids)' | grep -qx auth-lockout"

# ~/.ssh itself a link of alice's, to a directory she owns.
R="$T/dotssh"; mkroot "$R"
mkdir -p "$R/data"
mv "$R/home/alice/.ssh" "$R/data/alice-ssh"
ln -s /data/alice-ssh "$R/home/alice/.ssh"
chown -h 1000:1000 "$R/home/alice/.ssh"
diagnose "$R" --user alice
jscheck "~/.ssh a link to /data/alice-ssh: alice ok, exit 0" \
    'd["result"] == "clean" and acc["alice"]["verdict"] == "ok"'

# A FIFO at the end of the link: never opened for reading, no hang.
R="$T/fifo"; mkroot "$R"; mkfifo "$R/srv-fifo"; linked "$R" /srv-fifo
state "$R" >"$T/before"
timeout 20 "$SSHFIX" --root "$R" --user alice --json >"$T/out" 2>"$T/err"
RC=$?
OUT=$(cat "$T/out")
check "link to a FIFO: no hang, no key from it (auth-lockout)" \
    sh -c "[ $RC -eq 1 ] && echo '$(ids)' | grep -qx auth-lockout"

# The link leads to an empty file, and a key is given: sshfix writes
# through no link, so the plan is advice and --apply changes nothing.
R="$T/addkey"; mkroot "$R"; mkdir -p "$R/srv/keys"; : >"$R/srv/keys/alice"
chown 1000:1000 "$R/srv/keys/alice"; linked "$R" /srv/keys/alice
diagnose "$R" --user alice --authorized-key "$KEYS/user_key.pub"
jscheck "a key for a linked, empty keys file: advice, no add-key" \
    'f["auth-lockout"]["subject"] == "alice" and
    not any(a["type"] == "add-key" for a in f["auth-lockout"]["actions"]) and
    any("reached through a symbolic link" in a["description"] and
        "ls -l " + d["root"] + "/home/alice/.ssh/authorized_keys" in a["description"]
        for a in f["auth-lockout"]["actions"])'
tree "$R" >"$T/k0"
run --root "$R" --user alice --authorized-key "$KEYS/user_key.pub" --apply
tree "$R" >"$T/k1"
check "... --apply writes nothing through the link (exit 1)" \
    sh -c "[ $RC -eq 1 ] && cmp -s '$T/k0' '$T/k1' && [ ! -s '$R/srv/keys/alice' ]"

echo "1..$N"
