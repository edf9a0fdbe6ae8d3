/*
 * Path resolution inside a target root, for a program running as root in
 * directories that users control.
 *
 * MUST: every path is resolved from the root's directory fd one component
 * at a time with O_NOFOLLOW. A symlink is followed only when root owns it
 * and every directory the walk has passed through, the one holding the
 * link included, is writable by root alone (owned by root, no group or
 * other write bit: a user who can write the directory can rename a
 * root-owned link into place). It is followed inside the root: an
 * absolute target restarts at the root fd, ".." never climbs above it.
 * Any other symlink fails with ELOOP. Callers act on the returned fd and
 * never open the same path again by name.
 */
#ifndef SSHFIX_SAFEFS_H
#define SSHFIX_SAFEFS_H

#include <stddef.h>
#include <sys/stat.h>

/*
 * Open PATH (absolute inside the root, or relative to it) with FLAGS
 * (O_RDONLY, O_DIRECTORY, O_PATH ...). O_NOFOLLOW and O_CLOEXEC are
 * always added, and O_NONBLOCK unless O_PATH. On success returns the fd
 * and fills *st from fstat. Returns -1 with errno set: ENOENT, ELOOP (a
 * symlink not owned by root), EACCES, ENOTDIR, ENAMETOOLONG ... and
 * ENXIO for a FIFO, socket or device, which is never opened (a FIFO
 * blocks, a device acts): only O_PATH reaches one, to judge it. With
 * O_PATH too a leaf symlink is followed by these rules (a stat(2),
 * never the link itself: use sfs_lstat for that).
 */
int	sfs_open(int rootfd, const char *path, int flags, struct stat *st);

/*
 * Resolve the parent directory of PATH and return an fd for it;
 * *leaf points into PATH at the final component. lstat-like queries use
 * fstatat(fd, leaf, AT_SYMLINK_NOFOLLOW) on the result.
 */
int	sfs_open_parent(int rootfd, const char *path, const char **leaf);

/* lstat(2) of PATH inside the root; the leaf itself is never followed. */
int	sfs_lstat(int rootfd, const char *path, struct stat *st);
/*
 * stat(2) of PATH inside the root: links followed by sfs_open's rules
 * (root's only). ST may be NULL (does it exist?). errno as sfs_open.
 */
int	sfs_stat(int rootfd, const char *path, struct stat *st);

/*
 * Read a whole regular file into a NUL-terminated buffer. Files larger
 * than MAX bytes fail with EFBIG (on st_size, before reading); a
 * directory with EINVAL; a FIFO, socket or device with ENXIO.
 */
int	sfs_read_file(int rootfd, const char *path, size_t max, char **data,
	    size_t *len, struct stat *st);

/*
 * The regular files of directory DFD (never through a symlink) whose
 * name and stat WANT accepts, newest first (mtime), at most MAX. Read
 * through a descriptor of its own: DFD's offset is left alone. Each
 * name is the caller's to free, and the array.
 */
struct sfs_file {
	char		*name;
	struct timespec	 mtime;
};
/* Newest first, for qsort of struct sfs_file (or a struct that begins
   with one). */
int	sfs_file_cmp(const void *, const void *);
size_t	sfs_list(int dfd, int (*want)(const char *, const struct stat *,
	    const void *), const void *arg, size_t max, struct sfs_file **out);

/* Read from an already opened regular file. */
int	sfs_read_fd(int fd, size_t max, char **data, size_t *len);

/*
 * Open PATH as a user would (sshd opens authorized keys as the user):
 * every symlink followed, but inside the root (openat2 RESOLVE_IN_ROOT:
 * an absolute link restarts at ROOTFD, ".." stops there; no magic links),
 * with the user's UID, GID and GROUPS for the kernel's permission checks
 * (setfsuid, setfsgid, setgroups; put back before it returns). Only a
 * regular file is opened for reading (O_NONBLOCK | O_NOCTTY, and the same
 * inode the O_PATH open found); anything else fails with ENXIO. *REAL:
 * the file's path inside the root (malloc'd), or NULL when the kernel's
 * name for it does not lie under the root's (a bind mount): the caller
 * cannot judge its directories. Implemented in src/safefs_as.c.
 */
struct sfs_cred {
	uid_t		 uid;
	gid_t		 gid;
	const gid_t	*groups;
	size_t		 ngroups;
};
int	sfs_open_as(int rootfd, const char *path, const struct sfs_cred *,
	    struct stat *st, char **real);

#endif
