# account-state and root-login (issue 11) on fake roots: each refusal is
# reported with sshd's line and exact advice, and what sshd accepts stays
# clean. The real sshd's verdicts are in tests/e2e/t_account.sh.
. "$SSHFIX_TOP/tests/integration/lib.sh"

not() { ! "$@"; }
lacks() { ! out_has "$1"; }
count_of() { printf '%s' "$OUT" | grep -oF -- "$1" | wc -l; }

# shells DIR: the executable shells sshd would find, and /etc/shells.
shells() {
	mkdir -p "$1/bin"
	printf '#!/bin/sh\n' >"$1/bin/bash"
	cp "$1/bin/bash" "$1/bin/sh"
	chmod 0755 "$1/bin/bash" "$1/bin/sh"
	printf '/bin/sh\n/bin/bash\n' >"$1/etc/shells"
}
set_shell() { sed -i "s|^\\($2:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*\\):.*\$|\\1:$3|" "$1/etc/passwd"; }
debian_pam() {
	mkdir -p "$1/etc/pam.d"
	printf 'account required pam_nologin.so\n@include common-account\n' \
	    >"$1/etc/pam.d/sshd"
	printf 'account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so\naccount requisite pam_deny.so\naccount required pam_permit.so\n' \
	    >"$1/etc/pam.d/common-account"
}

R="$T/shell"; mkroot "$R"; shells "$R"
set_shell "$R" alice /bin/zsh
diagnose "$R" --user alice
check "missing shell: account-state" has_id account-state
check "missing shell: sshd's line" \
    out_has "User alice not allowed because shell /bin/zsh does not exist"
check "missing shell: advice names a shell of /etc/shells" \
    out_has "usermod --root $R -s /bin/bash alice"
check "missing shell: exit 1" [ "$RC" -eq 1 ]
check "missing shell: the dry run changes nothing" cmp -s "$T/before" "$T/after"
mkdir -p "$R/usr/bin"; cp -p "$R/bin/bash" "$R/usr/bin/zsh"
echo /usr/bin/zsh >>"$R/etc/shells"
diagnose "$R" --user alice
check "missing shell: the same name elsewhere is advised first" \
    out_has "usermod --root $R -s /usr/bin/zsh alice"
run --root "$R" --apply --user alice
check "missing shell: --apply changes nothing (advice only), exit 1" \
    [ "$RC" -eq 1 ]
check "missing shell: passwd untouched" grep -q '^alice:.*:/bin/zsh$' "$R/etc/passwd"

R="$T/noexec"; mkroot "$R"; shells "$R"
chmod 0644 "$R/bin/bash"
diagnose "$R" --user alice
check "shell not executable: sshd's line" \
    out_has "User alice not allowed because shell /bin/bash is not executable"
mkdir "$R/bin/dirsh"; set_shell "$R" alice /bin/dirsh
diagnose "$R" --user alice
check "a directory as shell: not executable" \
    out_has "User alice not allowed because shell /bin/dirsh is not executable"

R="$T/empty"; mkroot "$R"; shells "$R"
set_shell "$R" alice ""
diagnose "$R" --user alice
check "empty shell is /bin/sh, which exists: clean" no_ids
rm "$R/bin/sh"; cp -p "$R/bin/bash" "$R/bin/ksh"
diagnose "$R" --user alice
check "empty shell, no /bin/sh: does not exist" \
    out_has "User alice not allowed because shell /bin/sh does not exist"

# /bin -> usr/bin, root's link: followed as sshd's stat(2) does.
R="$T/merged"; mkroot "$R"; mkdir -p "$R/usr/bin"
printf '#!/bin/sh\n' >"$R/usr/bin/bash"; chmod 0755 "$R/usr/bin/bash"
cp -p "$R/usr/bin/bash" "$R/usr/bin/sh"
ln -s usr/bin "$R/bin"
diagnose "$R" --user alice
check "merged /usr (root's symlink /bin): clean" no_ids
# A leaf link of root's (/bin/sh -> dash style) is followed too.
ln -s bash "$R/usr/bin/rbash"; set_shell "$R" alice /bin/rbash
diagnose "$R" --user alice
check "shell a root-owned symlink to an executable: clean" no_ids
ln -s nothing "$R/usr/bin/dangling"; set_shell "$R" alice /bin/dangling
diagnose "$R" --user alice
check "shell a dangling root-owned symlink: does not exist" \
    out_has "User alice not allowed because shell /bin/dangling does not exist"
