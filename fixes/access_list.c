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
 * the rule, never an error. Without --user (and without evidence that
 * names the person's account, people.h), only a server no account with
 * a key or a password may enter is a fault ("AllowUsers deploy" is a
 * choice).
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
#include "target/login/people.h"
#include "util.h"


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
    const struct match_ctx *ctx, struct access_lists *v, int l, int later)
{
	struct finding *f;
	char *where, *hosts;
	const char *list = kw_name(v->e[l]->kw);
	const char *why = access_list_why(l, 0);

	f = plan_add_finding(p, &fault_access_list, v->r[l] == TRI_YES ?
	    SEV_ERROR : SEV_WARNING, a->name);
	f->user = xstrdup(a->name);
	f->user_uid = a->uid;
	f->user_gid = a->gid;
	f->kind = v->r[l] == TRI_YES ? l : l | K_MAYBE;
	if (l == L_DENY_GROUPS && v->nogroup) {
		f->kind = l | K_NOGROUP;
		why = access_list_why(l, 1);
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
    const struct match_ctx *ctx, struct access_lists *v)
{
	int l, n = 0;

	for (l = 0; l < L_N; l++)
		if (v->r[l] != TRI_NO)
			add_finding(t, p, a, ctx, v, l, n++ > 0);
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

/* Has the account a key or a password (people.h's row)? */
static int
way_in(struct target *t, const struct account *a)
{
	const struct person *r = people_find(target_people(t), a->name);

	return r != NULL && r->creds;
}

/*
 * The account to report (and open) when none was named: one that could
 * authenticate once the lists let it in (a key or a password), a
 * person's (uid >= 1000) first;
 * else the first refused. Opening an account with no key and no password
 * would change the policy and let nobody in.
 */
static void
consider(struct target *t, struct scan *s, const struct login *l)
{
	int rank = l->a->uid >= 1000 && l->a->uid != 65534;

	rank += 2 * way_in(t, l->a);
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
	struct access_lists v;

	if (s->off || (t->users == NULL && s->any_ok))
		return;
	/* l->ctx has the groups: the config names groups (cfg_groups). */
	access_lists(t, &l->ctx, &v);
	if (t->users != NULL)
		report(t, p, l->a, &l->ctx, &v);
	else if (access_lists_refused(&v) < 0)
		/* An account with no key and no password (Debian's sync)
		 * is not a way in, whatever the lists say. */
		s->any_ok |= way_in(t, l->a);
	else
		consider(t, s, l);
	access_lists_free(&v);
}

static void
finish(struct target *t, struct plan *p, void *arg)
{
	struct scan *s = arg;
	struct match_ctx ctx;
	struct access_lists v;
	size_t n;

	if (p != NULL && !s->off && !s->any_ok && s->pick.name != NULL) {
		target_match_ctx(t, &s->pick, &ctx);
		access_lists(t, &ctx, &v);
		n = p->n;
		report(t, p, &s->pick, &ctx, &v);
		if (p->n > n)
			finding_add_evidence(&p->f[n], "accounts",
			    "no account with a key or a password passes the access lists");
		access_lists_free(&v);
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
