/*
 * key-refused: lines of an effective authorized keys file that sshd will
 * not use: a key wrapped over several lines, base64 it cannot read, an
 * expiry-time in the past, a from= that no --from address matches, a
 * key type the target's sshd will not accept for the account
 * (PubkeyAcceptedAlgorithms or the release's default, keyalgs.h), an
 * RSA key of fewer bits than RequiredRSASize (9.1+). For
 * the --user accounts every such line; without --user only for an
 * account none of whose keys sshd would use, so that a stale line beside
 * good ones is no fault; never a line whose key another line lets in. A file sshd cannot open or that is a user's
 * symlink is sshdir-perms' (never read here, never reported twice).
 * The verdict on each line is the model's (target/login/access.h).
 */
#include <stdlib.h>
#include <string.h>

#include "fixes/fault.h"
#include "target/keys/keyalgs.h"
#include "target/keys/keyparse.h"
#include "target/login/revoked.h"
#include "target/login/access.h"
#include "target/login/login.h"
#include "target/release.h"
#include "util.h"

static void
describe(const struct target *t, struct finding *f, const char *user,
    const char *path, const struct keyline *k, const char *addr)
{
	char when[32], *fp;
	const char *why, *err;
	struct tm tm;

	switch (f->kind) {
	case KR_WRAPPED:
		if (k->rfc4716)
			finding_set_message(f, "the %s key of %s on lines "
			    "%zu-%zu of %s is in the RFC 4716 format (PuTTYgen's "
			    "\"Save public key\", ssh-keygen -e), which sshd does "
			    "not read: converted, it is one OpenSSH line", k->type,
			    user, k->line + 1, k->line + k->nlines, path);
		else
			finding_set_message(f, "the %s key of %s on lines "
			    "%zu-%zu of %s is wrapped over %zu lines: sshd reads "
			    "each line alone and uses neither", k->type, user,
			    k->line + 1, k->line + k->nlines, path, k->nlines);
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
	case KR_BADOPT:
		if (addr != NULL)
			finding_set_message(f, "line %zu of %s (%s): sshd skips "
			    "the line: this sshd does not know the key option "
			    "\"%s\"", k->line + 1, path, user, addr);
		else
			finding_set_message(f, "line %zu of %s (%s): sshd skips "
			    "the line: its key options do not parse (a value "
			    "without quotes, a quote left open, a comma at the "
			    "end)", k->line + 1, path, user);
		/* Logged at debug level only ("bad key options"). */
		finding_set_logline(f, "Connection closed by authenticating "
		    "user %s", user);
		return;
	case KR_REVOKED:
	case KR_REVOKED_ALL:
		fp = pubkey_fingerprint(k->text, strlen(k->text));
		if (f->kind == KR_REVOKED) {
			finding_set_message(f, "line %zu of %s (%s): RevokedKeys "
			    "%s lists the key: sshd refuses it", k->line + 1,
			    path, user, addr);
			finding_set_logline(f, "Authentication key %s %s revoked "
			    "by file %s", key_log_type(k->type), fp ? fp : "?",
			    addr);
		} else {
			why = revoked_all_why(t, addr, &err);
			finding_set_message(f, "RevokedKeys names %s, which %s: "
			    "sshd refuses every key of every account (first: "
			    "line %zu of %s, %s)", addr, why, k->line + 1, path,
			    user);
			finding_set_logline(f, "Error checking authentication key "
			    "%s %s in revoked keys file %s: %s",
			    key_log_type(k->type), fp ? fp : "?", addr, err);
		}
		free(fp);
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

/* Why sshd refuses the type (KR_TYPE, KR_RSA512), and the advice. */
static void
describe_type(struct target *t, struct finding *f, const struct login *l,
    const char *path, const struct keyline *k, const struct keyalg_why *w)
{
	const char *u = l->a->name, *rel = release_text(t), *val = NULL;
	const char *pk_kw = release_kw_name(t, "PubkeyAcceptedAlgorithms");
	char *where = NULL, *what;
	struct keyalg_why ed;

	if (w->e != NULL) {
		where = cfg_where(&t->cfg, w->e->file, w->e->line);
		val = w->e->argv[0];
	}
	if (w->nodsa)
		what = xasprintf("this sshd (%s) has no DSA support", rel);
	else if (f->kind == KR_RSA512)
		what = xasprintf("PubkeyAcceptedAlgorithms %s at %s does not "
		    "allow rsa-sha2-512, the signature OpenSSH clients make "
		    "with an RSA key, and this sshd (%s) does not tell them to "
		    "use another (other clients may)", val, where, rel);
	else if (w->e != NULL)
		what = xasprintf("%s %s at %s allows no signature algorithm "
		    "of it", pk_kw, val, where);
	else
		what = xasprintf("it is not in the default "
		    "PubkeyAcceptedAlgorithms of %s", rel ? rel : "this sshd");
	finding_set_message(f, "line %zu of %s (%s): sshd will not accept the "
	    "%s key: %s", k->line + 1, path, u, k->type, what);
	free(what);
	if (w->nodsa)
		finding_set_logline(f, "userauth_pubkey: unsupported public key "
		    "algorithm: %s [preauth]", w->alg);
	else if (strcmp(w->alg, "rsa-sha2-512") == 0 &&
	    release_has(t, REL_SIGALGS_ALL) != TRI_YES)
		finding_set_logline(f, "Connection closed by authenticating "
		    "user %s", u);	/* 10.0: the client offers nothing */
	else
		finding_set_logline(f, "userauth_pubkey: signature algorithm "
		    "%s not in PubkeyAcceptedAlgorithms [preauth]", w->alg);
	f->aux = xasprintf("add a key of a type sshd accepts for %s with "
	    "--authorized-key%s%s%s%s%s%s%s", u, keytype_verdict(t, l,
	    "ssh-ed25519", &ed) == -1 ? " (ssh-keygen -t ed25519 makes one)" :
	    "",
	    where ? "; or, if " : "", where ? k->type : "",
	    where ? " keys should be accepted, change " : "",
	    where ? pk_kw : "", where ? " at " : "", where ? where : "");
	free(where);
}

/* An RSA key under RequiredRSASize (KR_RSASIZE), and the advice. */
static void
describe_rsasize(struct target *t, struct finding *f, const struct login *l,
    const char *path, const struct keyline *k, const struct keyalg_why *w)
{
	char *where = cfg_where(&t->cfg, w->e->file, w->e->line);

	finding_set_message(f, "line %zu of %s (%s): sshd will not accept the "
	    "RSA key: it has %s bits, fewer than RequiredRSASize %s at %s",
	    k->line + 1, path, l->a->name, w->alg, w->e->argv[0], where);
	finding_set_logline(f, "refusing RSA key: Invalid key length");
	f->aux = xasprintf("add a key sshd accepts for %s with "
	    "--authorized-key (ssh-keygen -t ed25519, or -t rsa -b %s or "
	    "more); or, if %s-bit RSA keys should be accepted, lower "
	    "RequiredRSASize at %s", l->a->name, w->e->argv[0], w->alg, where);
	free(where);
}

/*
 * OTHERS: another key line lets the account in (--user names it): the
 * line sshd refuses is a warning, the account is not refused.
 */
static void
report(struct target *t, struct plan *p, const struct login *l,
    const struct keyfile *kf, const struct keyline *k, int why,
    const char *addr, const struct keyalg_why *w, int others)
{
	struct finding *f;
	/* A missing RevokedKeys file: about the file, not the line. */
	char *subject = why == KR_REVOKED_ALL ? xstrdup(addr) :
	    xasprintf("%s:%zu", kf->path, k->line + 1);

	f = plan_add_finding(p, &fault_key_refused, why == KR_FROM_UNKNOWN ||
	    why == KR_RSA512 || others ? SEV_WARNING : SEV_ERROR, subject);
	free(subject);
	f->kind = why;
	if (why == KR_TYPE || why == KR_RSA512)
		describe_type(t, f, l, kf->path, k, w);
	else if (why == KR_RSASIZE)
		describe_rsasize(t, f, l, kf->path, k, w);
	else
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
	} else if (why == KR_REVOKED || why == KR_REVOKED_ALL)
		f->aux = xstrdup(addr);
}

/* Would sshd use line LINE of KF: no entry of it refuses? */
static int
line_usable(struct target *t, const struct login *l,
    const struct keyfile *kf, size_t line)
{
	struct keyalg_why w;
	const char *addr;
	size_t j;

	for (j = 0; j < kf->kl.n; j++)
		if (kf->kl.v[j].line == line && keyline_verdict(t, l,
		    &kf->kl.v[j], &addr, &w) != -1)
			return 0;
	return 1;
}

/*
 * The key of the line K is on (KF) is on another line sshd uses, in any
 * of the account's files: sshd tries every line, one that takes it lets
 * the key in, and the refusing line costs nothing.
 */
static int
taken_elsewhere(struct target *t, const struct login *l,
    const struct keyfile *kf, const struct keyline *k)
{
	const char *b64 = NULL;
	size_t j;
	int i;

	for (j = 0; j < kf->kl.n && b64 == NULL; j++)
		if (kf->kl.v[j].kind == KL_KEY && kf->kl.v[j].line == k->line)
			b64 = kf->kl.v[j].text;
	if (b64 == NULL)
		return 0;
	for (i = 0; i < l->nkf; i++) {
		const struct keyfile *o = &l->kf[i];

		if (o->err != 0 || o->nkeys == -1)
			continue;
		for (j = 0; j < o->kl.n; j++) {
			const struct keyline *x = &o->kl.v[j];

			if (x->kind == KL_KEY && strcmp(x->text, b64) == 0 &&
			    (o != kf || x->line != k->line) &&
			    line_usable(t, l, o, x->line))
				return 1;
		}
	}
	return 0;
}

/* Once a pass: a missing RevokedKeys file refuses every key alike. */
struct pass {
	int	all_said;
};

static void *
begin(struct target *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct pass));
}

