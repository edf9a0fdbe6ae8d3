# Attacks on sshfix as root, from a hostile user (run as that user with
# setpriv) or from an untrusted disk. Each case checks that no path outside
# the plan changes (content, mode, owner) and that no raw control byte
# reaches the output.
. "$SSHFIX_TOP/tests/integration/lib.sh"
# The unprivileged attacker must reach the roots.
chmod 0755 "$T"

as_alice() { setpriv --reuid=1000 --regid=1000 --clear-groups -- "$@"; }

# No byte sshfix did not write itself: no C0 control but newline, no DEL.
clean_output() {
	! LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$T/out" \
	    "$T/err"
}

# outside DIR: the tree but alice's home and sshfix's own directory.
outside() { state "$1" | grep -av -e '^\./home/alice' -e '\./var/lib'; }

if ! command -v setpriv >/dev/null 2>&1; then
	skip_line "hostile-user cases" "setpriv missing (util-linux)"
	exit 0
fi

# 1. A root-owned link that alice renames into place as ~/.ssh (issue 9,
# defect 1): the apply must not follow it to root's keys.
R="$T/swap"; mkroot "$R"
ln -s /root/.ssh "$R/home/alice/rootssh"
chown -h 0:0 "$R/home/alice/rootssh"
as_alice mv "$R/home/alice/.ssh" "$R/home/alice/.ssh.real"
as_alice mv "$R/home/alice/rootssh" "$R/home/alice/.ssh"
outside "$R" >"$T/o0"
run --root "$R" --apply
outside "$R" >"$T/o1"
check "link swap: root's keys and every path outside the plan unchanged" \
    cmp -s "$T/o0" "$T/o1"
