/*
 * Mount attributes, for a mount namespace of sshfix's own: the sandbox's
 * (src/os/sandbox_mounts.c) and sshfix's own view of a rescue disk.
 * mount_setattr (Linux 5.12) where the kernel has it, the old remount
 * one mount at a time before.
 */
#ifndef SSHFIX_MOUNTS_H
#define SSHFIX_MOUNTS_H

/* MOUNT_ATTR_*: not in every libc's headers yet. */
#define MNT_RDONLY	0x1ULL
#define MNT_NOSUID	0x2ULL
#define MNT_NODEV	0x4ULL
#define MNT_NOEXEC	0x8ULL

/* ATTR added to the one mount whose root FD is. 0, or -1 (errno). */
int	mounts_set(int fd, unsigned long long attr);
/*
 * ATTR added to the mount whose root FD is (at ROOT, canonical) and to
 * every mount under it. The flags each already has are kept.
 */
int	mounts_set_tree(const char *root, int fd, unsigned long long attr);

/*
 * Device nodes under ROOTDIR inert for this process from now on: in a
 * mount namespace of its own, ROOTDIR (bound onto itself) and every
 * mount under it nodev. A device node an attacker put in place of a
 * file then fails to open (EACCES), whatever the path: opening one acts
 * (a watchdog starts, a tape rewinds). The disk's own mounts, seen from
 * the machine, stay as they are. 0, or -1 (errno) with nothing changed
 * that matters: a root that is not this system's should be reopened by
 * the caller after a 0.
 */
int	mounts_inert_devices(const char *rootdir);

/*
 * What to say on EROFS: "the filesystem is read-only; remount it
 * read-write first: mount -o remount,rw MP", MP the mount point that
 * holds the directory open on FD (the root sshfix works on: / on the
 * running system, /mnt for a rescue disk mounted there). Static storage.
 */
const char *mounts_ro_advice(int fd);

#endif
