/*
 * address-banned: a brute-force blocker bans the person's address (the
 * --from one) again every time it starts: sshguard, its blacklist
 * (BLACKLIST_FILE) read at start and every address in it blocked, for
 * every port. sshd never sees the connection; the client waits ("Connection
 * timed out"). Only with --from: without the person's address, a list of
 * attackers is not a fault. The repair comments out the line (sshguard
 * passes over a line it cannot read), with --from only.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixes/fault.h"
#include "target/net/bans.h"
#include "util.h"

/* Has a finding of this fault already planned an edit of FILE:LINE? */
static int
line_reported(const struct plan *p, const char *file, size_t line)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].fault == &fault_address_banned &&
		    p->f[i].path != NULL && strcmp(p->f[i].path, file) == 0 &&
		    p->f[i].kind == (int)line - 1)
			return 1;
	return 0;
}

static int
detect(struct target *t, struct plan *p)
{
	struct finding *f;
	struct ban *b;
	char when[32];
	size_t n, i, k;
	struct tm tm;

	for (k = 0; t->from != NULL && t->from[k] != NULL; k++) {
		n = bans_of(t, t->from[k], &b);
		for (i = 0; i < n; i++) {
			/* one line banning two --from addresses: one
			   finding, one edit */
			if (line_reported(p, b[i].file, b[i].line))
				continue;
			f = plan_add_finding(p, &fault_address_banned,
			    SEV_ERROR, t->from[k]);
			if (gmtime_r(&b[i].since, &tm) == NULL ||
			    strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC",
			    &tm) == 0)
				snprintf(when, sizeof(when), "an unknown time");
			finding_add_evidence(f, b[i].by, "%s line %zu: %s",
			    b[i].file, b[i].line, b[i].text);
			finding_set_message(f, "%s blocks %s at every start "
			    "(%s line %zu: %s/%d, banned since %s), for every "
			    "port: the client waits and says \"Connection timed "
			    "out\", and sshd logs nothing", b[i].by, t->from[k],
			    b[i].file, b[i].line, b[i].addr, b[i].prefix, when);
			f->path = xstrdup(b[i].file);
			f->kind = (int)b[i].line - 1;
			f->aux = xstrdup(b[i].text);
		}
		bans_free(b, n);
	}
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	char *new = xasprintf("#%s", f->aux);

	(void)t;
	(void)p;
	plan_add_edit(f, f->path, (size_t)f->kind, f->aux, new, 0);
	plan_add_manual(f, "sshguard drops the ban when it next starts (or "
	    "now: systemctl restart sshguard); add the address to its "
	    "WHITELIST_FILE to keep it from being banned again");
	free(new);
}

const struct fault fault_address_banned = {
	.id = "address-banned",
	.summary = "a brute-force blocker bans the person's address again "
	    "every time it starts",
	.detect = detect,
	.plan = plan,
};
