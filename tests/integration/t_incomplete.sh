# A diagnosis that could not read what it needs says so ("incomplete:"),
# never exits 0, and --apply refuses to start from it. A missing file is
# a fact, not a failure.
. "$SSHFIX_TOP/tests/integration/lib.sh"
chmod 0755 "$T"		# the unprivileged runs must reach the roots

NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
# Root without the capabilities that let it read anything.
NODAC="setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search"

# as WRAPPER ARGS...: sshfix run through WRAPPER; sets RC, OUT, ERR.
as() {
	w=$1; shift
	$w "$SSHFIX" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# text_has S: the text report (wrapped at 80 columns) holds S.
text_has() { printf '%s' "$OUT" | tr '\n' ' ' | grep -qF -- "$1"; }

# readable DIR: a healthy root that an unprivileged user can read in full.
readable() {
	mkroot "$1"
	chmod 0644 "$1/etc/shadow"
	chmod 0755 "$1/root" "$1/root/.ssh" "$1/home/alice/.ssh"
	chmod 0644 "$1/root/.ssh/authorized_keys" \
	    "$1/home/alice/.ssh/authorized_keys"
	# sshd judges only keys it owns: nobody's 0600 keys are fine.
	chown 65534:65534 "$1"/etc/ssh/ssh_host_*_key
}

R="$T/control"; readable "$R"
as "$NOBODY" --root "$R"
check "unprivileged, all readable: exit 0" [ "$RC" -eq 0 ]
check "unprivileged, all readable: no incomplete line" sh -c \
    '! printf "%s" "$1" | grep -q incomplete' _ "$OUT"

# unreadable NAME WANT-PATH SETUP...: SETUP (run in the root) makes one
# thing unreadable for nobody; the dry run must say which, and exit 2.
unreadable() {
	name=$1 want=$2; shift 2
	R="$T/$name"; readable "$R"
	(cd "$R" && "$@")
	as "$NOBODY" --root "$R"
	check "$name: not exit 0 (exit 2)" [ "$RC" -eq 2 ]
	check "$name: text names $want" text_has \
	    "incomplete: could not read $want: Permission denied"
	check "$name: never says sshd should accept logins" sh -c \
	    '! printf "%s" "$1" | grep -q "should accept logins"' _ "$OUT"
	as "$NOBODY" --root "$R" --json
	check "$name: JSON incomplete array names $want" out_has \
	    "\"incomplete\":[{\"path\":\"$want\",\"error\":\"Permission denied\"}"
	check "$name: JSON exit 2" [ "$RC" -eq 2 ]
	as "$NOBODY" --root "$R" --oneline
	check "$name: --oneline names $want, exit 2" sh -c \
	    '[ "$1" -eq 2 ] && printf "%s" "$2" | grep -qF "incomplete: could not read $3"' \
	    _ "$RC" "$OUT" "$want"
	as "" --root "$R"
	check "$name: as root it is all readable: exit 0" [ "$RC" -eq 0 ]
}
unreadable shadow /etc/shadow chmod 0640 etc/shadow
unreadable root-home /root/.ssh/authorized_keys chmod 0700 root
unreadable keyfile /home/alice/.ssh/authorized_keys \
    chmod 0600 home/alice/.ssh/authorized_keys
unreadable homes /home/alice chmod 0700 home
unreadable group /etc/group chmod 0600 etc/group
unreadable hostkey /etc/ssh/ssh_host_ed25519_key \
    chown 0:0 etc/ssh/ssh_host_ed25519_key
unreadable config-dir /etc/ssh/sshd_config.d chmod 0700 etc/ssh/sshd_config.d
unreadable os-release /etc/os-release chmod 0600 etc/os-release

# As in the brief of the bug: the stock root (shadow 0640, /root 0700),
# unprivileged, without and with --user.
R="$T/stock"; mkroot "$R"
as "$NOBODY" --root "$R"
check "stock root, unprivileged: exit 2" [ "$RC" -eq 2 ]
check "stock root, unprivileged: names /etc/shadow" text_has \
    "could not read /etc/shadow: Permission denied"
check "stock root, unprivileged: names root's authorized_keys" text_has \
    "could not read /root/.ssh/authorized_keys: Permission denied"
as "$NOBODY" --root "$R" --user root
check "stock root, unprivileged, --user root: exit 2" [ "$RC" -eq 2 ]

# A missing file is a fact: no incomplete line for bob's absent .ssh.
check "a missing file is not reported as unreadable" sh -c \
    '! printf "%s" "$1" | grep -q "/home/bob"' _ "$OUT"

# --apply refuses a partial view: root without DAC override cannot read
# alice's .ssh (0700 alice). bob's 0777 home would otherwise be fixed.
if $NODAC true 2>/dev/null; then
	R="$T/apply"; mkroot "$R"
	chmod 0777 "$R/home/bob"
	mkdir "$R/home/bob/.ssh"	# a key file: sshd checks bob's home
	cp "$KEYS/user_key.pub" "$R/home/bob/.ssh/authorized_keys"
	chown -R 1001:1001 "$R/home/bob/.ssh"
	chmod 0700 "$R/home/bob/.ssh"
	state "$R" >"$T/before"
	as "$NODAC" --root "$R" --apply
	state "$R" >"$T/after"
	check "apply on an incomplete diagnosis: exit 2" [ "$RC" -eq 2 ]
	check "apply on an incomplete diagnosis: nothing changed, no snapshot" \
	    cmp -s "$T/before" "$T/after"
	check "apply on an incomplete diagnosis: one line says why" sh -c '
	    [ "$(printf "%s\n" "$1" | grep -c .)" -eq 1 ] &&
	    printf "%s" "$1" | grep -q "refused.*incomplete.*/home/alice/.ssh/authorized_keys: Permission denied"' \
	    _ "$ERR"
	as "$NODAC" --root "$R"
	check "dry run of the same: the fault is shown, exit 2" sh -c \
	    '[ "$1" -eq 2 ] && printf "%s" "$2" | grep -q "home-perms: /home/bob"' \
	    _ "$RC" "$OUT"
	as "" --root "$R" --apply
	check "with full root rights the same apply runs (exit 0)" [ "$RC" -eq 0 ]
else
	skip_line "--apply refuses an incomplete diagnosis" \
	    "setpriv cannot drop capabilities here"
fi
