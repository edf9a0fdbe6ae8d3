# The .deb from a clean tree: built, installed with apt, run, removed.
. "$SSHFIX_TOP/tests/integration/lib.sh"
cd "$SSHFIX_TOP" || exit 1

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
check "it depends on the libarchive library, recommends openssh-server" \
    sh -c "dpkg-deb -f '$DEB' Depends | grep -q libarchive &&
    dpkg-deb -f '$DEB' Recommends | grep -q openssh-server"

if [ "$(id -u)" -ne 0 ]; then
	skip_line "install the .deb with apt" "not root"
	exit 0
fi
if dpkg -s sshfix >/dev/null 2>&1; then
	skip_line "install the .deb with apt" "sshfix is already installed here"
	exit 0
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./$DEB" \
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
fi
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q sshfix >"$T/log" 2>&1
check "apt-get purge sshfix: exit 0" [ $? -eq 0 ]
check "purged: /usr/sbin/sshfix gone" [ ! -e /usr/sbin/sshfix ]
check "purged: dpkg knows no sshfix" sh -c "! dpkg -s sshfix >/dev/null 2>&1"
