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

#include "target/config/addrmatch.h"
#include "fixes/fault.h"
#include "target/logs/logscan.h"
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
	size_t		 last;		/* the newest line's index */
};

/*
 * At most this many addresses become findings, the newest first: a
 * server on the internet (or a disk made for it) penalises thousands,
 * and the person who is locked out tried last. The rest are counted in
 * a note; --from names one's own.
 */
#define PENALTY_MAX	16

static void
report(struct plan *p, const struct logset *ls, const struct seen *v)
{
	const struct logrec *last = &ls->v[v->last];
	struct finding *f;

	f = plan_add_finding(p, &fault_source_penalty, SEV_WARNING, v->addr);
	finding_set_message(f, "sshd penalises %s after failed logins "
	    "(PerSourcePenalties): its connections are dropped before the "
	    "banner for a while, even once the fault is fixed", v->addr);
	finding_set_logline(f, "%s", last->msg);
	finding_add_evidence(f, "log", "%s", last->file);
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

/* By address, then by line (the newest of a group is its last). */
static int
by_addr(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->addr, y->addr);

	return c != 0 ? c : x->last < y->last ? -1 : x->last > y->last;
}

static int
newest_first(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	return x->last < y->last ? 1 : x->last > y->last ? -1 : 0;
}

/*
 * Every penalty line of the window, one entry each, sorted and folded
 * into one per address (O(n log n): a line-by-address scan was
 * quadratic in the addresses). Returns how many addresses.
 */
static size_t
fold(struct target *t, const struct logset *ls, struct seen **out)
{
	struct seen *v = NULL;
	size_t n = 0, m = 0, cap = 0, i;
	char addr[64];

	for (i = 0; i < ls->n; i++) {
		if (!penalty_addr(ls->v[i].msg, addr) || !asked(t, addr))
			continue;
		if (n == cap)
			v = xreallocarray(v, cap = cap ? cap * 2 : 64,
			    sizeof(*v));
		memcpy(v[n].addr, addr, sizeof(addr));
		v[n].n = 1;
		v[n++].last = i;
	}
	sort(v, n, sizeof(*v), by_addr);
	for (i = 0; i < n; i++) {
		if (m > 0 && strcmp(v[m - 1].addr, v[i].addr) == 0) {
			v[m - 1].n++;
			v[m - 1].last = v[i].last;
		} else if (!exempt(t, v[i].addr))
			v[m++] = v[i];
		else	/* the next line of the same address: skipped too */
			while (i + 1 < n && strcmp(v[i + 1].addr,
			    v[i].addr) == 0)
				i++;
	}
	*out = v;
	return m;
}

static int
detect(struct target *t, struct plan *p)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_PENALTIES,
	    NULL, NULL);
	const struct logset *ls;
	struct seen *v;
	size_t n, j;

	if (e != NULL && e->argc > 0 && strcasecmp(e->argv[0], "no") == 0)
		return 0;
	ls = target_logs(t);
	n = fold(t, ls, &v);
	sort(v, n, sizeof(*v), newest_first);
	for (j = 0; j < n && j < PENALTY_MAX; j++)
		report(p, ls, &v[j]);
	if (n > PENALTY_MAX)
		target_note(t, "sshd penalised %zu more addresses than the %d "
		    "newest reported (PerSourcePenalties); rerun with --from "
		    "ADDR (the address you connect from) to see whether yours "
		    "is one", n - PENALTY_MAX, PENALTY_MAX);
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
