# config-invalid on fake roots: which sshd judges (the target's own,
# chrooted; the host's with a note; the keyword table with a note), the
# cache of clean verdicts, and the whole cycle of a repair.
. "$SSHFIX_TOP/tests/integration/lib.sh"

judge_has() { out_has "\"judge\":\"$1"; }
ci_count() { printf '%s' "$OUT" | grep -o '"id":"config-invalid"' | wc -l; }

if [ ! -x /usr/sbin/sshd ]; then
	for c in host-judge chroot-judge chroot-fallback cache cycle; do
		skip_line "config-invalid $c" "no /usr/sbin/sshd"
	done
else

# No ROOT/usr/sbin/sshd: the host's sshd judges, and the note says so.
R="$T/host"; mkroot "$R"
printf 'UseDNS perhaps\n' >>"$R/etc/ssh/sshd_config"
printf 'PasswordAuthentcation no\n' >"$R/etc/ssh/sshd_config.d/10-typo.conf"
diagnose "$R"
check "host judge: exit 1, both errors" sh -c "[ $RC -eq 1 ] && [ $(ci_count) -eq 2 ]"
check "host judge: names the drop-in's line" \
    out_has '"subject":"/etc/ssh/sshd_config.d/10-typo.conf:1"'
check "host judge: sshd's own message" \
    out_has 'unsupported option \"perhaps\".'
check "host judge: the judge is the host's sshd with its version" \
    judge_has "the host's /usr/sbin/sshd (OpenSSH_"
check "host judge: the note names both versions" \
    out_has '"note":"the target has no usable /usr/sbin/sshd; the target'"'"'s sshd is of unknown version, the host'"'"'s OpenSSH_'
check "host judge: the dry run changed nothing" [ "$UNCHANGED" -eq 0 ]

# The target's own sshd, chrooted: a root with sshd and its libraries.
R="$T/chroot"; mkroot "$R"
mkdir -p "$R/usr/sbin" "$R/tmp" "$R/dev"
cp /usr/sbin/sshd "$R/usr/sbin/"
for l in $(ldd /usr/sbin/sshd | grep -o '/[^ ]*'); do
	mkdir -p "$R$(dirname "$l")"; cp -L "$l" "$R$l"
done
printf 'UseDNS perhaps\n' >>"$R/etc/ssh/sshd_config"
mounts0=$(grep -c . /proc/self/mountinfo)
diagnose "$R"
check "chroot judge: exit 1, the error named" sh -c "[ $RC -eq 1 ] &&
    printf '%s' '$(printf '%s' "$OUT" | grep -o '"subject":"[^"]*"')' |
    grep -qF /etc/ssh/sshd_config:8"
nscheck "chroot judge: the target's own sshd judged, chrooted" \
    judge_has "the target's own /usr/sbin/sshd (OpenSSH_"
nscheck "chroot judge: no note (nothing fell back)" sh -c "! printf '%s' \"\$1\" | grep -q '\"note\"'" _ "$OUT"
check "chroot judge: the root is unchanged, nothing left mounted" sh -c \
    "[ $UNCHANGED -eq 0 ] && [ $(grep -c . /proc/self/mountinfo) -eq $mounts0 ]"
cycle "chroot judge" "$R"

# The target's sshd is the disk's: on a disk nobody trusts, an
# attacker's program. It runs as nobody, without capabilities, and
# cannot fork: a hostile "sshd" cannot read the target's shadow (0640
# root) or start anything.
R="$T/hostile-sshd"; mkroot "$R"; mkdir -p "$R/usr/sbin" "$R/tmp" "$R/dev" "$R/bin"
cp /bin/dash "$R/bin/sh"
for l in $(ldd /bin/dash | grep -o '/[^ ]*'); do
	mkdir -p "$R$(dirname "$l")"; cp -L "$l" "$R$l"
done
printf '#!/bin/sh\n[ -r /etc/shadow ] && r=read-shadow || r=no-shadow\necho "sshd-probe $r"\nexit 1\n' >"$R/usr/sbin/sshd"
chmod 0755 "$R/usr/sbin/sshd"
printf 'UseDNS perhaps\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
nscheck "hostile target sshd: cannot read the target's shadow" \
    out_has "sshd-probe no-shadow"
printf '#!/bin/sh\n(:)\necho sshd-probe forked\nexit 1\n' >"$R/usr/sbin/sshd"
diagnose "$R"
nscheck "hostile target sshd: cannot fork" out_has ": Cannot fork"
# Its /tmp is sshfix's scratch directory: no entry may be added there
# (root's ssh-keygen writes the throw-away key in it by path).
printf '#!/bin/sh\n[ -w /tmp ] && r=wrote || r=no-write\necho "sshd-probe $r"\nexit 1\n' >"$R/usr/sbin/sshd"
diagnose "$R"
nscheck "hostile target sshd: cannot add a file to its scratch directory" \
    out_has "sshd-probe no-write"
