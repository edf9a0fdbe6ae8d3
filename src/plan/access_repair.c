/*
 * Repairs of access-list findings, the narrowest that let the account in:
 * its name added as one more word to the list it fails, or the word that
 * denies it removed (the line commented out when no word is left). Never
 * a whole list deleted, and never a word removed that also names another
 * account: removing it would let that account in too (a manual step
 * names them). All findings of one list are repaired by the first of
 * them, so that two accounts refused by one line make one edit of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/config/match.h"
#include "plan/remedy.h"
#include "plan/accesslist.h"
#include "target/login/access.h"
#include "shquote.h"
#include "util.h"

struct lineedit {
	const struct cfg_entry *e;
	struct sbuf	 add;		/* words to add, each " WORD" */
	const char	**drop;		/* words of e->argv to remove */
	size_t		 ndrop;
};

struct edits {
	struct lineedit	*v;
	size_t		 n;
};

static struct lineedit *
edit_for(struct edits *ed, const struct cfg_entry *e)
{
	size_t i;

	for (i = 0; i < ed->n; i++)
		if (ed->v[i].e == e)
			return &ed->v[i];
	ed->v = xreallocarray(ed->v, ed->n + 1, sizeof(*ed->v));
	memset(&ed->v[ed->n], 0, sizeof(*ed->v));
	ed->v[ed->n].e = e;
	return &ed->v[ed->n++];
}

static void
edit_drop(struct edits *ed, const struct cfg_entry *e, const char *word)
{
	struct lineedit *le = edit_for(ed, e);
	size_t i;

	for (i = 0; i < le->ndrop; i++)
		if (le->drop[i] == word)
			return;
	le->drop = xreallocarray(le->drop, le->ndrop + 1, sizeof(char *));
	le->drop[le->ndrop++] = word;
}

/* A word sshd reads back as itself when written bare. */
static int
plain_word(const char *w)
{
	return *w != '\0' && strpbrk(w, " \t\"'\\#") == NULL;
}

/* The line as written up to the keyword's end, then the kept words. */
static int
line_text(struct target *t, const struct lineedit *le, struct sbuf *out,
    int *left)
{
	const struct cfg_entry *e = le->e;
	char *old = cfg_line_text(&t->cfg, e->file, e->line), *kw;
	size_t i;
	int j;

	*left = 0;
	kw = strstr(old, e->keyword);
	if (kw == NULL) {
		free(old);
		return -1;
	}
	sbuf_add(out, old, (size_t)(kw - old) + strlen(e->keyword));
	free(old);
	for (j = 0; j < e->argc; j++) {
		for (i = 0; i < le->ndrop && le->drop[i] != e->argv[j]; i++)
			;
		if (i < le->ndrop)
			continue;
		if (!plain_word(e->argv[j]))
			return -1;
		sbuf_addf(out, " %s", e->argv[j]);
		(*left)++;
	}
	if (le->add.len > 0) {
		sbuf_add(out, le->add.s, le->add.len);
		(*left)++;
	}
	return 0;
}

static void
edit_emit(struct target *t, struct finding *f, struct lineedit *le)
{
	struct sbuf b = { 0 };
	char *old;
	int left;

	if (line_text(t, le, &b, &left) == -1) {
		plan_add_manual(f, "edit %s line %zu by hand: a word sshfix "
		    "would have to rewrite is quoted", t->cfg.files[le->e->file]
		    .path, le->e->line + 1);
	} else if (left == 0) {
		plan_comment_out(t, f, le->e);
	} else {
		old = cfg_line_text(&t->cfg, le->e->file, le->e->line);
		plan_add_edit(f, t->cfg.files[le->e->file].path, le->e->line,
		    old, b.s, 0);
		free(old);
	}
	sbuf_free(&b);
	sbuf_free(&le->add);
	free(le->drop);
}

/* Accounts other than the refused ones that WORD of LIST names. */
struct others {
	struct target	*t;
	int		 list;
	const char	*word;
	const struct plan *p;
	struct sbuf	 names;
	int		 n;
};

static int
being_fixed(const struct plan *p, int list, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (finding_is(&p->f[i], "access-list") &&
		    p->f[i].kind == list && strcmp(p->f[i].user, name) == 0)
			return 1;
	return 0;
}

