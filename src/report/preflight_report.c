/*
 * --preflight's verdict as text (one line per problem, the first one
 * self-contained: configuration-management tools show only one) or as
 * one JSON object whose members an envelope can wrap.
 */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "report/preflight.h"
#include "report/report.h"
#include "util.h"

static int
locked(const struct pf_account *c)
{
	return c->must && strcmp(c->after, "refused") == 0;
}

static void
text_account(FILE *fp, const struct pf_account *c)
{
	struct sbuf b = { 0 };

	if (strcmp(c->before, "refused") == 0)
		sbuf_addf(&b, "%s: refused now and after: %s", c->user,
		    c->reason);
	else
		sbuf_addf(&b, "%s: %s accepted -> refused: %s", c->user,
		    c->before, c->reason);
	if (c->line != NULL)
		sbuf_addf(&b, " (%s)", c->line);
	vis_line(fp, "sshfix: preflight: %s", b.s);
	sbuf_free(&b);
}

static void
text_safe(FILE *fp, const struct preflight *pf)
{
	struct sbuf b = { 0 };
	size_t i, n = 0;

	for (i = 0; i < pf->n; i++)
		if (pf->acc[i].must)
			sbuf_addf(&b, "%s%s (%s)", n++ ? ", " : "",
			    pf->acc[i].user, pf->acc[i].after);
	vis_line(fp, "sshfix: preflight: safe: sshd would start; %s%s%s",
	    n ? "still get in: " : "no account gets in now",
	    n ? b.s : "", pf->read ? "" : "; note: no Include reads this "
	    "path, so the candidate changes nothing");
	sbuf_free(&b);
}

void
preflight_text(FILE *fp, const struct preflight *pf)
{
	size_t i;

	if (pf->safe) {
		text_safe(fp, pf);
		return;
	}
	if (!pf->start_ok)
		vis_line(fp, "sshfix: preflight: sshd would not start: %s",
		    pf->start_error);
	for (i = 0; i < pf->n && pf->start_ok; i++)
		if (locked(&pf->acc[i]))
			text_account(fp, &pf->acc[i]);
}

static void
json_account(struct sbuf *b, const struct pf_account *c, int comma)
{
	if (comma)
		sbuf_addc(b, ',');
	sbuf_addc(b, '{');
	json_kv(b, "user", c->user, 0);
	json_kv(b, "before", c->before, 1);
	json_kv(b, "after", c->after, 1);
	sbuf_addf(b, ",\"must\":%s,\"locked_out\":%s", c->must ? "true" :
	    "false", locked(c) ? "true" : "false");
	json_kv(b, "reason", c->reason, 1);
	json_kv(b, "line", c->line, 1);
	sbuf_addc(b, '}');
}

void
preflight_json(FILE *fp, const struct preflight *pf, const char *root)
{
	struct sbuf b = { 0 };
	size_t i;

	json_begin(&b, "preflight", root);
	sbuf_addf(&b, ",\"safe\":%s", pf->safe ? "true" : "false");
	json_kv(&b, "candidate", pf->candidate, 1);
	json_kv(&b, "as", pf->as, 1);
	sbuf_addf(&b, ",\"read\":%s,\"accounts\":[", pf->read ? "true" :
	    "false");
	for (i = 0; i < pf->n; i++)
		json_account(&b, &pf->acc[i], i > 0);
	sbuf_addf(&b, "],\"start\":{\"ok\":%s", pf->start_ok ? "true" :
	    "false");
	json_kv(&b, "error", pf->start_error, 1);
	sbuf_addc(&b, '}');
	json_end(&b, pf->safe ? "safe" : "unsafe", NULL);
	json_put(fp, &b);
}
