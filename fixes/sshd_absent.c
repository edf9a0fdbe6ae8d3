/*
 * sshd-absent: there is no sshd on the target to accept a login, or no
 * sshd_config for it to start with; one finding, and nothing else is
 * judged or planned (struct fault .alone): what the others would say is
 * about an sshd that does not exist.
 *
 * openssh-server not installed: no /usr/sbin/sshd, the target's package
 * database (dpkg or rpm) exists and does not list it (or there is no
 * sshd_config either), and no ssh unit file. The repair is the install
 * command for its distribution. A missing sshd of an installed package
 * is sshd-binary's.
 *
 * sshd_config missing: sshd exits at start ("/etc/ssh/sshd_config: No
 * such file or directory"). The repair puts the package's own copy of the
 * default back (Debian: /usr/share/openssh/sshd_config; ACT_COPY, undone
 * by --rollback); without one, the package is reinstalled by hand.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fixes/fault.h"
#include "plan/reinstall.h"
#include "safefs.h"
#include "target/binary/pkgowner.h"
#include "util.h"

#define SSHD_BIN	"/usr/sbin/sshd"

/* Where each distribution keeps the package's default sshd_config. */
static const char *const defaults[] = {
	"/usr/share/openssh/sshd_config",	/* Debian, Ubuntu */
	NULL,
};

static const char *const pkgdbs[] = {
	"/var/lib/dpkg/status", "/var/lib/rpm", "/usr/lib/sysimage/rpm",
	NULL,
};

enum { K_NOT_INSTALLED, K_NO_CONFIG };

static int
exists(struct target *t, const char *const *paths)
{
	struct stat st;
	size_t i;

	for (i = 0; paths[i] != NULL; i++)
		if (sfs_lstat(t->rootfd, paths[i], &st) == 0)
			return 1;
	return 0;
}

/* Is openssh-server certainly not installed? */
static int
not_installed(struct target *t)
{
	struct stat st;

	if (sfs_lstat(t->rootfd, SSHD_BIN, &st) == 0 ||
	    (errno != ENOENT && errno != ENOTDIR))
		return 0;
	if (sshd_installed(t->rootfd))
		return 0;
	return t->cfg.missing || exists(t, pkgdbs);
}

static int
detect(struct target *t, struct plan *p)
{
	struct finding *f;

	if (not_installed(t)) {
		f = plan_add_finding(p, &fault_sshd_absent, SEV_ERROR,
		    "openssh-server");
		finding_set_message(f, "openssh-server is not installed on %s: "
		    "there is no sshd to accept a login", t->rootdir);
		finding_set_logline(f, "Unit ssh.service could not be found.");
		finding_add_evidence(f, "sshd", "%s (none)", SSHD_BIN);
		f->kind = K_NOT_INSTALLED;
	} else if (t->cfg.missing) {
		f = plan_add_finding(p, &fault_sshd_absent, SEV_ERROR,
		    SSHD_CONFIG);
		finding_set_message(f, "%s is missing: sshd refuses to start "
		    "without it", SSHD_CONFIG);
		finding_set_logline(f, "%s: No such file or directory",
		    SSHD_CONFIG);
		f->kind = K_NO_CONFIG;
	}
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	size_t i;

	(void)p;
	if (f->kind == K_NOT_INSTALLED) {
		plan_install(t, f, "openssh-server");
		return;
	}
	for (i = 0; defaults[i] != NULL; i++) {
		struct stat st;

		if (sfs_lstat(t->rootfd, defaults[i], &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			finding_add_evidence(f, "default", "%s", defaults[i]);
			plan_restore_default(f, defaults[i], SSHD_CONFIG);
			return;
		}
	}
	if (t->os.family == OS_DEBIAN)	/* its postinst writes the file */
		f->aux = xstrdup("openssh-server");
	plan_reinstall(t, f, SSHD_CONFIG);
}

const struct fault fault_sshd_absent = {
	.id = "sshd-absent",
	.summary = "openssh-server is not installed, or sshd_config is "
	    "missing",
	.detect = detect,
	.plan = plan,
	.alone = 1,
};
