/*
 * chroot-perms: the ChrootDirectory in effect for an account, and each
 * directory above it, must be root-owned and not writable by group or
 * others (session.c safely_chroot, which stat()s "/", "/srv/", ... in
 * turn); else sshd logs the first bad one and closes the session after
 * authentication. Walked from the root fd with safefs; a user's symlink
 * on the way is not followed (cannot tell, noted).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "target/login/strictmodes.h"
#include "plan/remedy.h"
#include "fixes/fault.h"
#include "target/login/login.h"
#include "target/login/logins.h"
#include "safefs.h"
#include "shquote.h"
#include "util.h"

enum { CH_COMPONENT, CH_DIR };

static void
report(struct target *t, struct plan *p, const struct account *a,
    const char *shown, const char *path, const struct stat *st, int kind)
{
	struct finding *f;
	char m[8], *owner;

	for (size_t i = 0; i < p->n; i++)
		if (p->f[i].fault == &fault_chroot_perms &&
		    strcmp(p->f[i].path, path) == 0)
			return;		/* the chroot of several accounts */
	f = plan_add_finding(p, &fault_chroot_perms, SEV_ERROR, path);
	mode_str(st->st_mode, m);
	owner = owner_str(t, st->st_uid, st->st_gid);
	finding_set_message(f, "%s %s of %s's ChrootDirectory is %s (%s %s): "
	    "sshd chroots only into root-owned directories no one else can "
	    "write", kind == CH_DIR ? "directory" : "component", path,
	    a->name, st->st_uid != 0 ? "not owned by root" :
	    "writable by group or others", m, owner);
	finding_set_logline(f, "bad ownership or modes for chroot directory "
	    "%s\"%s\"", kind == CH_COMPONENT ? "component " : "", shown);
	free(owner);
	finding_set_object(t, f, path, st, a);
	f->kind = kind;
}

/* Each component as sshd stats it: "/", "/srv/", ..., then the path. */
static void
walk(struct target *t, struct plan *p, const struct account *a,
    const char *dir)
{
	const char *cp = dir;
	char comp[4096], bare[4096];
	struct stat st;
	size_t n;

	while (cp != NULL) {
		if ((cp = strchr(cp, '/')) != NULL)
			cp++;
		n = cp ? (size_t)(cp - dir) : strlen(dir);
		if (n >= sizeof(comp))
			return;
		memcpy(comp, dir, n);
		comp[n] = '\0';
		memcpy(bare, comp, n + 1);
		while (n > 1 && bare[n - 1] == '/')
			bare[--n] = '\0';
		if (sfs_stat(t->rootfd, bare, &st) == -1) {
			target_note(t, "ChrootDirectory %s of %s: %s: %s: cannot "
			    "judge it", dir, a->name, bare, strerror(errno));
			return;
		}
		if (st.st_uid != 0 || (st.st_mode & 022) != 0)
			report(t, p, a, comp, bare, &st, cp ? CH_COMPONENT :
			    CH_DIR);
		if (!S_ISDIR(st.st_mode))
			return;
	}
}

static void
account(struct target *t, struct plan *p, const struct login *l,
    void *state)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_CHROOTDIR,
	    &l->ctx, NULL);
	char *dir;

	(void)state;
	if (e == NULL || e->argc < 1 || strcasecmp(e->argv[0], "none") == 0)
		return;
	if ((dir = expand_user_tokens(e->argv[0], l->a)) == NULL)
		return;		/* a token sshd refuses: config-invalid's */
	if (dir[0] == '/')
		walk(t, p, l->a, dir);
	free(dir);
}

/* A chroot not owned by root: the commands that would make it one. */
static void
plan_owner(struct target *t, struct finding *f)
{
	const char *r = sh_root_prefix(t->rootdir, t->live), *bad;
	char *keep, *up = NULL;

	keep = sh_cmd(&bad, "chown root:root %s%s; chmod 755 %s%s", r,
	    f->path, r, f->path);
	if (keep != NULL)
		up = sh_cmd(&bad, "mkdir %s%s/upload; chown %s: %s%s/upload",
		    r, f->path, f->user, r, f->path);
	if (up == NULL)
		plan_add_unsafe(f, bad, "%s is owned by %s, whose files may "
		    "rely on owning it: sshfix does not change it. To keep it "
		    "as the chroot, make it root's and 0755 (chown, chmod), "
		    "and give %s a directory inside it to write to", f->path,
		    f->user, f->user);
	else
		plan_add_manual(f, "%s is owned by %s, whose files may rely on "
		    "owning it: sshfix does not change it. To keep it as the "
		    "chroot: %s; and give %s a directory inside it to write to "
		    "(%s)", f->path, f->user, keep, f->user, up);
	free(keep);
	free(up);
}

static void
plan_other_home(struct target *t, struct finding *f, const char *who)
{
	const char *bad;
	char *cmd = sh_cmd(&bad, "chmod go-w %s%s",
	    sh_root_prefix(t->rootdir, t->live), f->path);

	if (cmd == NULL)
		plan_add_unsafe(f, bad, "%s is the home of %s, who may rely on "
		    "writing it: sshfix does not change it. Take away group "
		    "and others' write (chmod go-w) if that is safe, or choose "
		    "another ChrootDirectory", f->path, who);
	else
		plan_add_manual(f, "%s is the home of %s, who may rely on "
		    "writing it: sshfix does not change it. Run %s if that is "
		    "safe, or choose another ChrootDirectory", f->path, who,
		    cmd);
	free(cmd);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	char *who;

	(void)p;
	if (f->st.st_uid != 0) {
		plan_owner(t, f);
		return;
	}
	if (strcmp(f->path, "/") == 0 || (f->st.st_mode & S_ISVTX)) {
		plan_add_manual(f, "%s is %s: sshfix does not change it. "
		    "Choose a ChrootDirectory whose every component is "
		    "root-owned and not writable by group or others", f->path,
		    strcmp(f->path, "/") == 0 ? "the root directory" :
		    "a sticky directory, shared by design");
		return;
	}
	if ((who = home_of_other(t, f->path, f->user_uid)) != NULL) {
		plan_other_home(t, f, who);
		free(who);
		return;
	}
	plan_add_chmod(f, f->path, f->st.st_mode & 07777,
	    f->st.st_mode & 07755);
}

const struct fault fault_chroot_perms = {
	.id = "chroot-perms",
	.summary = "a ChrootDirectory sshd refuses to chroot into",
	.account = account,
	.plan = plan,
};
