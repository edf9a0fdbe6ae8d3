/*
 * access-list: AllowUsers, DenyUsers, AllowGroups and DenyGroups as
 * auth.c allowed_user applies them (the same in 7.4 and 10.0): DenyUsers,
 * then AllowUsers, then DenyGroups, then AllowGroups; each word is one
 * glob ("!" is literal), USER@HOST split at the last "@" and judged
 * against the client address. The first list that refuses is reported,
 * and every later one that would refuse once it is fixed.
 *
 * The lists are the effective ones for the account and each --from
 * address (Match blocks replace the global list). A verdict that turns
 * on a USER@HOST word while the address is unknown is a warning naming
 * the rule, never an error. Without --user, only a server no login
 * account may enter is a fault ("AllowUsers deploy" is a choice).
 *
 * Repairs are one word: the account added to the list it fails, or the
 * word that denies it removed (the line commented out when it was the
 * only word); never when that word also names another account.
 * What each list decides for one account is the model's
 * (target/login/access.h); the repairs are src/plan/access_repair.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "target/config/match.h"
#include "target/login/access.h"
#include "plan/accesslist.h"
#include "fixes/fault.h"
#include "target/login/login.h"
#include "target/login/logins.h"
#include "util.h"

static const char why_no_group[] = "not in any group";
static const char *const list_why[L_N] = {
	"listed in DenyUsers",
	"not listed in AllowUsers",
	"a group is listed in DenyGroups",
	"none of user's groups are listed in AllowGroups",
};

/* What one account meets in each list, over every --from address. */
struct lists {
	enum tri	 r[L_N];
	const struct cfg_entry *e[L_N];
	const char	*w[L_N];
	struct sbuf	 addrs[L_N];	/* the --from addresses it fails */
	const char	*host[L_N];	/* the first, as sshd logs it */
	int		 nogroup;	/* no group at all (ga_init) */
};

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

static void
judge_account(struct target *t, const struct match_ctx *base,
    struct lists *v)
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

static void
lists_free(struct lists *v)
{
	int l;

	for (l = 0; l < L_N; l++)
		sbuf_free(&v->addrs[l]);
}

/* Hosts of the USER@HOST words of LIST that name USER, for a warning. */
static char *
host_words(struct target *t, int list, const struct match_ctx *ctx)
{
	const struct cfg_entry **ents;
	struct sbuf b = { 0 };
	size_t n, i;
	int j;

	n = cfg_collect(&t->cfg, access_kw(list), ctx, &ents);
	for (i = 0; i < n; i++)
		for (j = 0; j < ents[i]->argc; j++) {
			const char *at = strrchr(ents[i]->argv[j], '@');

			if (at != NULL && access_user_word(ctx->user, ctx,
			    ents[i]->argv[j]) == TRI_MAYBE)
				sbuf_addf(&b, "%s%s", b.len ? ", " : "", at + 1);
		}
	free(ents);
	return sbuf_take(&b);
}

static void
add_finding(struct target *t, struct plan *p, const struct account *a,
    const struct match_ctx *ctx, struct lists *v, int l, int later)
{
	struct finding *f;
	char *where, *hosts;
	const char *list = kw_name(v->e[l]->kw), *why = list_why[l];

	f = plan_add_finding(p, &fault_access_list, v->r[l] == TRI_YES ?
	    SEV_ERROR : SEV_WARNING, a->name);
	f->user = xstrdup(a->name);
	f->user_uid = a->uid;
	f->user_gid = a->gid;
	f->kind = v->r[l] == TRI_YES ? l : l | K_MAYBE;
	if (l == L_DENY_GROUPS && v->nogroup) {
		f->kind = l | K_NOGROUP;
		why = why_no_group;
	}
	f->entry = v->e[l];
	finding_set_logline(f, "User %s from %s not allowed because %s",
	    a->name, v->host[l] ? v->host[l] : "<client>", why);
	where = cfg_where(&t->cfg, v->e[l]->file, v->e[l]->line);
	finding_add_evidence(f, list, "%s", where);
	if (v->r[l] == TRI_MAYBE) {
		hosts = host_words(t, l, ctx);
		finding_set_message(f, "%s %s (%s): %s may %s %s; %s", list,
		    v->w[l], where, a->name, l == L_DENY_USERS ?
		    "not log in from" : "log in only from", hosts, t->from ?
		    "cannot tell: under UseDNS yes the name DNS gives the "
		    "client decides" : "rerun with --from ADDR");
		free(hosts);
	} else {
		if (v->addrs[l].len > 0) {
			f->aux = xstrdup(v->addrs[l].s);
			finding_add_evidence(f, "from", "%s", f->aux);
		}
		if (v->w[l] != NULL)
			finding_add_evidence(f, "word", "%s", v->w[l]);
		finding_set_message(f, "%ssshd refuses %s%s%s: %s (%s)", later ?
		    "once that is fixed, " : "", a->name, f->aux ? " from " :
		    "", f->aux ? f->aux : "", why, where);
	}
	free(where);
}

