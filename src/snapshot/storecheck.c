/*
 * The files of the snapshot store: what each may be (its name, its
 * bound), judging them all, reading the directory, opening one to read,
 * and creating one and finishing it. Below every file of the module that
 * reads or writes the store (the seal, the writer, the reader); it uses
 * only the shared base and os/stop.c.
 *
 * MUST: the store may come from a disk an attacker wrote (--root over a
 * compromised server's disk), so no file of it is taken to be what its
 * name says. Every file named as a snapshot's is judged by lstat before
 * any is opened (a device node is never opened: opening one can act, a
 * watchdog's or a tape's), and again on the fd after an open with
 * O_NOFOLLOW|O_NONBLOCK (a FIFO never blocks the open): a regular file of
 * at most its kind's bound (SNAP_*_MAX), on st_size, before a byte of it
 * is read or hashed. Anything else refuses the store, with one line that
 * names the file, before anything is changed. A file sshfix writes is
 * created O_EXCL|O_NOFOLLOW 0600, and never kept larger than its bound.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot/snapshot_int.h"
#include "os/stop.h"
#include "mounts.h"
#include "util.h"

/* A snapshot's files, ID then SUFFIX (".ID" SUFFIX for a temp file). */
static const struct kind {
	const char	*suffix;
	int		 tmp;
	size_t		 max;
} kinds[] = {
	{ ".tar", 0, SNAP_ARCHIVE_MAX },
	{ ".before.mtree", 0, SNAP_MANIFEST_MAX },
	{ ".after.mtree", 0, SNAP_MANIFEST_MAX },
	{ ".seal", 0, SNAP_SEAL_MAX },
	{ ".state", 0, SNAP_STATE_MAX },
	{ ".state.tmp", 1, SNAP_STATE_MAX },
	{ ".seal.tmp", 1, SNAP_SEAL_MAX },
};

/* The kind of the store's file NAME, and its id's length; NULL if none. */
static const struct kind *
kind_of(const char *name, size_t *idlen)
{
	size_t i, n;
	int tmp = name[0] == '.';

	name += tmp;
	n = strcspn(name, ".");
	if (n == 0 || n >= 40 || strspn(name, "0123456789TZ-") != n)
		return NULL;
	for (i = 0; i < ARRAY_LEN(kinds); i++)
		if (kinds[i].tmp == tmp && strcmp(name + n,
		    kinds[i].suffix) == 0) {
			*idlen = n;
			return &kinds[i];
		}
	return NULL;
}

char *
snap_file_id(const char *name)
{
	size_t n;

	if (kind_of(name, &n) == NULL)
		return NULL;
	return xstrndup(name + (name[0] == '.'), n);
}

size_t
snap_file_max(const char *name)
{
	const struct kind *k;
	size_t n;

	return (k = kind_of(name, &n)) != NULL ? k->max : SIZE_MAX;
}

DIR *
snap_opendir(int sdfd)
{
	DIR *d;
	int fd = dup(sdfd);

	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		err_set("snapshot directory: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	rewinddir(d);
	return d;
}

int
snap_store_check(int sdfd, const char *where)
{
	struct dirent *de;
	struct stat st;
	char why[160], *path;
	size_t n;
	DIR *d;
	int r = 0;

	if ((d = snap_opendir(sdfd)) == NULL)
		return -1;
	while (r == 0 && (de = readdir(d)) != NULL) {
		const struct kind *k = kind_of(de->d_name, &n);

		if ((r = stop_reading()) == -1 || k == NULL)
			continue;
		if (fstatat(sdfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
			if (errno != ENOENT) {
				err_set("%s/%s: %s", where, de->d_name,
				    strerror(errno));
				r = -1;
			}
			continue;
		}
		if (file_refusal(&st, k->max, why, sizeof(why)) == -1) {
			path = xasprintf("%s/%s", where, de->d_name);
			r = err_refuse(path, why);
			free(path);
		}
	}
	closedir(d);
	return r;
}

/* ID.SUFFIX (NAME) is refused for WHY: -1, errno EUCLEAN. */
static int
refuse(const char *id, const char *name, const char *why)
{
	errno = EUCLEAN;	/* before err_set: err_io reads it */
	err_set("snapshot %s: %s: %s", id, name, why);
	return -1;
}

/* The bound of a snapshot's file ID.SUFFIX (0 for no kind of ours). */
static size_t
suffix_max(const char *suffix)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(kinds); i++)
		if (!kinds[i].tmp && strcmp(kinds[i].suffix + 1, suffix) == 0)
			return kinds[i].max;
	return 0;
}

int
snap_open(int sdfd, const char *id, const char *suffix)
{
	char name[96], why[160];
	struct stat st;
	size_t max = suffix_max(suffix);
	int fd;

	if (strchr(id, '/') != NULL || id[0] == '.' || strlen(id) >= 64) {
		err_set("snapshot %s: not a snapshot id", id);
		errno = EINVAL;
		return -1;
	}
	snprintf(name, sizeof(name), "%s.%s", id, suffix);
	/* Judged before the open too: a device node is never opened. */
	if (fstatat(sdfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    file_refusal(&st, max, why, sizeof(why)) == -1)
		return refuse(id, name, why);
	fd = openat(sdfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && strcmp(suffix, "tar") == 0) {
		/* The caller names ID: "rollback ID: no such snapshot" */
		err_set("no such snapshot (sshfix --list shows them)");
		errno = ENOENT;
		return -1;
	}
	if (fd == -1 || fstat(fd, &st) == -1) {
		err_set("snapshot %s: %s: %s", id, name, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (file_refusal(&st, max, why, sizeof(why)) == -1) {
		close(fd);
		return refuse(id, name, why);
	}
	return fd;
}

/* Create NAME in the snapshot directory: O_EXCL, no links, 0600. */
int
snap_create(int sdfd, const char *name)
{
	int fd = openat(sdfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);

	if (fd == -1)
		err_set("snapshot %s: %s", name, errno == EROFS ?
		    mounts_ro_advice(sdfd) : strerror(errno));
	return fd;
}

int
snap_finish(int sdfd, int fd, const char *name)
{
	struct stat st;
	char why[160];
	int e;

	if (fstat(fd, &st) == -1 || fsync(fd) == -1) {
		e = errno;
		close(fd);
		err_set("snapshot %s: %s", name, strerror(e));
		return -1;
	}
	if (close(fd) == -1) {
		err_set("snapshot %s: %s", name, strerror(errno));
		return -1;
	}
	/* A file the store check would refuse is never kept. */
	if (file_refusal(&st, snap_file_max(name), why, sizeof(why)) == -1) {
		err_set("snapshot %s: %s (too many paths for one snapshot)",
		    name, why);
		return -1;
	}
	if (fsync(sdfd) == -1) {
		err_set("snapshot directory: fsync: %s", strerror(errno));
		return -1;
	}
	return 0;
}
