/*
 * auth-methods: AuthenticationMethods (effective for the account, Match
 * included) asks for more than the account has. sshd lets a login in when
 * every method of any one list succeeds (auth2.c); a list naming a
 * disabled method is skipped ("Authentication methods list ... contains
 * disabled method, skipping"), and with none left every login fails. The
 * account must be able to use at least one method on its own: with none
 * at all, auth-lockout ("no way in") is the finding, not this one.
 * hostbased, gssapi-with-mic and BSD auth styles are beyond what sshfix
 * can check: such a list makes it "cannot tell". Advice only: the list is
 * the administrator's policy, and the narrowest repair (a password for the
 * account, a key) is the person's to make.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/login/access.h"
#include "fixes/fault.h"
#include "target/login/login.h"
#include "target/login/methods.h"
#include "shquote.h"
#include "util.h"

/*
 * sshd's check at start (sshd.c, auth2_methods_valid with need_enable):
 * the global list, each of its lists against the global settings. When
 * every one names a method turned off, sshd exits: "AuthenticationMethods
 * cannot be satisfied by enabled authentication methods". A Match block
 * that turns the method on for some account changes nothing then. The
 * global entry and in *WHY the first method off, or NULL (*WHY left
 * empty) when sshd starts.
 */
static const struct cfg_entry *
start_fails(struct target *t, struct sbuf *why)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_AUTHMETHODS,
	    NULL, NULL);
	char *copy, *p, *m;
	int i, off = 1, this;

	if (e == NULL || e->argc == 0 || (e->argc == 1 &&
	    strcmp(e->argv[0], "any") == 0))
		return NULL;
	for (i = 0; i < e->argc && off; i++) {
		p = copy = xstrdup(e->argv[i]);
		for (this = 0; (m = strsep(&p, ",")) != NULL && !this; )
			if ((this = method_off(t, NULL, m)) && why->len == 0)
				sbuf_adds(why, m);
		off = this;
		free(copy);
	}
	if (!off)
		sbuf_free(why);	/* a list is on: no reason to give */
	return off ? e : NULL;
}

/* Nobody gets in: sshd does not start. Advice only, as for an account. */
static int
detect(struct target *t, struct plan *p)
{
	struct sbuf why = { 0 };
	const struct cfg_entry *e = start_fails(t, &why);
	struct finding *f;
	char *w, *line;

	if (e == NULL) {
		sbuf_free(&why);
		return 0;
	}
	w = cfg_where(&t->cfg, e->file, e->line);
	line = cfg_line_text(&t->cfg, e->file, e->line);
	f = plan_add_finding(p, &fault_auth_methods, SEV_ERROR, w);
	finding_set_message(f, "sshd will not start: %s at %s asks in every "
	    "list for a method turned off globally (%s); a Match block that "
	    "turns it on for some account does not count at start", line, w,
	    why.s != NULL ? why.s : "?");
	finding_set_logline(f, "AuthenticationMethods cannot be satisfied by "
	    "enabled authentication methods");
	finding_add_evidence(f, "config", "%s", w);
	finding_add_evidence(f, "line", "%s", line);
	f->entry = e;
	f->kind = 2;	/* the start check: no account */
	f->aux = why.s != NULL ? sbuf_take(&why) : xstrdup("?");
	free(line);
	free(w);
	sbuf_free(&why);
	return 0;
}

/*
 * A refused account. Without --user it is reported only when no account
 * at all gets in (as auth-lockout does): the first one is kept.
 */
struct verdict {
	char	*name;
	const struct cfg_entry *e;
	int	 all_off, unknown, any_ok;
	char	*why;
	const struct cfg_entry *dead[8];	/* "any" lines reported */
};

/*
 * "any" that stops an account's logins: read after a list, before 9.7
 * (methods_any_dies: every connection closed), or a Match block's "any"
 * that 7.4 takes as a method's name (methods_any_kept). One error per
 * such line, naming the first account it stops; advice only: the order
 * of the blocks is the policy's author's.
 */
