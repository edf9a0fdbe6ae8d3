/*
 * The access table: one line per account with a way in (and root, and
 * every account the evidence names), sshd's verdict on it and why;
 * refused and cannot-tell first, then a count of the rest. A finding of
 * the plan about the account (f->user) that the model's verdict does not
 * know (a home sshd refuses, an expired account) makes it refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixes/fault.h"
#include "report/report.h"
#include "target/login/people.h"
#include "util.h"

/* Rows shown per verdict before "and N more". */
#define SHOW_REFUSED	20
#define SHOW_OK		5

static const char *const vword[] = { "ok", "refused", "cannot-tell" };

struct view {
	enum verdict	 v;
	char		 methods[64];	/* V_OK: the ways in left */
	const char	*why;
	const char	*where;
	const char	*fault;		/* the finding's id, or NULL */
};

/*
 * METHODS ("publickey,password") without publickey: 1 if a way in is
 * left, else 0 (METHODS unchanged).
 */
static int
drop_publickey(char *methods, size_t size)
{
	char left[64] = "", copy[64], *s, *tok, *save = NULL;
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", methods);
	for (s = copy; (tok = strtok_r(s, ",", &save)) != NULL; s = NULL)
		if (strcmp(tok, "publickey") != 0)
			n += snprintf(left + n, n < sizeof(left) ?
			    sizeof(left) - n : 0, "%s%s", n ? "," : "", tok);
	if (n == 0 || n >= sizeof(left))
		return 0;
	snprintf(methods, size, "%s", left);
	return 1;
}

static void
view(const struct person *p, const struct plan *pl, struct view *w)
{
	size_t i;

	w->v = p->v;
	w->why = p->why;
	w->where = p->where;
	w->fault = NULL;
	snprintf(w->methods, sizeof(w->methods), "%s", p->methods);
	for (i = 0; pl != NULL && i < pl->n && w->fault == NULL; i++) {
		const struct finding *f = &pl->f[i];

		if (f->user == NULL || strcmp(f->user, p->name) != 0 ||
		    f->sev != SEV_ERROR)
			continue;
		/* Keys shut, a password or keyboard-interactive still in. */
		if (f->fault->keys_only && w->v == V_OK &&
		    drop_publickey(w->methods, sizeof(w->methods)))
			continue;
		w->fault = f->fault->id;
		if (w->v != V_OK)
			continue;
		w->v = V_REFUSED;
		w->why = f->message ? f->message : f->fault->summary;
		w->where = NULL;
	}
}

/* An error of the plan about no one account: sshd refuses everyone. */
static int
global_fault(const struct plan *pl)
{
	size_t i;

	for (i = 0; pl != NULL && i < pl->n; i++)
		if (pl->f[i].sev == SEV_ERROR && pl->f[i].user == NULL)
			return 1;
	return 0;
}

/* Shown: a way in, root, or named by the evidence. */
static int
shown(const struct person *p)
{
	return p->creds || p->uid == 0 || p->ev != 0;
}

static void
text_row(FILE *fp, const struct person *p,
    const struct view *w)
{
	struct sbuf b = { 0 };

	sbuf_addf(&b, "%s %-8s %-11s ", p->ev ? "*" : " ", p->name,
	    vword[w->v]);
	if (w->v == V_OK)
		sbuf_adds(&b, w->methods[0] ? w->methods : "-");
	else {
		if (w->fault != NULL)
			sbuf_addf(&b, "%s: ", w->fault);
		sbuf_adds(&b, w->why ? w->why : "");
		if (w->where != NULL)
			sbuf_addf(&b, " (%s)", w->where);
		if (w->v == V_REFUSED && p->ev == 0 && p->policy &&
		    w->fault == NULL)
			sbuf_adds(&b, ": deliberate? no evidence names it, "
			    "nothing is changed");
		else if (w->v == V_REFUSED && p->ev == 0 && p->creds == 0)
			sbuf_adds(&b, " (not a way in)");
	}
	report_wrap(fp, 2, 25, b.s);
	sbuf_free(&b);
	if (p->ev != 0) {
		char *s = xasprintf("the person's account: %s", p->evidence);

		report_wrap(fp, 25, 25, s);
		free(s);
	}
}

