/*
 * sshdir-perms: an authorized keys file, or a directory between it and
 * the home (~/.ssh), that sshd refuses: StrictModes (owner root or the
 * user, no group/world write, Debian's private-group exception), or that
 * the user cannot reach, since sshd opens the file as the user. The home
 * itself belongs to home-perms.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "logins.h"
#include "safefs.h"
#include "util.h"

enum { K_FILE, K_DIR, K_NOTREG };

static void
report(struct target *t, struct plan *p, const struct account *a,
    const char *path, const struct stat *st, int kind, const char *why)
{
	struct finding *f;
	char m[8], *owner;

	for (size_t i = 0; i < p->n; i++)
		if (p->f[i].fault == &fault_sshdir_perms &&
		    strcmp(p->f[i].path, path) == 0)
			return;		/* listed twice in AuthorizedKeysFile */
	f = plan_add_finding(p, &fault_sshdir_perms, SEV_ERROR, path);
	mode_str(st->st_mode, m);
	owner = owner_str(t, st->st_uid, st->st_gid);
	finding_set_message(f, "%s of %s is %s (%s %s)", kind == K_DIR ?
	    "directory" : "authorized keys file", a->name, why, m, owner);
	if (kind == K_NOTREG)
		finding_set_logline(f, "User '%s' authorized keys '%s' is not "
		    "a regular file", a->name, path);
	else if (strcmp(why, "not readable by its user") == 0 ||
	    strcmp(why, "not searchable by its user") == 0)
		finding_set_logline(f, "Could not open user '%s' authorized "
		    "keys '%s': Permission denied", a->name, path);
	else
		finding_set_logline(f, "Authentication refused: bad ownership "
		    "or modes for %s %s", kind == K_DIR ? "directory" : "file",
		    path);
	finding_add_evidence(f, "path", "%s", path);
	finding_add_evidence(f, "mode", "%s", m);
	finding_add_evidence(f, "owner", "%s", owner);
	finding_add_evidence(f, "user", "%s", a->name);
	free(owner);
	f->path = xstrdup(path);
	f->st = *st;
	f->user = xstrdup(a->name);
	f->user_uid = a->uid;
	f->user_gid = a->gid;
	f->kind = kind;
}

static void
check_object(struct target *t, struct plan *p, const struct account *a,
    const char *path, const struct stat *st, int kind, int strict)
{
	int perm = kind == K_DIR ? 1 : 4;
	const char *why;

	if (strict && !strictmodes_ok(t, st, a, &why))
		report(t, p, a, path, st, kind, why);
	else if (!user_may(t, a, st, perm))
		report(t, p, a, path, st, kind, kind == K_DIR ?
		    "not searchable by its user" : "not readable by its user");
}

/* Each directory from the file's up to, not including, the home. */
static void
check_dirs(struct target *t, struct plan *p, const struct account *a,
    const char *file, int strict)
{
	char *dir = xstrdup(file), *slash;
	int inside = path_within(file, a->home);
	struct stat st;

	while ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (inside && !path_within(dir, a->home))
			break;
		if (inside && strcmp(dir, a->home) == 0)
			break;
		if (sfs_lstat(t->rootfd, dir, &st) == -1 || !S_ISDIR(st.st_mode))
			break;
		check_object(t, p, a, dir, &st, K_DIR, strict);
	}
	free(dir);
}

static void
check_file(struct target *t, struct plan *p, const struct account *a,
    const char *path, int strict)
{
	struct stat st;
	int fd;

	if (sfs_lstat(t->rootfd, path, &st) == -1)
		return;		/* ENOENT: sshd skips it too */
	if (S_ISLNK(st.st_mode)) {
		/* Root's link: judge its target; a user's: not ours. */
		fd = sfs_open(t->rootfd, path, O_RDONLY | O_NONBLOCK, &st);
		if (fd == -1)
			return;
		close(fd);
	}
	if (!S_ISREG(st.st_mode)) {
		report(t, p, a, path, &st, K_NOTREG, "not a regular file");
		return;
	}
	check_object(t, p, a, path, &st, K_FILE, strict);
	check_dirs(t, p, a, path, strict);
}

struct ctx {
	struct plan	*p;
	int		 strict;
};

static int
check_account(struct target *t, const struct account *a, void *arg)
{
	struct ctx *c = arg;
	struct match_ctx mc;
	char **paths;
	int n, i;

	target_match_ctx(t, a, &mc);
	n = authkeys_paths(t, a, &mc, &paths);
	for (i = 0; i < n; i++)
		check_file(t, c->p, a, paths[i], c->strict);
	free_strv(paths);
	free(mc.groups);
	return 0;
}

static int
detect(struct target *t, struct plan *p)
{
	struct ctx c = { p, cfg_flag(cfg_effective(&t->cfg, KW_STRICTMODES,
	    NULL, NULL), 1) };

	return logins_foreach(t, check_account, &c) == -1 ? -1 : 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	struct account a = { 0 };
	int keep_root;

	(void)p;
	if (f->kind == K_NOTREG) {
		plan_add_manual(f, "%s is not a regular file; move it aside "
		    "and put the keys in a plain file", f->path);
		return;
	}
	keep_root = accounts_getpwnam(&t->acc, f->user, &a) == 0 &&
	    !path_within(f->path, a.home);
	account_free(&a);
	plan_strict_fix(t, f, f->kind == K_DIR ? 0700 : 0600,
	    f->kind == K_DIR ? 1 : 4, keep_root);
}

const struct fault fault_sshdir_perms = {
	.id = "sshdir-perms",
	.summary = "~/.ssh or an authorized keys file sshd refuses",
	.detect = detect,
	.plan = plan,
};
