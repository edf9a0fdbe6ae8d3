# A hostile disk's own sshd as the judge (issue 22, items 1 and 2): the
# target's /usr/sbin/sshd is an attacker's program (hostile_sshd.c, built
# static here), run by sshfix --root for sshd -t even on a dry run. Each
# case is judged by its effect on the rescue machine: a file written
# outside the root, a secret read from root's keyring, a process of
# another user killed, shared memory written, memory touched, a file of
# the rescue machine grown, a run that never ends. And the key generation
# of --apply, steered by a symlink whose ".." climbs past the mount point.
. "$SSHFIX_TOP/tests/integration/lib.sh"
# The judge runs as an unprivileged uid: it must reach what it attacks.
chmod 0755 "$T"

if ! cc -static -O1 -o "$T/hostile_sshd" \
    "$SSHFIX_TOP/tests/security/hostile_sshd.c" 2>"$T/cc.err" ||
    ! cc -O1 -o "$T/hostside" "$SSHFIX_TOP/tests/security/hostside.c" \
    2>>"$T/cc.err"; then
	skip_line "hostile judge" "cannot build the probes: $(head -1 "$T/cc.err")"
	exit 0
fi
if [ "$NS_OK" != yes ]; then
	skip_line "hostile judge" "unshare -m -n not permitted"
	exit 0
fi

# jroot DIR MODE [ARG]: a healthy root whose sshd is the probe in MODE.
jroot() {
	mkroot "$1"
	mkdir -p "$1/usr/sbin" "$1/dev" "$1/tmp"
	chmod 1777 "$1/tmp"
	install -m 0755 "$T/hostile_sshd" "$1/usr/sbin/sshd"
	echo "$2 ${3:-}" >"$1/etc/sshfix-probe"
}

# The probe answers with a refusal of the first line it was given, so
# a case can tell that it was the judge (and that its attack ran).
judged_by_probe() { out_has "Bad configuration option: probe-$1"; }

# 0. The probe is the judge: the target's own sshd, chrooted.
R="$T/control"; jroot "$R" control
run --root "$R" --json
check "control: the target's sshd (the probe) judged the configuration" \
    judged_by_probe control

# --no-target-exec: the probe is never run (it would hang); the host's
# sshd judges the healthy configuration, and says nothing is wrong.
R="$T/noexec"; jroot "$R" hang
t0=$(date +%s)
timeout -s KILL 60 "$SSHFIX" --root "$R" --json --no-target-exec \
    >"$T/out" 2>"$T/err"
NRC=$? el=$(($(date +%s) - t0))
check "--no-target-exec: the target's sshd never runs ($el s, exit $NRC)" \
    [ "$el" -lt 5 -a "$NRC" -eq 0 ]

# 1. Inherited descriptors: a directory fd leads out of the chroot
# (sshfix's own, or one it inherited from whatever started it: a boot
# hook, a shell).
mkdir -m 1777 "$T/drop"
R="$T/fds"; jroot "$R" fds "$T/drop"
"$SSHFIX" --root "$R" --json >"$T/out" 2>"$T/err" 3</ 7<"$T"
OUT=$(cat "$T/out")
check "inherited fds: nothing written outside the root" \
    [ ! -e "$T/drop/escaped-fd" ]
check "inherited fds: the probe ran as the judge" judged_by_probe fds

# 2. Root's session keyring: the judge must not possess it.
R="$T/keyring"; jroot "$R" keyring
"$T/hostside" keyring "s3cr3t-$$" "$SSHFIX" --root "$R" --json \
    >"$T/out" 2>"$T/err"
KRC=$?
OUT=$(cat "$T/out")
check "keyring: the secret in root's session keyring was not read" \
    [ "$KRC" -eq 0 ]
check "keyring: the probe ran as the judge" judged_by_probe keyring

# 3. kill(-1, SIGKILL): a process of uid 65534 on the rescue machine.
setpriv --reuid=65534 --regid=65534 --clear-groups sleep 120 &
VICTIM=$!
sleep 0.2
R="$T/kill"; jroot "$R" kill
run --root "$R" --json
check "kill(-1): a process of another uid on the rescue machine lives" \
    kill -0 "$VICTIM"
