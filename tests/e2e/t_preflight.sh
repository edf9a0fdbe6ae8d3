#!/bin/sh
# --preflight (issue 14) judged by the real sshd: for each case, sshfix's
# verdict is taken first, then the candidate is installed in the sandbox,
# the real sshd started on it and the real logins tried. They must agree:
# an account logs in <=> preflight said it still would; sshd does not
# start <=> preflight said it would not. Each case also states the verdict
# it expects, so that a sandbox where nothing works cannot agree by
# accident. The text and JSON forms are checked in
# tests/integration/t_preflight.sh.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

CASES="benign-main benign-dropin AllowUsers PubkeyAuthentication-dropin \
PasswordAuthentication-with-keys Match-Group misspelled-keyword \
AuthenticationMethods-two"
why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in $CASES; do
		skip "e2e preflight $s" "$why"
	done
	echo "1..$N"
	exit 0
fi

DROPIN=/etc/ssh/sshd_config.d/60-preflight.conf

# after USER: preflight's "after" for USER in the last JSON output.
after() {
	printf '%s' "$OUT" | grep -o "{\"user\":\"$1\",\"before\":\"[^\"]*\",\"after\":\"[^\"]*\"" |
	    sed 's/.*"after":"//; s/"$//'
}

# pcase NAME AS EXPECT CONTENT: EXPECT is "safe", "unsafe" or "nostart";
# CONTENT (printf) is the candidate; AS the path it replaces (main: the
# sandbox's main file with CONTENT appended).
pcase() {
	name=$1 as=$2 expect=$3
	R="$T/$name"; sandbox "$R"
	if [ "$as" = main ]; then
		as=/etc/ssh/sshd_config
		cp "$R$as" "$T/$name.cand"
	else
		: >"$T/$name.cand"
	fi
	printf "$4" >>"$T/$name.cand"
	tree "$R" >"$T/p0"
	run --root "$R" --preflight "$T/$name.cand" --as "$as" --json
	tree "$R" >"$T/p1"
	prc=$RC
	check "$name: preflight changed nothing" cmp -s "$T/p0" "$T/p1"
	case $expect in
	safe) check "$name: preflight says safe (exit 0)" [ "$prc" -eq 0 ] ;;
	*) check "$name: preflight says not safe (exit 1)" [ "$prc" -eq 1 ] ;;
	esac
	cp "$T/$name.cand" "$R$as"
	for u in root alice; do
		attempt "$R" "$u" key
		if [ "$expect" = nostart ]; then
			check "$name: sshd does not start, as preflight said" \
			    sh -c "! printf '%s' \"\$0\" | grep -q 'Server listening' &&
			    ! printf '%s' \"\$1\" | grep -qF '\"start\":{\"ok\":true'" \
			    "$LOG" "$OUT"
			break
		fi
		a=$(after "$u")
		if logged_in; then
			check "$name: $u logs in; preflight said $a" sh -c \
			    "[ -n '$a' ] && [ '$a' != refused ]"
		else
			check "$name: $u is refused; preflight said $a" sh -c \
			    "[ '$a' = refused ]"
		fi
	done
}

pcase benign-main main safe 'ClientAliveInterval 60\n'
pcase benign-dropin "$DROPIN" safe 'MaxSessions 20\n'
pcase AllowUsers main unsafe 'AllowUsers bob\n'
pcase PubkeyAuthentication-dropin "$DROPIN" unsafe 'PubkeyAuthentication no\n'
pcase PasswordAuthentication-with-keys "$DROPIN" safe \
    'PasswordAuthentication no\n'
pcase Match-Group "$DROPIN" unsafe 'Match Group alice\n\tPubkeyAuthentication no\n'
pcase misspelled-keyword "$DROPIN" nostart 'PaswordAuthentication no\n'
pcase AuthenticationMethods-two "$DROPIN" unsafe \
    'AuthenticationMethods publickey,password\n'

echo "1..$N"
