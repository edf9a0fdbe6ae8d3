# A disk written by an attacker (sshfix --root over a compromised
# server): every file sshfix reads may be built to make it hang, grow
# without bound or give a false all-clear. One case per budget of
# include/budget.h and one per place a FIFO or device can be planted.
# Each is judged by effect: the run ends in time (timeout), its peak
# memory stays bounded (time -f %M), and the verdict is "cannot tell"
# (exit 2, JSON result incomplete or error, one line naming what was
# left), never "no faults".
. "$SSHFIX_TOP/tests/integration/lib.sh"

TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
	skip_line "disk budgets" "$TIME (GNU time) missing"
	exit 0
fi

# measured SECS ARGS...: sshfix ARGS under timeout SECS; sets RC, OUT,
# ERR, TOOK (seconds) and PEAK (KB).
measured() {
	lim=$1; shift
	"$TIME" -f '%e %M' -o "$T/time" timeout "$lim" "$SSHFIX" "$@" \
	    >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
	set -- $(tail -n 1 "$T/time")
	TOOK=$1 PEAK=$2
}

# bounded NAME SECS MB ARGS...: a dry run that ends within SECS and
# stays under MB of memory (not measured under AddressSanitizer, whose
# shadow and quarantine are most of it). Under the sanitizers the run
# may take 4 times SECS: they make the reads and allocations these cases
# are made of 5 to 10 times slower (3000 sparse authorized_keys: 6 s
# plain, over 30 s with ASan on the same loaded machine); work without a
# bound takes minutes to hours either way.
bounded() {
	name=$1 secs=$2 mb=$3; shift 3
	[ -n "${SSHFIX_SANITIZE:-}" ] && secs=$((secs * 4))
	measured "$secs" "$@"
	check "$name: ends within $secs s (took $TOOK s, exit $RC)" \
	    [ "$RC" -ne 124 ]
	if [ -n "${SSHFIX_SANITIZE:-}" ]; then
		skip_line "$name: peak memory ($PEAK KB)" "sanitizer build"
	else
		check "$name: peak memory under $mb MB (was $PEAK KB)" \
		    [ "$PEAK" -lt $((mb * 1024)) ]
	fi
}

# cannot_tell NAME TEXT: exit 2, the JSON says incomplete (or an error),
# and TEXT is in what it says was left.
cannot_tell() {
	check "$1: cannot tell (exit 2, not an all-clear)" sh -c "
	    [ $RC -eq 2 ] && grep -q '\"result\":\"\\(incomplete\\|error\\)\"' \
	    '$T/out'"
	check "$1: says what was left: $2" grep -qF -- "$2" "$T/out"
}

# mkelf FILE NEEDED...: a 64-bit x86-64 ELF file with these DT_NEEDED
# entries, and nothing else a loader would want.
mkelf() {
	python3 - "$@" <<'PY'
import struct, sys
out, names = sys.argv[1], sys.argv[2:]
strtab, offs = b"\0", []
for n in names:
    offs.append(len(strtab))
    strtab += n.encode() + b"\0"
base, phoff, ndyn = 0x400000, 64, len(names) + 3
dynoff = phoff + 2 * 56
stroff = dynoff + 16 * ndyn
size = stroff + len(strtab)
eh = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) + struct.pack(
    "<HHIQQQIHHHHHH", 3, 62, 1, 0, phoff, 0, 0, 64, 56, 2, 64, 0, 0)
load = struct.pack("<IIQQQQQQ", 1, 5, 0, base, base, size, size, 0x1000)
dyn = struct.pack("<IIQQQQQQ", 2, 6, dynoff, base + dynoff, base + dynoff,
    16 * ndyn, 16 * ndyn, 8)
ents = b"".join(struct.pack("<qQ", 1, o) for o in offs)
ents += struct.pack("<qQ", 5, base + stroff) + struct.pack("<qQ", 10,
    len(strtab)) + struct.pack("<qQ", 0, 0)
with open(out, "wb") as f:
    f.write(eh + load + dyn + ents + strtab)
PY
}

