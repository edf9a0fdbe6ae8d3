/*
 * root-login: PermitRootLogin refuses a uid 0 account (root, and any
 * other name with uid 0: sshd asks only the uid) that the person named
 * with --user. A server that refuses root on purpose stays clean when no
 * --user names a uid 0 account. What sshd refuses (auth.c
 * auth_root_allowed, auth-passwd.c):
 *   no                      every method;
 *   prohibit-password       password and keyboard-interactive;
 *   forced-commands-only    those, and keys without command=.
 * Refused keys are repaired with PermitRootLogin prohibit-password at the
 * deciding line (once, whoever planned it first: auth-lockout plans the
 * same edit for a root with no way in). Root's password login is never
 * opened here: that is auth-lockout's temporary route, taken only with
 * --allow-root-password and only when no other way in may exist.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fixes/fault.h"
#include "target/sshdlinks.h"
#include "target/login/access.h"
#include "target/login/login.h"
#include "util.h"

enum { K_KEYS = 1, K_PASSWORD };

#define PRL_KEYS	"PermitRootLogin prohibit-password"

/* Keys sshd would try for L: a key file with keys, or a key command. */
static int
has_keys(struct target *t, const struct login *l,
    const struct match_ctx *ctx)
{
	const struct cfg_entry *cmd;
	int i;

	if (!cfg_flag(cfg_effective(&t->cfg, KW_PUBKEYAUTH, ctx, NULL), 1))
		return 0;
	cmd = cfg_effective(&t->cfg, KW_AUTHKEYSCMD, ctx, NULL);
	if (cmd != NULL && cmd->argc > 0 && strcasecmp(cmd->argv[0], "none"))
		return 1;
	for (i = 0; i < l->nkf; i++)
		if (l->kf[i].nkeys != 0)
			return 1;
	return 0;
}

/* Password or keyboard-interactive on, and a hash that could match. */
static int
has_password(struct target *t, const struct login *l,
    const struct match_ctx *ctx)
{
	int unknown, on, ok;
	char *hash;

	on = cfg_flag(cfg_effective(&t->cfg, KW_PASSWORDAUTH, ctx, NULL),
	    1) || (cfg_flag(cfg_effective(&t->cfg, KW_KBDINTERACTIVE, ctx,
	    NULL), 1) && sshd_uses_pam(t));
	if (!on)
		return 0;
	hash = accounts_password_hash(&t->acc, l->a, &unknown);
	ok = unknown || password_usable(hash);
	free(hash);
	return ok;
}

/* K_KEYS, K_PASSWORD: the way in PermitRootLogin VALUE refuses; 0 none. */
static int
refused(struct target *t, const struct login *l,
    const struct match_ctx *ctx, const char *value)
{
	int keys = has_keys(t, l, ctx);

	if (strcasecmp(value, "yes") == 0)
		return 0;
	if (keys && (strcasecmp(value, "no") == 0 ||
	    (strcasecmp(value, "forced-commands-only") == 0 &&
	    !root_forced_keys_ok(t, l, value))))
		return K_KEYS;
	if (keys || (strcasecmp(value, "no") != 0 &&
	    strcasecmp(value, "prohibit-password") != 0 &&
	    strcasecmp(value, "without-password") != 0 &&
	    strcasecmp(value, "forced-commands-only") != 0))
		return 0;	/* keys work, or a value -t refuses */
	return has_password(t, l, ctx) ? K_PASSWORD : 0;
}

static void
add(struct target *t, struct plan *p, const struct login *l,
    const struct cfg_entry *e, const char *addr, int kind)
{
	const char *value = e != NULL && e->argc > 0 ? e->argv[0] :
	    "prohibit-password";
	struct finding *f;
	char *where;

	f = plan_add_finding(p, &fault_root_login, SEV_ERROR, l->a->name);
	f->user = xstrdup(l->a->name);
	f->entry = e;
	f->kind = kind;
	where = e ? cfg_where(&t->cfg, e->file, e->line) : xstrdup("default");
	finding_add_evidence(f, "user", "%s (uid 0)", l->a->name);
	finding_add_evidence(f, "PermitRootLogin", "%s (%s)", value, where);
	free(where);
	addr = addr ? addr : "ADDR";
	if (kind == K_KEYS) {
		finding_set_message(f, "PermitRootLogin %s refuses %s's keys",
		    value, l->a->name);
		finding_set_logline(f, "ROOT LOGIN REFUSED FROM %s port N",
		    addr);
	} else {
		finding_set_message(f, "PermitRootLogin %s refuses %s's "
		    "password, its only way in", value, l->a->name);
		finding_set_logline(f, "Failed password for %s from %s port N "
		    "ssh2", l->a->name, addr);
	}
}

/* Each --from address in turn (a Match Address may decide): the first
 * one refused is reported. */
static void
account(struct target *t, struct plan *p, const struct login *l, void *arg)
{
	struct match_ctx ctx = l->ctx;
	const struct cfg_entry *e;
	size_t i = 0;
	int kind;

	(void)arg;
	if (t->users == NULL || l->a->uid != 0)
		return;
	do {
		if (t->from != NULL)
			target_ctx_from(t, &ctx, t->from[i]);
		e = cfg_effective(&t->cfg, KW_PERMITROOTLOGIN, &ctx, NULL);
		kind = refused(t, l, &ctx, e != NULL && e->argc > 0 ?
		    e->argv[0] : "prohibit-password");
		if (kind != 0) {
			add(t, p, l, e, ctx.addr, kind);
			return;
		}
	} while (t->from != NULL && t->from[++i] != NULL);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	const struct cfg_entry *e = f->entry;
	const char *path = e ? t->cfg.files[e->file].path : SSHD_CONFIG;
	size_t line = e ? e->line : 0;
	char *old;

	if (f->kind == K_PASSWORD && plan_has_edit(p, path, line,
	    "PermitRootLogin yes")) {
		plan_add_manual(f, "the temporary PermitRootLogin yes planned "
		    "above lets %s in with the password; sshfix --rollback "
		    "closes it again", f->user);
		return;
	}
	if (f->kind == K_PASSWORD) {
		plan_add_manual(f, "%s can only log in with a password: rerun "
		    "with --allow-root-password (a temporary PermitRootLogin "
		    "yes), or give it a key with --authorized-key KEY|FILE "
		    "(then PermitRootLogin prohibit-password is enough)",
		    f->user);
		return;
	}
	if (plan_has_edit(p, path, line, PRL_KEYS)) {
		plan_add_manual(f, "the %s edit planned above lets %s's keys "
		    "in", PRL_KEYS, f->user);
		return;
	}
	old = e ? cfg_line_text(&t->cfg, e->file, e->line) : NULL;
	plan_add_edit(f, path, line, old, PRL_KEYS, 0);
	free(old);
}

const struct fault fault_root_login = {
	.id = "root-login",
	.summary = "PermitRootLogin refuses a uid 0 account's way in",
	.account = account,
	.plan = plan,
};
