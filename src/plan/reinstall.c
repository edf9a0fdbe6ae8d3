/*
 * Reinstall advice. Names from the target (ELF strings, dpkg list file
 * names, PAM lines) go into a command only through sh_cmd(): the admin
 * pastes these lines.
 */
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "plan/plan.h"
#include "target/binary/pkgowner.h"
#include "plan/reinstall.h"
#include "shquote.h"
#include "target/target.h"
#include "util.h"

static int
rhel_like(const struct osinfo *os)
{
	static const char *const ids[] = { "rhel", "fedora", "centos",
	    "rocky", "almalinux", "ol", NULL };
	size_t i;

	for (i = 0; ids[i] != NULL; i++) {
		size_t n = strlen(ids[i]);
		const char *p = os->id_like;

		if (strcmp(os->id, ids[i]) == 0)
			return 1;
		for (; (p = strstr(p, ids[i])) != NULL; p += n)
			if ((p == os->id_like || p[-1] == ' ') &&
			    (p[n] == '\0' || p[n] == ' '))
				return 1;
	}
	return 0;
}

void
reinstall_lookup(struct target *t, struct finding *f, const char *name,
    const char *const *dirs)
{
	if (t->os.family != OS_DEBIAN)
		return;
	if (t->pkg_lookups++ == DPKG_MAX_LOOKUPS)
		target_note(t, "the packages of more than %d missing files were "
		    "not looked up (sshfix's budget): dpkg -S names the "
		    "package of each", DPKG_MAX_LOOKUPS);
	if (t->pkg_lookups > DPKG_MAX_LOOKUPS)
		return;
	f->aux = dpkg_owner(t->rootfd, name, dirs, &t->dpkg, &t->unread);
	if (f->aux != NULL)
		finding_add_evidence(f, "package", "%s", f->aux);
}

void
reinstall_lookup_path(struct target *t, struct finding *f, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	const char *dirs[2] = { NULL, NULL };

	if (slash == NULL)
		return;
	dir = xstrndup(path, (size_t)(slash - path));
	dirs[0] = dir;
	reinstall_lookup(t, f, slash + 1, dirs);
	free(dir);
}

/* apt-get install --reinstall PKG, in a chroot into a --root target. */
static char *
apt_cmd(struct target *t, const char **bad, const char *pkg)
{
	if (t->live)
		return sh_cmd(bad, "apt-get install --reinstall %s", pkg);
	return sh_cmd(bad, "chroot %s apt-get install --reinstall %s",
	    sh_root(t->rootdir), pkg);
}

/* The reinstall command, or NULL (*BAD not shell-safe, or no name). */
static char *
reinstall_cmd(struct target *t, struct finding *f, const char *rpmpath,
    const char **bad)
{
	const char *root = sh_root(t->rootdir);

	*bad = NULL;
	if (t->os.family == OS_DEBIAN && f->aux != NULL)
		return apt_cmd(t, bad, f->aux);
	if (!rhel_like(&t->os) || rpmpath == NULL)
		return NULL;
	if (t->live)
		return sh_cmd(bad, "dnf reinstall \"$(rpm -qf %s)\"", rpmpath);
	return sh_cmd(bad, "dnf --installroot=%s reinstall \"$(rpm --root=%s "
	    "-qf %s)\"", root, root, rpmpath);
}

void
plan_install(struct target *t, struct finding *f, const char *pkg)
{
	const char *root = sh_root(t->rootdir), *bad = NULL;
	char *cmd = NULL;

	if (t->os.family == OS_DEBIAN)
		cmd = t->live ? sh_cmd(&bad, "apt-get install %s", pkg) :
		    sh_cmd(&bad, "chroot %s apt-get install %s", root, pkg);
	else if (rhel_like(&t->os))
		cmd = t->live ? sh_cmd(&bad, "dnf install %s", pkg) :
		    sh_cmd(&bad, "dnf --installroot=%s install %s", root, pkg);
	if (cmd != NULL)
		plan_add_manual(f, "install %s%s: %s", pkg, t->live ? "" :
		    " (the chroot needs /dev, /proc and /sys mounted under the "
		    "root, and the network)", cmd);
	else
		plan_add_manual(f, "install %s with the distribution's package "
		    "manager", pkg);
	free(cmd);
}

void
plan_restore_default(struct finding *f, const char *def, const char *path)
{
	struct action *a = finding_add_action(f, ACT_COPY, path);

	a->from = xstrdup(def);
	a->new_mode = 0644;
	a->new_uid = 0;
	a->new_gid = 0;
}

void
plan_reinstall(struct target *t, struct finding *f, const char *rpmpath)
{
	const char *bad;
	char *cmd = reinstall_cmd(t, f, rpmpath, &bad);

	if (bad != NULL)
		plan_add_unsafe(f, bad, "reinstall the package that ships it");
	else if (cmd != NULL && t->os.family == OS_DEBIAN)
		plan_add_manual(f, "reinstall package %s, which ships it: %s",
		    f->aux, cmd);
	else if (cmd != NULL)
		plan_add_manual(f, "reinstall the package that ships it: %s",
		    cmd);
	else if (t->os.family == OS_DEBIAN &&
	    (cmd = apt_cmd(t, &bad, "PKG")) != NULL)
		plan_add_manual(f, "no package in the target's dpkg database "
		    "lists it: find the package that ships it (apt-file search "
		    "NAME) and reinstall it: %s", cmd);
	else
		plan_add_manual(f, "reinstall the package that ships it with "
		    "the distribution's package manager (dpkg -S or rpm -qf "
		    "name the package)");
	free(cmd);
}
