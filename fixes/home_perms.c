/*
 * home-perms: sshd (StrictModes) walks from each authorized keys file up
 * to and including the home directory; a home owned by another user, or
 * group/world-writable (group-write allowed on Debian for a private
 * group), makes sshd refuse every key. Parents of the home are never
 * checked, nor is a home that holds no authorized keys file path.
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

static int
keys_under_home(struct target *t, const struct account *a)
{
	struct match_ctx ctx;
	char **paths;
	int n, i, r = 0;

	target_match_ctx(t, a, &ctx);
	n = authkeys_paths(t, a, &ctx, &paths);
	for (i = 0; i < n; i++)
		if (path_within(paths[i], a->home))
			r = 1;
	free_strv(paths);
	free(ctx.groups);
	return r;
}

static int
check_home(struct target *t, const struct account *a, void *arg)
{
	struct plan *p = arg;
	struct finding *f;
	struct stat st;
	const char *why;
	char *owner, m[8];
	int fd;

	if (a->home[0] != '/' || strcmp(a->home, "/") == 0)
		return 0;
	fd = sfs_open(t->rootfd, a->home, O_PATH | O_DIRECTORY, &st);
	if (fd == -1)
		return 0;	/* missing or not ours to judge */
	close(fd);
	if (strictmodes_ok(t, &st, a, &why)) {
		if (user_may(t, a, &st, 1))
			return 0;
		why = "not searchable by its user";
	}
	if (!keys_under_home(t, a))
		return 0;
	f = plan_add_finding(p, &fault_home_perms, SEV_ERROR, a->home);
	mode_str(st.st_mode, m);
	owner = owner_str(t, st.st_uid, st.st_gid);
	finding_set_message(f, "home of %s is %s (%s %s); sshd refuses every "
	    "key below it", a->name, why, m, owner);
	finding_set_logline(f, "Authentication refused: bad ownership or "
	    "modes for directory %s", a->home);
	finding_add_evidence(f, "path", "%s", a->home);
	finding_add_evidence(f, "mode", "%s", m);
	finding_add_evidence(f, "owner", "%s", owner);
	finding_add_evidence(f, "user", "%s", a->name);
	finding_add_evidence(f, "rule", "%s", t->os.debian_group_write ?
	    "debian: group-write allowed only for the user's private group" :
	    "upstream: no group or world write");
	free(owner);
	f->path = xstrdup(a->home);
	f->st = st;
	f->user = xstrdup(a->name);
	f->user_uid = a->uid;
	f->user_gid = a->gid;
	return 0;
}

static int
detect(struct target *t, struct plan *p)
{
	const struct cfg_entry *sm = cfg_effective(&t->cfg, KW_STRICTMODES,
	    NULL, NULL);

	if (!cfg_flag(sm, 1))
		return 0;
	return logins_foreach(t, check_home, p) == -1 ? -1 : 0;
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
	.detect = detect,
	.plan = plan,
};
