/*
 * listen-address: a ListenAddress names an address this machine does not
 * have (a cloud VM whose private address changed). sshd logs "Bind to
 * port P on ADDR failed: Cannot assign requested address." for it and,
 * when no address at all could be bound, "Cannot bind any address." and
 * exits. The repair comments the dead lines out; when every line is dead
 * that leaves none, and sshd listens on the wildcard.
 */
#include <stdlib.h>
#include <string.h>

#include "plan/remedy.h"
#include "fixes/fault.h"
#include "target/net/listen.h"
#include "target/net/localaddr.h"
#include "util.h"

/* Did an earlier fault (address-family) already claim this line? */
static int
claimed(const struct plan *p, const struct cfg_entry *e)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].entry == e)
			return 1;
	return 0;
}

static void
report(struct target *t, struct plan *p, const struct listen *l, int all)
{
	char *where = cfg_where(&t->cfg, l->entry->file, l->entry->line);
	char *s = listen_str(l);
	struct finding *f = plan_add_finding(p, &fault_listen_address,
	    all ? SEV_ERROR : SEV_WARNING, where);

	finding_add_evidence(f, "config", "%s", where);
	finding_add_evidence(f, "line", "ListenAddress %s", l->value);
	finding_set_message(f, "ListenAddress %s: the target has no such "
	    "address; %s", l->value, all ? "no ListenAddress can be bound, "
	    "so sshd exits (with every one commented out it listens on all "
	    "addresses)" : "sshd runs, but nobody can connect to it there");
	finding_set_logline(f, "Bind to port %d on %s failed: Cannot assign "
	    "requested address.%s", l->port, l->value, all ?
	    " / Cannot bind any address." : "");
	f->entry = l->entry;
	free(where);
	free(s);
}

static int
detect(struct target *t, struct plan *p)
{
	struct local_addrs la = { 0 };
	struct listen *l;
	size_t n = listen_effective(&t->cfg, &l), i, bad = 0, entries = 0;
	int *st = xcalloc(n + 1, sizeof(*st));
	char *why;

	for (i = 0; i < n; i++) {
		st[i] = -1;	/* not judged */
		if (l[i].entry == NULL || claimed(p, l[i].entry) ||
		    (i > 0 && l[i - 1].entry == l[i].entry))
			continue;
		entries++;
		st[i] = local_addr(t, &la, &l[i], &why);
		bad += st[i] == LA_ABSENT;
		if (st[i] == LA_UNKNOWN) {
			char *w = cfg_where(&t->cfg, l[i].entry->file,
			    l[i].entry->line);

			target_note(t, "ListenAddress %s (%s): cannot tell "
			    "whether the target has this address (%s)",
			    l[i].value, w, why);
			free(w);
		}
		free(why);
	}
	for (i = 0; i < n; i++)
		if (st[i] == LA_ABSENT)
			report(t, p, &l[i], bad == entries);
	local_addrs_free(&la);
	free(st);
	free(l);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	(void)p;
	plan_comment_out(t, f, f->entry);
}

const struct fault fault_listen_address = {
	.id = "listen-address",
	.summary = "a ListenAddress names an address this machine lacks",
	.detect = detect,
	.plan = plan,
};
