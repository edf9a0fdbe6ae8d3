/*
 * pam-module: with UsePAM yes, a module that /etc/pam.d/sshd (or a file
 * it includes) names is not in the target's PAM module directories.
 * libpam adds the line as a faulty module that returns
 * PAM_MODULE_UNKNOWN, which its control turns into a stack failure
 * (required, requisite ...) or passes over (optional, sufficient).
 * A leading '-' on the type only silences libpam's "unable to dlopen"
 * log line: "-account required" with the module gone still refuses every
 * login (verified with Debian 12's sshd and libpam 1.5.2). So:
 *   account or session stack fails   error: every login fails
 *   auth stack fails                 error if password or keyboard-
 *                                    interactive logins are on, else
 *                                    warning (keys do not use it)
 *   password stack fails             warning: password changes fail
 *   passed over, logged              warning
 *   passed over, '-' (not logged)    nothing
 * Without pam.d/sshd or any module directory nothing can be told.
 *
 * With no configuration at all for sshd's service (no /etc/pam.d/sshd,
 * no /etc/pam.d/other, nothing in the vendor directory /usr/lib/pam.d;
 * without /etc/pam.d, no /etc/pam.conf) pam_start fails: sshd logs "PAM:
 * initialisation failed" and refuses every login (verified with Debian
 * 12's sshd). Without /etc/pam.d/sshd, libpam uses "other": its stack is
 * the one judged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixes/fault.h"
#include "target/sshdlinks.h"
#include "target/binary/pamstack.h"
#include "plan/reinstall.h"
#include "safefs.h"
#include "shquote.h"
#include "util.h"

enum { FOUND, ABSENT, UNSURE };
enum { K_MODULE, K_NOCONF };

static int
exists(struct target *t, const char *path)
{
	if (sfs_stat(t->rootfd, path, NULL) == 0)
		return FOUND;
	if (errno == ENOENT || errno == ENOTDIR)
		return ABSENT;
	unread_note(&t->unread, path, errno);
	return UNSURE;
}

/* Is MODULE in a module directory (or at its absolute path)? */
static int
find_module(struct target *t, const char *module, const char **where)
{
	char *path;
	size_t i;
	int r;

	if (module[0] == '/') {
		*where = NULL;
		return exists(t, module);
	}
	for (i = 0; pam_module_dirs[i] != NULL; i++) {
		path = xasprintf("%s/%s", pam_module_dirs[i], module);
		r = exists(t, path);
		free(path);
		if (r != ABSENT)
			return r;
		if (exists(t, pam_module_dirs[i]) == FOUND && *where == NULL)
			*where = pam_module_dirs[i];
	}
	return *where == NULL ? UNSURE : ABSENT;
}

enum { NONE, WARN_ONLY, FAIL_AUTH, FAIL_ALL };

/* What a missing module does on line M. */
static int
impact(const struct target *t, const struct pam_mod *m)
{
	if (m->fatal && (strcmp(m->type, "account") == 0 ||
	    strcmp(m->type, "session") == 0))
		return FAIL_ALL;
	if (m->fatal && strcmp(m->type, "auth") == 0 &&
	    (cfg_flag(cfg_effective(&t->cfg, KW_PASSWORDAUTH, NULL, NULL), 1) ||
	    cfg_flag(cfg_effective(&t->cfg, KW_KBDINTERACTIVE, NULL, NULL), 1)))
		return FAIL_AUTH;
	return m->fatal || !m->silent ? WARN_ONLY : NONE;
}

static const char *
effect(const struct pam_mod *m, int how)
{
	if (how == FAIL_ALL)
		return strcmp(m->type, "account") == 0 ? "every login is "
		    "refused after authentication" : "every login is cut off "
		    "when its session opens";
	if (how == FAIL_AUTH)
		return "password and keyboard-interactive logins fail (keys "
		    "still work)";
	if (m->fatal)
		return strcmp(m->type, "auth") == 0 ? "password logins would "
		    "fail (they are off)" : "password changes fail";
	return "libpam logs an error and passes over the line";
}

static void
add(struct target *t, struct plan *p, const struct pam_mod *m, int how,
    const char *dir)
{
	struct finding *f = plan_add_finding(p, &fault_pam_module,
	    how >= FAIL_AUTH ? SEV_ERROR : SEV_WARNING, m->module);
	const char *line = NULL;

	f->path = dir != NULL ? xasprintf("%s/%s", dir, m->module) :
	    xstrdup(m->module);
	finding_set_message(f, "PAM module %s (%s line %zu: %s%s %s) does "
	    "not exist: %s", f->path, m->file, m->line, m->silent ? "-" : "",
	    m->type, m->control, effect(m, how));
	if (how == FAIL_ALL && strcmp(m->type, "account") == 0)
		line = "Access denied for user USER by PAM account "
		    "configuration [preauth]";
	else if (how == FAIL_ALL)
		line = "PAM: pam_open_session(): Module is unknown";
	else if (how == FAIL_AUTH)
		line = "Failed password for USER from ADDR port N ssh2";
	if (!m->silent)
		finding_set_logline(f, "%s%sPAM unable to dlopen(%s): %s: "
		    "cannot open shared object file: No such file or directory "
		    "(libpam, to syslog)", line ? line : "", line ? " / " : "",
		    f->path, f->path);
	else if (line != NULL)
		finding_set_logline(f, "%s", line);
	finding_add_evidence(f, "config", "%s:%zu", m->file, m->line);
	finding_add_evidence(f, "path", "%s", f->path);
	reinstall_lookup_path(t, f, f->path);
}

