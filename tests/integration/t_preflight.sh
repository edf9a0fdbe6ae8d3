#!/bin/sh
# --preflight CANDIDATE [--as PATH]: would sshd start, and would every
# account that gets in now still get in, if CANDIDATE replaced PATH? Judged
# on fake roots (the real sshd judges the same cases in tests/e2e); the
# target is never changed.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

R="$T/root"
mkroot "$R"
C="$T/cand"
mkdir "$C"
DROPIN=/etc/ssh/sshd_config.d/60-new.conf

# pf ARGS...: sshfix --root R --preflight ARGS, which must leave R as it was.
pf() {
	state "$R" >"$T/s0"
	run --root "$R" --preflight "$@"
	state "$R" >"$T/s1"
	cmp -s "$T/s0" "$T/s1"
	SAME=$?
	# The report, wherever it went (a refusal: stderr; safe: stdout).
	STDOUT=$OUT
	OUT=$OUT$ERR
}
first() { printf '%s\n' "$OUT" | sed -n 1p; }
lines() { printf '%s\n' "$OUT" | grep -c .; }
main_plus() { cat "$R/etc/ssh/sshd_config" >"$C/$1"; printf "$2" >>"$C/$1"; }

# A benign change of the main file.
sed 's/^PrintMotd no/PrintMotd yes/' "$R/etc/ssh/sshd_config" >"$C/benign"
pf "$C/benign"
check "benign main-file change: exit 0" [ "$RC" -eq 0 ]
check "benign: one line, safe, names who still gets in" [ "$(lines)" -eq 1 ]
check "benign: the line" [ "$(first)" = \
    "sshfix: preflight: safe: sshd would start; still get in: root (publickey), alice (publickey)" ]
check "benign: the target is unchanged" [ "$SAME" -eq 0 ]

# A benign new drop-in (the file does not exist yet).
printf 'ClientAliveInterval 60\n' >"$C/alive.conf"
pf "$C/alive.conf" --as "$DROPIN" --json
check "benign new drop-in: exit 0, read through the Include" sh -c \
    "[ $RC -eq 0 ] && printf '%s' \"\$0\" | grep -qF '\"safe\":true' &&
    printf '%s' \"\$0\" | grep -qF '\"read\":true'" "$OUT"
check "new drop-in: not created" [ ! -e "$R$DROPIN" ]

# AllowUsers without the account: both accounts that get in now lose it.
main_plus allow 'AllowUsers bob\n'
pf "$C/allow"
check "AllowUsers bob: exit 1" [ "$RC" -eq 1 ]
check "AllowUsers: first line self-contained, with CANDIDATE:line: text" \
    [ "$(first)" = "sshfix: preflight: root: publickey accepted -> refused: not listed in AllowUsers ($C/allow:8: AllowUsers bob)" ]
check "AllowUsers: one line per account locked out (root, alice; not bob, who is out today)" \
    sh -c "[ $(lines) -eq 2 ] && printf '%s\n' \"\$0\" | sed -n 2p | grep -q '^sshfix: preflight: alice: publickey accepted -> refused: not listed in AllowUsers'" "$OUT"
check "AllowUsers: the target is unchanged" [ "$SAME" -eq 0 ]
check "AllowUsers: the refusal on stderr (what validators show), stdout empty" \
    sh -c '[ -z "$1" ] && printf "%s" "$2" | grep -q "^sshfix: preflight: root: "' \
    _ "$STDOUT" "$ERR"
pf "$C/allow" --json
check "AllowUsers --json: the same as data" sh -c "[ $RC -eq 1 ] &&
    printf '%s' \"\$0\" | grep -qF '\"mode\":\"preflight\",' &&
    printf '%s' \"\$0\" | grep -qF '\"safe\":false,\"candidate\":\"$C/allow\",\"as\":\"/etc/ssh/sshd_config\"' &&
    printf '%s' \"\$0\" | grep -qF '\"result\":\"unsafe\",\"error\":null}' &&
    printf '%s' \"\$0\" | grep -qF '{\"user\":\"alice\",\"before\":\"publickey\",\"after\":\"refused\",\"must\":true,\"locked_out\":true,\"reason\":\"not listed in AllowUsers\",\"line\":\"$C/allow:8: AllowUsers bob\"}' &&
    printf '%s' \"\$0\" | grep -qF '\"start\":{\"ok\":true,\"error\":null}'" "$OUT"
