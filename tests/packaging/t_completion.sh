#!/bin/sh
# bash completion (packaging/sshfix.bash-completion): every option --help
# lists; after --user, the accounts of the --root target's passwd (not
# this machine's); after --rollback, the target's snapshot ids; --color=
# its three words. A hostile passwd or snapshot name is never expanded.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

COMP="$SSHFIX_TOP/packaging/sshfix.bash-completion"
if ! command -v bash >/dev/null 2>&1; then
	skip_line "bash completion" "no bash"
	echo "1..$N"
	exit 0
fi
# complete WORD...: the completions of the last WORD, one per line,
# sorted, with the line "sshfix WORD..." (the last word is being typed).
complete() {
	(cd "$T" && bash -c '
		. "$1"; shift
		COMP_WORDS=(sshfix "$@"); COMP_CWORD=$#
		_sshfix
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$COMP" "$@" 2>"$T/cerr") | LC_ALL=C sort
}

help_opts=$("$SSHFIX" --help | grep -o -- '--[a-z][a-z-]*' | LC_ALL=C sort -u)
comp_opts=$(complete --)
check "every option --help lists completes (and no other)" \
    [ "$help_opts" = "$comp_opts" ]
[ "$help_opts" = "$comp_opts" ] ||
    printf '%s\n' "$help_opts" | diff - "$(printf '%s\n' "$comp_opts" >"$T/c"; echo "$T/c")" | sed 's/^/# /'

R="$T/r"; mkroot "$R"
printf 'zed:x:1500:1500::/home/zed:/bin/sh\n' >>"$R/etc/passwd"
check "--root R --user z: the target's account zed" \
    [ "$(complete --root "$R" --user z)" = zed ]
check "--user ali: the target's alice, after -r too" \
    [ "$(complete -r "$R" -u ali)" = alice ]
complete --user ro >"$T/host"
check "--user without --root: this machine's accounts (root)" \
    grep -qx root "$T/host"

# Snapshot ids after --rollback (and --rollback=).
chmod 0777 "$R/home/alice"
"$SSHFIX" --root "$R" --apply >/dev/null 2>&1
id=$(ls "$R/var/lib/sshfix/snapshots" | sed -n 's/\.tar$//p' | head -1)
check "--root R --rollback: the snapshot id" \
    sh -c "[ -n '$id' ] && [ \"\$(echo '$(complete --root "$R" --rollback '')')\" = '$id' ]"
check "--rollback=: the same" \
    [ "$(complete --root "$R" --rollback=)" = "$id" ]
check "--color=: auto, always, never" \
    [ "$(complete --color= | tr '\n' ' ')" = "always auto never " ]

# Hostile names: a passwd entry and a snapshot file whose names would run
# a command if expanded. Nothing runs; they are not offered.
# (complete runs in $T: a relative touch would land there.)
printf '$(touch pwned1):x:1600:1600::/:/bin/sh\n' >>"$R/etc/passwd"
: >"$R/var/lib/sshfix/snapshots/\$(touch pwned2).tar"
out=$(complete --root "$R" --user '')
out2=$(complete --root "$R" --rollback '')
check "hostile passwd and snapshot names: nothing run, not offered" \
    sh -c "[ ! -e '$T/pwned1' ] && [ ! -e '$T/pwned2' ] &&
    ! printf '%s' \"\$0\" | grep -q touch && ! printf '%s' \"\$1\" | grep -q touch &&
    printf '%s\n' \"\$0\" | grep -qx alice" "$out" "$out2"

echo "1..$N"
