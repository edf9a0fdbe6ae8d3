/*
 * src/target/login/: what sshd decides for one account's login -- the
 * accounts that may log in (logins.c), what their homes and keys are
 * (login.c), StrictModes (strictmodes.c). Uses keys/, net/, logs/, the
 * top of src/target/ and what is below them.
 *
 * MUST: no path trusted twice. The home is opened once (from a cached fd
 * of its parent, itself resolved by safefs); everything below it is
 * reached with fstatat/openat from that fd, O_NOFOLLOW, and a file is
 * read only through the fd whose inode we checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "target/keys/keytext.h"
#include "budget.h"
#include "target/login/login.h"
#include "target/login/logins.h"
#include "safefs.h"
#include "util.h"

/* The home's parent (/home) is the same for most accounts: open it once. */
static int
open_home(struct target *t, const char *home, struct stat *st)
{
	char *dup = xstrdup(home), *parent = dirname(dup);
	const char *leaf = strrchr(home, '/') + 1;
	int fd;

	if (t->homes_path == NULL || strcmp(t->homes_path, parent) != 0) {
		if (t->homes_fd != -1)
			close(t->homes_fd);
		free(t->homes_path);
		t->homes_path = xstrdup(parent);
		t->homes_fd = sfs_open(t->rootfd, parent, O_PATH | O_DIRECTORY,
		    NULL);
		t->homes_err = t->homes_fd == -1 ? errno : 0;
	}
	free(dup);
	errno = t->homes_err;
	fd = t->homes_fd == -1 ? -1 : openat(t->homes_fd, leaf,
	    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && t->homes_fd != -1 && (errno == ELOOP ||
	    errno == ENOTDIR))
		fd = sfs_open(t->rootfd, home, O_PATH | O_DIRECTORY, NULL);
	if (fd != -1 && fstat(fd, st) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
add_ldir(struct ldir **v, size_t *n, const char *path, size_t len,
    const struct stat *st)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].path = xstrndup(path, len);
	(*v)[*n].st = *st;
	(*n)++;
}

static void
add_dir(struct keyfile *k, const char *path, size_t n, const struct stat *st)
{
	add_ldir(&k->dirs, &k->ndirs, path, n, st);
}

/*
 * The directories of a followed link's real path (FST: the file's, from
 * the fd read), from the file up to the home (included) or "/": each
 * opened one component at a time (no link followed) and checked to hold
 * the object below it (same device and inode). Where the chain breaks
 * (the tree changed under us) the walk stops: the detectors then judge
 * fewer directories, never another file's.
 */
static void
real_dirs(struct target *t, const struct account *a, struct keyfile *k,
    const struct stat *fst)
{
	char *dir = xstrdup(k->real), *slash, *leaf;
	struct stat child = *fst, st, at;
	int fd, held;

	k->real_st = *fst;
	while ((slash = strrchr(dir, '/')) != NULL) {
		leaf = xstrdup(slash + 1);
		slash[slash == dir] = '\0';
		fd = sfs_open(t->rootfd, dir, O_PATH | O_DIRECTORY, &st);
		held = fd != -1 && fstatat(fd, leaf, &at,
		    AT_SYMLINK_NOFOLLOW) == 0 && at.st_dev == child.st_dev &&
		    at.st_ino == child.st_ino;
		if (fd != -1)
			close(fd);
		free(leaf);
		if (!held)
			break;
		add_ldir(&k->rdirs, &k->nrdirs, dir, strlen(dir), &st);
		child = st;
		if (strcmp(dir, a->home) == 0 || strcmp(dir, "/") == 0)
			break;
	}
	free(dir);
}

/*
 * The keys of the file open on FD. Over KEYS_MAX: EFBIG (judged, not
 * counted). Past the budget of all key files (KEYS_MAX_BYTES): not read,
 * errno 0 (no line of its own: the budget's line says it).
 */
