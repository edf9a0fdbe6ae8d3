/*
 * key-refused: lines of an effective authorized keys file that sshd will
 * not use: a key wrapped over several lines, base64 it cannot read, an
 * expiry-time in the past, a from= that no --from address matches. For
 * the --user accounts every such line; without --user only for an
 * account none of whose keys sshd would use, so that a stale line beside
 * good ones is no fault. A file sshd cannot open or that is a user's
 * symlink is sshdir-perms' (never read here, never reported twice).
 */
#include <stdlib.h>
#include <string.h>

#include "addrmatch.h"
#include "fault.h"
#include "login.h"
#include "util.h"

enum { KR_WRAPPED, KR_BADKEY, KR_EXPIRED, KR_FROM, KR_FROM_UNKNOWN };

/* Does ADDR pass the from= PATTERNS? 1 yes, 0 no, -1 cannot tell. */
static int
from_ok(const struct target *t, const char *addr, const char *patterns)
{
	struct match_ctx c = { 0 };

	target_ctx_from(t, &c, addr);
	if (c.host == NULL)
		return -1;	/* UseDNS yes: the name is DNS's */
	return match_host_and_ip(c.host, addr, patterns) == 1;
}

/* The first --from address the line refuses, or NULL; *unsure if UseDNS. */
static const char *
from_refused(const struct target *t, const struct keyline *k, int *unsure)
{
	size_t i;
	int r;

	*unsure = t->from == NULL;
	for (i = 0; t->from != NULL && t->from[i] != NULL; i++) {
		if ((r = from_ok(t, t->from[i], k->text)) == 0)
			return t->from[i];
		if (r == -1)
			*unsure = 1;
	}
	return NULL;
}

/* Would sshd refuse this line (KR_*), or use it (-1)? */
static int
verdict(const struct target *t, const struct keyline *k, const char **addr)
{
	int unsure;

	*addr = NULL;
	switch (k->kind) {
	case KL_WRAPPED:
		return KR_WRAPPED;
	case KL_BADKEY:
		return KR_BADKEY;
	case KL_EXPIRY:
		return k->when < t->now ? KR_EXPIRED : -1;
	case KL_FROM:
		if ((*addr = from_refused(t, k, &unsure)) != NULL)
			return KR_FROM;
		return unsure ? KR_FROM_UNKNOWN : -1;
	}
	return -1;
}

/*
 * Keys of KF sshd would use: an expired key, or one whose from= refuses
 * every --from address, is not; one whose from= cannot be judged counts
 * (a miss rather than a false alarm). Keys sshd cannot parse never
 * counted. WRAPPED: count the wrapped keys sshfix's re-join makes usable.
 */
static int
usable_keys(const struct target *t, const struct keyfile *kf, int wrapped)
{
	const char *addr;
	int n = kf->kl.nvalid, v;
	size_t j;

	for (j = 0; j < kf->kl.n; j++) {
		v = verdict(t, &kf->kl.v[j], &addr);
		n -= v == KR_EXPIRED || v == KR_FROM;
		n += wrapped && v == KR_WRAPPED;
	}
	return n;
}

int
keyfile_usable(const struct target *t, const struct keyfile *kf)
{
	return usable_keys(t, kf, 1);
}

/* Does the account keep a key sshd would use now? */
static int
has_usable(const struct target *t, const struct login *l)
{
	int i;

	for (i = 0; i < l->nkf; i++)
		if (l->kf[i].err == 0 && l->kf[i].nkeys != -1 &&
		    usable_keys(t, &l->kf[i], 0) > 0)
			return 1;
	return 0;
}

