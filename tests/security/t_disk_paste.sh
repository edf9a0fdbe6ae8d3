# Paste injection (issue 22 item 5): the commands sshfix prints for a
# person to paste into a root shell carry account names, homes, shells,
# group names, package names and paths from a hostile disk. Every command
# printed (text and --json) is run by sh and by bash in a private mount
# namespace: a tmpfs as /tmp, stubs of the tools alone on PATH, each
# writing its argv one argument a line. No payload may run (no marker
# file in that /tmp or the working directory), and each tool gets the
# name or path as one argument; or the step says the name is not
# shell-safe and gives no command.
. "$SSHFIX_TOP/tests/integration/lib.sh"

PY=/usr/bin/python3
not() { ! "$@"; }
if ! unshare -m true 2>/dev/null; then
	skip_line "paste injection" "unshare -m not permitted"
	exit 0
fi
if [ ! -x "$PY" ]; then
	skip_line "paste injection" "no $PY to read the output"
	exit 0
fi

STUBS="usermod chage chown chmod mkdir passwd groupadd ssh-copy-id
    ssh-keygen chroot apt-get dnf rpm sshfix rm touch"

# sandbox.sh SB RES CMDFILE...: in a new mount namespace a tmpfs at SB,
# holding the stubs, the commands, a working directory with a file a
# glob would find, and RES bound in, is bound over /tmp. sh, then bash,
# run each command as pasted (eval in a subshell, PATH the stubs alone);
# RES gets the records of each (CMD.sh, CMD.bash), and RES/files every
# file the commands left.
cat >"$T/sandbox.sh" <<'EOF'
set -u
sb=$1 res=$2
shift 2
mount --make-rprivate / && mount -t tmpfs -o size=4m,mode=0755 \
    sshfix-paste "$sb" || exit 1
mkdir "$sb/bin" "$sb/cmds" "$sb/cwd" "$sb/res" || exit 1
mount --bind "$res" "$sb/res" || exit 1
: >"$sb/cwd/sshfix-glob-bait"
for f; do [ ! -f "$f" ] || cp "$f" "$sb/cmds/" || exit 1; done
for s in $STUBS; do
	# touch also makes the file: a payload's marker
	printf '#!/bin/sh\n[ "${0##*/}" != touch ] || for a; do : >>"$a"; done\n{ printf "%%s\\n" "${0##*/}"; for a; do printf "%%s\\n" "$a"; done; printf ".\\n"; } >>"$ARGV"\n' \
	    >"$sb/bin/$s"
	chmod 0755 "$sb/bin/$s"
done
cat >"$sb/drive" <<'DRIVE'
for f in /tmp/cmds/*; do
	[ -f "$f" ] || continue
	IFS= read -r c <"$f"
	(ARGV=/tmp/res/${f##*/}.$SH; export ARGV; : >"$ARGV"
	    PATH=/tmp/bin; eval "$c") </dev/null >/dev/null 2>&1
done
DRIVE
mount --rbind "$sb" /tmp && cd /tmp/cwd || exit 1
HOME=/tmp/cwd SH=sh /bin/sh /tmp/drive
[ ! -x /bin/bash ] || HOME=/tmp/cwd SH=bash /bin/bash /tmp/drive
find /tmp -mindepth 1 \( -path /tmp/bin -o -path /tmp/cmds -o \
    -path /tmp/res -o -path /tmp/drive \) -prune -o -print |
    grep -vx -e /tmp/cwd -e /tmp/cwd/sshfix-glob-bait >/tmp/res/files
exit 0
EOF

# paste.py extract FORMAT OUT CMDDIR PATS FILE...: the commands in
# sshfix's output OUT (text or json): in each finding's actions, from each
# START (the command's own first words) to END (the prose after it; ""
# the end, ")" the last parenthesis), PATS holding START and END lines.
# Each goes to CMDDIR/c-HASH ("sshfix " put before a START of "--user "),
# and a line "FORMAT N c-HASH" to CMDDIR/../manifest. Then, for each
# FILE, a line "notice I" when a step says "is not shell-safe" and names
# the bytes of the I-th FILE (vis-encoded in the text), else "missing I".
# paste.py match MANIFEST RES EXP: for each record file of EXP, a line
# "ok ID" when each format's command gave it with sh and with bash, else
# "missing ID"; "unexpected ..." for each command that gave none of them.
cat >"$T/paste.py" <<'EOF'
import hashlib, json, os, sys

