# selinux-label: the labels of the files sshd reads, judged against the
# target's own policy (file_contexts asked of libselinux, in the sandbox).
# The policy here is lines taken verbatim from Debian 12's
# selinux-policy-default as semodule builds it (tests/integration/selinux/);
# labels are security.selinux xattrs, which the kernel stores without
# SELinux. The judge of record: setfiles -n -v, run on the same root where
# policycoreutils is installed (see the last check).
. "$SSHFIX_TOP/tests/integration/lib.sh"

FC="$SSHFIX_TOP/tests/integration/selinux"
# label PATH CONTEXT: the xattr as the kernel would keep it.
label() {
	python3 -c 'import os, sys
os.setxattr(sys.argv[1], "security.selinux", sys.argv[2].encode() + b"\0",
    follow_symlinks=False)' "$1" "$2"
}
# selroot DIR MODE [OS]: a root (RHEL's unless OS) with SELinux MODE at
# boot, its policy's file_contexts, and every file sshd reads labelled as
# the policy says.
selroot() {
	mkroot "$1" "${3:-rhel}"
	d="$1/etc/selinux/default/contexts/files"
	mkdir -p "$d"
	cp "$FC/file_contexts" "$FC/file_contexts.homedirs" "$d/"
	printf 'SELINUX=%s\nSELINUXTYPE=default\n' "$2" >"$1/etc/selinux/config"
	label "$1/home/alice" unconfined_u:object_r:user_home_dir_t:s0
	label "$1/root" unconfined_u:object_r:user_home_dir_t:s0
	for f in "$1/home/alice/.ssh" "$1/home/alice/.ssh/authorized_keys" \
	    "$1/root/.ssh" "$1/root/.ssh/authorized_keys"; do
		[ ! -e "$f" ] || label "$f" unconfined_u:object_r:ssh_home_t:s0
	done
	label "$1/etc/ssh/sshd_config" system_u:object_r:etc_t:s0
	for f in "$1"/etc/ssh/ssh_host_*; do
		label "$f" system_u:object_r:sshd_key_t:s0
	done
}

if ! python3 -c 'import os' 2>/dev/null; then
	skip_line "selinux-label" "no python3 to set labels (make deps)"
	exit 0
fi
R="$T/probe"; mkdir -p "$R"; : >"$R/f"
if ! label "$R/f" system_u:object_r:etc_t:s0 2>/dev/null; then
	skip_line "selinux-label" "this file system keeps no security.* xattrs"
	exit 0
fi

# Control: enforcing, every label right.
R="$T/ok"; selroot "$R" enforcing
diagnose "$R" --user alice
check "enforcing, labels right: no finding" no_ids
check "enforcing, labels right: exit 0" [ "$RC" -eq 0 ]
check "a dry run changes nothing" [ "$UNCHANGED" -eq 0 ]
NOLIB=
if printf '%s' "$OUT" | grep -q '"id":"selinux-label"'; then NOLIB=1; fi

# authorized_keys moved from /tmp: user_tmp_t.
label "$R/home/alice/.ssh/authorized_keys" \
    unconfined_u:object_r:user_tmp_t:s0
diagnose "$R" --user alice
check "authorized_keys user_tmp_t: selinux-label" has_id selinux-label
check "authorized_keys user_tmp_t: an error while enforcing" out_has \
    '"id":"selinux-label","severity":"error","subject":"/home/alice/.ssh/authorized_keys"'
check "authorized_keys user_tmp_t: the policy's label named" out_has \
    'the policy gives it ssh_home_t'
check "authorized_keys user_tmp_t: sshd's line" out_has \
    "Could not open user 'alice' authorized keys '/home/alice/.ssh/authorized_keys': Permission denied"
check "authorized_keys user_tmp_t: alice refused" out_has \
    '"name":"alice","uid":1000,"verdict":"refused"'
check "authorized_keys user_tmp_t: exit 1" [ "$RC" -eq 1 ]
check "a dry run changes nothing" [ "$UNCHANGED" -eq 0 ]
run --root "$R" --user alice
check "the repair: the label set, the rest of it kept" out_reads \
    "SELinux label unconfined_u:object_r:user_tmp_t:s0 -> unconfined_u:object_r:ssh_home_t:s0 /home/alice/.ssh/authorized_keys"
