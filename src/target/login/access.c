/*
 * What one account can use to log in, as sshd judges it: the keys of its
 * authorized keys files sshd would take (a line's verdict: wrapped,
 * unreadable, expired, from= refusing, a type sshd will not accept), root
 * under PermitRootLogin, a password or keyboard-interactive, a way in
 * sshfix cannot check, what AuthenticationMethods leaves to a password;
 * and the AllowUsers, DenyUsers, AllowGroups and DenyGroups words (auth.c
 * allowed_user). The detectors ask it: auth-lockout, auth-methods,
 * key-refused, root-login, access-list, and the preflight report.
 *
 * Model code: it uses the target (config, accounts, keys, release) and
 * the facts one pass gathered for the account (login.h), never the plan
 * or a detector; the findings are the detectors' own.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/config/match.h"
#include "budget.h"
#include "target/config/addrmatch.h"
#include "target/keys/keyalgs.h"
#include "target/keys/keyparse.h"
#include "target/sshdlinks.h"
#include "target/login/access.h"
#include "target/login/login.h"
#include "target/login/revoked.h"
#include "target/release.h"
#include "safefs.h"
#include "util.h"

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

/* Would sshd take a key of TYPE for L (-1), or refuse it (KR_*)? */
int
keytype_verdict(struct target *t, const struct login *l, const char *type,
    struct keyalg_why *why)
{
	switch (keyalg_judge(t, &l->ctx, type, why)) {
	case KA_REFUSED:
		return KR_TYPE;
	case KA_RSA512:
		return KR_RSA512;
	case KA_UNKNOWN:
		return KR_TYPE_UNKNOWN;
	case KA_OK:
		break;
	}
	return -1;
}

/*
 * An RSA key (or certificate) of fewer bits than the RequiredRSASize in
 * force for L (9.1+, auth2-pubkey.c: "refusing RSA key: Invalid key
 * length"): KR_RSASIZE, WHY->e the line; else -1. A Match block that
 * may override it leaves the key usable (a miss, not a false alarm).
 */
static int
rsasize_verdict(struct target *t, const struct login *l,
    const struct keyline *k, struct keyalg_why *why)
{
	const struct cfg_entry *e, *maybe = NULL;
	long v;
	int bits;

	if (strcmp(k->type, "ssh-rsa") != 0 &&
	    strcmp(k->type, "ssh-rsa-cert-v01@openssh.com") != 0)
		return -1;
	e = cfg_effective(&t->cfg, KW_RSASIZE, &l->ctx, &maybe);
	if (e == NULL || maybe != NULL || e->argc == 0 ||
	    release_int(t, e->argv[0], &v) != 1 ||
	    (bits = pubkey_rsa_bits(k->text, strlen(k->text))) == -1 ||
	    bits >= v)
		return -1;
	why->e = e;
	snprintf(why->alg, sizeof(why->alg), "%d", bits);
	return KR_RSASIZE;
}

/* Would sshd refuse this line (KR_*), or use it (-1)? */
/*
 * Would sshd parse the options TEXT of a key line (auth-options.c
 * sshauthopt_parse)? -1 if so, or when the release table cannot say;
 * KR_BADOPT if not (an unknown option, a flag given a value, a value
 * without quotes), with *bad the option (static) when it is a name.
 */