check "link swap: root's authorized_keys still root's, 0600" sh -c "
    [ \"\$(stat -c %u:%a '$R/root/.ssh/authorized_keys')\" = 0:600 ]"
check "link swap: no raw bytes in the output" clean_output

# 2. A hard link to etc/shadow as root's authorized_keys in a root-owned
# home (defect 6): shadow keeps its mode, owner and content.
R="$T/hard"; mkroot "$R" rhel	# RHEL refuses group write
chmod 0660 "$R/etc/shadow"
rm "$R/root/.ssh/authorized_keys"
ln "$R/etc/shadow" "$R/root/.ssh/authorized_keys"
outside "$R" | grep -av '^\./root/.ssh' >"$T/o0"
sum0=$(stat -c %a:%u:%g "$R/etc/shadow")
run --root "$R" --apply
outside "$R" | grep -av '^\./root/.ssh' >"$T/o1"
check "hard link to shadow: shadow untouched ($sum0)" sh -c "
    [ \"\$(stat -c %a:%u:%g '$R/etc/shadow')\" = '$sum0' ] &&
    cmp -s '$T/o0' '$T/o1'"
check "hard link to shadow: not reported as applied" [ "$RC" -ne 0 ]

# 3. A sparse 2 GB authorized_keys that only needs a chmod (defect 2):
# the snapshot keeps metadata only, and the rollback works.
R="$T/sparse"; mkroot "$R"
as_alice truncate -s 2G "$R/home/alice/.ssh/authorized_keys"
chmod 0666 "$R/home/alice/.ssh/authorized_keys"
tree "$R" >"$T/t0"
run --root "$R" --apply
check "sparse keys: apply exits 0" [ "$RC" -eq 0 ]
check "sparse keys: snapshot under 1 MB" sh -c "
    [ \$(du -sk '$R/var/lib/sshfix/snapshots' | cut -f1) -lt 1024 ]"
run --root "$R" --rollback
check "sparse keys: rollback exits 0" [ "$RC" -eq 0 ]
tree "$R" >"$T/t1"
check "sparse keys: rollback restores the mode" cmp -s "$T/t0" "$T/t1"

# 4. The snapshot directory is never re-moded (defect 3).
R="$T/sticky"; mkroot "$R"; chmod 0777 "$R/root"
mkdir -m 1777 "$T/tmpdir"
for mode in --list --rollback --apply; do
	run --root "$R" $mode --snapshot-dir "$T/tmpdir"
	check "sticky --snapshot-dir: $mode leaves it 1777" sh -c "
	    [ \"\$(stat -c %a '$T/tmpdir')\" = 1777 ] && [ $RC -ne 0 ]"
done
R="$T/etclink"; mkroot "$R"; chmod 0777 "$R/root"
mkdir -p "$R/var/lib/sshfix"
ln -s /etc "$R/var/lib/sshfix/snapshots"
outside "$R" >"$T/o0"
for mode in --list --rollback --apply; do
	run --root "$R" $mode
	check "snapshots -> /etc link: $mode refused, etc untouched" sh -c "
	    [ \"\$(stat -c %a '$R/etc')\" = 755 ] && [ $RC -eq 2 ]"
done
outside "$R" >"$T/o1"
check "snapshots -> /etc link: nothing outside changed" cmp -s "$T/o0" "$T/o1"

# 5. Snapshots are verified whole and bound to their root (defect 5).
R="$T/trunc"; mkroot "$R"; chmod 0777 "$R/root"
run --root "$R" --apply
tree "$R" >"$T/t0"
tar=$(ls "$R"/var/lib/sshfix/snapshots/*.tar)
truncate -s $(($(stat -c %s "$tar") / 2)) "$tar"
run --root "$R" --rollback
tree "$R" >"$T/t1"
check "truncated snapshot: rollback refused, exit 2" [ "$RC" -eq 2 ]
check "truncated snapshot: nothing restored" cmp -s "$T/t0" "$T/t1"
check "truncated snapshot: says why, on stderr" sh -c \
    "printf '%s' \"\$0\" | grep -q 'does not match its seal'" "$ERR"

R1="$T/one"; mkroot "$R1"; chmod 0777 "$R1/root"
R2="$T/two"; mkroot "$R2"; chmod 0777 "$R2/root"
mkdir -m 0700 "$T/shared"
run --root "$R1" --apply --snapshot-dir "$T/shared"
id1=$(ls "$T/shared" | sed -n 's/\.tar$//p')
run --root "$R2" --apply --snapshot-dir "$T/shared"
tree "$R2" >"$T/t0"
run --root "$R2" --rollback "$id1" --snapshot-dir "$T/shared"
tree "$R2" >"$T/t1"
check "another root's snapshot: refused, exit 2" [ "$RC" -eq 2 ]
check "another root's snapshot: nothing restored" cmp -s "$T/t0" "$T/t1"
check "another root's snapshot: says so, on stderr" sh -c \
    "printf '%s' \"\$0\" | grep -q 'another system'" "$ERR"

R="$T/suid"; mkroot "$R"; chmod 0777 "$R/root"
run --root "$R" --apply
tar=$(ls "$R"/var/lib/sshfix/snapshots/*.tar)
python3 - "$tar" <<'PY'
import sys, tarfile
src = sys.argv[1]
with tarfile.open(src) as t:
    members = [(m, t.extractfile(m).read() if m.isfile() else None)
               for m in t.getmembers()]
with tarfile.open(src, "w", format=tarfile.PAX_FORMAT) as t:
    for m, data in members:
        if m.name.startswith("files/root"):
            m.mode = 0o4777
        t.addfile(m, None if data is None else __import__("io").BytesIO(data))
PY
run --root "$R" --rollback
check "edited snapshot: rollback refused" [ "$RC" -eq 2 ]
check "edited snapshot: no set-id bit restored" sh -c "
    [ \"\$(stat -c %a '$R/root')\" = 755 ]"

# 6. Races (defect 7): alice swaps ~/.ssh for a root-owned link to root's
# keys while applies run. Root's files never change, and every exit code
# tells the truth about the snapshot it made.
R="$T/race"; mkroot "$R"
ln -s /root/.ssh "$R/home/alice/lnk"; chown -h 0:0 "$R/home/alice/lnk"
chmod 0666 "$R/home/alice/.ssh/authorized_keys"
state "$R/root" >"$T/r0"
as_alice sh -c "cd '$R/home/alice' && end=\$((\$(date +%s) + 30)) &&
    while [ \$(date +%s) -lt \$end ] && [ ! -e '$T/stop' ]; do
	mv .ssh real 2>/dev/null; mv lnk .ssh 2>/dev/null
	mv .ssh lnk 2>/dev/null; mv real .ssh 2>/dev/null
    done" &
racer=$!
bad=0 runs=0
while [ "$runs" -lt 60 ]; do
	runs=$((runs + 1))
	chmod 0666 "$R/home/alice/.ssh/authorized_keys" 2>/dev/null
	n0=$(ls "$R/var/lib/sshfix/snapshots" 2>/dev/null | grep -c '\.tar$')
	run --root "$R" --apply --json
	n1=$(ls "$R/var/lib/sshfix/snapshots" 2>/dev/null | grep -c '\.tar$')
	id=$(printf '%s' "$OUT" | sed -n 's/.*"snapshot":"\([^"]*\)".*/\1/p')
	st=$(cat "$R/var/lib/sshfix/snapshots/$id.state" 2>/dev/null)
	case $RC:${id:+snap} in
	0:|1:|2:) [ "$n0" -eq "$n1" ] ||
	    { bad=$((bad + 1)); echo "# rc $RC, no snapshot named, one left"; } ;;
	0:snap|1:snap) [ "$st" = applied ] ||
	    { bad=$((bad + 1)); echo "# rc $RC state $st"; } ;;
	3:snap) [ "$st" = restored ] ||
	    { bad=$((bad + 1)); echo "# rc 3 state $st"; } ;;
	4:snap) [ "$st" = restore-failed ] ||
	    { bad=$((bad + 1)); echo "# rc 4 state $st"; } ;;
	*) bad=$((bad + 1)); echo "# rc $RC snapshot '$id' state '$st'" ;;
	esac
	clean_output || { bad=$((bad + 1)); echo "# raw bytes in output"; }
done
touch "$T/stop"
wait "$racer"
state "$R/root" >"$T/r1"
check "race ($runs applies): root's files never changed" cmp -s "$T/r0" "$T/r1"
check "race: every exit code matches its snapshot's state" [ "$bad" -eq 0 ]

