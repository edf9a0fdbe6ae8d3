/*
 * What stays open: the temporary measures an earlier --apply left in
 * place, said in every report of a dry run until they are rolled back.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

void
open_measures_free(struct open_measure *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].snapshot);
		free(v[i].user);
		free(v[i].what);
		free(v[i].rollback);
	}
	free(v);
}

char *
open_measure_describe(const struct open_measure *m)
{
	return xasprintf("still open: a temporary measure for %s (snapshot "
	    "%s): %s; remove it with: %s", m->user, m->snapshot, m->what,
	    m->rollback);
}

/*
 * After an --apply, for a console a person reads once, in capitals: what
 * is open, for whom, and the exact command that closes it.
 */
static char *
open_measure_console(const struct open_measure *m)
{
	return xasprintf("TEMPORARY: password login opened for %s (%s); log "
	    "in as %s, add your key, then: %s", m->user, m->what, m->user,
	    m->rollback);
}

char *
open_measure_line(const struct run_info *ri, const struct open_measure *m)
{
	return strcmp(ri->mode, "dry-run") == 0 ? open_measure_describe(m) :
	    open_measure_console(m);
}

void
report_open_oneline(struct sbuf *b, const struct run_info *ri)
{
	size_t i;

	for (i = 0; i < ri->nopen; i++) {
		char *s = open_measure_line(ri, &ri->open[i]);

		sbuf_addf(b, "; %s", s);
		free(s);
	}
}

void
report_open_json(struct sbuf *b, const struct run_info *ri)
{
	size_t i;

	sbuf_adds(b, ",\"open\":[");
	for (i = 0; i < ri->nopen; i++) {
		sbuf_adds(b, i > 0 ? ",{" : "{");
		json_kv(b, "snapshot", ri->open[i].snapshot, 0);
		json_kv(b, "user", ri->open[i].user, 1);
		json_kv(b, "measure", ri->open[i].what, 1);
		json_kv(b, "rollback", ri->open[i].rollback, 1);
		sbuf_addc(b, '}');
	}
	sbuf_addc(b, ']');
}
