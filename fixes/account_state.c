/*
 * account-state: sshd refuses the account itself, whatever key or
 * password is offered. In sshd's order (auth.c allowed_user, then the
 * PAM account stack, then session.c do_nologin):
 *   UsePAM no: a shadow hash starting with "!" (Linux's
 *     LOCKED_PASSWD_PREFIX) or an expired account (platform.c
 *     platform_locked_account): "account is locked";
 *   the login shell missing or not executable, unless ChrootDirectory
 *     applies (a nologin/false shell authenticates and ends the session:
 *     not this fault; an empty shell is /bin/sh);
 *   UsePAM yes: /etc/nologin with pam_nologin, an expired account with
 *     pam_unix, in the account stack of /etc/pam.d/sshd, in its order;
 *   UsePAM no: /etc/nologin (sshd's do_nologin).
 * Root is exempt from /etc/nologin. With --user each named account is
 * judged; without, a finding only when no login account passes. The
 * repair is exact advice for the target, never an edit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "budget.h"
#include "fixes/fault.h"
#include "target/sshdlinks.h"
#include "target/login/access.h"
#include "target/login/login.h"
#include "target/binary/pamstack.h"
#include "safefs.h"
#include "shquote.h"
#include "util.h"

enum reason { R_LOCKED = 1, R_EXPIRED_NOPAM, R_SHELL_MISSING,
	R_SHELL_NOEXEC, R_NOLOGIN_PAM, R_EXPIRED_PAM, R_NOLOGIN_SSHD };

static const char *const whats[] = {
	[R_LOCKED] = "sshd (UsePAM no) refuses the account, keys too: its "
	    "password is locked (\"!\" in shadow)",
	[R_EXPIRED_NOPAM] = "sshd (UsePAM no) refuses the account, keys too: "
	    "it has expired (shadow)",
	[R_SHELL_MISSING] = "its login shell does not exist in the target",
	[R_SHELL_NOEXEC] = "its login shell is not an executable file",
	[R_NOLOGIN_PAM] = "the PAM account stack of sshd refuses it: "
	    "pam_nologin, /etc/nologin exists",
	[R_EXPIRED_PAM] = "the PAM account stack of sshd refuses it: "
	    "pam_unix, the account has expired (shadow)",
	[R_NOLOGIN_SSHD] = "/etc/nologin exists; sshd (UsePAM no) ends every "
	    "session but root's",
};

/* Without --user: findings wait here until no account has passed. */
#define HELD_MAX	8

struct state {
	int		 pam;		/* effective UsePAM */
	int		 stack_read;	/* 0 not yet, 1 read */
	int		 pam_nologin, pam_unix, nologin_first;
	int		 nologin;	/* -1 not looked yet, 0 no, 1 yes */
	int		 shells_noted;
	int		 any_ok;
	struct plan	 held;
	size_t		 nheld_more;
};

static void
read_stack(struct target *t, struct state *s)
{
	struct pam_stack st;
	const char *base;
	size_t i;

	if (s->stack_read)
		return;
	s->stack_read = 1;
	pamstack_load(t->rootfd, "sshd", &st, &t->unread);
	for (i = 0; i < st.n; i++) {
		if (strcmp(st.m[i].type, "account") != 0)
			continue;
		base = strrchr(st.m[i].module, '/');
		base = base ? base + 1 : st.m[i].module;
		if (strcmp(base, "pam_nologin.so") == 0 && !s->pam_nologin)
			s->nologin_first = !s->pam_unix;
		if (strcmp(base, "pam_nologin.so") == 0)
			s->pam_nologin = 1;
		if (strcmp(base, "pam_unix.so") == 0)
			s->pam_unix = 1;
	}
	pamstack_free(&st);
}

/* /etc/nologin as sshd's stat(2) and pam_nologin see it; once a run. */
static int
nologin_exists(struct target *t, struct state *s)
{
	int r;

	if (s->nologin != -1)
		return s->nologin;
	r = sfs_stat(t->rootfd, "/etc/nologin", NULL);
	if (r == -1 && errno != ENOENT && errno != ENOTDIR)
		unread_note(&t->unread, "/etc/nologin", errno);
	s->nologin = r == 0;
	return s->nologin;
}

