/*
 * Mount attributes (include/mounts.h). Also run in the sandbox's child
 * between clone and execve, a copy of single-threaded sshfix: nothing
 * here keeps state.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mounts.h"
#include "shquote.h"

#ifndef STATX_MNT_ID
#define STATX_MNT_ID	0x00001000U
#endif

#ifndef __NR_mount_setattr
#define __NR_mount_setattr	442
#endif
#define MNT_AT_RECURSIVE	0x8000

struct mnt_attr {		/* struct mount_attr */
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

/* The flags of MS_REMOUNT that stand for ATTR, and those PATH has. */
static unsigned long
ms_flags(unsigned long long attr, const char *path)
{
	static const struct { unsigned long st, ms; } keep[] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	unsigned long f = ((attr & MNT_RDONLY) ? MS_RDONLY : 0) |
	    ((attr & MNT_NOSUID) ? MS_NOSUID : 0) |
	    ((attr & MNT_NODEV) ? MS_NODEV : 0) |
	    ((attr & MNT_NOEXEC) ? MS_NOEXEC : 0);
	struct statvfs sv;
	size_t i;

	/* A remount sets every flag: those it had are kept by hand. */
	if (statvfs(path, &sv) == 0)
		for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
			if (sv.f_flag & keep[i].st)
				f |= keep[i].ms;
	return f;
}

int
mounts_set(int fd, unsigned long long attr)
{
	struct mnt_attr ma = { .attr_set = attr };
	char fdpath[64];

	if (syscall(__NR_mount_setattr, fd, "", AT_EMPTY_PATH, &ma,
	    sizeof(ma)) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	/* Before Linux 5.12: the old remount, through the fd. */
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	return mount(NULL, fdpath, NULL, MS_BIND | MS_REMOUNT |
	    ms_flags(attr, fdpath), NULL);
}

/* mountinfo's octal escapes (\040 for a space) undone in place. */
static void
unescape(char *s)
{
	char *d = s;

	for (; *s != '\0'; s++, d++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else
			*d = *s;
	}
	*d = '\0';
}

/*
 * Before Linux 5.12: remount every mount at or under ROOT one by one,
 * as /proc/self/mountinfo lists them.
 */
static int
remount_each(const char *root, unsigned long long attr)
{
	size_t len = strcmp(root, "/") == 0 ? 0 : strlen(root);
	char line[4096], mp[4096];
	FILE *fp = fopen("/proc/self/mountinfo", "re");
	int r = 0;

	if (fp == NULL)
		return -1;
	while (r == 0 && fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			continue;
		unescape(mp);
		if (strncmp(mp, root, len) != 0 ||
		    (mp[len] != '\0' && mp[len] != '/'))
			continue;
		if (mount(NULL, mp, NULL, MS_BIND | MS_REMOUNT |
		    ms_flags(attr, mp), NULL) == -1 && errno != ENOENT)
			r = -1;
	}
	fclose(fp);
	return r;
}

int
mounts_set_tree(const char *root, int fd, unsigned long long attr)
{
	struct mnt_attr ma = { .attr_set = attr };

	if (syscall(__NR_mount_setattr, fd, "", AT_EMPTY_PATH |
	    MNT_AT_RECURSIVE, &ma, sizeof(ma)) == 0)
		return 0;
	return errno == ENOSYS ? remount_each(root, attr) : -1;
}

int
mounts_inert_devices(const char *rootdir)
{
	char root[PATH_MAX];
	int fd, r;

	if (realpath(rootdir, root) == NULL || strcmp(root, "/") == 0) {
		errno = EINVAL;
		return -1;
	}
	/* Not root (a test as a user): nothing to do, nothing done. */
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) == -1)
		return -1;
	if ((fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = mounts_set_tree(root, fd, MNT_NODEV);
	close(fd);
	return r;
}

/*
 * The mount of FD: its mount id where the kernel says (statx, Linux 5.8:
 * a bind mount is a mount of its own), else its device. -1: unknown.
 * *INO: its inode, to see "/" (whose ".." is itself).
 */
static long long
mount_of(int fd, unsigned long long *ino)
{
	struct statx sx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID | STATX_INO, &sx) == -1)
		return -1;
	*ino = sx.stx_ino;
	if (sx.stx_mask & STATX_MNT_ID)
		return (long long)sx.stx_mnt_id;
	return (long long)makedev(sx.stx_dev_major, sx.stx_dev_minor);
}

/*
 * The advice for a read-only file system under FD: remount the mount
 * that holds it, found by walking ".." from FD's own fd while the parent
 * is on the same mount (no path is resolved twice), and named by the
 * kernel (/proc/self/fd) once found.
 */
const char *
mounts_ro_advice(int fd)
{
	static char out[PATH_MAX + 128];
	char link[64], path[PATH_MAX];
	unsigned long long ino, upino;
	long long m;
	ssize_t n = -1;
	int cur, up;

	if ((cur = fcntl(fd, F_DUPFD_CLOEXEC, 0)) != -1 &&
	    (m = mount_of(cur, &ino)) != -1) {
		while ((up = openat(cur, "..", O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) != -1) {
			if (mount_of(up, &upino) != m || upino == ino) {
				close(up);
				break;
			}
			close(cur);
			cur = up;
			ino = upino;
		}
	}
	if (cur != -1) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", cur);
		n = readlink(link, path, sizeof(path) - 1);
		close(cur);
	}
	if (n <= 0 || (path[n] = '\0', path[0] != '/'))
		snprintf(path, sizeof(path), "/");
	snprintf(out, sizeof(out), "the filesystem is read-only; remount it "
	    "read-write first: mount -o remount,rw %s", sh_root(path));
	return out;
}
