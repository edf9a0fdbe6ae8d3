/*
 * sfs_open_as (safefs.h): a path opened the way the user's sshd would
 * open it, confined to the root. The kernel does the resolving and the
 * permission checks (openat2 with RESOLVE_IN_ROOT under the user's
 * filesystem credentials); sshfix only decides what it then reads: a
 * regular file, the inode it checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "safefs.h"
#include "util.h"

/* The most supplementary groups sshfix saves and puts back. */
#define SAVED_GROUPS	256

static int
open2(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned)flags | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* The path of FD as the kernel names it (/proc/self/fd), malloc'd. */
static char *
fd_path(int fd)
{
	char link[64], buf[PATH_MAX];
	ssize_t n;

	(void)snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, buf, sizeof(buf) - 1)) <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

/* FD's path inside the root open on ROOTFD, or NULL. */
static char *
inside(int rootfd, int fd)
{
	char *root = fd_path(rootfd), *file = fd_path(fd), *r = NULL;
	size_t n;

	if (root == NULL || file == NULL)
		goto out;
	n = strcmp(root, "/") == 0 ? 0 : strlen(root);
	if (strncmp(file, root, n) == 0 && file[n] == '/')
		r = xstrdup(file + n);
out:
	free(root);
	free(file);
	return r;
}

/* Open as the user: fsuid, fsgid and groups set, and put back. */
static int
open_as(int rootfd, const char *path, const struct sfs_cred *c,
    struct stat *st)
{
	gid_t saved[SAVED_GROUPS];
	struct stat rst;
	int n, fd = -1, rfd = -1, err;

	if ((n = getgroups(SAVED_GROUPS, saved)) == -1 ||
	    setgroups(c->ngroups, c->groups) == -1)
		return -1;
	(void)setfsgid(c->gid);
	(void)setfsuid(c->uid);
	if ((uid_t)setfsuid(c->uid) != c->uid ||
	    (gid_t)setfsgid(c->gid) != c->gid) {
		err = EPERM;
		goto out;
	}
	if ((fd = open2(rootfd, path, O_PATH)) == -1 || fstat(fd, st) == -1) {
		err = errno;
		goto out;
	}
	if (!S_ISREG(st->st_mode)) {
		err = S_ISDIR(st->st_mode) ? EISDIR : ENXIO;
		goto out;
	}
	rfd = open2(rootfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	err = errno;
	if (rfd != -1 && (fstat(rfd, &rst) == -1 || rst.st_ino != st->st_ino ||
	    rst.st_dev != st->st_dev)) {
		close(rfd);	/* replaced between the two opens */
		rfd = -1;
		err = EAGAIN;
	}
out:
	(void)setfsuid(0);
	(void)setfsgid(0);
	if (setgroups((size_t)n, saved) == -1)
		abort();	/* never go on with a user's groups */
	if (fd != -1)
		close(fd);
	errno = err;
	return rfd;
}

int
sfs_open_as(int rootfd, const char *path, const struct sfs_cred *c,
    struct stat *st, char **real)
{
	int fd;

	*real = NULL;
	if ((fd = open_as(rootfd, path, c, st)) == -1)
		return -1;
	*real = inside(rootfd, fd);
	return fd;
}