void
report_people_text(FILE *fp, struct target *t, const struct plan *pl)
{
	const struct people *pp = target_people(t);
	struct view w;
	size_t i, more[3] = { 0, 0, 0 }, shown_n[3] = { 0, 0, 0 };
	int pass;
	char *s;

	fprintf(fp, "\naccounts (* the person's, from the evidence)%s:\n",
	    global_fault(pl) ? ", once the above is fixed" : "");
	/* Refused and cannot-tell first, then ok. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < pp->n; i++) {
			const struct person *p = &pp->v[i];

			if (!shown(p))
				continue;
			view(p, pl, &w);
			if ((w.v == V_OK) != pass)
				continue;
			if (shown_n[w.v] >= (w.v == V_OK ? SHOW_OK :
			    SHOW_REFUSED) && p->ev == 0) {
				more[w.v]++;
				continue;
			}
			shown_n[w.v]++;
			text_row(fp, p, &w);
		}
	for (i = 0; i < 3; i++)
		if (more[i] > 0)
			fprintf(fp, "  and %zu more %s\n", more[i], vword[i]);
	if (pp->nbare > 0)
		fprintf(fp, "  %zu login account%s with no key and no password "
		    "(not a way in)\n", pp->nbare, pp->nbare == 1 ? "" : "s");
	if (pp->ntargets == 0)
		report_wrap(fp, 2, 4, "no evidence names the person's account: "
		    "judged \"can any account log in?\"; name yours with "
		    "--user");
	if (pp->unknown != NULL) {
		s = xasprintf("the logs show attempts as accounts that do not "
		    "exist here: %s", pp->unknown);
		report_wrap(fp, 2, 4, s);
		free(s);
	}
	if (pp->scans != NULL) {
		s = xasprintf("not counted as evidence (a scan): %s", pp->scans);
		report_wrap(fp, 2, 4, s);
		free(s);
	}
}

void
report_people_json(struct sbuf *b, struct target *t, const struct plan *pl)
{
	const struct people *pp = target_people(t);
	struct view w;
	size_t i, n = 0;
	int ev;

	sbuf_adds(b, ",\"accounts\":[");
	for (i = 0; i < pp->n; i++) {
		const struct person *p = &pp->v[i];

		if (!shown(p) || plan_alone(pl))
			continue;
		view(p, pl, &w);
		sbuf_adds(b, n++ ? ",{" : "{");
		json_kv(b, "name", p->name, 0);
		sbuf_addf(b, ",\"uid\":%u", (unsigned)p->uid);
		json_kv(b, "verdict", vword[w.v], 1);
		sbuf_addf(b, ",\"target\":%s,\"credentials\":%s",
		    p->ev ? "true" : "false", p->creds ? "true" : "false");
		json_kv(b, "methods", w.v == V_OK ? w.methods : "", 1);
		sbuf_adds(b, ",\"reasons\":[");
		if (w.v != V_OK) {
			sbuf_addc(b, '{');
			json_kv(b, "text", w.why ? w.why : "", 0);
			json_kv(b, "where", w.where, 1);
			json_kv(b, "finding", w.fault, 1);
			sbuf_addc(b, '}');
		}
		sbuf_adds(b, "],\"evidence\":[");
		for (ev = 1; ev <= EV_HUMAN; ev <<= 1)
			if (p->ev & ev) {
				if (b->s[b->len - 1] != '[')
					sbuf_addc(b, ',');
				json_string(b, people_ev_name(ev));
			}
		sbuf_addc(b, ']');
		json_kv(b, "evidence_text", p->evidence, 1);
		sbuf_addc(b, '}');
	}
	/* As the text's "once the above is fixed": nobody gets in now. */
	sbuf_addf(b, "],\"accounts_once_fixed\":%s",
	    global_fault(pl) ? "true" : "false");
	sbuf_addf(b, ",\"accounts_without_way_in\":%zu", pp->nbare);
	json_kv(b, "log_unknown_users", pp->unknown, 1);
	json_kv(b, "log_scans", pp->scans, 1);
}
