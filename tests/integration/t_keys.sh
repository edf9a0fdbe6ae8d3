#!/bin/sh
# key-refused (authorized keys lines sshd will not use) and chroot-perms
# (a ChrootDirectory sshd refuses): found, repaired narrowly or advised,
# and quiet where the real sshd logs in (tests/e2e/t_keys.sh).
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

PUB=$(cat "$KEYS/user_key.pub")
TYP=${PUB%% *}; REST=${PUB#* }; B64=${REST%% *}
HEAD=${B64%????????????????????}; TAIL=${B64#"$HEAD"}
not_id() { ! has_id "$1"; }

keys() {	# keys NAME FORMAT ARGS...: alice's authorized_keys, printf'd
	R="$T/$1"; mkroot "$R"
	shift
	AK="$R/home/alice/.ssh/authorized_keys"
	printf "$@" >"$AK"
	chown 1000:1000 "$AK"
}

# A key wrapped over two lines: re-joined, every byte back on rollback.
keys wrap '%s %s\n%s test\n' "$TYP" "$HEAD" "$TAIL"
diagnose "$R" --user alice
check "wrapped key: key-refused" has_id key-refused
check "wrapped key: exit 1" [ "$RC" -eq 1 ]
check "wrapped key: the plan re-joins lines 1-2" out_has '"type":"join-key"'
check "wrapped key: the dry run changed nothing" [ "$UNCHANGED" -eq 0 ]
cp -p "$AK" "$T/wrapped.orig"
run --root "$R" --apply --user alice
check "wrapped key: the joined line is the key" sh -c \
    "[ \"\$(cat '$AK')\" = '$TYP $B64 test' ]"
check "wrapped key: owner and mode kept" sh -c \
    "[ \"\$(stat -c '%u %a' '$AK')\" = '1000 600' ]"
run --root "$R" --rollback
check "wrapped key: rollback restores the wrapped bytes" cmp -s "$AK" \
    "$T/wrapped.orig"
cycle "wrapped key" "$R" --user alice
# Without --user too: alice has no key sshd would use.
diagnose "$R"
check "wrapped key, no --user: still reported (no usable key left)" \
    has_id key-refused

# auth-lockout counts only keys sshd would use. PasswordAuthentication
# off and alice's password usable: a truncated or expired only key is a
# lockout; a wrapped one is not (its re-join is the repair, nothing else
# is opened).
for k in trunc expired wrapped; do
	case $k in
	trunc) keys lo-$k '%s %s\n' "$TYP" "${B64%????}" ;;
	expired) keys lo-$k 'expiry-time="20200101" %s\n' "$PUB" ;;
	wrapped) keys lo-$k '%s %s\n%s test\n' "$TYP" "$HEAD" "$TAIL" ;;
	esac
	give_password "$R" alice
	printf 'PasswordAuthentication no\n' >"$R/etc/ssh/sshd_config.d/50-pw.conf"
	diagnose "$R" --user alice
	if [ $k = wrapped ]; then
		check "only key $k: no auth-lockout, no password route" sh -c \
		    '! printf "%s" "$0" | grep -q "\"id\":\"auth-lockout\"" &&
		    ! printf "%s" "$0" | grep -q "PasswordAuthentication yes"' "$OUT"
	else
		check "only key $k: auth-lockout (sshd cannot use it)" \
		    has_id auth-lockout
	fi
done
keys lo-from 'from="10.0.0.0/8" %s\n' "$PUB"
give_password "$R" alice
printf 'PasswordAuthentication no\n' >"$R/etc/ssh/sshd_config.d/50-pw.conf"
diagnose "$R" --user alice --from 127.0.0.1
check "only key from= another network, --from: auth-lockout" \
    has_id auth-lockout
diagnose "$R" --user alice
check "only key from= another network, no --from: no auth-lockout claimed" \
    not_id auth-lockout

# A truncated key: advice, nothing changed.
keys trunc '%s %s\n' "$TYP" "${B64%????}"
diagnose "$R" --user alice
check "truncated key: key-refused" has_id key-refused
check "truncated key: advice, no automatic change" sh -c \
    "printf '%s' \"\$0\" | grep -q '\"type\":\"manual\"' &&
    ! printf '%s' \"\$0\" | grep -q 'join-key'" "$OUT"

# One stale line beside a good key: only --user reports it.
keys stale '%s %s\n%s\n' "$TYP" "${B64%????}" "$PUB"
diagnose "$R"
check "stale line beside a good key, no --user: clean" not_id key-refused
diagnose "$R" --user alice
check "stale line beside a good key, --user alice: reported" \
    has_id key-refused

# from= another network.
keys from 'from="10.0.0.0/8" %s\n' "$PUB"
diagnose "$R" --user alice --from 127.0.0.1
check "from=10/8, --from 127.0.0.1: key-refused" has_id key-refused
check "from=10/8: sshd's line" out_has 'Authentication tried for alice with correct key but not from a permitted host (host=127.0.0.1, ip=127.0.0.1, required=10.0.0.0/8).'
check "from=10/8: an error" out_has '"severity":"error"'
diagnose "$R" --user alice
check "from=10/8 without --from: a warning naming the networks" sh -c \
    "printf '%s' \"\$0\" | grep -q '\"severity\":\"warning\"' &&
    printf '%s' \"\$0\" | grep -qF '10.0.0.0/8'" "$OUT"
