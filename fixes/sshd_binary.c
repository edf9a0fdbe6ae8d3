/*
 * sshd-binary: /usr/sbin/sshd (and the sshd-session program OpenSSH 10
 * execs for each connection, where installed) missing, or a library the
 * dynamic loader needs for it missing: ld.so stops before sshd's main()
 * with "error while loading shared libraries". The check reads ELF
 * headers only; nothing is run. A missing sshd is reported only when the
 * target says openssh-server is installed (dpkg, or an ssh unit file):
 * a root without it has no sshd to start.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "target/binary/binlibs.h"
#include "fixes/fault.h"
#include "target/binary/pkgowner.h"
#include "plan/reinstall.h"
#include "safefs.h"
#include "util.h"

#define SSHD_BIN	"/usr/sbin/sshd"

enum { K_PROGRAM, K_LIBRARY, K_LOADER };

static const char *const session_bins[] = {
	"/usr/lib/openssh/sshd-session", "/usr/libexec/openssh/sshd-session",
	NULL,
};

static void
missing_program(struct target *t, struct plan *p)
{
	struct finding *f = plan_add_finding(p, &fault_sshd_binary, SEV_ERROR,
	    SSHD_BIN);

	finding_set_message(f, "%s does not exist, but openssh-server is "
	    "installed: sshd cannot start", SSHD_BIN);
	finding_set_logline(f, "Failed to execute %s: No such file or "
	    "directory", SSHD_BIN);
	finding_add_evidence(f, "path", "%s", SSHD_BIN);
	f->path = xstrdup(SSHD_BIN);
	f->kind = K_PROGRAM;
	reinstall_lookup_path(t, f, SSHD_BIN);
}

/* The /usr/lib64 (or /usr/lib) path rpm -qf is asked about. */
static char *
rpm_path(const char *name)
{
	return xasprintf("/usr/lib64/%s", name);
}

/* The package of a library: in one of the directories ld.so searched. */
static void
lookup_lib(struct target *t, struct finding *f, const struct libmiss *m)
{
	char *copy = xstrdup(m->searched), *s = copy, *d;
	const char **dirs = xcalloc(1, sizeof(*dirs));
	size_t n = 0;

	while ((d = strsep(&s, ":")) != NULL) {
		dirs = xreallocarray(dirs, n + 2, sizeof(*dirs));
		dirs[n++] = d;
		dirs[n] = NULL;
	}
	reinstall_lookup(t, f, m->name, dirs);
	free(dirs);
	free(copy);
}

static void
missing_lib(struct target *t, struct plan *p, const char *prog,
    const struct libmiss *m)
{
	struct finding *f = plan_add_finding(p, &fault_sshd_binary, SEV_ERROR,
	    m->name);
	int loader = m->name[0] == '/';

	if (loader) {
		finding_set_message(f, "the dynamic loader %s of %s does not "
		    "exist: the program cannot be executed", m->name, prog);
		finding_set_logline(f, "Failed to execute %s: No such file or "
		    "directory", prog);
	} else {
		finding_set_message(f, "library %s, needed by %s, is in none "
		    "of the directories the dynamic loader searches: %s cannot "
		    "start", m->name, m->by, prog);
		finding_set_logline(f, "%s: error while loading shared "
		    "libraries: %s: cannot open shared object file: No such "
		    "file or directory", prog, m->name);
		finding_add_evidence(f, "searched", "%s", m->searched);
	}
	finding_add_evidence(f, "needed-by", "%s", m->by);
	f->path = loader ? xstrdup(m->name) : rpm_path(m->name);
	f->kind = loader ? K_LOADER : K_LIBRARY;
	if (loader)
		reinstall_lookup_path(t, f, m->name);
	else
		lookup_lib(t, f, m);
}

static void
check(struct target *t, struct plan *p, struct ldconf *lc, int *loaded,
    const char *prog)
{
	struct bincheck bc;
	size_t i;

	if (!*loaded) {
		ldconf_load(t->rootfd, lc, &t->unread);
		*loaded = 1;
	}
	if (bincheck_run(t->rootfd, lc, prog, &bc, &t->unread) == -1)
		return;
	for (i = 0; i < bc.nmiss; i++)
		missing_lib(t, p, prog, &bc.miss[i]);
	bincheck_free(&bc);
}

static int
detect(struct target *t, struct plan *p)
{
	struct ldconf lc;
	struct stat st;
	int loaded = 0;
	size_t i;

	if (sfs_lstat(t->rootfd, SSHD_BIN, &st) == -1) {
		if ((errno == ENOENT || errno == ENOTDIR) &&
		    sshd_installed(t->rootfd))
			missing_program(t, p);
		else
			unread_note(&t->unread, SSHD_BIN, errno);
	} else
		check(t, p, &lc, &loaded, SSHD_BIN);
	for (i = 0; session_bins[i] != NULL; i++)
		if (sfs_lstat(t->rootfd, session_bins[i], &st) == 0)
			check(t, p, &lc, &loaded, session_bins[i]);
	if (loaded)
		ldconf_free(&lc);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	(void)p;
	plan_reinstall(t, f, f->path);
}

const struct fault fault_sshd_binary = {
	.id = "sshd-binary",
	.summary = "sshd, or a library or loader it needs, is missing",
	.detect = detect,
	.plan = plan,
};
