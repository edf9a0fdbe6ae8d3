# Attacker bytes in account names, homes, drop-in and sysctl file names,
# HostKey paths and PRETTY_NAME: the text, --oneline and stderr output
# carry them vis(3)-encoded (printable ASCII only, a newline in a name
# never starts a line), and --json stays valid UTF-8 JSON.
. "$SSHFIX_TOP/tests/integration/lib.sh"

ESC=$(printf '\033')
BEL=$(printf '\007')
BAD=$(printf 'x\377y')
FORGED='no faults found: sshd should accept logins'

# keys_in HOME UID: HOME and a key file in it owned by UID (sshd looks at
# a home only for an authorized keys file that exists under it).
keys_in() {
	mkdir -p "$1/.ssh"
	cp "$KEYS/user_key.pub" "$1/.ssh/authorized_keys"
	chown -R "$2:$2" "$1"
	chmod 0700 "$1/.ssh"
	chmod 0600 "$1/.ssh/authorized_keys"
}

# hostile DIR [apply]: mkroot with every kind of hostile name; "apply"
# leaves out the home that is not UTF-8, which no snapshot can hold.
hostile() {
	R=$1
	mkroot "$R"
	name="ev${ESC}[2Jil" home="/home/e${ESC}]0;title${BEL}vil"
	printf '%s:x:1002:1002::%s:/bin/bash\n' "$name" "$home" >>"$R/etc/passwd"
	printf '%s:!:19000:0:99999:7:::\n' "$name" >>"$R/etc/shadow"
	mkdir -p "$R$home"
	keys_in "$R$home" 1002
	chmod 0777 "$R$home"
	if [ "${2:-}" != apply ]; then
		printf 'carol:x:1003:1003::/home/%s:/bin/bash\n' "$BAD" >>"$R/etc/passwd"
		printf 'carol:!:19000:0:99999:7:::\n' >>"$R/etc/shadow"
		mkdir -p "$R/home/$BAD"
		keys_in "$R/home/$BAD" 1003
		chmod 0777 "$R/home/$BAD"
		tab=$(printf '\t')
	else
		tab=
	fi
	printf 'AddressFamily inet6\n' >"$R/etc/ssh/sshd_config.d/10-x
$FORGED.conf"
	printf 'net.ipv6.conf.all.disable_ipv6 = 1\n' \
	    >"$R/etc/sysctl.d/99-${ESC}[31mred.conf"
	sed -i "s/^PRETTY_NAME=.*/PRETTY_NAME=\"Debian ${ESC}[2J${ESC}]0;owned${BEL}\"/" \
	    "$R/etc/os-release"
	printf 'HostKey /etc/ssh/k%s[1m%sx\nHostKey /etc/ssh/ssh_host_ed25519_key\n' \
	    "$ESC" "$tab" >"$R/etc/ssh/sshd_config.d/20-k$BAD.conf"
	printf 'Match Address 10.0.0.0/8\n\tPasswordAuthentication yes\n' \
	    >"$R/etc/ssh/sshd_config.d/30-m$BAD$ESC.conf"
}

# printable FILE: printable ASCII and newlines only (no ESC, BEL, CR, tab,
# DEL, no byte from 0x80).
printable() { [ "$(LC_ALL=C tr -d '\n\040-\176' <"$1" | wc -c)" -eq 0 ]; }
# no_c0 FILE: no control character but newlines (JSON keeps UTF-8).
no_c0() { [ "$(LC_ALL=C tr -d '\n\040-\176\200-\377' <"$1" | wc -c)" -eq 0 ]; }
# unforged FILE: no line, however indented, says there is no fault.
unforged() { ! grep -q "^[[:space:]]*no faults" "$1"; }
# json FILE [PYTHON]: strict UTF-8, valid JSON; PYTHON tests document d.
json() {
	python3 -c 'import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
exec(sys.argv[2])' "$1" "${2:-pass}"
}

# joined_has TEXT: the last stdout, its wrapped lines joined, holds TEXT.
joined_has() { printf '%s' "$OUT" | tr '\n' ' ' | grep -qF -- "$1"; }
# output NAME: stdout and stderr of the last run are printable and unforged.
output() {
	check "$1: stdout printable ASCII only" printable "$T/out"
	check "$1: stderr printable ASCII only" printable "$T/err"
	check "$1: no forged line" unforged "$T/out"
}

R="$T/hostile"; hostile "$R"
run --root "$R"
check "text: faults found (exit 1)" [ "$RC" -eq 1 ]
output "text"
check "text: the drop-in's name, newline encoded" \
    out_has "address-family: /etc/ssh/sshd_config.d/10-x\\n$FORGED.conf:1"