/*
 * 0 the shell is executable, R_SHELL_* when sshd refuses it, -1 when
 * sshfix cannot tell (a user's symlink on the way, an unreadable path).
 */
static int
judge_shell(struct target *t, const char *shell)
{
	struct stat st;

	if (sfs_stat(t->rootfd, shell, &st) == 0)
		return S_ISREG(st.st_mode) && (st.st_mode & 0111) ? 0 :
		    R_SHELL_NOEXEC;
	return errno == ENOENT || errno == ENOTDIR ? R_SHELL_MISSING : -1;
}

static int
dir_exists(struct target *t, const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat st;
	int r;

	if (slash != NULL)
		slash[slash == dir] = '\0';
	r = sfs_stat(t->rootfd, slash ? dir : "/", &st) == 0 &&
	    S_ISDIR(st.st_mode);
	free(dir);
	return r;
}

static int
shell_reason(struct target *t, struct state *s, const struct login *l,
    const char *shell)
{
	const struct cfg_entry *e, *maybe = NULL;
	int r;

	if (!shell_allows_login(shell))
		return 0;
	e = cfg_effective(&t->cfg, KW_CHROOTDIR, &l->ctx, &maybe);
	if (maybe != NULL || (e != NULL && e->argc > 0 &&
	    strcasecmp(e->argv[0], "none") != 0))
		return 0;	/* sshd skips the check when it chroots */
	r = judge_shell(t, shell);
	/* Neither its directory nor /bin/sh: the target's /usr is not
	 * there to judge (a rescue mount without it). */
	if (r == R_SHELL_MISSING && !dir_exists(t, shell) &&
	    judge_shell(t, "/bin/sh") != 0)
		r = -1;
	/* Only for an account the person named: a note on every run of a
	 * root without /usr would be noise. */
	if (r == -1 && t->users != NULL && !s->shells_noted) {
		s->shells_noted = 1;
		target_note(t, "cannot tell whether %s's login shell %s "
		    "exists: a symlink sshfix does not follow, or the target "
		    "has no /bin/sh either (is its /usr mounted?)", l->a->name,
		    shell);
	}
	return r == -1 ? 0 : r;
}

/* One refusal: its finding (held without --user), sshd's line, why. */
static void
refuse(struct target *t, struct state *s, struct plan *p,
    const struct account *a, int why, const char *shell)
{
	struct finding *f;

	if (t->users == NULL) {
		if (s->held.n >= HELD_MAX) {
			s->nheld_more++;
			return;
		}
		p = &s->held;
	}
	f = plan_add_finding(p, &fault_account_state, SEV_ERROR, a->name);
	f->user = xstrdup(a->name);
	f->user_uid = a->uid;
	f->kind = why;
	finding_add_evidence(f, "user", "%s", a->name);
	finding_set_message(f, "%s: %s", a->name, whats[why]);
	if (why == R_LOCKED || why == R_EXPIRED_NOPAM)
		finding_set_logline(f, "User %s not allowed because account "
		    "is locked", a->name);
	else if (why == R_NOLOGIN_PAM || why == R_EXPIRED_PAM)
		finding_set_logline(f, "Access denied for user %s by PAM "
		    "account configuration", a->name);
	else if (why == R_NOLOGIN_SSHD)
		finding_set_logline(f, "User %s not allowed because "
		    "/etc/nologin exists", a->name);
	else {
		f->aux = xstrdup(shell);
		finding_add_evidence(f, "shell", "%s", shell);
		finding_set_logline(f, "User %s not allowed because shell %s "
		    "%s", a->name, shell, why == R_SHELL_MISSING ?
		    "does not exist" : "is not executable");
	}
}

