#!/bin/sh
# What a person at an 80-column serial console sees: the real binary in
# a tmux window of 80x24, the disk at /mnt (a private mount namespace),
# the commands of a repair typed one after another. On the captured
# screen no line of sshfix's is wider than 80 columns (tmux would fold
# it), and every command the person must copy (undo, rollback) stands
# whole on a row of its own.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

NAMES="console: the session ran to its end
console: no line wider than 80 columns
console: the apply's undo command whole on its own row
console: the rollback's undo command whole on its own row
console: --list has a header
console: a finding with one cause is one block
console: an unknown snapshot id is one line on the screen
console: the command --explain names whole on its own row"
if ! command -v tmux >/dev/null 2>&1; then
	printf '%s\n' "$NAMES" | while IFS= read -r n; do
		skip_line "$n" "no tmux (make deps installs it)"
	done
	echo "1..$N"
	exit 0
fi

R="$T/r"; mkroot "$R"
chmod 0777 "$R"/etc/ssh/ssh_host_*_key
chmod 0777 "$R/home/alice"
EXPLAIN="$SSHFIX_TOP/tests/integration/explain/74-home-perms.log"
mkdir "$T/bin"
ln -s "$SSHFIX" "$T/bin/sshfix"
cat >"$T/steps.sh" <<EOF
PATH="$T/bin:\$PATH"
sshfix --root /mnt; echo "rc=\$?"
sshfix --root /mnt --apply; echo "rc=\$?"
sshfix --root /mnt --list; echo "rc=\$?"
sshfix --root /mnt --rollback; echo "rc=\$?"
sshfix --root /mnt --list; echo "rc=\$?"
sshfix --root /mnt --rollback 20200101T000000Z; echo "rc=\$?"
sshfix --root /mnt --prune --keep 0; echo "rc=\$?"
sshfix --explain '$EXPLAIN'; echo "rc=\$?"
echo SESSION-END
EOF
cat >"$T/tmux.conf" <<'EOF'
set -g history-limit 20000
set -g remain-on-exit on
EOF
S="$T/tmux.sock"
unshare -m sh -c '
	mount --make-rprivate / && mount --bind "$1" /mnt || exit 97
	TERM=xterm tmux -S "$2" -f "$3" new-session -d -x 80 -y 24 \
	    "sh $4; tmux -S $2 wait-for -S done"
' _ "$R" "$S" "$T/tmux.conf" "$T/steps.sh"
timeout 120 tmux -S "$S" wait-for done
# -J joins the rows tmux folded: a line as sshfix printed it.
tmux -S "$S" capture-pane -p -J -S - >"$T/lines"
tmux -S "$S" capture-pane -p -S - >"$T/rows"
tmux -S "$S" kill-server 2>/dev/null

check "console: the session ran to its end" grep -q '^SESSION-END$' "$T/lines"
long=$(awk 'length > 80' "$T/lines")
check "console: no line wider than 80 columns" [ -z "$long" ]
[ -z "$long" ] || printf '%s\n' "$long" | sed 's/^/# /'
ID='[0-9]\{8\}T[0-9]\{6\}Z\(-[0-9]*\)\{0,1\}'
check "console: the apply's undo command whole on its own row" grep -qx \
    "  sshfix --rollback $ID --root /mnt" "$T/rows"
rolled() { grep -A1 "^rolled back snapshot $ID; undo with:\$" "$T/rows" |
    grep -qx "  sshfix --rollback $ID --root /mnt"; }
check "console: the rollback's undo command whole on its own row" rolled
check "console: --list has a header" grep -q '^ID  *TIME  *KIND  *STATE' \
    "$T/rows"
check "console: a finding with one cause is one block" \
    [ "$(grep -c '^[0-9]*\. \[[A-Z]*\] hostkey-perms' "$T/rows")" -eq 2 ]
unknown() { grep -A1 '20200101T000000Z' "$T/rows" | sed -n 2p |
    grep -qx 'rc=2'; }
check "console: an unknown snapshot id is one line on the screen" unknown
check "console: the command --explain names whole on its own row" \
    grep -qx '       sshfix --root /mnt --user alice' "$T/rows"
echo "1..$N"
