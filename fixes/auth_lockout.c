/*
 * auth-lockout: no enabled method can succeed for an account (a --user
 * account, or every login account when none is named): no key sshd would
 * read, and password login disabled for it (effective value, drop-ins and
 * Match included) or useless (no usable hash; root without
 * PermitRootLogin yes). Unknown key sources (AuthorizedKeysCommand, a
 * user's symlink) count as keys: better a miss than a false alarm here.
 * Another way in sshfix cannot see (certificates, principals, Kerberos)
 * makes it "cannot tell": reported, and nothing is opened. Root's password
 * login is opened only with --allow-root-password; a root with a key gets
 * PermitRootLogin prohibit-password. With --no-password-route (the boot
 * unit, unattended) no password login is opened at all: advice instead.
 * What an account can use is the model's judgement (auth_assess,
 * target/login/access.h); the findings and repairs are made here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/login/access.h"
#include "fixes/fault.h"
#include "target/login/certauth.h"
#include "plan/keyplan.h"
#include "target/login/login.h"
#include "target/login/logins.h"
#include "safefs.h"
#include "shquote.h"
#include "util.h"

enum { K_ADD_KEY = 1, K_PASSWORD, K_MANUAL };

static void
evidence(struct target *t, struct finding *f, const struct account *a,
    const struct access *x)
{
	char *w;

	finding_add_evidence(f, "user", "%s", a->name);
	finding_add_evidence(f, "authorized_keys", "%s", x->bad_token ?
	    "AuthorizedKeysFile has an unknown %-token: every key refused" :
	    x->files.s ? x->files.s : "none configured");
	w = x->pw_entry ? cfg_where(&t->cfg, x->pw_entry->file,
	    x->pw_entry->line) : xstrdup("default");
	finding_add_evidence(f, "PasswordAuthentication", "%s (%s)",
	    cfg_flag(x->pw_entry, 1) ? "yes" : "no", w);
	free(w);
	finding_add_evidence(f, "password", "%s", x->pw_hash ? "usable" :
	    "none or locked");
	if (x->pw_maybe != NULL) {
		w = cfg_where(&t->cfg, x->pw_maybe->file, x->pw_maybe->line);
		finding_add_evidence(f, "maybe", "a Match block sets "
		    "PasswordAuthentication %s at %s for some connections",
		    x->pw_maybe->argc ? x->pw_maybe->argv[0] : "", w);
		free(w);
	}
	if (a->uid == 0) {
		w = x->prl_entry ? cfg_where(&t->cfg, x->prl_entry->file,
		    x->prl_entry->line) : xstrdup("default");
		finding_add_evidence(f, "PermitRootLogin", "%s (%s)",
		    permit_root_value(x->prl_entry), w);
		free(w);
	}
}

struct scan {
	struct plan	*p;
	int		 any_ok;
	int		 nlocked;
	struct account	 pick;		/* the account a fix would open */
	const char	*other;		/* a way in sshfix cannot check */
	int		 pick_rank;
	struct sbuf	 names;
};

/*
 * The account a repair should open when none was named: one with a
 * password first (the temporary password route works), then one with a
 * key, then one with neither; within each, a person's account (uid >=
 * 1000), then root if keys may open it, then the rest.
 */
static int
rank(const struct account *a, const struct access *x, const char *prl)
{
	/* An account with nothing (Debian's sync) is never the one. */
	int r = x->pw_hash ? 0 : x->keys ? 10 : 20;

	if (a->uid >= 1000 && a->uid != 65534)
		return r;
	if (a->uid == 0)
		return r + (strcasecmp(prl, "no") == 0 ? 5 : 1);
	return r + 3;
}

static void
consider(struct scan *s, const struct account *a, const struct access *x,
    const char *prl)
{
	int r = rank(a, x, prl);

	if (s->pick.name != NULL && r >= s->pick_rank)
		return;
	account_free(&s->pick);
	account_dup(&s->pick, a);
	s->pick_rank = r;
}

static struct finding *
add(struct target *t, struct plan *p, const struct account *a,
    const struct access *x, const char *subject)
{
	struct finding *f = plan_add_finding(p, &fault_auth_lockout,
	    x->other ? SEV_WARNING : SEV_ERROR, subject);

	evidence(t, f, a, x);
	if (x->other != NULL) {
		finding_add_evidence(f, "other way in", "%s", x->other);
		f->aux = xstrdup(x->other);
	}
	finding_set_logline(f, "Connection closed by authenticating user %s "
	    "ADDR port N [preauth]", a->name);
	return f;
}

