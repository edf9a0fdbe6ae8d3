/*
 * Remedies several detectors plan: the evidence of an object sshd judges
 * for a user, the narrowest StrictModes repair of it, and a configuration
 * line commented out.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "target/login/strictmodes.h"
#include "plan/plan.h"
#include "plan/remedy.h"
#include "target/login/logins.h"
#include "target/target.h"
#include "util.h"

void
finding_set_object(struct target *t, struct finding *f, const char *path,
    const struct stat *st, const struct account *a)
{
	char m[8], *owner = owner_str(t, st->st_uid, st->st_gid);

	mode_str(st->st_mode, m);
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
}

/*
 * Another account whose login depends on F's object (NULL if none, to
 * be freed): its owner, or an account with the same home when the object
 * is that home or lies below it.
 */
static char *
other_account(struct target *t, const struct finding *f)
{
	const char *owner;

	if (f->st.st_uid != 0 && f->st.st_uid != f->user_uid &&
	    (owner = accounts_uid_name(&t->acc, f->st.st_uid)) != NULL)
		return xstrdup(owner);
	if (f->aux == NULL || !path_within(f->path, f->aux))
		return NULL;
	return home_of_other(t, f->aux, f->user_uid);
}

/*
 * A sticky directory not the user's own (shared, like /tmp) or an object
 * another account owns or logs in through is never changed: advice
 * instead. 1 if so.
 */
static int
foreign(struct target *t, struct finding *f)
{
	char *who;

	if (S_ISDIR(f->st.st_mode) && (f->st.st_mode & S_ISVTX) &&
	    f->st.st_uid != f->user_uid) {
		plan_add_manual(f, "%s is a sticky directory, shared by "
		    "design: sshfix does not change it. Give %s a home of "
		    "its own (usermod -d), or disable StrictModes", f->path,
		    f->user);
		return 1;
	}
	if ((who = other_account(t, f)) == NULL)
		return 0;
	plan_add_manual(f, "%s is owned or used by the account %s too: "
	    "sshfix does not change it, since %s's login depends on it. Give "
	    "%s a home of its own (usermod -d), or fix it by hand", f->path,
	    who, who, f->user);
	free(who);
	return 1;
}

/*
 * The repair for an object refused by StrictModes or closed to its user:
 * the narrowest mode change, or WANT (0700/0600) when ownership moves to
 * the user. Root ownership is kept where sshd accepts it and the user can
 * still reach the object. The mode narrows before the owner changes.
 */
void
plan_strict_fix(struct target *t, struct finding *f, mode_t want, int perm,
    int keep_root)
{
	struct account a = { .name = f->user, .uid = f->user_uid,
	    .gid = f->user_gid };
	struct stat st = f->st;
	mode_t old = st.st_mode & 07777;
	const char *why;

	if (foreign(t, f))
		return;
	if (st.st_uid != 0 && st.st_uid != a.uid)
		st.st_uid = a.uid;
	if (want != 0 && st.st_uid == a.uid && a.uid != 0)
		st.st_mode = (st.st_mode & ~(mode_t)07777) | want;
	/*
	 * A world-writable object was opened up by hand (chmod 777): take
	 * both write bits back. Group write alone goes only if sshd refuses
	 * it (Debian keeps it for a private group).
	 */
	if (st.st_mode & S_IWOTH)
		st.st_mode &= ~(mode_t)(S_IWOTH | S_IWGRP);
	else if (!strictmodes_ok(t, &st, &a, &why))
		st.st_mode &= ~(mode_t)S_IWGRP;
	if (!user_may(t, &a, &st, perm) && keep_root && st.st_uid == 0) {
		st.st_mode |= (mode_t)perm | (mode_t)perm << 3 |
		    (mode_t)perm << 6;
	} else if (!user_may(t, &a, &st, perm)) {
		st.st_uid = a.uid;
		if (want != 0)
			st.st_mode = (st.st_mode & ~(mode_t)07777) | want;
		st.st_mode |= (mode_t)perm << 6;
	}
	if ((st.st_mode & 07777) != old)
		plan_add_chmod(f, f->path, old, st.st_mode);
	if (st.st_uid != f->st.st_uid)
		plan_add_chown(f, f->path, f->st.st_uid, f->st.st_gid,
		    st.st_uid, st.st_gid);
}

void
plan_comment_out(struct target *t, struct finding *f,
    const struct cfg_entry *e)
{
	char *old = cfg_line_text(&t->cfg, e->file, e->line);
	char *new = xasprintf("#%s", old);

	plan_add_edit(f, t->cfg.files[e->file].path, e->line, old, new, 0);
	free(old);
	free(new);
}
