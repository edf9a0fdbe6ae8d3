/*
 * --preflight: diagnose the target as it is and again with one file
 * replaced by CANDIDATE, and compare per account.
 *
 * MUST: nothing in the target is changed (only the dry run's readers run);
 * CANDIDATE is opened once, O_NOFOLLOW, and read only if it is a regular
 * file no larger than any sshd_config sshfix reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/load.h"
#include "target/login/access.h"
#include "fixes/fault.h"
#include "target/login/login.h"
#include "target/login/logins.h"
#include "report/preflight.h"
#include "safefs.h"
#include "target/target.h"
#include "util.h"

/* Faults that stop sshd from starting. */
static const struct fault *const start_faults[] = {
	&fault_config_invalid, &fault_sshd_binary, &fault_hostkey_perms,
	&fault_hostkey_missing, &fault_privsep, &fault_address_family,
	&fault_listen_address, &fault_port_in_use,
};

static int
read_candidate(const char *path, char **data, size_t *len)
{
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		err_set("cannot judge: %s: %s", path, errno == ELOOP ?
		    "a symlink; give the file itself" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		err_set("cannot judge: %s: not a regular file", path);
		close(fd);
		return -1;
	}
	r = sfs_read_fd(fd, CFG_MAX_FILE, data, len);
	close(fd);
	if (r == -1)
		err_set("cannot judge: %s: %s", path, errno == EFBIG ?
		    "larger than 4 MiB; not an sshd_config" : strerror(errno));
	return r;
}

/* An absolute path with no empty, "." or ".." component. */
static int
plain_path(const char *p)
{
	const char *c;
	size_t n;

	if (p[0] != '/' || p[1] == '\0')
		return 0;
	for (c = p + 1; ; c += n + 1) {
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && strncmp(c, "..", 2) == 0))
			return 0;
		if (c[n] == '\0')
			return 1;
	}
}

static int
add_name(struct target *t, const struct account *a, void *arg)
{
	struct sbuf *names = arg;

	(void)t;
	sbuf_add(names, a->name, strlen(a->name) + 1);
	return 0;
}

/* Without --user: every account the dry run would look at. */
static const char **
login_names(struct target *t, char **store)
{
	struct sbuf b = { 0 };
	const char **v;
	size_t i, n = 0;

	if (logins_foreach(t, add_name, &b) == -1) {
		sbuf_free(&b);
		return NULL;
	}
	for (i = 0; i < b.len; i++)
		n += b.s[i] == '\0';
	v = xcalloc(n + 1, sizeof(*v));
	*store = sbuf_take(&b);
	for (i = 0; i < n; i++)
		v[i] = i == 0 ? *store : v[i - 1] + strlen(v[i - 1]) + 1;
	return v;
}

static const struct finding *
start_blocker(const struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < ARRAY_LEN(start_faults); j++)
			if (p->f[i].fault == start_faults[j] &&
			    p->f[i].sev == SEV_ERROR)
				return &p->f[i];
	return NULL;
}

/* The first finding that refuses NAME's login (one key refused is not). */
static const struct finding *
account_blocker(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].sev == SEV_ERROR && p->f[i].user != NULL &&
		    p->f[i].fault != &fault_key_refused &&
		    strcmp(p->f[i].user, name) == 0)
			return &p->f[i];
	return NULL;
}

/* A path inside the root as the person knows it: CANDIDATE for ours. */
static const char *
shown_path(const struct preflight *pf, const char *path)
{
	return strcmp(path, pf->as) == 0 ? pf->candidate : path;
}

static char *
entry_line(const struct preflight *pf, const struct target *t,
    const struct cfg_entry *e)
{
	char *text = cfg_line_text(&t->cfg, e->file, e->line), *s;

	s = xasprintf("%s:%zu: %s", shown_path(pf, t->cfg.files[e->file].path),
	    e->line + 1, text + strspn(text, " \t"));
	free(text);
	return s;
}

/* Why F refuses the login, in a few words. */
static char *
reason_of(const struct finding *f)
{
	const char *b, *m = f->message ? f->message : f->fault->summary;
	size_t n = strlen(f->user);

	if (f->fault == &fault_auth_methods && f->aux != NULL)
		return xasprintf("AuthenticationMethods cannot be satisfied "
		    "(%s cannot)", f->aux);
	if (f->logline != NULL &&
	    (b = strstr(f->logline, " not allowed because ")) != NULL)
		return xstrdup(b + 21);
	/* "alice cannot log in: ..." is said already by "alice: ...". */
	if (strncmp(m, f->user, n) == 0 &&
	    strncmp(m + n, " cannot log in: ", 16) == 0)
		m += n + 16;
	return xstrdup(m);
}

/*
 * The deciding line of a lockout with no entry of its own: the
 * PubkeyAuthentication that turned keys off, else PasswordAuthentication.
 */
static const struct cfg_entry *
lockout_entry(const struct access *x)
{
	if (x->pk_entry != NULL && !cfg_flag(x->pk_entry, 1))
		return x->pk_entry;
	return x->pw_entry;
}

static char *
ways_in(const struct access *x)
{
	if (x->key_ok && x->pw_ok)
		return xstrdup("publickey,password");
	if (x->key_ok || x->pw_ok)
		return xstrdup(x->key_ok ? "publickey" : "password");
	return xasprintf("other (%s)", x->other ? x->other : "unknown");
}

/*
 * NAME's way in on T (whose plan is P): *state "refused" or the methods
 * that work; when refused, *reason and *line (may be NULL) say why.
 */
