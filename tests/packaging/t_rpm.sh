# The RPM spec builds with rpmbuild -bb. On a Debian host rpm has no
# package database to satisfy BuildRequires, hence --nodeps there.
. "$SSHFIX_TOP/tests/integration/lib.sh"
cd "$SSHFIX_TOP" || exit 1

if ! command -v rpmbuild >/dev/null 2>&1; then
	skip_line "rpmbuild -bb" "no rpmbuild"
	exit 0
fi
FLAGS="--define 'debug_package %{nil}'"
if command -v dpkg >/dev/null 2>&1 && ! rpm -q glibc >/dev/null 2>&1; then
	FLAGS="--nodeps $FLAGS"
fi
make -s rpm B="$B" RPMFLAGS="$FLAGS" >"$T/log" 2>&1
check "rpmbuild -bb packaging/rpm/sshfix.spec: exit 0" [ $? -eq 0 ]
[ $? -eq 0 ] || tail -20 "$T/log" | sed 's/^/# /'
RPM=$(find "$B/rpm/RPMS" -name 'sshfix-*.rpm' 2>/dev/null | head -1)
check "an .rpm was produced" [ -f "$RPM" ]
check "it holds the binary, man page, unit and cloud-init files" sh -c "
    rpm -qpl '$RPM' >'$T/files' 2>/dev/null &&
    grep -q '/usr/sbin/sshfix$' '$T/files' &&
    grep -q 'man8/sshfix.8' '$T/files' &&
    grep -q 'sshfix-auto-repair.service$' '$T/files' &&
    grep -q 'cloud-init/user-data.yaml$' '$T/files'"
