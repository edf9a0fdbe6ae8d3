#!/bin/sh
# Colour, as the conventions have it: --color=auto (the default) colours a
# terminal only, not when NO_COLOR is set to a non-empty value
# (no-color.org: an empty one does not count) nor when TERM is dumb;
# --color=always and --color=never override; a bad WHEN is a usage error.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

ESC=$(printf '\033')
R="$T/r"; mkroot "$R"; chmod 0777 "$R/home/alice"
# tty ENV...: the dry run on a pseudo-terminal; ESC codes counted in $T/n.
tty() {
	env "$@" script -qec "'$SSHFIX' --root '$R'" /dev/null >"$T/tty" 2>&1
	grep -c "$ESC\[" "$T/tty" >"$T/n"
}
coloured() { [ "$(cat "$T/n")" -gt 0 ]; }
plain() { [ "$(cat "$T/n")" -eq 0 ]; }

if ! command -v script >/dev/null 2>&1; then
	for s in "auto on a terminal" "NO_COLOR=1" "NO_COLOR empty" "TERM=dumb" \
	    "--color=never on a terminal"; do
		skip_line "$s" "no script(1) for a pseudo-terminal"
	done
else
	tty TERM=xterm
	check "auto on a terminal: coloured" coloured
	tty TERM=xterm NO_COLOR=1
	check "NO_COLOR=1: plain" plain
	tty TERM=xterm NO_COLOR=
	check "NO_COLOR empty: still coloured (only a non-empty value counts)" coloured
	tty TERM=dumb
	check "TERM=dumb: plain" plain
	env TERM=xterm script -qec "'$SSHFIX' --root '$R' --color=never" /dev/null >"$T/tty" 2>&1
	grep -c "$ESC\[" "$T/tty" >"$T/n"
	check "--color=never on a terminal: plain" plain
fi
run --root "$R"
check "auto into a pipe: plain" sh -c "! printf '%s' \"\$0\" | grep -q '$ESC\['" "$OUT"
run --root "$R" --color=always
check "--color=always into a pipe: coloured" sh -c "printf '%s' \"\$0\" | grep -q '$ESC\['" "$OUT"
run --root "$R" --color
check "--color alone: always" sh -c "printf '%s' \"\$0\" | grep -q '$ESC\['" "$OUT"
run --root "$R" --color=sometimes
check "--color=sometimes: usage error on stderr, exit 2" sh -c \
    "[ $RC -eq 2 ] && [ -z \"\$0\" ] && printf '%s' \"\$1\" | head -1 | grep -q -- '--color=sometimes: not auto, always or never'" "$OUT" "$ERR"

echo "1..$N"