check "text: diff header, newline encoded" \
    out_has "       --- a/etc/ssh/sshd_config.d/10-x\\n$FORGED.conf"
check "text: PRETTY_NAME encoded" joined_has '(Debian \033[2J\033]0;owned\a)'
check "text: user and home encoded" \
    out_has 'home of ev\033[2Jil is world-writable'
check "text: home not UTF-8 encoded" out_has 'home-perms: /home/x\377y'
check "text: HostKey path encoded" out_has 'hostkey-missing: /etc/ssh/k\033[1m'
check "text: sysctl evidence encoded" out_has '/etc/sysctl.d/99-\033[31mred.conf'
check "text: Match note encoded" \
    out_has '(/etc/ssh/sshd_config.d/30-mx\377y\033.conf:1)'

run --root "$R" --oneline
output "--oneline"
check "--oneline: one line" [ "$(wc -l <"$T/out")" -eq 1 ]
check "--oneline: the drop-in's name, newline encoded" \
    out_has "address-family on /etc/ssh/sshd_config.d/10-x\\n$FORGED.conf:1"

run --root "$R" --json
check "--json: strict UTF-8, valid JSON" json "$T/out"
check "--json: no raw control character" no_c0 "$T/out"
check "--json: a UTF-8 name keeps its bytes" json "$T/out" '
assert any(f["subject"] == "/etc/ssh/sshd_config.d/10-x\n'"$FORGED"'.conf:1"
    for f in d["findings"])'
check "--json: a name not UTF-8 is vis-encoded" json "$T/out" '
assert any(f["subject"] == "/home/x\\377y" for f in d["findings"])'

# sshd -t refuses the HostKey line (its message quotes the file name), or
# the snapshot cannot hold the home that is not UTF-8: either way the
# error is encoded. config-invalid repairs at most 16 errors sshd finds
# one at a time: 16 before it leave the HostKey line for the validation.
f=$(ls "$R"/etc/ssh/sshd_config.d/20-k*.conf)
{ i=0; while [ $i -lt 16 ]; do echo 'UseDNS perhaps'; i=$((i + 1)); done
  cat "$f"; } >"$T/k.conf" && cat "$T/k.conf" >"$f"
run --root "$R" --apply
check "failed --apply: exit 3" [ "$RC" -eq 3 ]
output "failed --apply"
check "failed --apply: says so, on stderr" sh -c "printf '%s' \"\$0\" | grep -q '^sshfix: apply failed:'" "$ERR"
run --root "$R" --apply --oneline
output "failed --apply --oneline"
run --root "$R" --apply --json
check "failed --apply --json: strict UTF-8, valid JSON" json "$T/out"

R="$T/applied"; hostile "$R" apply
run --root "$R" --apply
output "--apply"
check "--apply: done" out_has "done:"
check "--apply: done, names encoded" sh -c "printf '%s' \"\$1\" |
    sed -n '/^done:/,\$p' | grep -qF 'chmod 0777 -> 0755 /home/e\\033]0;title\\avil'" _ "$OUT"
run --root "$R" --list
output "--list"
check "--list: findings encoded (wrapped: joined)" sh -c "printf '%s' \"\$0\" |
    tr '\n' ' ' | tr -s ' ' | grep -qF 'home-perms /home/e\\033]0;title\\avil'" "$OUT"
run --root "$R" --list --json
check "--list --json: strict UTF-8, valid JSON" json "$T/out"
run --root "$R" --rollback
output "--rollback"
run --root "$R" --rollback --json
check "--rollback --json: strict UTF-8, valid JSON" json "$T/out"

# Messages on stderr: the path, the user, the option are encoded.
run --root "$T/no${ESC}[2J
$FORGED"
check "--root missing: exit 2" [ "$RC" -eq 2 ]
output "--root missing"
check "--root missing: one line" one_line_err
check "--root missing: path encoded" err_has "no\\033[2J\\n$FORGED"
R="$T/hostile"
run --root "$R" --user "${ESC}]0;x${BEL}"
output "--user unknown"
check "--user unknown: name encoded" err_has '\033]0;x\a'
run "--bogus${ESC}[2J"
output "unknown option"
check "unknown option: encoded" err_has '--bogus\033[2J'

# Every syslog(3) call goes through log_msg(), which encodes.
check "syslog() is called only in log_msg()" sh -c "
    [ \"\$(grep -rn --include='*.c' 'syslog(' '$SSHFIX_TOP'/src '$SSHFIX_TOP'/fixes |
    grep -v '^[^:]*/src/escape.c:[0-9]*:	syslog(prio, \"%s\", s);\$')\" = '' ] &&
    grep -q 'syslog(prio, \"%s\", s);' '$SSHFIX_TOP/src/escape.c'"