check "never: disable SELinux" sh -c "! printf '%s' \"\$1\" |
    grep -qi 'setenforce 0\|SELINUX=disabled\|SELINUX=permissive'" _ "$OUT"

# --apply sets the policy's type through the fd, the rest of the label
# kept; --rollback puts the old label back, exactly.
getlabel() {
	python3 -c 'import os, sys
try:
    print(os.getxattr(sys.argv[1], "security.selinux",
        follow_symlinks=False).decode().rstrip("\0"))
except OSError:
    print("none")' "$1"
}
AK="$R/home/alice/.ssh/authorized_keys"
run --root "$R" --user alice --json
jscheck "the plan's JSON: the schema accepts relabel" \
    'f["selinux-label"]["actions"][0]["type"] == "relabel"'
check "the plan: relabel, from and to" out_has \
    '"type":"relabel","path":"/home/alice/.ssh/authorized_keys","from":"unconfined_u:object_r:user_tmp_t:s0","to":"unconfined_u:object_r:ssh_home_t:s0"'
run --root "$R" --user alice --apply
check "--apply exits 0" [ "$RC" -eq 0 ]
check "--apply: authorized_keys labelled ssh_home_t" [ "$(getlabel "$AK")" = \
    unconfined_u:object_r:ssh_home_t:s0 ]
diagnose "$R" --user alice
check "after --apply: no finding" no_ids
run --root "$R" --rollback
check "--rollback exits 0" [ "$RC" -eq 0 ]
check "--rollback: the old label back" [ "$(getlabel "$AK")" = \
    unconfined_u:object_r:user_tmp_t:s0 ]
# A directory with no label at all: the policy's whole context, and
# --rollback removes it again.
python3 -c 'import os, sys; os.removexattr(sys.argv[1], "security.selinux")' \
    "$R/home/alice/.ssh"
run --root "$R" --user alice --apply
check "unlabelled ~/.ssh: --apply labels it" [ "$(getlabel \
    "$R/home/alice/.ssh")" = unconfined_u:object_r:ssh_home_t:s0 ]
run --root "$R" --rollback
check "unlabelled ~/.ssh: --rollback leaves it without a label" \
    [ "$(getlabel "$R/home/alice/.ssh")" = none ]
check "and authorized_keys back at user_tmp_t" [ "$(getlabel "$AK")" = \
    unconfined_u:object_r:user_tmp_t:s0 ]
label "$R/home/alice/.ssh" unconfined_u:object_r:ssh_home_t:s0

# Permissive: a warning, nothing is denied yet.
sed -i 's/^SELINUX=.*/SELINUX=permissive/' "$R/etc/selinux/config"
diagnose "$R" --user alice
check "permissive, user_tmp_t: a warning" out_has \
    '"id":"selinux-label","severity":"warning"'
check "permissive: alice still gets in" out_has \
    '"name":"alice","uid":1000,"verdict":"ok"'

# Disabled, or no config at all: labels do not matter.
sed -i 's/^SELINUX=.*/SELINUX=disabled/' "$R/etc/selinux/config"
diagnose "$R" --user alice
check "SELinux disabled, wrong label: no finding" no_ids
rm "$R/etc/selinux/config"
diagnose "$R" --user alice
check "no /etc/selinux/config: no finding" no_ids

# Debian and Ubuntu start AppArmor: /etc/selinux/config alone (which
# installing policycoreutils writes) does not turn SELinux on; the kernel
# command line selinux-activate writes does.
R="$T/debian"; selroot "$R" enforcing debian
label "$R/home/alice/.ssh/authorized_keys" \
    unconfined_u:object_r:user_tmp_t:s0
diagnose "$R" --user alice
check "debian, config enforcing, no security=selinux: no finding" no_ids
printf 'GRUB_CMDLINE_LINUX="quiet security=selinux"\n' \
    >"$R/etc/default/grub"
diagnose "$R" --user alice
check "debian, security=selinux on the command line: selinux-label" \
    has_id selinux-label