static int
keyopts_verdict(struct target *t, const char *text, const char **bad)
{
	/* Valued options, flags ("no-" allowed where neg), per release. */
	static const struct {
		const char	*name;
		int		 valued, neg, rule;
	} known[] = {
		{ "command", 1, 0, -1 }, { "environment", 1, 0, -1 },
		{ "from", 1, 0, -1 }, { "permitopen", 1, 0, -1 },
		{ "principals", 1, 0, -1 }, { "tunnel", 1, 0, -1 },
		{ "expiry-time", 1, 0, REL_KEYOPT_FROM_80 },
		{ "permitlisten", 1, 0, REL_KEYOPT_FROM_80 },
		{ "restrict", 0, 0, -1 }, { "cert-authority", 0, 0, -1 },
		{ "port-forwarding", 0, 1, -1 },
		{ "agent-forwarding", 0, 1, -1 },
		{ "x11-forwarding", 0, 1, -1 }, { "pty", 0, 1, -1 },
		{ "user-rc", 0, 1, -1 },
		{ "touch-required", 0, 1, REL_KEYOPT_FROM_89 },
		{ "verify-required", 0, 1, REL_KEYOPT_FROM_89 },
	};
	static char name[64];
	const char *p = text, *n;
	size_t i;
	int r, valued;
	enum tri has;

	*bad = NULL;
	while ((r = keyopts_next(&p, name, sizeof(name), &valued)) == 1) {
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
			n = name;
			if (known[i].neg && strncasecmp(n, "no-", 3) == 0)
				n += 3;
			if (strcasecmp(n, known[i].name) == 0 &&
			    valued == known[i].valued)
				break;
		}
		if (i == sizeof(known) / sizeof(known[0])) {
			*bad = name;
			return KR_BADOPT;
		}
		if (known[i].rule == -1)
			continue;
		has = release_has(t, (enum release_rule)known[i].rule);
		if (has == TRI_NO) {
			*bad = name;
			return KR_BADOPT;
		}
	}
	return r == -1 ? KR_BADOPT : -1;
}

int
keyline_verdict(struct target *t, const struct login *l,
    const struct keyline *k, const char **addr, struct keyalg_why *why)
{
	int unsure, v;

	*addr = NULL;
	switch (k->kind) {
	case KL_KEY:
		if ((v = keytype_verdict(t, l, k->type, why)) != -1 ||
		    (v = rsasize_verdict(t, l, k, why)) != -1)
			return v;
		switch (key_revoked(t, &l->ctx, k->type, k->text, addr)) {
		case REV_LISTED:
			return KR_REVOKED;
		case REV_ALL:
			return KR_REVOKED_ALL;
		case REV_UNKNOWN:
			return KR_REVOKED_UNKNOWN;
		}
		*addr = NULL;
		return -1;
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
	case KL_OPTS:
		return keyopts_verdict(t, k->text, addr);
	case KL_CA:
		break;	/* judged with a certificate (certauth.h) */
	}
	return -1;
}

/*
 * Keys of KF sshd would use for L: an expired key, one whose from=
 * refuses every --from address, one of a type sshd will not accept, is
 * not (each line counted once); one that cannot be judged counts (a
 * miss rather than a false alarm). Keys sshd cannot parse never
 * counted. WRAPPED: count the wrapped keys sshfix's re-join makes usable.
 */
static int
usable_keys(struct target *t, const struct login *l,
    const struct keyfile *kf, int wrapped)
{
	const struct keyline *k;
	struct keyalg_why why;
	const char *addr;
	int n = kf->kl.nvalid, v;
	size_t j, last = (size_t)-1;

	for (j = 0; j < kf->kl.n; j++) {
		k = &kf->kl.v[j];
		v = keyline_verdict(t, l, k, &addr, &why);
		if ((v == KR_EXPIRED || v == KR_FROM || v == KR_TYPE ||
		    v == KR_BADOPT || v == KR_REVOKED || v == KR_REVOKED_ALL ||
		    v == KR_RSASIZE) && k->line != last) {
			n--;
			last = k->line;
		}
		n += wrapped && v == KR_WRAPPED &&
		    keytype_verdict(t, l, k->type, &why) != KR_TYPE;
	}
	return n;
}

int
keyfile_usable(struct target *t, const struct login *l,
    const struct keyfile *kf)
{
	return usable_keys(t, l, kf, 1);
}

/* Does the account keep a key sshd would use now? */
int
login_keys_usable(struct target *t, const struct login *l)
{
	int i;

	for (i = 0; i < l->nkf; i++)
		if (l->kf[i].err == 0 && l->kf[i].nkeys != -1 &&
		    usable_keys(t, l, &l->kf[i], 0) > 0)
			return 1;
	return 0;
}

/*
 * KF's valid key lines sshd takes for certain; *UNSURE those sshfix
 * cannot judge (the first in *WHY, *K). A line whose entries (its key,
 * its from=, its expiry-time) include a refusal counts in neither.
 */
