# make install / make uninstall with PREFIX and DESTDIR, and the
# cloud-init scripts run against a fake root.
. "$SSHFIX_TOP/tests/integration/lib.sh"
cd "$SSHFIX_TOP" || exit 1
D="$T/dest"

make -s install DESTDIR="$D" PREFIX=/opt/sx >"$T/log" 2>&1
check "make install DESTDIR PREFIX: exit 0" [ $? -eq 0 ]
for f in sbin/sshfix share/man/man8/sshfix.8 \
    share/bash-completion/completions/sshfix \
    lib/systemd/system/sshfix-auto-repair.service \
    share/sshfix/cloud-init/user-data.yaml \
    share/sshfix/cloud-init/boothook.sh \
    share/sshfix/cloud-init/per-boot-sshfix.sh libexec/sshfix/auto-repair \
    share/sshfix/sshfix.schema.json \
    share/sshfix/examples/ansible/sshd.yml \
    share/sshfix/examples/ansible/sshd_config.j2 \
    share/sshfix/examples/salt/sshd.sls share/sshfix/examples/puppet/sshd.pp \
    share/sshfix/examples/git/pre-commit; do
	check "installed: PREFIX/$f" [ -f "$D/opt/sx/$f" ]
done
check "installed: the git hook executable, the other examples 0644" sh -c "
    [ -x '$D/opt/sx/share/sshfix/examples/git/pre-commit' ] &&
    [ -z \"\$(find '$D/opt/sx/share/sshfix/examples' -type f ! -name pre-commit ! -perm 0644)\" ]"
check "installed: /etc/sshfix, for the boot unit's trigger" [ -d "$D/etc/sshfix" ]
check "installed binary runs" sh -c "'$D/opt/sx/sbin/sshfix' --version |
    grep -q '^sshfix [0-9]'"
check "the unit runs the installed script, which runs the installed binary" \
    sh -c "grep -qx 'ExecStart=/opt/sx/libexec/sshfix/auto-repair' \
    '$D/opt/sx/lib/systemd/system/sshfix-auto-repair.service' &&
    grep -q '^SSHFIX=\${SSHFIX:-/opt/sx/sbin/sshfix}' \
    '$D/opt/sx/libexec/sshfix/auto-repair'"
make -s uninstall DESTDIR="$D" PREFIX=/opt/sx >"$T/log" 2>&1
check "make uninstall: exit 0" [ $? -eq 0 ]
check "make uninstall leaves no file behind" \
    [ -z "$(find "$D" -type f -o -type l)" ]
check "make uninstall removes sshfix's own directories" sh -c "
    [ ! -e '$D/opt/sx/share/sshfix' ] && [ ! -e '$D/opt/sx/libexec/sshfix' ] &&
    [ ! -e '$D/etc/sshfix' ]"

# The boot scripts on a broken fake root, with a file for /dev/console.
for s in boothook.sh per-boot-sshfix.sh; do
	R="$T/root-$s"; mkroot "$R"; chmod 0777 "$R/root"
	: >"$T/console"
	SSHFIX="$SSHFIX" SSHFIX_ROOT="$R" CONSOLE="$T/console" \
	    sh "$SSHFIX_TOP/packaging/cloud-init/$s"
	check "$s: exits 0" [ $? -eq 0 ]
	check "$s: writes one line to the console" \
	    [ "$(wc -l <"$T/console")" -eq 1 ]
	check "$s: the line says what it fixed and the snapshot" grep -Eq \
	    '^sshfix: fixed home-perms on /root, snapshot [0-9]{8}T[0-9]{6}Z' \
	    "$T/console"
	sed 's/^/# /' "$T/console"
	run --root "$R"
	check "$s: the fault is gone" [ "$RC" -eq 0 ]
done

R="$T/root-key"; mkroot "$R"
rm "$R/root/.ssh/authorized_keys" "$R/home/alice/.ssh/authorized_keys"
sed "s|^KEY=\"\"|KEY=\"$(cat "$KEYS/user_key.pub")\"|" \
    "$SSHFIX_TOP/packaging/cloud-init/boothook.sh" >"$T/boothook-key.sh"
SSHFIX="$SSHFIX" SSHFIX_ROOT="$R" CONSOLE="$T/console" sh "$T/boothook-key.sh"
check "boothook with KEY: installs it for root" \
    cmp -s "$KEYS/user_key.pub" "$R/root/.ssh/authorized_keys"
check "boothook with KEY: says so" grep -q 'fixed auth-lockout on' "$T/console"

: >"$T/console"
SSHFIX=/nonexistent/sshfix CONSOLE="$T/console" \
    sh "$SSHFIX_TOP/packaging/cloud-init/boothook.sh"
check "boothook without sshfix: says it is not installed" \
    grep -q 'sshfix: not installed' "$T/console"
