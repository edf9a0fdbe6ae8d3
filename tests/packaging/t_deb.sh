# The .deb from a clean tree: built, installed with apt, run, removed.
. "$SSHFIX_TOP/tests/integration/lib.sh"
cd "$SSHFIX_TOP" || exit 1
not() { ! "$@"; }

if ! command -v dpkg-buildpackage >/dev/null 2>&1 ||
    ! command -v dh >/dev/null 2>&1 || ! command -v apt-get >/dev/null; then
	skip_line "deb package" "no dpkg-buildpackage/debhelper/apt (not Debian)"
	exit 0
fi
make -s deb B="$B" >"$T/log" 2>&1
check "make deb (dpkg-buildpackage -us -uc -b): exit 0" [ $? -eq 0 ]
[ $? -eq 0 ] || tail -20 "$T/log" | sed 's/^/# /'
DEB=$(ls "$B"/deb/sshfix_*.deb 2>/dev/null | head -1)
check "a .deb was produced" [ -f "$DEB" ]
# The package that holds libarchive.so.13 here (libarchive13, or
# libarchive13t64 after the rename), found at build time, not written in.
LIBPKG=$(dpkg -S "$(readlink -f "$(ldconfig -p | sed -n 's/.*libarchive\.so\.13 (libc6,x86-64) => //p' | head -1)")" 2>/dev/null | cut -d: -f1)
check "it depends on the package holding libarchive.so.13 (${LIBPKG:-none found}), recommends openssh-server" \
    sh -c "[ -n '$LIBPKG' ] &&
    dpkg-deb -f '$DEB' Depends | tr ',' '\n' | grep -q '^ *$LIBPKG\( \|\$\)' &&
    dpkg-deb -f '$DEB' Recommends | grep -q openssh-server"
check "debian/control names no libarchive package: it is computed" \
    sh -c "! grep -q '^Depends:.*libarchive' packaging/debian/control"
check "it ships /etc/sshfix, the auto-repair script and the unit" sh -c "
    dpkg-deb -c '$DEB' >'$T/files' && grep -q ' ./etc/sshfix/\$' '$T/files' &&
    grep -q ' ./usr/libexec/sshfix/auto-repair\$' '$T/files' &&
    grep -q 'sshfix-auto-repair.service\$' '$T/files'"
if command -v lintian >/dev/null 2>&1; then
	lintian --display-level '>=warning' "$DEB" >"$T/lint" 2>&1
	check "lintian: no E: or W: tag" not grep -Eq '^[EW]: ' "$T/lint"
	grep -E '^[EWNIP]: ' "$T/lint" | sed 's/^/# /'
else
	skip_line "lintian" "no lintian (make deps installs it)"
fi

if [ "$(id -u)" -ne 0 ]; then
	skip_line "install the .deb with apt" "not root"
	exit 0
fi
if dpkg -s sshfix >/dev/null 2>&1; then
	skip_line "install the .deb with apt" "sshfix is already installed here"
	exit 0
fi
# Purge removes /var/lib/sshfix: never one this test did not make.
if [ -e /var/lib/sshfix ] || [ -e /etc/sshfix ]; then
	skip_line "install the .deb with apt" "/var/lib/sshfix or /etc/sshfix exists here"
	exit 0
fi
# Other apt users on this machine: wait for the lock rather than fail.
APT="apt-get -o DPkg::Lock::Timeout=300"
DEBIAN_FRONTEND=noninteractive $APT install -y -q "./$DEB" \
    >"$T/log" 2>&1
check "apt-get install ./sshfix.deb: exit 0" [ $? -eq 0 ]
check "installed: /usr/sbin/sshfix --version" sh -c \
    "/usr/sbin/sshfix --version | grep -q '^sshfix [0-9]'"
R="$T/root"; mkroot "$R"; chmod 0777 "$R/root"
/usr/sbin/sshfix --root "$R" --json >"$T/out" 2>&1
RC=$?; OUT=$(cat "$T/out")
check "installed: a dry run on a fake root finds home-perms" sh -c \
    "[ $RC -eq 1 ] && printf '%s' \"\$1\" | grep -q '\"id\":\"home-perms\"'" _ "$OUT"
check "installed: man sshfix" sh -c "man -w sshfix >/dev/null 2>&1 ||
    [ -f /usr/share/man/man8/sshfix.8.gz ]"
if command -v systemd-analyze >/dev/null 2>&1; then
	systemd-analyze verify /lib/systemd/system/sshfix-auto-repair.service \
	    >"$T/v" 2>&1
	check "installed unit: systemd-analyze verify" [ $? -eq 0 ]
	sed 's/^/# /' "$T/v"
	systemd-analyze security --offline=true --threshold=30 \
	    /lib/systemd/system/sshfix-auto-repair.service >"$T/v" 2>&1
	check "installed unit: systemd-analyze security exposure <= 3.0" [ $? -eq 0 ]
	grep 'Overall' "$T/v" | sed 's/^/# /'
fi
check "installed: enabled (inert until /etc/sshfix/auto-repair exists)" \
    [ -L /etc/systemd/system/multi-user.target.wants/sshfix-auto-repair.service ]
check "installed: touch /etc/sshfix/auto-repair works" touch /etc/sshfix/auto-repair
# What runs leave behind, for purge to remove.
mkdir -p /var/lib/sshfix/snapshots && : >/var/lib/sshfix/snapshots/x.tar
DEBIAN_FRONTEND=noninteractive $APT purge -y -q sshfix >"$T/log" 2>&1
check "apt-get purge sshfix: exit 0" [ $? -eq 0 ]
check "purged: /var/lib/sshfix (snapshots: private host keys) removed, and said so" \
    sh -c "[ ! -e /var/lib/sshfix ] && grep -q 'removes /var/lib/sshfix' '$T/log'"
check "purged: the trigger and /etc/sshfix removed" [ ! -e /etc/sshfix ]
check "purged: the unit is no longer enabled" \
    [ ! -e /etc/systemd/system/multi-user.target.wants/sshfix-auto-repair.service ]
check "purged: /usr/sbin/sshfix gone" [ ! -e /usr/sbin/sshfix ]
check "purged: dpkg knows no sshfix" sh -c "! dpkg -s sshfix >/dev/null 2>&1"