# update-grub reads /etc/default/grub.d/*.cfg after /etc/default/grub
# (cloud images keep their command line there).
printf 'GRUB_CMDLINE_LINUX=""\n' >"$R/etc/default/grub"
mkdir -p "$R/etc/default/grub.d"
printf 'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX security=selinux"\n' \
    >"$R/etc/default/grub.d/60-selinux.cfg"
diagnose "$R" --user alice
check "debian, security=selinux in a grub.d drop-in: selinux-label" \
    has_id selinux-label
rm -r "$R/etc/default/grub.d"
# lsm= (which overrides security=) naming selinux turns it on; one that
# does not name it leaves it off, even where the kernel starts it by
# itself.
printf 'GRUB_CMDLINE_LINUX_DEFAULT="quiet lsm=landlock,lockdown,yama,integrity,selinux,bpf"\n' \
    >"$R/etc/default/grub"
diagnose "$R" --user alice
check "debian, lsm= names selinux: selinux-label" has_id selinux-label
# The command line as sh leaves it: a later assignment replaces the
# value; a drop-in sets only its own variable.
printf 'GRUB_CMDLINE_LINUX="security=selinux"\nGRUB_CMDLINE_LINUX_DEFAULT="quiet lsm=landlock,yama"\n' \
    >"$R/etc/default/grub"
mkdir -p "$R/etc/default/grub.d"
printf 'GRUB_CMDLINE_LINUX_DEFAULT="console=tty1 console=ttyS0"\n' \
    >"$R/etc/default/grub.d/50-cloudimg-settings.cfg"
diagnose "$R" --user alice
check "debian, security=selinux kept, DEFAULT replaced: selinux-label" \
    has_id selinux-label
rm -r "$R/etc/default/grub.d"
# What sshfix cannot follow is "cannot tell", never "off": the file a
# symlink a user owns (the boot follows it), a command substitution.
mkdir -p "$R/srv"
printf 'GRUB_CMDLINE_LINUX="security=selinux"\n' >"$R/srv/grub"
rm "$R/etc/default/grub" && ln -s /srv/grub "$R/etc/default/grub" &&
    chown -h 1000:1000 "$R/etc/default/grub"
diagnose "$R" --user alice
check "debian, /etc/default/grub a symlink: cannot tell" out_has \
    'whether the boot starts SELinux: /etc/default/grub: a symlink'
check "debian, /etc/default/grub a symlink: not clean" [ "$RC" -ne 0 ]
rm "$R/etc/default/grub"
printf 'GRUB_CMDLINE_LINUX="$(cat /etc/kernel/cmdline)"\n' \
    >"$R/etc/default/grub"
diagnose "$R" --user alice
check "debian, a command substitution: cannot tell" out_has \
    'whether the boot starts SELinux: /etc/default/grub:1: a command substitution'
R="$T/rhellsm"; selroot "$R" enforcing
label "$R/home/alice/.ssh/authorized_keys" \
    unconfined_u:object_r:user_tmp_t:s0
# Kernels before 5.1 (RHEL 7's, 8's) ignore lsm=: not taken for "off".
printf 'GRUB_CMDLINE_LINUX="lsm=landlock,yama,bpf"\n' \
    >"$R/etc/default/grub"
diagnose "$R" --user alice
check "rhel, lsm= without selinux: still judged" has_id selinux-label
# Fedora's and RHEL's grub2-mkconfig do not read grub.d.
mkdir -p "$R/etc/default/grub.d"
printf 'GRUB_CMDLINE_LINUX="selinux=0"\n' >"$R/etc/default/grub.d/x.cfg"
diagnose "$R" --user alice
check "rhel, selinux=0 in grub.d (not read there): still judged" \
    has_id selinux-label
rm -r "$R/etc/default/grub.d"
# selinux=0 replaced by a later assignment, in a comment after the
# value, or followed by selinux=1 (the last wins): SELinux runs.
printf 'GRUB_CMDLINE_LINUX="selinux=0"\nGRUB_CMDLINE_LINUX="quiet"\n' \
    >"$R/etc/default/grub"
diagnose "$R" --user alice
check "rhel, selinux=0 replaced by a later line: selinux-label" \
    has_id selinux-label