static int
count_fd(struct target *t, int fd, const struct stat *st, struct keyfile *k)
{
	char small[4096], *data;
	ssize_t r;
	size_t len;
	int n;

	if ((size_t)st->st_size > KEYS_MAX) {
		errno = EFBIG;
		return -1;
	}
	if (budget_take(&t->keys, (unsigned long long)st->st_size) == -1) {
		budget_note(&t->keys, &t->unread);
		errno = 0;
		return -1;
	}
	/* The usual small file: one read, no second read to see EOF. */
	if (st->st_size < (off_t)sizeof(small)) {
		r = read(fd, small, sizeof(small));
		if (r == st->st_size) {
			keylines_scan(small, (size_t)r, &k->kl);
			return authkeys_count(small, (size_t)r);
		}
		if (r < 0 || lseek(fd, 0, SEEK_SET) == -1)
			return -1;	/* errno says why */
	}
	if (sfs_read_fd(fd, KEYS_MAX, &data, &len) == -1)
		return -1;
	n = authkeys_count(data, len);
	keylines_scan(data, len, &k->kl);
	free(data);
	return n;
}

/*
 * "dir/file" below the home in two calls: the kernel refuses a symlink
 * at any component and any way out of the home (openat2 RESOLVE_*).
 * Returns 1 when done, 0 to fall back to the walk (old kernel, a link,
 * anything unusual).
 */
static int
fast_dir_file(struct target *t, int homefd, const char *rel,
    struct keyfile *k)
{
	struct open_how how = {
		.flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
		    RESOLVE_NO_MAGICLINKS,
	};
	const char *slash = strchr(rel, '/');
	struct stat dst;
	char dir[256];
	int fd;

	if (slash == NULL || strchr(slash + 1, '/') != NULL ||
	    (size_t)(slash - rel) >= sizeof(dir) || slash == rel)
		return 0;
	memcpy(dir, rel, (size_t)(slash - rel));
	dir[slash - rel] = '\0';
	if (strcmp(dir, "..") == 0 || strcmp(dir, ".") == 0)
		return 0;
	if (fstatat(homefd, dir, &dst, AT_SYMLINK_NOFOLLOW) == -1) {
		k->err = k->read_err = errno;
		k->nkeys = errno == ENOENT ? 0 : -1;
		return 1;
	}
	if (!S_ISDIR(dst.st_mode))
		return 0;
	/*
	 * O_NONBLOCK: a FIFO here does not block the open, and what is not
	 * regular is never read (the walk judges it). A device's open fails
	 * (EACCES: a rescue disk is nodev for sshfix, target_open), so no
	 * stat before it, which would cost a system call an account.
	 */
	fd = (int)syscall(SYS_openat2, homefd, rel, &how, sizeof(how));
	if (fd == -1) {
		if (errno != ENOENT)
			return 0;
		k->err = ENOENT;
		k->nkeys = 0;
		add_dir(k, k->path, strlen(k->path) - strlen(slash), &dst);
		return 1;
	}
	if (fstat(fd, &k->st) == -1 || !S_ISREG(k->st.st_mode)) {
		close(fd);
		return 0;
	}
	k->nkeys = count_fd(t, fd, &k->st, k);
	k->read_err = k->nkeys == -1 ? errno : 0;
	close(fd);
	add_dir(k, k->path, strlen(k->path) - strlen(slash), &dst);
	return 1;
}

/* The user's gids, primary first, for sfs_open_as (free it). */
static gid_t *
user_gids(struct target *t, const struct account *a, size_t *n)
{
	const char **names = accounts_user_groups(&t->acc, a);
	const struct group_ent *g;
	gid_t *v;
	size_t i;

	for (i = 0; names != NULL && names[i] != NULL; i++)
		;
	v = xcalloc(i + 1, sizeof(*v));
	v[0] = a->gid;
	*n = 1;
	for (i = 0; names != NULL && names[i] != NULL; i++)
		if ((g = accounts_getgrnam(&t->acc, names[i])) != NULL &&
		    g->gid != a->gid)
			v[(*n)++] = g->gid;
	free(names);
	return v;
}

/*
 * A keys file reached through a symlink: sshd opens it as the user and
 * follows every link, so sshfix does too, inside the root and with the
 * user's credentials (sfs_open_as: it reads nothing the user could not).
 * k->st stays the link's own lstat; k->real names the file (StrictModes
 * along its real path is sshdir-perms'), k->refused why sshd cannot open
 * it (no key then).
 */