static int
sure_keys(struct target *t, const struct login *l, const struct keyfile *kf,
    int *unsure, int *why, const struct keyline **kp)
{
	const struct keyline *k;
	struct keyalg_why aw;
	const char *addr;
	size_t j, e;
	int n = kf->kl.nvalid, v, no, maybe;

	for (j = 0; j < kf->kl.n; j = e) {
		no = maybe = 0;
		for (e = j; e < kf->kl.n && kf->kl.v[e].line ==
		    kf->kl.v[j].line; e++) {
			k = &kf->kl.v[e];
			v = keyline_verdict(t, l, k, &addr, &aw);
			no |= v == KR_EXPIRED || v == KR_FROM || v == KR_TYPE ||
			    v == KR_REVOKED || v == KR_REVOKED_ALL ||
			    v == KR_RSASIZE;
			if ((v == KR_TYPE_UNKNOWN || v == KR_FROM_UNKNOWN ||
			    v == KR_REVOKED_UNKNOWN) &&
			    !maybe++ && (*unsure)++ == 0) {
				*why = v;
				*kp = k;
			}
		}
		if (kf->kl.v[j].kind == KL_WRAPPED ||
		    kf->kl.v[j].kind == KL_BADKEY)
			continue;	/* not among the valid ones */
		n -= no || maybe;
		if (no && maybe)
			(*unsure)--;
	}
	return n;
}

int
login_keys_sure(struct target *t, const struct login *l, int *why,
    const struct keyfile **kfp, const struct keyline **kp)
{
	int i, unsure = 0, before;

	for (i = 0; i < l->nkf; i++) {
		if (l->kf[i].err != 0 || l->kf[i].nkeys == -1)
			continue;
		before = unsure;
		if (sure_keys(t, l, &l->kf[i], &unsure, why, kp) > 0)
			return 1;
		if (before == 0 && unsure > 0)
			*kfp = &l->kf[i];
	}
	return unsure > 0 ? -1 : 0;
}

/*
 * Could a key of L carry command=? Only asked under forced-commands-only;
 * a file sshfix cannot read counts as yes (no false alarm).
 */
static int
forced_keys(struct target *t, const struct login *l)
{
	char *data;
	size_t len;
	int i, yes = 0;

	for (i = 0; i < l->nkf && !yes; i++) {
		if (l->kf[i].nkeys == 0)
			continue;
		if (l->kf[i].nkeys < 0 || sfs_read_file(t->rootfd,
		    l->kf[i].path, KEYS_MAX, &data, &len, NULL) == -1)
			return 1;
		yes = memmem(data, len, "command=", 8) != NULL;
		free(data);
	}
	return yes;
}

int
root_forced_keys_ok(struct target *t, const struct login *l,
    const char *prl)
{
	return strcasecmp(prl, "forced-commands-only") == 0 &&
	    forced_keys(t, l);
}