kill "$VICTIM" 2>/dev/null
wait "$VICTIM" 2>/dev/null

# 4. System V shared memory of the rescue machine, open to all.
SHM=$("$T/hostside" shm-make)
R="$T/shm"; jroot "$R" shm
run --root "$R" --json
check "ipc: the rescue machine's shared memory is not written" \
    [ "$("$T/hostside" shm-read "$SHM")" = clean ]
"$T/hostside" shm-rm "$SHM"

# peak PATTERN FILE: while sshfix (pid $SP) runs, the largest value of
# the probe's VmHWM (kB) seen, polled, into FILE.
peak() {
	max=0
	while kill -0 "$SP" 2>/dev/null; do
		for p in $(pgrep -f "$1"); do
			v=$(awk '/^VmHWM/ { print $2 }' "/proc/$p/status" \
			    2>/dev/null)
			[ -n "$v" ] && [ "$v" -gt "$max" ] && max=$v
		done
		sleep 0.1
	done
	echo "$max" >"$2"
}

# 5. Memory: the probe touches 1 GiB and holds it for 3 s.
R="$T/memory"; jroot "$R" memory
"$SSHFIX" --root "$R" --json >"$T/out" 2>"$T/err" &
SP=$!
peak "sshd -t -f /tmp/sshd_config" "$T/peak"
wait "$SP"
check "memory: the judge never held 512 MiB (peak $(cat "$T/peak") kB)" \
    [ "$(cat "$T/peak")" -lt 524288 ]

# 6. A file of the rescue machine the judge owns (its copy of the
# configuration) grown by 64 MiB.
R="$T/grow"; jroot "$R" grow
"$SSHFIX" --root "$R" --json >"$T/out" 2>"$T/err" &
SP=$!
max=0
while kill -0 "$SP" 2>/dev/null; do
	for f in /tmp/sshfix-validate.*/sshd_config; do
		s=$(stat -c %s "$f" 2>/dev/null) || continue
		[ "$s" -gt "$max" ] && max=$s
	done
	sleep 0.1
done
wait "$SP"
check "file size: no file of the rescue machine grew (largest $max bytes)" \
    [ "$max" -lt 1048576 ]

# 7. A submount under the root (the README's /mnt/var): read-only too.
R="$T/submount"; jroot "$R" submount /var/tmp
unshare -m sh -c '
    mount --make-rprivate / && mount -t tmpfs tmpfs "$1/var" &&
    mkdir -p "$1/var/tmp" "$1/var/lib" && chmod 1777 "$1/var/tmp" &&
    "$2" --root "$1" --json >"$3/out" 2>"$3/err";
    [ ! -e "$1/var/tmp/escaped-submount" ]' _ "$R" "$SSHFIX" "$T"
SUB=$?
OUT=$(cat "$T/out")
check "submount: nothing written on a filesystem mounted under the root" \
    [ "$SUB" -eq 0 ]
check "submount: the probe ran as the judge" judged_by_probe submount

# 8. A judge that closes its output and never exits: the run still ends.
R="$T/hang"; jroot "$R" hang
t0=$(date +%s)
timeout -s KILL 60 "$SSHFIX" --root "$R" --json >"$T/out" 2>"$T/err"
HRC=$?
el=$(($(date +%s) - t0))
OUT=$(cat "$T/out")
check "hang: the dry run ends within 30 s ($el s, exit $HRC)" \
    [ "$el" -lt 30 -a "$HRC" -ne 137 ]
check "hang: no all-clear when the judge gave no answer (exit $HRC)" \
    [ "$HRC" -ne 0 ]
pkill -KILL -f "sshd -t -f /tmp/sshd_config -h /tmp/hostkey" 2>/dev/null

