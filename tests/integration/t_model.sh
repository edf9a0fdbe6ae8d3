# The target's sshd release and distribution decide (release.c's tables):
# fake roots whose /usr/sbin/sshd is an upstream build from
# tests/versions/openssh.sh (7.4p1, 8.0p1, 8.9p1, 9.6p1, 10.0p2). Alone in
# the root it cannot run there, so the host's Debian 9.2 sshd judges the
# configuration, and accepts what the target's release refuses: the
# table must say so. Each verdict is checked against that release's own
# sshd -t.
. "$SSHFIX_TOP/tests/integration/lib.sh"
. "$SSHFIX_TOP/tests/versions/openssh.sh"

ci_ids() { printf '%s' "$OUT" | grep -o '"id":"config-invalid"' | wc -l; }
no_ci() { [ "$(ci_ids)" -eq 0 ]; }

# relroot DIR: a root with release $P's sshd (and sshd-session), the
# host's libraries, no /tmp (so its sshd cannot run chrooted) and a config
# without Include, as CentOS 7 ships it.
relroot() {
	mkroot "$1"
	copy_sshd "$1"
	cp "$P/sbin/sshd" "$1/usr/sbin/sshd"
	if [ -x "$P/libexec/sshd-session" ]; then
		openssh_helpers "$1" "$P"
	fi
	printf 'UsePAM yes\nPrintMotd no\nSubsystem\tsftp\t/usr/lib/openssh/sftp-server\n' \
	    >"$1/etc/ssh/sshd_config"
}

# release_ok CONFIG: does this release's own sshd -t accept CONFIG?
release_ok() {
	{ echo "HostKey $KEYS/ssh_host_ed25519_key"; cat "$1"; } >"$T/rel.conf"
	"$P/sbin/sshd" -t -f "$T/rel.conf" >"$T/rel.out" 2>&1
}
# release_refuses CONFIG MESSAGE: its sshd -t fails, saying MESSAGE.
release_refuses() {
	! release_ok "$1" && grep -qF -- "$2" "$T/rel.out"
}

for V in 7.4p1 8.0p1; do
	if ! P=$(openssh_build $V 2>"$T/why"); then
		skip_line "OpenSSH $V keywords" "$(head -1 "$T/why")"
		continue
	fi
	R="$T/pk-$V"; relroot "$R"
	echo 'PubkeyAcceptedAlgorithms +ssh-ed25519' >>"$R/etc/ssh/sshd_config"
	check "$V: its own sshd -t refuses PubkeyAcceptedAlgorithms" \
	    release_refuses "$R/etc/ssh/sshd_config" \
	    "Bad configuration option: PubkeyAcceptedAlgorithms"
	diagnose "$R"
	check "$V, PubkeyAcceptedAlgorithms: config-invalid though the host's sshd accepts it" \
	    sh -c "[ $RC -eq 1 ] && [ $(ci_ids) -eq 1 ]"
	check "$V, PubkeyAcceptedAlgorithms: sshd's line" out_has \
	    'line 4: Bad configuration option: PubkeyAcceptedAlgorithms'
	check "$V, PubkeyAcceptedAlgorithms: the table of this release judged" \
	    out_has "\"judge\":\"sshfix's release table (OpenSSH_${V%p*}"
	check "$V, PubkeyAcceptedAlgorithms: the note names the host's sshd" \
	    out_has "the host's /usr/sbin/sshd (OpenSSH_"
	check "$V, PubkeyAcceptedAlgorithms: the edit uses PubkeyAcceptedKeyTypes" \
	    out_has '"new":"PubkeyAcceptedKeyTypes +ssh-ed25519"'
	cycle "$V, PubkeyAcceptedAlgorithms" "$R"
	run --root "$R" --apply
	check "$V, after the edit: its own sshd -t accepts the config" \
	    release_ok "$R/etc/ssh/sshd_config"

	R="$T/inc-$V"; relroot "$R"
	echo 'Include /etc/ssh/sshd_config.d/*.conf' >>"$R/etc/ssh/sshd_config"
	echo 'PermitRootLogin prohibit-password' >"$R/etc/ssh/sshd_config.d/a.conf"
	check "$V: its own sshd -t refuses Include" release_refuses \
	    "$R/etc/ssh/sshd_config" "Bad configuration option: Include"
	diagnose "$R"
	check "$V, Include: config-invalid" sh -c "[ $RC -eq 1 ] && [ $(ci_ids) -eq 1 ]"
	check "$V, Include: sshd's line" out_has \
	    'line 4: Bad configuration option: Include'
	check "$V, Include: the plan says the drop-ins are no longer read" \
	    out_has "has no Include: the files it named are no longer read"
	cycle "$V, Include" "$R"

	# A target sshd that runs chrooted judges itself, but sees a copy
	# with its Include lines expanded: the table still finds them.
	R="$T/run-$V"; relroot "$R"
	mkdir -p "$R/tmp" "$R/dev"
	echo 'Include /etc/ssh/sshd_config.d/*.conf' >>"$R/etc/ssh/sshd_config"
	diagnose "$R"
	check "$V, runnable sshd and Include: config-invalid" \
	    out_has 'line 4: Bad configuration option: Include'
	check "$V, runnable sshd and Include: says its own sshd saw it expanded" \
	    out_has "chrooted judged a copy with every Include expanded"
done

