/*
 * --explain's report, as text or one JSON document. Combined with the
 * server (P not NULL): under each case whose cause is on the server, the
 * findings of the server's dry run among the faults that can cause it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report/explain.h"
#include "fixes/fault.h"
#include "report/report.h"
#include "shquote.h"
#include "util.h"

static int
case_has_fault(const struct xcase *c, const char *id)
{
	size_t i;

	for (i = 0; c->kind->faults[i] != NULL; i++)
		if (strcmp(c->kind->faults[i], id) == 0)
			return 1;
	return 0;
}

static void
text_case(FILE *fp, const struct xcase *c, size_t no, const char *root,
    const struct plan *p)
{
	size_t i, n = 0;
	struct sbuf b = { 0 };

	if (c->kind->side == XS_NONE)
		report_wrapf(fp, 0, 3, "%zu. %s: %s", no, c->kind->title,
		    c->detail);
	else
		report_wrapf(fp, 0, 3, "%zu. %s (%s side): %s", no,
		    c->kind->title, xside_name(c->kind->side), c->detail);
	report_wrapf(fp, 3, 5, "shown by: %s", c->line);
	report_wrapf(fp, 3, 5, "next: %s", c->next);
	if (c->cmd != NULL)	/* whole, on a line of its own */
		vis_line(fp, "       %s", c->cmd);
	for (i = 0; c->kind->faults[i] != NULL; i++)
		sbuf_addf(&b, "%s%s", i ? ", " : "", c->kind->faults[i]);
	if (i > 0)
		report_wrapf(fp, 3, 5, "sshfix faults that cause it: %s",
		    b.s);
	sbuf_free(&b);
	if (p == NULL || i == 0)
		return;
	for (i = 0; i < p->n; i++) {
		if (!case_has_fault(c, p->f[i].fault->id))
			continue;
		n++;
		report_wrapf(fp, 3, 5, "server %s: %s: %s: %s", root,
		    p->f[i].fault->id, p->f[i].subject ? p->f[i].subject : "",
		    p->f[i].message ? p->f[i].message : "");
	}
	if (n == 0)
		report_wrapf(fp, 3, 5, "server %s: none of these faults "
		    "found: the "
		    "cause is one sshfix has no check for, or not this "
		    "server's", root);
}

void
explain_text(FILE *fp, const struct client_log *cl, const char *root,
    const struct plan *p)
{
	size_t i;

	if (cl->n == 0)		/* main says so on standard error */
		return;
	report_wrapf(fp, 0, 4, "sshfix: explain: client %s, to %s port %s "
	    "as %s",
	    cl->version ? cl->version : "(version not shown)",
	    cl->host ? cl->host : "?", cl->port ? cl->port : "?",
	    cl->user ? cl->user : "?");
	for (i = 0; i < cl->n; i++)
		text_case(fp, &cl->c[i], i + 1, root, p);
	if (p != NULL && cl->nouser)
		report_wrapf(fp, 0, 4, "sshfix: explain: %s has no account "
		    "%s: sshd "
		    "refuses every login to it", root, cl->user);
	if (p != NULL) {
		char *r = sh_word(root, "ROOT");

		report_wrapf(fp, 0, 4, "sshfix: explain: combined with the "
		    "dry run of "
		    "%s (%zu finding%s; sshfix --root %s for the plan)", root,
		    p->n, p->n == 1 ? "" : "s", r);
		free(r);
	}
}

static void
json_case(struct sbuf *b, const struct xcase *c, const struct plan *p)
{
	size_t i, n = 0;

	sbuf_addc(b, '{');
	json_kv(b, "id", c->kind->id, 0);
	json_kv(b, "side", xside_name(c->kind->side), 1);
	json_kv(b, "title", c->kind->title, 1);
	json_kv(b, "detail", c->detail, 1);
	json_kv(b, "next", c->next, 1);
	json_kv(b, "command", c->cmd, 1);
	json_kv(b, "line", c->line, 1);
	json_strv(b, "faults", (char *const *)c->kind->faults, SIZE_MAX);
	sbuf_adds(b, ",\"found\":");
	if (p == NULL) {
		sbuf_adds(b, "null}");
		return;
	}
	sbuf_addc(b, '[');
	for (i = 0; i < p->n; i++) {
		if (!case_has_fault(c, p->f[i].fault->id))
			continue;
		sbuf_adds(b, n++ ? ",{" : "{");
		json_kv(b, "id", p->f[i].fault->id, 0);
		json_kv(b, "subject", p->f[i].subject, 1);
		json_kv(b, "message", p->f[i].message, 1);
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "]}");
}

void
explain_json(FILE *fp, const struct client_log *cl, const char *root,
    const struct plan *p)
{
	struct sbuf b = { 0 };
	size_t i;
	int works = cl->n == 1 && strcmp(cl->c[0].kind->id,
	    "authenticated") == 0;

	json_begin(&b, "explain", root);
	sbuf_adds(&b, ",\"client\":{");
	json_kv(&b, "version", cl->version, 0);
	json_kv(&b, "host", cl->host, 1);
	json_kv(&b, "address", cl->addr, 1);
	json_kv(&b, "port", cl->port, 1);
	json_kv(&b, "user", cl->user, 1);
	sbuf_adds(&b, "},\"cases\":[");
	for (i = 0; i < cl->n; i++) {
		if (i > 0)
			sbuf_addc(&b, ',');
		json_case(&b, &cl->c[i], p);
	}
	sbuf_addf(&b, "],\"combined\":%s,\"account_missing\":%s",
	    p != NULL ? "true" : "false", cl->nouser ? "true" : "false");
	json_end(&b, cl->n == 0 ? "nothing-recognised" : works ?
	    "login-works" : "explained", cl->n == 0 ? EXPLAIN_NOTHING : NULL);
	json_put(fp, &b);
}
