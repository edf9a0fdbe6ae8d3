/*
 * home-perms: sshd (StrictModes) walks from each authorized keys file up
 * to and including the home directory; a home owned by another user, or
 * group/world-writable (group-write allowed on Debian for a private
 * group), makes sshd refuse every key. So does a home its user cannot
 * search (sshd opens the keys as the user). Parents of the home are never
 * checked, nor is a home without an authorized keys file under it: sshd
 * skips a missing file (ENOENT) and never looks at the home for it. A
 * file we may not read ourselves (unprivileged run) still counts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "target/login/strictmodes.h"
#include "plan/remedy.h"
#include "fixes/fault.h"
#include "target/login/access.h"
#include "target/login/login.h"
#include "target/login/logins.h"
#include "target/release.h"
#include "util.h"

/*
 * A keys file outside the home with a key sshd would use: the login
 * still works through it (a root-owned /etc/ssh/keys/%u). Its own
 * directories are sshdir-perms' to judge.
 */
static const struct keyfile *
outside_usable(struct target *t, const struct login *l)
{
	int i;

	for (i = 0; i < l->nkf; i++)
		if (!l->kf[i].in_home && l->kf[i].err == 0 &&
		    l->kf[i].nkeys > 0 && l->kf[i].refused == NULL &&
		    keyfile_usable(t, l, &l->kf[i]) > 0)
			return &l->kf[i];
	return NULL;
}

static void
report(struct target *t, struct plan *p, const struct login *l,
    const char *why)
{
	const struct account *a = l->a;
	const struct keyfile *out = outside_usable(t, l);
	struct finding *f;
	char *owner, m[8];

	f = plan_add_finding(p, &fault_home_perms, out != NULL ? SEV_WARNING :
	    SEV_ERROR, a->home);
	mode_str(l->home_st.st_mode, m);
	owner = owner_str(t, l->home_st.st_uid, l->home_st.st_gid);
	if (out != NULL)
		finding_set_message(f, "home of %s is %s (%s %s); sshd refuses "
		    "every key below it, but %s outside it still lets %s in",
		    a->name, why, m, owner, out->path, a->name);
	else
		finding_set_message(f, "home of %s is %s (%s %s); sshd refuses "
		    "every key below it", a->name, why, m, owner);
	finding_set_logline(f, "Authentication refused: bad ownership or "
	    "modes for directory %s", a->home);
	finding_add_evidence(f, "path", "%s", a->home);
	finding_add_evidence(f, "mode", "%s", m);
	finding_add_evidence(f, "owner", "%s", owner);
	finding_add_evidence(f, "user", "%s", a->name);
	finding_add_evidence(f, "rule", "%s", release_has(t,
	    REL_PRIVATE_GROUP_WRITE) == TRI_YES ?
	    "debian: group-write allowed only for the user's private group" :
	    "upstream: no group or world write");
	free(owner);
	f->path = xstrdup(a->home);
	f->st = l->home_st;
	f->user = xstrdup(a->name);
	f->user_uid = a->uid;
	f->user_gid = a->gid;
	f->aux = xstrdup(a->home);
}

static void
account(struct target *t, struct plan *p, const struct login *l,
    void *state)
{
	const char *why;
	int i, under = 0;

	(void)state;
	if (!t->strict_modes || l->home_err != 0 ||
	    !S_ISDIR(l->home_st.st_mode))
		return;
	if (strictmodes_ok(t, &l->home_st, l->a, &why)) {
		if (user_may(t, l->a, &l->home_st, 1))
			return;
		why = "not searchable by its user";
	}
	for (i = 0; i < l->nkf; i++)
		under |= l->kf[i].in_home && l->kf[i].err != ENOENT &&
		    l->kf[i].err != ENOTDIR;
	if (under)
		report(t, p, l, why);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	(void)p;
	plan_strict_fix(t, f, 0, 1, 0);
}

const struct fault fault_home_perms = {
	.id = "home-perms",
	.summary = "a home directory that StrictModes refuses",
	.account = account,
	.plan = plan,
	.keys_only = 1,
};