# A link alice owns is not followed: cannot tell, no finding.
ln -s /usr/bin/bash "$R/home/alice/sh"; chown -h 1000:1000 "$R/home/alice/sh"
set_shell "$R" alice /home/alice/sh
diagnose "$R" --user alice
check "a user's symlink as shell: no finding" no_ids
check "a user's symlink as shell: cannot tell" out_has "cannot tell whether alice's login shell"

R="$T/nobin"; mkroot "$R"
diagnose "$R" --user alice
check "no /bin at all (/usr not mounted?): no finding" no_ids
check "no /bin at all, --user: a note" out_has "has no /bin/sh either"
diagnose "$R"
check "no /bin at all, no --user: no note" lacks "/bin/sh either"

R="$T/chroot"; mkroot "$R"; shells "$R"; set_shell "$R" alice /bin/zsh
printf 'Match User alice\n\tChrootDirectory /srv/jail\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R" --user alice
check "ChrootDirectory in effect: shell not judged" not has_id account-state

R="$T/service"; mkroot "$R"; shells "$R"
echo 'svc:x:998:998::/var/lib/svc:/usr/sbin/nologin' >>"$R/etc/passwd"
echo 'svc:x:998:' >>"$R/etc/group"; echo 'svc:*:19000:0:99999:7:::' >>"$R/etc/shadow"
diagnose "$R" --user svc
check "nologin shell (not in the target either): no account-state" \
    not has_id account-state
diagnose "$R"
check "nologin service account, no --user: clean" no_ids

# Without --user: only when no login account passes.
R="$T/all"; mkroot "$R"; shells "$R"; rm "$R/bin/bash"
diagnose "$R"
check "no --user, bash gone for everyone: account-state" has_id account-state
check "no --user, bash gone: root's refusal listed" \
    out_has "User root not allowed because shell /bin/bash does not exist"
cp -p "$R/bin/sh" "$R/bin/bash"; set_shell "$R" alice /bin/zsh
diagnose "$R"
check "no --user, one account passes: clean" no_ids

# Locks: only with UsePAM no (platform_locked_account's "!" prefix).
R="$T/lock"; mkroot "$R"; shells "$R"
diagnose "$R" --user alice
check "\"!\" with UsePAM yes: clean" no_ids
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
diagnose "$R" --user alice
check "\"!\" with UsePAM no: locked" \
    out_has "User alice not allowed because account is locked"
check "\"!\" alone: advice makes it key-only" out_has "usermod --root $R -p '*' alice"
sed -i 's/^alice:!:/alice:!$6$salt$abcdefgh:/' "$R/etc/shadow"
diagnose "$R" --user alice
check "\"!\" before a hash: advice unlocks" out_has "usermod --root $R -U alice"
sed -i 's/^alice:[^:]*:/alice:*:/' "$R/etc/shadow"
diagnose "$R" --user alice
check "\"*\" is not a lock on Linux: clean" no_ids

# Expiry: sshd with UsePAM no; pam_unix in the account stack with yes.
R="$T/expire"; mkroot "$R"; shells "$R"
sed -i 's/^alice:!:19000:0:99999:7:::/alice:!:19000:0:99999:7::1:/' "$R/etc/shadow"
diagnose "$R" --user alice
check "expired, UsePAM yes, no PAM stack: clean" no_ids
debian_pam "$R"
diagnose "$R" --user alice
check "expired, UsePAM yes, pam_unix: PAM's line" \
    out_has "Access denied for user alice by PAM account configuration"
check "expired: chage advice" out_has "chage --root $R -E -1 alice"
sed -i 's/pam_unix.so/pam_permit.so/' "$R/etc/pam.d/common-account"
diagnose "$R" --user alice
check "expired, no pam_unix in the account stack: clean" no_ids
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
sed -i 's/^alice:!:/alice:*:/' "$R/etc/shadow"
diagnose "$R" --user alice
check "expired, UsePAM no: locked" \
    out_has "User alice not allowed because account is locked"
sed -i 's/^alice:\(.*\):1:$/alice:\1:99999:/' "$R/etc/shadow"
diagnose "$R" --user alice
check "expiry in the future: clean" no_ids

