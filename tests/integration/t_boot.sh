#!/bin/sh
# Boot-time recovery on an image without sshfix: each carrier (the
# boothook, the per-boot script, the cloud-config's bootcmd) fetches the
# pinned release binary, runs it only when its SHA-256 is the one given,
# and writes one console line naming every temporary measure, for whom,
# and the exact rollback command.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"
CI="$SSHFIX_TOP/packaging/cloud-init"
not() { ! "$@"; }
lockout() {	# lockout DIR: alice has a password, nobody a key
	mkroot "$1"
	rm -f "$1/home/alice/.ssh/authorized_keys" "$1/root/.ssh/authorized_keys"
	give_password "$1" alice
	printf 'PasswordAuthentication no\n' \
	    >"$1/etc/ssh/sshd_config.d/50-cloud-init.conf"
}

# --oneline after an apply that opened password login.
R="$T/ol"; lockout "$R"
run --root "$R" --apply --no-reload --user alice --oneline
id=$(ls "$R/var/lib/sshfix/snapshots" | sed -n 's/\.tar$//p' | tail -1)
check "--apply --oneline: exit 0, one line" \
    sh -c "[ $RC -eq 0 ] && [ \"\$(wc -l <'$T/out')\" -eq 1 ]"
check "--apply --oneline: the fix, then the measure, the account and the exact rollback" \
    out_has "sshfix: fixed auth-lockout on alice, snapshot $id; TEMPORARY: password login opened for alice (/etc/ssh/sshd_config: Match User alice, PasswordAuthentication yes); log in as alice, add your key, then: sshfix --rollback $id --root $R"
run --root "$R" --apply --no-reload --user alice --oneline
check "a second --apply --oneline (nothing to do) still names the open measure" \
    out_has "TEMPORARY: password login opened for alice"
run --root "$R" --apply --no-reload --user alice --json
check "--apply --json: the measure is open" out_has "\"open\":[{\"snapshot\":\"$id\",\"user\":\"alice\""
run --root "$R" --rollback
run --root "$R" --apply --no-reload --user alice
id=$(printf '%s' "$OUT" | sed -n 's/^snapshot \([^ ]*\); undo with:$/\1/p')
check "--apply text: a TEMPORARY line with the rollback" sh -c \
    "printf '%s' \"\$1\" | tr '\n' ' ' | grep -q 'TEMPORARY: password login opened for alice .*then: *sshfix --rollback $id --root'" _ "$OUT"
R="$T/olk"; mkroot "$R"; chmod 0777 "$R/root"
run --root "$R" --apply --oneline
check "--apply --oneline without a temporary measure says none" \
    sh -c "[ $RC -eq 0 ] && ! printf '%s' \"\$1\" | grep -q TEMPORARY" _ "$OUT"

# The release artifact, as make release names it, and its .sha256.
REL="$T/rel"; mkdir "$REL"
A=sshfix-$("$SSHFIX" --version | cut -d' ' -f2)-linux-x86_64
cp "$SSHFIX" "$REL/$A"
(cd "$REL" && sha256sum "$A" >"$A.sha256")
SUM=$(cut -d' ' -f1 "$REL/$A.sha256")
URL="file://$REL/$A"
# Only the tools the scripts use: no sshfix on PATH.
BIN="$T/bin"; mkdir "$BIN"
for c in sh sed tr cut mktemp sha256sum chmod rm cat curl wget; do
	p=$(command -v "$c") && ln -s "$p" "$BIN/$c"
done

# carrier NAME: the script as cloud-init would run it, in $T/NAME.sh.
carrier() {
	case $1 in
	boothook)	# cloud-init drops the first line and runs the rest
		sed 1d "$CI/boothook.sh" ;;
	per-boot)
		cat "$CI/per-boot-sshfix.sh" ;;
	user-data)
		/usr/bin/python3 -c 'import sys, yaml