/* Every refusal of an account, in sshd's order. */
static void
report(struct target *t, struct plan *p, const struct account *a,
    const struct match_ctx *ctx, struct lists *v)
{
	int l, n = 0;

	for (l = 0; l < L_N; l++)
		if (v->r[l] != TRI_NO)
			add_finding(t, p, a, ctx, v, l, n++ > 0);
}

static int
refused(const struct lists *v)
{
	int l;

	for (l = 0; l < L_N; l++)
		if (v->r[l] == TRI_YES)
			return 1;
	return 0;
}

struct scan {
	int		 off;		/* no list at all: nothing to judge */
	int		 any_ok;	/* an account may enter */
	struct account	 pick;		/* the account to report */
	int		 pick_rank;
};

static void *
begin(struct target *t)
{
	struct scan *s = xcalloc(1, sizeof(*s));
	size_t i;
	int l;

	s->off = 1;
	for (i = 0; i < t->cfg.nents; i++)
		for (l = 0; l < L_N; l++)
			if (t->cfg.ents[i].kw == access_kw(l))
				s->off = 0;
	return s;
}

/*
 * The account to report (and open) when none was named: one that could
 * authenticate once the lists let it in, a person's (uid >= 1000) first;
 * else the first refused. Opening an account with no key and no password
 * would change the policy and let nobody in.
 */
static void
consider(struct target *t, struct scan *s, const struct login *l)
{
	struct access x;
	int rank = l->a->uid >= 1000 && l->a->uid != 65534;

	auth_assess(t, l, &x);
	rank += 2 * (x.key_ok || x.pw_ok);
	sbuf_free(&x.files);
	if (s->pick.name != NULL && rank <= s->pick_rank)
		return;
	account_free(&s->pick);
	account_dup(&s->pick, l->a);
	s->pick_rank = rank;
}

static void
account(struct target *t, struct plan *p, const struct login *l, void *arg)
{
	struct scan *s = arg;
	struct lists v;

	if (s->off || (t->users == NULL && s->any_ok))
		return;
	/* l->ctx has the groups: the config names groups (cfg_groups). */
	judge_account(t, &l->ctx, &v);
	if (t->users != NULL)
		report(t, p, l->a, &l->ctx, &v);
	else if (!refused(&v))
		s->any_ok = 1;
	else
		consider(t, s, l);
	lists_free(&v);
}

static void
finish(struct target *t, struct plan *p, void *arg)
{
	struct scan *s = arg;
	struct match_ctx ctx;
	struct lists v;
	size_t n;

	if (p != NULL && !s->off && !s->any_ok && s->pick.name != NULL) {
		target_match_ctx(t, &s->pick, &ctx);
		judge_account(t, &ctx, &v);
		n = p->n;
		report(t, p, &s->pick, &ctx, &v);
		if (p->n > n)
			finding_add_evidence(&p->f[n], "accounts",
			    "no login account passes the access lists");
		lists_free(&v);
		free(ctx.groups);
	}
	account_free(&s->pick);
	free(s);
}

const struct fault fault_access_list = {
	.id = "access-list",
	.summary = "AllowUsers, DenyUsers, AllowGroups or DenyGroups refuse "
	    "the account",
	.begin = begin,
	.account = account,
	.finish = finish,
	.plan = access_plan,
};
