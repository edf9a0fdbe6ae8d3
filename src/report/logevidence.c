/*
 * The target's sshd lines as evidence for the findings: a finding's
 * logline (what sshd logs for it, placeholders USER, ADDR, N cut off;
 * each of its lines where it names several, " / " between them)
 * found in a line attaches that line's count and times to it. Lines of
 * known trouble that no finding explains become notes: sshd saw
 * something sshfix has no check for.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/logevidence.h"
#include "fixes/fault.h"
#include "target/logs/logscan.h"
#include "plan/plan.h"
#include "target/target.h"
#include "util.h"

/* Shorter keys would match lines of other faults. */
#define KEY_MIN		16

/* Trouble in sshd's log that no check of sshfix explains. */
static const struct {
	const char *pat;
	const char *why;
} unexplained[] = {
	{ "Too many authentication failures", "the client offers more "
	    "keys than MaxAuthTries allows: IdentitiesOnly yes and -i on "
	    "the client" },
	{ "MaxStartups throttling", "too many unauthenticated connections "
	    "at once (MaxStartups): a scan, or clients that hang" },
	{ "Connection reset by peer", "the connection was cut during key "
	    "exchange: a firewall, a load balancer or a penalty" },
	{ "penalty: ", "connections dropped by PerSourcePenalties" },
	{ "no hostkeys available", "sshd had no usable host key" },
	{ "Unable to negotiate with", "client and server share no "
	    "algorithm" },
	{ "Did not receive identification string", "a connection closed "
	    "before the SSH banner: a scan or a health check" },
	{ "error: kex_exchange_identification", "the connection closed "
	    "before the SSH banner" },
};

static const char *const placeholders[] = { "USER", "ADDR", "N", "PORT" };

/* How much of LL is literal: up to its first placeholder word. */
static size_t
key_len(const char *ll)
{
	size_t i, n, len = strlen(ll);
	const char *w;

	for (w = ll; *w != '\0'; w++) {
		if (w != ll && w[-1] != ' ' && w[-1] != '#')
			continue;
		for (i = 0; i < ARRAY_LEN(placeholders); i++) {
			n = strlen(placeholders[i]);
			if (strncmp(w, placeholders[i], n) == 0 &&
			    strchr(" :,]", w[n]) != NULL)
				return (size_t)(w - ll);
		}
	}
	return len;
}

static int
path_char(int c)
{
	return c != '\0' && (isalnum(c) || strchr("/._-", c) != NULL);
}

/* The first N bytes of KEY in MSG, not as the start of a longer word or
   path: "directory /home/alice" is not "directory /home/alice/.ssh". */
static int
found(const char *msg, const char *key, size_t n)
{
	const char *q = msg, *end = msg + strlen(msg);

	while ((q = memmem(q, (size_t)(end - q), key, n)) != NULL) {
		if (!path_char((unsigned char)key[n - 1]) ||
		    !path_char((unsigned char)q[n]))
			return 1;
		q++;
	}
	return 0;
}

/* A logline naming several lines sshd logs has " / " between them. */
static int
matches(const char *msg, const char *ll)
{
	const char *part, *sep;
	size_t n;

	for (part = ll; part != NULL; part = sep == NULL ? NULL : sep + 3) {
		sep = strstr(part, " / ");
		n = key_len(part);
		if (sep != NULL && (size_t)(sep - part) < n)
			n = (size_t)(sep - part);
		if (n >= KEY_MIN && found(msg, part, n))
			return 1;
	}
	return 0;
}

static void
iso(time_t w, char out[32])
{
	struct tm tm;

	if (gmtime_r(&w, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "?");
}

/* Lines I..N of LS matched: count, first and last. */
struct tally {
	size_t		 n;
	const struct logrec *first, *last;
};

static void
tally_add(struct tally *y, const struct logrec *r)
{
	if (y->n++ == 0)
		y->first = r;
	y->last = r;
}

static void
attach(struct finding *f, const struct tally *y)
{
	char a[32], b[32];

	iso(y->first->when, a);
	iso(y->last->when, b);
	finding_add_evidence(f, "log_lines", "%zu", y->n);
	finding_add_evidence(f, "log_first", "%s", a);
	finding_add_evidence(f, "log_last", "%s", b);
	finding_add_evidence(f, "log_file", "%s", y->last->file);
}

/* Does a finding of P already explain lines that say PAT? */
static int
explained(const struct plan *p, const char *pat)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].logline != NULL &&
		    strstr(p->f[i].logline, pat) != NULL)
			return 1;
	return 0;
}

static void
note(struct target *t, const struct tally *y, const char *why)
{
	char a[32], b[32];

	iso(y->first->when, a);
	iso(y->last->when, b);
	target_note(t, "sshd logged \"%s\" %zu time%s (%s to %s, %s): %s; "
	    "sshfix has no check for this", y->last->msg, y->n,
	    y->n == 1 ? "" : "s", a, b, y->last->file, why);
}

void
logs_attach(struct target *t, struct plan *p)
{
	const struct logset *ls = target_logs(t);
	struct tally *fy, uy[ARRAY_LEN(unexplained)];
	const struct logrec *r;
	size_t i, j;
	int hit;

	if (ls->n == 0)
		return;
	fy = xcalloc(p->n + 1, sizeof(*fy));
	memset(uy, 0, sizeof(uy));
	for (i = 0; i < ls->n; i++) {
		r = &ls->v[i];
		for (hit = 0, j = 0; j < p->n; j++)
			if (matches(r->msg, p->f[j].logline)) {
				tally_add(&fy[j], r);
				hit = 1;
			}
		for (j = 0; !hit && j < ARRAY_LEN(unexplained); j++)
			if (strstr(r->msg, unexplained[j].pat) != NULL) {
				tally_add(&uy[j], r);
				break;
			}
	}
	for (j = 0; j < p->n; j++)
		if (fy[j].n > 0)
			attach(&p->f[j], &fy[j]);
	for (j = 0; j < ARRAY_LEN(unexplained); j++)
		if (uy[j].n > 0 && !explained(p, unexplained[j].pat))
			note(t, &uy[j], unexplained[j].why);
	free(fy);
}
