# Bad input: a one-line error on stderr and exit 2, never a crash; and a
# hostile symlink is never followed.
. "$SSHFIX_TOP/tests/integration/lib.sh"

run --root "$T/nonexistent"
check "missing root: exit 2" [ "$RC" -eq 2 ]
check "missing root: one-line reason" one_line_err
check "missing root: names the directory" err_has "$T/nonexistent"

: >"$T/afile"
run --root "$T/afile"
check "root is a file: exit 2" [ "$RC" -eq 2 ]
check "root is a file: one line" one_line_err

run --bogus
check "unknown flag: exit 2" [ "$RC" -eq 2 ]
check "unknown flag: named" err_has "--bogus"

run --root
check "--root without DIR: exit 2" [ "$RC" -eq 2 ]

run extra-argument
check "stray argument: exit 2" [ "$RC" -eq 2 ]

run --help
check "--help: exit 0 and usage" sh -c "[ $RC -eq 0 ] && printf '%s' \"\$1\" | grep -q '^usage: sshfix'" _ "$OUT"
run --version
check "--version: prints version" sh -c "[ $RC -eq 0 ] && printf '%s' \"\$1\" | grep -q '^sshfix [0-9]'" _ "$OUT"

R="$T/garbage"; mkroot "$R"
head -c 4096 /dev/urandom >"$R/etc/ssh/sshd_config"
printf '\0' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
check "binary garbage config: exit 2" [ "$RC" -eq 2 ]
check "binary garbage config: one line naming the file" \
    sh -c "[ \"\$(printf '%s\n' \"\$1\" | wc -l)\" -eq 1 ] && printf '%s' \"\$1\" | grep -q sshd_config" _ "$ERR"

R="$T/loop"; mkroot "$R"
printf 'Include /etc/ssh/sshd_config.d/loop.conf\n' >"$R/etc/ssh/sshd_config.d/loop.conf"
diagnose "$R"
check "Include loop: exit 2" [ "$RC" -eq 2 ]
check "Include loop: says so" err_has "Include nested more than 16 deep"
check "Include loop: one line" one_line_err

R="$T/longline"; mkroot "$R"
head -c 1048576 /dev/zero | tr '\0' 'a' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
check "1 MB line: exit 2" [ "$RC" -eq 2 ]
check "1 MB line: one line" one_line_err

R="$T/badpasswd"; mkroot "$R"
printf 'carol:x:1002\n' >>"$R/etc/passwd"
diagnose "$R"
check "passwd line with missing fields: exit 2" [ "$RC" -eq 2 ]
check "passwd line with missing fields: names line 6" err_has "/etc/passwd line 6"

# group and shadow: a line that is not an entry stops sshfix as in passwd
# (fgetgrent and fgetspent would skip it silently). No verdict is printed.
badline() {	# badline NAME FILE LINE-TEXT WANT
	R="$T/$1"; mkroot "$R"
	printf '%b\n' "$3" >>"$R$2"
	diagnose "$R"
	check "$1: exit 2" [ "$RC" -eq 2 ]
	check "$1: one line naming $4" sh -c '
	    [ "$(printf "%s\n" "$1" | grep -c .)" -eq 1 ] &&
	    printf "%s" "$1" | grep -qF "$2"' _ "$ERR" "$4"
	check "$1: no verdict on stdout, only the error document" sh -c '
	    [ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ] &&
	    printf "%s" "$1" | grep -q "^{\"schema_version\":1,.*\"mode\":\"error\"" &&
	    ! printf "%s" "$1" | grep -q "\"findings\"" &&
	    printf "%s" "$1" | grep -qF "$2"' _ "$OUT" "$4"
	unchanged=$UNCHANGED
	check "$1: nothing changed" [ "$unchanged" -eq 0 ]
	run --root "$R"
	check "$1: text mode: exit 2, no verdict" sh -c \
	    '[ "$1" -eq 2 ] && [ -z "$2" ]' _ "$RC" "$OUT"
}
# (mkroot: 5 passwd and shadow lines, 7 group lines, sshd's included.)
badline group-nan /etc/group 'users2:x:notanumber:alice' "/etc/group line 8:"
badline group-binary /etc/group '\001\002\377\376garbage' "/etc/group line 8:"
badline group-2fields /etc/group 'staff:x' "/etc/group line 8:"
badline group-noname /etc/group ':x:1234:' "/etc/group line 8:"
badline shadow-short /etc/shadow 'carol:!:19000' "/etc/shadow line 6:"
badline shadow-nan /etc/shadow 'carol:!:yesterday:0:99999:7:::' \
    "/etc/shadow line 6:"
badline shadow-binary /etc/shadow '\177ELF\002\001\001' "/etc/shadow line 6:"
# The same kind of root, group and shadow intact, is diagnosed (exit 0),
# and a bad passwd line in it still names passwd.
R="$T/group-ok"; mkroot "$R"
printf 'staff:x:50:alice\n+:::\n\n' >>"$R/etc/group"
printf '+::::::::\n' >>"$R/etc/shadow"
diagnose "$R"
check "valid group and shadow lines (NIS, blank): exit 0" [ "$RC" -eq 0 ]
printf 'carol:x:1002\n' >>"$R/etc/passwd"
diagnose "$R"
check "bad passwd beside good group/shadow: exit 2 naming passwd" sh -c \
    '[ "$1" -eq 2 ] && printf "%s" "$2" | grep -qF "/etc/passwd line 6:"' \
    _ "$RC" "$ERR"

