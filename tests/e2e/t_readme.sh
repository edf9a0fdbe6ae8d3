# The README's rescue-VM steps, as a locked-out person types them: the
# commands under "From a rescue VM" that run sshfix, taken from the
# README itself, on a disk mounted at /mnt (a private mount namespace)
# whose authorized_keys was emptied (the commonest lockout). The real
# sshd refuses alice before, lets her in after the --apply, and refuses
# her again after the undo command the apply printed, typed as printed.
# Every line sshfix prints for copying fits 80 columns.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

NAMES="rescue steps: the README runs sshfix twice
rescue steps: alice is refused before
rescue steps: the dry run exits 1
rescue steps: the dry run changes nothing
rescue steps: --apply exits 0
rescue steps: --apply prints the undo command on a line of its own
rescue steps: every line the apply prints fits 80 columns
rescue steps: alice logs in after --apply
rescue steps: the undo command exits 0
rescue steps: alice is refused again after the undo"
why=$(e2e_missing)
if [ -n "$why" ]; then
	printf '%s\n' "$NAMES" | while IFS= read -r n; do skip "$n" "$why"; done
	exit 0
fi

# The lines of the section that run sshfix, without their comments.
STEPS=$(sed -n '/^### From a rescue VM/,/^### /p' "$SSHFIX_TOP/README.md" |
    sed -n 's/^    \(sshfix --root .*\)$/\1/p' | sed 's/ *#.*//')
check "rescue steps: the README runs sshfix twice" \
    [ "$(printf '%s\n' "$STEPS" | grep -c .)" -eq 2 ]
DRY=$(printf '%s\n' "$STEPS" | sed -n 1p)
APPLY=$(printf '%s\n' "$STEPS" | sed -n 2p)

R="$T/disk"
sandbox "$R"
: >"$R/home/alice/.ssh/authorized_keys"
attempt "$R" alice key
check "rescue steps: alice is refused before" refused

# Typed on the helper, in the directory holding the key the README names:
# the disk at /mnt, sshfix on PATH.
mkdir -p "$T/bin" "$T/cwd"
ln -s "$SSHFIX" "$T/bin/sshfix"
cp "$CKEY.pub" "$T/cwd/id_ed25519.pub"
type_it() {	# type_it NAME COMMAND: its output in $T/NAME.out, status .rc
	unshare -m sh -c '
		mount --make-rprivate / && mount --bind "$1" /mnt || exit 97
		cd "$2" && PATH="$3:$PATH" sh -c "$4"
	' _ "$R" "$T/cwd" "$T/bin" "$2" >"$T/$1.out" 2>&1
	echo $? >"$T/$1.rc"
}

before=$(tree "$R")
type_it dry "$DRY"
check "rescue steps: the dry run exits 1" [ "$(cat "$T/dry.rc")" -eq 1 ]
check "rescue steps: the dry run changes nothing" [ "$(tree "$R")" = "$before" ]

type_it apply "$APPLY"
check "rescue steps: --apply exits 0" [ "$(cat "$T/apply.rc")" -eq 0 ]
[ "$(cat "$T/apply.rc")" -eq 0 ] || tail -8 "$T/apply.out" | sed 's/^/# /'
UNDO=$(grep -A1 '; undo with:$' "$T/apply.out" | tail -1)
undo_line() { printf '%s\n' "$UNDO" |
    grep -qx '  sshfix --rollback [0-9]*T[0-9]*Z --root /mnt'; }
check "rescue steps: --apply prints the undo command on a line of its own" \
    undo_line
long=$(awk 'length > 80' "$T/apply.out")
check "rescue steps: every line the apply prints fits 80 columns" [ -z "$long" ]
[ -z "$long" ] || printf '%s\n' "$long" | sed 's/^/# /'

attempt "$R" alice key
check "rescue steps: alice logs in after --apply" logged_in

type_it undo "${UNDO#  }"
check "rescue steps: the undo command exits 0" [ "$(cat "$T/undo.rc")" -eq 0 ]
attempt "$R" alice key
check "rescue steps: alice is refused again after the undo" refused