/*
 * Is line I the first that loads its module? Then *at: the line to
 * report, the one where its absence does the most harm, and *how.
 */
static int
first_use(const struct target *t, const struct pam_stack *st, size_t i,
    size_t *at, int *how)
{
	size_t j;
	int h;

	*at = i;
	*how = NONE;
	for (j = 0; j < st->n; j++) {
		if (strcmp(st->m[j].module, st->m[i].module) != 0)
			continue;
		if (j < i)
			return 0;
		if ((h = impact(t, &st->m[j])) > *how) {
			*how = h;
			*at = j;
		}
	}
	return *how != NONE;
}

/*
 * The service whose stack sshd gets ("sshd", or "other" in its place),
 * NULL when libpam finds none, or "" when sshfix cannot tell (a vendor
 * directory, /etc/pam.conf, a path it cannot read).
 */
static const char *
service(struct target *t)
{
	static const char *const vendor[] = { "/usr/lib/pam.d/sshd",
	    "/usr/lib/pam.d/other", "/etc/pam.conf", NULL };
	size_t i;
	int r;

	if ((r = exists(t, "/etc/pam.d/sshd")) != ABSENT)
		return r == FOUND ? "sshd" : "";
	if ((r = exists(t, "/etc/pam.d/other")) != ABSENT)
		return r == FOUND ? "other" : "";
	/* A vendor directory, or pam.conf (read without /etc/pam.d):
	   not modelled, so not judged. */
	for (i = 0; vendor[i] != NULL; i++)
		if (exists(t, vendor[i]) != ABSENT)
			return "";
	return NULL;
}

static void
no_config(struct target *t, struct plan *p)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_USEPAM, NULL,
	    NULL);
	struct finding *f = plan_add_finding(p, &fault_pam_module, SEV_ERROR,
	    "/etc/pam.d/sshd");
	char *where = e ? cfg_where(&t->cfg, e->file, e->line) : NULL;

	finding_set_message(f, "UsePAM yes%s%s%s, and the target has no PAM "
	    "configuration for sshd (neither /etc/pam.d/sshd nor "
	    "/etc/pam.d/other): libpam cannot start, and sshd refuses every "
	    "login", where ? " (" : "", where ? where : "", where ? ")" : "");
	finding_set_logline(f, "PAM: initialisation failed");
	finding_add_evidence(f, "missing", "/etc/pam.d/sshd, /etc/pam.d/other");
	f->path = xstrdup("/etc/pam.d/sshd");
	f->kind = K_NOCONF;
	free(where);
}

static int
detect(struct target *t, struct plan *p)
{
	struct pam_stack st;
	const char *dir = NULL, *svc;
	size_t i, at;
	int how;

	if (!sshd_uses_pam(t))
		return 0;
	if ((svc = service(t)) == NULL) {
		no_config(t, p);
		return 0;
	}
	if (*svc == '\0')
		return 0;
	pamstack_load(t->rootfd, svc, &st, &t->unread);
	for (i = 0; i < st.n; i++)
		if (first_use(t, &st, i, &at, &how) &&
		    find_module(t, st.m[i].module, &dir) == ABSENT)
			add(t, p, &st.m[at], how, dir);
	pamstack_free(&st);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	const char *bad = NULL;
	char *cmd;

	(void)p;
	if (f->kind != K_NOCONF || t->os.family != OS_DEBIAN) {
		plan_reinstall(t, f, f->path);
		return;
	}
	/* dpkg keeps a conffile deleted by hand deleted, unless told. */
	cmd = t->live ? sh_cmd(&bad, "apt-get install --reinstall -o "
	    "Dpkg::Options::=--force-confmiss openssh-server") :
	    sh_cmd(&bad, "chroot %s apt-get install --reinstall -o "
	    "Dpkg::Options::=--force-confmiss openssh-server",
	    sh_root(t->rootdir));
	if (cmd == NULL)
		plan_add_unsafe(f, bad, "reinstall openssh-server with dpkg's "
		    "--force-confmiss");
	else
		plan_add_manual(f, "put back /etc/pam.d/sshd, the conffile "
		    "openssh-server ships: %s", cmd);
	free(cmd);
}

const struct fault fault_pam_module = {
	.id = "pam-module",
	.summary = "sshd's PAM service, or a module it names, is missing",
	.detect = detect,
	.plan = plan,
};
