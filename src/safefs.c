/*
 * MUST rules (see safefs.h): resolve one component at a time from the root
 * fd, O_NOFOLLOW on every open, never leave the root through "..", and
 * follow a symlink only when root owns it and every directory the walk
 * has passed through, the one holding the link included, is writable by
 * root alone. The owner of a link proves nothing when someone else can
 * rename it into place.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safefs.h"
#include "util.h"

#define SFS_MAX_LINKS	32

struct walk {
	int	 rootfd;
	struct stat rootst;
	int	 cur;		/* O_PATH fd of the current directory */
	char	 rest[PATH_MAX];	/* components still to resolve */
	int	 links;
	int	 trusted;	/* every directory so far: root's alone */
};

/* Only root can change what is in this directory. */
static int
root_only(const struct stat *st)
{
	return st->st_uid == 0 && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

static int
is_root(struct walk *w, int fd)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return 0;
	return st.st_dev == w->rootst.st_dev && st.st_ino == w->rootst.st_ino;
}

static void
set_cur(struct walk *w, int fd)
{
	if (w->cur != w->rootfd)
		close(w->cur);
	w->cur = fd;
}

/* Enter directory FD; once the walk passes a directory a user can
 * write, no later symlink is trusted (monotonic). */
static int
enter(struct walk *w, int fd)
{
	struct stat st;

	if (fstat(fd, &st) == -1) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	if (!root_only(&st))
		w->trusted = 0;
	set_cur(w, fd);
	return 0;
}

/* Pop the first component of w->rest into comp; returns its length. */
static size_t
pop_component(struct walk *w, char comp[NAME_MAX + 1], int *toolong)
{
	char *p = w->rest, *end;
	size_t n;

	*toolong = 0;
	while (*p == '/')
		p++;
	end = strchrnul(p, '/');
	n = (size_t)(end - p);
	if (n > NAME_MAX) {
		*toolong = 1;
		return 0;
	}
	memcpy(comp, p, n);
	comp[n] = '\0';
	memmove(w->rest, end, strlen(end) + 1);
	return n;
}

static int
rest_is_empty(const struct walk *w)
{
	const char *p = w->rest;

	while (*p == '/')
		p++;
	return *p == '\0';
}

/*
 * COMP in w->cur is a symlink: follow it if root owns it, by splicing its
 * target in front of the remaining components.
 */
