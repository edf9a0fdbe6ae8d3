/*
 * The sandbox's mounts (include/os/sandbox_int.h), in its child between
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
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mounts.h"
#include "os/sandbox_int.h"
#include "util.h"

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
		r = mounts_set(fd, MNT_RDONLY | MNT_NOSUID |
		    MNT_NOEXEC);
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
	const unsigned long long ro = MNT_RDONLY | MNT_NOSUID |
	    MNT_NODEV;
	int rootfd, fd, r;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    (strcmp(root, "/") != 0 &&
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) == -1))
		return -1;
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd == -1 || mounts_set_tree(root, rootfd, ro) == -1)
		return -1;
	if ((fd = mount_over(rootfd, "tmp", tmp)) == -1 ||
	    mounts_set(fd, ro | MNT_NOEXEC) == -1)
		return -1;
	close(fd);
	if ((fd = mount_over(rootfd, "dev", NULL)) == -1 || make_dev(fd) == -1)
		return -1;
	close(fd);
	r = own_proc(rootfd);
	close(rootfd);
	return r;
}