/* The PAM account stack, in its own order (UsePAM yes). */
static int
pam_account(struct target *t, struct state *s, struct plan *p,
    const struct account *a, int expired)
{
	int nologin = a->uid != 0 && nologin_exists(t, s), n = 0, i;

	if (!nologin && !expired)
		return 0;
	read_stack(t, s);
	for (i = 0; i < 2; i++) {
		int first = (i == 0) == (s->nologin_first != 0);

		if (first && nologin && s->pam_nologin && ++n)
			refuse(t, s, p, a, R_NOLOGIN_PAM, NULL);
		if (!first && expired && s->pam_unix && ++n)
			refuse(t, s, p, a, R_EXPIRED_PAM, NULL);
	}
	return n;
}

/* Every reason sshd refuses A, first to last. Returns how many. */
static int
judge(struct target *t, struct state *s, struct plan *p,
    const struct login *l)
{
	const struct account *a = l->a;
	const char *shell = a->shell && a->shell[0] ? a->shell : "/bin/sh";
	long expire, today = (long)(t->now / 86400);
	int unknown, n = 0, why;
	char *hash = accounts_shadow(&t->acc, a, &expire, &unknown);
	int lock = account_locked_nopam(t, a);

	free(hash);
	if (lock != 0 && ++n)
		refuse(t, s, p, a, lock == LOCK_EXPIRED ? R_EXPIRED_NOPAM :
		    R_LOCKED, NULL);
	if ((why = shell_reason(t, s, l, shell)) != 0 && ++n)
		refuse(t, s, p, a, why, shell);
	/* pam_unix: expired from the day of sp_expire on. */
	if (s->pam)
		n += pam_account(t, s, p, a, expire >= 0 && today >= expire);
	else if (a->uid != 0 && nologin_exists(t, s) && ++n)
		refuse(t, s, p, a, R_NOLOGIN_SSHD, NULL);
	return n;
}

static void *
begin(struct target *t)
{
	struct state *s = xcalloc(1, sizeof(*s));

	s->pam = sshd_uses_pam(t);
	s->nologin = -1;
	return s;
}

static void
account(struct target *t, struct plan *p, const struct login *l, void *arg)
{
	struct state *s = arg;

	if (t->users == NULL && s->any_ok)
		return;
	if (judge(t, s, p, l) == 0)
		s->any_ok = 1;
}

/* Without --user: the held findings stand only if no account passed. */
static void
finish(struct target *t, struct plan *p, void *arg)
{
	struct state *s = arg;

	if (p != NULL && !s->any_ok && s->held.n > 0) {
		p->f = xreallocarray(p->f, p->n + s->held.n, sizeof(*p->f));
		memcpy(p->f + p->n, s->held.f, s->held.n * sizeof(*p->f));
		p->n += s->held.n;
		s->held.n = 0;
		if (s->nheld_more > 0)
			target_note(t, "%zu more refusals of login accounts "
			    "(account-state) are not listed; run with --user "
			    "NAME", s->nheld_more);
	}
	plan_free(&s->held);
	free(s);
}

/*
 * A shell of ROOT/etc/shells that exists and allows a login: the one
 * with the missing shell's name first (/usr/bin/zsh for /bin/zsh), then
 * bash, then the first. NULL when none does.
 */
static char *
pick_shell(struct target *t, const char *missing)
{
	const char *want = strrchr(missing, '/'), *base;
	char *data, *line, *save = NULL, *best = NULL;
	size_t len;
	int rank = 3, r;

	want = want ? want + 1 : missing;
	if (sfs_read_file(t->rootfd, "/etc/shells", SMALL_FILE_MAX, &data, &len,
	    NULL) == -1)
		return NULL;
	for (line = strtok_r(data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '/' || !shell_allows_login(line) ||
		    judge_shell(t, line) != 0)
			continue;
		base = strrchr(line, '/') + 1;
		r = strcmp(base, want) == 0 ? 0 : strcmp(base, "bash") == 0 ?
		    1 : 2;
		if (r < rank) {
			free(best);
			best = xstrdup(line);
			rank = r;
		}
	}
	free(data);
	return best;
}

/* The --root of the shadow tools' commands for T: NULL when live. */
static const char *
tool_root(const struct target *t)
{
	return t->live ? NULL : t->rootdir;
}