static int
judge_account(const struct preflight *pf, struct target *t,
    const struct plan *p, const char *name, struct pf_account *out, int after)
{
	const struct finding *s = start_blocker(p), *f = s;
	const struct cfg_entry *e = NULL;
	struct account a;
	struct login l;
	struct access x;
	char **state = after ? &out->after : &out->before;

	if (accounts_getpwnam(&t->acc, name, &a) != 0)
		return -1;
	login_load(t, &a, &l);
	auth_assess(t, &l, &x);
	if (f == NULL && (f = account_blocker(p, name)) != NULL) {
		e = f->entry;
		if (e == NULL && f->fault == &fault_auth_lockout)
			e = lockout_entry(&x);
	}
	*state = f != NULL ? xstrdup("refused") : ways_in(&x);
	if (after && f != NULL) {
		out->reason = f == s ? xstrdup("sshd would not start") : reason_of(f);
		out->line = e != NULL ? entry_line(pf, t, e) : NULL;
	}
	sbuf_free(&x.files);
	login_free(&l);
	account_free(&a);
	return 0;
}

/* "CANDIDATE:3: Bad configuration option: X" from config-invalid's. */
static char *
start_error(const struct preflight *pf, const struct finding *f)
{
	char *pre;
	const char *msg = f->message ? f->message : f->fault->summary;

	if (f->fault != &fault_config_invalid || f->path == NULL)
		return xstrdup(msg);
	pre = xasprintf("sshd refuses to start: %s line %d: ", f->path,
	    f->kind + 1);
	if (strncmp(msg, pre, strlen(pre)) == 0)
		msg += strlen(pre);
	free(pre);
	return xasprintf("%s:%d: %s", shown_path(pf, f->path), f->kind + 1,
	    msg);
}

static int
sshd_reads(const struct target *t, const char *path)
{
	size_t i;

	for (i = 0; i < t->cfg.nfiles; i++)
		if (strcmp(t->cfg.files[i].path, path) == 0)
			return 1;
	return 0;
}

static int
diagnose_as(struct target *t, const char **users, const char **from,
    struct plan *p)
{
	t->users = users;
	t->from = from;
	if (diagnose(t, p) == -1)
		return -1;
	if (target_incomplete(t)) {
		char *l = unread_line(&t->unread.v[0]);

		err_set("cannot judge: %s", l);
		free(l);
		return -1;
	}
	return 0;
}

static int
compare(struct preflight *pf, struct target *tb, struct plan *pb,
    struct target *ta, struct plan *pa, const char **names, int given)
{
	const struct finding *s = start_blocker(pa);
	struct pf_account *c;
	size_t i;

	pf->read = sshd_reads(ta, pf->as);
	pf->start_ok = s == NULL;
	pf->start_error = s ? start_error(pf, s) : NULL;
	pf->safe = pf->start_ok;
	for (i = 0; names[i] != NULL; i++) {
		pf->acc = xreallocarray(pf->acc, pf->n + 1, sizeof(*pf->acc));
		c = &pf->acc[pf->n++];
		memset(c, 0, sizeof(*c));
		c->user = xstrdup(names[i]);
		if (judge_account(pf, tb, pb, names[i], c, 0) == -1 ||
		    judge_account(pf, ta, pa, names[i], c, 1) == -1) {
			err_set("cannot judge: user %s: cannot read its "
			    "account", names[i]);
			return -1;
		}
		c->must = given || strcmp(c->before, "refused") != 0;
		if (c->must && strcmp(c->after, "refused") == 0)
			pf->safe = 0;
	}
	return 0;
}

int
preflight_run(const struct preflight_args *a, struct preflight *pf)
{
	struct target tb, ta;
	struct plan pb = { 0 }, pa = { 0 };
	struct cfg_overlay ov;
	const char **names = a->users;
	char *data = NULL, *store = NULL;
	size_t len;
	int r = -1, ob = 0, oa = 0;

	memset(pf, 0, sizeof(*pf));
	pf->candidate = a->candidate;
	pf->as = a->as ? a->as : SSHD_CONFIG;
	if (!plain_path(pf->as)) {
		err_set("--as %s: not an absolute path inside the root",
		    pf->as);
		return -1;
	}
	if (read_candidate(a->candidate, &data, &len) == -1)
		return -1;
	ov.path = pf->as;
	ov.data = data;
	ov.len = len;
	if ((ob = target_open(&tb, a->rootdir) == 0) == 0 ||
	    (names == NULL && (names = login_names(&tb, &store)) == NULL) ||
	    diagnose_as(&tb, names, a->from, &pb) == -1 ||
	    (oa = target_open_overlay(&ta, a->rootdir, &ov) == 0) == 0 ||
	    diagnose_as(&ta, names, a->from, &pa) == -1)
		goto out;
	r = compare(pf, &tb, &pb, &ta, &pa, names, a->users != NULL);
out:
	plan_free(&pb);
	plan_free(&pa);
	if (oa)
		target_close(&ta);
	if (ob)
		target_close(&tb);
	if (names != a->users)
		free(names);
	free(store);
	free(data);
	return r;
}

void
preflight_free(struct preflight *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++) {
		free(pf->acc[i].user);
		free(pf->acc[i].before);
		free(pf->acc[i].after);
		free(pf->acc[i].reason);
		free(pf->acc[i].line);
	}
	free(pf->acc);
	free(pf->start_error);
	memset(pf, 0, sizeof(*pf));
}
