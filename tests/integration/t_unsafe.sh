#!/bin/sh
# Issue 11: repairs that must never be made. Each case asserts what must
# hold after --apply (or in the plan), not merely that sshfix ran.
. "${SSHFIX_TOP:?}/tests/integration/lib.sh"

plan_has() { out_has "\"new\":\"$1\""; }
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
	    sh -c "! printf '%s' '$OUT' | grep -q 'PasswordAuthentication yes'"
	run --root "$R" --apply --no-reload
	check "(b) CA, $who: apply never opens password or root login" sh -c "
	    ! grep -rqiE '^(PasswordAuthentication|PermitRootLogin) yes' \
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
    sh -c "! printf '%s' '$OUT' | grep -q 'PermitRootLogin yes'"
run --root "$R" --apply --no-reload --user root
check "(d) root with a key: apply writes prohibit-password, not yes" sh -c "
    grep -qx 'PermitRootLogin prohibit-password' \
    '$R/etc/ssh/sshd_config.d/50-root.conf' &&
    ! grep -rqiE '^(PermitRootLogin|PasswordAuthentication) yes' \
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
	    sh -c "! printf '%s' '$OUT' | grep -q 'PermitRootLogin yes'"
	check "(d) root password only ($u): advice names --allow-root-password" \
	    out_has '--allow-root-password'
	run --root "$R" --apply --no-reload $u
	check "(d) root password only ($u): apply opens nothing" sh -c "
	    ! grep -rqiE '^(PermitRootLogin|PasswordAuthentication) yes' \
	    '$R/etc/ssh/sshd_config' '$R/etc/ssh/sshd_config.d'"
	diagnose "$R" $u --allow-root-password
	check "(d) root password only ($u) --allow-root-password: PermitRootLogin yes planned" \
	    plan_has 'PermitRootLogin yes'
done