printf 'GRUB_CMDLINE_LINUX="quiet" # was selinux=0\n' >"$R/etc/default/grub"
diagnose "$R" --user alice
check "rhel, selinux=0 in a comment: selinux-label" has_id selinux-label
printf 'GRUB_CMDLINE_LINUX="selinux=0"\nGRUB_CMDLINE_LINUX_DEFAULT="selinux=1"\n' \
    >"$R/etc/default/grub"
diagnose "$R" --user alice
check "rhel, selinux=0 then selinux=1: selinux-label" has_id selinux-label
printf 'GRUB_CMDLINE_LINUX="selinux=0"\n' >"$R/etc/default/grub"
R="$T/rhel0"; selroot "$R" enforcing
label "$R/home/alice/.ssh/authorized_keys" \
    unconfined_u:object_r:user_tmp_t:s0
printf 'GRUB_CMDLINE_LINUX="crashkernel=auto selinux=0"\n' \
    >"$R/etc/default/grub"
diagnose "$R" --user alice
check "rhel, selinux=0 on the command line: no finding" no_ids
# Permissive with no policy installed boots without SELinux.
R="$T/nopolicy"; selroot "$R" permissive
label "$R/home/alice/.ssh/authorized_keys" \
    unconfined_u:object_r:user_tmp_t:s0
rm -r "$R/etc/selinux/default"
diagnose "$R" --user alice
check "permissive, no policy installed: no finding" no_ids
sed -i 's/^SELINUX=.*/SELINUX=enforcing/' "$R/etc/selinux/config"
diagnose "$R" --user alice
check "enforcing, no policy installed: cannot tell" out_has \
    'SELINUX=enforcing and no policy default'

# ~/.ssh without any label (made by a tool that does not label).
R="$T/nolabel"; selroot "$R" enforcing
python3 -c 'import os, sys; os.removexattr(sys.argv[1], "security.selinux")' \
    "$R/home/alice/.ssh"
diagnose "$R" --user alice
check "alice's .ssh unlabelled: selinux-label" out_has \
    '"subject":"/home/alice/.ssh"'
check "alice's .ssh unlabelled: said as nothing" out_has \
    'is labelled nothing; the policy gives it ssh_home_t'

# A host key default_t: sshd is denied it; an error about no one account.
R="$T/hostkey"; selroot "$R" enforcing
label "$R/etc/ssh/ssh_host_ed25519_key" system_u:object_r:default_t:s0
diagnose "$R" --user alice
check "host key default_t: selinux-label" out_has \
    '"subject":"/etc/ssh/ssh_host_ed25519_key"'
check "host key default_t: nobody gets in once fixed" out_has \
    '"accounts_once_fixed":true'

# sshfix itself in a directory the sandbox's uid cannot enter (built in
# /root, or a clone in a 0700 mktemp directory, as CI's): its helper runs
# all the same (the sandbox executes it through an fd).
mkdir -m 0700 "$T/private"
cp "$SSHFIX" "$T/private/sshfix"
R="$T/private-run"; selroot "$R" enforcing
label "$R/home/alice/.ssh/authorized_keys" \
    unconfined_u:object_r:user_tmp_t:s0
"$T/private/sshfix" --root "$R" --json --user alice >"$T/out" 2>"$T/err"
OUT=$(cat "$T/out")
check "sshfix in a 0700 directory: the label is judged" out_has \
    '"id":"selinux-label","severity":"error","subject":"/home/alice/.ssh/authorized_keys"'

# sshfix run chrooted into a tree bound over itself, as check-fresh runs
# the README's commands: readlink of /proc/self/exe names the binary as
# seen from outside the chroot; the helper is opened through the link.
mkdir "$T/c"
unshare -m sh -c 'mount --make-rprivate / && mount --rbind / "$1" &&
    mount -t proc proc "$1/proc" &&
    chroot "$1" "$2" --root "$3" --json --user alice' _ "$T/c" "$SSHFIX" \
    "$R" >"$T/out" 2>"$T/err"
OUT=$(cat "$T/out")
check "sshfix chrooted: the label is judged" out_has \
    '"id":"selinux-label","severity":"error","subject":"/home/alice/.ssh/authorized_keys"'