# elfroot DIR [NEEDED...]: a root whose sshd needs these libraries
# (libc.so.6 when none is named); one library, libc.so.6, is there.
elfroot() {
	r=$1; shift
	[ $# -gt 0 ] || set -- libc.so.6
	mkroot "$r"
	mkdir -p "$r/usr/sbin" "$r/lib/x86_64-linux-gnu"
	mkelf "$r/usr/sbin/sshd" "$@"
	mkelf "$r/lib/x86_64-linux-gnu/libc.so.6"
	chmod 0755 "$r/usr/sbin/sshd"
}

# --- budgets ---------------------------------------------------------

# 1. Include fan-out: 4 small files a level, each including the next
# level by a glob, 12 levels: 48 files on disk, 4^12 reads.
R="$T/incbomb"; mkroot "$R"
echo 'Include /etc/ssh/b1/*.conf' >>"$R/etc/ssh/sshd_config"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	mkdir "$R/etc/ssh/b$i"
	for j in 1 2 3 4; do
		if [ $i -lt 12 ]; then
			echo "Include /etc/ssh/b$((i + 1))/*.conf"
		else
			echo 'X11Forwarding no'
		fi >"$R/etc/ssh/b$i/$j.conf"
	done
done
bounded "Include fan-out 4^12" 10 64 --root "$R" --json
cannot_tell "Include fan-out 4^12" \
    '"path":"/etc/ssh/sshd_config and its Includes","error":"more than 256 files'

# 2. Include bytes: one 3.9 MB file of comments included 40 times.
R="$T/incbytes"; mkroot "$R"
yes '# a comment line of a config file that goes on and on' |
    head -c 4000000 >"$R/etc/ssh/big.conf"
i=0
while [ $i -lt 40 ]; do
	echo 'Include /etc/ssh/big.conf' >>"$R/etc/ssh/sshd_config"
	i=$((i + 1))
done
bounded "Include bytes 40 x 3.9 MB" 10 64 --root "$R" --json
cannot_tell "Include bytes 40 x 3.9 MB" 'or 8.0M in all'

# 3. dpkg lists, sparse, read to name the package of a missing sshd:
# dpkgroot DIR N SIZE: openssh-server "installed", no sshd, and N other
# lists of SIZE.
dpkgroot() {
	mkroot "$1"
	mkdir -p "$1/var/lib/dpkg/info"
	: >"$1/var/lib/dpkg/info/openssh-server.list"
	i=0
	while [ $i -lt "$2" ]; do
		truncate -s "$3" "$1/var/lib/dpkg/info/pkg$i.list"
		i=$((i + 1))
	done
}
# 300 of 60 MB, each over the per-list budget ...
R="$T/dpkgbig"; dpkgroot "$R" 300 60M
bounded "300 sparse 60 MB dpkg lists" 10 64 --root "$R" --json
cannot_tell "300 sparse 60 MB dpkg lists" \
    '300 files larger than 16M (sshfix'"'"'s budget) not read'
# ... and 600 of 15 MB, each within it (9 GB in all).
R="$T/dpkgall"; dpkgroot "$R" 600 15M
bounded "600 sparse 15 MB dpkg lists" 10 64 --root "$R" --json
cannot_tell "600 sparse 15 MB dpkg lists" \
    '"path":"/var/lib/dpkg/info/*.list","error":"more than 16384 files or 256M'

# 4. Logs are cut, not budgets: a 100 GB sparse auth.log and a .gz
# rotation of 1 GB of zeros are read to their bounds (the newest 4 MB,
# 64 MB of content) in time; a healthy root stays healthy.
R="$T/logs"; mkroot "$R"
mkdir -p "$R/var/log"
truncate -s 100G "$R/var/log/auth.log"
truncate -s 1G "$T/zeros"
gzip -1 -c "$T/zeros" >"$R/var/log/auth.log.2.gz"
rm -f "$T/zeros"
bounded "100 GB sparse log, 1 GB gzip bomb" 10 64 --root "$R" --json
check "100 GB sparse log: the healthy root's verdict stands (exit 0)" \
    [ "$RC" -eq 0 ]

# 5. Accounts: passwd, group and shadow as one sparse line ...
for f in passwd group shadow; do
	R="$T/sparse-$f"; mkroot "$R"
	truncate -s 2G "$R/etc/$f"
	bounded "2 GB sparse $f" 10 64 --root "$R" --json
	cannot_tell "2 GB sparse $f" "larger than 64 MiB (sshfix's budget)"
done
R="$T/line"; mkroot "$R"
truncate -s 60M "$R/etc/group"
bounded "group with a 60 MB line" 10 64 --root "$R" --json
cannot_tell "group with a 60 MB line" \
    'line 8 longer than 1048576 bytes (sshfix'"'"'s budget)'
# ... and 1.5 million login accounts (70 MB).
R="$T/millions"; mkroot "$R"
python3 - "$R/etc/passwd" <<'PY'
import sys
with open(sys.argv[1], "a") as f:
    for i in range(1500000):
        f.write("u%d:x:%d:%d::/home/u%d:/bin/bash\n" % (i, 10000 + i,
            10000 + i, i))
PY
bounded "passwd of 1.5 million accounts" 10 64 --root "$R" --json
cannot_tell "passwd of 1.5 million accounts" "/etc/passwd: larger than 64 MiB"

# 6. PAM: 70 harmless includes, then one naming a missing module.
R="$T/pam"; mkroot "$R"
mkdir -p "$R/etc/pam.d" "$R/lib/x86_64-linux-gnu/security"
: >"$R/lib/x86_64-linux-gnu/security/pam_permit.so"
echo 'auth optional pam_permit.so' >"$R/etc/pam.d/common-ok"
echo 'auth required pam_gone.so' >"$R/etc/pam.d/common-bad"
i=0
while [ $i -lt 70 ]; do
	echo '@include common-ok' >>"$R/etc/pam.d/sshd"
	i=$((i + 1))
done
echo '@include common-bad' >>"$R/etc/pam.d/sshd"
bounded "PAM include bomb" 10 64 --root "$R" --json
cannot_tell "PAM include bomb" \
    '"path":"/etc/pam.d/sshd and its includes","error":"more than 64 files'

# 7. authorized_keys: 3000 accounts, each with a sparse 4 MB key file
# (12 GB in all; each file within its own bound).
R="$T/keys"; mkroot "$R"
python3 - "$R" <<'PY'
import os, sys
r = sys.argv[1]
with open(r + "/etc/passwd", "a") as pw, open(r + "/etc/shadow", "a") as sh:
    for i in range(3000):
        uid, home = 20000 + i, "%s/home/k%d" % (r, i)
        pw.write("k%d:x:%d:%d::/home/k%d:/bin/bash\n" % (i, uid, uid, i))
        sh.write("k%d:!:19000:0:99999:7:::\n" % i)
        os.makedirs(home + "/.ssh", 0o700)
        with open(home + "/.ssh/authorized_keys", "w") as k:
            k.truncate(4 * 1024 * 1024 - 1)
        for p in (home, home + "/.ssh", home + "/.ssh/authorized_keys"):
            os.chown(p, uid, uid)
        os.chmod(home, 0o755)
PY
bounded "3000 sparse 4 MB authorized_keys" 30 64 --root "$R" --json
cannot_tell "3000 sparse 4 MB authorized_keys" \
    '"path":"authorized keys files","error":"more than'

# 8. ELF: sshd needs libc.so.6 256 times, then a library that is not
# there (past ELF_MAX_NEEDED) ...
R="$T/needed"
set --
i=0
while [ $i -lt 256 ]; do set -- "$@" libc.so.6; i=$((i + 1)); done
elfroot "$R" "$@" libgone.so.1
bounded "sshd with 257 DT_NEEDED" 10 64 --root "$R" --json
cannot_tell "sshd with 257 DT_NEEDED" \
    '"path":"/usr/sbin/sshd","error":"more than 256 DT_NEEDED'
# ... 200 libraries that are not there, and 16 sparse dpkg lists of 16
# MiB (each within the list budget) that name none: every missing one
# asks dpkg who owns it (a scan of every list: 256 MiB a time).
R="$T/manygone"
set --
i=0
while [ $i -lt 200 ]; do set -- "$@" "libgone$i.so.1"; i=$((i + 1)); done
elfroot "$R" libc.so.6 "$@"
mkdir -p "$R/var/lib/dpkg/info"
i=0
while [ $i -lt 16 ]; do
	truncate -s 16M "$R/var/lib/dpkg/info/pkg$i.list"; i=$((i + 1))
done
bounded "200 missing libraries, 16 sparse 16 MiB dpkg lists" 10 64 \
    --root "$R" --json
check "200 missing libraries: each still reported" sh -c \
    '[ "$(grep -o "library libgone[0-9]*\.so\.1, needed by" "$1" | sort -u | wc -l)" -eq 200 ]' \
    _ "$T/out"
# ... ld.so.conf including 100 files, the library's directory named in
# the last: past LDCONF_MAX_FILES it is unknown, not missing.
R="$T/ldconf"
elfroot "$R" libc.so.6 libfar.so.1
mkdir -p "$R/etc/ld.so.conf.d" "$R/opt/far"
mkelf "$R/opt/far/libfar.so.1"
echo 'include /etc/ld.so.conf.d/*.conf' >"$R/etc/ld.so.conf"
i=100
while [ $i -lt 200 ]; do
	echo "/opt/d$i" >"$R/etc/ld.so.conf.d/$i.conf"
	i=$((i + 1))
done
echo /opt/far >>"$R/etc/ld.so.conf.d/199.conf"
bounded "ld.so.conf of 100 files" 10 64 --root "$R" --json
cannot_tell "ld.so.conf of 100 files" \
    '"path":"/etc/ld.so.conf and its includes","error":"more than 64 files'
check "ld.so.conf of 100 files: libfar.so.1 is not called missing" sh -c \
    '! printf "%s" "$1" | grep -q "libfar.so.1 is in none"' _ "$OUT"

# 9. HostKey named 4000 times, a corrupt key each time: each would be
# put to ssh-keygen.
R="$T/hostkeys"; mkroot "$R"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----\n' \
    >"$R/etc/ssh/bad_key"
chmod 0600 "$R/etc/ssh/bad_key"
i=0
while [ $i -lt 4000 ]; do
	echo 'HostKey /etc/ssh/bad_key'
	i=$((i + 1))
done >"$R/etc/ssh/sshd_config.d/keys.conf"
bounded "4000 HostKey lines" 30 64 --root "$R" --json
cannot_tell "4000 HostKey lines" '"path":"HostKey","error":"more than 256 keys'

# 10. hosts.deny of 4096 harmless rules, then one that refuses sshd to
# everyone (sshd linked with libwrap): past WRAP_MAX_RULES.
R="$T/wrap"; elfroot "$R" libc.so.6 libwrap.so.0
mkelf "$R/lib/x86_64-linux-gnu/libwrap.so.0"
i=0
while [ $i -lt 4096 ]; do
	echo "in.ftpd$i: 192.0.2.$((i % 250))"
	i=$((i + 1))
done >"$R/etc/hosts.deny"
echo 'sshd: ALL' >>"$R/etc/hosts.deny"
bounded "hosts.deny of 4097 rules" 10 64 --root "$R" --json
cannot_tell "hosts.deny of 4097 rules" \
    '"path":"/etc/hosts.deny","error":"more than 4096 rules'

# --- FIFOs and devices -----------------------------------------------

# fifo NAME PATH [ROOT-MAKER]: a FIFO at PATH of a fresh root; the dry
# run never blocks on it and never says "no faults".
fifo() {
	name=$1 path=$2 maker=${3:-mkroot}
	R="$T/fifo-$name"; $maker "$R"
	mkdir -p "$(dirname "$R$path")"
	rm -f "$R$path"
	mkfifo "$R$path"
	bounded "FIFO as $path" 10 64 --root "$R" --json
	check "FIFO as $path: not an all-clear (exit $RC)" [ "$RC" -ne 0 ]
}
fifo sshd_config /etc/ssh/sshd_config
fifo include /etc/ssh/sshd_config.d/x.conf
fifo passwd /etc/passwd
for f in group shadow os-release; do
	fifo "$f" "/etc/$f"
	cannot_tell "FIFO as /etc/$f" \
	    "\"path\":\"/etc/$f\",\"error\":\"a FIFO, socket or device"
done
fifo keys /home/alice/.ssh/authorized_keys
check "FIFO as authorized_keys: sshd's verdict, not a regular file" \
    out_has "is not a regular file"
fifo log /var/log/auth.log
cannot_tell "FIFO as /var/log/auth.log" "a FIFO, socket or device"
fifo pam /etc/pam.d/sshd
cannot_tell "FIFO as /etc/pam.d/sshd" "a FIFO, socket or device"
fifo hostkey /etc/ssh/ssh_host_ed25519_key
cannot_tell "FIFO as a host key" "a FIFO, socket or device"
fifo sshd /usr/sbin/sshd
cannot_tell "FIFO as /usr/sbin/sshd" \
    '"path":"/usr/sbin/sshd","error":"a FIFO, socket or device'
fifo library /lib/x86_64-linux-gnu/libc.so.6 elfroot
cannot_tell "FIFO as a library" '"path":"/lib/x86_64-linux-gnu/libc.so.6"'
fifo ldconf /etc/ld.so.conf elfroot
cannot_tell "FIFO as /etc/ld.so.conf" '"path":"/etc/ld.so.conf"'
R="$T/fifo-dpkg"; mkroot "$R"
mkdir -p "$R/var/lib/dpkg/info"
: >"$R/var/lib/dpkg/info/openssh-server.list"
mkfifo "$R/var/lib/dpkg/info/pkg.list"
bounded "FIFO as a dpkg list" 10 64 --root "$R" --json
cannot_tell "FIFO as a dpkg list" '"path":"/var/lib/dpkg/info/pkg.list"'
# --apply takes its lock on the target: a FIFO there never blocks it.
R="$T/fifo-lock"; mkroot "$R"; chmod 0777 "$R/root"
mkdir -p "$R/var/lib/sshfix"
mkfifo "$R/var/lib/sshfix/lock"
measured 10 --root "$R" --apply
check "FIFO as the lock: --apply ends, refused (exit $RC)" sh -c \
    "[ $RC -ne 124 ] && [ $RC -ne 0 ]"

# A device node is never opened: strace sees no open of it but O_PATH,
# and none that succeeds (the disk's devices are inert for sshfix, its
# mounts nodev in sshfix's own mount namespace: ~/.ssh/authorized_keys's
# one-open fast path gets EACCES, not the driver).
if ! command -v strace >/dev/null 2>&1; then
	skip_line "device nodes never opened" "strace missing"
	exit 0
fi
R="$T/dev"; elfroot "$R" libc.so.6 libz.so.1
for p in /etc/os-release /etc/group /etc/ssh/sshd_config.d/x.conf \
    /var/log/auth.log /etc/ld.so.conf /lib/x86_64-linux-gnu/libz.so.1; do
	mkdir -p "$(dirname "$R$p")"
	rm -f "$R$p"
	mknod "$R$p" c 1 5		# /dev/zero's numbers: harmless
done
chmod 0777 "$R/root"
# LeakSanitizer cannot run under ptrace.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
    strace -f -qq -e trace=open,openat,openat2 -o "$T/trace" \
    timeout 20 "$SSHFIX" --root "$R" --json >"$T/out" 2>"$T/err"
RC=$?
OUT=$(cat "$T/out")
# Relative to a directory of the root: sshfix's own opens of the target
# (AT_FDCWD ones are the host's: its loader, sshd -t, ssh-keygen).
opened=$(grep -v -e O_PATH -e AT_FDCWD -e ' = -1 ' "$T/trace" |
    grep -E '[/"](os-release|group|x\.conf|auth\.log|ld\.so\.conf|libz\.so\.1)"' |
    grep -v O_DIRECTORY)
check "6 device nodes: none opened (strace)" [ -z "$opened" ]
[ -z "$opened" ] || printf '%s\n' "$opened" | sed 's/^/# /'
check "6 device nodes: not an all-clear (exit $RC)" [ "$RC" -eq 2 ]

# The same as alice's authorized_keys, which the account walk reaches
# (above, the ELF faults come first).
R="$T/devkeys"; mkroot "$R"
rm -f "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
mknod "$R/home/alice/.ssh/authorized_keys" c 1 5
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
    strace -f -qq -e trace=open,openat,openat2 -o "$T/trace" \
    timeout 20 "$SSHFIX" --root "$R" --json >"$T/out" 2>"$T/err"
RC=$?
opened=$(grep -v -e O_PATH -e ' = -1 ' "$T/trace" |
    grep -E '[/"]authorized_keys"')
seen=$(grep -c 'authorized_keys"' "$T/trace")
check "a device as authorized_keys: looked for ($seen), never opened" \
    [ -z "$opened" -a "$seen" -gt 0 ]
[ -z "$opened" ] || printf '%s\n' "$opened" | sed 's/^/# /'
check "a device as authorized_keys: not an all-clear (exit $RC)" \
    [ "$RC" -ne 0 ]
