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
check "it ships /etc/sshfix, the auto-repair script and the enabling preset" sh -c "
    grep -qx '/etc/sshfix' '$T/files' &&
    grep -q '/libexec/sshfix/auto-repair$' '$T/files' &&
    grep -q 'system-preset/80-sshfix.preset$' '$T/files'"
check "libarchive is required by soname, not by package name" sh -c "
    rpm -qp --requires '$RPM' >'$T/req' 2>/dev/null &&
    grep -qx 'libarchive.so.13()(64bit)' '$T/req' &&
    ! grep -q '^libarchive\\( \\|$\\)' '$T/req'"
check "%post presets the unit (enabled, as the .deb does), %preun disables it" \
    sh -c "rpm -qp --scripts '$RPM' >'$T/scripts' 2>/dev/null &&
    grep -q 'preset sshfix-auto-repair.service' '$T/scripts' &&
    grep -q 'disable sshfix-auto-repair.service' '$T/scripts'"
# rpmlint's errors that only come from building here (README.md, "Building
# and testing"): an unsigned local build, and Debian's rpmlint default
# configuration, which asks for the Packager and Group tags that Fedora's
# and RHEL's do not (their guidelines forbid Packager).
DEBIAN_ONLY='no-signature|no-packager-tag|no-group-tag'
if command -v rpmlint >/dev/null 2>&1; then
	rpmlint "$RPM" packaging/rpm/sshfix.spec >"$T/lint" 2>&1
	check "rpmlint: no error but those of a build on Debian ($DEBIAN_ONLY)" \
	    sh -c "! grep ': E: ' '$T/lint' | grep -Evq ': E: ($DEBIAN_ONLY)( |\$)'"
	grep -E ': [EW]: ' "$T/lint" | sed 's/^/# /'
else
	skip_line "rpmlint" "no rpmlint (make deps installs it)"
fi