check "--json: one well-formed document" sh -c \
    "printf '%s' \"\$0\" | python3 -m json.tool >/dev/null" "$OUT"

# --user: only those accounts must get in (and must, even if out today).
main_plus allowa 'AllowUsers alice\n'
pf "$C/allowa" --user alice
check "AllowUsers alice, --user alice: exit 0" [ "$RC" -eq 0 ]
pf "$C/allowa"
check "AllowUsers alice without --user: root is locked out, exit 1" sh -c \
    "[ $RC -eq 1 ] && [ $(lines) -eq 1 ] && printf '%s' \"\$0\" | grep -q '^sshfix: preflight: root: '" "$OUT"
pf "$C/benign" --user bob
check "--user bob (no key today): exit 1, refused now and after" sh -c \
    "[ $RC -eq 1 ] && printf '%s' \"\$0\" | grep -q '^sshfix: preflight: bob: refused now and after: '" "$OUT"

# PubkeyAuthentication off in a new drop-in.
printf 'PubkeyAuthentication no\n' >"$C/nokeys.conf"
pf "$C/nokeys.conf" --as "$DROPIN"
check "PubkeyAuthentication no in a drop-in: exit 1, the line of CANDIDATE" \
    sh -c "[ $RC -eq 1 ] && [ \"\$(printf '%s\n' \"\$0\" | sed -n 2p)\" = 'sshfix: preflight: alice: publickey accepted -> refused: no usable key and no usable password login ($C/nokeys.conf:1: PubkeyAuthentication no)' ]" "$OUT"
check "the drop-in: the target is unchanged" [ "$SAME" -eq 0 ]

# The same lines where no Include reads the path: nothing changes.
pf "$C/nokeys.conf" --as /etc/ssh/unread.conf --json
check "a path no Include reads: safe, read false" sh -c "[ $RC -eq 0 ] &&
    printf '%s' \"\$0\" | grep -qF '\"read\":false'" "$OUT"

# PasswordAuthentication no where keys exist: safe.
printf 'PasswordAuthentication no\n' >"$C/nopw.conf"
pf "$C/nopw.conf" --as "$DROPIN"
check "PasswordAuthentication no with keys: exit 0" [ "$RC" -eq 0 ]
# ... and where the only way in is a password: not.
L="$T/lock"
(lockout "$L")	# a subshell: mkroot sets R
rm "$L/etc/ssh/sshd_config.d/50-cloud-init.conf"
state "$L" >"$T/l0"
run --root "$L" --preflight "$C/nopw.conf" --as "$DROPIN"
check "PasswordAuthentication no, passwords only: exit 1, password accepted -> refused" \
    sh -c "[ $RC -eq 1 ] && printf '%s' \"\$0\" | grep -qF 'alice: password accepted -> refused: '" "$ERR"
check "... naming the line" err_has "($C/nopw.conf:1: PasswordAuthentication no)"
state "$L" >"$T/l1"
check "... the target is unchanged" cmp -s "$T/l0" "$T/l1"