static void
load_followed(struct target *t, const struct account *a, struct keyfile *k)
{
	struct sfs_cred c = { a->uid, a->gid, NULL, 0 };
	gid_t *gids = user_gids(t, a, &c.ngroups);
	struct stat st;
	int fd;

	c.groups = gids;
	fd = sfs_open_as(t->rootfd, k->path, &c, &st, &k->real);
	free(gids);
	if (fd == -1 && errno == ENOENT) {
		k->err = ENOENT;	/* nothing there: sshd skips it */
		k->nkeys = 0;
		return;
	}
	if (fd == -1) {
		/* sshd cannot open it either: no key from it. */
		if (errno == EACCES || errno == ELOOP ||
		    errno == ENXIO || errno == EISDIR || errno == ENOTDIR) {
			k->nkeys = 0;
			k->refused = xasprintf("a link sshd follows to %s",
			    errno == EACCES ? "a file the user cannot read" :
			    strerror(errno));
		} else {
			k->nkeys = -1;
			k->read_err = errno;
		}
		return;
	}
	if (k->real == NULL) {
		k->nkeys = -1;	/* its directories cannot be judged */
		k->read_err = 0;
	} else if ((k->nkeys = count_fd(t, fd, &st, k)) == -1)
		k->read_err = errno;
	if (k->real != NULL)
		real_dirs(t, a, k, &st);
	close(fd);
}

/* The leaf, from the directory fd that holds it. */
static void
load_leaf(struct target *t, const struct account *a, int dfd,
    const char *leaf, struct keyfile *k)
{
	struct stat st;
	int fd;

	if (fstatat(dfd, leaf, &k->st, AT_SYMLINK_NOFOLLOW) == -1) {
		k->err = k->read_err = errno;
		k->nkeys = errno == ENOENT ? 0 : -1;
		return;
	}
	if (S_ISLNK(k->st.st_mode)) {
		load_followed(t, a, k);
		return;
	}
	if (!S_ISREG(k->st.st_mode)) {
		k->nkeys = 0;
		return;
	}
	fd = openat(dfd, leaf, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1) {
		k->nkeys = -1;
		k->read_err = errno;
	} else if (st.st_ino != k->st.st_ino || st.st_dev != k->st.st_dev)
		k->nkeys = -1;		/* replaced under us: a race, not unread */
	else if ((k->nkeys = count_fd(t, fd, &st, k)) == -1)
		k->read_err = errno;
	if (fd != -1)
		close(fd);
}


static void
load_elsewhere(struct target *t, const struct account *a, struct keyfile *k)
{
	const char *leaf;
	int dfd = sfs_open_parent(t->rootfd, k->path, &leaf);

	if (dfd == -1 && errno == ELOOP) {
		/* A user's link on the way: k->st says so (its own stat
		   is not the file's; the detectors judge k->real). */
		k->st.st_mode = S_IFLNK | 0777;
		load_followed(t, a, k);
		return;
	}
	if (dfd == -1) {
		k->err = k->read_err = errno;
		k->nkeys = errno == ENOENT ? 0 : -1;
		return;
	}
	load_leaf(t, a, dfd, leaf, k);
	close(dfd);
}

/* A key file below the home: walk from the home's fd. */
static void
load_in_home(struct target *t, const struct account *a, int homefd,
    size_t homelen, struct keyfile *k)
{
	const char *p = k->path + homelen, *slash;
	char comp[256];
	struct stat st;
	int cur = homefd, fd;

	while (*p == '/')
		p++;
	if (fast_dir_file(t, homefd, p, k))
		return;
	while ((slash = strchr(p, '/')) != NULL) {
		size_t n = (size_t)(slash - p);

		if (n >= sizeof(comp)) {
			k->err = k->read_err = ENAMETOOLONG;
			k->nkeys = -1;
			goto out;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) == -1) {
			k->err = k->read_err = errno;
			k->nkeys = errno == ENOENT ? 0 : -1;
			goto out;
		}
		if (S_ISLNK(st.st_mode)) {
			/* sshd follows it: so do we, as the user. k->st
			   says the path goes through a link. */
			k->st = st;
			load_followed(t, a, k);
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			k->err = ENOTDIR;	/* a file on the way */
			k->nkeys = 0;
			goto out;
		}
		fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd == -1) {
			k->err = k->read_err = errno;
			k->nkeys = -1;
			goto out;
		}
		if (cur != homefd)
			close(cur);
		cur = fd;
		add_dir(k, k->path, (size_t)(slash - k->path), &st);
		p = slash + 1;
		while (*p == '/')
			p++;
	}
	load_leaf(t, a, cur, p, k);