static void *
begin(struct target *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct scan));
}

static void
account(struct target *t, struct plan *p, const struct login *l, void *arg)
{
	struct scan *s = arg;
	const struct account *a = l->a;
	struct access x;
	struct finding *f;

	/* Without --user one open account is enough: stop looking. */
	if (t->users == NULL && s->any_ok)
		return;
	auth_assess(t, l, &x);
	/* A certificate given with --authorized-key that sshd takes. */
	if (x.key_ok || x.pw_ok || cert_accepted(t, l, t->new_keys)) {
		s->any_ok = 1;
		sbuf_free(&x.files);
		return;
	}
	s->nlocked++;
	sbuf_addf(&s->names, "%s%s", s->names.len ? ", " : "", a->name);
	if (t->users != NULL) {
		f = add(t, p, a, &x, a->name);
		if (x.other != NULL)
			finding_set_message(f, "cannot tell: the way in is %s "
			    "(no usable key or password login for %s)",
			    x.other, a->name);
		else
			finding_set_message(f, "%s cannot log in: no usable "
			    "key and no usable password login", a->name);
		f->user = xstrdup(a->name);
	} else {
		if (s->other == NULL)
			s->other = x.other;
		consider(s, a, &x, permit_root_value(x.prl_entry));
	}
	sbuf_free(&x.files);
}

static void
finish(struct target *t, struct plan *p, void *arg)
{
	struct scan *s = arg;
	struct login l;
	struct access x;
	struct finding *f;

	if (p != NULL && t->users == NULL && !s->any_ok && s->pick.name) {
		login_load(t, &s->pick, &l);
		auth_assess(t, &l, &x);
		if (x.other == NULL)
			x.other = s->other;
		f = add(t, p, &s->pick, &x, "all accounts");
		if (x.other != NULL)
			finding_set_message(f, "cannot tell: the way in is %s "
			    "(no account has a usable key or password login: "
			    "%s)", x.other, s->names.s);
		else
			finding_set_message(f, "no account can log in: none "
			    "has a usable key and password login is off or "
			    "useless for all (%s)", s->names.s);
		f->user = xstrdup(s->pick.name);
		sbuf_free(&x.files);
		login_free(&l);
	}
	account_free(&s->pick);
	sbuf_free(&s->names);
	free(s);
}

/*
 * A name sshd's Match User reads as itself: no pattern characters (* ? !
 * ,), no quoting or comment, no white space.
 */
static int
plain_name(const char *name)
{
	const char *c;

	if (name[0] == '\0' || name[0] == '-')
		return 0;
	for (c = name; *c != '\0'; c++)
		if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
		    !(*c >= '0' && *c <= '9') && strchr("._-", *c) == NULL)
			return 0;
	return 1;
}

/* E, in a Match block that decides for A, may decide for others too. */
static void
shared_block(struct target *t, struct finding *f, const struct cfg_entry *e)
{
	char *w = cfg_where(&t->cfg, e->match->file, e->match->line);

	plan_add_manual(f, "the Match block at %s decides this for %s and "
	    "wins over a later one: its line is edited, and every account it "
	    "matches gets the same until the rollback", w, f->user);
	free(w);
}

/* Once password login is open: the key goes in, the route closes. */
static void
copy_key_advice(struct finding *f, const char *name)
{
	const char *bad;
	char *cmd = sh_cmd(&bad, "ssh-copy-id %s@HOST", name);

	if (cmd == NULL)
		plan_add_unsafe(f, bad, "temporary: log in as %s with the "
		    "password, copy your key (ssh-copy-id), then run sshfix "
		    "--rollback", name);
	else
		plan_add_manual(f, "temporary: log in as %s with the password, "
		    "copy your key (%s), then run sshfix --rollback", name,
		    cmd);
	free(cmd);
}

/* No usable password and no key: set one, or give a key. */
static void
no_password_advice(struct target *t, struct finding *f, const char *name)
{
	const char *bad;
	char *cmd = sh_cmd(&bad, "passwd %s", name);

	if (cmd == NULL)
		plan_add_unsafe(f, bad, "%s has no usable password: set one "
		    "from the console (passwd), or rerun with --authorized-key "
		    "KEY|FILE", name);
	else
		plan_add_manual(f, "%s has no usable password: set one from "
		    "the console (%s%s), or rerun with --authorized-key "
		    "KEY|FILE%s", name, cmd, t->live ? "" : " inside chroot",
		    t->users ? "" : " --user NAME");
	free(cmd);
}

