/*
 * selinux-label: on a target whose SELinux is enforcing (or permissive)
 * at boot, a file sshd reads carries a label other than the one the
 * target's own policy gives its path: the type restorecon and setfiles
 * would set (file_contexts, asked of libselinux: os/selabel.h). The
 * classic case: an authorized_keys moved from /tmp (user_tmp_t) or
 * written by a tool that does not label (default_t, unlabeled): sshd is
 * denied it and logs only "Could not open user 'alice' authorized keys
 * '/home/alice/.ssh/authorized_keys': Permission denied"; the reason is
 * an AVC record in the audit log.
 *
 * Judged: the home, the directories of each effective keys file below it
 * and the file, of the --user accounts (else of every account with keys,
 * up to SELINUX_Q_MAX files), and sshd_config and the host keys. A
 * mismatch of the type is an error while enforcing (keys of the account;
 * sshd_config and host keys: sshd does not start), a warning while
 * permissive (nothing is denied yet). What sshfix cannot judge (no
 * libselinux here, no file_contexts, an unreadable label) is a warning
 * that says so: never a clean bill. The repair sets the policy's type on
 * the file through its fd (snapshotted: --rollback puts the old label
 * back, or removes the one added); never "disable SELinux".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "budget.h"
#include "fixes/fault.h"
#include "target/keys/hostkeys.h"
#include "target/login/login.h"
#include "target/selinux.h"
#include "util.h"

enum { K_FILE = 1, K_UNSURE };

struct item {
	char		*path;
	char		*user;		/* NULL: sshd's own file */
	char		 label[SELABEL_CTX_MAX];
	int		 unlabeled;
};

struct state {
	struct se_config c;
	struct item	 v[SELINUX_Q_MAX];
	struct selabel_q q[SELINUX_Q_MAX];
	size_t		 n;
	size_t		 dropped;	/* files past the budget */
	char		*unread;	/* the first label not read, and why */
};

static void *
begin(struct target *t)
{
	struct state *s = xcalloc(1, sizeof(*s));

	selinux_config(t, &s->c);
	if (s->c.state == SE_OFF) {
		free(s);
		return NULL;
	}
	return s;
}

static void
add(struct target *t, struct state *s, const char *path, mode_t mode,
    const char *user)
{
	struct item *it;
	size_t i;
	int r;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].path, path) == 0)
			return;
	if (s->n == SELINUX_Q_MAX) {
		s->dropped++;
		return;
	}
	it = &s->v[s->n];
	r = selinux_label(t, path, it->label, sizeof(it->label));
	if (r == -1) {
		if (s->unread == NULL)
			s->unread = xasprintf("%s: %s", path, strerror(errno));
		return;
	}
	it->path = xstrdup(path);
	it->user = user ? xstrdup(user) : NULL;
	it->unlabeled = r == 1;
	s->q[s->n].path = it->path;
	s->q[s->n].mode = mode;
	s->n++;
}

static void
account(struct target *t, struct plan *p, const struct login *l, void *arg)
{
	struct state *s = arg;
	const char *name = l->a->name;
	int i, keys = 0;
	size_t j;

	(void)p;
	if (s == NULL || s->c.state == SE_UNKNOWN)
		return;
	if (t->users != NULL) {
		for (i = 0; t->users[i] != NULL; i++)
			keys |= strcmp(t->users[i], name) == 0;
	} else
		for (i = 0; i < l->nkf; i++)
			keys |= l->kf[i].err == 0 && l->kf[i].nkeys != 0;
	if (!keys || l->home_err != 0)
		return;
	add(t, s, l->a->home, S_IFDIR, name);
	for (i = 0; i < l->nkf; i++) {
		const struct keyfile *kf = &l->kf[i];

		if (kf->err != 0 || kf->real != NULL || !S_ISREG(kf->st.st_mode))
			continue;
		for (j = kf->ndirs; j > 0; j--)
			add(t, s, kf->dirs[j - 1].path, S_IFDIR, name);
		add(t, s, kf->path, S_IFREG, name);
	}
}

static struct finding *
finding(struct plan *p, const struct state *s, const char *subject,
    const char *user, int sev, int kind)
{
	struct finding *f = plan_add_finding(p, &fault_selinux_label, sev,
	    subject);

	if (user != NULL)
		f->user = xstrdup(user);
	f->kind = kind;
	finding_add_evidence(f, "SELinux", "%s, policy %s", s->c.state ==
	    SE_ENFORCING ? "enforcing" : s->c.state == SE_PERMISSIVE ?
	    "permissive" : "unknown", s->c.type[0] ? s->c.type : "?");
	return f;
}