static void
describe(const struct target *t, struct finding *f, const char *user,
    const char *path, const struct keyline *k, const char *addr)
{
	char when[32];
	struct tm tm;

	switch (f->kind) {
	case KR_WRAPPED:
		finding_set_message(f, "the %s key of %s on lines %zu-%zu of %s "
		    "is wrapped over %zu lines: sshd reads each line alone and "
		    "uses neither", k->type, user, k->line + 1,
		    k->line + k->nlines, path, k->nlines);
		break;
	case KR_BADKEY:
		finding_set_message(f, "line %zu of %s (%s): sshd cannot read "
		    "the %s key: its base64 is cut short or corrupt",
		    k->line + 1, path, user, k->type);
		break;
	case KR_EXPIRED:
		finding_set_message(f, "line %zu of %s (%s): the key expired "
		    "(expiry-time=\"%s\")", k->line + 1, path, user, k->text);
		localtime_r(&k->when, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		finding_set_logline(f, "%s:%zu: entry expired at %s", path,
		    k->line + 1, when);
		return;
	case KR_FROM:
		finding_set_message(f, "line %zu of %s (%s): the key is "
		    "accepted only from \"%s\", not from %s", k->line + 1, path,
		    user, k->text, addr);
		finding_set_logline(f, "%s:%zu: Authentication tried for %s "
		    "with correct key but not from a permitted host (host=%s, "
		    "ip=%s, required=%s).", path, k->line + 1, user, addr, addr,
		    k->text);
		return;
	case KR_FROM_UNKNOWN:
		finding_set_message(f, "line %zu of %s (%s): the key is "
		    "accepted only from \"%s\"; %s", k->line + 1, path, user,
		    k->text, t->from == NULL ? "pass --from ADDR to judge "
		    "it" : "cannot tell under UseDNS yes (host names)");
		finding_set_logline(f, "%s:%zu: Authentication tried for %s "
		    "with correct key but not from a permitted host", path,
		    k->line + 1, user);
		return;
	}
	if (t->from != NULL)
		finding_set_logline(f, "Failed publickey for %s from %s", user,
		    t->from[0]);
	else
		finding_set_logline(f, "Failed publickey for %s from", user);
}

static void
report(struct target *t, struct plan *p, const struct login *l,
    const struct keyfile *kf, const struct keyline *k, int why,
    const char *addr)
{
	struct finding *f;
	char *subject = xasprintf("%s:%zu", kf->path, k->line + 1);

	f = plan_add_finding(p, &fault_key_refused, why == KR_FROM_UNKNOWN ?
	    SEV_WARNING : SEV_ERROR, subject);
	free(subject);
	f->kind = why;
	describe(t, f, l->a->name, kf->path, k, addr);
	finding_add_evidence(f, "path", "%s", kf->path);
	finding_add_evidence(f, "line", "%zu", k->line + 1);
	finding_add_evidence(f, "user", "%s", l->a->name);
	f->path = xstrdup(kf->path);
	f->user = xstrdup(l->a->name);
	f->user_uid = l->a->uid;
	f->user_gid = l->a->gid;
	f->st = kf->st;
	if (why == KR_WRAPPED) {
		struct action *a = finding_add_action(f, ACT_JOIN_KEY,
		    kf->path);

		a->line = k->line;
		a->keyspan = k->nlines;
		a->old_text = xstrdup(k->old);
		a->new_text = xstrdup(k->text);
		a->user = xstrdup(l->a->name);
	} else if (why == KR_FROM_UNKNOWN || why == KR_FROM) {
		f->aux = xstrdup(k->text);
	}
}

static void
account(struct target *t, struct plan *p, const struct login *l,
    void *state)
{
	const char *addr;
	int i, v;
	size_t j;

	(void)state;
	if (t->users == NULL && has_usable(t, l))
		return;
	for (i = 0; i < l->nkf; i++) {
		const struct keyfile *kf = &l->kf[i];

		/* Unread, missing or a user's link: sshdir-perms' part. */
		if (kf->err != 0 || kf->nkeys == -1)
			continue;
		for (j = 0; j < kf->kl.n; j++)
			if ((v = verdict(t, &kf->kl.v[j], &addr)) != -1)
				report(t, p, l, kf, &kf->kl.v[j], v, addr);
	}
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	const char *line = strrchr(f->subject, ':') + 1;

	(void)t;
	(void)p;
	switch (f->kind) {
	case KR_WRAPPED:
		break;	/* the join action is planned with the finding */
	case KR_BADKEY:
		plan_add_manual(f, "line %s of %s holds a key sshd cannot read: "
		    "paste %s's public key again on one line, or add a new one "
		    "with --authorized-key", line, f->path, f->user);
		break;
	case KR_EXPIRED:
		plan_add_manual(f, "the key on line %s of %s has expired: if "
		    "%s should still log in with it, change or remove its "
		    "expiry-time option; else add a new key with "
		    "--authorized-key", line, f->path, f->user);
		break;
	case KR_FROM:
	case KR_FROM_UNKNOWN:
		plan_add_manual(f, "the key on line %s of %s is accepted only "
		    "from %s: connect from there, or widen its from= option "
		    "if the new address should be allowed", line, f->path,
		    f->aux);
		break;
	}
}

const struct fault fault_key_refused = {
	.id = "key-refused",
	.summary = "authorized keys lines sshd will not use",
	.account = account,
	.plan = plan,
};