int
access_list_count(const char *list, const char *method)
{
	size_t n = strlen(method);
	const char *p = list;
	int c = 0;

	for (;;) {
		if (strncmp(p, method, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			c++;
		if ((p = strchr(p, ',')) == NULL)
			return c;
		p++;
	}
}

/* Does an AuthenticationMethods list anywhere name publickey twice? */
static int
pubkey_repeated(const struct cfg *c)
{
	size_t i;
	int j;

	for (i = 0; i < c->nents; i++)
		if (c->ents[i].kw == KW_AUTHMETHODS)
			for (j = 0; j < c->ents[i].argc; j++)
				if (access_list_count(c->ents[i].argv[j],
				    "publickey") > 1)
					return 1;
	return 0;
}

/*
 * The different keys (by their base64) of L's files sshd would use: as
 * usable_keys, each line once; at most DISTINCT_MAX counted. -1: a file
 * sshfix could not read.
 */
#define DISTINCT_MAX	16
static int
distinct_keys(struct target *t, const struct login *l)
{
	const char *seen[DISTINCT_MAX], *key;
	const struct keyline *k;
	const struct keyfile *kf;
	struct keyalg_why why;
	const char *addr;
	size_t j, e;
	int i, n = 0, m, no, v;

	if (l->nkf == -1)
		return -1;
	for (i = 0; i < l->nkf && n < DISTINCT_MAX; i++) {
		kf = &l->kf[i];
		if (kf->err != 0)
			continue;
		if (kf->nkeys == -1)
			return -1;
		for (j = 0; j < kf->kl.n && n < DISTINCT_MAX; j = e) {
			key = NULL;
			no = 0;
			for (e = j; e < kf->kl.n && kf->kl.v[e].line ==
			    kf->kl.v[j].line; e++) {
				k = &kf->kl.v[e];
				v = keyline_verdict(t, l, k, &addr, &why);
				no |= v == KR_EXPIRED || v == KR_FROM ||
				    v == KR_TYPE || v == KR_BADOPT ||
				    v == KR_REVOKED || v == KR_REVOKED_ALL ||
				    v == KR_RSASIZE;
				if (k->kind == KL_KEY)
					key = k->text;
			}
			if (no || key == NULL)
				continue;
			for (m = 0; m < n && strcmp(seen[m], key) != 0; m++)
				;
			if (m == n)
				seen[n++] = key;
		}
	}
	return n;
}

/* Keys sshd would read, from the facts the pass gathered once. */
static void
scan_keys(struct target *t, const struct login *l, struct access *x)
{
	const struct cfg_entry *cmd = cfg_effective(&t->cfg, KW_AUTHKEYSCMD,
	    &l->ctx, NULL);
	int i;

	if (cmd != NULL && cmd->argc > 0 && strcasecmp(cmd->argv[0], "none"))
		x->keys = 1;	/* keys come from a program: unknowable */
	if (l->nkf == -1) {
		x->bad_token = 1;
		return;
	}
	for (i = 0; i < l->nkf; i++) {
		int k = l->kf[i].nkeys;

		/* Lines sshd cannot parse, expired or from= refused: none. */
		if (k > 0 && keyfile_usable(t, l, &l->kf[i]) <= 0)
			k = 0;

		sbuf_addf(&x->files, "%s%s", i ? ", " : "", l->kf[i].path);
		if (l->kf[i].real != NULL)
			sbuf_addf(&x->files, " -> %s", l->kf[i].real);
		if (l->kf[i].refused != NULL)
			sbuf_addf(&x->files, " (no key: %s)", l->kf[i].refused);
		else
			sbuf_addf(&x->files, " (%s)", k < 0 ? "unreadable" :
			    k == 0 ? "no key" : "has keys");
		if (k != 0)
			x->keys = 1;
	}
}

int
account_locked_nopam(struct target *t, const struct account *a)
{
	long expire, today = (long)(t->now / 86400);
	int unknown, r = 0;
	char *hash;

	if (sshd_uses_pam(t))
		return 0;
	hash = accounts_shadow(&t->acc, a, &expire, &unknown);
	/* Expiry first, then the "!" prefix. */
	if (expire >= 0 && today > expire)
		r = LOCK_EXPIRED;
	else if (hash != NULL && hash[0] == '!')
		r = LOCK_BANG;
	free(hash);
	return r;
}

const char *
permit_root_value(const struct cfg_entry *e)
{
	return e && e->argc ? e->argv[0] : "prohibit-password";
}

int
permit_root_refuses_keys(const char *prl)
{
	return strcasecmp(prl, "no") == 0 ||
	    strcasecmp(prl, "forced-commands-only") == 0;
}

/*
 * A way in that needs no authorized keys file and no password: a user
 * certificate (TrustedUserCAKeys, principals) or GSSAPI. sshfix cannot
 * tell whether it works, so it must not open another one instead.
 */
static const char *
other_way(struct target *t, const struct match_ctx *ctx, int pubkey)
{
	static const enum kw cert[] = { KW_TRUSTEDUSERCA, KW_PRINCFILE,
	    KW_PRINCCMD };
	const struct cfg_entry *e;
	size_t i;

	for (i = 0; pubkey && i < sizeof(cert) / sizeof(cert[0]); i++) {
		e = cfg_effective(&t->cfg, cert[i], ctx, NULL);
		if (e != NULL && e->argc > 0 && strcasecmp(e->argv[0], "none"))
			return kw_name(cert[i]);
	}
	if (cfg_flag(cfg_effective(&t->cfg, KW_GSSAPIAUTH, ctx, NULL), 0))
		return kw_name(KW_GSSAPIAUTH);
	return NULL;
}

void
auth_assess(struct target *t, const struct login *l, struct access *x)
{
	const struct account *a = l->a;
	const struct match_ctx ctx = l->ctx;
	const char *prl;
	char *hash;
	int pw_on, kbd, unknown, root_pw;

	memset(x, 0, sizeof(*x));
	scan_keys(t, l, x);
	x->pk_entry = cfg_effective(&t->cfg, KW_PUBKEYAUTH, &ctx, NULL);
	x->pw_entry = cfg_effective(&t->cfg, KW_PASSWORDAUTH, &ctx,
	    &x->pw_maybe);
	x->prl_entry = cfg_effective(&t->cfg, KW_PERMITROOTLOGIN, &ctx, NULL);
	prl = permit_root_value(x->prl_entry);
	/* Keyboard-interactive through PAM asks for the password too. */
	kbd = cfg_flag(cfg_effective(&t->cfg, KW_KBDINTERACTIVE, &ctx, NULL),
	    1) && sshd_uses_pam(t);
	pw_on = cfg_flag(x->pw_entry, 1) || kbd;
	hash = accounts_password_hash(&t->acc, a, &unknown);
	/* An unreadable shadow may hold a password: assume it does. */
	x->pw_hash = unknown || password_usable(hash) || (hash != NULL &&
	    hash[0] == '\0' && cfg_flag(cfg_effective(&t->cfg, KW_PERMITEMPTY,
	    &ctx, NULL), 0));
	free(hash);
	x->key_ok = x->keys && cfg_flag(x->pk_entry, 1) && (a->uid != 0 ||
	    !permit_root_refuses_keys(prl) || root_forced_keys_ok(t, l, prl));
	if (x->key_ok && pubkey_repeated(&t->cfg)) {
		const struct cfg_entry *cmd = cfg_effective(&t->cfg,
		    KW_AUTHKEYSCMD, &ctx, NULL);

		x->key_distinct = cmd != NULL && cmd->argc > 0 &&
		    strcasecmp(cmd->argv[0], "none") != 0 ? -1 :
		    distinct_keys(t, l);
	}
	if (a->uid != 0 || !permit_root_refuses_keys(prl))
		x->other = other_way(t, &ctx, cfg_flag(x->pk_entry, 1));
	/* Root's password (either method) needs PermitRootLogin yes. */
	root_pw = a->uid != 0 || strcasecmp(prl, "yes") == 0;
	x->pw_ok = pw_on && x->pw_hash && root_pw;
	x->pwd_ok = cfg_flag(x->pw_entry, 1) && x->pw_hash && root_pw;
	x->kbd_ok = kbd && x->pw_hash && root_pw;
}

int
authmethods_password_alone(struct target *t, const struct match_ctx *ctx,
    char **where)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_AUTHMETHODS, ctx,
	    NULL);
	char *copy, *p, *m;
	int i, ok = 0;

	*where = NULL;
	if (e == NULL || e->argc == 0 || (e->argc == 1 &&
	    strcmp(e->argv[0], "any") == 0))
		return 1;
	for (i = 0; i < e->argc && !ok; i++) {
		p = copy = xstrdup(e->argv[i]);
		ok = 1;
		while ((m = strsep(&p, ",")) != NULL)
			if (strcmp(m, "password") != 0 &&
			    strncmp(m, "keyboard-interactive", 20) != 0)
				ok = 0;
		free(copy);
	}
	if (!ok)
		*where = cfg_where(&t->cfg, e->file, e->line);
	return ok;
}

