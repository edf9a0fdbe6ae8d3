#!/bin/sh
# sshd-absent: openssh-server not installed, or sshd_config missing, is
# one finding with its repair, and nothing else is judged or planned (no
# sshd account, no host keys for an sshd that is not there). And sshd's
# PAM service missing altogether under UsePAM yes (pam-module).
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
only_absent() { [ "$(ids)" = sshd-absent ]; }
dpkgdb() {	# dpkgdb DIR [PKG]: a dpkg database, PKG installed
	mkdir -p "$1/var/lib/dpkg/info"
	printf 'Package: openssh-client\nStatus: install ok installed\n\n' \
	    >"$1/var/lib/dpkg/status"
	[ -z "${2:-}" ] || echo /usr/sbin/sshd >"$1/var/lib/dpkg/info/$2.list"
}

# No sshd and no sshd_config on a hand-made root.
R="$T/none"; mkroot "$R"; rm "$R/etc/ssh/sshd_config"
diagnose "$R"
check "no sshd, no sshd_config: one finding, exit 1" \
    sh -c "[ $RC -eq 1 ] && [ \"\$(echo '$(ids)')\" = sshd-absent ]"
jscheck "... JSON: openssh-server, the chrooted apt-get, no accounts table" \
    'f["sshd-absent"]["subject"] == "openssh-server" and
    "openssh-server is not installed on" in f["sshd-absent"]["message"] and
    any("apt-get install openssh-server" in a["description"]
        for a in f["sshd-absent"]["actions"]) and d["accounts"] == []'

# A real system's package database without openssh-server, host keys gone
# too: no ssh-keygen, no sshd account, nothing changed by --apply.
R="$T/dpkg"; mkroot "$R"; dpkgdb "$R"
rm -f "$R"/etc/ssh/ssh_host_*
sed -i '/^sshd:/d' "$R/etc/passwd" "$R/etc/shadow"
diagnose "$R"
check "dpkg without openssh-server: only sshd-absent (no keygen, no privsep)" \
    sh -c "[ $RC -eq 1 ] && [ \"\$(echo '$(ids)')\" = sshd-absent ] &&
    [ $UNCHANGED -eq 0 ]"
run --root "$R"
check "... the text: it needs you, --apply would change nothing" sh -c \
    "printf '%s' \"\$0\" | tr '\n' ' ' | grep -qF '1 fault found. Nothing was changed; it needs you (the \"you:\" steps): --apply would change nothing.' &&
    ! printf '%s' \"\$0\" | grep -q 'repair with --apply'" "$OUT"
tree "$R" >"$T/a0"
run --root "$R" --apply
tree "$R" >"$T/a1"
check "... --apply changes nothing, exit 1 (a person must install it)" \
    sh -c "[ $RC -eq 1 ] && cmp -s '$T/a0' '$T/a1'"

# apt remove (not purge): dpkg keeps sshd_config, the status says
# config-files; the binary and the unit are gone.
R="$T/removed"; mkroot "$R"; dpkgdb "$R"
printf 'Package: openssh-server\nStatus: deinstall ok config-files\nVersion: 1:9.2p1-2+deb12u3\n\n' \
    >>"$R/var/lib/dpkg/status"
diagnose "$R"
check "openssh-server removed, its sshd_config kept: sshd-absent" \
    sh -c "[ $RC -eq 1 ] && [ \"\$(echo '$(ids)')\" = sshd-absent ]"
sed -i 's/deinstall ok config-files/install ok installed/' \
    "$R/var/lib/dpkg/status"
diagnose "$R"
check "... the status says installed, /usr/sbin/sshd missing: sshd-binary" \
    sh -c "echo '$(ids)' | grep -qx sshd-binary && ! echo '$(ids)' | grep -qx sshd-absent"

# RHEL: an rpm database, dnf --installroot.
R="$T/rhel"; mkroot "$R" rhel; mkdir -p "$R/var/lib/rpm"
diagnose "$R"
jscheck "RHEL without openssh-server: dnf --installroot=ROOT install" \
    'any("dnf --installroot=" in a["description"] and
        "install openssh-server" in a["description"]
        for a in f["sshd-absent"]["actions"])'

# sshd installed, sshd_config deleted: the package's default put back.
R="$T/noconf"; mkroot "$R"; dpkgdb "$R" openssh-server
mkdir -p "$R/usr/sbin" "$R/usr/share/openssh"
: >"$R/usr/sbin/sshd"
mv "$R/etc/ssh/sshd_config" "$R/usr/share/openssh/sshd_config"
diagnose "$R"
check "sshd_config missing: one finding, exit 1" \
    sh -c "[ $RC -eq 1 ] && [ \"\$(echo '$(ids)')\" = sshd-absent ]"
jscheck "... JSON: /etc/ssh/sshd_config, a copy of the package's default" \
    'f["sshd-absent"]["subject"] == "/etc/ssh/sshd_config" and
    f["sshd-absent"]["logline"] == "/etc/ssh/sshd_config: No such file or directory" and
    [(a["type"], a["from"], a["path"], a["mode"])
     for a in f["sshd-absent"]["actions"]] ==
    [("copy", "/usr/share/openssh/sshd_config", "/etc/ssh/sshd_config", "0644")]'
