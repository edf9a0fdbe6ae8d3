# Every fix proved against the real sshd and ssh client (see lib.sh).
. "$SSHFIX_TOP/tests/e2e/lib.sh"

SCENARIOS="healthy root-home-0777 shared-group-home sshdir-0777 root-0775-gid0
hostkeys-0777 hostkeys-deleted no-keys-authorized-key no-keys-password
inet6-without-ipv6 debian-private-group rhel-ssh-keys live-reload live-start"

why=$(e2e_missing)
if [ -n "$why" ]; then
	for s in $SCENARIOS; do skip "e2e $s" "$why"; done
	exit 0
fi

R="$T/healthy"; sandbox "$R"
attempt "$R" alice key
check "healthy root: alice logs in with her key" logged_in
attempt "$R" root key
check "healthy root: root logs in with a key" logged_in

R="$T/roothome"; sandbox "$R"; chmod 0777 "$R/root"
scenario "root home 0777" "$R" root key \
    "Authentication refused: bad ownership or modes for directory /root" \
    home-perms

R="$T/shared"; sandbox "$R"; chgrp users "$R/home/alice"; chmod 0775 "$R/home/alice"
scenario "home 0775, shared group" "$R" alice key \
    "Authentication refused: bad ownership or modes for directory /home/alice" \
    home-perms

R="$T/sshdir"; sandbox "$R"; chmod 0777 "$R/home/alice/.ssh"
scenario "~/.ssh 0777" "$R" alice key \
    "Authentication refused: bad ownership or modes for directory /home/alice/.ssh" \
    sshdir-perms

R="$T/hk777"; sandbox "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*_key
scenario "host keys 0777" "$R" alice key \
    "sshd: no hostkeys available -- exiting." hostkey-perms

R="$T/hkgone"; sandbox "$R"; rm -f "$R"/etc/ssh/ssh_host_*
scenario "all host keys deleted" "$R" alice key \
    "sshd: no hostkeys available -- exiting." hostkey-missing

R="$T/nokeys"; sandbox "$R"
rm "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
printf 'PasswordAuthentication no\n' >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
scenario "no keys, PasswordAuthentication no (--authorized-key)" "$R" \
    alice key "Connection closed by authenticating user alice" \
    auth-lockout --user alice --authorized-key "$CKEY.pub"

R="$T/nokeyspw"; sandbox "$R"; set_password "$R" alice
rm "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
printf 'PasswordAuthentication no\n' >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
scenario "no keys, PasswordAuthentication no (temporary password)" "$R" \
    alice password "Connection closed by authenticating user alice" \
    auth-lockout --user alice

R="$T/inet6"; sandbox "$R"
printf 'AddressFamily inet6\n' >"$R/etc/ssh/sshd_config.d/20-v6.conf"
printf 'net.ipv6.conf.all.disable_ipv6 = 1\n' >"$R/etc/sysctl.d/90-no-ipv6.conf"
scenario "AddressFamily inet6, IPv6 disabled" "$R" alice key \
    "Server listening on :: port $PORT." address-family noipv6
check "AddressFamily inet6: sshd listened on [::] only" sh -c \
    "! printf '%s' \"\$1\" | grep -q 'listening on 0.0.0.0'" _ "$LOG"

# Negative controls: states sshd accepts stay as they are.
R="$T/debpriv"; sandbox "$R"; chmod 0775 "$R/home/alice"
attempt "$R" alice key
check "debian home 0775, private group: sshd accepts it" logged_in
tree "$R" >"$T/n0"
run --root "$R" --apply
check "debian home 0775, private group: apply changes nothing" sh -c \
    "[ $RC -eq 0 ] && [ \"\$(stat -c %a '$R/home/alice')\" = 775 ]"
attempt "$R" alice key
check "debian home 0775, private group: login still works" logged_in

R="$T/rhel"; sandbox "$R" rhel
chgrp 998 "$R"/etc/ssh/ssh_host_*_key; chmod 0640 "$R"/etc/ssh/ssh_host_*_key
run --root "$R" --apply --json
check "rhel 0640 root:ssh_keys host keys: sshfix plans nothing" sh -c \
    "[ $RC -eq 0 ] && [ \"\$(stat -c %a '$R/etc/ssh/ssh_host_ed25519_key')\" = 640 ]"
check "rhel 0640 root:ssh_keys host keys: no finding" no_ids

# Debian's group-write rule as the real sshd applies it to /root.
R="$T/root775"; sandbox "$R"; chmod 0775 "$R/root"
attempt "$R" root key
check "/root 0775, root alone in gid 0: sshd accepts it" logged_in
run --root "$R" --json
check "/root 0775, root alone in gid 0: no finding" no_ids
sed -i 's/^daemon:x:1:1:/daemon:x:1:0:/' "$R/etc/passwd"
attempt "$R" root key
check "/root 0775, gid 0 shared with daemon: sshd refuses it" refused
run --root "$R" --json
check "/root 0775, gid 0 shared with daemon: home-perms" has_id home-perms

# The running system (no --root): sshfix reloads sshd itself.
R="$T/live-reload"; sandbox "$R"; mkdir -p "$R/var/lib"
printf 'AddressFamily inet6\n' >"$R/etc/ssh/sshd_config.d/20-v6.conf"
live "$R"
check "live: --apply finds IPv6 off in the running kernel and fixes it" \
    [ "$APPLY_RC" -eq 0 ]
check "live: sshd got SIGHUP from its PidFile" sh -c \
    "printf '%s' \"\$1\" | grep -q 'sent SIGHUP to sshd'" _ "$APPLY_OUT"
check "live: sshd restarted with the fixed config" log_has \
    "Received SIGHUP; restarting."
check "live: login works, no restart by hand" logged_in

R="$T/live-start"; sandbox "$R"; mkdir -p "$R/var/lib"
chmod 0777 "$R"/etc/ssh/ssh_host_*_key
live "$R" down
check "live, sshd down (host keys 0777): --apply exits 0" [ "$APPLY_RC" -eq 0 ]
check "live, sshd down: sshfix started it" sh -c \
    "printf '%s' \"\$1\" | grep -q 'started /usr/sbin/sshd'" _ "$APPLY_OUT"
check "live, sshd down: login works" logged_in
