/*
 * key-offered: "is my key accepted?" For each key given with
 * --authorized-key and each target account that has a way in (else it
 * is auth-lockout's, which installs the key): sshd would refuse that
 * exact key when no effective authorized keys file holds it ("Failed
 * publickey for alice ... ED25519 SHA256:..."), when its type is one the
 * target's sshd refuses for the account, or when RevokedKeys lists it.
 * The finding names what is registered instead (type, fingerprint,
 * comment, FILE:LINE). The repair installs only the keys not there; a
 * refused type or a revoked key gets advice. A key that is there but on
 * a line sshd refuses is key-refused's (reported there, not twice).
 * Nothing is said when sshfix could not read every keys file, or the
 * keys come from AuthorizedKeysCommand: the access table says "cannot
 * tell".
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fixes/fault.h"
#include "plan/keyplan.h"
#include "target/keys/cert.h"
#include "target/keys/keyalgs.h"
#include "target/keys/keyparse.h"
#include "target/login/access.h"
#include "target/login/login.h"
#include "target/login/revoked.h"
#include "util.h"

enum { K_ABSENT, K_TYPE, K_REVOKED, K_CLIENT, K_REVOKED_ALL };

struct offered {
	char	type[48];
	char	*b64;
	char	*comment;
	char	*fp;
};

/* "TYPE BASE64 [COMMENT]" (newkeys.c validated it): its parts. */
static int
parse(const char *line, struct offered *o)
{
	const char *b = strchr(line, ' '), *c;
	size_t n;

	memset(o, 0, sizeof(*o));
	if (b == NULL || (size_t)(b - line) >= sizeof(o->type))
		return -1;
	memcpy(o->type, line, (size_t)(b - line));
	b++;
	n = strcspn(b, " ");
	o->b64 = xstrndup(b, n);
	c = b + n + strspn(b + n, " ");
	o->comment = *c ? xstrdup(c) : NULL;
	o->fp = pubkey_fingerprint(o->b64, n);
	return o->fp == NULL ? -1 : 0;
}

static void
offered_free(struct offered *o)
{
	free(o->b64);
	free(o->comment);
	free(o->fp);
}

/* Is O on a line of one of L's files? Every file read: 1/0; else -1. */
static int
registered(const struct login *l, const struct offered *o)
{
	size_t j;
	int i, unknown = 0;

	for (i = 0; i < l->nkf; i++) {
		const struct keyfile *kf = &l->kf[i];

		if (kf->nkeys == -1)
			unknown = 1;
		for (j = 0; j < kf->kl.n; j++)
			if (kf->kl.v[j].kind == KL_KEY &&
			    strcmp(kf->kl.v[j].type, o->type) == 0 &&
			    kf->kl.v[j].text != NULL &&
			    strcmp(kf->kl.v[j].text, o->b64) == 0)
				return 1;
	}
	return unknown ? -1 : 0;
}

/*
 * Is the key whose fingerprint the client logged ("ED25519 SHA256:...")
 * on a line of one of L's files? 1/0, -1 when a file was not read.
 */
static int
registered_fp(const struct login *l, const char *offered)
{
	char *fp, *have;
	size_t j;
	int i, unknown = 0, hit = 0;

	for (i = 0; i < l->nkf && !hit; i++) {
		if (l->kf[i].nkeys == -1)
			unknown = 1;
		for (j = 0; j < l->kf[i].kl.n && !hit; j++) {
			const struct keyline *k = &l->kf[i].kl.v[j];

			if (k->kind != KL_KEY || k->text == NULL ||
			    (fp = pubkey_fingerprint(k->text,
			    strlen(k->text))) == NULL)
				continue;
			have = xasprintf("%s %s", key_log_type(k->type), fp);
			hit = strcmp(have, offered) == 0;
			free(have);
			free(fp);
		}
	}
	return hit ? 1 : unknown ? -1 : 0;
}

/* What is registered instead: "TYPE FP COMMENT (FILE:LINE); ...". */
static char *
instead(const struct login *l)
{
	struct sbuf b = { 0 };
	char *fp;
	size_t j, n = 0;
	int i;

	for (i = 0; i < l->nkf; i++)
		for (j = 0; j < l->kf[i].kl.n; j++) {
			const struct keyline *k = &l->kf[i].kl.v[j];

			if (k->kind != KL_KEY || k->text == NULL)
				continue;
			if (n++ == 5) {
				sbuf_adds(&b, "; ...");
				return sbuf_take(&b);
			}
			fp = pubkey_fingerprint(k->text, strlen(k->text));
			sbuf_addf(&b, "%s%s %s%s%s (%s:%zu)", n > 1 ? "; " : "",
			    key_log_type(k->type), fp ? fp : "?",
			    k->comment ? " " : "", k->comment ? k->comment : "",
			    l->kf[i].path, k->line + 1);
			free(fp);
		}
	return b.s ? sbuf_take(&b) : xstrdup("no key at all");
}

static struct finding *
add(struct plan *p, const struct login *l, const struct offered *o,
    int kind, const char *line)
{
	struct finding *f = plan_add_finding(p, &fault_key_offered, SEV_ERROR,
	    l->a->name);

	finding_add_evidence(f, "key", "%s %s%s%s", key_log_type(o->type), o->fp,
	    o->comment ? " " : "", o->comment ? o->comment : "");
	finding_set_logline(f, "Failed publickey for %s from ADDR port N ssh2: "
	    "%s %s", l->a->name, key_log_type(o->type), o->fp);
	f->user = xstrdup(l->a->name);
	f->kind = kind;
	f->aux = xstrdup(line);
	return f;
}