sys.stdout.write(yaml.safe_load(open(sys.argv[1]))["bootcmd"][0][2])' \
		    "$CI/user-data.yaml" ;;
	esac
}
# boot NAME URL SHA256 [KEY]: that carrier with those values on root R.
boot() {
	carrier "$1" | sed "s|^SSHFIX_URL=\"\"|SSHFIX_URL=\"$2\"|
	    s|^SSHFIX_SHA256=\"\"|SSHFIX_SHA256=\"$3\"|
	    s|^KEY=\"\"|KEY=\"$4\"|" >"$T/$1.sh"
	chmod 0700 "$T/$1.sh"
	rm -rf "$T/tmp"; mkdir "$T/tmp"
	: >"$T/console"
	if [ "$1" = user-data ]; then	# bootcmd: sh -c SCRIPT
		set -- sh -c "$(cat "$T/$1.sh")"
	else				# its own shebang
		set -- "$T/$1.sh"
	fi
	env -i PATH="$BIN" TMPDIR="$T/tmp" SSHFIX_ROOT="$R" \
	    CONSOLE="$T/console" "$@" >"$T/boot.out" 2>&1
	BRC=$?
	CON=$(cat "$T/console")
}
con_has() { printf '%s' "$CON" | grep -qF -- "$1"; }
one_line() { [ "$(wc -l <"$T/console")" -eq 1 ]; }

