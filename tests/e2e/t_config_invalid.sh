# config-invalid against the real sshd: each fault keeps sshd from
# starting and is logged with its line; the dry run names FILE:LINE;
# --apply makes sshd start and the login work; --rollback brings it back.
. "$SSHFIX_TOP/tests/e2e/lib.sh"

SCENARIOS="healthy drop-in-typo bom lone-backslash usedns-perhaps match-foo
two-files negative-controls"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in $SCENARIOS; do skip "e2e config-invalid $s" "$why"; done
	exit 0
fi

clean() { [ "$RC" -eq 0 ] && no_ids; }
# names FILE:LINE: the dry run's finding for it, with exit 1.
names() { [ "$RC" -eq 1 ] && out_has "\"subject\":\"$1\""; }

R="$T/healthy"; sandbox "$R"
attempt "$R" alice key
check "healthy root: alice logs in" logged_in
run --root "$R" --dry-run --json
check "healthy root: dry run exits 0, no findings" clean

# fault NAME FILE LINE LOGLINE: the fault is in the sandbox R already.
fault() {
	run --root "$R" --dry-run --json
	check "$1: dry run names $2:$3 (exit 1)" names "$2:$3"
	scenario "$1" "$R" alice key "$4" config-invalid
}

R="$T/typo"; sandbox "$R"
printf 'PasswordAuthentcation no\n' >"$R/etc/ssh/sshd_config.d/10-typo.conf"
fault "misspelled keyword in a drop-in" /etc/ssh/sshd_config.d/10-typo.conf 1 \
    "/etc/ssh/sshd_config.d/10-typo.conf: line 1: Bad configuration option: PasswordAuthentcation"

R="$T/bom"; sandbox "$R"
printf '\357\273\277' | cat - "$R/etc/ssh/sshd_config" >"$T/c" &&
    cat "$T/c" >"$R/etc/ssh/sshd_config"
fault "UTF-8 BOM before the first keyword" /etc/ssh/sshd_config 1 \
    "/etc/ssh/sshd_config: line 1: Bad configuration option: $(printf '\\357\\273\\277')Include"
run --root "$R" --apply
check "BOM: --apply removes exactly the three bytes" sh -c \
    "head -c 3 '$R/etc/ssh/sshd_config' | od -An -c | grep -q '#' &&
     grep -qx 'Include /etc/ssh/sshd_config.d/\*.conf' '$R/etc/ssh/sshd_config'"
run --root "$R" --rollback

R="$T/bslash"; sandbox "$R"; printf '\\\n' >>"$R/etc/ssh/sshd_config"
fault "a line holding only a backslash" /etc/ssh/sshd_config 8 \
    '/etc/ssh/sshd_config line 8: no argument after keyword "\\"'

R="$T/usedns"; sandbox "$R"; printf 'UseDNS perhaps\n' >>"$R/etc/ssh/sshd_config"
fault "UseDNS perhaps" /etc/ssh/sshd_config 8 \
    '/etc/ssh/sshd_config line 8: unsupported option "perhaps".'

# The block would apply to everyone once its Match line is gone.
R="$T/match"; sandbox "$R"
printf 'Match Foo bar\n\tAllowUsers nobody\n' >>"$R/etc/ssh/sshd_config"
fault "Match Foo bar with its block" /etc/ssh/sshd_config 8 \
    "/etc/ssh/sshd_config line 8: Bad Match condition"
run --root "$R" --apply
check "Match Foo bar: its body is disabled too" \
    grep -qx '#	AllowUsers nobody' "$R/etc/ssh/sshd_config"
run --root "$R" --rollback

R="$T/two"; sandbox "$R"
printf 'UseDNS perhaps\n' >>"$R/etc/ssh/sshd_config"
printf 'PermitRootLogin maybe\n' >"$R/etc/ssh/sshd_config.d/20-bad.conf"
run --root "$R" --dry-run --json
check "two errors in two files: both reported" sh -c \
    "[ $RC -eq 1 ] && [ \$(printf '%s' \"\$1\" | grep -o '\"id\":\"config-invalid\"' | wc -l) -eq 2 ]" \
    _ "$OUT"
check "two errors: the drop-in's line" out_has '"subject":"/etc/ssh/sshd_config.d/20-bad.conf:1"'
check "two errors: the main file's line" out_has '"subject":"/etc/ssh/sshd_config:8"'
run --root "$R" --apply
attempt "$R" alice key
check "two errors: login works after --apply" logged_in

# Negative controls: sshd starts, and sshfix says so: an Include glob
# matching nothing, deprecated keywords sshd still accepts, an old alias
# in the main file that a drop-in overrides.
R="$T/neg"; sandbox "$R"
cat >>"$R/etc/ssh/sshd_config" <<'C'
Include /etc/ssh/nothing.d/*.conf
ChallengeResponseAuthentication no
UsePrivilegeSeparation sandbox
PermitRootLogin without-password
C
printf 'PermitRootLogin no\n' >"$R/etc/ssh/sshd_config.d/50-override.conf"
attempt "$R" alice key
check "negative controls: sshd starts, alice logs in" logged_in
run --root "$R" --dry-run --json
check "negative controls: dry run exits 0, no findings" clean
