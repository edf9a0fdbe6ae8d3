/*
 * MUST rules: see safewrite.h. Helpers return 0/-1 with err_set() naming
 * the path; nothing here prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "safefs.h"
#include "os/safewrite.h"
#include "util.h"

/* sshfix's own refusal: the reason is ours, not errno's. */
static int
refuse(const char *path, const char *why, int e)
{
	err_set("%s: %s", path, why);
	errno = e;
	return -1;
}

static int
fail(const char *path, const char *what)
{
	int e = errno;

	err_set("%s: %s: %s", path, what, strerror(e));
	errno = e;
	return -1;
}

/*
 * A regular file with another name elsewhere: changing it changes that
 * name too (authorized_keys may be /etc/shadow under another name, made
 * anywhere a user could write once). Refused wherever it is.
 */
static int
hard_linked(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode) || st->st_nlink <= 1)
		return 0;
	refuse(path, "a hard-linked file (it has other names); refused",
	    EMLINK);
	return 1;
}

static int
open_leaf(int rootfd, const char *path, int *dfdp, const char **leafp,
    struct stat *st)
{
	struct stat lst;
	int dfd, fd;

	if ((dfd = sfs_open_parent(rootfd, path, leafp)) == -1)
		return fail(path, "resolving the parent directory");
	if (fstatat(dfd, *leafp, &lst, AT_SYMLINK_NOFOLLOW) == -1) {
		fail(path, "lstat");
		goto bad;
	}
	if (!S_ISDIR(lst.st_mode) && !S_ISREG(lst.st_mode)) {
		refuse(path, S_ISLNK(lst.st_mode) ? "a symlink; refused" :
		    "not a regular file or directory; refused",
		    S_ISLNK(lst.st_mode) ? ELOOP : EINVAL);
		goto bad;
	}
	fd = openat(dfd, *leafp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd == -1) {
		fail(path, "open");
		goto bad;
	}
	if (fstat(fd, st) == -1 || st->st_dev != lst.st_dev ||
	    st->st_ino != lst.st_ino) {
		refuse(path, "changed while being opened; refused", EAGAIN);
		close(fd);
		goto bad;
	}
	if (hard_linked(path, st)) {
		close(fd);
		goto bad;
	}
	*dfdp = dfd;
	return fd;
bad:
	close(dfd);
	return -1;
}

int
sfw_open(int rootfd, const char *path, struct stat *st)
{
	const char *leaf;
	int dfd, fd;

	if ((fd = open_leaf(rootfd, path, &dfd, &leaf, st)) == -1)
		return -1;
	close(dfd);
	return fd;
}

static int
changed(const char *path)
{
	return refuse(path, "changed since the plan was made; refused",
	    EAGAIN);
}

int
sfw_chmod(int rootfd, const char *path, mode_t from, mode_t mode)
{
	struct stat st;
	int fd = sfw_open(rootfd, path, &st), r;

	if (fd == -1)
		return -1;
	if ((st.st_mode & 07777) != (from & 07777)) {
		close(fd);
		return changed(path);
	}
	r = fchmod(fd, mode & 07777);
	if (r == -1)
		fail(path, "chmod");
	close(fd);
	return r;
}

int
sfw_relabel(int rootfd, const char *path, const char *from, const char *to)
{
	char cur[4096];
	struct stat st;
	ssize_t n;
	int fd = sfw_open(rootfd, path, &st), r;

	if (fd == -1)
		return -1;
	n = fgetxattr(fd, "security.selinux", cur, sizeof(cur) - 1);
	if (n == -1 && errno != ENODATA) {
		r = fail(path, "reading its SELinux label");
		close(fd);
		return r;
	}
	cur[n > 0 ? n : 0] = '\0';
	/* The kernel's value may end in a NUL of its own. */
	if ((n == -1) != (from[0] == '\0') || strcmp(cur, from) != 0) {
		close(fd);
		return changed(path);
	}
	r = fsetxattr(fd, "security.selinux", to, strlen(to) + 1, 0);
	if (r == -1)
		fail(path, "setting its SELinux label");
	close(fd);
	return r;
}

int
sfw_chown(int rootfd, const char *path, uid_t ou, gid_t og, uid_t uid,
    gid_t gid)
{
	struct stat st;
	int fd = sfw_open(rootfd, path, &st), r;

	if (fd == -1)
		return -1;
	if (st.st_uid != ou || st.st_gid != og) {
		close(fd);
		return changed(path);
	}
	/* chown clears set-id bits; sshfix never plans those anyway. */
	r = fchown(fd, uid, gid);
	if (r == -1)
		fail(path, "chown");
	close(fd);
	return r;
}

void
sfw_add_xattr(struct sfw_xattrs *xa, const char *name, const void *value,
    size_t len)
{
	struct sfw_xattr *x;

	xa->v = xreallocarray(xa->v, xa->n + 1, sizeof(*xa->v));
	x = &xa->v[xa->n++];
	x->name = xstrdup(name);
	x->value = xmalloc(len);
	memcpy(x->value, value, len);
	x->len = len;
}