# 9. A kernel before 5.12 (no mount_setattr), 5.9 (no close_range),
# 5.3 (no pidfd_open): strace makes them fail with ENOSYS (it injects
# only into the calls it traces), and the sandbox's fallbacks must hold
# as well.
OLD=mount_setattr,close_range,pidfd_open
# LeakSanitizer cannot run under ptrace.
traced() { ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace "$@"; }
if strace -qq -o /dev/null true 2>/dev/null; then
	R="$T/oldfds"; jroot "$R" fds "$T/drop"
	rm -f "$T/drop/escaped-fd"
	traced -f -qq -o /dev/null -e trace=$OLD -e inject=$OLD:error=ENOSYS \
	    "$SSHFIX" --root "$R" --json >"$T/out" 2>"$T/err" 3</ 7<"$T"
	OUT=$(cat "$T/out")
	check "old kernel: inherited fds closed (nothing written outside)" \
	    [ ! -e "$T/drop/escaped-fd" ]
	check "old kernel: the probe ran as the judge" judged_by_probe fds
	R="$T/oldsub"; jroot "$R" submount /var/tmp
	unshare -m sh -c '
	    mount --make-rprivate / && mount -t tmpfs tmpfs "$1/var" &&
	    mkdir -p "$1/var/tmp" "$1/var/lib" && chmod 1777 "$1/var/tmp" &&
	    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		strace -f -qq -o /dev/null -e trace="$4" \
		-e inject="$4":error=ENOSYS \
		"$2" --root "$1" --json >"$3/out" 2>"$3/err";
	    [ ! -e "$1/var/tmp/escaped-submount" ]' _ "$R" "$SSHFIX" "$T" "$OLD"
	SUB=$?
	OUT=$(cat "$T/out")
	check "old kernel: a submount is read-only too" [ "$SUB" -eq 0 ]
	check "old kernel: the probe ran as the judge (submount)" \
	    judged_by_probe submount
	# sshfix killed while its judge is being set up (its first
	# fchownat hands the judge its files): the judge must not outlive
	# it, waiting for a word that never comes (strace, which waits for
	# every process it traces, would then wait for ever).
	R="$T/orphan"; jroot "$R" control
	t0=$(date +%s)
	timeout -s KILL 30 strace -f -qq -o /dev/null -e trace=fchownat \
	    -e inject=fchownat:signal=KILL:when=1 \
	    "$SSHFIX" --root "$R" --json >/dev/null 2>&1
	ORC=$? el=$(($(date +%s) - t0))
	check "sshfix killed at its judge's setup: the judge ends with it ($el s, exit $ORC)" \
	    [ "$ORC" -eq 137 -a "$el" -lt 20 ]
	pkill -KILL -f -- "$SSHFIX --root $R" 2>/dev/null
else
	skip_line "old kernel fallbacks" "strace cannot trace here"
fi

# 10. --apply's key generation steered out of the root: a HostKey under
# a root-owned symlink whose ".." climbs past the mount point. sshfix
# resolves it inside the root (ROOT/ROOT/evil: the dots stop at the
# root); the kernel, given the same path as a string, climbs to the
# real ROOT/evil, where the staging directory's name is the attacker's
# link to a directory of the rescue machine.
R="$T/keygen"; mkroot "$R"
mkdir -p "$R$R/evil/sub" "$R/evil/sub" "$T/outside"
ln -s "$T/outside" "$R/evil/sub/.sshfix-keygen"
ln -s "../../../../../../../../../../../../../../..$R/evil" "$R/etc/ssh/keys"
printf 'HostKey /etc/ssh/keys/sub/ssh_host_ed25519_key\n' \
    >"$R/etc/ssh/sshd_config.d/10-keys.conf"
run --root "$R" --apply
check "keygen: nothing written outside the root ($(ls -A "$T/outside" | tr '\n' ' '))" \
    [ -z "$(ls -A "$T/outside")" ]
check "keygen: the key was made where sshfix resolved the path (exit $RC)" \
    [ -s "$R$R/evil/sub/ssh_host_ed25519_key" -a "$RC" -eq 0 ]

echo "1..$N"
