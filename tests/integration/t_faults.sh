# Each fault id on a fake root: detected, planned, and the root untouched.
. "$SSHFIX_TOP/tests/integration/lib.sh"

R="$T/healthy"; mkroot "$R"
diagnose "$R"
check "healthy root: exit 0" [ "$RC" -eq 0 ]
check "healthy root: no finding" no_ids
check "healthy root: unchanged" [ "$UNCHANGED" -eq 0 ]

R="$T/roothome"; mkroot "$R"; chmod 0777 "$R/root"
diagnose "$R"
check "/root 0777: exit 1" [ "$RC" -eq 1 ]
check "/root 0777: home-perms" has_id home-perms
check "/root 0777: subject /root" out_has '"subject":"/root"'
check "/root 0777: plan chmod 0777 -> 0755" \
    out_has '"type":"chmod","path":"/root","from":"0777","to":"0755"'
check "/root 0777: log line" \
    out_has 'bad ownership or modes for directory /root'
check "/root 0777: unchanged" [ "$UNCHANGED" -eq 0 ]

R="$T/shared"; mkroot "$R"; chgrp users "$R/home/alice"
chmod 0775 "$R/home/alice"
diagnose "$R"
check "home 0775 shared group: home-perms" has_id home-perms
check "home 0775 shared group: 0775 -> 0755" \
    out_has '"from":"0775","to":"0755"'

R="$T/otherowner"; mkroot "$R"; chown 1005 "$R/home/alice"
diagnose "$R"
check "home owned by a uid without account: home-perms" has_id home-perms
check "home owned by a uid without account: chown to alice" \
    out_has '"type":"chown","path":"/home/alice","from":"1005:1000","to":"1000:1000"'
chown 1001 "$R/home/alice"
diagnose "$R"
check "home owned by bob: home-perms" has_id home-perms
check "home owned by bob: advice, never taken from bob" sh -c '
    printf "%s" "$1" | grep -q "owned or used by the account bob" &&
    ! printf "%s" "$1" | grep -q "\"type\":\"chown\""' _ "$OUT"

R="$T/sshdir"; mkroot "$R"; chmod 0777 "$R/home/alice/.ssh"
diagnose "$R"
check "~/.ssh 0777: sshdir-perms" has_id sshdir-perms
check "~/.ssh 0777: plan 0700" \
    out_has '"path":"/home/alice/.ssh","from":"0777","to":"0700"'
check "~/.ssh 0777: unchanged" [ "$UNCHANGED" -eq 0 ]

R="$T/akfile"; mkroot "$R"; chmod 0666 "$R/home/alice/.ssh/authorized_keys"
diagnose "$R"
check "authorized_keys 0666: sshdir-perms" has_id sshdir-perms
check "authorized_keys 0666: plan 0600" \
    out_has '"from":"0666","to":"0600"'
check "authorized_keys 0666: log line" \
    out_has 'bad ownership or modes for file /home/alice/.ssh/authorized_keys'

R="$T/akroot"; mkroot "$R"; chown 0:0 "$R/home/alice/.ssh/authorized_keys"
diagnose "$R"
check "authorized_keys root 0600: unreadable by alice" has_id sshdir-perms
check "authorized_keys root 0600: log line" out_has 'Could not open user'

R="$T/hk777"; mkroot "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*_key
diagnose "$R"
check "host keys 0777: hostkey-perms" has_id hostkey-perms
check "host keys 0777: error severity" out_has '"severity":"error"'
check "host keys 0777: plan 0600" \
    out_has '"path":"/etc/ssh/ssh_host_ed25519_key","from":"0777","to":"0600"'
check "host keys 0777: no hostkey-missing" sh -c "! printf '%s' '$OUT' | grep -q hostkey-missing"
check "host keys 0777: unchanged" [ "$UNCHANGED" -eq 0 ]

R="$T/hkgone"; mkroot "$R"; rm -f "$R"/etc/ssh/ssh_host_*
diagnose "$R"
check "no host keys: hostkey-missing" has_id hostkey-missing
check "no host keys: ssh-keygen -A planned once" \
    [ "$(printf '%s' "$OUT" | grep -o '"type":"keygen-all"' | wc -l)" -eq 1 ]
check "no host keys: log line" out_has 'no hostkeys available'