static int
splice_link(struct walk *w, const char *comp)
{
	struct stat st;
	char target[PATH_MAX];
	ssize_t n;
	size_t restlen = strlen(w->rest);

	if (fstatat(w->cur, comp, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	if (!S_ISLNK(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (st.st_uid != 0 || !w->trusted || ++w->links > SFS_MAX_LINKS) {
		errno = ELOOP;
		return -1;
	}
	n = readlinkat(w->cur, comp, target, sizeof(target) - 1);
	if (n <= 0)
		return -1;
	target[n] = '\0';
	if ((size_t)n + 1 + restlen + 1 > sizeof(w->rest)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memmove(w->rest + n + 1, w->rest, restlen + 1);
	memcpy(w->rest, target, (size_t)n);
	w->rest[n] = '/';
	if (target[0] == '/')
		set_cur(w, w->rootfd);
	return 0;
}

static int
step_dotdot(struct walk *w)
{
	int fd;

	if (is_root(w, w->cur))
		return 0;
	fd = openat(w->cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	return enter(w, fd);
}

static int
walk_init(struct walk *w, int rootfd, const char *path)
{
	w->rootfd = rootfd;
	w->cur = rootfd;
	w->links = 0;
	if (fstat(rootfd, &w->rootst) == -1)
		return -1;
	w->trusted = root_only(&w->rootst);
	if (strlen(path) >= sizeof(w->rest)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(w->rest, path);
	return 0;
}

/*
 * Walk until one component is left; on success w->cur is its directory
 * and comp holds the leaf name ("." for the root itself).
 */
static int
walk_to_leaf(struct walk *w, char comp[NAME_MAX + 1])
{
	int toolong, fd;

	for (;;) {
		size_t n = pop_component(w, comp, &toolong);

		if (toolong) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (n == 0 || strcmp(comp, ".") == 0) {
			if (rest_is_empty(w)) {
				strcpy(comp, ".");
				return 0;
			}
			continue;
		}
		if (strcmp(comp, "..") == 0) {
			if (step_dotdot(w) == -1)
				return -1;
			if (rest_is_empty(w)) {
				strcpy(comp, ".");
				return 0;
			}
			continue;
		}
		if (rest_is_empty(w))
			return 0;
		fd = openat(w->cur, comp,
		    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd != -1) {
			if (enter(w, fd) == -1)
				return -1;
			continue;
		}
		if (errno != ENOTDIR && errno != ELOOP)
			return -1;
		if (splice_link(w, comp) == -1)
			return -1;
	}
}

static void
walk_done(struct walk *w)
{
	set_cur(w, w->rootfd);
}

static int
leaf_is_link(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISLNK(st.st_mode);
}

/* Neither a regular file nor a directory: a FIFO, socket or device. */
static int
special(const struct stat *st)
{
	return !S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode) &&
	    !S_ISLNK(st->st_mode);
}

/*
 * Opening a FIFO blocks until a writer comes, and opening a device acts
 * (a tape rewinds, a watchdog arms): neither is opened (ENXIO, what
 * open(2) says of a socket). Only a stat (O_PATH) reaches them.
 */
static int
refuse_special(const struct walk *w, const char *comp, int flags)
{
	struct stat st;

	if ((flags & (O_PATH | O_DIRECTORY)) ||
	    fstatat(w->cur, comp, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !special(&st))
		return 0;
	errno = ENXIO;
	return -1;
}

/* The fd's own type decides (the leaf may have changed since). */
static int
check_opened(int fd, int flags, struct stat *st)
{
	struct stat sb;
	int saved;

	if (st == NULL && (flags & O_PATH))
		return fd;
	if (fstat(fd, st ? st : &sb) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (!(flags & O_PATH) && special(st ? st : &sb)) {
		close(fd);
		errno = ENXIO;
		return -1;
	}
	return fd;
}

int
sfs_open(int rootfd, const char *path, int flags, struct stat *st)
{
	struct walk w;
	char comp[NAME_MAX + 1];
	int fd, saved;

	/* O_NONBLOCK: a FIFO swapped in after the check cannot block. */
	if (!(flags & O_PATH))
		flags |= O_NONBLOCK;
	if (walk_init(&w, rootfd, path) == -1)
		return -1;
	for (;;) {
		if (walk_to_leaf(&w, comp) == -1)
			goto fail;
		if (refuse_special(&w, comp, flags) == -1)
			goto fail;
		fd = openat(w.cur, comp, flags | O_NOFOLLOW | O_CLOEXEC);
		/* O_PATH|O_NOFOLLOW opens a symlink itself: follow it as
		 * any other (root's links only), like stat(2) would. */
		if (fd != -1 && (flags & O_PATH) && leaf_is_link(fd)) {
			close(fd);
			fd = -1;
			errno = ELOOP;
		}
		if (fd != -1)
			break;
		if (errno != ELOOP && !(errno == ENOTDIR &&
		    (flags & O_DIRECTORY)))
			goto fail;
		if (splice_link(&w, comp) == -1)
			goto fail;
	}
	walk_done(&w);
	return check_opened(fd, flags, st);
fail:
	saved = errno;
	walk_done(&w);
	errno = saved;
	return -1;
}

int
sfs_open_parent(int rootfd, const char *path, const char **leaf)
{
	const char *slash;
	char dir[PATH_MAX];
	size_t n;

	/* Trailing slashes would make the leaf empty: refuse them. */
	n = strlen(path);
	if (n == 0 || path[n - 1] == '/') {
		errno = EINVAL;
		return -1;
	}
	slash = strrchr(path, '/');
	*leaf = slash ? slash + 1 : path;
	n = slash ? (size_t)(slash - path) : 0;
	if (n >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, n);
	dir[n] = '\0';
	if (strcmp(*leaf, "..") == 0 || strcmp(*leaf, ".") == 0) {
		errno = EINVAL;
		return -1;
	}
	/* O_RDONLY, not O_PATH: callers fsync the directory. */
	return sfs_open(rootfd, n ? dir : "/", O_RDONLY | O_DIRECTORY, NULL);
}

int
sfs_lstat(int rootfd, const char *path, struct stat *st)
{
	const char *leaf;
	int dfd, r, saved;

	if (strspn(path, "/") == strlen(path))
		return fstat(rootfd, st);
	if ((dfd = sfs_open_parent(rootfd, path, &leaf)) == -1)
		return -1;
	r = fstatat(dfd, leaf, st, AT_SYMLINK_NOFOLLOW);
	saved = errno;
	close(dfd);
	errno = saved;
	return r;
}

int
sfs_stat(int rootfd, const char *path, struct stat *st)
{
	int fd = sfs_open(rootfd, path, O_PATH, st);

	if (fd == -1)
		return -1;
	close(fd);
	return 0;
}

int
sfs_read_fd(int fd, size_t max, char **data, size_t *len)
{
	struct sbuf b = { 0 };
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			sbuf_free(&b);
			return -1;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			sbuf_free(&b);
			errno = EFBIG;
			return -1;
		}
		sbuf_add(&b, buf, (size_t)n);
	}
	*len = b.len;
	*data = sbuf_take(&b);
	return 0;
}

int
sfs_read_file(int rootfd, const char *path, size_t max, char **data,
    size_t *len, struct stat *st)
{
	struct stat sb;
	int fd, r, saved;

	/* A FIFO or device planted where a file belongs: never opened. */
	fd = sfs_open(rootfd, path, O_RDONLY, &sb);
	if (fd == -1)
		return -1;
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if ((size_t)sb.st_size > max) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	r = sfs_read_fd(fd, max, data, len);
	saved = errno;
	close(fd);
	errno = saved;
	if (r == 0 && st != NULL)
		*st = sb;
	return r;
}

int
sfs_file_cmp(const void *a, const void *b)
{
	const struct sfs_file *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec > y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec > y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

size_t
sfs_list(int dfd, int (*want)(const char *, const struct stat *,
    const void *), const void *arg, size_t max, struct sfs_file **out)
{
	struct sfs_file *v = NULL;
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *d;
	int rfd;

	*out = NULL;
	if ((rfd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return 0;
	if ((d = fdopendir(rfd)) == NULL) {
		close(rfd);
		return 0;
	}
	while (n < max && (de = readdir(d)) != NULL) {
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode) || !want(de->d_name, &st, arg))
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n].name = xstrdup(de->d_name);
		v[n++].mtime = st.st_mtim;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), sfs_file_cmp);
	*out = v;
	return n;
}