/* Cannot judge: a warning, never a clean bill. */
static void
unsure(struct plan *p, const struct state *s, const char *why)
{
	struct finding *f = finding(p, s, "labels", NULL, SEV_WARNING,
	    K_UNSURE);

	finding_set_message(f, "SELinux is on at boot, and sshfix cannot "
	    "tell whether the labels of the files sshd reads are right: %s",
	    why);
}

static void
judge(struct target *t, struct plan *p, struct state *s)
{
	char want[SELABEL_CTX_MAX], have[SELABEL_CTX_MAX];
	struct finding *f;
	size_t i;
	int sev = s->c.state == SE_ENFORCING ? SEV_ERROR : SEV_WARNING;

	if (selinux_expected(t, s->c.type, s->q, s->n) == -1) {
		unsure(p, s, err_get());
		return;
	}
	for (i = 0; i < s->n; i++) {
		const struct item *it = &s->v[i];

		selinux_type(s->q[i].ctx, want, sizeof(want));
		selinux_type(it->label, have, sizeof(have));
		if (want[0] == '\0' || (!it->unlabeled &&
		    strcmp(want, have) == 0))
			continue;	/* no rule for it, or right */
		f = finding(p, s, it->path, it->user, sev, K_FILE);
		f->aux = xstrdup(s->q[i].ctx);
		finding_add_evidence(f, "path", "%s", it->path);
		finding_add_evidence(f, "label", "%s", it->unlabeled ?
		    "none" : it->label);
		finding_add_evidence(f, "policy", "%s", s->q[i].ctx);
		finding_set_message(f, "%s is labelled %s; the policy gives it "
		    "%s: %s", it->path, it->unlabeled ? "nothing" : have, want,
		    s->c.state != SE_ENFORCING ? "nothing is denied while "
		    "SELinux is permissive, but will be once it enforces" :
		    it->user != NULL ? "sshd is denied it, and refuses the "
		    "account's keys" : "sshd is denied it");
		if (it->user != NULL && S_ISREG(s->q[i].mode))
			finding_set_logline(f, "Could not open user '%s' "
			    "authorized keys '%s': Permission denied",
			    it->user, it->path);
	}
}

static void
finish(struct target *t, struct plan *p, void *arg)
{
	struct state *s = arg;
	const struct hostkeys *hk;
	size_t i;

	if (s == NULL)
		return;
	if (s->c.state == SE_UNKNOWN) {
		unsure(p, s, s->c.why);
		goto out;
	}
	add(t, s, SSHD_CONFIG, S_IFREG, NULL);
	if ((hk = hostkeys_get(t)) != NULL)
		for (i = 0; i < hk->n; i++)
			if (S_ISREG(hk->k[i].st.st_mode))
				add(t, s, hk->k[i].path, S_IFREG, NULL);
	if (s->unread != NULL)
		unsure(p, s, s->unread);
	if (s->dropped > 0)
		target_note(t, "SELinux labels: %zu files past the first %d "
		    "were not judged", s->dropped, SELINUX_Q_MAX);
	if (s->n > 0)
		judge(t, p, s);
out:
	for (i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].user);
	}
	free(s->unread);
	free(s);
}

/*
 * The label set through the fd: the type the policy gives, the rest of
 * the label kept (restorecon without -F); a file with none gets the
 * policy's whole context. The label is read again here: the executor
 * refuses the change if it is not this one any more.
 */
static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	char cur[SELABEL_CTX_MAX], want[SELABEL_CTX_MAX], to[SELABEL_CTX_MAX];
	int r;

	(void)p;
	if (f->kind == K_UNSURE) {
		plan_add_manual(f, "on the running system: restorecon -Rv "
		    "/etc/ssh and each ~/.ssh (never disable SELinux); on a "
		    "disk: touch /.autorelabel on it, and the next boot "
		    "relabels every file");
		return;
	}
	selinux_type(f->aux, want, sizeof(want));
	if ((r = selinux_label(t, f->subject, cur, sizeof(cur))) == -1 ||
	    (r == 0 && selinux_with_type(cur, want, to, sizeof(to)) == -1)) {
		plan_add_manual(f, "set the label %s on %s by hand (restorecon "
		    "-v on the running system)", f->aux, f->subject);
		return;
	}
	plan_add_relabel(f, f->subject, r == 1 ? "" : cur, r == 1 ? f->aux :
	    to);
}

const struct fault fault_selinux_label = {
	.id = "selinux-label",
	.summary = "a file sshd reads carries an SELinux label the policy "
	    "does not give it",
	.begin = begin,
	.account = account,
	.finish = finish,
	.plan = plan,
	.keys_only = 1,
};
