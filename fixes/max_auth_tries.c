/*
 * max-auth-tries: MaxAuthTries too low for a login. auth2.c counts every
 * failed request after the first "none" and disconnects once the count
 * reaches MaxAuthTries; the check runs after the "none" request too, so:
 *   0 (or less; OpenSSH 7.4 reads "many" as 0: REL_INT_ATOI)
 *       every connection ends at its first request, before any key or
 *       password is tried: an ERROR. Global: nobody gets in, and the line
 *       is set back to the default. In a Match block: the accounts it
 *       applies to, for a --user named; advice only (a block shutting
 *       some accounts out may be meant).
 *   1   the first key or password that fails ends the connection: a
 *       client offering several keys (an agent, ~/.ssh/id_* in turn)
 *       never reaches the right one. A WARNING, advice only: the value may
 *       be a deliberate choice.
 * sshd logs "maximum authentication attempts exceeded for USER from ADDR
 * port N ssh2 [preauth]", the client prints "Too many authentication
 * failures".
 */
#include <stdlib.h>

#include "fixes/fault.h"
#include "target/login/login.h"
#include "target/login/methods.h"
#include "target/release.h"
#include "util.h"

enum { K_ONE = 1, K_NONE, K_NONE_MATCH };

#define MAT_DEFAULT	"MaxAuthTries 6"
#define MAT_LOGLINE	"maximum authentication attempts exceeded for %s from " \
	"ADDR port N ssh2 [preauth]"

static struct finding *
add(struct target *t, struct plan *p, const struct cfg_entry *e,
    const char *user, int kind)
{
	struct finding *f;
	char *where = cfg_where(&t->cfg, e->file, e->line);

	f = plan_add_finding(p, &fault_max_auth_tries,
	    kind == K_ONE ? SEV_WARNING : SEV_ERROR, user ? user : where);
	if (user != NULL)
		f->user = xstrdup(user);
	f->entry = e;
	f->kind = kind;
	finding_add_evidence(f, "config", "%s", where);
	finding_add_evidence(f, "line", "%s %s", e->keyword, e->argv[0]);
	finding_set_logline(f, MAT_LOGLINE, user ? user : "USER");
	free(where);
	return f;
}

static int
detect(struct target *t, struct plan *p)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_MAXAUTHTRIES,
	    NULL, NULL);
	struct finding *f;
	long v;

	if (e == NULL || e->argc == 0 || release_int(t, e->argv[0], &v) != 1 ||
	    v > 1)
		return 0;
	if (v == 1) {
		f = add(t, p, e, NULL, K_ONE);
		finding_set_message(f, "MaxAuthTries 1: the first key or "
		    "password that fails ends the connection, so a client "
		    "offering several keys is refused before it tries the "
		    "right one");
		return 0;
	}
	f = add(t, p, e, NULL, K_NONE);
	finding_set_message(f, "MaxAuthTries %s%s: sshd disconnects every "
	    "login at its first request, before any key or password is "
	    "tried: nobody can log in", e->argv[0], v == 0 &&
	    e->argv[0][0] == '0' ? "" : " (this release reads it as 0)");
	return 0;
}

/* A Match block's MaxAuthTries 0 shutting out an account named. */
static void
account(struct target *t, struct plan *p, const struct login *l, void *arg)
{
	const struct cfg_entry *e;
	struct finding *f;

	(void)arg;
	if (t->users == NULL || methods_no_tries(t, &l->ctx, &e) != M_YES ||
	    e == NULL || e->match == NULL)
		return;
	f = add(t, p, e, l->a->name, K_NONE_MATCH);
	finding_set_message(f, "MaxAuthTries %s in a Match block that "
	    "applies to %s: sshd disconnects its logins at the first "
	    "request, before any key or password is tried", e->argv[0],
	    l->a->name);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	const char *path = t->cfg.files[f->entry->file].path;
	char *old, *where;

	(void)p;
	if (f->kind == K_ONE) {
		plan_add_manual(f, "raise MaxAuthTries (default 6) in %s, or "
		    "have clients offer only the right key (ssh -o "
		    "IdentitiesOnly=yes -i KEY)", path);
		return;
	}
	if (f->kind == K_NONE_MATCH) {
		where = cfg_where(&t->cfg, f->entry->file, f->entry->line);
		plan_add_manual(f, "if %s should log in, raise MaxAuthTries "
		    "(default 6) in the Match block at %s", f->user, where);
		free(where);
		return;
	}
	old = cfg_line_text(&t->cfg, f->entry->file, f->entry->line);
	plan_add_edit(f, path, f->entry->line, old, MAT_DEFAULT, 0);
	free(old);
}

const struct fault fault_max_auth_tries = {
	.id = "max-auth-tries",
	.summary = "MaxAuthTries so low that sshd ends a login before the "
	    "right key or password",
	.detect = detect,
	.account = account,
	.plan = plan,
};