check "from=10/8 without --from: exit 1" [ "$RC" -eq 1 ]
diagnose "$R" --user alice --from 10.1.2.3
check "from=10/8, --from 10.1.2.3: clean" no_ids
keys fromok 'from="127.0.0.1" %s\n' "$PUB"
diagnose "$R" --user alice --from 127.0.0.1
check "from=127.0.0.1, --from 127.0.0.1: clean" no_ids

# expiry-time.
keys expired 'expiry-time="20200101" %s\n' "$PUB"
diagnose "$R" --user alice
check "expiry-time in the past: key-refused" has_id key-refused
check "expiry-time in the past: sshd's line" \
    out_has ':1: entry expired at 2020-01-01T00:00:00'
keys future 'expiry-time="29990101" %s\n' "$PUB"
diagnose "$R" --user alice
check "expiry-time in the future: clean" no_ids

# Controls sshd accepts: CRLF line ends, a central key file.
keys crlf '%s\r\n' "$PUB"
diagnose "$R" --user alice
check "CRLF authorized_keys: clean" no_ids
R="$T/central"; mkroot "$R"
mkdir -m 0755 "$R/etc/ssh/authorized_keys"
mv "$R/home/alice/.ssh/authorized_keys" "$R/etc/ssh/authorized_keys/alice"
chown 0:0 "$R/etc/ssh/authorized_keys/alice"
chmod 0644 "$R/etc/ssh/authorized_keys/alice"
echo 'AuthorizedKeysFile /etc/ssh/authorized_keys/%u' \
    >"$R/etc/ssh/sshd_config.d/10-ak.conf"
diagnose "$R" --user alice
check "central AuthorizedKeysFile: clean" no_ids

# ChrootDirectory: a component root owns but the group may write.
R="$T/chcomp"; mkroot "$R"
mkdir -p "$R/home/jail/alice"; chmod 0775 "$R/home/jail"
printf 'Match User alice\n\tChrootDirectory /home/jail/%%u\n' \
    >"$R/etc/ssh/sshd_config.d/10-c.conf"
diagnose "$R" --user alice
check "chroot component 0775: chroot-perms" has_id chroot-perms
check "chroot component: sshd's line" \
    out_has 'bad ownership or modes for chroot directory component \"/home/jail/\"'
check "chroot component: chmod 0775 -> 0755" sh -c \
    "printf '%s' \"\$0\" | grep -q '\"type\":\"chmod\",\"path\":\"/home/jail\",\"from\":\"0775\",\"to\":\"0755\"'" "$OUT"
cycle "chroot component" "$R" --user alice
diagnose "$R" --user bob
check "chroot for alice only: none for bob" not_id chroot-perms

# The chroot is the user's home, owned by the user: a manual step.
R="$T/chhome"; mkroot "$R"
echo 'ChrootDirectory %h' >"$R/etc/ssh/sshd_config.d/10-c.conf"
diagnose "$R" --user alice
check "ChrootDirectory %h owned by alice: chroot-perms" has_id chroot-perms
check "ChrootDirectory %h: sshd's line" \
    out_has 'bad ownership or modes for chroot directory \"/home/alice\"'
check "ChrootDirectory %h: the manual step, no chown/chmod" sh -c \
    "printf '%s' \"\$0\" | grep -qF 'chown root:root $R/home/alice; chmod 755' &&
    ! printf '%s' \"\$0\" | grep -qE '\"type\":\"(chown|chmod)\"'" "$OUT"
tree "$R" >"$T/h0"
run --root "$R" --user alice --apply
tree "$R" >"$T/h1"
check "ChrootDirectory %h: --apply changes nothing" cmp -s "$T/h0" "$T/h1"

# Never a sticky directory, never another account's home.
R="$T/chsticky"; mkroot "$R"
mkdir -p "$R/home/tmp/jail"; chmod 1777 "$R/home/tmp"
echo 'ChrootDirectory /home/tmp/jail' >"$R/etc/ssh/sshd_config.d/10-c.conf"
diagnose "$R" --user alice
check "sticky chroot component: reported" has_id chroot-perms
check "sticky chroot component: never chmodded" sh -c \
    "! printf '%s' \"\$0\" | grep -q '\"type\":\"chmod\"'" "$OUT"
R="$T/chother"; mkroot "$R"
mkdir -p "$R/home/shared/jail"; chmod 0775 "$R/home/shared"
echo 'shared:x:1002:1002::/home/shared:/bin/bash' >>"$R/etc/passwd"
echo 'ChrootDirectory /home/shared/jail' \
    >"$R/etc/ssh/sshd_config.d/10-c.conf"
diagnose "$R" --user alice
check "chroot component that is another account's home: advice only" \
    sh -c "printf '%s' \"\$0\" | grep -q 'home of shared' &&
    ! printf '%s' \"\$0\" | grep -q '\"type\":\"chmod\"'" "$OUT"

# A healthy chroot.
R="$T/chok"; mkroot "$R"
mkdir -p "$R/home/jail/alice"
echo 'ChrootDirectory /home/jail/%u' >"$R/etc/ssh/sshd_config.d/10-c.conf"
diagnose "$R" --user alice
check "healthy ChrootDirectory: clean" no_ids
