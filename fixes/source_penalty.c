/*
 * source-penalty: OpenSSH 9.8 and later penalise a source address after
 * failed logins (PerSourcePenalties, on by default): for a while every
 * connection from it is dropped before the banner. After a fix, the
 * person who locked themselves out is still cut off; the client sees
 * "kex_exchange_identification: read: Connection reset by peer", sshd
 * logs "drop connection #N from [ADDR]:PORT on [ADDR]:PORT penalty:
 * failed authentication" (verified with upstream 10.0p2 in
 * tests/versions/t_releases.sh). Evidence only, from the target's own
 * logs in the log window (text logs and the journal: target_logs);
 * advice, never an edit: the penalty is sshd's defence.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addrmatch.h"
#include "fault.h"
#include "logscan.h"
#include "safefs.h"
#include "util.h"

/* Does the effective PerSourcePenaltyExemptList spare ADDR? */
static int
exempt(struct target *t, const char *addr)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_PENALTYEXEMPT,
	    NULL, NULL);

	return e != NULL && e->argc > 0 && addr_match_list(addr,
	    e->argv[0]) == 1;
}

/* Was ADDR named with --from (or was no address named)? */
static int
asked(struct target *t, const char *addr)
{
	size_t i;

	if (t->from == NULL)
		return 1;
	for (i = 0; t->from[i] != NULL; i++)
		if (strcmp(t->from[i], addr) == 0)
			return 1;
	return 0;
}

/* The penalties the logs show, per address. */
struct seen {
	char		 addr[64];
	size_t		 n;
	const struct logrec *last;
};

static void
report(struct plan *p, const struct seen *v)
{
	struct finding *f;

	f = plan_add_finding(p, &fault_source_penalty, SEV_WARNING, v->addr);
	finding_set_message(f, "sshd penalises %s after failed logins "
	    "(PerSourcePenalties): its connections are dropped before the "
	    "banner for a while, even once the fault is fixed", v->addr);
	finding_set_logline(f, "%s", v->last->msg);
	finding_add_evidence(f, "log", "%s", v->last->file);
	finding_add_evidence(f, "lines", "%zu", v->n);
	finding_add_evidence(f, "address", "%s", v->addr);
	f->aux = xstrdup(v->addr);
}

/* ADDR of a penalty line ("drop connection #N from [ADDR]:PORT on
 * [ADDR]:PORT penalty: REASON"), or 0. */
static int
penalty_addr(const char *msg, char addr[64])
{
	const char *from, *close;

	if (strncmp(msg, "drop connection #", 17) != 0 ||
	    strstr(msg, " penalty: ") == NULL ||
	    (from = strstr(msg, " from [")) == NULL ||
	    (close = strchr(from + 7, ']')) == NULL ||
	    (size_t)(close - from - 7) >= 64)
		return 0;
	memcpy(addr, from + 7, (size_t)(close - from - 7));
	addr[close - from - 7] = '\0';
	return 1;
}

static int
detect(struct target *t, struct plan *p)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_PENALTIES,
	    NULL, NULL);
	const struct logset *ls;
	struct seen *v = NULL;
	char addr[64];
	size_t n = 0, i, j;

	if (e != NULL && e->argc > 0 && strcasecmp(e->argv[0], "no") == 0)
		return 0;
	ls = target_logs(t);
	for (i = 0; i < ls->n; i++) {
		if (!penalty_addr(ls->v[i].msg, addr) || !asked(t, addr) ||
		    exempt(t, addr))
			continue;
		for (j = 0; j < n && strcmp(v[j].addr, addr) != 0; j++)
			;
		if (j == n) {
			v = xreallocarray(v, n + 1, sizeof(*v));
			memset(&v[n], 0, sizeof(*v));
			memcpy(v[n++].addr, addr, sizeof(addr));
		}
		v[j].n++;
		v[j].last = &ls->v[i];
	}
	for (j = 0; j < n; j++)
		report(p, &v[j]);
	free(v);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	(void)t;
	(void)p;
	plan_add_manual(f, "wait for the penalty to expire (sshd keeps it "
	    "from seconds to minutes, longer after repeated failures), or "
	    "spare this client: PerSourcePenaltyExemptList %s in "
	    "sshd_config", f->aux);
}

const struct fault fault_source_penalty = {
	.id = "source-penalty",
	.summary = "a client address penalised by PerSourcePenalties "
	    "(OpenSSH 9.8+) is dropped before the banner",
	.detect = detect,
	.plan = plan,
};