# A Match Group that turns keys off: alice only.
printf 'Match Group alice\n\tPubkeyAuthentication no\n' >"$C/match.conf"
pf "$C/match.conf" --as "$DROPIN"
check "Match Group alice, keys off: exit 1, alice only" sh -c "[ $RC -eq 1 ] &&
    [ \"\$0\" = 'sshfix: preflight: alice: publickey accepted -> refused: no usable key and no usable password login ($C/match.conf:2: PubkeyAuthentication no)' ]" "$OUT"

# A misspelled keyword: sshd would not start.
printf 'PaswordAuthentication no\n' >"$C/typo.conf"
pf "$C/typo.conf" --as "$DROPIN"
check "misspelled keyword: exit 1, sshd would not start, CANDIDATE:line" \
    sh -c "[ $RC -eq 1 ] && [ \"\$0\" = 'sshfix: preflight: sshd would not start: $C/typo.conf:1: Bad configuration option: PaswordAuthentication' ]" "$OUT"
pf "$C/typo.conf" --as "$DROPIN" --json
check "misspelled keyword --json: start ok false, the error" out_has \
    "\"start\":{\"ok\":false,\"error\":\"$C/typo.conf:1: Bad configuration option: PaswordAuthentication\"}"
main_plus typo 'UsePAM yes\nPaswordAuthentication no\n'
pf "$C/typo"
check "misspelled keyword in the main file: its line" sh -c "[ $RC -eq 1 ] &&
    [ \"\$0\" = 'sshfix: preflight: sshd would not start: $C/typo:9: Bad configuration option: PaswordAuthentication' ]" "$OUT"

# AuthenticationMethods needing two methods the accounts cannot do.
printf 'AuthenticationMethods publickey,password\n' >"$C/two.conf"
pf "$C/two.conf" --as "$DROPIN"
check "AuthenticationMethods publickey,password: exit 1" sh -c "[ $RC -eq 1 ] &&
    printf '%s\n' \"\$0\" | grep -qxF 'sshfix: preflight: alice: publickey accepted -> refused: AuthenticationMethods cannot be satisfied (password cannot) ($C/two.conf:1: AuthenticationMethods publickey,password)'" "$OUT"
printf 'AuthenticationMethods publickey password\n' >"$C/either.conf"
pf "$C/either.conf" --as "$DROPIN"
check "AuthenticationMethods publickey password (either): exit 0" [ "$RC" -eq 0 ]

# Replacing an existing drop-in.
printf 'PubkeyAuthentication no\n' >"$R/etc/ssh/sshd_config.d/40-old.conf"
pf "$C/alive.conf" --as /etc/ssh/sshd_config.d/40-old.conf
check "replacing a drop-in that locks everyone out: safe (no one gets in now)" \
    [ "$RC" -eq 0 ]
check "... and says no account gets in now" out_has "no account gets in now"
rm "$R/etc/ssh/sshd_config.d/40-old.conf"

# Foreign bytes in CANDIDATE are escaped.
printf 'AllowUsers b\033[2Job\n' >"$C/esc.conf"
pf "$C/esc.conf" --as "$DROPIN"
check "an escape sequence in CANDIDATE is printed escaped" sh -c \
    "[ $RC -eq 1 ] && printf '%s' \"\$0\" | grep -qF 'AllowUsers b\\033[2Job)' &&
    ! printf '%s' \"\$0\" | grep -q \"\$(printf '\\033')\"" "$OUT"

# CANDIDATE is read once, as a regular file: a FIFO or a symlink is refused.
mkfifo "$C/fifo"
pf "$C/fifo"
check "a FIFO: exit 2 at once, one line on stderr" sh -c \
    "[ $RC -eq 2 ] && [ -z \"\$0\" ]" "$STDOUT"
check "FIFO: the message" \
    err_has "sshfix: preflight: cannot judge: $C/fifo: not a regular file"
ln -s "$C/benign" "$C/link"
pf "$C/link"
check "a symlink: exit 2, one line" sh -c "[ $RC -eq 2 ]"
check "symlink: the message" one_line_err
pf "$C/missing"
check "a missing CANDIDATE: exit 2" [ "$RC" -eq 2 ]
head -c 5000000 /dev/zero | tr '\0' '#' >"$C/huge"
pf "$C/huge"
check "a CANDIDATE over 4 MiB: exit 2" sh -c "[ $RC -eq 2 ]"
check "huge: the message" err_has "larger than 4 MiB"

# Usage errors.
pf "$C/benign" --as etc/ssh/x.conf
check "--as relative: exit 2" sh -c "[ $RC -eq 2 ] && [ -z \"\$0\" ]" "$STDOUT"
pf "$C/benign" --as /etc/ssh/../x.conf
check "--as with ..: exit 2" [ "$RC" -eq 2 ]
run --root "$R" --as /etc/ssh/sshd_config
check "--as without --preflight: exit 2" sh -c "[ $RC -eq 2 ]"
check "--as alone: the message" err_has "--as goes with --preflight"
pf "$C/benign" --user nosuch
check "--user of no account: exit 2" [ "$RC" -eq 2 ]
pf "$C/benign" --apply
check "--preflight with --apply: exit 2, unchanged" sh -c \
    "[ $RC -eq 2 ] && [ $SAME -eq 0 ]"
pf "$C/benign" --oneline
check "--preflight with --oneline: exit 2" [ "$RC" -eq 2 ]
run --root "$R" --preflight
check "--preflight without CANDIDATE: exit 2" [ "$RC" -eq 2 ]

echo "1..$N"
