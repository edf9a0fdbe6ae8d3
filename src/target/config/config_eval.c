/*
 * Effective sshd_config values for a login, as servconf.c computes them:
 * global lines first-value-wins; lines of Match blocks that match the
 * connection override the global value (first matching line wins); lists
 * set in matching blocks replace the global list.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/config/addrmatch.h"
#include "target/config/config.h"
#include "target/config/match.h"
#include "util.h"

static enum tri
match_groups(const struct match_ctx *ctx, const char *list)
{
	int found = 0, i;

	for (i = 0; ctx->groups != NULL && ctx->groups[i] != NULL; i++) {
		switch (match_pattern_list(ctx->groups[i], list, 0)) {
		case -1:
			return TRI_NO;
		case 1:
			found = 1;
		}
	}
	return found ? TRI_YES : TRI_NO;
}

/* An invalid list makes sshd refuse the config: never a "yes". */
static enum tri
match_address(const char *addr, const char *list)
{
	switch (addr_match_list(addr, list)) {
	case 1:
		return TRI_YES;
	case -2:
		return TRI_MAYBE;
	default:
		return TRI_NO;
	}
}

/* The criteria sshd 10.0 also takes as NAME=VALUE (older ones split
   the word at "=" anyway). */
static const char *const eq_crit[] = { "user", "group", "host", "address",
	"localaddress", "localport", "rdomain", "version" };

/*
 * Criterion I of M: NAME (lower case) and *val (NULL for "all" and
 * "invalid-user"); returns the index of the next criterion, -1 when the
 * line is malformed (sshd refuses it).
 */
static int
crit_at(const struct cfg_match *m, int i, char *name, size_t n,
    const char **val)
{
	const char *a = m->argv[i], *eq = strchr(a, '=');
	size_t k, len = eq ? (size_t)(eq - a) : strlen(a);

	if (len >= n)
		len = 0;	/* no criterion is that long */
	for (k = 0; k < len; k++)
		name[k] = (char)tolower((unsigned char)a[k]);
	name[len] = '\0';
	*val = NULL;
	for (k = 0; eq != NULL && k < ARRAY_LEN(eq_crit); k++)
		if (strcmp(name, eq_crit[k]) == 0) {
			*val = eq + 1;
			return i + 1;
		}
	if (eq != NULL)
		name[0] = '\0';
	if (strcmp(name, "all") == 0 || strcmp(name, "invalid-user") == 0)
		return i + 1;
	if (i + 1 >= m->argc)
		return -1;
	*val = m->argv[i + 1];
	return i + 2;
}

/* sshd's a2port: 1-65535, digits only; 0 if invalid. */
static int
port_of(const char *s)
{
	long v = 0;

	if (*s == '\0' || strlen(s) > 5)
		return 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return *s == '\0' && v > 0 && v <= 65535 ? (int)v : 0;
}

static enum tri
yes_no(int yes)
{
	return yes ? TRI_YES : TRI_NO;
}

/*
 * One criterion for CTX (servconf.c match_cfg_line). What CTX does not
 * know is TRI_MAYBE; CTX knows an account only when it names one, and
 * the accounts sshfix examines exist (invalid-user: no).
 */
static enum tri
crit_eval(const char *name, const char *val, const struct match_ctx *ctx)
{
	if (strcmp(name, "all") == 0)
		return TRI_YES;
	if (strcmp(name, "invalid-user") == 0)
		return ctx->user ? TRI_NO : TRI_MAYBE;
	if (val == NULL || *val == '\0')
		return TRI_MAYBE;	/* sshd refuses it anyway */
	if (strcmp(name, "user") == 0 && ctx->user)
		return yes_no(match_pattern_list(ctx->user, val, 0) == 1);
	if (strcmp(name, "group") == 0 && ctx->user)
		return match_groups(ctx, val);
	if (strcmp(name, "address") == 0 && ctx->addr)
		return match_address(ctx->addr, val);
	if (strcmp(name, "host") == 0 && ctx->host)
		return yes_no(match_pattern_list(ctx->host, val, 1) == 1);
	if (strcmp(name, "localaddress") == 0 && ctx->laddr)
		return match_address(ctx->laddr, val);
	if (strcmp(name, "localport") == 0 && ctx->lport && port_of(val))
		return yes_no(port_of(val) == ctx->lport);
	if (strcmp(name, "rdomain") == 0 && ctx->rdomain)
		return yes_no(match_pattern_list(ctx->rdomain, val, 0) == 1);
	if (strcmp(name, "version") == 0 && ctx->version)
		return yes_no(match_pattern_list(ctx->version, val, 0) == 1);
	return TRI_MAYBE;
}