static int
report_any(struct target *t, struct plan *p, const struct login *l,
    struct verdict *keep)
{
	const struct cfg_entry *e = NULL;
	struct finding *f;
	char *w, *line, *text;
	size_t i;
	int dies;

	if (!(dies = methods_any_dies(t, &l->ctx, &e) == M_YES)) {
		e = cfg_effective(&t->cfg, KW_AUTHMETHODS, &l->ctx, NULL);
		if (e == NULL || methods_any_kept(t, e) != M_YES)
			return 0;
	}
	if (p == NULL)
		return 1;
	for (i = 0; i < 8 && keep->dead[i] != NULL; i++)
		if (keep->dead[i] == e)
			return 1;
	if (i < 8)
		keep->dead[i] = e;
	w = cfg_where(&t->cfg, e->file, e->line);
	line = cfg_line_text(&t->cfg, e->file, e->line);
	text = line + strspn(line, " \t");
	f = plan_add_finding(p, &fault_auth_methods, SEV_ERROR, w);
	if (dies) {
		finding_set_message(f, "sshd closes every connection of %s: "
		    "%s at %s comes after a list a matching Match block set, "
		    "and this sshd (before 9.7) stops reading there",
		    l->a->name, text, w);
		finding_set_logline(f, "%s line %zu: \"any\" must appear "
		    "alone in AuthenticationMethods",
		    t->cfg.files[e->file].path, e->line + 1);
	} else {
		finding_set_message(f, "sshd refuses every login of %s: this "
		    "sshd (7.4) takes \"any\" of %s at %s for a method's name",
		    l->a->name, text, w);
		finding_set_logline(f, "Unknown authentication method \"any\" "
		    "in list");
	}
	finding_add_evidence(f, "user", "%s", l->a->name);
	finding_add_evidence(f, "config", "%s", w);
	finding_add_evidence(f, "line", "%s", text);
	f->user = xstrdup(l->a->name);
	f->entry = e;
	f->kind = dies ? 3 : 4;
	f->aux = xstrdup("any");
	free(line);
	free(w);
	return 1;
}

static void
report(struct target *t, struct plan *p, const struct verdict *v)
{
	const struct cfg_entry *e = v->e;
	struct finding *f = plan_add_finding(p, &fault_auth_methods,
	    v->unknown ? SEV_WARNING : SEV_ERROR, v->name);
	char *w = cfg_where(&t->cfg, e->file, e->line), *line;

	line = cfg_line_text(&t->cfg, e->file, e->line);
	finding_add_evidence(f, "user", "%s", v->name);
	finding_add_evidence(f, "config", "%s", w);
	finding_add_evidence(f, "line", "%s", line);
	if (v->unknown)
		finding_set_message(f, "cannot tell: the way in is a method "
		    "sshfix cannot check (%s at %s)", line, w);
	else
		finding_set_message(f, "%s at %s: no list of methods can "
		    "succeed for %s (%s cannot)", line, w, v->name, v->why);
	if (v->all_off)
		finding_set_logline(f, "No AuthenticationMethods left after "
		    "eliminating disabled methods");
	else
		finding_set_logline(f, "Connection closed by authenticating "
		    "user %s ADDR port N [preauth]", v->name);
	f->user = xstrdup(v->name);
	f->entry = e;
	f->kind = v->unknown;
	f->aux = xstrdup(v->why);
	free(line);
	free(w);
}

static void *
begin(struct target *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct verdict));
}

