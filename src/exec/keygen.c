/*
 * Host key generation for the executor (ACT_KEYGEN, ACT_KEYGEN_ALL).
 *
 * MUST: ssh-keygen never receives a path inside the target. Given one
 * as a string, the kernel resolves it its own way: a root-owned link
 * whose ".." climbs past the mount point would send the keys to any
 * directory of the rescue machine, where sshfix, resolving the same
 * path inside the root, saw its own directory. So ssh-keygen writes into
 * a directory of sshfix's own on the rescue machine (tmpdir.h: 0700,
 * root's, swept after a crash), and the keys enter the target through safewrite only: into a
 * staging directory (a rollback removes it whole after a crash), then
 * renamed into place one by one.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/executor.h"
#include "os/runprog.h"
#include "safefs.h"
#include "os/safewrite.h"
#include "os/tmpdir.h"
#include "util.h"

#define KEY_FILE_MAX	(64 * 1024)	/* an RSA-16384 key is ~13 KiB */

static char *
parent_of(const char *path)
{
	char *dup = xstrdup(path), *d = xstrdup(dirname(dup));

	free(dup);
	return d;
}

char *
keygen_staging_dir(const struct action *a)
{
	char *dir, *r;

	if (a->type == ACT_KEYGEN_ALL)
		return xstrdup("/etc/ssh/" SFW_KEYGEN_DIR);
	dir = parent_of(a->path);
	r = xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir,
	    SFW_KEYGEN_DIR);
	free(dir);
	return r;
}

/* Host keys live where only root can write: anything else is refused. */
static int
root_only_dir(struct target *t, const char *dir)
{
	struct stat st;
	int fd = sfs_open(t->rootfd, dir, O_RDONLY | O_DIRECTORY, &st);

	if (fd == -1) {
		err_set("%s: %s", dir, strerror(errno));
		return -1;
	}
	close(fd);
	if (st.st_uid != 0 || (st.st_mode & 022) != 0) {
		err_set("%s: not a directory only root can write; refusing "
		    "to put a host key there", dir);
		return -1;
	}
	return 0;
}

/* ssh-keygen -A's rule: a key is made where none is, or it is empty. */
static int
wanted(struct target *t, const char *key)
{
	struct stat st;

	return sfs_lstat(t->rootfd, key, &st) == -1 || st.st_size == 0;
}

/*
 * Copy NAME of sshfix's own directory DFD into the target as TO, root's,
 * with the mode ssh-keygen gave it (0600 private, 0644 public).
 */
static int
install(struct target *t, int dfd, const char *name, const char *to)
{
	struct stat st;
	char *data = NULL;
	size_t len;
	int fd, r;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    sfs_read_fd(fd, KEY_FILE_MAX, &data, &len) == -1) {
		err_set("ssh-keygen's %s: %s", name, fd == -1 ? strerror(errno) :
		    "not a regular file of a key's size");
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	r = sfw_write_file(t->rootfd, to, data, len, st.st_mode & 0777, 0, 0,
	    NULL, NULL);
	free(data);
	return r;
}

/* NAME and NAME.pub of DFD into the staging directory, then to TO. */
static int
place(struct target *t, int dfd, const char *stage, const char *name,
    const char *to)
{
	char *pub = xasprintf("%s.pub", name);
	char *sk = xasprintf("%s/%s", stage, name);
	char *sp = xasprintf("%s.pub", sk), *tp = xasprintf("%s.pub", to);
	int r;

	r = install(t, dfd, name, sk);
	if (r == 0)
		r = install(t, dfd, pub, sp);
	if (r == 0)
		r = sfw_move(t->rootfd, sp, tp);
	if (r == 0)
		r = sfw_move(t->rootfd, sk, to);
	free(pub);
	free(sk);
	free(sp);
	free(tp);
	return r;
}

/* sshfix's own directory on the rescue machine, and its fd. */
struct priv {
	char	dir[TMPDIR_MAX];
	int	fd;
};

static int
priv_make(struct priv *p, int layout)
{
	p->fd = -1;
	if (tmpdir_make(p->dir, "keygen") == -1) {
		err_set("cannot make host keys: %s", err_get());
		return -1;
	}
	p->fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* ssh-keygen -A -f DIR writes DIR/etc/ssh/ssh_host_*_key. */
	if (p->fd == -1 || (layout && (mkdirat(p->fd, "etc", 0700) == -1 ||
	    mkdirat(p->fd, "etc/ssh", 0700) == -1))) {
		err_set("%s: %s", p->dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The directory and all ssh-keygen left in it. */
static void
priv_remove(struct priv *p)
{
	if (p->fd != -1)
		close(p->fd);
	tmpdir_remove(p->dir);
}

/* Run ssh-keygen for A in P's directory. */
static int
generate(const struct action *a, const struct priv *p)
{
	char *dir = xasprintf("%s/key", p->dir), *out = NULL;
	char *all[] = { KEYGEN_PATH, "-A", "-f", (char *)p->dir, NULL };
	char *one[] = { KEYGEN_PATH, "-q", "-t", a->keytype, "-N", "", "-C",
	    "", "-f", dir, NULL };
	int r;

	r = runprog(a->type == ACT_KEYGEN_ALL ? all : one, PROG_TIMEOUT_MS,
	    &out);
	if (r > 0) {
		if (out != NULL)
			out[strcspn(out, "\n")] = '\0';
		err_set("ssh-keygen failed (exit %d): %s", r,
		    out && *out ? out : "no message");
	}
	free(out);
	free(dir);
	return r == 0 ? 0 : -1;
}

/* Each default key ssh-keygen -A made that the target wants. */
static int
place_all(struct target *t, const struct priv *p, const char *stage)
{
	size_t k;
	int dfd, r = 0;

	dfd = openat(p->fd, "etc/ssh", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (dfd == -1) {
		err_set("%s/etc/ssh: %s", p->dir, strerror(errno));
		return -1;
	}
	for (k = 0; r == 0 && k < NDEFAULT_HOST_KEYS; k++)
		if (wanted(t, default_host_keys[k]))
			r = place(t, dfd, stage,
			    strrchr(default_host_keys[k], '/') + 1,
			    default_host_keys[k]);
	close(dfd);
	return r;
}

int
executor_keygen(struct target *t, const struct action *a)
{
	char *stage = keygen_staging_dir(a), *parent = parent_of(stage);
	struct priv p = { "", -1 };
	int r;

	r = root_only_dir(t, parent);
	if (r == 0 && (sfw_remove_tree(t->rootfd, stage) == -1 ||
	    sfw_mkdir(t->rootfd, stage, 0700, 0, 0) == -1))
		r = -1;
	if (r == 0)
		r = priv_make(&p, a->type == ACT_KEYGEN_ALL);
	if (r == 0)
		r = generate(a, &p);
	if (r == 0)
		r = a->type == ACT_KEYGEN_ALL ? place_all(t, &p, stage) :
		    place(t, p.fd, stage, "key", a->path);
	if (r == 0)
		r = sfw_remove_tree(t->rootfd, stage);
	if (r == 0)
		priv_remove(&p);
	else {
		char *why = xstrdup(err_get());

		priv_remove(&p);
		err_set("%s", why);
		free(why);
	}
	free(parent);
	free(stage);
	return r;
}
