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

#include "target/login/strictmodes.h"
#include "plan/remedy.h"
#include "fixes/fault.h"
#include "target/login/access.h"
#include "target/login/login.h"
#include "target/login/logins.h"
#include "safefs.h"
#include "util.h"

enum { K_FILE, K_DIR, K_NOTREG };

/*
 * One pass over an account's keys files: DRY only notes whether a fault
 * would be reported (BAD); else each is reported with SEV. sshd skips a
 * file it refuses and reads the next, so a fault is an error only when
 * no other keys file of the account gives sshd a key (the severity of a
 * keys-file fault when another keys file works, as home-perms does).
 */
struct pass {
	int		 dry;
	int		 bad;
	enum severity	 sev;
};

static void
report(struct target *t, struct plan *p, struct pass *ps,
    const struct account *a, const char *path, const struct stat *st,
    int kind, const char *why)
{
	struct finding *f;
	char m[8], *owner;

	ps->bad = 1;
	if (ps->dry)
		return;
	for (size_t i = 0; i < p->n; i++)
		if (p->f[i].fault == &fault_sshdir_perms &&
		    strcmp(p->f[i].path, path) == 0)
			return;		/* listed twice in AuthorizedKeysFile */
	f = plan_add_finding(p, &fault_sshdir_perms, ps->sev, path);
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
	free(owner);
	finding_set_object(t, f, path, st, a);
	f->kind = kind;
	f->aux = xstrdup(a->home);
}

static void
check_object(struct target *t, struct plan *p, struct pass *ps,
    const struct account *a,
    const char *path, const struct stat *st, int kind, int strict)
{
	int perm = kind == K_DIR ? 1 : 4;
	const char *why;

	if (strict && !strictmodes_ok(t, st, a, &why))
		report(t, p, ps, a, path, st, kind, why);
	else if (!user_may(t, a, st, perm))
		report(t, p, ps, a, path, st, kind, kind == K_DIR ?
		    "not searchable by its user" : "not readable by its user");
}

/* Outside the home, sshd walks up to "/" (rare: root-managed key files). */
static void
check_dirs_elsewhere(struct target *t, struct plan *p, struct pass *ps,
    const struct account *a, const char *file, int strict)
{
	char *dir = xstrdup(file), *slash;
	struct stat st;

	while ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (sfs_lstat(t->rootfd, dir, &st) == -1 || !S_ISDIR(st.st_mode))
			break;
		check_object(t, p, ps, a, dir, &st, K_DIR, strict);
	}
	free(dir);
}

/*
 * A file sshd reaches through a symlink: misc.c safe_path judges its
 * real path, the file and each directory up to the home (included) or
 * "/", as login.c saw them from the file it read.
 */
static void
check_real(struct target *t, struct plan *p, struct pass *ps,
    const struct account *a, const struct keyfile *k, int strict)
{
	size_t j;

	if (S_ISREG(k->real_st.st_mode))
		check_object(t, p, ps, a, k->real, &k->real_st, K_FILE,
		    strict);
	for (j = 0; j < k->nrdirs; j++)
		check_object(t, p, ps, a, k->rdirs[j].path, &k->rdirs[j].st,
		    K_DIR, strict);
}

/* The faults of L's keys file K (reported unless PS->dry). */
static void
check_file(struct target *t, struct plan *p, struct pass *ps,
    const struct login *l, const struct keyfile *k)
{
	int strict = t->strict_modes;
	size_t j;

	/* Missing: sshd skips it. A link: its real path. */
	if (k->err != 0)
		return;
	if (S_ISLNK(k->st.st_mode)) {
		if (k->real != NULL && k->nkeys > 0)
			check_real(t, p, ps, l->a, k, strict);
		return;
	}
	if (!S_ISREG(k->st.st_mode)) {
		report(t, p, ps, l->a, k->path, &k->st, K_NOTREG,
		    "not a regular file");
		return;
	}
	check_object(t, p, ps, l->a, k->path, &k->st, K_FILE, strict);
	for (j = 0; j < k->ndirs; j++)
		check_object(t, p, ps, l->a, k->dirs[j].path, &k->dirs[j].st,
		    K_DIR, strict);
	if (!k->in_home)
		check_dirs_elsewhere(t, p, ps, l->a, k->path, strict);
}

/* Does a keys file of L other than number I give sshd a key? */
static int
other_works(struct target *t, struct plan *p, const struct login *l, int i)
{
	struct pass dry = { 1, 0, SEV_ERROR };
	int j;

	for (j = 0; j < l->nkf; j++) {
		const struct keyfile *k = &l->kf[j];

		if (j == i || k->err != 0 || k->nkeys <= 0 ||
		    k->refused != NULL || strcmp(k->path, l->kf[i].path) == 0)
			continue;
		dry.bad = 0;
		check_file(t, p, &dry, l, k);
		if (!dry.bad && keyfile_usable(t, l, k) > 0)
			return 1;
	}
	return 0;
}

static void
account(struct target *t, struct plan *p, const struct login *l,
    void *state)
{
	int i;

	(void)state;
	for (i = 0; i < l->nkf; i++) {
		struct pass ps = { 0, 0, SEV_ERROR };

		if (other_works(t, p, l, i))
			ps.sev = SEV_WARNING;
		check_file(t, p, &ps, l, &l->kf[i]);
	}
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	(void)p;
	if (f->kind == K_NOTREG) {
		plan_add_manual(f, "%s is not a regular file; move it aside "
		    "and put the keys in a plain file", f->path);
		return;
	}
	plan_strict_fix(t, f, f->kind == K_DIR ? 0700 : 0600,
	    f->kind == K_DIR ? 1 : 4, !path_within(f->path, f->aux));
}

const struct fault fault_sshdir_perms = {
	.id = "sshdir-perms",
	.summary = "~/.ssh or an authorized keys file sshd refuses",
	.account = account,
	.plan = plan,
	.keys_only = 1,
};