static void
account(struct target *t, struct plan *p, const struct login *l, void *st)
{
	struct verdict *keep = st, now = { 0 };
	const struct cfg_entry *e, *maybe = NULL;
	struct sbuf why = { 0 };
	struct access x;
	int i, off, all_off = 1, unknown = 0, v = M_NO;

	if (t->users == NULL && keep->any_ok)
		return;
	/* sshd does not start: detect() has said it, for everyone. */
	if (start_fails(t, &why) != NULL) {
		sbuf_free(&why);
		return;
	}
	if (report_any(t, p, l, keep))
		return;
	e = cfg_effective(&t->cfg, KW_AUTHMETHODS, &l->ctx, &maybe);
	/* "any", or a Match sshfix cannot judge may replace the list. */
	if (e == NULL || e->argc == 0 || maybe != NULL ||
	    (e->argc == 1 && strcmp(e->argv[0], "any") == 0))
		return;
	auth_assess(t, l, &x);
	/* No method at all: auth-lockout. Another way in: cannot tell. */
	if (x.other != NULL || !(x.key_ok || x.pwd_ok || x.kbd_ok)) {
		sbuf_free(&x.files);
		return;
	}
	for (i = 0; i < e->argc && v != M_YES; i++) {
		off = 0;
		v = methods_list_ok(t, &l->ctx, &x, e->argv[i], &off, &why);
		all_off &= off;
		unknown |= v == M_UNKNOWN;
	}
	now.name = l->a->name;
	now.e = e;
	now.all_off = all_off;
	now.unknown = unknown;
	now.why = why.s ? why.s : "?";
	if (v == M_YES)
		keep->any_ok = 1;
	else if (t->users != NULL)
		report(t, p, &now);
	else if (keep->name == NULL) {
		*keep = now;
		keep->name = xstrdup(now.name);
		keep->why = xstrdup(now.why);
	}
	sbuf_free(&why);
	sbuf_free(&x.files);
}

static void
finish(struct target *t, struct plan *p, void *st)
{
	struct verdict *keep = st;

	if (p != NULL && keep->name != NULL && !keep->any_ok)
		report(t, p, keep);
	free(keep->name);
	free(keep->why);
	free(keep);
}

/* Advice for an account that lacks a method the list asks for. */
static void
plan_method(struct target *t, struct finding *f, const char *w)
{
	int key = strncmp(f->aux, "publickey", 9) == 0;
	const char *bad;
	char *cmd = key ? sh_cmd(&bad, "--user %s", f->user) :
	    sh_cmd(&bad, "passwd %s", f->user);

	if (cmd == NULL)
		plan_add_unsafe(f, bad, "give %s %s, or change "
		    "AuthenticationMethods at %s to a list %s can satisfy",
		    f->user, key ? "a key (--authorized-key)" : "a password "
		    "(passwd)", w, f->user);
	else if (key)
		plan_add_manual(f, "give %s %s (rerun with %s "
		    "--authorized-key KEY|FILE), or change AuthenticationMethods "
		    "at %s to a list %s can satisfy", f->user,
		    f->aux[9] == ' ' ? "another, different key" : "a key", cmd,
		    w, f->user);
	else
		plan_add_manual(f, "set a password for %s from the console "
		    "(%s%s), or change AuthenticationMethods at %s to a "
		    "list %s can satisfy; sshfix does not weaken the list",
		    f->user, cmd, t->live ? "" : " inside chroot", w,
		    f->user);
	free(cmd);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	char *w = cfg_where(&t->cfg, f->entry->file, f->entry->line);

	(void)p;
	if (f->kind == 3)
		plan_add_manual(f, "put the Match block with "
		    "\"AuthenticationMethods any\" at %s before the blocks "
		    "that set a list for the same connections, or give it the "
		    "list it should have; sshfix does not change the policy", w);
	else if (f->kind == 4)
		plan_add_manual(f, "in place of \"AuthenticationMethods any\" "
		    "at %s, name the methods (for example \"publickey "
		    "password keyboard-interactive\"), or upgrade OpenSSH; "
		    "sshfix does not change the policy", w);
	else if (f->kind == 2)
		plan_add_manual(f, "turn %s on globally, or change "
		    "AuthenticationMethods at %s to a list whose methods are "
		    "all on; sshfix does not change the policy", f->aux, w);
	else if (f->kind)
		plan_add_manual(f, "cannot tell: log in with the method of "
		    "%s that sshfix cannot check; nothing is changed", w);
	else
		plan_method(t, f, w);
	free(w);
}

const struct fault fault_auth_methods = {
	.id = "auth-methods",
	.summary = "AuthenticationMethods asks for a method the account "
	    "cannot use",
	.detect = detect,
	.begin = begin,
	.account = account,
	.finish = finish,
	.plan = plan,
};
