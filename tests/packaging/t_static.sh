# make static and make release: one self-contained binary (no dynamic
# section, no loader, no NSS, libarchive linked in) that behaves as the
# dynamic build on a sandbox root and writes snapshots it can read.
. "$SSHFIX_TOP/tests/integration/lib.sh"
cd "$SSHFIX_TOP" || exit 1
DYN=$SSHFIX
ST="$SSHFIX_TOP/build/sshfix-static"

for a in libc.a libarchive.a libacl.a libnettle.a libbsd.a libmd.a; do
	case $(${CC:-cc} -print-file-name="$a") in
	/*) ;;
	*)	skip_line "make static" "no $a (Debian: make deps)"
		exit 0 ;;
	esac
done
make -s -j2 static >"$T/log" 2>&1
check "make static: exit 0, no warning" sh -c "[ $? -eq 0 ] &&
    ! grep -qi 'warning' '$T/log'"
sed 's/^/# /' "$T/log" | head -20
if [ ! -x "$ST" ]; then
	not_ok "build/sshfix-static exists"
	exit 1
fi
# Right after make build-deps, a static archive missing (libacl1-dev
# not installed, say) is named with its remedy before the link, not a
# bare "cannot find -lacl"; the binary is left as it was. A compiler
# that cannot find libacl.a stands in for the missing package.
printf '#!/bin/sh\n[ "$1" = -print-file-name=libacl.a ] && { echo libacl.a; exit 0; }\nexec %s "$@"\n' \
    "${CC:-cc}" >"$T/cc"
chmod 0755 "$T/cc"
cp -p "$ST" "$T/st.before"
make -s -W build/static/src/main.o build/sshfix-static \
    CC="$T/cc" >"$T/noacl" 2>&1
rc=$?
check "make static without libacl.a: exit 2 ($rc)" [ "$rc" -eq 2 ]
check "make static without libacl.a: names it and make build-deps" grep -q \
    '^make static: libacl.a not found: make build-deps installs' "$T/noacl"
check "make static without libacl.a: the binary is left as it was" \
    cmp -s "$ST" "$T/st.before"
size=$(stat -c %s "$ST")
echo "# build/sshfix-static: $size bytes"
check "at most 2 MB ($size bytes)" [ "$size" -le 2097152 ]
check "stripped" sh -c "readelf -S '$ST' | grep -q '\.symtab' && exit 1;
    exit 0"
check "no dynamic section (readelf -d), so no NEEDED library" sh -c \
    "LC_ALL=C readelf -d '$ST' | grep -q 'There is no dynamic section' &&
    ! LC_ALL=C readelf -d '$ST' | grep -q NEEDED"
check "no program interpreter (readelf -l)" sh -c \
    "! LC_ALL=C readelf -l '$ST' | grep -q INTERP"
# libarchive is linked in, never loaded. (A call that needs glibc's NSS,
# which would dlopen the rescue system's modules, fails the link: see
# the first test and the strace one below.)
check "no libarchive.so to load" sh -c "! grep -q 'libarchive\.so' '$ST'"
check "--version" sh -c "'$ST' --version | grep -q '^sshfix [0-9]'"

# The same dry run, apply and rollback as the dynamic build.
broken() { mkroot "$1"; chmod 0777 "$1/etc/ssh/ssh_host_ed25519_key"; }
perms() { (cd "$1" && find . -printf '%p %y %m %U:%G\n' |
    grep -v '^\./var/lib' | sort); }
same_tree() { tree "$1" >"$T/now"; cmp -s "$2" "$T/now"; }
RS="$T/rs"; broken "$RS"
RD="$T/rd"; broken "$RD"
tree "$RS" >"$T/s0"
SSHFIX=$ST run --root "$RS" --json; rcs=$RC; outs=$OUT
SSHFIX=$DYN run --root "$RD" --json; rcd=$RC
check "dry run: exit 1 as the dynamic build's ($rcs, $rcd)" \
    [ "$rcs$rcd" = 11 ]
# The two runs may fall in different seconds: "time" is the only field
# that may differ.
check "dry run: the same JSON report but for the root and the time" sh -c "
    m='s|$RS|R|g; s|$RD|R|g; s|\"time\":\"[0-9TZ:-]*\"|\"time\":T|'
    [ \"\$(printf '%s' \"\$1\" | sed \"\$m\")\" = \
    \"\$(printf '%s' \"\$2\" | sed \"\$m\")\" ]" _ "$outs" "$OUT"
check "dry run: hostkey-perms found" sh -c \
    "printf '%s' \"\$1\" | grep -q '\"id\":\"hostkey-perms\"'" _ "$outs"

# No libsystemd in a static binary: a journal is named, with the command
# that reads it, and the diagnosis stands.
R="$T/journal"; broken "$R"
mkdir -p "$R/var/log/journal/0123456789abcdef0123456789abcdef"
gzip -dc "$SSHFIX_TOP/tests/integration/journal/home-perms.journal.gz" \
    >"$R/var/log/journal/0123456789abcdef0123456789abcdef/system.journal"
SSHFIX=$ST run --root "$R" --json
check "a journal: exit 1, a note naming journalctl -D $R/var/log/journal" \
    sh -c '[ "$1" -eq 1 ] && printf "%s" "$2" |
    grep -q "built without libsystemd; read them with: journalctl -D $3/var/log/journal"' \
    _ "$RC" "$OUT" "$R"
check "dry run: nothing changed" same_tree "$RS" "$T/s0"

SSHFIX=$ST run --root "$RS" --apply; rcs=$RC
check "apply: the undo hint, on a line of its own, names --root" sh -c \
    "printf '%s\n' \"\$0\" | grep -qx '  sshfix --rollback [0-9TZ-]* --root $RS'" "$OUT"
SSHFIX=$DYN run --root "$RD" --apply; rcd=$RC
check "apply: exit 0 as the dynamic build's ($rcs, $rcd)" \
    [ "$rcs$rcd" = 00 ]
perms "$RS" >"$T/ps"; perms "$RD" >"$T/pd"
check "apply: the same modes and owners after" cmp -s "$T/ps" "$T/pd"
check "apply: the key is 0600" \
    [ "$(stat -c %a "$RS/etc/ssh/ssh_host_ed25519_key")" = 600 ]
SSHFIX=$DYN run --root "$RS" --list
check "the dynamic build lists the static one's snapshot" sh -c \
    "[ $RC -eq 0 ] && printf '%s' \"\$1\" | grep -Eq \
    '^[0-9]{8}T[0-9]{6}Z .* applied ' && printf '%s' \"\$1\" | grep -q '^    hostkey-perms'" _ "$OUT"
SSHFIX=$ST run --root "$RD" --list
check "the static build lists the dynamic one's snapshot" sh -c \
    "[ $RC -eq 0 ] && printf '%s' \"\$1\" | grep -q 'hostkey-perms'" _ "$OUT"
SSHFIX=$ST run --root "$RS" --rollback
check "rollback: exit 0" [ "$RC" -eq 0 ]
check "rollback: every byte, mode, owner, mtime restored" \
    same_tree "$RS" "$T/s0"

# Snapshots are one format: the dynamic build rolls back the static one's.
R="$T/cross"; broken "$R"; tree "$R" >"$T/c0"
SSHFIX=$ST run --root "$R" --apply
SSHFIX=$DYN run --root "$R" --rollback
check "the dynamic build rolls back the static one's snapshot" sh -c \
    "[ $RC -eq 0 ] && [ $(same_tree "$R" "$T/c0"; echo $?) -eq 0 ]"

# The same archive and manifest bytes for a path that is not UTF-8 (pax
# hdrcharset=BINARY, with no iconv module to load).
R="$T/nonutf"; mkroot "$R"; H="/home/a$(printf '\351\377')b"
mv "$R/home/alice" "$R$H"; sed -i "s|/home/alice|$H|" "$R/etc/passwd"
chmod 0777 "$R$H"; cp -a "$R" "$R.d"; tree "$R" >"$T/u0"
SSHFIX=$ST run --root "$R" --apply; rcs=$RC
SSHFIX=$DYN run --root "$R.d" --apply
check "a non-UTF-8 home: both builds apply ($rcs, $RC)" [ "$rcs$RC" = 00 ]
check "a non-UTF-8 home: the same before.mtree from both" sh -c \
    "cmp -s '$R'/var/lib/sshfix/snapshots/*.before.mtree \
    '$R.d'/var/lib/sshfix/snapshots/*.before.mtree"
# (sshfix-meta aside: it holds the snapshot's own time.)
tar -tvf "$R"/var/lib/sshfix/snapshots/*.tar 2>/dev/null |
    grep -v sshfix-meta >"$T/ls.s"
tar -tvf "$R.d"/var/lib/sshfix/snapshots/*.tar 2>/dev/null |
    grep -v sshfix-meta >"$T/ls.d"
check "a non-UTF-8 home: the same tar entries from both" sh -c \
    "grep -q 'files/home/a' '$T/ls.s' && cmp -s '$T/ls.s' '$T/ls.d'"
SSHFIX=$DYN run --root "$R" --rollback
check "a non-UTF-8 home: the dynamic build rolls the static one's back" \
    sh -c "[ $RC -eq 0 ] && [ $(same_tree "$R" "$T/u0"; echo $?) -eq 0 ]"

# The whole life of a fix that opens a temporary route, with the static one.
R="$T/pw"; mkroot "$R"; give_password "$R" alice
rm "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
printf 'PasswordAuthentication no\n' \
    >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
SSHFIX=$ST cycle "static: auth-lockout (temporary password route)" "$R"
SSHFIX=$DYN

# No environment, and no shared library on the system at all.
R="$T/envi"; broken "$R"
env -i "$ST" --root "$R" --apply >"$T/out" 2>&1
check "env -i: apply exits 0" [ $? -eq 0 ]
if command -v strace >/dev/null 2>&1; then
	R="$T/strace"; broken "$R"
	strace -f -qq -e trace=open,openat -o "$T/trace" \
	    "$ST" --root "$R" --apply >/dev/null 2>&1
	check "apply opens no library, NSS or gconv file" sh -c "
	    [ -s '$T/trace' ] &&
	    ! grep -E '\"[^\"]*(\.so[\".]|nsswitch|gconv|/etc/passwd)' '$T/trace'"
fi
LIBDIR=/usr/lib/x86_64-linux-gnu
# nolibs OUT PROGRAM ARGS...: PROGRAM run where LIBDIR is an empty tmpfs
# (a new mount namespace; only the shell that execs it is loaded before).
nolibs() {
	o=$1; shift
	unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs none "$0" &&
	    exec "$@"' "$LIBDIR" "$@" >"$o" 2>&1
}
if [ "$(id -u)" -eq 0 ] && [ -d "$LIBDIR" ] &&
    unshare -m sh -c "mount --make-rprivate / && mount -t tmpfs none '$LIBDIR'" \
    2>/dev/null; then
	nolibs "$T/out" "$DYN" --version
	check "no libraries: the dynamic build cannot start (the test hides them)" \
	    [ $? -ne 0 ]
	R="$T/nolib"; broken "$R"; tree "$R" >"$T/n0"
	nolibs "$T/out" "$ST" --root "$R"
	check "no libraries: dry run exits 1" [ $? -eq 1 ]
	nolibs "$T/out" "$ST" --root "$R" --apply
	check "no libraries: apply exits 0 (snapshot written)" sh -c "[ $? -eq 0 ] &&
	    [ $(snapshots "$R") -eq 1 ]"
	sed 's/^/# /' "$T/out" | tail -3
	nolibs "$T/out" "$ST" --root "$R" --rollback
	check "no libraries: rollback exits 0, the tree restored" sh -c \
	    "[ $? -eq 0 ] && [ $(same_tree "$R" "$T/n0"; echo $?) -eq 0 ]"
else
	skip_line "run with no shared library" "unshare -m not permitted"
fi

# make release: the names cloud-init pins, and sha256sum -c.
V=$(sed -n 's/^#define SSHFIX_VERSION "\(.*\)"/\1/p' include/util.h)
A="sshfix-$V-linux-x86_64"
rm -rf build/release
make -s release >"$T/log" 2>&1
check "make release: exit 0" [ $? -eq 0 ]
check "release: $A is the static binary" cmp -s "$ST" "build/release/$A"
check "release: $A.sha256 in sha256sum format, and it verifies" sh -c "
    cd build/release && grep -Eqx '[0-9a-f]{64}  $A' '$A.sha256' &&
    sha256sum -c --status '$A.sha256'"
