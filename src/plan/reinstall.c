/*
 * Reinstall advice. Names from the target (ELF strings, dpkg list file
 * names, PAM lines) go into a command only when they hold no character
 * a shell would read: the admin pastes these lines.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "pkgowner.h"
#include "reinstall.h"
#include "target.h"
#include "util.h"

static int
shell_safe(const char *s)
{
	return s != NULL && *s != '\0' && *s != '-' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._+:/-") == strlen(s);
}

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
	f->aux = dpkg_owner(t->rootfd, name, dirs, &t->unread);
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

/* "chroot ROOT " for a --root target, "" for the running system. */
static char *
chroot_prefix(const struct target *t)
{
	if (t->live || !shell_safe(t->rootdir))
		return xstrdup(t->live ? "" : "chroot ROOT ");
	return xasprintf("chroot %s ", t->rootdir);
}

void
plan_reinstall(struct target *t, struct finding *f, const char *rpmpath)
{
	char *ch = chroot_prefix(t);
	const char *root = t->live ? "" : shell_safe(t->rootdir) ?
	    t->rootdir : "ROOT";

	if (t->os.family == OS_DEBIAN && shell_safe(f->aux))
		plan_add_manual(f, "reinstall package %s, which ships it: "
		    "%sapt-get install --reinstall %s", f->aux, ch, f->aux);
	else if (t->os.family == OS_DEBIAN)
		plan_add_manual(f, "no package in the target's dpkg database "
		    "lists it: find the package that ships it (apt-file search "
		    "NAME) and reinstall it: %sapt-get install --reinstall PKG",
		    ch);
	else if (rhel_like(&t->os) && shell_safe(rpmpath) && t->live)
		plan_add_manual(f, "reinstall the package that ships it: dnf "
		    "reinstall \"$(rpm -qf %s)\"", rpmpath);
	else if (rhel_like(&t->os) && shell_safe(rpmpath))
		plan_add_manual(f, "reinstall the package that ships it: dnf "
		    "--installroot=%s reinstall \"$(rpm --root=%s -qf %s)\"",
		    root, root, rpmpath);
	else
		plan_add_manual(f, "reinstall the package that ships it with "
		    "the distribution's package manager (dpkg -S or rpm -qf "
		    "name the package)");
	free(ch);
}