static void
finish(struct target *t, struct plan *p, void *state)
{
	(void)t;
	(void)p;
	free(state);
}

static void
account(struct target *t, struct plan *p, const struct login *l,
    void *state)
{
	struct pass *st = state;
	const struct keyline *k;
	struct keyalg_why w;
	const char *addr;
	int i, v, others = login_keys_usable(t, l);
	size_t j;

	if (t->users == NULL && others)
		return;
	for (i = 0; i < l->nkf; i++) {
		const struct keyfile *kf = &l->kf[i];

		/* Unread, missing or a user's link: sshdir-perms' part. */
		if (kf->err != 0 || kf->nkeys == -1)
			continue;
		for (j = 0; j < kf->kl.n; j++) {
			k = &kf->kl.v[j];
			v = keyline_verdict(t, l, k, &addr, &w);
			if (v == KR_TYPE_UNKNOWN)
				target_note(t, "cannot tell whether sshd accepts "
				    "the %s key on line %zu of %s (%s): %s",
				    k->type, k->line + 1, kf->path, l->a->name,
				    w.unknown);
			else if (v == KR_REVOKED_UNKNOWN)
				target_note(t, "cannot tell whether RevokedKeys "
				    "%s revokes the key on line %zu of %s (%s): "
				    "a link, a file over sshfix's size limit, "
				    "or a KRL ssh-keygen -Q did not judge",
				    addr, k->line + 1, kf->path, l->a->name);
			else if (v == KR_REVOKED_ALL && st->all_said)
				continue;	/* said once, for everyone */
			else if (v != -1 && !taken_elsewhere(t, l, kf, k)) {
				report(t, p, l, kf, k, v, addr, &w, others);
				st->all_said |= v == KR_REVOKED_ALL;
			}
		}
	}
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	const char *colon = strrchr(f->subject, ':');
	const char *line = colon != NULL ? colon + 1 : "";

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
	case KR_BADOPT:
		plan_add_manual(f, "correct or remove the options before the "
		    "key on line %s of %s (sshd(8), AUTHORIZED_KEYS FILE "
		    "FORMAT)", line, f->path);
		break;
	case KR_TYPE:
	case KR_RSA512:
		plan_add_manual(f, "%s (sshfix never widens "
		    "PubkeyAcceptedAlgorithms)", f->aux);
		break;
	case KR_RSASIZE:
		plan_add_manual(f, "%s (sshfix never lowers RequiredRSASize)",
		    f->aux);
		break;
	case KR_REVOKED:
		plan_add_manual(f, "the key on line %s of %s was revoked "
		    "(RevokedKeys %s): add a new key for %s with "
		    "--authorized-key; sshfix never takes a key out of "
		    "RevokedKeys", line, f->path, f->aux, f->user);
		break;
	case KR_REVOKED_ALL:
		plan_add_manual(f, "put %s back from where it came from (a "
		    "backup, configuration management, the CA's KRL), or, if "
		    "no key was ever revoked, point RevokedKeys at an existing "
		    "list; sshfix does not make an empty one, which would let "
		    "in the keys the lost list revoked", f->aux);
		break;
	}
}

const struct fault fault_key_refused = {
	.id = "key-refused",
	.summary = "authorized keys lines sshd will not use",
	.begin = begin,
	.account = account,
	.finish = finish,
	.plan = plan,
	.keys_only = 1,
};
