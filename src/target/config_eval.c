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

#include "addrmatch.h"
#include "config.h"
#include "util.h"

int
match_pattern(const char *s, const char *p)
{
	for (;;) {
		if (*p == '\0')
			return *s == '\0';
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return 1;
			for (; *s != '\0'; s++)
				if (match_pattern(s, p))
					return 1;
			return 0;
		}
		if (*s == '\0')
			return 0;
		if (*p != '?' && *p != *s)
			return 0;
		s++;
		p++;
	}
}

int
match_pattern_list(const char *s, const char *list, int dolower)
{
	char sub[1024], low[1024];
	const char *p = list, *e;
	size_t n, i;
	int neg, positive = 0;

	for (i = 0; i < sizeof(low) - 1 && s[i] != '\0'; i++)
		low[i] = dolower ? (char)tolower((unsigned char)s[i]) : s[i];
	low[i] = '\0';
	for (;;) {
		e = strchrnul(p, ',');
		neg = *p == '!';
		if (neg)
			p++;
		n = (size_t)(e - p);
		if (n < sizeof(sub)) {
			memcpy(sub, p, n);
			sub[n] = '\0';
			if (match_pattern(low, sub)) {
				if (neg)
					return -1;
				positive = 1;
			}
		}
		if (*e == '\0')
			break;
		p = e + 1;
	}
	return positive;
}

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

/* One Match line, criteria ANDed. */
static enum tri
match_line(const struct cfg_match *m, const struct match_ctx *ctx)
{
	enum tri r = TRI_YES, t;
	int i;

	for (i = 0; i < m->argc; i++) {
		const char *crit = m->argv[i], *val = m->argv[i + 1];

		if (strcasecmp(crit, "all") == 0)
			continue;
		if (val == NULL)
			return TRI_MAYBE;	/* sshd refuses it anyway */
		i++;
		if (strcasecmp(crit, "user") == 0)
			t = match_pattern_list(ctx->user, val, 0) == 1 ?
			    TRI_YES : TRI_NO;
		else if (strcasecmp(crit, "group") == 0)
			t = match_groups(ctx, val);
		else if (strcasecmp(crit, "address") == 0 && ctx->addr)
			t = match_address(ctx->addr, val);
		else if (strcasecmp(crit, "host") == 0 && ctx->host)
			t = match_pattern_list(ctx->host, val, 1) == 1 ?
			    TRI_YES : TRI_NO;
		else
			t = TRI_MAYBE;	/* Host, Address, LocalPort ... */
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

int
cfg_match_unknowable(const struct cfg_match *m, const struct match_ctx *ctx)
{
	const char *c;
	int i;

	for (i = 0; i < m->argc; i += 2) {
		c = m->argv[i];
		if (strcasecmp(c, "all") == 0) {
			i--;
			continue;
		}
		if (strcasecmp(c, "user") == 0 || strcasecmp(c, "group") == 0)
			continue;
		if (strcasecmp(c, "address") == 0 && ctx && ctx->addr)
			continue;
		if (strcasecmp(c, "host") == 0 && ctx && ctx->host)
			continue;
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
		if (e->match == NULL) {
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
			    e->match == NULL)
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