def vis(b):
    named = {0x5c: b"\\\\", 0x09: b"\\t", 0x0a: b"\\n", 0x0d: b"\\r",
             0x07: b"\\a", 0x08: b"\\b", 0x0b: b"\\v", 0x0c: b"\\f"}
    r = b""
    for c in b:
        if c in named:
            r += named[c]
        elif c < 0x20 or c >= 0x7f:
            r += b"\\%03o" % c
        else:
            r += bytes([c])
    return r

def steps(fmt, data):
    if fmt == "json":
        for f in json.loads(data.decode("utf-8"))["findings"]:
            for a in f["actions"]:
                yield a["description"].encode("utf-8", "surrogateescape")
        return
    inplan, text = False, []
    for line in data.split(b"\n"):
        if line.startswith(b"   plan:"):
            inplan, text = True, []
        elif inplan and line.startswith(b"     "):
            text.append(line.strip())
        elif inplan:
            inplan = False
            yield b" ".join(text)

def commands(t, pats):
    t = t[5:] if t.startswith(b"you: ") else t
    hits = []
    for s, e in pats:
        i = t.find(s)
        while i != -1:
            if e == b"":
                j = len(t)
            elif e == b")":
                j = t.rfind(b")")
            else:
                j = t.find(e, i + len(s))
            j = len(t) if j < i else j
            pre = b"sshfix " if s == b"--user " else b""
            hits.append((i, pre + t[i:j]))
            i = t.find(s, j)
    return [c for _, c in sorted(hits)]

def extract(fmt, out, cmddir, patfile, *files):
    lines = open(patfile, "rb").read().split(b"\n")[:-1]
    pats = list(zip(lines[0::2], lines[1::2]))
    texts = list(steps(fmt, open(out, "rb").read()))
    n = 0
    with open(os.path.join(cmddir, "..", "manifest"), "a") as m:
        for t in texts:
            for c in commands(t, pats):
                n += 1
                h = "c-" + hashlib.sha1(c).hexdigest()[:16]
                open(os.path.join(cmddir, h), "wb").write(c)
                m.write("%s %d %s\n" % (fmt, n, h))
    for k, f in enumerate(files):
        u = open(f, "rb").read()
        w = vis(u) if fmt == "text" else u
        ok = any(b" is not shell-safe" in t and w in t for t in texts)
        print("notice" if ok else "missing", k)

def match(manifest, res, exp):
    want = {e: open(os.path.join(exp, e), "rb").read()
            for e in os.listdir(exp)}
    seen = {e: set() for e in want}
    for line in open(manifest):
        fmt, n, h = line.split()
        for sh in ("sh", "bash"):
            p = os.path.join(res, h + "." + sh)
            got = open(p, "rb").read() if os.path.exists(p) else None
            ids = [e for e in want if want[e] == got]
            for e in ids:
                seen[e].add((fmt, sh))
            if not ids:
                c = open(os.path.join(res, "..", "cmd", h), "rb").read()
                print("unexpected %s %s %s: %s" % (fmt, n, sh,
                      vis(c[:200]).decode()))
    for e in sorted(want):
        print("ok" if len(seen[e]) == 4 else "missing", e)

{"extract": extract, "match": match}[sys.argv[1]](*sys.argv[2:])
EOF

