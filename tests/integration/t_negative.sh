# States sshd accepts must produce no finding (fault model).
. "$SSHFIX_TOP/tests/integration/lib.sh"

R="$T/debpriv"; mkroot "$R"; chmod 0775 "$R/home/alice"
diagnose "$R"
check "debian: home 0775 with the user's private group: no finding" no_ids

R="$T/rhelpriv"; mkroot "$R" rhel; chmod 0775 "$R/home/alice"
diagnose "$R"
check "rhel: home 0775 with private group: home-perms" has_id home-perms

R="$T/rhelkeys"; mkroot "$R" rhel
chgrp 998 "$R"/etc/ssh/ssh_host_*_key; chmod 0640 "$R"/etc/ssh/ssh_host_*_key
diagnose "$R"
check "rhel 9: host keys root:ssh_keys 0640: no finding" no_ids
chmod 0660 "$R"/etc/ssh/ssh_host_*_key
diagnose "$R"
check "rhel 9: ssh_keys 0660: hostkey-perms" has_id hostkey-perms
check "rhel 9: ssh_keys 0660 -> 0640 (layout kept)" \
    out_has '"from":"0660","to":"0640"'

R="$T/debkeys"; mkroot "$R"
chgrp 998 "$R"/etc/ssh/ssh_host_*_key; chmod 0640 "$R"/etc/ssh/ssh_host_*_key
diagnose "$R"
check "debian: host keys ssh_keys 0640: hostkey-perms" has_id hostkey-perms

R="$T/parent"; mkroot "$R"; chmod 0777 "$R/home"
diagnose "$R"
check "/home 0777 (parent of a home): no finding" no_ids

R="$T/rootowned"; mkroot "$R"
chown 0:0 "$R/home/alice/.ssh" "$R/home/alice/.ssh/authorized_keys"
chmod 0755 "$R/home/alice/.ssh"; chmod 0644 "$R/home/alice/.ssh/authorized_keys"
diagnose "$R"
check "~/.ssh and keys root-owned and readable: no finding" no_ids

R="$T/ro444"; mkroot "$R"; chmod 0444 "$R/home/alice/.ssh/authorized_keys"
diagnose "$R"
check "authorized_keys 0444: no finding" no_ids

R="$T/nostrict"; mkroot "$R"; chmod 0777 "$R/home/alice" "$R/home/alice/.ssh"
printf 'StrictModes no\n' >"$R/etc/ssh/sshd_config.d/01-strict.conf"
diagnose "$R"
check "StrictModes no: no mode finding" no_ids

R="$T/outside"; mkroot "$R"; chmod 0777 "$R/home/alice"
mkdir -p "$R/etc/ssh/keys"; cp "$R/home/alice/.ssh/authorized_keys" "$R/etc/ssh/keys/alice"
cp "$R/root/.ssh/authorized_keys" "$R/etc/ssh/keys/root"
chmod 0644 "$R/etc/ssh/keys/alice" "$R/etc/ssh/keys/root"
printf 'AuthorizedKeysFile /etc/ssh/keys/%%u\n' >"$R/etc/ssh/sshd_config.d/05-keys.conf"
diagnose "$R"
check "keys outside home: a 0777 home is not checked" no_ids
chmod 0600 "$R/etc/ssh/keys/alice"
diagnose "$R"
check "root-managed key file 0600 outside home: sshdir-perms" has_id sshdir-perms
check "root-managed key file: made readable, root keeps it" \
    sh -c "printf '%s' \"\$1\" | grep -q '\"from\":\"0600\",\"to\":\"0644\"' && ! printf '%s' \"\$1\" | grep -q chown" _ "$OUT"

R="$T/v6ok"; mkroot "$R"; printf 'AddressFamily inet6\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
check "AddressFamily inet6 with IPv6 on: no finding" no_ids

R="$T/lastwins"; mkroot "$R"
rm -f "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
sed -i 's/^alice:!:/alice:$6$salt$0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab.\/:/' "$R/etc/shadow"
printf 'PasswordAuthentication yes\n' >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
printf 'PasswordAuthentication no\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
check "drop-in yes beats main-file no: alice can use her password" no_ids

R="$T/match"; mkroot "$R"
rm -f "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
sed -i 's/^alice:!:/alice:$6$salt$0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab.\/:/' "$R/etc/shadow"
printf 'PasswordAuthentication no\nMatch User alice\n\tPasswordAuthentication yes\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R" --user alice
check "Match User alice enables passwords: alice not locked out" no_ids
diagnose "$R" --user root
check "root (no password) is locked out" has_id auth-lockout