# Negative controls: the releases that know these keywords.
for V in 8.9p1 9.6p1 10.0p2; do
	if ! P=$(openssh_build $V 2>"$T/why"); then
		skip_line "OpenSSH $V keywords" "$(head -1 "$T/why")"
		continue
	fi
	R="$T/ok-$V"; relroot "$R"
	printf 'Include /etc/ssh/sshd_config.d/*.conf\nPubkeyAcceptedAlgorithms +ssh-ed25519\n' \
	    >>"$R/etc/ssh/sshd_config"
	check "$V: its own sshd -t accepts Include and PubkeyAcceptedAlgorithms" \
	    release_ok "$R/etc/ssh/sshd_config"
	diagnose "$R"
	check "$V: Include and PubkeyAcceptedAlgorithms: no config-invalid" no_ci
done

# ssh-dss in an algorithm list: fatal on 10.x only.
if P=$(openssh_build 10.0p2 2>"$T/why"); then
	R="$T/dss10"; relroot "$R"
	echo 'HostKeyAlgorithms +ssh-dss' >>"$R/etc/ssh/sshd_config"
	check "10.0: its own sshd -t refuses +ssh-dss" release_refuses \
	    "$R/etc/ssh/sshd_config" "Bad key types '+ssh-dss'."
	diagnose "$R"
	check "10.0, HostKeyAlgorithms +ssh-dss: config-invalid" \
	    sh -c "[ $RC -eq 1 ] && [ $(ci_ids) -eq 1 ]"
	check "10.0, HostKeyAlgorithms +ssh-dss: sshd's line" out_has \
	    "line 4: Bad key types '+ssh-dss'."
	cycle "10.0, HostKeyAlgorithms +ssh-dss" "$R"
	run --root "$R" --apply
	check "10.0, after the edit: its own sshd -t accepts the config" \
	    release_ok "$R/etc/ssh/sshd_config"

	R="$T/dss10list"; relroot "$R"
	echo 'PubkeyAcceptedKeyTypes ssh-ed25519,ssh-dss' >>"$R/etc/ssh/sshd_config"
	diagnose "$R"
	check "10.0, ssh-dss inside a list: config-invalid" out_has \
	    "line 4: Bad key types 'ssh-ed25519,ssh-dss'."

	R="$T/dss10minus"; relroot "$R"
	echo 'HostKeyAlgorithms -ssh-dss' >>"$R/etc/ssh/sshd_config"
	check "10.0: its own sshd -t accepts -ssh-dss" release_ok "$R/etc/ssh/sshd_config"
	diagnose "$R"
	check "10.0, -ssh-dss: no config-invalid" no_ci
else
	skip_line "ssh-dss in a list on OpenSSH 10.0" "$(head -1 "$T/why")"
fi
if P=$(openssh_build 9.6p1 2>"$T/why"); then
	R="$T/dss96"; relroot "$R"
	echo 'HostKeyAlgorithms +ssh-dss' >>"$R/etc/ssh/sshd_config"
	check "9.6: its own sshd -t accepts +ssh-dss" release_ok "$R/etc/ssh/sshd_config"
	diagnose "$R"
	check "9.6, HostKeyAlgorithms +ssh-dss: no config-invalid" no_ci
else
	skip_line "ssh-dss in a list on OpenSSH 9.6" "$(head -1 "$T/why")"
fi

# The private-group rule is Debian's patch: alice's home 0775 in her own
# group, which has no other member, is fine under Debian's sshd and refused
# under an upstream one, whatever the os-release says (the real logins of
# tests/versions/t_releases.sh: upstream 7.4p1-10.0p2 on a Debian root
# refuse). The binary's version string decides when it can be read.
for dist in debian rhel; do
	for V in host 10.0p2; do
		R="$T/pg-$dist-$V"; mkroot "$R" $dist
		if [ $V != host ]; then
			P=$(openssh_build $V 2>/dev/null) || continue
			relroot "$R"
			[ $dist = debian ] || mkroot "$R" rhel
		fi
		chmod 0775 "$R/home/alice"
		diagnose "$R"
		if [ $dist = debian ] && [ $V = host ]; then
			check "$dist ($V sshd): home 0775 in alice's private group is fine" \
			    sh -c '! printf "%s" "$1" | grep -q "\"id\":\"home-perms\""' _ "$OUT"
		else
			check "$dist ($V sshd): home 0775 in alice's private group is refused" \
			    out_has '"id":"home-perms"'
			check "$dist ($V sshd): the upstream rule named" \
			    out_has '"rule":"upstream: no group or world write"'
		fi
	done
done
# No sshd binary to read (a damaged or stripped root): the package
# database says which release it is. dpkg's openssh-server 1:8.0p1-...:
# sshd_config's Include is a line that release refuses (t_releases: the
# real 8.0p1 exits "Bad configuration option: Include").
R="$T/dpkg"; mkroot "$R"
rm -f "$R/usr/sbin/sshd"
mkdir -p "$R/var/lib/dpkg"
printf 'Package: openssh-client\nStatus: install ok installed\nVersion: 1:9.9p1-1\n\nPackage: openssh-server\nStatus: install ok installed\nVersion: 1:8.0p1-2+deb10u1\n\n' \
    >"$R/var/lib/dpkg/status"
diagnose "$R"
check "no sshd binary, dpkg says 8.0p1: Include is config-invalid, judged by the table" \
    sh -c 'printf "%s" "$1" | grep -q "\"judge\":\"sshfix.s release table (OpenSSH_8.0p1 Debian-2+deb10u1)\""' _ "$OUT"
sed -i 's/1:8.0p1-2+deb10u1/1:9.2p1-2+deb12u3/' "$R/var/lib/dpkg/status"
diagnose "$R"
check "no sshd binary, dpkg says 9.2p1: no config-invalid" sh -c \
    '! printf "%s" "$1" | grep -q "\"id\":\"config-invalid\""' _ "$OUT"
echo "1..$N"
