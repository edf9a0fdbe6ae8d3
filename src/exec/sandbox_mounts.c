/*
 * The sandbox's mounts (include/sandbox_int.h), in its child between
 * clone and execve: system calls only.
 *
 * MUST: the root and every mount under it read-only before anything is
 * mounted over it; every directory mounted over opened without
 * following a symlink (the root is the target's).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sandbox_int.h"
#include "util.h"

/* Not in every libc's headers yet: the kernel's number and flags. */
#ifndef __NR_mount_setattr
#define __NR_mount_setattr	442
#endif
#define SBX_AT_RECURSIVE	0x8000
#define SBX_ATTR_RDONLY		0x1
#define SBX_ATTR_NOSUID		0x2
#define SBX_ATTR_NODEV		0x4
#define SBX_ATTR_NOEXEC		0x8

struct sbx_mount_attr {		/* struct mount_attr */
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

/* The flags of MS_REMOUNT that stand for ATTR. */
static unsigned long
ms_flags(unsigned long long attr)
{
	return ((attr & SBX_ATTR_RDONLY) ? MS_RDONLY : 0) |
	    ((attr & SBX_ATTR_NOSUID) ? MS_NOSUID : 0) |
	    ((attr & SBX_ATTR_NODEV) ? MS_NODEV : 0) |
	    ((attr & SBX_ATTR_NOEXEC) ? MS_NOEXEC : 0);
}

/* ATTR on the one mount at FD (a mount's root). */
static int
remount_fd(int fd, unsigned long long attr)
{
	struct sbx_mount_attr ma = { .attr_set = attr };
	char fdpath[64];

	if (syscall(__NR_mount_setattr, fd, "", AT_EMPTY_PATH, &ma,
	    sizeof(ma)) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	/* Before Linux 5.12: the old remount, through the fd. */
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	return mount(NULL, fdpath, NULL, MS_BIND | MS_REMOUNT | ms_flags(attr),
	    NULL);
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
 * Before Linux 5.12: remount every mount at or under ROOT (canonical)
 * one by one, as /proc/self/mountinfo lists them.
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
		    ms_flags(attr), NULL) == -1 && errno != ENOENT)
			r = -1;
	}
	fclose(fp);
	return r;
}

/* ATTR on the mount at FD (ROOT's) and on every mount under it. */
static int
remount_tree(const char *root, int fd, unsigned long long attr)
{
	struct sbx_mount_attr ma = { .attr_set = attr };

	if (syscall(__NR_mount_setattr, fd, "", AT_EMPTY_PATH |
	    SBX_AT_RECURSIVE, &ma, sizeof(ma)) == 0)
		return 0;
	return errno == ENOSYS ? remount_each(root, attr) : -1;
}

/*
 * Mount SRC (NULL: an empty tmpfs) over ROOTFD's directory NAME, never
 * through a symlink; returns an O_PATH fd of the new mount.
 */
static int
mount_over(int rootfd, const char *name, const char *src)
{
	char fdpath[64];
	int fd, r;

	fd = openat(rootfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return -1;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	r = src ? mount(src, fdpath, NULL, MS_BIND, NULL) :
	    mount("tmpfs", fdpath, "tmpfs", MS_NOSUID | MS_NOEXEC,
	    "mode=0755,size=64k");
	close(fd);
	if (r == -1)
		return -1;
	/* The lookup now ends on the mount on top. */
	return openat(rootfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

/* Its /dev (a tmpfs at FD): null, and stdin and the like as links. */
static int
make_dev(int fd)
{
	static const char *const link[][2] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
	};
	size_t i;
	int r;

	umask(0);	/* null is 0666 whatever sshfix's umask is */
	r = mknodat(fd, "null", S_IFCHR | 0666, makedev(1, 3));
	umask(077);
	for (i = 0; r == 0 && i < ARRAY_LEN(link); i++)
		r = symlinkat(link[i][0], fd, link[i][1]);
	if (r == 0)
		r = remount_fd(fd, SBX_ATTR_RDONLY | SBX_ATTR_NOSUID |
		    SBX_ATTR_NOEXEC);
	return r;
}

/*
 * A proc of its own pid namespace over ROOT/proc, where the root has
 * that directory: not the rescue machine's processes.
 */
static int
own_proc(int rootfd)
{
	char fdpath[64];
	int fd, r;

	fd = openat(rootfd, "proc", O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ?
		    0 : -1;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	r = mount("proc", fdpath, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC |
	    MS_RDONLY, NULL);
	close(fd);
	return r;
}

/*
 * Private mounts; ROOT (bound onto itself unless it is /, so that it is
 * a mount of its own) and every mount under it read-only, nosuid,
 * nodev; then over its /tmp the host directory TMP (or an empty tmpfs),
 * over its /dev a tmpfs holding only null, both read-only, and over its
 * /proc one of its own.
 */
int
sandbox_mounts(const char *root, const char *tmp)
{
	const unsigned long long ro = SBX_ATTR_RDONLY | SBX_ATTR_NOSUID |
	    SBX_ATTR_NODEV;
	int rootfd, fd, r;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    (strcmp(root, "/") != 0 &&
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) == -1))
		return -1;
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd == -1 || remount_tree(root, rootfd, ro) == -1)
		return -1;
	if ((fd = mount_over(rootfd, "tmp", tmp)) == -1 ||
	    remount_fd(fd, ro | SBX_ATTR_NOEXEC) == -1)
		return -1;
	close(fd);
	if ((fd = mount_over(rootfd, "dev", NULL)) == -1 || make_dev(fd) == -1)
		return -1;
	close(fd);
	r = own_proc(rootfd);
	close(rootfd);
	return r;
}
