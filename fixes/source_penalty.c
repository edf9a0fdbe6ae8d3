/*
 * source-penalty: OpenSSH 9.8 and later penalise a source address after
 * failed logins (PerSourcePenalties, on by default): for a while every
 * connection from it is dropped before the banner. After a fix, the
 * person who locked themselves out is still cut off; the client sees
 * "kex_exchange_identification: read: Connection reset by peer", sshd
 * logs "drop connection #N from [ADDR]:PORT on [ADDR]:PORT penalty:
 * failed authentication" (verified with upstream 10.0p2 in
 * tests/versions/t_releases.sh). Evidence only, from the target's own
 * log (the last MiB of auth.log or secure); advice, never an
 * edit: the penalty is sshd's defence.
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

static const char *const logs[] = { "/var/log/auth.log", "/var/log/secure" };

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

/* The penalties one log shows, per address. */
struct seen {
	char	 addr[64];
	size_t	 n;
	char	*last;		/* the last line, from "drop connection" */
};

static void
report(struct plan *p, const struct seen *v, const char *file)
{
	struct finding *f;

	f = plan_add_finding(p, &fault_source_penalty, SEV_WARNING, v->addr);
	finding_set_message(f, "sshd penalises %s after failed logins "
	    "(PerSourcePenalties): its connections are dropped before the "
	    "banner for a while, even once the fault is fixed", v->addr);
	finding_set_logline(f, "%s", v->last);
	finding_add_evidence(f, "log", "%s", file);
	finding_add_evidence(f, "lines", "%zu", v->n);
	finding_add_evidence(f, "address", "%s", v->addr);
	f->aux = xstrdup(v->addr);
}

/* ADDR of a penalty line ("... sshd...: drop connection #N from
 * [ADDR]:PORT on ... penalty: REASON"), or 0. */
static int
penalty_addr(const char *line, char addr[64])
{
	const char *d, *from, *close;

	if (strstr(line, "sshd") == NULL ||
	    (d = strstr(line, "drop connection #")) == NULL ||
	    strstr(d, " penalty: ") == NULL ||
	    (from = strstr(d, " from [")) == NULL ||
	    (close = strchr(from + 7, ']')) == NULL ||
	    (size_t)(close - from - 7) >= 64)
		return 0;
	memcpy(addr, from + 7, (size_t)(close - from - 7));
	addr[close - from - 7] = '\0';
	return 1;
}

static void
scan(struct target *t, struct plan *p, const char *file, const char *data,
    size_t len)
{
	const char *s, *e, *end = data + len;
	struct seen *v = NULL;
	char addr[64], *line;
	size_t n = 0, i;

	/* Only the lines that say "penalty: " are read: a big log costs
	 * one memmem pass. */
	for (s = data; s < end && (s = memmem(s, (size_t)(end - s),
	    " penalty: ", 10)) != NULL; s = e + 1) {
		e = s;
		while (s > data && s[-1] != '\n')
			s--;
		if ((e = memchr(e, '\n', (size_t)(end - e))) == NULL)
			e = end;
		line = xstrndup(s, (size_t)(e - s));
		if (penalty_addr(line, addr) && asked(t, addr) &&
		    !exempt(t, addr)) {
			for (i = 0; i < n && strcmp(v[i].addr, addr) != 0; i++)
				;
			if (i == n) {
				v = xreallocarray(v, n + 1, sizeof(*v));
				memset(&v[n], 0, sizeof(*v));
				memcpy(v[n++].addr, addr, sizeof(addr));
			}
			v[i].n++;
			free(v[i].last);
			v[i].last = xstrdup(strstr(line, "drop connection #"));
		}
		free(line);
	}
	for (i = 0; i < n; i++) {
		report(p, &v[i], file);
		free(v[i].last);
	}
	free(v);
}

static int
detect(struct target *t, struct plan *p)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_PENALTIES,
	    NULL, NULL);
	char *data;
	size_t i, len;

	if (e != NULL && e->argc > 0 && strcasecmp(e->argv[0], "no") == 0)
		return 0;
	for (i = 0; i < ARRAY_LEN(logs); i++) {
		if ((data = log_tail(t, logs[i], 1024 * 1024, &len)) == NULL)
			continue;
		scan(t, p, logs[i], data, len);
		free(data);
	}
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
