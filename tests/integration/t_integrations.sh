#!/bin/sh
# The configuration-management examples under packaging/examples run for
# real where their tool is installed: a change that would lock an account
# out fails with sshfix --preflight's line and leaves the file as it was,
# a benign one lands. Each tool's exact command line is recorded.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"
EX="$SSHFIX_TOP/packaging/examples"
not() { ! "$@"; }

# Until --preflight exists, a stand-in with the contract's command line,
# exit codes and first line (SSHFIX_PREFLIGHT_BIN chooses another).
FAKE="$T/fake-sshfix"
cat >"$FAKE" <<'F'
#!/bin/sh
cand= as=/etc/ssh/sshd_config
while [ $# -gt 0 ]; do
	case $1 in
	--root|--user|--from) [ $# -ge 2 ] || exit 2; shift ;;
	--preflight) [ $# -ge 2 ] || exit 2; cand=$2; shift ;;
	--as) [ $# -ge 2 ] || exit 2; as=$2; shift ;;
	--json) ;;
	*) echo "sshfix: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
case $as in /*) ;; *) echo "sshfix: --as: not absolute" >&2; exit 2 ;; esac
if [ -z "$cand" ] || [ -L "$cand" ] || [ ! -f "$cand" ]; then
	echo "sshfix: preflight: cannot read the candidate" >&2; exit 2
fi
n=$(grep -n 'AllowUsers nobody' "$cand" | head -1 | cut -d: -f1)
if [ -n "$n" ]; then
	echo "sshfix: preflight: alice: publickey accepted -> refused: not listed in AllowUsers ($cand:$n: AllowUsers nobody)" >&2
	exit 1
fi
exit 0
F
chmod 0755 "$FAKE"
if [ -n "${SSHFIX_PREFLIGHT_BIN:-}" ]; then
	BIN=$SSHFIX_PREFLIGHT_BIN
	echo "# preflight: $BIN (SSHFIX_PREFLIGHT_BIN)"
elif "$SSHFIX" --help 2>/dev/null | grep -q -- '--preflight'; then
	BIN=$SSHFIX
	echo "# preflight: $BIN"
else
	BIN=$FAKE
	echo "# preflight: $SSHFIX --help lists no --preflight: the stand-in $FAKE"
fi
# Every call's arguments, one line each, then the real thing.
LOG="$T/calls"
WRAP="$T/sshfix-logged"
printf '#!/bin/sh\nprintf "%%s|" "$@" >>"%s"\necho >>"%s"\nexec "%s" "$@"\n' \
    "$LOG" "$LOG" "$BIN" >"$WRAP"
chmod 0755 "$WRAP"
: >"$LOG"
# called PATTERN: the last call's arguments match PATTERN (a case pattern).
called() { eval "case \$(tail -1 \"$LOG\") in $1) true ;; *) false ;; esac"; }
calls() { wc -l <"$LOG"; }

# A sandbox root where alice and root log in with a key today.
R="$T/root"; mkroot "$R"
MAIN="$R/etc/ssh/sshd_config"
DROPIN="$R/etc/ssh/sshd_config.d/50-ansible.conf"
# Candidates: a lockout and a benign edit.
BAD="$T/cand-bad"; GOOD="$T/cand-good"
{ cat "$MAIN"; echo 'AllowUsers nobody'; } >"$BAD"
sed 's/^X11Forwarding yes$/X11Forwarding no/' "$MAIN" >"$GOOD"

# Ansible's lineinfile, blockinfile, replace and assemble put only the
# validator's stderr in the failure; Salt, Puppet and git show both.
check "preflight: a lockout's first line is on stderr" sh -c \
    "'$BIN' --root '$R' --preflight '$BAD' 2>&1 >/dev/null |
    head -1 | grep -q '^sshfix: preflight: .*AllowUsers nobody'"

# --- Ansible: template, copy and lineinfile with validate: -------------
# play TAGS EXTRA-VARS-JSON: the example playbook against the sandbox root.
play() {
	env ANSIBLE_CONFIG="$T/ansible.cfg" ANSIBLE_HOME="$T/ansible" \
	    ANSIBLE_LOCAL_TEMP="$T/ansible/ltmp" ANSIBLE_REMOTE_TEMP="$T/ansible/rtmp" \
	    ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
	    ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 \
	    ansible-playbook -i localhost, -c local "$EX/ansible/sshd.yml" \
	    --tags "$1" -e "{\"sshfix\": \"$WRAP\", \"sshfix_root\": \"$R\"}" \
	    -e "$2" >"$T/play" 2>&1
	PRC=$?
}
play_has() { grep -qF -- "$1" "$T/play"; }
same() { cmp -s "$1" "$2"; }
if command -v ansible-playbook >/dev/null 2>&1; then
	: >"$T/ansible.cfg"
	cp "$MAIN" "$T/main0"
	play template '{"sshd_extra_lines": ["AllowUsers nobody"]}'
	check "ansible template: a lockout fails the task" [ "$PRC" -ne 0 ]
	check "ansible template: the failure shows sshfix's line" sh -c \
	    "grep -q 'sshfix: preflight: .*AllowUsers nobody' '$T/play'"
	check "ansible template: sshd_config unchanged (bytes)" same "$T/main0" "$MAIN"
	check "ansible template: validate ran --root R --preflight TMP --as /etc/ssh/sshd_config" \
	    called "\"--root|$R|--preflight|\"/*\"|--as|/etc/ssh/sshd_config|\""

	play copy '{"sshd_dropin": "AllowUsers nobody\n"}'
	check "ansible copy: a lockout in a new drop-in fails the task" [ "$PRC" -ne 0 ]
	check "ansible copy: the failure shows sshfix's line" play_has "AllowUsers nobody"
	check "ansible copy: the drop-in is not created" [ ! -e "$DROPIN" ]
	check "ansible copy: validate ran --as the drop-in's path" \
	    called "\"--root|$R|--preflight|\"/*\"|--as|/etc/ssh/sshd_config.d/50-ansible.conf|\""

	play lineinfile '{"sshd_allow_users": ["nobody"]}'
	check "ansible lineinfile: a lockout fails the task" [ "$PRC" -ne 0 ]
	check "ansible lineinfile: the failure shows sshfix's line" sh -c \
	    "grep -q 'failed to validate.*sshfix: preflight: .*AllowUsers nobody' '$T/play'"
	check "ansible lineinfile: sshd_config unchanged (bytes)" same "$T/main0" "$MAIN"

	n=$(calls)
	play template,copy,lineinfile '{"sshd_allow_users": ["root", "alice"]}'
	check "ansible: benign template, drop-in and line: the play succeeds" [ "$PRC" -eq 0 ]
	[ "$PRC" -eq 0 ] || grep -E 'FAILED|fatal' "$T/play" | sed 's/^/# /' | cut -c1-300
	check "ansible: sshfix judged each of the three" [ "$(calls)" -eq $((n + 3)) ]
	check "ansible: the template landed" sh -c \
	    "grep -q '^X11Forwarding no$' '$MAIN' && grep -q 'Ansible managed' '$MAIN'"
	check "ansible: the drop-in landed" sh -c \
	    "printf 'PasswordAuthentication no\n' | cmp -s - '$DROPIN'"
	check "ansible: the AllowUsers line landed" grep -qx 'AllowUsers root alice' "$MAIN"
	rm -f "$DROPIN"
	cp "$T/main0" "$MAIN"
else
	skip_line "ansible example (template, copy, lineinfile with validate:)" \
	    "ansible-core missing"
fi

# --- git pre-commit hook ----------------------------------------------
git_hook() {
	G="$T/repo"
	git init -q "$G"
	(
		cd "$G" || exit 1
		git config user.name t && git config user.email t@example.org &&
		git config core.hooksPath .git/hooks &&
		git config commit.gpgsign false &&
		git config sshfix.prefix hosts/web1/ && git config sshfix.root "$R" &&
		git config sshfix.program "sh $WRAP" &&
		cp "$EX/git/pre-commit" .git/hooks/pre-commit &&
		mkdir -p hosts/web1/etc/ssh/sshd_config.d &&
		cp "$MAIN" hosts/web1/etc/ssh/sshd_config &&
		echo repo >README && git add README && git commit -q -m init
	) || not_ok "git: a repository with the hook"
	# commit FILE: stage FILE and try to commit; sets GRC, output in $T/git.
	commit() {
		(cd "$G" && git add "$1" && git commit -q -m "$1") >"$T/git" 2>&1
		GRC=$?
	}
	head_is() { [ "$(git -C "$G" rev-parse HEAD)" = "$1" ]; }
	git_has() { grep -qF -- "$1" "$T/git"; }
	refused() { [ "$GRC" -ne 0 ] && head_is "$1"; }
	landed() { [ "$GRC" -eq 0 ] && not head_is "$1"; }
	H0=$(git -C "$G" rev-parse HEAD)
	n=$(calls)
	echo 'AllowUsers nobody' >>"$G/hosts/web1/etc/ssh/sshd_config"
	commit hosts/web1/etc/ssh/sshd_config
	check "git hook: a lockout in sshd_config refuses the commit" refused "$H0"
	check "git hook: shows sshfix's line" git_has "sshfix: preflight: "
	check "git hook: sshfix's line names the repository file" \
	    git_has "/hosts/web1/etc/ssh/sshd_config:"
	check "git hook: names the refused file" \
	    git_has "pre-commit: hosts/web1/etc/ssh/sshd_config: refused"
	check "git hook: --root and --as from its mapping" \
	    called "\"--root|$R|--preflight|\"/*\"/hosts/web1/etc/ssh/sshd_config|--as|/etc/ssh/sshd_config|\""
	# The working tree repaired but not staged: the staged content is judged.
	cp "$MAIN" "$G/hosts/web1/etc/ssh/sshd_config"
	(cd "$G" && git commit -q -m unstaged) >"$T/git" 2>&1
	GRC=$?
	check "git hook: judges the staged content, not the working tree" refused "$H0"
	commit hosts/web1/etc/ssh/sshd_config
	check "git hook: the repaired file commits" landed "$H0"
	check "git hook: ...each attempt judged by sshfix" [ "$(calls)" -eq $((n + 3)) ]
	H1=$(git -C "$G" rev-parse HEAD)
	printf 'AllowUsers nobody\n' >"$G/hosts/web1/etc/ssh/sshd_config.d/50-x.conf"
	commit hosts/web1/etc/ssh/sshd_config.d/50-x.conf
	check "git hook: a lockout in a new drop-in refuses the commit" refused "$H1"
	check "git hook: --as the drop-in's path" \
	    called "\"--root|$R|--preflight|\"*\"|--as|/etc/ssh/sshd_config.d/50-x.conf|\""
	printf 'PasswordAuthentication no\n' >"$G/hosts/web1/etc/ssh/sshd_config.d/50-x.conf"
	commit hosts/web1/etc/ssh/sshd_config.d/50-x.conf
	check "git hook: a benign drop-in commits" landed "$H1"
	n=$(calls)
	mkdir -p "$G/etc/ssh"
	echo 'AllowUsers nobody' >"$G/etc/ssh/sshd_config"
	commit etc/ssh/sshd_config
	check "git hook: a file outside its prefix is not judged" \
	    sh -c "[ $GRC -eq 0 ] && [ \$(wc -l <'$LOG') -eq $n ]"
}
if command -v git >/dev/null 2>&1; then
	git_hook
else
	skip_line "git pre-commit hook" "git missing"
fi

# --- Salt: file.managed with check_cmd ----------------------------------
# Salt appends the candidate's temp file to check_cmd and runs it. No salt
# here (Debian 12 has none): the state parses, each check_cmd is the
# contract's with --as its own file, and run as Salt runs it (sshfix from
# PATH; --root added to judge the sandbox) it refuses and passes.
SALT="$T/salt"
if /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
	/usr/bin/python3 - "$EX/salt/sshd.sls" >"$SALT" 2>"$T/salt.err" <<'PY'
import sys, yaml
for name, decl in yaml.safe_load(open(sys.argv[1])).items():
    args = {k: v for d in decl["file.managed"] for k, v in d.items()}
    print(name + "\t" + args["check_cmd"])
PY
	check "salt: the state parses as YAML, every file.managed has check_cmd" \
	    sh -c "[ -s '$SALT' ] && [ ! -s '$T/salt.err' ]"
	sed 's/^/# /' "$T/salt.err"
	check "salt: check_cmd is 'sshfix --as FILE --preflight' for its own FILE" sh -c "
	    [ \$(wc -l <'$SALT') -eq 2 ] &&
	    awk -F '\t' '\$2 != \"sshfix --as \" \$1 \" --preflight\" { exit 1 }' '$SALT'"
	mkdir "$T/saltbin"
	printf '#!/bin/sh\nexec "%s" --root "%s" "$@"\n' "$WRAP" "$R" >"$T/saltbin/sshfix"
	chmod 0755 "$T/saltbin/sshfix"
	cmd=$(head -1 "$SALT" | cut -f2)
	PATH="$T/saltbin:$PATH" sh -c "$cmd $BAD" >"$T/salt.out" 2>&1
	check "salt: check_cmd + the candidate refuses a lockout (exit 1, sshfix's line)" \
	    sh -c "[ $? -eq 1 ] && grep -q '^sshfix: preflight: ' '$T/salt.out'"
	check "salt: ...with the contract's arguments" \
	    called "\"--root|$R|--as|/etc/ssh/sshd_config|--preflight|$BAD|\""
	PATH="$T/saltbin:$PATH" sh -c "$cmd $GOOD" >"$T/salt.out" 2>&1
	check "salt: check_cmd + the candidate passes a benign edit" [ $? -eq 0 ]
else
	skip_line "salt state parses (python3-yaml)" "python3-yaml missing"
fi

# --- Puppet: file with validate_cmd ---------------------------------------
# puppet apply of the example class on the sandbox root, with Puppet's
# state kept in the temp dir.
if command -v puppet >/dev/null 2>&1; then
	puppet parser validate "$EX/puppet/sshd.pp" >"$T/pp" 2>&1
	check "puppet parser validate accepts the manifest" [ $? -eq 0 ]
	sed 's/^/# /' "$T/pp"
	# papply SOURCE: the class applied with SOURCE as the main file.
	papply() {
		{ cat "$EX/puppet/sshd.pp"
		  echo "class { 'sshd_guarded': sshfix => '$WRAP', root => '$R'," \
		      "sshd_config_source => '$1' }"; } >"$T/site.pp"
		P="$T/puppet"
		puppet apply --detailed-exitcodes --color=false --confdir "$P/etc" \
		    --vardir "$P/var" --codedir "$P/code" --logdir "$P/log" \
		    --rundir "$P/run" "$T/site.pp" >"$T/papply" 2>&1
		PRC=$?
	}
	cp "$MAIN" "$T/main0"
	papply "$BAD"
	check "puppet apply: a lockout fails the resource (exit 4 or 6)" \
	    sh -c "[ $PRC -eq 4 ] || [ $PRC -eq 6 ]"
	check "puppet apply: the failure shows sshfix's first line" \
	    grep -q "returned 1: sshfix: preflight: .*AllowUsers nobody" "$T/papply"
	check "puppet apply: sshd_config unchanged (bytes)" same "$T/main0" "$MAIN"
	check "puppet apply: validate_cmd is the contract's" grep -q \
	    "Execution of '$WRAP --root $R --preflight [^ ]* --as /etc/ssh/sshd_config' returned 1" \
	    "$T/papply"
	papply "$GOOD"
	check "puppet apply: a benign file lands (exit 0 or 2)" \
	    sh -c "{ [ $PRC -eq 0 ] || [ $PRC -eq 2 ]; } && cmp -s '$GOOD' '$MAIN'"
	grep '^Error: [^F]' "$T/papply" | sed 's/^/# /' | cut -c1-300
	check "puppet apply: the drop-in, judged --as its own path, landed" sh -c "
	    grep -q '|--as|/etc/ssh/sshd_config.d/50-puppet.conf|' '$LOG' &&
	    printf 'PasswordAuthentication no\n' |
	    cmp -s - '$R/etc/ssh/sshd_config.d/50-puppet.conf'"
	rm -f "$R/etc/ssh/sshd_config.d/50-puppet.conf"
	cp "$T/main0" "$MAIN"
else
	skip_line "puppet example (parser validate, apply with validate_cmd)" \
	    "puppet missing"
fi
