/* One sshfix at a time per root: the lock under ROOT/var/lib/sshfix. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/lock.h"
#include "os/safewrite.h"
#include "safefs.h"
#include "mounts.h"
#include "util.h"

#define LOCK_PATH	"/var/lib/sshfix/lock"

/* The lock is no regular file (ST): refused, with what it is. Its size
 * does not count: it is never read. */
static int
refuse_lock(const struct stat *st)
{
	char why[160];

	(void)file_refusal(st, ULLONG_MAX, why, sizeof(why));
	return err_refuse(LOCK_PATH, why);
}

int
lock_root(int rootfd)
{
	struct stat st;
	const char *leaf;
	int dfd, fd;

	if (sfw_mkdir_p(rootfd, "/var/lib/sshfix", 0755) == -1) {
		if (errno == EROFS)
			err_set("/var/lib/sshfix: %s", mounts_ro_advice(rootfd));
		return -1;
	}
	if ((dfd = sfs_open_parent(rootfd, LOCK_PATH, &leaf)) == -1) {
		err_set("/var/lib/sshfix: %s", strerror(errno));
		return -1;
	}
	/* Judged before the open too: a FIFO or device is never opened. */
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(st.st_mode)) {
		close(dfd);
		return refuse_lock(&st);
	}
	fd = openat(dfd, leaf, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0600);
	close(dfd);
	if (fd == -1 || fstat(fd, &st) == -1) {
		err_set(LOCK_PATH ": %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return refuse_lock(&st);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		err_set("another sshfix is running on this root (%s)",
		    errno == EWOULDBLOCK ? LOCK_PATH " is held" :
		    strerror(errno));
		close(fd);
		return -1;
	}
	/* A crash while the root id was written left its temp file. */
	if (sfw_remove_temps(rootfd, "/var/lib/sshfix", ROOTID_TAG) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
lock_busy(int rootfd)
{
	struct stat st;
	int fd, busy = 0;

	/* Judged before the open too: a FIFO or device is never opened. */
	if (sfs_lstat(rootfd, LOCK_PATH, &st) == -1)
		return 0;
	if (!S_ISREG(st.st_mode))
		return refuse_lock(&st);
	fd = sfs_open(rootfd, LOCK_PATH, O_RDONLY | O_NONBLOCK, &st);
	if (fd == -1)
		return 0;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return refuse_lock(&st);
	}
	if (flock(fd, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK)
		busy = 1;
	close(fd);
	return busy;
}