# The hostile words: LABEL then the word, a line each; names (accounts,
# groups, packages) and path components. The "safe" ones must reach the
# tool as one argument; the rest must be named not shell-safe.
ESC=$(printf '\033'); TAB=$(printf '\t'); CR=$(printf '\r')
SAFE='subst $(touch /tmp/sshfix-pwned-subst)
backtick `touch /tmp/sshfix-pwned-backtick`
semicolon a;touch /tmp/sshfix-pwned-semicolon
pipe a|touch /tmp/sshfix-pwned-pipe
and a&&touch /tmp/sshfix-pwned-and
dquote a"$(touch /tmp/sshfix-pwned-dquote)"
glob sshfix-glob*
redirect a>sshfix-pwned-redirect
tilde ~root
comment x #y  z
vars ${IFS}$(touch${IFS}/tmp/sshfix-pwned-vars)!x'
UNSAFE="squote a'\$(touch /tmp/sshfix-pwned-squote)'
backslash a\\\$(touch /tmp/sshfix-pwned-backslash)
tab a$TAB\$(touch /tmp/sshfix-pwned-tab)
cr a$CR\$(touch /tmp/sshfix-pwned-cr)
escape a$ESC[2J\$(touch /tmp/sshfix-pwned-escape)
utf8 é\$(touch /tmp/sshfix-pwned-utf8)"
# A group or package name may start with "-": an option, however quoted.
DASH='dash -oProxyCommand=touch /tmp/sshfix-pwned-dash'

mkdir -p "$T/w"
printf '%s\n' "$SAFE" "$UNSAFE" "$DASH" | while IFS= read -r l; do
	printf '%s' "${l#* }" >"$T/w/${l%% *}"
done
# word LABEL: w is its word (no word holds a newline).
word() { IFS= read -r w <"$T/w/$1" || [ -n "$w" ]; }
labels() { printf '%s\n' "$1" | cut -d' ' -f1 | tr '\n' ' '; }
SAFE_L=$(labels "$SAFE")
UNSAFE_L=$(labels "$UNSAFE")

# expect CASE ID TOOL ARG...: a tool's record for the command ID (a
# command of several tools: one expect each, in order).
expect() {
	mkdir -p "$T/exp/$1"
	d=$T/exp/$1/$2
	shift 2
	printf '%s\n' "$@" . >>"$d"
}

# pats START END [START END]...: the commands the next paste looks for.
pats() { printf '%s\n' "$@" >"$T/pats"; }

# noticed K: both outputs name the K-th word of $BAD not shell-safe.
noticed() {
	grep -qx "notice $1" "$T/notice.text" &&
	    grep -qx "notice $1" "$T/notice.json"
}

# paste CASE ARGS...: sshfix ARGS (and --user for each line of $T/users)
# in text and in JSON, its commands (the patterns of pats) run in the
# sandbox and checked against the records $T/exp/CASE/ID: no marker; each
# ID's command gives exactly its record with each output and shell; every
# command is one of those; each label of $BAD is named not shell-safe in
# both outputs.
paste() {
	c=$1
	shift
	rm -rf "$T/cmd" "$T/res" "$T/manifest"
	mkdir -p "$T/cmd" "$T/res" "$T/sb" "$T/exp/$c"
	touch "$T/users" "$T/manifest"
	while IFS= read -r u; do set -- "$@" --user "$u"; done <"$T/users"
	rm -f "$T/users"
	for f in text json; do
		if [ $f = json ]; then "$SSHFIX" "$@" --json; else
		    "$SSHFIX" "$@"; fi >"$T/out.$f" 2>"$T/err.$f"
		(cd "$T/w" && "$PY" "$T/paste.py" extract $f "$T/out.$f" \
		    "$T/cmd" "$T/pats" $BAD) >"$T/notice.$f"
	done
	STUBS=$STUBS unshare -m sh "$T/sandbox.sh" "$T/sb" "$T/res" \
	    "$T"/cmd/* 2>/dev/null
	check "$c: no payload ran (text and --json, sh and bash)" \
	    sh -c "[ -f '$T/res/files' ] && [ ! -s '$T/res/files' ] &&
	    ! ls /tmp/sshfix-pwned-* >/dev/null 2>&1"
	[ ! -s "$T/res/files" ] || sort -u "$T/res/files" | tr -d '\r\033' |
	    sed 's/^/# left: /'
	"$PY" "$T/paste.py" match "$T/manifest" "$T/res" "$T/exp/$c" \
	    >"$T/match"
	grep '^unexpected' "$T/match" | sed 's/^/# /'
	check "$c: every command is one of the expected" \
	    not grep -q '^unexpected' "$T/match"
	grep -v '^unexpected' "$T/match" >"$T/ids"
	while read -r v id; do
		check "$c, $id: the tool gets the word as one argument (text, --json; sh, bash)" \
		    [ "$v" = ok ]
	done <"$T/ids"
	k=0
	for l in $BAD; do
		check "$c, $l: not shell-safe, no command (text, --json)" \
		    noticed $k
		k=$((k + 1))
	done
}

# A healthy root each case copies; shells() as in t_account.sh.
mkroot "$T/base"
mkdir -p "$T/base/bin"
printf '#!/bin/sh\n' >"$T/base/bin/bash"
cp "$T/base/bin/bash" "$T/base/bin/sh"
chmod 0755 "$T/base/bin/bash" "$T/base/bin/sh"
printf '/bin/sh\n/bin/bash\n' >"$T/base/etc/shells"
newroot() { R=$T/$1; cp -a "$T/base" "$R"; }
nopam() { sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"; }

# account NAME UID HASH [SHELL [HOME [GID]]]: an account of R with a key
# in its home (none with KEYLESS=1), expired with EXPIRE=1, named with
# --user in the next paste.
account() {
	home=${5:-/home/u$2}
	printf '%s:x:%s:%s::%s:%s\n' "$1" "$2" "${6:-100}" "$home" \
	    "${4:-/bin/bash}" >>"$R/etc/passwd"
	printf '%s:%s:19000:0:99999:7::%s:\n' "$1" "$3" "${EXPIRE:-}" \
	    >>"$R/etc/shadow"
	mkdir -p -m 0700 "$R$home/.ssh"
	[ -n "${KEYLESS:-}" ] ||
	    cp "$KEYS/user_key.pub" "$R$home/.ssh/authorized_keys"
	chown -R "$2:${6:-100}" "$R$home"
	printf '%s\n' "$1" >>"$T/users"
}

# each CASE LABELS FN: FN CASE LABEL WORD N for each label (N from 1),
# OK set when the word is shell-safe (FN then expects its command's
# record); the labels of the others go to BAD.
each() {
	BAD=
	n=0
	for l in $2; do
		n=$((n + 1))
		word "$l"
		case " $UNSAFE_L dash " in
		*" $l "*) BAD="$BAD $l"; OK= ;;
		*) OK=1 ;;
		esac
		$3 "$1" "$l" "$w" $n
	done
}
ALL_L="$SAFE_L $UNSAFE_L"

# 1. Locked with a hash behind "!" (UsePAM no): usermod -U NAME.
lock() {
	account "$3" $((2000 + $4)) '!$6$salt$abc'
	[ -z "$OK" ] || expect "$1" "$2" usermod --root "$R" -U "$3"
}
newroot lock; nopam
each lock "$ALL_L" lock
pats "usermod --root $R -U " ""
paste lock --root "$R"

# 2. Locked, no hash: usermod -p '*' NAME.
keyonly() {
	account "$3" $((2000 + $4)) '!'
	[ -z "$OK" ] || expect "$1" "$2" usermod --root "$R" -p '*' "$3"
}
newroot keyonly; nopam
each keyonly "$ALL_L" keyonly
pats "usermod --root $R -p " " (no password, not locked)"
paste keyonly --root "$R"

# 3. Expired, pam_unix in the account stack: chage -E -1 NAME.
expired() {
	EXPIRE=1
	account "$3" $((2000 + $4)) '!'
	unset EXPIRE
	[ -z "$OK" ] || expect "$1" "$2" chage --root "$R" -E -1 "$3"
}
newroot expired
mkdir -p "$R/etc/pam.d"
printf 'account required pam_nologin.so\n@include common-account\n' \
    >"$R/etc/pam.d/sshd"
printf 'account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so\naccount requisite pam_deny.so\naccount required pam_permit.so\n' \
    >"$R/etc/pam.d/common-account"
each expired "$ALL_L" expired
pats "chage --root $R -E -1 " ""
paste expired --root "$R"

# 4. A login shell that does not exist: usermod -s /bin/bash NAME.
shell() {
	account "$3" $((2000 + $4)) '*' /bin/zsh
	[ -z "$OK" ] || expect "$1" "$2" usermod --root "$R" -s /bin/bash "$3"
}
newroot shell
each shell "$ALL_L" shell
pats "usermod --root $R -s " ""
paste shell --root "$R"

# 5. AllowGroups wheel, no group of its own: usermod -aG wheel NAME.
allowgroups() {
	account "$3" $((2000 + $4)) '*'
	[ -z "$OK" ] || expect "$1" "$2" usermod --root "$R" -aG wheel "$3"
}
newroot allowgroups
echo 'wheel:x:10:' >>"$R/etc/group"
echo 'AllowGroups wheel' >"$R/etc/ssh/sshd_config.d/10-g.conf"
each allowgroups "$ALL_L" allowgroups
pats "usermod --root $R -aG " ""
paste allowgroups --root "$R"

# 6. In no group at all under AllowGroups: groupadd -g GID NAME.
nogroup() {
	account "$3" $((2000 + $4)) '*' /bin/bash "" $((5000 + $4))
	[ -z "$OK" ] ||
	    expect "$1" "$2" groupadd --root "$R" -g $((5000 + $4)) "$3"
}
newroot nogroup
echo 'AllowGroups users' >"$R/etc/ssh/sshd_config.d/10-g.conf"
each nogroup "$ALL_L" nogroup
pats "groupadd --root $R -g " ""
paste nogroup --root "$R"

# 7. ChrootDirectory %h, the home the account's own: chown, chmod, and
# mkdir and chown NAME: of an upload directory.
chroot_user() {
	account "$3" $((2000 + $4)) '*'
	[ -n "$OK" ] || return 0
	h=$R/home/u$((2000 + $4))
	expect "$1" "$2" chown root:root "$h"
	expect "$1" "$2" chmod 755 "$h"
	expect "$1" "$2-up" mkdir "$h/upload"
	expect "$1" "$2-up" chown "$3:" "$h/upload"
}
newroot chroot-user
echo 'ChrootDirectory %h' >"$R/etc/ssh/sshd_config.d/10-c.conf"
each chroot-user "$ALL_L" chroot_user
pats "chown root:root " "; and give" "mkdir " ")"
paste chroot-user --root "$R"

# 8. AuthenticationMethods publickey, no key: rerun with --user NAME.
methods_key() {
	KEYLESS=1
	account "$3" $((2000 + $4)) "$HASH"
	unset KEYLESS
	[ -z "$OK" ] || expect "$1" "$2" sshfix --user "$3"
}
newroot methods-key
echo 'AuthenticationMethods publickey' \
    >"$R/etc/ssh/sshd_config.d/50-am.conf"
each methods-key "$ALL_L" methods_key
pats "--user " " --authorized-key"
paste methods-key --root "$R"

# 9. AuthenticationMethods publickey,password, a key but no password, and
# (10.) no key and no password: passwd NAME.
passwd_exp() {
	account "$3" $((2000 + $4)) '!'
	[ -z "$OK" ] || expect "$1" "$2" passwd "$3"
}
newroot methods-passwd
echo 'AuthenticationMethods publickey,password' \
    >"$R/etc/ssh/sshd_config.d/50-am.conf"
each methods-passwd "$ALL_L" passwd_exp
pats "passwd " " inside chroot)"
paste methods-passwd --root "$R"
newroot lockout
KEYLESS=1
each lockout "$ALL_L" passwd_exp
unset KEYLESS
paste lockout --root "$R"

# 11. The same chroot advice for hostile homes of plain accounts.
chroot_home() {
	account "p$4" $((2000 + $4)) '*' /bin/bash "/home/$3"
	[ -n "$OK" ] || return 0
	expect "$1" "$2" chown root:root "$R/home/$3"
	expect "$1" "$2" chmod 755 "$R/home/$3"
	expect "$1" "$2-up" mkdir "$R/home/$3/upload"
	expect "$1" "$2-up" chown "p$4:" "$R/home/$3/upload"
}
newroot chroot-home
echo 'ChrootDirectory %h' >"$R/etc/ssh/sshd_config.d/10-c.conf"
each chroot-home "$ALL_L" chroot_home
pats "chown root:root " "; and give" "mkdir " ")"
paste chroot-home --root "$R"

# 12. A shell of /etc/shells in a hostile directory: usermod -s PATH.
shells() {
	account "p$4" $((2000 + $4)) '*' "/bin/sh$4"
	mkdir -p "$R/opt/$3"
	cp -p "$R/bin/bash" "$R/opt/$3/sh$4"
	printf '/opt/%s/sh%s\n' "$3" "$4" >>"$R/etc/shells"
	[ -z "$OK" ] ||
	    expect "$1" "$2" usermod --root "$R" -s "/opt/$3/sh$4" "p$4"
}
newroot shells
each shells "$ALL_L" shells
pats "usermod --root $R -s " ""
paste shells --root "$R"

# The words a quoted sshd_config token can hold as they are.
CFG_L="subst backtick semicolon pipe comment squote tab escape utf8"

# 13. Missing host keys of hostile HostKey paths: ssh-keygen -f PATH.
hostkey() {
	printf 'HostKey "/etc/ssh/k%s"\n' "$3" \
	    >>"$R/etc/ssh/sshd_config.d/20-k.conf"
	[ -z "$OK" ] || expect "$1" "$2" ssh-keygen -q -t ed25519 -N '' -f \
	    "$R/etc/ssh/k$3"
}
newroot hostkey
each hostkey "$CFG_L" hostkey
pats "ssh-keygen -q " ""
paste hostkey --root "$R"

# 14. AllowGroups naming a hostile group: usermod -aG GROUP NAME.
group() {
	printf 'AllowGroups "%s"\n' "$3" >"$R/etc/ssh/sshd_config.d/10-g.conf"
	account p1 2001 '*'
	[ -z "$OK" ] || expect "$1" "$2" usermod --root "$R" -aG "$3" p1
}
for l in $CFG_L dash; do
	newroot "group-$l"
	each "group-$l" "$l" group
	pats "usermod --root $R -aG " ""
	paste "group-$l" --root "$R"
done

# Words that hold no blank (a PAM line or a file name): markers under
# /tmp, or in the working directory.
for x in 'pam1 $(touch${IFS}/tmp/sshfix-pwned-pam1)' \
    'pam2 `touch${IFS}/tmp/sshfix-pwned-pam2`' \
    'pam3 ;touch${IFS}/tmp/sshfix-pwned-pam3;' \
    'pam4 |touch${IFS}/tmp/sshfix-pwned-pam4' \
    "pamq '\$(touch\${IFS}/tmp/sshfix-pwned-pamq)'" \
    'pkg1 p$(touch${IFS}sshfix-pwned-pkg1)' 'pkg2 p;touch${IFS}sshfix-pwned-pkg2' \
    'pkg3 p|touch${IFS}sshfix-pwned-pkg3' "pkgq p'\$(touch\${IFS}sshfix-pwned-pkgq)'" \
    'pkgdash -oAPT::Get::Trivial-Only=1'; do
	printf '%s' "${x#* }" >"$T/w/${x%% *}"
done

# 15. RHEL: a missing PAM module of a hostile name: dnf reinstall
# "$(rpm -qf PATH)".
pam() {
	printf 'auth required pam_%s.so\n' "$3" >>"$R/etc/pam.d/sshd"
	[ -n "$OK" ] || return 0
	expect "$1" "$2" rpm --root="$R" -qf "/usr/lib64/security/pam_$3.so"
	expect "$1" "$2" dnf --installroot="$R" reinstall ''
}
R=$T/pam; mkroot "$R" rhel
mkdir -p "$R/usr/lib64/security" "$R/etc/pam.d"
: >"$R/usr/lib64/security/pam_unix.so"
: >"$R/etc/pam.d/sshd"	# only the lines below
UNSAFE_L="$UNSAFE_L pamq"
each pam "pam1 pam2 pam3 pam4 pamq" pam
pats "dnf " ""
paste pam --root "$R"

# 16. Debian: the package dpkg names, of a hostile name: chroot ROOT
# apt-get install --reinstall PACKAGE (one starting with "-" refused).
pkg() {
	printf 'auth required pam_d%s.so\n' "$4" >>"$R/etc/pam.d/sshd"
	printf '/lib/x86_64-linux-gnu/security/pam_d%s.so\n' "$4" \
	    >"$R/var/lib/dpkg/info/$3.list"
	[ -z "$OK" ] ||
	    expect "$1" "$2" chroot "$R" apt-get install --reinstall "$3"
}
newroot pkg
mkdir -p "$R/lib/x86_64-linux-gnu/security" "$R/etc/pam.d" \
    "$R/var/lib/dpkg/info"
: >"$R/lib/x86_64-linux-gnu/security/pam_unix.so"
: >"$R/etc/pam.d/sshd"	# only the lines below
UNSAFE_L="$UNSAFE_L pkgq pkgdash"
each pkg "pkg1 pkg2 pkg3 pkgq pkgdash" pkg
pats "chroot $R " ""
paste pkg --root "$R"
