# key-refused and chroot-perms against the real sshd (see lib.sh): each
# fault refuses alice's login with the line sshfix names; the repairs
# (a re-joined key, chmod go-w on a chroot component) let her in, and
# rollback brings the refusal back. Controls sshd accepts stay clean.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in "wrapped key" "RFC 4716 block" "from= another network" "expiry-time past" \
	    "chroot owned by the user" "chroot component group-writable" \
	    "control from=127.0.0.1" "control central AuthorizedKeysFile" \
	    "control CRLF"; do
		skip "e2e keys $s" "$why"
	done
	exit 0
fi

PUB=$(cat "$CKEY.pub")
TYP=${PUB%% *}; REST=${PUB#* }; B64=${REST%% *}
HEAD=${B64%????????????????????}; TAIL=${B64#"$HEAD"}
AKP=/home/alice/.ssh/authorized_keys

keys() {	# keys NAME FORMAT ARGS...: alice's authorized_keys, printf'd
	R="$T/$1"; sandbox "$R"
	shift
	printf "$@" >"$R$AKP"
	chown 1000:1000 "$R$AKP"
}

# The key wrapped over two lines: --apply re-joins it, rollback restores
# the wrapped bytes. sshd logs the failure at LogLevel VERBOSE.
keys wrap '%s %s\n%s e2e\n' "$TYP" "$HEAD" "$TAIL"
echo 'LogLevel VERBOSE' >"$R/etc/ssh/sshd_config.d/00-log.conf"
cp "$R$AKP" "$T/wrap.orig"
scenario "wrapped key" "$R" alice key \
    "Failed publickey for alice from 127.0.0.1" key-refused \
    --user alice --from 127.0.0.1
check "wrapped key: rollback restored the wrapped bytes" \
    cmp -s "$R$AKP" "$T/wrap.orig"

# The key in the RFC 4716 format (PuTTYgen, ssh-keygen -e): sshd reads
# none of its lines; --apply converts it to the OpenSSH line.
R="$T/rfc4716"; sandbox "$R"
ssh-keygen -e -f "$CKEY.pub" >"$R$AKP"
echo 'LogLevel VERBOSE' >"$R/etc/ssh/sshd_config.d/00-log.conf"
scenario "RFC 4716 block" "$R" alice key \
    "Failed publickey for alice from 127.0.0.1" key-refused \
    --user alice --from 127.0.0.1

# from= another network: refused with sshd's line, reported as sshfix
# names it, advice only.
keys from 'from="10.0.0.0/8" %s\n' "$PUB"
refused_as "from=10/8" key-refused \
    "$AKP:1: Authentication tried for alice with correct key but not from a permitted host (host=127.0.0.1, ip=127.0.0.1, required=10.0.0.0/8)."

# expiry-time in the past (the line is logged at LogLevel DEBUG).
keys expiry 'expiry-time="20200101" %s\n' "$PUB"
echo 'LogLevel DEBUG' >"$R/etc/ssh/sshd_config.d/00-log.conf"
refused_as "expiry-time past" key-refused \
    "$AKP:1: entry expired at 2020-01-01T00:00:00"

# ChrootDirectory %h: alice owns it. A manual step, nothing changed.
R="$T/chhome"; sandbox "$R"
echo 'ChrootDirectory %h' >"$R/etc/ssh/sshd_config.d/10-c.conf"
refused_as "chroot owned by the user" chroot-perms \
    'bad ownership or modes for chroot directory "/home/alice"'
check "chroot owned by the user: the manual step" \
    out_has "chown root:root $R/home/alice; chmod 755 $R/home/alice"

# A chroot component root owns but its group may write: chmod go-w. The
# chroot holds the shell alice's login runs (bash and its libraries).
R="$T/chcomp"; sandbox "$R"
C="$R/home/jail/alice"
for f in /bin/bash $(ldd /bin/bash | grep -o '/[^ ]*'); do
	mkdir -p "$C$(dirname "$f")"
	cp -L "$f" "$C$f"
done
chmod 0775 "$R/home/jail"
printf 'Match User alice\n\tChrootDirectory /home/jail/%%u\n' \
    >"$R/etc/ssh/sshd_config.d/10-c.conf"
scenario "chroot component group-writable" "$R" alice key \
    'bad ownership or modes for chroot directory component "/home/jail/"' \
    chroot-perms --user alice --from 127.0.0.1

# Controls: sshd lets alice in, and sshfix finds nothing.
control() {	# control NAME: the sandbox $R as it is
	attempt "$R" alice key
	check "control $1: sshd lets alice in" logged_in
	run --root "$R" --dry-run --json --user alice --from 127.0.0.1
	check "control $1: sshfix finds nothing" no_ids
}
keys fromok 'from="127.0.0.1" %s\n' "$PUB"
control "from=127.0.0.1"
R="$T/central"; sandbox "$R"
mkdir -m 0755 "$R/etc/ssh/authorized_keys"
mv "$R$AKP" "$R/etc/ssh/authorized_keys/alice"
chown 0:0 "$R/etc/ssh/authorized_keys/alice"
chmod 0644 "$R/etc/ssh/authorized_keys/alice"
echo 'AuthorizedKeysFile /etc/ssh/authorized_keys/%u' \
    >"$R/etc/ssh/sshd_config.d/10-ak.conf"
control "central AuthorizedKeysFile"
keys crlf '%s\r\n' "$PUB"
control "CRLF"