out:
	if (cur != homefd)
		close(cur);
	/* sshd checks the directory holding the file first. */
	for (size_t i = 0; i < k->ndirs / 2; i++) {
		struct ldir d = k->dirs[i];

		k->dirs[i] = k->dirs[k->ndirs - 1 - i];
		k->dirs[k->ndirs - 1 - i] = d;
	}
}

/* AuthorizedKeysFile naming more files than KEYS_MAX_FILES: the first
   are read, the rest said (OpenSSH 7.4 refused them). */
static void
too_many_files(struct target *t, char **paths, int *n)
{
	char *why = xasprintf("more than %d files (sshfix's budget); the "
	    "rest were not read: cannot tell", KEYS_MAX_FILES);
	int i;

	unread_note_why(&t->unread, "AuthorizedKeysFile", why);
	free(why);
	for (i = KEYS_MAX_FILES; i < *n; i++) {
		free(paths[i]);
		paths[i] = NULL;
	}
	*n = KEYS_MAX_FILES;
}

int
login_load(struct target *t, const struct account *a, struct login *l)
{
	char **paths;
	int homefd = -1, i;
	size_t hl = strlen(a->home);

	memset(l, 0, sizeof(*l));
	l->a = a;
	target_match_ctx(t, a, &l->ctx);
	l->home_err = ENOENT;
	if (a->home[0] == '/' && strcmp(a->home, "/") != 0) {
		homefd = open_home(t, a->home, &l->home_st);
		l->home_err = homefd == -1 ? errno : 0;
		unread_note(&t->unread, a->home, l->home_err);
	}
	l->nkf = authkeys_paths(t, a, &l->ctx, &paths);
	if (l->nkf > KEYS_MAX_FILES)
		too_many_files(t, paths, &l->nkf);
	if (l->nkf <= 0) {
		free_strv(paths);
		if (homefd != -1)
			close(homefd);
		return 0;
	}
	l->kf = xcalloc((size_t)l->nkf, sizeof(*l->kf));
	for (i = 0; i < l->nkf; i++) {
		struct keyfile *k = &l->kf[i];

		k->path = paths[i];
		k->in_home = homefd != -1 && path_within(k->path, a->home) &&
		    k->path[hl] == '/';
		if (k->in_home)
			load_in_home(t, a, homefd, hl, k);
		else
			load_elsewhere(t, a, k);
		/*
		 * A file over KEYS_MAX was opened and judged (owner, mode):
		 * only its key count is unknown, and is taken as "has keys"
		 * as for any file sshfix cannot count. Not a partial view.
		 */
		if (k->nkeys == -1 && k->read_err != EFBIG)
			unread_note(&t->unread, k->path, k->read_err);
	}
	free(paths);
	if (homefd != -1)
		close(homefd);
	return 0;
}

void
login_free(struct login *l)
{
	int i;
	size_t j;

	for (i = 0; i < l->nkf; i++) {
		for (j = 0; j < l->kf[i].ndirs; j++)
			free(l->kf[i].dirs[j].path);
		free(l->kf[i].dirs);
		for (j = 0; j < l->kf[i].nrdirs; j++)
			free(l->kf[i].rdirs[j].path);
		free(l->kf[i].rdirs);
		free(l->kf[i].path);
		free(l->kf[i].real);
		free(l->kf[i].refused);
		keylines_free(&l->kf[i].kl);
	}
	free(l->kf);
	free(l->ctx.groups);
	memset(l, 0, sizeof(*l));
}
