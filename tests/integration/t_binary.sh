# sshd-binary and pam-module on a root that holds a copy of the host's
# sshd, its libraries (as ldd lists them), its loader and its PAM stack;
# and the real sshd, chrooted into that root, as the judge.
. "$SSHFIX_TOP/tests/integration/lib.sh"
. "$SSHFIX_TOP/tests/versions/openssh.sh"

lacks() { ! out_has "$1"; }
not() { ! "$@"; }

if [ ! -x /usr/sbin/sshd ] || ! command -v ldd >/dev/null; then
	for c in healthy libcrypto sshd pam dash judge; do
		skip_line "$c" "no /usr/sbin/sshd or ldd on this host"
	done
	exit 0
fi

# cproot DIR: mkroot plus sshd, every library and the loader at the
# host's paths (symlinks resolved), ld.so.conf, and the PAM stack with
# the modules it names; dpkg lists name libcrypto's and pam_unix's
# packages.
cproot() {
	R=$1
	mkroot "$R"
	copy_sshd "$R"
	mkdir -p "$R/etc/pam.d" "$R/lib/x86_64-linux-gnu/security" \
	    "$R/var/lib/dpkg/info"
	printf '@include common-auth\naccount required pam_nologin.so\n@include common-account\nsession include common-session\n-session optional pam_foo.so\n' \
	    >"$R/etc/pam.d/sshd"
	printf 'auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\nauth required pam_permit.so\n' \
	    >"$R/etc/pam.d/common-auth"
	printf 'account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so\naccount requisite pam_deny.so\naccount required pam_permit.so\n' \
	    >"$R/etc/pam.d/common-account"
	printf 'session [default=1] pam_permit.so\nsession requisite pam_deny.so\nsession required pam_permit.so\nsession required pam_unix.so\nsession optional pam_gone.so\n' \
	    >"$R/etc/pam.d/common-session"
	for m in pam_unix pam_deny pam_permit pam_nologin; do
		cp -L "/lib/x86_64-linux-gnu/security/$m.so" \
		    "$R/lib/x86_64-linux-gnu/security/"
	done
	printf '/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu/libcrypto.so.3\n' \
	    >"$R/var/lib/dpkg/info/libssl3:amd64.list"
	printf '/.\n/lib/x86_64-linux-gnu/security/pam_unix.so\n' \
	    >"$R/var/lib/dpkg/info/libpam-modules:amd64.list"
	printf '/.\n/usr/sbin/sshd\n' \
	    >"$R/var/lib/dpkg/info/openssh-server.list"
	# pam_gone is optional in the session stack: warn about it once.
	cp -L /lib/x86_64-linux-gnu/security/pam_permit.so \
	    "$R/lib/x86_64-linux-gnu/security/pam_gone.so"
}

if [ ! -f /lib/x86_64-linux-gnu/security/pam_unix.so ]; then
	for c in healthy libcrypto sshd pam dash judge; do
		skip_line "$c" "no Debian x86_64 PAM modules on this host"
	done
	exit 0
fi

R="$T/healthy"; cproot "$R"
diagnose "$R"
check "copied sshd, libraries and PAM: exit 0" [ "$RC" -eq 0 ]
check "copied sshd, libraries and PAM: no finding" no_ids
check "copied sshd, libraries and PAM: '-session' pam_foo missing is no finding" \
    lacks pam_foo
check "healthy: unchanged" [ "$UNCHANGED" -eq 0 ]

LIBCRYPTO=$(ldd /usr/sbin/sshd | awk '/libcrypto/ { print $3 }')
R="$T/nocrypto"; cproot "$R"; rm -f "$R$LIBCRYPTO"
diagnose "$R"
check "libcrypto removed: exit 1" [ "$RC" -eq 1 ]
check "libcrypto removed: sshd-binary" has_id sshd-binary
check "libcrypto removed: names the library" out_has '"subject":"libcrypto.so.3"'
check "libcrypto removed: ld.so's line" \
    out_has 'error while loading shared libraries: libcrypto.so.3: cannot open shared object file'
check "libcrypto removed: the package from dpkg" out_has '"package":"libssl3:amd64"'
check "libcrypto removed: the command" \
    out_has "chroot $R apt-get install --reinstall libssl3:amd64"
check "libcrypto removed: only sshd-binary" [ "$(ids | sort -u)" = sshd-binary ]
check "libcrypto removed: unchanged" [ "$UNCHANGED" -eq 0 ]

R="$T/nosshd"; cproot "$R"; rm "$R/usr/sbin/sshd"
diagnose "$R"
check "sshd removed: exit 1" [ "$RC" -eq 1 ]
check "sshd removed: sshd-binary /usr/sbin/sshd" \
    out_has '"id":"sshd-binary","severity":"error","subject":"/usr/sbin/sshd"'
check "sshd removed: package openssh-server" \
    out_has "apt-get install --reinstall openssh-server"
check "sshd removed: unchanged" [ "$UNCHANGED" -eq 0 ]
rm "$R/var/lib/dpkg/info/openssh-server.list"
diagnose "$R"
check "no sshd and openssh-server not installed: no sshd-binary" \
    lacks sshd-binary