/* The lists' keywords, in the order sshd applies them (L_*). */
static const enum kw list_kw[L_N] = { KW_DENYUSERS, KW_ALLOWUSERS,
	KW_DENYGROUPS, KW_ALLOWGROUPS };

enum kw
access_kw(int list)
{
	return list_kw[list];
}

enum tri
access_user_word(const char *user, const struct match_ctx *ctx,
    const char *word)
{
	const char *at = strrchr(word, '@');
	char *u;
	int r;

	if (at == NULL)
		return match_pattern(user, word) ? TRI_YES : TRI_NO;
	u = xstrndup(word, (size_t)(at - word));
	r = match_pattern(user, u);
	free(u);
	if (!r)
		return TRI_NO;
	/* Under UseDNS yes the name comes from DNS: unknowable. */
	if (ctx->addr == NULL || ctx->host == NULL)
		return TRI_MAYBE;
	return match_user(user, ctx->host, ctx->addr, word) == 1 ?
	    TRI_YES : TRI_NO;
}

int
access_group_word(const char *const *groups, const char *word)
{
	size_t i;

	for (i = 0; groups != NULL && groups[i] != NULL; i++)
		if (match_pattern(groups[i], word))
			return 1;
	return 0;
}

enum tri
access_judge(const struct cfg *c, int list, const struct match_ctx *ctx,
    const struct cfg_entry **e, const char **w)
{
	const struct cfg_entry **ents;
	enum tri verdict, t;
	size_t n, i;
	int j, allow = list == L_ALLOW_USERS || list == L_ALLOW_GROUPS;

	*e = NULL;
	*w = NULL;
	n = cfg_collect(c, list_kw[list], ctx, &ents);
	verdict = allow && n > 0 ? TRI_YES : TRI_NO;
	for (i = 0; i < n; i++) {
		*e = ents[i];
		for (j = 0; j < ents[i]->argc; j++) {
			const char *word = ents[i]->argv[j];

			if (list == L_DENY_USERS || list == L_ALLOW_USERS)
				t = access_user_word(ctx->user, ctx, word);
			else
				t = access_group_word(ctx->groups, word) ?
				    TRI_YES : TRI_NO;
			if (t == TRI_MAYBE && *w == NULL) {
				*w = word;
				verdict = TRI_MAYBE;
			}
			if (t == TRI_YES) {
				*w = word;
				free(ents);
				return allow ? TRI_NO : TRI_YES;
			}
		}
	}
	free(ents);
	return verdict;
}