static int
other_cb(const struct passwd *pw, void *arg)
{
	struct others *o = arg;
	struct account a;
	const char **groups;
	char *u;
	int hit;

	if (being_fixed(o->p, o->list, pw->pw_name))
		return 0;
	if (o->list == L_DENY_USERS) {
		u = xstrdup(o->word);
		if (strrchr(u, '@') != NULL)
			*strrchr(u, '@') = '\0';
		hit = match_pattern(pw->pw_name, u);
		free(u);
	} else {
		account_copy(&a, pw);
		groups = accounts_user_groups(&o->t->acc, &a);
		hit = access_group_word(groups, o->word);
		free(groups);
		account_free(&a);
	}
	if (hit && o->n++ < 3)
		sbuf_addf(&o->names, "%s%s", o->names.len ? ", " : "",
		    pw->pw_name);
	return 0;
}

/* Is ADDR one of the space-separated addresses of LIST? */
static int
addr_in(const char *list, const char *addr)
{
	size_t n = strlen(addr);
	const char *s;

	for (s = list; (s = strstr(s, addr)) != NULL; s += n)
		if ((s == list || s[-1] == ' ') && (s[n] == ' ' || !s[n]))
			return 1;
	return 0;
}

/*
 * Call CB for each client address F failed from (NULL once when there
 * was no --from), with CTX re-targeted to it.
 */
static void
each_addr(struct target *t, struct finding *f, struct match_ctx *ctx,
    void (*cb)(struct target *, const struct plan *, struct finding *,
    struct match_ctx *, struct edits *), const struct plan *p,
    struct edits *ed)
{
	size_t i;

	if (t->from == NULL || f->aux == NULL) {
		cb(t, p, f, ctx, ed);
		return;
	}
	for (i = 0; t->from[i] != NULL; i++)
		if (addr_in(f->aux, t->from[i])) {
			target_ctx_from(t, ctx, t->from[i]);
			cb(t, p, f, ctx, ed);
		}
}

/* Remove each word of the list that refuses F's account, if only it. */
static void
drop_words(struct target *t, const struct plan *p, struct finding *f,
    struct match_ctx *ctx, struct edits *ed)
{
	const struct cfg_entry **ents;
	struct others o = { .t = t, .list = f->kind, .p = p };
	size_t n, i;
	int j, hit;

	n = cfg_collect(&t->cfg, access_kw(f->kind), ctx, &ents);
	for (i = 0; i < n; i++)
		for (j = 0; j < ents[i]->argc; j++) {
			o.word = ents[i]->argv[j];
			hit = f->kind == L_DENY_USERS ? access_user_word(
			    ctx->user, ctx, o.word) == TRI_YES :
			    access_group_word(ctx->groups, o.word);
			if (!hit)
				continue;
			o.n = 0;
			accounts_foreach(&t->acc, other_cb, &o);
			if (o.n == 0) {
				edit_drop(ed, ents[i], o.word);
				continue;
			}
			plan_add_manual(f, "%s %s also refuses %s%s: removing it "
			    "would let them in too, so sshfix leaves it; let %s "
			    "in by hand (a narrower word, or a Match User %s "
			    "block)", kw_name(access_kw(f->kind)), o.word,
			    o.names.s, o.n > 3 ? " and others" : "", ctx->user,
			    ctx->user);
			sbuf_free(&o.names);
		}
	free(ents);
}

static void
add_word(struct edits *ed, const struct cfg_entry *e, const char *word)
{
	struct lineedit *le = edit_for(ed, e);
	char *w = xasprintf(" %s", word);

	if (le->add.s == NULL || !addr_in(le->add.s, word))
		sbuf_adds(&le->add, w);
	free(w);
}

/*
 * AllowUsers: the account's name. Where the list already ties the
 * account to addresses (alice@10.0.0.0/8), it is a choice: the account
 * is added for the address the person named only (alice@ADDR).
 */
static void
add_user(struct target *t, const struct plan *p, struct finding *f,
    struct match_ctx *ctx, struct edits *ed)
{
	const struct cfg_entry **ents, *e = f->entry;
	size_t n, i;
	int j, tied = 0;
	char *w;

	(void)p;
	/* The list for this address (a Match Address block may replace it). */
	n = cfg_collect(&t->cfg, KW_ALLOWUSERS, ctx, &ents);
	if (n > 0)
		e = ents[n - 1];
	for (i = 0; i < n; i++)
		for (j = 0; j < ents[i]->argc; j++) {
			w = xstrdup(ents[i]->argv[j]);
			if (strrchr(w, '@') != NULL) {
				*strrchr(w, '@') = '\0';
				tied |= match_pattern(ctx->user, w);
			}
			free(w);
		}
	free(ents);
	if (tied && ctx->addr != NULL) {
		w = xasprintf("%s@%s", ctx->user, ctx->addr);
		add_word(ed, e, w);
		free(w);
	} else
		add_word(ed, e, ctx->user);
}

