/*
 * sshd-binary: /usr/sbin/sshd missing, or a library the dynamic loader
 * needs for it missing: ld.so stops before sshd's main() with "error
 * while loading shared libraries". The check reads ELF headers only;
 * nothing is run. A missing sshd is reported only when the target says
 * openssh-server is installed (dpkg, or an ssh unit file): a root
 * without it has no sshd to start.
 *
 * The helpers (target/binary/helpers.h): sshd-session (9.8 and later)
 * and sshd-auth (10.0) at the paths compiled into sshd, or SshdSessionPath
 * and SshdAuthPath. sshd stats both at start and exits "P does not exist
 * or is not executable" (user or other execute bit); sshd -t does not get
 * that far. Their libraries are checked like sshd's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "target/binary/binlibs.h"
#include "fixes/fault.h"
#include "target/binary/pkgowner.h"
#include "plan/reinstall.h"
#include "target/release.h"
#include "safefs.h"
#include "util.h"

#define SSHD_BIN	"/usr/sbin/sshd"

enum { K_PROGRAM, K_LIBRARY, K_LOADER, K_HELPER, K_HELPER_MODE };

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

/*
 * Helper H: the path sshd stats at start (NULL: none), and *WHERE the
 * config line that set it (NULL: compiled in). *KNOWN 0: sshd's binary
 * was not read, so a compiled-in path is unknown.
 */
static const char *
helper_path(struct target *t, enum sshd_helper h, int *known,
    const struct cfg_entry **where)
{
	static const enum kw kw[HELPER__COUNT] = {
		[HELPER_SESSION] = KW_SESSIONPATH, [HELPER_AUTH] = KW_AUTHPATH,
	};
	const char *path = release_helper(t, h, known);

	*where = cfg_effective(&t->cfg, kw[h], NULL, NULL);
	if (*where != NULL && (*where)->argc > 0)
		return (*where)->argv[0];
	*where = NULL;
	return path;
}

/* ST: its stat (NULL: missing); MEND: a regular file whose mode can be
   mended (else the package is reinstalled). */
static void
helper_finding(struct target *t, struct plan *p, enum sshd_helper h,
    const char *path, const struct cfg_entry *where, const struct stat *st,
    int mend)
{
	struct finding *f = plan_add_finding(p, &fault_sshd_binary, SEV_ERROR,
	    path);
	char *w;

	if (st == NULL)
		finding_set_message(f, "%s (%s) does not exist: sshd exits at "
		    "start, it runs it for every connection", path,
		    helper_name(h));
	else
		finding_set_message(f, "%s (%s) is mode %04o, executable by "
		    "neither its owner nor others: sshd exits at start",
		    path, helper_name(h), (unsigned)(st->st_mode & 07777));
	finding_set_logline(f, "%s does not exist or is not executable",
	    path);
	finding_add_evidence(f, "path", "%s", path);
	if (where != NULL) {
		w = cfg_where(&t->cfg, where->file, where->line);
		finding_add_evidence(f, "set-by", "%s %s", w,
		    helper_keyword(h));
		free(w);
	} else
		finding_add_evidence(f, "set-by", "compiled into %s",
		    SSHD_BIN);
	f->path = xstrdup(path);
	if (mend) {
		f->kind = K_HELPER_MODE;
		f->st = *st;
	} else {
		f->kind = K_HELPER;
		reinstall_lookup_path(t, f, path);
	}
}

/* sshd's test: stat(2), then S_IXUSR or S_IXOTH. */
static void
check_helper(struct target *t, struct plan *p, enum sshd_helper h,
    const char *path, const struct cfg_entry *where)
{
	struct stat st, lst;

	if (path[0] != '/')
		return;		/* relative: sshd's cwd, not judged */
	if (sfs_stat(t->rootfd, path, &st) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			helper_finding(t, p, h, path, where, NULL, 0);
		else
			unread_note(&t->unread, path, errno);
		return;
	}
	if ((st.st_mode & (S_IXUSR | S_IXOTH)) != 0)
		return;
	/* The mode is mended only on the file itself, never a link's. */
	helper_finding(t, p, h, path, where, &st,
	    sfs_lstat(t->rootfd, path, &lst) == 0 && S_ISREG(lst.st_mode));
}

static int
detect(struct target *t, struct plan *p)
{
	const struct cfg_entry *where;
	const char *helper[HELPER__COUNT];
	struct ldconf lc;
	struct stat st;
	int loaded = 0, known = 0;
	size_t i;

	if (sfs_lstat(t->rootfd, SSHD_BIN, &st) == -1) {
		if ((errno == ENOENT || errno == ENOTDIR) &&
		    sshd_installed(t->rootfd))
			missing_program(t, p);
		else
			unread_note(&t->unread, SSHD_BIN, errno);
	} else
		check(t, p, &lc, &loaded, SSHD_BIN);
	for (i = 0; i < HELPER__COUNT; i++) {
		helper[i] = helper_path(t, (enum sshd_helper)i, &known,
		    &where);
		if (helper[i] != NULL)
			check_helper(t, p, (enum sshd_helper)i, helper[i],
			    where);
	}
	for (i = 0; i < HELPER__COUNT; i++)
		if (helper[i] != NULL && helper[i][0] == '/' &&
		    (i == 0 || helper[0] == NULL ||
		    strcmp(helper[0], helper[i]) != 0) &&
		    sfs_stat(t->rootfd, helper[i], &st) == 0 &&
		    S_ISREG(st.st_mode))
			check(t, p, &lc, &loaded, helper[i]);
	for (i = 0; !known && helper_session_bins[i] != NULL; i++)
		if (sfs_lstat(t->rootfd, helper_session_bins[i], &st) == 0)
			check(t, p, &lc, &loaded, helper_session_bins[i]);
	if (loaded)
		ldconf_free(&lc);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	mode_t m = f->st.st_mode & 07777;

	(void)p;
	/* rwx where it can read, as the package ships it (0755). */
	if (f->kind == K_HELPER_MODE)
		plan_add_chmod(f, f->path, m, m | S_IXUSR | ((m & 044) >> 2));
	else
		plan_reinstall(t, f, f->path);
}

const struct fault fault_sshd_binary = {
	.id = "sshd-binary",
	.summary = "sshd, or a library or loader it needs, is missing",
	.detect = detect,
	.plan = plan,
};