R="$T/hkone"; mkroot "$R"; rm -f "$R"/etc/ssh/ssh_host_rsa_key*
diagnose "$R"
check "one default key missing, others fine: no finding" no_ids

R="$T/hkconf"; mkroot "$R"
printf 'HostKey /etc/ssh/custom_ed25519_key\nHostKey /etc/ssh/ssh_host_ed25519_key\n' \
    >"$R/etc/ssh/sshd_config.d/10-keys.conf"
diagnose "$R"
check "configured HostKey missing: hostkey-missing" has_id hostkey-missing
check "configured HostKey missing: keygen -t ed25519" \
    out_has '"type":"keygen","path":"/etc/ssh/custom_ed25519_key","keytype":"ed25519"'
check "configured HostKey missing: warning only" \
    out_has '"severity":"warning"'

R="$T/v6"; mkroot "$R"
printf 'AddressFamily inet6\n' >"$R/etc/ssh/sshd_config.d/20-v6.conf"
diagnose "$R"
check "inet6, IPv6 enabled on the root: no finding" no_ids
printf 'net.ipv6.conf.all.disable_ipv6 = 1\n' >"$R/etc/sysctl.d/99-no-v6.conf"
diagnose "$R"
check "inet6 + sysctl.d disable_ipv6: address-family" has_id address-family
check "inet6: edit the drop-in line" \
    out_has '"path":"/etc/ssh/sshd_config.d/20-v6.conf","line":1,"old":"AddressFamily inet6","new":"AddressFamily inet"'
check "inet6: evidence names the sysctl file" out_has '99-no-v6.conf'
check "inet6: unchanged" [ "$UNCHANGED" -eq 0 ]

R="$T/grub"; mkroot "$R"
printf 'AddressFamily inet6\n' >>"$R/etc/ssh/sshd_config"
printf 'GRUB_CMDLINE_LINUX="quiet ipv6.disable=1"\n' >"$R/etc/default/grub"
diagnose "$R"
check "inet6 + grub ipv6.disable=1: address-family" has_id address-family
# The same in a drop-in update-grub reads after /etc/default/grub.
printf 'GRUB_CMDLINE_LINUX="quiet"\n' >"$R/etc/default/grub"
mkdir "$R/etc/default/grub.d"
printf 'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX ipv6.disable=1"\n' \
    >"$R/etc/default/grub.d/50-cloudimg-settings.cfg"
diagnose "$R"
check "inet6 + ipv6.disable=1 in grub.d: address-family" has_id address-family
check "inet6 + grub.d: the evidence names the word" \
    out_has 'grub.d: ipv6.disable=1'
# A later assignment replaces the value (sh): IPv6 is on again.
printf 'GRUB_CMDLINE_LINUX="console=ttyS0"\n' \
    >"$R/etc/default/grub.d/60-console.cfg"
diagnose "$R"
lacks_id() { ! has_id "$1"; }
check "inet6 + ipv6.disable=1 replaced by a later drop-in: no address-family" \
    lacks_id address-family
# A command line sshfix cannot follow: with AddressFamily inet6, a
# warning that says so (never clean); without it, nothing.
rm -r "$R/etc/default/grub.d"
printf 'GRUB_CMDLINE_LINUX="$(cat /etc/kernel/cmdline)"\n' \
    >"$R/etc/default/grub"
diagnose "$R"
check "inet6 + a command line not followed: address-family warning" \
    out_has 'cannot tell whether the boot turns IPv6 off (the kernel command line: /etc/default/grub:1: a command substitution)'
check "inet6 + a command line not followed: not clean (exit $RC)" \
    [ "$RC" -ne 0 ]
sed -i '/^AddressFamily inet6$/d' "$R/etc/ssh/sshd_config"
diagnose "$R"
check "no inet6 + a command line not followed: no address-family" \
    lacks_id address-family

R="$T/listen"; mkroot "$R"
printf 'AddressFamily inet\nListenAddress ::1\nListenAddress 0.0.0.0\n' \
    >"$R/etc/ssh/sshd_config.d/30-listen.conf"
diagnose "$R"
check "ListenAddress ::1 with inet: address-family" has_id address-family
check "ListenAddress ::1: commented out" \
    out_has '"old":"ListenAddress ::1","new":"#ListenAddress ::1"'