# 7. Names that are an attacker's bytes go into the snapshot's meta as
# data (vis-encoded): a newline in a drop-in's name cannot add a line of
# its own, and a name that is not UTF-8 is kept byte for byte (pax
# hdrcharset=BINARY). Apply and rollback both work.
R="$T/names"; mkroot "$R"
printf 'AddressFamily inet6\n' >"$R/etc/ssh/sshd_config.d/10-x
finding forged.conf"
printf 'net.ipv6.conf.all.disable_ipv6 = 1\n' >"$R/etc/sysctl.d/90-v6.conf"
printf 'carol:x:1003:1003::/home/x\377y:/bin/bash\n' >>"$R/etc/passwd"
printf 'carol:!:19000:0:99999:7:::\n' >>"$R/etc/shadow"
carol="$R/home/$(printf 'x\377y')"
mkdir -p "$carol/.ssh"
cp "$KEYS/user_key.pub" "$carol/.ssh/authorized_keys"
chown -R 1003:1003 "$carol"
chmod 0777 "$carol" "$carol/.ssh"
tree "$R" >"$T/t0"
run --root "$R" --apply
check "hostile names: apply exits 0" [ "$RC" -eq 0 ]
check "hostile names: no raw bytes in the output" clean_output
meta=$(tar -xOf "$R"/var/lib/sshfix/snapshots/*.tar sshfix-meta 2>/dev/null)
check "hostile names: the drop-in's newline is data in the meta" sh -c "
    printf '%s\n' \"\$1\" | grep -qF 'sshd_config.d/10-x\\nfinding forged.conf' &&
    ! printf '%s\n' \"\$1\" | grep -aq '^finding forged'" - "$meta"
check "hostile names: the home not UTF-8 is in the meta, encoded" sh -c "
    printf '%s\n' \"\$1\" | grep -qF 'path meta /home/x\\377y'" - "$meta"
run --root "$R" --rollback
check "hostile names: rollback exits 0" [ "$RC" -eq 0 ]
tree "$R" >"$T/t1"
check "hostile names: rollback restores every byte" cmp -s "$T/t0" "$T/t1"

# 8. A failure after the changes (here the after-manifest hits a full
# disk) undoes the apply: exit 3, state "restored", the tree as before;
# never exit 2 ("nothing changed") over a changed tree (defect 7).
full_disk_case() {
	R="$T/full"; mkroot "$R"
	i=0
	while [ $i -lt 90 ]; do
		i=$((i + 1))
		printf 'u%d:x:%d:%d::/home/u%d:/bin/bash\n' $i $((2000 + i)) \
		    $((2000 + i)) $i >>"$R/etc/passwd"
		printf 'u%d:!:19000:0:99999:7:::\n' $i >>"$R/etc/shadow"
		mkdir -p "$R/home/u$i/.ssh"
		cp "$KEYS/user_key.pub" "$R/home/u$i/.ssh/authorized_keys"
		chown -R $((2000 + i)):$((2000 + i)) "$R/home/u$i"
		chmod 0777 "$R/home/u$i"
	done
	cp -a "$R" "$T/full-probe"
	# Measure what the snapshot needs before the changes, on a copy.
	mkdir -m 0700 "$T/probe"
	"$SSHFIX" --root "$T/full-probe" --apply --snapshot-dir "$T/probe" \
	    >/dev/null 2>&1
	pages=0
	for f in "$T"/probe/*.tar "$T"/probe/*.before.mtree "$T"/probe/*.seal \
	    "$T"/probe/*.state; do
		[ -f "$f" ] && pages=$((pages + ($(stat -c %s "$f") + 4095) / 4096))
	done
	after=$(( ($(stat -c %s "$T"/probe/*.after.mtree) + 4095) / 4096 ))
	[ "$after" -ge 2 ] || { skip_line "full disk" "after-manifest fits a page"; return; }
	mkdir -m 0700 "$T/small"
	tree "$R" >"$T/t0"
	unshare -m sh -c "mount -t tmpfs -o size=$(((pages + 1) * 4))k,mode=0700 \
	    none '$T/small' && '$SSHFIX' --root '$R' --apply --json \
	    --snapshot-dir '$T/small' >'$T/out' 2>'$T/err'; echo \$? >'$T/rc';
	    cat '$T'/small/*.state >'$T/state' 2>/dev/null; true"
	RC=$(cat "$T/rc") OUT=$(cat "$T/out")
	tree "$R" >"$T/t1"
	check "full disk after the changes: exit 3 (restored), not 2" [ "$RC" -eq 3 ]
	check "full disk after the changes: the tree as before" \
	    cmp -s "$T/t0" "$T/t1"
	check "full disk after the changes: result and state say restored" sh -c "
	    grep -q '\"result\":\"restored\"' '$T/out' &&
	    [ \"\$(cat '$T/state')\" = restored ]"
}
if unshare -m true 2>/dev/null; then
	full_disk_case
else
	skip_line "full disk" "mount namespaces refused here"
fi
