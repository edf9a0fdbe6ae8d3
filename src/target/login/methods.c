/*
 * AuthenticationMethods, evaluated as sshd does (auth2.c
 * auth2_methods_valid, list_starts_with, method_allowed): see
 * include/target/login/methods.h.
 */
#include <stdlib.h>
#include <string.h>

#include "target/login/methods.h"
#include "target/release.h"

int
method_off(struct target *t, const struct match_ctx *ctx, const char *m)
{
	enum kw kw;

	if (strcmp(m, "publickey") == 0)
		kw = KW_PUBKEYAUTH;
	else if (strcmp(m, "password") == 0)
		kw = KW_PASSWORDAUTH;
	else if (strncmp(m, "keyboard-interactive", 20) == 0)
		kw = KW_KBDINTERACTIVE;
	else
		return 0;
	return !cfg_flag(cfg_effective(&t->cfg, kw, ctx, NULL), 1);
}

int
method_ok(const struct access *x, const char *m)
{
	if (strcmp(m, "publickey") == 0)
		return x->key_ok ? M_YES : M_NO;
	if (strcmp(m, "password") == 0)
		return x->pwd_ok ? M_YES : M_NO;
	if (strcmp(m, "keyboard-interactive") == 0 ||
	    strcmp(m, "keyboard-interactive:pam") == 0)
		return x->kbd_ok ? M_YES : M_NO;
	return M_UNKNOWN;
}

int
methods_list_ok(struct target *t, const struct match_ctx *ctx,
    const struct access *x, const char *list, int *off, struct sbuf *why)
{
	char *copy = xstrdup(list), *p = copy, *m;
	int r = M_YES, v, keys = access_list_count(list, "publickey");

	while ((m = strsep(&p, ",")) != NULL) {
		*off |= method_off(t, ctx, m);
		v = x ? method_ok(x, m) : M_YES;
		/* Each publickey of a list needs a key not used before
		   (auth2-pubkey.c: "refusing previously-used ... key"). */
		if (v == M_YES && x != NULL && keys > 1 &&
		    strcmp(m, "publickey") == 0) {
			if (x->key_distinct == -1)
				v = M_UNKNOWN;
			else if (x->key_distinct < keys) {
				v = M_NO;
				if (why != NULL && why->len == 0)
					sbuf_addf(why, "publickey %d times: "
					    "as many different keys, %d usable",
					    keys, x->key_distinct);
			}
		}
		if (v == M_NO && why != NULL && why->len == 0)
			sbuf_adds(why, m);
		if (v == M_NO)
			r = M_NO;
		else if (v == M_UNKNOWN && r == M_YES)
			r = M_UNKNOWN;
	}
	free(copy);
	return r;
}

int
methods_ways(struct target *t, const struct login *l,
    const struct access *x, struct sbuf *ways, const struct cfg_entry **ep)
{
	const struct cfg_entry *e, *maybe = NULL;
	int i, off, v, r = M_NO;
	char *s;

	e = cfg_effective(&t->cfg, KW_AUTHMETHODS, &l->ctx, &maybe);
	*ep = e;
	if (e == NULL || e->argc == 0 || maybe != NULL)
		return -1;
	if (e->argc == 1 && strcmp(e->argv[0], "any") == 0)
		switch (methods_any_kept(t, e)) {
		case M_YES:
			return M_NO;	/* no list: "any" is no method */
		case M_UNKNOWN:
			return M_UNKNOWN;
		default:
			return -1;
		}
	for (i = 0; i < e->argc; i++) {
		off = 0;
		v = methods_list_ok(t, &l->ctx, x, e->argv[i], &off, NULL);
		if (off || v == M_NO)
			continue;
		if (v == M_UNKNOWN) {
			if (r == M_NO)
				r = M_UNKNOWN;
			continue;
		}
		r = M_YES;
		s = xstrdup(e->argv[i]);
		for (char *c = s; *c != '\0'; c++)
			if (*c == ',')
				*c = '+';
		sbuf_addf(ways, "%s%s", ways->len ? "," : "", s);
		free(s);
	}
	return r;
}

int
methods_any_kept(struct target *t, const struct cfg_entry *e)
{
	enum tri kept;

	if (e->match == NULL || e->argc != 1 || strcmp(e->argv[0], "any") != 0)
		return M_NO;
	kept = release_has(t, REL_AUTHMETHODS_ANY_KEPT);
	return kept == TRI_YES ? M_YES : kept == TRI_NO ? M_NO : M_UNKNOWN;
}

/*
 * servconf.c before bz3657: "found" is the count of methods taken when
 * the line starts; each word "any" is fatal once a list is taken; a line
 * of an active block appends its words when none were taken before it.
 * LO counts the methods taken with the "maybe" blocks inactive, HI with
 * them active.
 */
int
methods_any_dies(struct target *t, const struct match_ctx *ctx,
    const struct cfg_entry **ep)
{
	enum tri rule = release_has(t, REL_AUTHMETHODS_ANY_FIRST), act;
	size_t i, lo = 0, hi = 0, lo0, hi0;
	int j;

	*ep = NULL;
	if (rule == TRI_NO)
		return M_NO;
	for (i = 0; i < t->cfg.nents; i++) {
		const struct cfg_entry *e = &t->cfg.ents[i];

		if (e->kw != KW_AUTHMETHODS)
			continue;
		act = e->match == NULL ? TRI_NO :
		    cfg_match_eval(e->match, ctx);
		lo0 = lo;
		hi0 = hi;
		for (j = 0; j < e->argc; j++) {
			if (strcmp(e->argv[j], "any") == 0 && hi > 0) {
				*ep = e;
				return lo > 0 && rule == TRI_YES ? M_YES :
				    M_UNKNOWN;
			}
			if (act == TRI_YES && lo0 == 0)
				lo++;
			if (act != TRI_NO && hi0 == 0)
				hi++;
		}
	}
	return M_NO;
}

int
methods_no_tries(struct target *t, const struct match_ctx *ctx,
    const struct cfg_entry **ep)
{
	const struct cfg_entry *e, *maybe = NULL;
	long v;
	int r;

	*ep = e = cfg_effective(&t->cfg, KW_MAXAUTHTRIES, ctx, &maybe);
	if (e != NULL && e->argc > 0) {
		if ((r = release_int(t, e->argv[0], &v)) == -1)
			return M_UNKNOWN;
		if (r == 1 && v <= 0)
			return M_YES;
	}
	if (maybe != NULL && maybe->argc > 0 &&
	    ((r = release_int(t, maybe->argv[0], &v)) == -1 ||
	    (r == 1 && v <= 0))) {
		*ep = maybe;
		return M_UNKNOWN;
	}
	return M_NO;
}
