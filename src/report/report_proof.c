/*
 * The proof by the real sshd (prove.h) in each report's form: what the
 * installed sshd answered for each account and key, in its own words.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "prove/prove.h"
#include "report/report.h"
#include "util.h"

/* One try in words, escaped for a terminal. */
static char *
try_line(const struct proof_try *tr)
{
	struct sbuf b = { 0 };
	char *v;

	v = vis_str(tr->user);
	sbuf_addf(&b, "%s: ", v);
	free(v);
	if (tr->key != NULL) {
		v = vis_str(tr->key);
		sbuf_addf(&b, "key %s %s", v, tr->accepted == 1 ?
		    "is accepted" : tr->accepted == 0 ? "is NOT accepted" :
		    "got no answer");
		free(v);
	} else
		sbuf_adds(&b, tr->accepted == -1 ? "no answer" :
		    "methods offered");
	if (tr->methods != NULL) {
		v = vis_str(tr->methods);
		sbuf_addf(&b, "%s%s", tr->key != NULL ?
		    "; methods offered: " : ": ", v);
		free(v);
	}
	if (tr->accepted == -1 && tr->client_says != NULL) {
		v = vis_str(tr->client_says);
		sbuf_addf(&b, " (the client: \"%s\")", v);
		free(v);
	}
	return sbuf_take(&b);
}

void
report_proof_text(FILE *fp, const struct proof *pf)
{
	size_t i, j;
	char *v, *s;

	if (pf == NULL || !pf->ran)
		return;
	fputc('\n', fp);
	if (pf->error != NULL) {
		v = vis_str(pf->error);
		s = xasprintf("not proved by sshd: %s", v);
		report_wrap(fp, 0, 2, s);
		free(s);
		free(v);
		return;
	}
	v = vis_str(pf->sshd ? pf->sshd : "version not announced");
	if (pf->rescue) {
		char *d = vis_str(pf->disk_sshd ? pf->disk_sshd :
		    "not known");

		s = xasprintf("proved by sshd (%s, this rescue machine's, not "
		    "the disk's %s, with the disk's configuration, accounts "
		    "and homes mounted over its own; asked from loopback in a "
		    "private network: Match Address and from= are judged for "
		    "127.0.0.x):", v, d);
		free(d);
	} else
		s = xasprintf("proved by sshd (%s, this system's own, with "
		    "its configuration, asked from loopback in a private "
		    "network: Match Address and from= are judged for "
		    "127.0.0.x):", v);
	report_wrap(fp, 0, 2, s);
	free(s);
	free(v);
	for (i = 0; i < pf->n; i++) {
		s = try_line(&pf->v[i]);
		report_wrap(fp, 2, 4, s);
		free(s);
		for (j = 0; pf->v[i].sshd_says != NULL &&
		    pf->v[i].sshd_says[j] != NULL; j++) {
			v = vis_str(pf->v[i].sshd_says[j]);
			s = xasprintf("sshd: %s", v);
			report_wrap(fp, 4, 6, s);
			free(s);
			free(v);
		}
	}
}

void
report_proof_json(struct sbuf *b, const struct proof *pf)
{
	size_t i;

	if (pf == NULL || !pf->ran)
		return;
	sbuf_adds(b, ",\"proof\":{");
	json_kv(b, "sshd", pf->sshd, 0);
	sbuf_addf(b, ",\"rescue\":%s", pf->rescue ? "true" : "false");
	json_kv(b, "disk_sshd", pf->disk_sshd, 1);
	json_kv(b, "error", pf->error, 1);
	sbuf_adds(b, ",\"tries\":[");
	for (i = 0; i < pf->n; i++) {
		const struct proof_try *tr = &pf->v[i];

		sbuf_adds(b, i > 0 ? ",{" : "{");
		json_kv(b, "user", tr->user, 0);
		json_kv(b, "key", tr->key, 1);
		sbuf_addf(b, ",\"accepted\":%s", tr->accepted == 1 ? "true" :
		    tr->accepted == 0 ? "false" : "null");
		json_kv(b, "methods", tr->methods, 1);
		json_strv(b, "sshd_says", tr->sshd_says, SIZE_MAX);
		json_kv(b, "client_says", tr->client_says, 1);
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "]}");
}