/*
 * An account in no group that exists (its primary gid has no entry, and
 * no group lists it) is refused by sshd (ga_init) whenever a group list
 * is set, before either list is read: one refusal, at DenyGroups' place.
 */
static int
no_group(struct target *t, const struct match_ctx *ctx,
    const struct cfg_entry **e)
{
	const struct cfg_entry **ents;
	size_t n;
	int l;

	if (ctx->groups != NULL && ctx->groups[0] != NULL)
		return 0;
	for (l = L_DENY_GROUPS; l <= L_ALLOW_GROUPS; l++) {
		n = cfg_collect(&t->cfg, access_kw(l), ctx, &ents);
		*e = n > 0 ? ents[0] : NULL;
		free(ents);
		if (n > 0)
			return 1;
	}
	return 0;
}

void
access_lists(struct target *t, const struct match_ctx *base,
    struct access_lists *v)
{
	struct match_ctx ctx = *base;
	const struct cfg_entry *e;
	const char *w;
	size_t i, na = 1;
	int l;
	enum tri r;

	memset(v, 0, sizeof(*v));
	for (i = 0; t->from != NULL && t->from[i] != NULL; i++)
		na = i + 1;
	for (i = 0; i < na; i++) {
		target_ctx_from(t, &ctx, t->from ? t->from[i] : NULL);
		for (l = 0; l < L_N; l++) {
			r = access_judge(&t->cfg, l, &ctx, &e, &w);
			if (l >= L_DENY_GROUPS && no_group(t, &ctx, &e)) {
				v->nogroup = 1;
				r = l == L_DENY_GROUPS ? TRI_YES : TRI_NO;
				w = NULL;
			}
			if (r == TRI_NO || (r == TRI_MAYBE && v->r[l] != TRI_NO))
				continue;
			if (r == TRI_YES) {
				sbuf_addf(&v->addrs[l], "%s%s",
				    v->addrs[l].len ? " " : "",
				    ctx.addr ? ctx.addr : "");
				if (v->r[l] == TRI_YES)
					continue;
				v->host[l] = ctx.host;
			}
			v->r[l] = r;
			v->e[l] = e;
			v->w[l] = w;
		}
	}
}

void
access_lists_free(struct access_lists *v)
{
	int l;

	for (l = 0; l < L_N; l++)
		sbuf_free(&v->addrs[l]);
}

int
access_lists_refused(const struct access_lists *v)
{
	int l;

	for (l = 0; l < L_N; l++)
		if (v->r[l] == TRI_YES)
			return l;
	return -1;
}

const char *
access_list_why(int l, int nogroup)
{
	static const char *const why[L_N] = {
		"listed in DenyUsers",
		"not listed in AllowUsers",
		"a group is listed in DenyGroups",
		"none of user's groups are listed in AllowGroups",
	};

	return nogroup ? "not in any group" : why[l];
}