run --root "$R"
check "... the text: repair with --apply" \
    out_has "1 fault found. Nothing was changed; repair with --apply."
tree "$R" >"$T/c0"
run --root "$R" --apply
check "... --apply puts the default back: same bytes, 0644 root:root" \
    sh -c "cmp -s '$R/usr/share/openssh/sshd_config' '$R/etc/ssh/sshd_config' &&
    [ \"\$(stat -c '%a %u %g %F' '$R/etc/ssh/sshd_config')\" = '644 0 0 regular file' ]"
diagnose "$R"
check "... and sshd-absent is gone" \
    sh -c "! echo '$(ids)' | grep -qx sshd-absent"
run --root "$R" --rollback
tree "$R" >"$T/c1"
check "... --rollback removes it again: the tree as before" \
    sh -c "[ $RC -eq 0 ] && cmp -s '$T/c0' '$T/c1' && [ ! -e '$R/etc/ssh/sshd_config' ]"
# The default replaced by a link to a secret, or a FIFO: never copied.
ln -s /etc/shadow "$R/usr/share/openssh/sshd_config.x"
mv "$R/usr/share/openssh/sshd_config" "$T/default"
mv "$R/usr/share/openssh/sshd_config.x" "$R/usr/share/openssh/sshd_config"
diagnose "$R"
jscheck "... the default a symlink: no copy, reinstall advice" \
    'not any(a["type"] == "copy" for a in f["sshd-absent"]["actions"]) and
    any("apt-get install --reinstall openssh-server" in a["description"]
        for a in f["sshd-absent"]["actions"])'
rm "$R/usr/share/openssh/sshd_config"; mkfifo "$R/usr/share/openssh/sshd_config"
tree "$R" >"$T/c2"
run --root "$R" --apply
tree "$R" >"$T/c3"
check "... the default a FIFO: --apply does not hang and copies nothing" \
    sh -c "cmp -s '$T/c2' '$T/c3' && [ ! -e '$R/etc/ssh/sshd_config' ]"
rm "$R/usr/share/openssh/sshd_config"
diagnose "$R"
jscheck "... no default copy: reinstall openssh-server" \
    'any("apt-get install --reinstall openssh-server" in a["description"]
        for a in f["sshd-absent"]["actions"])'

# Negative controls: dpkg lists openssh-server but sshd is gone: the
# binary's finding, not this one; a hand-made root with sshd_config and
# no package database is judged as before.
R="$T/binary"; mkroot "$R"; dpkgdb "$R" openssh-server
diagnose "$R"
check "openssh-server installed, /usr/sbin/sshd missing: sshd-binary" \
    sh -c "echo '$(ids)' | grep -qx sshd-binary && ! echo '$(ids)' | grep -qx sshd-absent"
R="$T/handmade"; mkroot "$R"
diagnose "$R"
check "hand-made root with sshd_config: no sshd-absent, exit 0" \
    sh -c "[ $RC -eq 0 ] && [ -z '$(ids)' ]"

# UsePAM yes and no PAM configuration sshd can use: libpam cannot start
# ("PAM: initialisation failed"), every login refused. /etc/pam.d/other
# stands in for a missing sshd service; UsePAM no needs neither.
R="$T/nopam"; mkroot "$R"; rm "$R/etc/pam.d/sshd"
diagnose "$R"
check "no /etc/pam.d/sshd, no other: pam-module, exit 1" \
    sh -c "[ $RC -eq 1 ] && [ \"\$(echo '$(ids)')\" = pam-module ]"
jscheck "... JSON: sshd's line, the conffile put back with --force-confmiss" \
    'f["pam-module"]["subject"] == "/etc/pam.d/sshd" and
    f["pam-module"]["logline"] == "PAM: initialisation failed" and
    "UsePAM yes (/etc/ssh/sshd_config:3)" in f["pam-module"]["message"] and
    any("apt-get install --reinstall -o Dpkg::Options::=--force-confmiss openssh-server" in a["description"]
        for a in f["pam-module"]["actions"])'
printf '@include common-auth\n' >"$R/etc/pam.d/other"
diagnose "$R"
check "... /etc/pam.d/other present: libpam uses it, exit 0" \
    sh -c "[ $RC -eq 0 ] && [ -z '$(ids)' ]"
rm "$R/etc/pam.d/other"
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
diagnose "$R"
check "... UsePAM no: no PAM needed, exit 0" \
    sh -c "[ $RC -eq 0 ] && [ -z '$(ids)' ]"
R="$T/nopamrhel"; mkroot "$R" rhel; rm "$R/etc/pam.d/sshd"
diagnose "$R"
jscheck "RHEL without pam.d/sshd: dnf reinstall" \
    'any("dnf --installroot=" in a["description"] and "reinstall" in a["description"]
        for a in f["pam-module"]["actions"])'

echo "1..$N"