for c in boothook per-boot user-data; do
	R="$T/ok-$c"; lockout "$R"
	tree "$R" >"$T/t0"
	boot "$c" "$URL" "$SUM  $A"
	check "$c: fetched, checked and run: exit 0, one console line" \
	    sh -c "[ $BRC -eq 0 ] && [ \"\$(wc -l <'$T/console')\" -eq 1 ]"
	sed 's/^/# /' "$T/console"
	check "$c: the line says what it fixed" \
	    con_has "sshfix: fixed auth-lockout on all accounts, snapshot "
	check "$c: ... the measure and the account" \
	    con_has "TEMPORARY: password login opened for alice (/etc/ssh/sshd_config: Match User alice, PasswordAuthentication yes)"
	bin=$(ls -d "$T"/tmp/sshfix.*)/sshfix
	check "$c: the fetched binary is 0700 root in a 0700 root directory" \
	    sh -c "[ \"\$(stat -c %a:%U '$bin')\" = 700:root ] &&
	    [ \"\$(stat -c %a:%U \"\$(dirname '$bin')\")\" = 700:root ]"
	undo=$(printf '%s' "$CON" | sed -n 's/.*; log in as alice, add your key, then: //p')
	check "$c: ... and the rollback command with the fetched binary's path" \
	    sh -c "case '$undo' in '$bin --rollback '*' --root $R') exit 0;; esac; exit 1"
	sh -c "$undo" >/dev/null 2>&1
	urc=$?
	tree "$R" >"$T/t2"
	check "$c: that exact command rolls it back, every byte" \
	    sh -c "[ -n '$undo' ] && [ $urc -eq 0 ] && cmp -s '$T/t0' '$T/t2'"
	diagnose "$R"
	check "$c: after that rollback alice is locked out again" \
	    sh -c "[ -n '$undo' ] && printf '%s' \"\$1\" | grep -q '\"id\":\"auth-lockout\"'" _ "$OUT"

	for bad in "wrong:$(printf '%s' "$SUM" | tr 0-9a-f 1-9a-f0)" \
	    "missing:" "short:${SUM%?}" "other file's:$(sha256sum "$CI/boothook.sh" | cut -d' ' -f1)"; do
		R="$T/bad-$c"; rm -rf "$R"; lockout "$R"
		state "$R" >"$T/s0"
		boot "$c" "$URL" "${bad#*:}"
		state "$R" >"$T/s1"
		what=${bad%%:*}
		check "$c, $what SHA-256: refused on one console line, exit 0" \
		    sh -c "[ $BRC -eq 0 ] && [ \"\$(wc -l <'$T/console')\" -eq 1 ] &&
		    grep -q '^sshfix: refusing file://.*; nothing run\$' '$T/console'"
		check "$c, $what SHA-256: nothing run, the root unchanged" \
		    cmp -s "$T/s0" "$T/s1"
		check "$c, $what SHA-256: nothing fetched is left" \
		    [ -z "$(ls -A "$T/tmp")" ]
	done
	sed 's/^/# /' "$T/console"

	R="$T/nourl-$c"; rm -rf "$R"; lockout "$R"
	state "$R" >"$T/s0"
	boot "$c" "" ""
	state "$R" >"$T/s1"
	check "$c, no sshfix and no URL: says so, root unchanged" sh -c "
	    [ $BRC -eq 0 ] && cmp -s '$T/s0' '$T/s1' &&
	    grep -qx 'sshfix: not installed on this image and no SSHFIX_URL given; nothing run' '$T/console'"
	R="$T/gone-$c"; rm -rf "$R"; lockout "$R"
	boot "$c" "file://$REL/nonexistent" "$SUM"
	check "$c, a URL that fails: says so, nothing run" sh -c "
	    [ $BRC -eq 0 ] && [ -z \"\$(ls -A '$T/tmp')\" ] &&
	    [ ! -e '$R/var/lib/sshfix' ] &&
	    grep -qx 'sshfix: cannot fetch file://$REL/nonexistent; nothing run' '$T/console'"

	# KEY without LOGIN: the key goes to root (not to alice).
	R="$T/key-$c"; rm -rf "$R"; lockout "$R"
	boot "$c" "$URL" "$SUM" "$(cat "$KEYS/user_key.pub")"
	check "$c, KEY and no LOGIN: the key is installed for root" \
	    cmp -s "$KEYS/user_key.pub" "$R/root/.ssh/authorized_keys"
	check "$c, KEY and no LOGIN: not for alice, no password opened" sh -c "
	    [ ! -e '$R/home/alice/.ssh/authorized_keys' ] &&
	    ! grep -q PasswordAuthentication '$R/etc/ssh/sshd_config' &&
	    grep -q 'fixed auth-lockout on root' '$T/console'"
done

# wget where there is no curl: over loopback HTTP, never further.
if command -v wget >/dev/null 2>&1 && [ -x /usr/bin/python3 ]; then
	rm -f "$BIN/curl"
	(cd "$REL" && exec /usr/bin/python3 -u -m http.server --bind 127.0.0.1 0) \
	    >"$T/http.log" 2>&1 &
	hpid=$!
	i=0
	while ! port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$T/http.log") ||
	    [ -z "$port" ]; do
		i=$((i + 1)); [ $i -lt 50 ] || break; sleep 0.1
	done
	R="$T/wget"; lockout "$R"
	boot boothook "http://127.0.0.1:$port/$A" "$SUM"
	check "wget, right SHA-256: fetched and run" \
	    con_has "fixed auth-lockout on all accounts, snapshot "
	R="$T/wget-bad"; lockout "$R"; state "$R" >"$T/s0"
	boot boothook "http://127.0.0.1:$port/$A" "$(printf '%s' "$SUM" | tr 0-9a-f 1-9a-f0)"
	state "$R" >"$T/s1"
	check "wget, wrong SHA-256: refused, root unchanged" sh -c "
	    grep -q '^sshfix: refusing http://' '$T/console' &&
	    cmp -s '$T/s0' '$T/s1'"
	sed "s/^/# /" "$T/console" "$T/http.log"
	kill "$hpid"; wait "$hpid" 2>/dev/null
else
	skip_line "wget route" "no wget or /usr/bin/python3"
fi

# One body in three carriers: what follows the marker line is the same.
for c in boothook per-boot user-data; do
	carrier "$c" | sed -n '/^# ---- the same in/,$p' >"$T/body-$c"
done
check "the three carriers share one body, word for word" sh -c "
    [ -s '$T/body-boothook' ] && cmp -s '$T/body-boothook' '$T/body-per-boot' &&
    cmp -s '$T/body-boothook' '$T/body-user-data'"
check "the boothook's first line is #cloud-boothook, its second a shebang" \
    sh -c "[ \"\$(sed -n 1p '$CI/boothook.sh')\" = '#cloud-boothook' ] &&
    [ \"\$(sed -n 2p '$CI/boothook.sh')\" = '#!/bin/sh' ]"
check "the per-boot script starts with a shebang" \
    [ "$(sed -n 1p "$CI/per-boot-sshfix.sh")" = '#!/bin/sh' ]