static void
judge(struct target *t, struct plan *p, const struct login *l,
    const char *line)
{
	struct offered o;
	struct keyalg_why w;
	const char *rev, *why, *err;
	struct finding *f;
	char *regd;
	int r;

	if (cert_type_line(line))
		return;		/* cert-offered's */
	if (parse(line, &o) == -1) {
		offered_free(&o);
		return;
	}
	if ((r = key_revoked(t, &l->ctx, o.type, o.b64, &rev)) == REV_LISTED) {
		f = add(p, l, &o, K_REVOKED, line);
		finding_set_message(f, "your %s key %s is revoked for every "
		    "account: RevokedKeys %s lists it", key_log_type(o.type), o.fp,
		    rev);
		finding_set_logline(f, "Authentication key %s %s revoked by "
		    "file %s", key_log_type(o.type), o.fp, rev);
	} else if (r == REV_ALL) {
		f = add(p, l, &o, K_REVOKED_ALL, line);
		why = revoked_all_why(t, rev, &err);
		finding_set_message(f, "your %s key %s would be refused even "
		    "if installed: RevokedKeys names %s, which %s, and sshd "
		    "refuses every key", key_log_type(o.type), o.fp, rev, why);
		finding_set_logline(f, "Error checking authentication key %s "
		    "%s in revoked keys file %s: %s", key_log_type(o.type),
		    o.fp, rev, err);
		free(f->aux);
		f->aux = xstrdup(rev);
	} else if (registered(l, &o) != 0)
		;	/* there (key-refused judges its line), or cannot tell */
	else if (keytype_verdict(t, l, o.type, &w) >= 0) {
		f = add(p, l, &o, K_TYPE, line);
		finding_set_message(f, "your %s key %s would be refused even "
		    "if installed: this sshd does not accept %s keys for %s",
		    key_log_type(o.type), o.fp, o.type, l->a->name);
		if (w.nodsa)
			finding_set_logline(f, "userauth_pubkey: unsupported "
			    "public key algorithm: %s [preauth]", w.alg);
	} else {
		regd = instead(l);
		f = add(p, l, &o, K_ABSENT, line);
		finding_set_message(f, "your %s key %s%s%s is not in %s's "
		    "authorized keys: sshd refuses it. They hold: %s",
		    key_log_type(o.type), o.fp, o.comment ? " " : "",
		    o.comment ? o.comment : "", l->a->name, regd);
		free(regd);
	}
	offered_free(&o);
}

/* A key the client's log shows it offered (--explain with the server). */
static void
judge_client(struct plan *p, const struct login *l, const char *offered)
{
	struct finding *f;
	char *regd;

	if (registered_fp(l, offered) != 0)
		return;
	regd = instead(l);
	f = plan_add_finding(p, &fault_key_offered, SEV_ERROR, l->a->name);
	finding_set_message(f, "the key your client offered (%s) is not in "
	    "%s's authorized keys: sshd refuses it. They hold: %s", offered,
	    l->a->name, regd);
	finding_add_evidence(f, "key", "%s", offered);
	finding_set_logline(f, "Failed publickey for %s from ADDR port N ssh2: "
	    "%s", l->a->name, offered);
	f->user = xstrdup(l->a->name);
	f->kind = K_CLIENT;
	free(regd);
}

static void
account(struct target *t, struct plan *p, const struct login *l,
    void *state)
{
	struct access x;
	size_t i;
	const struct cfg_entry *cmd;

	(void)state;
	if ((t->new_keys == NULL && t->offered == NULL) || t->users == NULL)
		return;
	/* Keys from a program: sshfix cannot tell which ones. */
	cmd = cfg_effective(&t->cfg, KW_AUTHKEYSCMD, &l->ctx, NULL);
	if (cmd != NULL && cmd->argc > 0 && strcasecmp(cmd->argv[0], "none"))
		return;
	auth_assess(t, l, &x);
	/* No way in at all: auth-lockout's, which installs the keys. */
	if ((x.key_ok || x.pw_ok) && x.other == NULL) {
		for (i = 0; t->new_keys != NULL && t->new_keys[i] != NULL; i++)
			judge(t, p, l, t->new_keys[i]);
		for (i = 0; t->offered != NULL && t->offered[i] != NULL; i++)
			judge_client(p, l, t->offered[i]);
	}
	sbuf_free(&x.files);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	struct account a = { 0 };
	struct login l;
	const char *keys[2] = { f->aux, NULL };

	(void)p;
	if (f->kind == K_REVOKED_ALL) {
		plan_add_manual(f, "put %s back from where it came from (a "
		    "backup, configuration management, the CA's KRL): until "
		    "then sshd takes no key at all", f->aux);
		return;
	}
	if (f->kind == K_REVOKED) {
		plan_add_manual(f, "sshfix never takes a key out of RevokedKeys "
		    "(it was revoked for a reason): use another key "
		    "(ssh-keygen -t ed25519) and rerun with --authorized-key");
		return;
	}
	if (f->kind == K_CLIENT) {
		plan_add_manual(f, "install that key's public half: rerun with "
		    "--authorized-key FILE.pub (ssh-keygen -y -f KEY prints it "
		    "on the client)");
		return;
	}
	if (f->kind == K_TYPE) {
		plan_add_manual(f, "make a key this sshd accepts (ssh-keygen -t "
		    "ed25519) and rerun with --authorized-key; sshfix never "
		    "widens PubkeyAcceptedAlgorithms");
		return;
	}
	if (accounts_getpwnam(&t->acc, f->user, &a) != 0)
		return;
	login_load(t, &a, &l);
	plan_add_keys(t, f, &a, &l.ctx, keys);
	login_free(&l);
	account_free(&a);
}

const struct fault fault_key_offered = {
	.id = "key-offered",
	.summary = "the key given with --authorized-key is not one sshd "
	    "accepts for the account",
	.account = account,
	.plan = plan,
};