# /etc/nologin: pam_nologin (UsePAM yes) or sshd (no); root exempt.
R="$T/nologin"; mkroot "$R"; shells "$R"; debian_pam "$R"
: >"$R/etc/nologin"
diagnose "$R" --user alice
check "nologin, pam_nologin: PAM's line" \
    out_has "Access denied for user alice by PAM account configuration"
check "nologin: rm advice" out_has "rm $R/etc/nologin"
diagnose "$R" --user root
check "nologin: root is exempt" no_ids
printf '@include common-account\n' >"$R/etc/pam.d/sshd"
diagnose "$R" --user alice
check "nologin, UsePAM yes, no pam_nologin: clean" no_ids
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
sed -i 's/^alice:!:/alice:*:/' "$R/etc/shadow"
diagnose "$R" --user alice
check "nologin, UsePAM no: sshd's line" \
    out_has "User alice not allowed because /etc/nologin exists"

# root-login.
R="$T/root"; mkroot "$R"; shells "$R"
printf 'PermitRootLogin no\n' >"$R/etc/ssh/sshd_config.d/50-root.conf"
diagnose "$R"
check "PermitRootLogin no, no --user: clean" no_ids
diagnose "$R" --user alice
check "PermitRootLogin no, --user alice: clean" no_ids
diagnose "$R" --user root --from 10.1.2.3
check "PermitRootLogin no, --user root: root-login" has_id root-login
check "root-login: sshd's line with the --from address" \
    out_has "ROOT LOGIN REFUSED FROM 10.1.2.3 port"
check "root-login: one prohibit-password edit for root-login and auth-lockout" \
    [ "$(count_of '"new":"PermitRootLogin prohibit-password"')" -eq 1 ]
check "root-login: never yes" lacks '"new":"PermitRootLogin yes"'
echo 'toor:x:0:0::/root:/bin/bash' >>"$R/etc/passwd"
echo 'toor:*:19000:0:99999:7:::' >>"$R/etc/shadow"
diagnose "$R" --user toor
check "a second uid 0 account: root-login" has_id root-login
run --root "$R" --apply --user root
check "root-login --apply: exit 0" [ "$RC" -eq 0 ]
check "root-login --apply: prohibit-password at the deciding line" \
    grep -qx 'PermitRootLogin prohibit-password' "$R/etc/ssh/sshd_config.d/50-root.conf"
run --root "$R" --rollback
check "root-login --rollback: no again" \
    grep -qx 'PermitRootLogin no' "$R/etc/ssh/sshd_config.d/50-root.conf"

R="$T/rootmatch"; mkroot "$R"; shells "$R"
printf 'Match Address 10.0.0.0/8\n\tPermitRootLogin no\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R" --user root --from 192.168.1.5
check "Match Address no, client outside it: clean" no_ids
diagnose "$R" --user root --from 192.168.1.5 --from 10.9.9.9
check "Match Address no, a second --from inside it: root-login" has_id root-login
check "Match Address: the refused address is named" \
    out_has "ROOT LOGIN REFUSED FROM 10.9.9.9 port"

R="$T/rootforced"; mkroot "$R"; shells "$R"
printf 'PermitRootLogin forced-commands-only\n' >"$R/etc/ssh/sshd_config.d/50-root.conf"
diagnose "$R" --user root
check "forced-commands-only, key without command=: root-login" has_id root-login
sed -i 's/^/command="uptime" /' "$R/root/.ssh/authorized_keys"
diagnose "$R" --user root
check "forced-commands-only, key with command=: clean (no auth-lockout either)" no_ids

# Root with only a password under prohibit-password: advice, nothing opened.
R="$T/rootpw"; mkroot "$R"; shells "$R"
rm "$R/root/.ssh/authorized_keys"
sed -i 's/^root:\*:/root:$6$salt$abcdefghijklmnop:/' "$R/etc/shadow"
diagnose "$R" --user root
check "root with only a password: root-login" has_id root-login
check "root with only a password: Failed password line" \
    out_has "Failed password for root from ADDR port N ssh2"
check "root with only a password: --allow-root-password advised" \
    out_has "rerun with --allow-root-password"
check "root with only a password: root login never opened unasked" \
    lacks '"new":"PermitRootLogin yes"'