check "hostile target sshd: the host's sshd judged instead" \
    judge_has "the host's /usr/sbin/sshd (OpenSSH_"

# A target sshd that cannot run here (a script with no interpreter in
# the root): the host's sshd judges and the note says why. It reads as
# 9.2, which knows Include (an older one would add a finding: t_model).
R="$T/noexec"; mkroot "$R"; mkdir -p "$R/usr/sbin" "$R/tmp" "$R/dev"
printf '#!/nonexistent/sh\necho OpenSSH_9.2p1\n' >"$R/usr/sbin/sshd"
chmod 0755 "$R/usr/sbin/sshd"
printf 'UseDNS perhaps\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
check "target sshd cannot run: still exit 1 with the error" sh -c "[ $RC -eq 1 ] && [ $(ci_count) -eq 1 ]"
check "target sshd cannot run: the host's sshd judged" \
    judge_has "the host's /usr/sbin/sshd (OpenSSH_"
nscheck "target sshd cannot run: the note says so, with both versions" \
    out_has "could not run here (sshd -t failed (exit 127)"

# A clean verdict is cached; any change to the config asks sshd again.
R="$T/cache"; mkroot "$R"
diagnose "$R"
check "cache: healthy root clean" sh -c "[ $RC -eq 0 ] && [ $(ci_count) -eq 0 ]"
diagnose "$R"
check "cache: clean again" sh -c "[ $RC -eq 0 ] && [ $(ci_count) -eq 0 ]"
printf 'PermitRootLogin maybe\n' >"$R/etc/ssh/sshd_config.d/30-x.conf"
diagnose "$R"
check "cache: a changed drop-in is judged again" sh -c "[ $RC -eq 1 ] && [ $(ci_count) -eq 1 ]"

R="$T/cyc"; mkroot "$R"
printf '\357\273\277' | cat - "$R/etc/ssh/sshd_config" >"$T/c" &&
    cat "$T/c" >"$R/etc/ssh/sshd_config"
printf 'Match Foo bar\n\tPasswordAuthentication no\n\\\n' >>"$R/etc/ssh/sshd_config"
diagnose "$R"
check "BOM, Match Foo, backslash: three findings" sh -c "[ $RC -eq 1 ] && [ $(ci_count) -eq 3 ]"
cycle "BOM and a bad Match block" "$R"

# An error with a line, then, that line masked, one sshd names no line
# for (AuthenticationMethods only of a disabled method: "cannot be
# satisfied" at start): the first stands, and a note says the rest was
# not judged past the second. Control: the bad value alone, no note.
R="$T/noline"; mkroot "$R"
printf 'PermitRootLogin maybe\nPasswordAuthentication no\nAuthenticationMethods password\n' \
    >"$R/etc/ssh/sshd_config.d/50-am.conf"
diagnose "$R"
check "line, then no line: the bad value is reported (not lost)" \
    out_has '"subject":"/etc/ssh/sshd_config.d/50-am.conf:1"'
check "line, then no line: judged by sshd, not the keyword table" \
    judge_has "the host's /usr/sbin/sshd"
check "line, then no line: a note names what sshd stopped on" \
    out_has 'stopped on an error it names no line for (sshd -t failed (exit 255): Disabled method \"password\"'
R="$T/lineonly"; mkroot "$R"
printf 'PermitRootLogin maybe\n' >"$R/etc/ssh/sshd_config.d/50-am.conf"
diagnose "$R"
check "control: the bad value alone: reported, no such note" sh -c \
    "[ $(ci_count) -eq 1 ] && ! printf '%s' \"\$0\" | grep -q 'names no line for'" "$OUT"
fi

# No sshd at all (test seam): the keyword table judges, with a note.
R="$T/table"; mkroot "$R"
printf 'PasswordAuthentcation no\n' >"$R/etc/ssh/sshd_config.d/10-typo.conf"
printf 'Match Foo bar\n\tPasswordAuthentication no\n' >>"$R/etc/ssh/sshd_config"
export SSHFIX_TEST_NO_HOST_SSHD=1; diagnose "$R"; unset SSHFIX_TEST_NO_HOST_SSHD
check "keyword table: exit 1, the typo and the Match" sh -c "[ $RC -eq 1 ] && [ $(ci_count) -eq 2 ]"
check "keyword table: judged by the table" judge_has "sshfix's keyword table"
check "keyword table: the note says values were not checked" \
    out_has "were checked, not values"
R="$T/table2"; mkroot "$R"
printf 'ChallengeResponseAuthentication no\nUsePrivilegeSeparation yes\nInclude /etc/ssh/none.d/*\n' >>"$R/etc/ssh/sshd_config"
export SSHFIX_TEST_NO_HOST_SSHD=1; diagnose "$R"; unset SSHFIX_TEST_NO_HOST_SSHD
check "keyword table: deprecated keywords, empty Include glob: clean" \
    sh -c "[ $RC -eq 0 ] && [ $(ci_count) -eq 0 ]"