int
sfw_get_xattrs(int fd, struct sfw_xattrs *xa)
{
	char names[65536], value[65536];
	ssize_t n, vl;
	const char *p;

	memset(xa, 0, sizeof(*xa));
	n = flistxattr(fd, names, sizeof(names));
	if (n == -1)
		return errno == ENOTSUP ? 0 : -1;
	for (p = names; p < names + n; p += strlen(p) + 1) {
		vl = fgetxattr(fd, p, value, sizeof(value));
		if (vl == -1) {
			if (errno == ENODATA)
				continue;
			sfw_xattrs_free(xa);
			return -1;
		}
		sfw_add_xattr(xa, p, value, (size_t)vl);
	}
	return 0;
}

void
sfw_xattrs_free(struct sfw_xattrs *xa)
{
	size_t i;

	for (i = 0; i < xa->n; i++) {
		free(xa->v[i].name);
		free(xa->v[i].value);
	}
	free(xa->v);
	memset(xa, 0, sizeof(*xa));
}

/* Is NAME among XA's attributes? */
static const struct sfw_xattr *
xattr_find(const struct sfw_xattrs *xa, const char *name)
{
	size_t i;

	for (i = 0; xa != NULL && i < xa->n; i++)
		if (strcmp(xa->v[i].name, name) == 0)
			return &xa->v[i];
	return NULL;
}

int
sfw_xattrs_same(const struct sfw_xattrs *a, const struct sfw_xattrs *b)
{
	const struct sfw_xattr *x;
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if ((x = xattr_find(b, a->v[i].name)) == NULL ||
		    x->len != a->v[i].len ||
		    memcmp(x->value, a->v[i].value, x->len) != 0)
			return 0;
	return 1;
}

/* The attributes FD has and XA does not: removed, so that a restore puts
   back exactly what was kept (a label sshfix added goes again). */
static int
prune_xattrs_fd(int fd, const char *path, const struct sfw_xattrs *xa)
{
	struct sfw_xattrs cur;
	size_t i;
	int r = 0;

	if (sfw_get_xattrs(fd, &cur) == -1)
		return fail(path, "reading extended attributes");
	for (i = 0; i < cur.n && r == 0; i++)
		if (xattr_find(xa, cur.v[i].name) == NULL &&
		    fremovexattr(fd, cur.v[i].name) == -1 &&
		    errno != ENOTSUP && errno != ENODATA)
			r = fail(path, "removing an extended attribute");
	sfw_xattrs_free(&cur);
	return r;
}

static int
set_xattrs_fd(int fd, const char *path, const struct sfw_xattrs *xa)
{
	size_t i;

	for (i = 0; xa != NULL && i < xa->n; i++) {
		if (fsetxattr(fd, xa->v[i].name, xa->v[i].value, xa->v[i].len,
		    0) == -1 && errno != ENOTSUP)
			return fail(path, "setting extended attributes");
	}
	return 0;
}

/* PRUNE: an existing object, whose attributes not in XA go. */
static int
set_meta_fd(int fd, const char *path, mode_t mode, uid_t uid, gid_t gid,
    const struct timespec *mtime, const struct sfw_xattrs *xa, int prune)
{
	struct timespec ts[2];

	/* Narrow first, then change the owner, then mode again (chown
	 * may have cleared bits); never more open than either state. */
	if (fchmod(fd, mode & 07777 & ~(mode_t)077) == -1 ||
	    fchown(fd, uid, gid) == -1)
		return fail(path, "setting owner and mode");
	/* ACLs travel as xattrs: set them before the final mode; those
	   the object did not have when it was kept are removed. */
	if (set_xattrs_fd(fd, path, xa) == -1 ||
	    (prune && xa != NULL && prune_xattrs_fd(fd, path, xa) == -1))
		return -1;
	if (fchmod(fd, mode & 07777) == -1)
		return fail(path, "setting the mode");
	if (mtime != NULL) {
		ts[0].tv_nsec = UTIME_OMIT;
		ts[0].tv_sec = 0;
		ts[1] = *mtime;
		if (futimens(fd, ts) == -1)
			return fail(path, "setting the modification time");
	}
	return 0;
}