static void
plan_shell(struct target *t, struct finding *f)
{
	char *sh = pick_shell(t, f->aux), *cmd;
	const char *bad;

	if (sh != NULL)
		cmd = sh_rootcmd(&bad, tool_root(t), "usermod", "-s %s %s", sh,
		    f->user);
	else
		cmd = sh_rootcmd(&bad, tool_root(t), "usermod", "-s SHELL %s",
		    f->user);
	if (cmd == NULL)
		plan_add_unsafe(f, bad, "give %s a shell that exists (usermod "
		    "-s)", f->user);
	else if (sh != NULL)
		plan_add_manual(f, "give %s a shell that exists: %s", f->user,
		    cmd);
	else
		plan_add_manual(f, "give %s a shell that exists in the target "
		    "(/etc/shells lists none that does): %s, or install %s",
		    f->user, cmd, f->aux);
	free(cmd);
	free(sh);
}

/* "!" + a hash unlocks to that hash; a bare "!" becomes "*" (no password
 * and, for sshd, no lock: the account logs in with keys only). */
static void
plan_unlock(struct target *t, struct finding *f)
{
	struct account a = { 0 };
	long expire;
	int unknown, usable;
	char *hash = NULL, *cmd;
	const char *bad;

	if (accounts_getpwnam(&t->acc, f->user, &a) == 0)
		hash = accounts_shadow(&t->acc, &a, &expire, &unknown);
	usable = hash != NULL && password_usable(hash + 1);
	cmd = sh_rootcmd(&bad, tool_root(t), "usermod", usable ? "-U %s" :
	    "-p '*' %s", f->user);
	if (cmd == NULL && usable)
		plan_add_unsafe(f, bad, "unlock %s's password (usermod -U)",
		    f->user);
	else if (cmd == NULL)
		plan_add_unsafe(f, bad, "%s has no password to unlock: make it "
		    "a key-only account (usermod -p '*'), or set UsePAM yes",
		    f->user);
	else if (usable)
		plan_add_manual(f, "unlock %s's password: %s", f->user, cmd);
	else
		plan_add_manual(f, "%s has no password to unlock: make it a "
		    "key-only account with %s (no password, not locked), or "
		    "set UsePAM yes", f->user, cmd);
	free(cmd);
	free(hash);
	account_free(&a);
}

static void
plan_expiry(struct target *t, struct finding *f)
{
	const char *bad;
	char *cmd = sh_rootcmd(&bad, tool_root(t), "chage", "-E -1 %s",
	    f->user);

	if (cmd == NULL)
		plan_add_unsafe(f, bad, "remove %s's expiry date (chage -E -1)",
		    f->user);
	else
		plan_add_manual(f, "remove %s's expiry date: %s", f->user, cmd);
	free(cmd);
}

static void
plan_nologin(struct target *t, struct finding *f)
{
	const char *bad;
	char *cmd = sh_cmd(&bad, "rm %s/etc/nologin", t->live ? "" :
	    sh_root(t->rootdir));

	if (cmd == NULL)	/* sh_root() is always a word */
		plan_add_unsafe(f, bad, "/etc/nologin refuses every account "
		    "but root; remove it once the maintenance it announces is "
		    "over");
	else
		plan_add_manual(f, "/etc/nologin refuses every account but "
		    "root; once the maintenance it announces is over: %s", cmd);
	free(cmd);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	(void)p;
	switch (f->kind) {
	case R_LOCKED:
		plan_unlock(t, f);
		break;
	case R_EXPIRED_NOPAM:
	case R_EXPIRED_PAM:
		plan_expiry(t, f);
		break;
	case R_SHELL_MISSING:
	case R_SHELL_NOEXEC:
		plan_shell(t, f);
		break;
	default:
		plan_nologin(t, f);
	}
}

const struct fault fault_account_state = {
	.id = "account-state",
	.summary = "sshd refuses the account itself: locked, expired, no "
	    "shell, /etc/nologin",
	.begin = begin,
	.account = account,
	.finish = finish,
	.plan = plan,
};