R="$T/lock"; mkroot "$R"
rm -f "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
printf 'PasswordAuthentication no\n' >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
printf 'PasswordAuthentication yes\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
check "no keys, no passwords: auth-lockout" has_id auth-lockout
check "no keys, no passwords: manual step only" out_has '"type":"manual"'
sed -i 's/^alice:!:/alice:$6$salt$0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab.\/:/' "$R/etc/shadow"
diagnose "$R"
check "alice has a password: a Match User alice block at the end of the main file" \
    out_has '"path":"/etc/ssh/sshd_config","line":9,"old":null,"new":"Match User alice","temporary":true'
check "alice has a password: the block opens password login for her" \
    out_has '"path":"/etc/ssh/sshd_config","line":9,"old":null,"new":"\tPasswordAuthentication yes","temporary":true'
check "alice has a password: the drop-in's global line stays" \
    sh -c "! printf '%s' \"\$1\" | grep -q '\"old\":\"PasswordAuthentication no\"'" _ "$OUT"
diagnose "$R" --authorized-key "$(cat "$KEYS/user_key.pub")" --user alice
check "--authorized-key: add-key for alice" \
    out_has '"type":"add-key","path":"/home/alice/.ssh/authorized_keys","user":"alice"'
check "--authorized-key: unchanged" [ "$UNCHANGED" -eq 0 ]
diagnose "$R" --authorized-key "$KEYS/user_key.pub" --user root
check "--authorized-key FILE for root: add-key" \
    out_has '"type":"add-key","path":"/root/.ssh/authorized_keys","user":"root"'

R="$T/text"; mkroot "$R"
printf 'AddressFamily inet6\n' >"$R/etc/ssh/sshd_config.d/20-v6.conf"
printf 'net.ipv6.conf.all.disable_ipv6=1\n' >"$R/etc/sysctl.conf"
NO_COLOR=1 run --root "$R"
check "text: exit 1" [ "$RC" -eq 1 ]
check "text: unified diff with marker line" sh -c '
	printf "%s" "$1" | grep -q "^       -AddressFamily inet6$" &&
	printf "%s" "$1" | grep -q "^       +# sshfix [0-9-]*: was \"AddressFamily inet6\"$" &&
	printf "%s" "$1" | grep -q "^       +AddressFamily inet$"' _ "$OUT"
check "text: fits 80 columns" \
    [ "$(printf '%s\n' "$OUT" | awk '{ if (length($0) > 80) n++ } END { print n+0 }')" -eq 0 ]
check "text: no colour escapes when not a terminal" \
    sh -c "! printf '%s' \"\$1\" | grep -q \"\$(printf '\\033')\"" _ "$OUT"

R="$T/maybe"; mkroot "$R"
rm -f "$R/home/alice/.ssh/authorized_keys"
printf 'PasswordAuthentication no\nMatch Address 10.0.0.0/8\n\tPasswordAuthentication yes\n' \
    >"$R/etc/ssh/sshd_config.d/60-lan.conf"
sed -i 's/^alice:!:/alice:$6$salt$0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab.\/:/' "$R/etc/shadow"
diagnose "$R" --user alice
check "Match Address: reported as a note" \
    out_has '"notes":["\"Match Address 10.0.0.0/8\" (/etc/ssh/sshd_config.d/60-lan.conf:2) depends on the connection'
check "Match Address: lockout names the maybe block" \
    out_has 'PasswordAuthentication yes at /etc/ssh/sshd_config.d/60-lan.conf:3 for some connections'

R="$T/hktext"; mkroot "$R"; rm -f "$R"/etc/ssh/ssh_host_*
NO_COLOR=1 run --root "$R"
check "text: keys covered by one ssh-keygen -A point to it" \
    out_has 'plan: done by the plan of 1. above'
check "text: no finding says 'nothing sshfix can do' when it is done" \
    sh -c "! printf '%s' \"\$1\" | grep -q 'nothing sshfix can do'" _ "$OUT"

R="$T/nosshd"; mkroot "$R"; rm "$R/etc/ssh/sshd_config"
NO_COLOR=1 run --root "$R"
check "no sshd_config and no sshd: openssh-server is not installed" \
    out_has 'openssh-server is not installed on'