# What sshfix cannot judge is said, never clean: no file_contexts, a
# policy name that is not one, a FIFO, a file past the budget.
R="$T/nofc"; selroot "$R" enforcing
rm "$R/etc/selinux/default/contexts/files/file_contexts"
diagnose "$R" --user alice
check "no file_contexts: a warning, cannot tell" out_has \
    'cannot tell whether the labels of the files sshd reads are right'
check "no file_contexts: not exit 0" [ "$RC" -ne 0 ]
R="$T/badtype"; selroot "$R" enforcing
printf 'SELINUX=enforcing\nSELINUXTYPE=../../../tmp\n' >"$R/etc/selinux/config"
diagnose "$R" --user alice
check "SELINUXTYPE=../../../tmp: cannot tell, not a policy name" out_has \
    'is not a policy name'
R="$T/fifo"; selroot "$R" enforcing
rm "$R/etc/selinux/default/contexts/files/file_contexts"
mkfifo "$R/etc/selinux/default/contexts/files/file_contexts"
diagnose "$R" --user alice
check "file_contexts a FIFO: cannot tell, and no hang" out_has \
    'cannot tell whether the labels'
R="$T/big"; selroot "$R" enforcing
truncate -s 1T "$R/etc/selinux/default/contexts/files/file_contexts.local"
run --root "$R" --json --user alice
check "file_contexts.local sparse 1 TB: cannot tell, larger than sshfix reads" \
    out_has 'larger than sshfix reads'
# A file_contexts libselinux will not load.
R="$T/garbage"; selroot "$R" enforcing
printf 'bad line here x y z\n' \
    >"$R/etc/selinux/default/contexts/files/file_contexts"
diagnose "$R" --user alice
check "garbage file_contexts: cannot tell, would not load" out_has \
    'file_contexts would not load'
# A regular expression made to backtrack: the helper's CPU and deadline.
R="$T/redos"; selroot "$R" enforcing
printf '/home/(a|a?)+b\tsystem_u:object_r:etc_t:s0\n' \
    >>"$R/etc/selinux/default/contexts/files/file_contexts.homedirs"
start=$(date +%s)
diagnose "$R" --user alice
check "a backtracking pattern: the run ends within 30 s" \
    [ $(($(date +%s) - start)) -lt 30 ]

# The same on an ext4 image through a loop device, as on a rescue
# machine: the labels are the file system's own xattrs.
if command -v mkfs.ext4 >/dev/null 2>&1 &&
    truncate -s 64M "$T/disk.img" && mkfs.ext4 -q -F "$T/disk.img" &&
    mkdir "$T/disk" && mount -o loop "$T/disk.img" "$T/disk" 2>/dev/null; then
	R="$T/disk/root"; selroot "$R" enforcing
	diagnose "$R" --user alice
	check "ext4 image, labels right: no finding" no_ids
	label "$R/home/alice/.ssh/authorized_keys" \
	    system_u:object_r:default_t:s0
	diagnose "$R" --user alice
	check "ext4 image, authorized_keys default_t: selinux-label" out_has \
	    '"id":"selinux-label","severity":"error","subject":"/home/alice/.ssh/authorized_keys"'
	umount "$T/disk"
else
	skip_line "ext4 image: labels judged" "no loop device or mkfs.ext4 here"
	skip_line "ext4 image: a wrong label found" "no loop device or mkfs.ext4 here"
fi

# The oracle: setfiles -n -v from policycoreutils (where installed) names
# the same file for the same policy.
R="$T/oracle"; selroot "$R" enforcing
label "$R/home/alice/.ssh/authorized_keys" \
    unconfined_u:object_r:user_tmp_t:s0
if command -v setfiles >/dev/null 2>&1; then
	setfiles -n -v -r "$R" \
	    "$R/etc/selinux/default/contexts/files/file_contexts" \
	    "$R/home/alice/.ssh" >"$T/setfiles.out" 2>&1
	check "setfiles -n -v: relabels the same file" grep -q \
	    "authorized_keys from unconfined_u:object_r:user_tmp_t:s0 to unconfined_u:object_r:ssh_home_t:s0" \
	    "$T/setfiles.out"
else
	skip_line "setfiles -n -v names the same file" "no setfiles (policycoreutils)"
fi
: "$NOLIB"