/* One Match line, criteria ANDed. */
static enum tri
match_line(const struct cfg_match *m, const struct match_ctx *ctx)
{
	enum tri r = TRI_YES, t;
	const char *val;
	char name[16];
	int i;

	for (i = 0; i < m->argc;) {
		if ((i = crit_at(m, i, name, sizeof(name), &val)) == -1)
			return TRI_MAYBE;
		t = crit_eval(name, val, ctx);
		if (t == TRI_NO)
			return TRI_NO;
		if (t == TRI_MAYBE)
			r = TRI_MAYBE;
	}
	return r;
}

enum tri
cfg_match_eval(const struct cfg_match *m, const struct match_ctx *ctx)
{
	enum tri r = TRI_YES, t;

	for (; m != NULL; m = m->parent) {
		if (ctx == NULL)
			return TRI_NO;
		t = match_line(m, ctx);
		if (t == TRI_NO)
			return TRI_NO;
		if (t == TRI_MAYBE)
			r = TRI_MAYBE;
	}
	return r;
}

/* The account's own criteria are known for every account examined. */
int
cfg_match_unknowable(const struct cfg_match *m, const struct match_ctx *ctx)
{
	static const struct match_ctx none;
	const char *val;
	char name[16];
	int i;

	for (i = 0; i < m->argc;) {
		if ((i = crit_at(m, i, name, sizeof(name), &val)) == -1)
			return 1;
		if (strcmp(name, "user") == 0 || strcmp(name, "group") == 0 ||
		    strcmp(name, "invalid-user") == 0)
			continue;
		if (crit_eval(name, val, ctx ? ctx : &none) == TRI_MAYBE)
			return 1;
	}
	return 0;
}

char *
cfg_match_text(const struct cfg_match *m)
{
	struct sbuf b = { 0 };
	int i;

	sbuf_adds(&b, "Match");
	for (i = 0; i < m->argc; i++)
		sbuf_addf(&b, " %s", m->argv[i]);
	return sbuf_take(&b);
}

const struct cfg_entry *
cfg_effective(const struct cfg *c, enum kw kw, const struct match_ctx *ctx,
    const struct cfg_entry **maybe)
{
	const struct cfg_entry *global = NULL;
	size_t i;

	if (maybe != NULL)
		*maybe = NULL;
	for (i = 0; i < c->nents; i++) {
		const struct cfg_entry *e = &c->ents[i];

		if (e->kw != kw)
			continue;
		if (e->match == NULL || (e->match->all_global && ctx == NULL)) {
			if (global == NULL)
				global = e;
			continue;
		}
		switch (cfg_match_eval(e->match, ctx)) {
		case TRI_YES:
			return e;
		case TRI_MAYBE:
			if (maybe != NULL && *maybe == NULL)
				*maybe = e;
			break;
		case TRI_NO:
			break;
		}
	}
	return global;
}

size_t
cfg_collect(const struct cfg *c, enum kw kw, const struct match_ctx *ctx,
    const struct cfg_entry ***out)
{
	size_t i, n = 0, pass;

	*out = xcalloc(c->nents + 1, sizeof(**out));
	/* Pass 0: matching blocks, which replace; pass 1: global lines. */
	for (pass = 0; pass < 2 && n == 0; pass++) {
		for (i = 0; i < c->nents; i++) {
			const struct cfg_entry *e = &c->ents[i];

			if (e->kw != kw)
				continue;
			if (pass == 0 ? (e->match != NULL &&
			    cfg_match_eval(e->match, ctx) == TRI_YES) :
			    (e->match == NULL || (ctx == NULL &&
			    e->match->all_global)))
				(*out)[n++] = e;
		}
	}
	return n;
}

int
cfg_flag(const struct cfg_entry *e, int def)
{
	if (e == NULL || e->argc < 1)
		return def;
	if (strcasecmp(e->argv[0], "yes") == 0)
		return 1;
	if (strcasecmp(e->argv[0], "no") == 0)
		return 0;
	return def;
}