R="$T/nopasswd"; mkroot "$R"; rm "$R/etc/passwd"
diagnose "$R"
check "no passwd: exit 2" [ "$RC" -eq 2 ]

R="$T/noconfig"; mkroot "$R"; rm "$R/etc/ssh/sshd_config"
diagnose "$R"
check "missing sshd_config (and no sshd): sshd-absent, exit 1" \
    sh -c "[ $RC -eq 1 ] && [ \"\$(echo '$(ids)')\" = sshd-absent ]"

R="$T/nouser"; mkroot "$R"
diagnose "$R" --user mallory
check "--user unknown: exit 2" [ "$RC" -eq 2 ]
check "--user unknown: names the user" err_has "mallory"

R="$T/badkey"; mkroot "$R"
diagnose "$R" --authorized-key "not a key"
check "--authorized-key garbage: exit 2" [ "$RC" -eq 2 ]

R="$T/symlink"; mkroot "$R"
rm "$R/home/alice/.ssh/authorized_keys"
ln -s /etc/shadow "$R/home/alice/.ssh/authorized_keys"
chown -h 1000:1000 "$R/home/alice/.ssh/authorized_keys"
chmod 0666 "$R/etc/shadow"
diagnose "$R" --user alice
check "user's symlink to etc/shadow: no crash" \
    sh -c "[ $RC -le 1 ] || [ $RC -eq 5 ]"
check "user's symlink to etc/shadow: tree unchanged" [ "$UNCHANGED" -eq 0 ]
check "user's symlink: etc/shadow not named in any action" \
    sh -c "! printf '%s' \"\$1\" | grep -q '\"path\":\"/etc/shadow\"'" _ "$OUT"

R="$T/fifo"; mkroot "$R"
rm "$R/home/alice/.ssh/authorized_keys"; mkfifo "$R/home/alice/.ssh/authorized_keys"
chown 1000:1000 "$R/home/alice/.ssh/authorized_keys"
timeout 10 "$SSHFIX" --root "$R" --json >"$T/out" 2>&1
RC=$?; OUT=$(cat "$T/out")
check "fifo as authorized_keys: no hang" [ "$RC" -ne 124 ]
check "fifo as authorized_keys: not a regular file" out_has 'is not a regular file'

# -R is not --rollback (shadow-utils' tools take -R for their root): on a
# root with an applied snapshot it rolls nothing back, and says why.
R="$T/minusR"; mkroot "$R"
chmod 0777 "$R/etc/ssh/ssh_host_ed25519_key"
run --root "$R" --apply
tree "$R" >"$T/t0"
run -R --root "$R"
check "-R: exit 2, names -R and --rollback" sh -c \
    '[ "$1" -eq 2 ] && printf "%s" "$2" | grep -q "unknown option .-R. (--rollback has no short form"' \
    _ "$RC" "$ERR"
tree "$R" >"$T/t1"
check "-R: nothing rolled back" cmp -s "$T/t0" "$T/t1"
# Option errors name the option; outputs and modes that conflict are refused.
for a in "--root" "-r" "--keep"; do
	run $a
	check "$a without its argument: exit 2, named" sh -c \
	    '[ "$1" -eq 2 ] && printf "%s" "$2" | grep -q "option .$3. needs an argument"' \
	    _ "$RC" "$ERR" "$a"
done
run --root "$R" --json --oneline
check "--json with --oneline: refused, exit 2" sh -c \
    '[ "$1" -eq 2 ] && printf "%s" "$2" | grep -q "choose one output"' _ "$RC" "$ERR"
run --root "$R" --force
check "--force without --rollback: refused, exit 2" [ "$RC" -eq 2 ]
run --root "$R" --list --no-reload
check "--no-reload with --list: refused, exit 2" [ "$RC" -eq 2 ]

# The disk not mounted: --root names an empty directory (or one with an
# empty etc/). One line on stderr asks whether the disk is mounted there;
# exit 2, stdout empty; the same with --apply, nothing created.
for nd in empty emptyetc; do
	mkdir -p "$T/$nd"
	[ "$nd" = emptyetc ] && mkdir -p "$T/$nd/etc"
	for nm in "" --apply; do
		run --root "$T/$nd" $nm
		check "--root $nd ${nm:-(dry run)}: 'is the disk mounted at DIR?', exit 2" \
		    sh -c '[ "$1" -eq 2 ] && [ -z "$2" ] &&
		    [ "$(printf "%s\n" "$3" | wc -l)" -eq 1 ] &&
		    printf "%s" "$3" | grep -qF "is the disk mounted at $4?"' \
		    _ "$RC" "$OUT" "$ERR" "$T/$nd"
	done
	check "--root $nd: nothing created under it" \
	    sh -c '[ -z "$(find "$1" -mindepth 1 ! -path "$1/etc")" ]' _ "$T/$nd"
done
