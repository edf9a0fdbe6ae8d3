#!/bin/sh
# Issue 11: repairs that must never be made. Each case asserts what must
# hold after --apply (or in the plan), not merely that sshfix ran.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

plan_has() { out_has "\"new\":\"$1\""; }
out_lacks() { ! out_has "$1"; }
setpw() { sed -i "s|^$2:[^:]*:|$2:$HASH:|" "$1/etc/shadow"; }

# (b) logins by certificate (TrustedUserCAKeys): no key files, no
# PasswordAuthentication, yet sshd lets in every user whose certificate
# the CA signed. sshfix cannot see certificates: it must not "fix" the
# lockout by opening password or root login.
for who in alice root; do
	R="$T/ca-$who"; mkroot "$R"
	rm -f "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
	setpw "$R" "$who"
	cp "$KEYS/user_key.pub" "$R/etc/ssh/ca.pub"
	printf 'PasswordAuthentication no\nTrustedUserCAKeys /etc/ssh/ca.pub\n' \
	    >"$R/etc/ssh/sshd_config.d/50-ca.conf"
	cat "$R"/etc/ssh/sshd_config.d/*.conf >"$T/conf0"
	diagnose "$R"
	check "(b) CA, $who has a password: report says cannot tell" \
	    out_has 'cannot tell: the way in is TrustedUserCAKeys'
	check "(b) CA, $who has a password: no PasswordAuthentication yes" \
	    out_lacks 'PasswordAuthentication yes'
	run --root "$R" --apply --no-reload
	check "(b) CA, $who: apply never opens password or root login" sh -c "
	    ! grep -rqiE '^[[:space:]]*(PasswordAuthentication|PermitRootLogin) yes' \
	    '$R/etc/ssh/sshd_config' '$R/etc/ssh/sshd_config.d'"
done

# (d) root has a key but PermitRootLogin no: prohibit-password is the
# repair, never yes (that would open root to passwords too).
R="$T/rootkey"; mkroot "$R"
rm -f "$R/home/alice/.ssh/authorized_keys"
setpw "$R" root
printf 'PermitRootLogin no\nPasswordAuthentication no\n' \
    >"$R/etc/ssh/sshd_config.d/50-root.conf"
diagnose "$R" --user root
check "(d) root with a key: plan is PermitRootLogin prohibit-password" \
    plan_has 'PermitRootLogin prohibit-password'
check "(d) root with a key: plan never PermitRootLogin yes" \
    out_lacks 'PermitRootLogin yes'
run --root "$R" --apply --no-reload --user root
check "(d) root with a key: apply writes prohibit-password, not yes" sh -c "
    grep -qx 'PermitRootLogin prohibit-password' \
    '$R/etc/ssh/sshd_config.d/50-root.conf' &&
    ! grep -rqiE '^[[:space:]]*(PermitRootLogin|PasswordAuthentication) yes' \
    '$R/etc/ssh/sshd_config' '$R/etc/ssh/sshd_config.d'"

# (d) root can only use a password: root password login is never opened
# unasked (no --user, or --user root), only with --allow-root-password.
for u in "" "--user root"; do
	R="$T/rootpw"; rm -rf "$R"; mkroot "$R"
	rm -f "$R/home/alice/.ssh/authorized_keys" "$R/root/.ssh/authorized_keys"
	setpw "$R" root
	printf 'PasswordAuthentication no\n' \
	    >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
	diagnose "$R" $u
	check "(d) root password only ($u): no PermitRootLogin yes unasked" \
	    out_lacks 'PermitRootLogin yes'
	check "(d) root password only ($u): advice names --allow-root-password" \
	    out_has '--allow-root-password'
	run --root "$R" --apply --no-reload $u
	check "(d) root password only ($u): apply opens nothing" sh -c "
	    ! grep -rqiE '^[[:space:]]*(PermitRootLogin|PasswordAuthentication) yes' \
	    '$R/etc/ssh/sshd_config' '$R/etc/ssh/sshd_config.d'"
	diagnose "$R" $u --allow-root-password
	check "(d) root password only ($u) --allow-root-password: PermitRootLogin yes planned" \
	    plan_has '\tPermitRootLogin yes'
done


# (a) a keyless account whose home is /tmp (1777): sshd never looks at a
# home without an authorized keys file in it, so nothing is planned for it
# and its sticky bit stays.
R="$T/tmphome"; mkroot "$R"
mkdir -p "$R/tmp"; chmod 1777 "$R/tmp"
echo 'tmpu:x:1002:1002::/tmp:/bin/bash' >>"$R/etc/passwd"
echo 'tmpu:x:1002:' >>"$R/etc/group"
echo 'tmpu:!:19000:0:99999:7:::' >>"$R/etc/shadow"
diagnose "$R"
check "(a) keyless /tmp home: no finding names /tmp" \
    out_lacks '"path":"/tmp"'
run --root "$R" --apply --no-reload
check "(a) keyless /tmp home: still 1777 after --apply" \
    [ "$(stat -c %a "$R/tmp")" = 1777 ]
# (a) with a key below the sticky home, sshd does refuse it: reported,
# with advice, and the sticky directory is still not changed.
mkdir -p "$R/tmp/.ssh"; cp "$KEYS/user_key.pub" "$R/tmp/.ssh/authorized_keys"
chown -R 1002:1002 "$R/tmp/.ssh"; chmod 0700 "$R/tmp/.ssh"
diagnose "$R" --user tmpu
check "(a) /tmp home with keys: home-perms reported" has_id home-perms
check "(a) /tmp home with keys: advice names the sticky directory" \
    out_has 'sticky directory'
check "(a) /tmp home with keys: no chmod of /tmp planned" \
    out_lacks '"type":"chmod","path":"/tmp"'
run --root "$R" --apply --no-reload --user tmpu
check "(a) /tmp home with keys: still 1777 after --apply" \
    [ "$(stat -c %a "$R/tmp")" = 1777 ]

# (c) --user bob on the home bob shares with alice: alice's home, ~/.ssh
# and keys stay hers (her login depends on them); advice instead.
R="$T/shared"; mkroot "$R"
sed -i 's|^bob:x:1001:1001:Bob:/home/bob|bob:x:1001:1001:Bob:/home/alice|' \
    "$R/etc/passwd"
diagnose "$R" --user bob
check "(c) shared home: no chown planned" \
    out_lacks '"type":"chown"'
check "(c) shared home: advice names alice" out_has 'used by the account alice'
run --root "$R" --apply --no-reload --user bob
check "(c) shared home: alice's home, .ssh and keys still alice's" sh -c "
    [ \"\$(stat -c %u '$R/home/alice' '$R/home/alice/.ssh' \
    '$R/home/alice/.ssh/authorized_keys' | sort -u)\" = 1000 ]"
run --root "$R" --json --user alice
check "(c) shared home: nothing stands in alice's way after --apply" no_ids
