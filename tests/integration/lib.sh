# Shared by the integration tests: build fake roots, run sshfix on them,
# report TAP. Every test runs as root (chown) on a root under a temp dir.

: "${SSHFIX:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/sshfix-it.XXXXXX")
trap 'rm -rf "$T"' EXIT
N=0

ok() { N=$((N + 1)); echo "ok $N - $*"; }
not_ok() { N=$((N + 1)); echo "not ok $N - $*"; }
check() {	# check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# Host keys made once per test file and copied into each root.
KEYS="$T/keys"
mkdir -p "$KEYS"
for ty in rsa ecdsa ed25519; do
	b=""
	[ "$ty" = rsa ] && b="-b 2048"
	ssh-keygen -q -t "$ty" $b -N '' -C '' -f "$KEYS/ssh_host_${ty}_key"
done
ssh-keygen -q -t ed25519 -N '' -C test -f "$KEYS/user_key"

# mkroot DIR [debian|rhel]: a healthy system on which alice logs in with
# a key and root has a key too.
mkroot() {
	R=$1
	os=${2:-debian}
	mkdir -p "$R/etc/ssh/sshd_config.d" "$R/root/.ssh" "$R/var/lib" \
	    "$R/home/alice/.ssh" "$R/home/bob" "$R/etc/sysctl.d" \
	    "$R/etc/default" "$R/etc/pam.d"
	if [ "$os" = rhel ]; then
		printf 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3"\n' >"$R/etc/os-release"
	else
		printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' >"$R/etc/os-release"
	fi
	cat >"$R/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice:/home/alice:/bin/bash
bob:x:1001:1001:Bob:/home/bob:/bin/bash
P
	cat >"$R/etc/group" <<'G'
root:x:0:
daemon:x:1:
users:x:100:alice,bob
alice:x:1000:
bob:x:1001:
ssh_keys:x:998:
G
	cat >"$R/etc/shadow" <<'S'
root:*:19000:0:99999:7:::
daemon:*:19000:0:99999:7:::
alice:!:19000:0:99999:7:::
bob:!:19000:0:99999:7:::
S
	# sshd's privilege separation user, as each distribution makes it.
	if [ "$os" = rhel ]; then
		echo 'sshd:x:74:74:Privilege-separated SSH:/usr/share/empty.sshd:/sbin/nologin' >>"$R/etc/passwd"
		echo 'sshd:x:74:' >>"$R/etc/group"
		echo 'sshd:!!:19000::::::' >>"$R/etc/shadow"
		mkdir -p "$R/var/empty/sshd"
		chmod 0711 "$R/var/empty/sshd"
	else
		echo 'sshd:x:102:65534::/run/sshd:/usr/sbin/nologin' >>"$R/etc/passwd"
		echo 'nogroup:x:65534:' >>"$R/etc/group"
		echo 'sshd:*:19000:0:99999:7:::' >>"$R/etc/shadow"
	fi
	chmod 0640 "$R/etc/shadow"
	# sshd's PAM service (UsePAM yes), as each distribution ships it.
	if [ "$os" = rhel ]; then
		printf '%s\n' 'auth substack password-auth' \
		    'account required pam_nologin.so' \
		    'account include password-auth' \
		    'session include password-auth' >"$R/etc/pam.d/sshd"
		# authselect's local profile with-faillock (RHEL 8 and 9).
		printf '%s\n' 'auth required pam_env.so' \
		    'auth required pam_faillock.so preauth silent' \
		    'auth sufficient pam_unix.so nullok' \
		    'auth [default=die] pam_faillock.so authfail' \
		    'auth required pam_deny.so' \
		    'account required pam_faillock.so' \
		    'account required pam_unix.so' \
		    'password requisite pam_pwquality.so local_users_only' \
		    'password sufficient pam_unix.so sha512 shadow nullok use_authtok' \
		    'password required pam_deny.so' \
		    'session optional pam_keyinit.so revoke' \
		    'session required pam_limits.so' \
		    '-session optional pam_systemd.so' \
		    'session required pam_unix.so' >"$R/etc/pam.d/password-auth"
	else
		printf '%s\n' '@include common-auth' \
		    'account required pam_nologin.so' '@include common-account' \
		    '@include common-session' '@include common-password' \
		    >"$R/etc/pam.d/sshd"
	fi
	cat >"$R/etc/ssh/sshd_config" <<'C'
Include /etc/ssh/sshd_config.d/*.conf
KbdInteractiveAuthentication no
UsePAM yes
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem	sftp	/usr/lib/openssh/sftp-server
C
	for ty in rsa ecdsa ed25519; do
		cp "$KEYS/ssh_host_${ty}_key" "$KEYS/ssh_host_${ty}_key.pub" \
		    "$R/etc/ssh/"
		chmod 0600 "$R/etc/ssh/ssh_host_${ty}_key"
		chmod 0644 "$R/etc/ssh/ssh_host_${ty}_key.pub"
	done
	cp "$KEYS/user_key.pub" "$R/home/alice/.ssh/authorized_keys"
	cp "$KEYS/user_key.pub" "$R/root/.ssh/authorized_keys"
	chmod 0700 "$R/root" "$R/root/.ssh" "$R/home/alice/.ssh"
	chmod 0600 "$R/root/.ssh/authorized_keys" \
	    "$R/home/alice/.ssh/authorized_keys"
	chmod 0755 "$R/home/alice" "$R/home/bob"
	chown -R 1000:1000 "$R/home/alice"
	chown -R 1001:1001 "$R/home/bob"
}

# state DIR: every entry's path, type, mode, owner, size, mtime, content.
state() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s %T@ %l\n' | sort &&
	    find . -type f -exec sha256sum {} + | sort)
}

# run: sshfix with the given args; sets RC and OUT (stdout), ERR.
run() {
	"$SSHFIX" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# ids: the finding ids of the last JSON output, one per line.
ids() {
	printf '%s' "$OUT" | grep -o '"id":"[a-z0-9-]*","severity"' | cut -d'"' -f4
}

has_id() { ids | grep -qx "$1"; }
no_ids() { [ -z "$(ids)" ]; }
out_has() { printf '%s' "$OUT" | grep -qF -- "$1"; }
# The text as read, across the lines it was wrapped on (a break and the
# next line's indent are one space).
out_reads() { printf '%s' "$OUT" | tr '\n' ' ' | tr -s ' ' | grep -qF -- "$1"; }
err_has() { printf '%s' "$ERR" | grep -qF -- "$1"; }
one_line_err() { [ "$(printf '%s\n' "$ERR" | grep -c .)" -eq 1 ]; }

# diagnose DIR ARGS...: a JSON dry run that must leave DIR untouched.
diagnose() {
	R=$1; shift
	state "$R" >"$T/before"
	run --root "$R" --json "$@"
	state "$R" >"$T/after"
	cmp -s "$T/before" "$T/after"
	UNCHANGED=$?
}

# The tree as a rollback must restore it: sshfix's own directory aside.
tree() { state "$1" | grep -av '\./var/lib'; }
snapshots() { ls "$1/var/lib/sshfix/snapshots/" 2>/dev/null | grep -c '\.tar$'; }
HASH='$6$salt$0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab./'
give_password() { sed -i "s|^$2:!:|$2:$HASH:|" "$1/etc/shadow"; }
lockout() {	# lockout DIR: alice and bob have passwords, nobody a key
	mkroot "$1"
	rm -f "$1/home/alice/.ssh/authorized_keys" "$1/root/.ssh/authorized_keys"
	give_password "$1" alice
	give_password "$1" bob
	printf 'PasswordAuthentication no\n' \
	    >"$1/etc/ssh/sshd_config.d/50-cloud-init.conf"
}

# cycle NAME DIR ARGS...: the whole life of a fix on a broken root.
cycle() {
	name=$1 R=$2
	shift 2
	tree "$R" >"$T/t0"
	run --root "$R" --apply --json "$@"
	check "$name: apply exits 0" [ "$RC" -eq 0 ]
	check "$name: apply result applied" out_has '"result":"applied"'
	check "$name: snapshot archive 0600 in a 0700 dir" sh -c "
	    [ \"\$(stat -c %a \"$R/var/lib/sshfix/snapshots\")\" = 700 ] &&
	    [ -z \"\$(find \"$R/var/lib/sshfix/snapshots\" -type f ! -perm 0600)\" ]"
	# A temporary measure left in place is said, and exits 1.
	temp=0
	out_has '"temporary":true' && temp=1
	run --root "$R" --json "$@"
	if [ $temp -eq 1 ]; then
		check "$name: dry run after apply: no finding, the temporary measure still open (exit 1)" \
		    sh -c "[ $RC -eq 1 ] && printf '%s' \"\$1\" | grep -q '\"open\":\[{\"snapshot\"'" _ "$OUT"
	else
		check "$name: dry run after apply finds nothing" [ "$RC" -eq 0 ]
	fi
	check "$name: dry run after apply: no finding" no_ids
	n=$(snapshots "$R")
	tree "$R" >"$T/t1"
	run --root "$R" --apply "$@"
	tree "$R" >"$T/t2"
	check "$name: second apply is a no-op" sh -c "[ $RC -eq 0 ] &&
	    [ $(snapshots "$R") -eq $n ] && cmp -s '$T/t1' '$T/t2'"
	run --root "$R" --rollback
	check "$name: rollback exits 0" [ "$RC" -eq 0 ]
	tree "$R" >"$T/t3"
	check "$name: rollback restores every byte, mode, owner, mtime" \
	    cmp -s "$T/t0" "$T/t3"
	if ! cmp -s "$T/t0" "$T/t3"; then diff "$T/t0" "$T/t3" | sed 's/^/# /'; fi
}

skip_line() { N=$((N + 1)); echo "ok $N - $1 # SKIP $2"; }

# nscheck DESCRIPTION COMMAND...: a check that needs mount and network
# namespaces (a chroot or some containers refuse them): SKIP there.
NS_OK=no
unshare -m -n true 2>/dev/null && NS_OK=yes
nscheck() {
	if [ "$NS_OK" = yes ]; then
		check "$@"
	else
		skip_line "$1" "unshare -m -n not permitted"
	fi
}

# copy_sshd DIR: the host's sshd, every library ldd lists and the loader,
# at the same paths in DIR (symlinks resolved), and its ld.so.conf.
copy_sshd() {
	for f in /usr/sbin/sshd $(ldd /usr/sbin/sshd | grep -o '/[^ ]*'); do
		mkdir -p "$1$(dirname "$f")"
		cp -L "$f" "$1$f"
	done
	cp -a /etc/ld.so.conf "$1/etc/"
	[ ! -d /etc/ld.so.conf.d ] || cp -a /etc/ld.so.conf.d "$1/etc/"
}

# jscheck DESCRIPTION EXPR: the last JSON document (T/out) is valid
# against the schema and the Python EXPR is true of it: d the document,
# f its findings by id, acc its accounts by name.
jscheck() {
	N=$((N + 1))
	if "${PY:-python3}" - "$T/out" "$SSHFIX_TOP/packaging/sshfix.schema.json" \
	    "$2" >"$T/js" 2>&1 <<'P'
import json, sys
import jsonschema
d = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(json.load(open(sys.argv[2]))).validate(d)
f = {x["id"]: x for x in d["findings"]}
acc = {a["name"]: a for a in d.get("accounts", [])}
ok = eval("(" + sys.argv[3] + ")")
if not ok:
    print(json.dumps({k: d[k] for k in ("result", "findings", "accounts")
        if k in d})[:2000])
sys.exit(0 if ok else 1)
P
	then
		echo "ok $N - $1"
	else
		echo "not ok $N - $1"
		sed 's/^/# /' "$T/js"
	fi
}

# sysaccounts DIR: the system accounts with a shell, no key and no
# password that real roots carry (Debian's sync, RHEL's shutdown, halt).
sysaccounts() {
	cat >>"$1/etc/passwd" <<'P'
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
P
	for u in sync games shutdown halt; do
		echo "$u:*:19000:0:99999:7:::" >>"$1/etc/shadow"
	done
}

# cloudimg DIR PUBFILE: a cloud image's shape on a mkroot DIR: the
# default user admin (uid 1002) with an emptied authorized_keys, alice's
# key gone, password login off, and root's only key PUBFILE's behind
# cloud-init's stub ("Please login as the user \"admin\"").
cloudimg() {
	rm "$1/home/alice/.ssh/authorized_keys"
	echo 'admin:x:1002:1002:Debian:/home/admin:/bin/bash' >>"$1/etc/passwd"
	echo 'admin:x:1002:' >>"$1/etc/group"
	echo 'admin:!:19000:0:99999:7:::' >>"$1/etc/shadow"
	mkdir -p "$1/home/admin/.ssh"
	: >"$1/home/admin/.ssh/authorized_keys"
	chmod 0700 "$1/home/admin/.ssh"
	chmod 0600 "$1/home/admin/.ssh/authorized_keys"
	chown -R 1002:1002 "$1/home/admin"
	printf '%s %s\n' 'no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command="echo '"'"'Please login as the user \"admin\" rather than the user \"root\".'"'"';echo;sleep 1;exit 142"' \
	    "$(cat "$2")" >"$1/root/.ssh/authorized_keys"
	printf 'PasswordAuthentication no\n' \
	    >"$1/etc/ssh/sshd_config.d/50-cloud-init.conf"
}