int
sfw_set_meta(int rootfd, const char *path, mode_t mode, uid_t uid,
    gid_t gid, const struct timespec *mtime, const struct sfw_xattrs *xa)
{
	struct stat st;
	int fd = sfw_open(rootfd, path, &st), r;

	if (fd == -1)
		return -1;
	r = set_meta_fd(fd, path, mode, uid, gid, mtime, xa, 1);
	close(fd);
	return r;
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
sfw_write_file(int rootfd, const char *path, const void *data, size_t len,
    mode_t mode, uid_t uid, gid_t gid, const struct timespec *mtime,
    const struct sfw_xattrs *xa)
{
	char tmp[SFW_TEMP_MAX];
	const char *leaf;
	struct stat st;
	int dfd, fd, i;

	if ((dfd = sfs_open_parent(rootfd, path, &leaf)) == -1)
		return fail(path, "resolving the parent directory");
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (!S_ISREG(st.st_mode) || hard_linked(path, &st))) {
		close(dfd);
		if (!S_ISREG(st.st_mode))
			refuse(path, "exists and is not a regular file; "
			    "refused", EINVAL);
		return -1;
	}
	for (i = 0, fd = -1; fd == -1 && i < 100; i++) {
		sfw_temp_name(tmp, sizeof(tmp), i);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1) {
		close(dfd);
		return fail(path, "creating a temporary file");
	}
	if (write_all(fd, data, len) == -1) {
		fail(path, "writing");
		goto bad;
	}
	if (set_meta_fd(fd, path, mode, uid, gid, mtime, xa, 0) == -1)
		goto bad;
	if (fsync(fd) == -1) {
		fail(path, "fsync");
		goto bad;
	}
	if (renameat(dfd, tmp, dfd, leaf) == -1) {
		fail(path, "rename into place");
		goto bad;
	}
	close(fd);
	if (fsync(dfd) == -1 && errno != EINVAL) {
		fail(path, "fsync of the directory");
		close(dfd);
		return -1;
	}
	close(dfd);
	return 0;
bad:
	unlinkat(dfd, tmp, 0);
	close(fd);
	close(dfd);
	return -1;
}

int
sfw_mkdir(int rootfd, const char *path, mode_t mode, uid_t uid, gid_t gid)
{
	const char *leaf;
	struct stat st;
	int dfd, fd, r;

	if ((dfd = sfs_open_parent(rootfd, path, &leaf)) == -1)
		return fail(path, "resolving the parent directory");
	if (mkdirat(dfd, leaf, 0700) == -1) {
		fail(path, "mkdir");
		close(dfd);
		return -1;
	}
	fd = openat(dfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1) {
		fail(path, "open after mkdir");
		close(dfd);
		return -1;
	}
	r = set_meta_fd(fd, path, mode, uid, gid, NULL, NULL, 0);
	if (r == 0 && fsync(dfd) == -1 && errno != EINVAL)
		r = fail(path, "fsync of the parent");
	close(fd);
	close(dfd);
	return r;
}

int
sfw_mkdir_p(int rootfd, const char *path, mode_t mode)
{
	char buf[4096], *p;
	struct stat st;

	if (strlen(path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return fail(path, "mkdir");
	}
	strcpy(buf, path);
	for (p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (sfs_lstat(rootfd, buf, &st) == -1) {
			if (errno != ENOENT || sfw_mkdir(rootfd, buf,
			    c == '\0' ? mode : 0755, 0, 0) == -1)
				return errno == ENOENT ? fail(buf, "lstat") : -1;
		} else if (!S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
			return refuse(buf, "exists and is not a directory",
			    ENOTDIR);
		}
		*p = c;
		if (c == '\0')
			break;
	}
	return 0;
}

int
sfw_remove(int rootfd, const char *path)
{
	const char *leaf;
	struct stat st;
	int dfd, r;

	if ((dfd = sfs_open_parent(rootfd, path, &leaf)) == -1)
		return fail(path, "resolving the parent directory");
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		r = errno == ENOENT ? 0 : fail(path, "lstat");
	} else if (S_ISDIR(st.st_mode)) {
		r = unlinkat(dfd, leaf, AT_REMOVEDIR);
		if (r == -1)
			fail(path, "rmdir");
	} else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
		r = unlinkat(dfd, leaf, 0);
		if (r == -1)
			fail(path, "unlink");
	} else {
		r = refuse(path, "not a file or directory; refused", EINVAL);
	}
	if (r == 0 && fsync(dfd) == -1 && errno != EINVAL)
		r = fail(path, "fsync of the directory");
	close(dfd);
	return r;
}

int
sfw_read_file(int rootfd, const char *path, size_t max, struct stat *st,
    struct sfw_xattrs *xa, char **data, size_t *len)
{
	int fd, r;

	if (sfs_lstat(rootfd, path, st) == -1) {
		if (errno != ENOENT)
			err_set("%s: %s", path, strerror(errno));
		return -1;
	}
	if ((fd = sfw_open(rootfd, path, st)) == -1)
		return -1;
	r = S_ISREG(st->st_mode) ? sfs_read_fd(fd, max, data, len) : -1;
	if (r == 0 && (r = sfw_get_xattrs(fd, xa)) == -1) {
		free(*data);
		*data = NULL;
	}
	close(fd);
	if (r == -1) {
		err_set("%s: not a readable regular file", path);
		errno = EINVAL;
	}
	return r;
}