R="$T/nopamunix"; cproot "$R"
rm "$R/lib/x86_64-linux-gnu/security/pam_unix.so"
diagnose "$R"
check "pam_unix removed: exit 1" [ "$RC" -eq 1 ]
check "pam_unix removed: pam-module" has_id pam-module
check "pam_unix removed: error (session required)" \
    out_has '"id":"pam-module","severity":"error","subject":"pam_unix.so"'
check "pam_unix removed: the required line" \
    out_has '/etc/pam.d/common-session line 4: session required'
check "pam_unix removed: libpam's line" \
    out_has 'PAM unable to dlopen(/lib/x86_64-linux-gnu/security/pam_unix.so)'
check "pam_unix removed: the command" \
    out_has "apt-get install --reinstall libpam-modules:amd64"
check "pam_unix removed: unchanged" [ "$UNCHANGED" -eq 0 ]
sed -i 's/^UsePAM yes/UsePAM no/' "$R/etc/ssh/sshd_config"
diagnose "$R"
check "pam_unix removed, UsePAM no: no finding" no_ids

# A '-' only silences libpam's log line: the control still applies.
R="$T/dashreq"; cproot "$R"
printf -- '-account required pam_dashgone.so\n' >>"$R/etc/pam.d/sshd"
diagnose "$R"
check "-account required, module missing: pam-module error" \
    out_has '"id":"pam-module","severity":"error","subject":"pam_dashgone.so"'
check "-account required, module missing: sshd's line" \
    out_has 'by PAM account configuration'
check "-account required, module missing: not libpam's (it does not log it)" \
    lacks 'dlopen(/lib/x86_64-linux-gnu/security/pam_dashgone.so)'

R="$T/authoff"; cproot "$R"
printf 'auth required pam_authgone.so\n' >>"$R/etc/pam.d/sshd"
diagnose "$R"
check "auth required, module missing: error (password logins on)" \
    out_has '"id":"pam-module","severity":"error","subject":"pam_authgone.so"'
printf 'PasswordAuthentication no\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
check "auth required, module missing, passwords off: warning" \
    out_has '"id":"pam-module","severity":"warning","subject":"pam_authgone.so"'

R="$T/optional"; cproot "$R"
rm "$R/lib/x86_64-linux-gnu/security/pam_gone.so"
diagnose "$R"
check "optional module removed: pam-module warning" \
    out_has '"id":"pam-module","severity":"warning","subject":"pam_gone.so"'

# tcp_wrappers: this sshd links libwrap (Debian's does).
if ldd /usr/sbin/sshd | grep -q libwrap; then
	R="$T/wrap"; cproot "$R"
	printf '# keep out\nALL: ALL\n' >"$R/etc/hosts.deny"
	diagnose "$R"
	check "hosts.deny ALL: ALL: exit 1" [ "$RC" -eq 1 ]
	check "hosts.deny ALL: ALL: only tcp-wrappers" \
	    [ "$(ids | sort -u)" = tcp-wrappers ]
	check "hosts.deny ALL: ALL: plans commenting out line 2" \
	    out_has '"type":"edit","path":"/etc/hosts.deny","line":2'
	check "hosts.deny ALL: ALL: unchanged" [ "$UNCHANGED" -eq 0 ]
	for rule in 'sshd : ALL' 'sshd,in.ftpd: ALL' 'ALL EXCEPT in.ftpd: ALL'; do
		printf '%s\n' "$rule" >"$R/etc/hosts.deny"
		diagnose "$R"
		check "hosts.deny \"$rule\": tcp-wrappers" has_id tcp-wrappers
	done
	for rule in 'sshd: ALL EXCEPT 10.0.0.1' 'ALL EXCEPT sshd: ALL' \
	    'in.ftpd: ALL' 'sshd: ALL: allow' 'sshd: 192.168.' 'sshd: ALL'; do
		printf '%s\n' "$rule" >"$R/etc/hosts.deny"
		[ "$rule" = 'sshd: ALL' ] && printf 'sshd: 10.0.0.0/8\n' >"$R/etc/hosts.allow"
		diagnose "$R"
		check "hosts.deny \"$rule\": no tcp-wrappers" lacks tcp-wrappers
	done
	check "hosts.allow grants some: no note" lacks 'cannot tell'
	: >"$R/etc/hosts.allow"
	printf 'sshd: 192.168.\n' >"$R/etc/hosts.deny"
	diagnose "$R"
	check "hosts.deny sshd: 192.168.: a cannot-tell note" \
	    out_has 'refuses some clients; sshfix cannot tell'
	printf 'sshd: ALL' >"$R/etc/hosts.deny"	# no newline: tcpd skips it
	diagnose "$R"
	check "hosts.deny last line without newline: no tcp-wrappers" \
	    lacks tcp-wrappers
	printf 'sshd: \\\n ALL\n' >"$R/etc/hosts.deny"
	diagnose "$R"
	check "hosts.deny rule over two lines: a manual step" \
	    out_has 'comment out the rule that starts on line 1'
	cp -L /bin/true "$R/usr/sbin/sshd"
	printf 'ALL: ALL\n' >"$R/etc/hosts.deny"
	diagnose "$R"
	check "sshd without libwrap: hosts.deny ALL: ALL is no finding" \
	    lacks tcp-wrappers