/*
 * The temporary password route, for A alone: a "Match User A" block at
 * the end of the main file (after every Include, so that no later line
 * can fall inside it), one marked line each. A Match block that matches A
 * and already decides the keyword comes first and wins over a later
 * block: that line is edited instead.
 */
static void
plan_password(struct target *t, struct finding *f, const struct account *a,
    const struct match_ctx *ctx)
{
	const struct cfg_entry *pw = cfg_effective(&t->cfg, KW_PASSWORDAUTH,
	    ctx, NULL);
	const struct cfg_entry *prl = cfg_effective(&t->cfg,
	    KW_PERMITROOTLOGIN, ctx, NULL);
	const char *block[3];
	size_t n = 0, end, i;
	char *w;

	if (!authmethods_password_alone(t, ctx, &w)) {
		plan_add_manual(f, "AuthenticationMethods at %s asks for more "
		    "than a password: opening password login would not let %s "
		    "in; rerun with --authorized-key KEY|FILE", w, a->name);
		free(w);
		return;
	}
	if (!plain_name(a->name)) {
		plan_add_manual(f, "%s cannot be named in a Match User line "
		    "(sshd would read it as a pattern): nothing is opened; "
		    "rerun with --authorized-key KEY|FILE", a->name);
		return;
	}
	if (!cfg_flag(pw, 1) && pw->match != NULL) {
		plan_set_value(t, f, pw, "PasswordAuthentication yes", 1);
		shared_block(t, f, pw);
	} else if (!cfg_flag(pw, 1))
		block[++n] = "\tPasswordAuthentication yes";
	if (a->uid == 0 && strcasecmp(permit_root_value(prl), "yes") != 0) {
		if (prl != NULL && prl->match != NULL) {
			plan_set_value(t, f, prl, "PermitRootLogin yes", 1);
			shared_block(t, f, prl);
		} else
			block[++n] = "\tPermitRootLogin yes";
	}
	if (n > 0) {
		char *m = xasprintf("Match User %s", a->name);

		end = t->cfg.missing || t->cfg.nfiles == 0 ? 0 :
		    t->cfg.files[0].nlines;
		block[0] = m;
		for (i = 0; i <= n; i++)
			plan_add_edit(f, SSHD_CONFIG, end, NULL, block[i], 1);
		free(m);
	}
	copy_key_advice(f, a->name);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	struct account a = { 0 };
	struct login l;
	struct access x;

	(void)p;
	if (f->aux != NULL) {
		plan_add_manual(f, "cannot tell: the way in is %s, which "
		    "sshfix cannot check; nothing is opened. Log in that way, "
		    "or rerun with --authorized-key KEY|FILE", f->aux);
		return;
	}
	if (accounts_getpwnam(&t->acc, f->user, &a) != 0)
		return;
	login_load(t, &a, &l);
	auth_assess(t, &l, &x);
	if (t->new_keys != NULL)
		plan_add_keys(t, f, &a, &l.ctx,
		    (const char *const *)t->new_keys);
	else if (x.keys && (a.uid == 0 || !cfg_flag(x.pk_entry, 1)))
		/* Its keys are the way in it was given: turned back on. */
		plan_open_keys(t, f, &a, &l.ctx);
	else if (x.pw_hash && t->no_pw_route)
		plan_add_manual(f, "%s can only log in with a password, and "
		    "--no-password-route keeps password login closed: rerun "
		    "with --authorized-key KEY|FILE, or without that option "
		    "for a temporary password login", a.name);
	else if (x.pw_hash && (a.uid != 0 || t->allow_root_pw))
		plan_password(t, f, &a, &l.ctx);
	else if (x.pw_hash)
		plan_add_manual(f, "root can only log in with a password: "
		    "rerun with --allow-root-password to let root log in with "
		    "it (temporary), or with --authorized-key KEY|FILE "
		    "(PermitRootLogin prohibit-password)");
	else
		no_password_advice(t, f, a.name);
	sbuf_free(&x.files);
	login_free(&l);
	account_free(&a);
}

const struct fault fault_auth_lockout = {
	.id = "auth-lockout",
	.summary = "no way to log in: no usable key and no usable password",
	.begin = begin,
	.account = account,
	.finish = finish,
	.plan = plan,
};
