/*
 * max-auth-tries: MaxAuthTries 1 (or 0) ends the connection at the first
 * failed attempt: a client that offers a key the server does not know
 * before the right one (an agent with several keys, ~/.ssh/id_* tried in
 * turn) never reaches it. sshd logs "maximum authentication attempts
 * exceeded for USER from ADDR port N ssh2 [preauth]", the client prints
 * "Too many authentication failures". Advice only: the value may be a
 * deliberate choice.
 */
#include <stdlib.h>

#include "fixes/fault.h"
#include "util.h"

static int
detect(struct target *t, struct plan *p)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_MAXAUTHTRIES,
	    NULL, NULL);
	struct finding *f;
	char *where, *ep;
	long v;

	if (e == NULL || e->argc == 0)
		return 0;
	v = strtol(e->argv[0], &ep, 10);
	if (*ep != '\0' || v < 0 || v > 1)
		return 0;
	where = cfg_where(&t->cfg, e->file, e->line);
	f = plan_add_finding(p, &fault_max_auth_tries, SEV_WARNING, where);
	finding_add_evidence(f, "config", "%s", where);
	finding_add_evidence(f, "line", "%s %s", e->keyword, e->argv[0]);
	finding_set_message(f, "MaxAuthTries %ld: the first key or password "
	    "that fails ends the connection, so a client offering several "
	    "keys is refused before it tries the right one", v);
	finding_set_logline(f, "maximum authentication attempts exceeded for "
	    "USER from ADDR port N ssh2 [preauth]");
	f->entry = e;
	free(where);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	(void)p;
	plan_add_manual(f, "raise MaxAuthTries (default 6) in %s, or have "
	    "clients offer only the right key (ssh -o IdentitiesOnly=yes "
	    "-i KEY)", t->cfg.files[f->entry->file].path);
}

const struct fault fault_max_auth_tries = {
	.id = "max-auth-tries",
	.summary = "MaxAuthTries so low that a client offering several keys "
	    "is refused",
	.detect = detect,
	.plan = plan,
};