else
	skip_line "tcp-wrappers" "this sshd is not linked with libwrap"
fi

# OpenSSH 10's helpers: upstream 10.0p2's sshd on the copied root, its
# sshd-session and sshd-auth where the build compiled them in (PREFIX/
# libexec: sshfix reads the path from the binary). sshd stats both at
# start: "P does not exist or is not executable" (tests/versions has the
# real sshd's refusal); sshd -t does not look.
if ! P10=$(openssh_build 10.0p2 2>"$T/why"); then
	skip_line "OpenSSH 10 helpers" "$(head -1 "$T/why")"
else
	AUTH="$P10/libexec/sshd-auth" SESSION="$P10/libexec/sshd-session"
	h10root() {
		cproot "$1"
		cp "$P10/sbin/sshd" "$1/usr/sbin/sshd"
		openssh_helpers "$1" "$P10"
		sed -i '/^UsePAM/d' "$1/etc/ssh/sshd_config"
	}
	R="$T/h10"; h10root "$R"
	diagnose "$R"
	check "10.0 with both helpers: no sshd-binary" lacks sshd-binary
	rm "$R$AUTH"
	diagnose "$R"
	check "10.0, sshd-auth removed: exit 1" [ "$RC" -eq 1 ]
	check "10.0, sshd-auth removed: sshd-binary error about it" \
	    out_has "\"id\":\"sshd-binary\",\"severity\":\"error\",\"subject\":\"$AUTH\""
	check "10.0, sshd-auth removed: sshd's line" \
	    out_has "$AUTH does not exist or is not executable"
	check "10.0, sshd-auth removed: the path is the compiled one" \
	    out_has "compiled into /usr/sbin/sshd"
	check "10.0, sshd-auth removed: unchanged" [ "$UNCHANGED" -eq 0 ]
	# SshdAuthPath names a copy that exists: sshd uses it.
	mkdir -p "$R/usr/lib/openssh"
	cp -p "$P10/libexec/sshd-auth" "$R/usr/lib/openssh/"
	printf 'SshdAuthPath /usr/lib/openssh/sshd-auth\n' >>"$R/etc/ssh/sshd_config"
	diagnose "$R"
	check "10.0, SshdAuthPath names one that exists: no sshd-binary" \
	    lacks sshd-binary
	printf 'SshdSessionPath /usr/lib/openssh/sshd-gone\n' \
	    >"$R/etc/ssh/sshd_config.d/helpers.conf"
	diagnose "$R"
	check "10.0, SshdSessionPath names one that is missing: sshd-binary" \
	    out_has '"subject":"/usr/lib/openssh/sshd-gone"'
	check "10.0, SshdSessionPath missing: names the line" \
	    out_has "/etc/ssh/sshd_config.d/helpers.conf:1 SshdSessionPath"
	R="$T/h10mode"; h10root "$R"
	chmod 0644 "$R$SESSION"
	diagnose "$R"
	check "10.0, sshd-session 0644: sshd-binary" \
	    out_has "\"subject\":\"$SESSION\""
	check "10.0, sshd-session 0644: plans chmod 0644 -> 0755" \
	    out_has "\"type\":\"chmod\",\"path\":\"$SESSION\",\"from\":\"0644\",\"to\":\"0755\""
	cycle "10.0, sshd-session 0644" "$R"
	R="$T/h96"; cproot "$R"
	if P96=$(openssh_build 9.6p1 2>/dev/null); then
		cp "$P96/sbin/sshd" "$R/usr/sbin/sshd"
		sed -i '/^UsePAM/d' "$R/etc/ssh/sshd_config"
		diagnose "$R"
		check "9.6 (no helpers): no sshd-binary" lacks sshd-binary
	else
		skip_line "9.6 (no helpers)" "no 9.6p1 build"
	fi
fi

# The judge: the copied sshd, chrooted into the copied root, without
# libcrypto does not start, with the line sshd-binary reports.
R="$T/judge"; cproot "$R"
if unshare -m -n chroot "$R" /usr/sbin/sshd -t >"$T/judge.out" 2>&1; then :; fi
rm -f "$R$LIBCRYPTO"
unshare -m -n chroot "$R" /usr/sbin/sshd -t >"$T/judge2.out" 2>&1
jrc=$?
nscheck "real sshd without libcrypto: exits 127 (ld.so)" [ "$jrc" -eq 127 ]
nscheck "real sshd without libcrypto: logs the line sshfix reports" \
    grep -qF 'error while loading shared libraries: libcrypto.so.3: cannot open shared object file: No such file or directory' "$T/judge2.out"
nscheck "real sshd with libcrypto: gets past ld.so" \
    not grep -q 'error while loading' "$T/judge.out"
echo "1..$N"
