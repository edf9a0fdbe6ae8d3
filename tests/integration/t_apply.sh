# --apply and --rollback on fake roots, for every fault id.
. "$SSHFIX_TOP/tests/integration/lib.sh"

R="$T/home"; mkroot "$R"; chmod 0777 "$R/root"
chgrp users "$R/home/alice"; chmod 0775 "$R/home/alice"
cycle "home-perms" "$R"

R="$T/sshdir"; mkroot "$R"; chmod 0777 "$R/home/alice/.ssh"
chmod 0666 "$R/home/alice/.ssh/authorized_keys"
cycle "sshdir-perms" "$R"

R="$T/hkperm"; mkroot "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*
cycle "hostkey-perms" "$R"

R="$T/hkgone"; mkroot "$R"; rm -f "$R"/etc/ssh/ssh_host_*
cycle "hostkey-missing (ssh-keygen -A)" "$R"
R="$T/hkgone2"; mkroot "$R"; rm -f "$R"/etc/ssh/ssh_host_*
run --root "$R" --apply
check "hostkey-missing: new keys 0600 root, .pub 0644" sh -c "
    [ \"\$(stat -c %a:%U '$R/etc/ssh/ssh_host_ed25519_key')\" = 600:root ] &&
    [ \"\$(stat -c %a '$R/etc/ssh/ssh_host_ed25519_key.pub')\" = 644 ]"

R="$T/hkconf"; mkroot "$R"
printf 'HostKey /etc/ssh/custom_ed25519_key\n' >"$R/etc/ssh/sshd_config.d/10-k.conf"
printf 'garbage\n' >"$R/etc/ssh/custom_ed25519_key"; chmod 600 "$R/etc/ssh/custom_ed25519_key"
cycle "hostkey-missing (corrupt configured key)" "$R"

R="$T/af"; mkroot "$R"
printf 'AddressFamily inet6\r\nListenAddress [::1]:22\r\n' >"$R/etc/ssh/sshd_config.d/20-v6.conf"
printf 'net.ipv6.conf.all.disable_ipv6 = 1\n' >"$R/etc/sysctl.d/90-v6.conf"
cycle "address-family" "$R"
run --root "$R" --apply
check "address-family: edit keeps CRLF and leaves a marker line" sh -c "
    printf '# sshfix %s: was \"AddressFamily inet6\"\r\nAddressFamily inet\r\n' \
    \"\$(date +%Y-%m-%d)\" >'$T/want'
    printf '# sshfix %s: was \"ListenAddress [::1]:22\"\r\n#ListenAddress [::1]:22\r\n' \
    \"\$(date +%Y-%m-%d)\" >>'$T/want'
    cmp -s '$T/want' '$R/etc/ssh/sshd_config.d/20-v6.conf'"

R="$T/pw"; mkroot "$R"; give_password "$R" alice
rm "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
printf 'PasswordAuthentication no\n' >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
cycle "auth-lockout (temporary password route)" "$R"

R="$T/key"; mkroot "$R"
rm -r "$R/home/alice/.ssh" "$R/root/.ssh/authorized_keys"
printf 'PasswordAuthentication no\n' >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
cycle "auth-lockout (--authorized-key)" "$R" --user alice \
    --authorized-key "$KEYS/user_key.pub"
run --root "$R" --apply --user alice --authorized-key "$KEYS/user_key.pub"
check "--authorized-key: ~/.ssh 0700 and the file 0600, owned by alice" sh -c "
    [ \"\$(stat -c %a:%u '$R/home/alice/.ssh')\" = 700:1000 ] &&
    [ \"\$(stat -c %a:%u '$R/home/alice/.ssh/authorized_keys')\" = 600:1000 ] &&
    cmp -s '$KEYS/user_key.pub' '$R/home/alice/.ssh/authorized_keys'"

# Nothing to do: exit 0, no snapshot; manual-only faults: exit 1.
R="$T/clean"; mkroot "$R"
run --root "$R" --apply
check "healthy root: apply exits 0" [ "$RC" -eq 0 ]
check "healthy root: no snapshot made" [ "$(snapshots "$R")" -eq 0 ]
R="$T/manual"; mkroot "$R"; rm "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
run --root "$R" --apply
check "only a manual step left: exit 1, nothing changed" sh -c \
    "[ $RC -eq 1 ] && [ $(snapshots "$R") -eq 0 ]"

# A rollback refuses to undo over a later change, unless --force.
R="$T/later"; mkroot "$R"
printf 'AddressFamily inet6\n' >"$R/etc/ssh/sshd_config.d/20-v6.conf"
printf 'GRUB_CMDLINE_LINUX="ipv6.disable=1"\n' >"$R/etc/default/grub"
run --root "$R" --apply
printf 'Banner none\n' >>"$R/etc/ssh/sshd_config.d/20-v6.conf"
tree "$R" >"$T/l0"
run --root "$R" --rollback
check "rollback after a later edit: exit 3" [ "$RC" -eq 3 ]
check "rollback after a later edit: names the path, on stderr" sh -c \
    "printf '%s' \"\$0\" | grep -qF 'changed since the apply: /etc/ssh/sshd_config.d/20-v6.conf'" "$ERR"
tree "$R" >"$T/l1"
check "refused rollback changes nothing" cmp -s "$T/l0" "$T/l1"
run --root "$R" --rollback --force
check "rollback --force: exit 0" [ "$RC" -eq 0 ]
u1=$(printf '%s' "$OUT" | sed -n 's/^  sshfix --rollback \([^ ]*\).*/\1/p')
check "rollback --force: the original line is back" \
    grep -qx 'AddressFamily inet6' "$R/etc/ssh/sshd_config.d/20-v6.conf"
run --root "$R" --rollback "$u1"
check "a rollback can itself be rolled back (by its id)" sh -c "[ $RC -eq 0 ] &&
    grep -qx 'AddressFamily inet' '$R/etc/ssh/sshd_config.d/20-v6.conf'"
run --root "$R" --list
check "--list shows kind and state: the apply in force again, its rollback undone" \
    sh -c "printf '%s' \"\$1\" | grep -q ' apply  *applied ' &&
    printf '%s' \"\$1\" | grep -q ' rollback  *rolled-back '" _ "$OUT"

# A user's symlink to etc/shadow is followed as sshd follows it: as
# alice, who cannot read shadow, so no key comes from it (and sshd never
# gets to judge ~/.ssh); nothing is read or written through it.
R="$T/symlink"; mkroot "$R"; chmod 0777 "$R/home/alice/.ssh"
rm "$R/home/alice/.ssh/authorized_keys"
ln -s ../../../etc/shadow "$R/home/alice/.ssh/authorized_keys"
chown -h 1000:1000 "$R/home/alice/.ssh/authorized_keys"
S0=$(stat -c '%a %U %Y' "$R/etc/shadow"; sha256sum <"$R/etc/shadow")
run --root "$R" --apply --user alice
check "symlink to etc/shadow: alice cannot read it, no key: auth-lockout" \
    sh -c "[ $RC -eq 1 ] && printf '%s' \"\$0\" | grep -q 'a link sshd follows to a file the user cannot read'" "$OUT"
check "symlink to etc/shadow: etc/shadow untouched" \
    [ "$S0" = "$(stat -c '%a %U %Y' "$R/etc/shadow"; sha256sum <"$R/etc/shadow")" ]

# A hard link to etc/shadow in a user's directory is refused.
R="$T/hardlink"; mkroot "$R"; rm "$R/home/alice/.ssh/authorized_keys"
chmod 0666 "$R/etc/shadow"
ln "$R/etc/shadow" "$R/home/alice/.ssh/authorized_keys"
tree "$R" >"$T/h0"
run --root "$R" --apply --user alice
# Refused while snapshotting, before any change: "cannot run" (2).
check "hard link to etc/shadow: apply refused, exit 2" [ "$RC" -eq 2 ]
check "hard link to etc/shadow: says why, on stderr" sh -c \
    "printf '%s' \"\$0\" | grep -q 'hard-linked'" "$ERR"
tree "$R" >"$T/h1"
check "hard link to etc/shadow: tree exactly as before" cmp -s "$T/h0" "$T/h1"

# Failure injection: sshd -t rejects the edited config.
R="$T/reject"; mkroot "$R"; chmod 0777 "$R/root"
# config-invalid repairs the first 16 errors sshd finds one at a time;
# the 17th is left for the validation of the edits to reject (line 18,
# 35 once 17 marker lines are above it).
{ echo 'AddressFamily inet6'; i=0
  while [ $i -lt 16 ]; do echo 'UseDNS perhaps'; i=$((i + 1)); done
  echo 'NoSuchOption yes'; } >"$R/etc/ssh/sshd_config.d/20-v6.conf"
printf 'net.ipv6.conf.all.disable_ipv6=1\n' >"$R/etc/sysctl.conf"
tree "$R" >"$T/r0"
run --root "$R" --apply --json
check "sshd -t rejects the edit: exit 3" [ "$RC" -eq 3 ]
check "sshd -t rejects the edit: sshd's reason, in the target's file" \
    out_has '/etc/ssh/sshd_config.d/20-v6.conf: line 35: Bad configuration option: NoSuchOption'
tree "$R" >"$T/r1"
check "sshd -t rejects the edit: tree exactly as before" cmp -s "$T/r0" "$T/r1"

# The next cases need a private mount namespace (unshare -m).
if ! unshare -m true 2>/dev/null; then
	for c in "a step fails half way" "read-only root"; do
		skip_line "$c" "unshare -m not permitted here"
	done
else
# Failure injection: a step fails half way (a read-only host key).
R="$T/halfway"; mkroot "$R"; chmod 0777 "$R"/etc/ssh/ssh_host_*_key "$R/root"
tree "$R" >"$T/f0"
unshare -m sh -c '
	k="$1/etc/ssh/ssh_host_ed25519_key"
	mount --bind "$k" "$k" && mount -o remount,bind,ro "$k" &&
	    "$SSHFIX" --root "$1" --apply >"$2/out" 2>"$2/err"
	echo $? >"$2/rc"' _ "$R" "$T"
RC=$(cat "$T/rc"); OUT=$(cat "$T/out")
check "a step fails half way: exit 3" [ "$RC" -eq 3 ]
check "a step fails half way: says which" out_has 'ssh_host_ed25519_key'
tree "$R" >"$T/f1"
check "a step fails half way: tree exactly as before" cmp -s "$T/f0" "$T/f1"
if ! cmp -s "$T/f0" "$T/f1"; then diff "$T/f0" "$T/f1" | sed 's/^/# /'; fi

# A read-only root: stop before any change, say how to remount.
R="$T/ro"; mkroot "$R"; chmod 0777 "$R/root"
unshare -m sh -c '
	mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
	    "$SSHFIX" --root "$1" --apply >"$2/out" 2>"$2/err"
	echo $? >"$2/rc"' _ "$R" "$T"
RC=$(cat "$T/rc"); OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
check "read-only root: exit 2" [ "$RC" -eq 2 ]
check "read-only root: on stderr, the remount of the root's own mount" \
    sh -c "printf '%s' \"\$0\" | tr '\n' ' ' | grep -qF 'mount -o remount,rw $R'" "$ERR"
check "read-only root: /root untouched" [ "$(stat -c %a "$R/root")" = 777 ]
fi

# One sshfix at a time per root.
R="$T/lock"; mkroot "$R"; chmod 0777 "$R/root"; mkdir -p "$R/var/lib/sshfix"
flock "$R/var/lib/sshfix/lock" sleep 5 &
sleep 0.3
run --root "$R" --apply
check "another sshfix holds the lock: exit 2" [ "$RC" -eq 2 ]
check "another sshfix holds the lock: says so, on stderr" sh -c \
    "printf '%s' \"\$0\" | grep -q 'another sshfix is running'" "$ERR"
check "another sshfix holds the lock: /root untouched" [ "$(stat -c %a "$R/root")" = 777 ]
kill $! 2>/dev/null; wait 2>/dev/null

# --snapshot-dir elsewhere, and --rollback ID.
R="$T/sdir"; mkroot "$R"; chmod 0777 "$R/root"
run --root "$R" --apply --json --snapshot-dir "$T/snaps"
ID=$(printf '%s' "$OUT" | grep -o '"snapshot":"[^"]*"' | cut -d'"' -f4)
check "--snapshot-dir: archive there" [ -f "$T/snaps/$ID.tar" ]
run --root "$R" --rollback "$ID" --snapshot-dir "$T/snaps"
check "--rollback ID: exit 0, /root 0777 again" sh -c \
    "[ $RC -eq 0 ] && [ \"\$(stat -c %a '$R/root')\" = 777 ]"
run --root "$R" --rollback nosuchid --snapshot-dir "$T/snaps"
check "--rollback of an unknown id: exit 2" [ "$RC" -eq 2 ]