/* USER joins GROUP (NULL: only patterns listed), one of LIST's. */
static void
join_group_advice(struct target *t, struct finding *f, const char *user,
    const char *list, const char *group)
{
	const char *bad, *root = t->live ? NULL : t->rootdir;
	char *cmd = group != NULL ? sh_rootcmd(&bad, root, "usermod",
	    "-aG %s %s", group, user) : sh_rootcmd(&bad, root, "usermod",
	    "-aG GROUP %s", user);

	if (cmd == NULL)
		plan_add_unsafe(f, bad, "%s has no group of its own to add to "
		    "AllowGroups (%s): add it to a listed group (usermod -aG)",
		    user, list);
	else
		plan_add_manual(f, "%s has no group of its own to add to "
		    "AllowGroups (%s): add it to a listed group, e.g. %s",
		    user, list, cmd);
	free(cmd);
}

/* F's account has no group at all: its primary group is to be made. */
static void
add_group_advice(struct target *t, struct finding *f)
{
	const char *bad;
	char gid[24], *cmd;

	snprintf(gid, sizeof(gid), "%u", (unsigned)f->user_gid);
	cmd = sh_rootcmd(&bad, t->live ? NULL : t->rootdir, "groupadd",
	    "-g %s %s", gid, f->user);
	if (cmd == NULL)
		plan_add_unsafe(f, bad, "%s is in no group: its primary group "
		    "%s has no entry in /etc/group and no group lists it, so "
		    "sshd refuses it while AllowGroups or DenyGroups is set; "
		    "add the group (groupadd -g %s)", f->user, gid, gid);
	else
		plan_add_manual(f, "%s is in no group: its primary group %s "
		    "has no entry in /etc/group and no group lists it, so sshd "
		    "refuses it while AllowGroups or DenyGroups is set; add the "
		    "group, e.g. %s", f->user, gid, cmd);
	free(cmd);
}

/*
 * AllowGroups: the account's private group (named like it, holding only
 * it), else a manual step: the account joins one of the listed groups.
 */
static void
add_group(struct target *t, const struct plan *p, struct finding *f,
    struct match_ctx *ctx, struct edits *ed)
{
	const struct group_ent *g = accounts_getgrnam(&t->acc, ctx->user);
	const struct cfg_entry *e = f->entry;
	unsigned count;
	int j, own = g != NULL && g->gid == f->user_gid;

	(void)p;
	for (j = 0; g != NULL && g->mem[j] != NULL; j++)
		if (strcmp(g->mem[j], ctx->user) != 0)
			own = 0;
	if (own && accounts_primary_only(&t->acc, g->gid, f->user_uid,
	    &count) && plain_word(g->name)) {
		add_word(ed, e, g->name);
		return;
	}
	for (j = 0; j < e->argc && strpbrk(e->argv[j], "*?") != NULL; j++)
		;
	join_group_advice(t, f, ctx->user, e->argc ? e->argv[0] : "",
	    j < e->argc ? e->argv[j] : NULL);
}

static void
plan_one(struct target *t, const struct plan *p, struct finding *f,
    struct edits *ed)
{
	static void (*const how[L_N])(struct target *, const struct plan *,
	    struct finding *, struct match_ctx *, struct edits *) = {
		drop_words, add_user, drop_words, add_group };
	struct account a = { 0 };
	struct match_ctx ctx;

	if (accounts_getpwnam(&t->acc, f->user, &a) != 0)
		return;
	target_match_ctx(t, &a, &ctx);
	each_addr(t, f, &ctx, how[f->kind], p, ed);
	free(ctx.groups);
	account_free(&a);
}

void
access_plan(struct target *t, struct plan *p, struct finding *f)
{
	struct edits ed = { 0 };
	size_t i, me = (size_t)(f - p->f);

	if (f->kind & K_MAYBE) {
		plan_add_manual(f, "rerun with --from ADDR (the address you "
		    "connect from) to judge it");
		return;
	}
	if (f->kind & K_NOGROUP) {
		add_group_advice(t, f);
		return;
	}
	/* The first finding of a list repairs it for every account. */
	for (i = 0; i < me; i++)
		if (p->f[i].fault == f->fault && p->f[i].kind == f->kind)
			return;
	for (i = me; i < p->n; i++)
		if (p->f[i].fault == f->fault && p->f[i].kind == f->kind)
			plan_one(t, p, &p->f[i], &ed);
	for (i = 0; i < ed.n; i++)
		edit_emit(t, f, &ed.v[i]);
	free(ed.v);
}
