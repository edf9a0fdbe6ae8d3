/*
 * Who may log in, and who the person locked out is (people.h).
 *
 * One pass over the login accounts (root, and every account whose shell
 * allows a login): each account's files are read as the detectors read
 * them (login_load) and judged in sshd's order: the access lists
 * (auth.c allowed_user), then the ways in (auth_assess: keys, root under
 * PermitRootLogin, password or keyboard-interactive). A key sshfix could
 * not read, a key command, a Match on the client's address, a way in it
 * cannot check: "cannot tell", never "ok".
 *
 * The evidence that names the person's account, strongest first: --user;
 * the target's own sshd lines in the log window that refuse an existing
 * account (a name refused from more than PEOPLE_ADDRS addresses is a
 * scan, and a name that logged in after its last refusal got in);
 * cloud-init's default user, or the user its stub key for root names;
 * the comment of an --authorized-key (user@host); else the only human
 * account (uid >= 1000, not nobody).
 *
 * Model code: the target and the account facts, never the plan.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "budget.h"
#include "target/cloud.h"
#include "target/login/access.h"
#include "target/login/certauth.h"
#include "target/login/login.h"
#include "target/login/methods.h"
#include "target/login/people.h"
#include "target/login/strictmodes.h"
#include "target/logs/logscan.h"
#include "target/release.h"
#include "util.h"

/* More distinct client addresses than this for one name: a scan. */
#define PEOPLE_ADDRS	3
/* Names the logs are read for at most (what is past it is not named). */
#define PEOPLE_LOG_NAMES 256

static const char stub[] = "Please login as the user \"";

struct logname {
	char	*name;
	size_t	 n;
	char	*addr[PEOPLE_ADDRS + 1];
	size_t	 naddr;
	int	 accepted;	/* logged in after its last refusal */
	int	 invalid;	/* sshd said it has no such user */
	char	*line;		/* the last refusal */
	const char *file;
};

struct pass {
	struct target	*t;
	struct people	*pp;
	char		*stub_user;	/* named by root's stub key */
	char		*stub_where;
};

static void
set(char **dst, char *s)
{
	free(*dst);
	*dst = s;
}

/* The word at S (up to a space), or NULL if empty. */
static char *
word(const char *s)
{
	size_t n = strcspn(s, " ");

	return n > 0 ? xstrndup(s, n) : NULL;
}

static const char *
after(const char *s, const char *prefix)
{
	const char *p = strstr(s, prefix);

	return p != NULL ? p + strlen(prefix) : NULL;
}

enum { LN_NONE, LN_REFUSED, LN_INVALID, LN_ACCEPTED };

/*
 * The account one sshd line is about, and what it says: refused,
 * invalid (no such user), accepted. *ADDR the client's address.
 */
static int
log_name(const char *msg, char **name, char **addr)
{
	const char *p, *q;
	int kind = LN_REFUSED;

	*name = *addr = NULL;
	if (strncmp(msg, "Accepted ", 9) == 0 && (p = after(msg, " for ")))
		kind = LN_ACCEPTED;
	else if (strncmp(msg, "Failed ", 7) == 0 && (p = after(msg, " for ")))
		;
	else if ((p = after(msg, "maximum authentication attempts "
	    "exceeded for ")) != NULL)
		;
	else if (strncmp(msg, "Invalid user ", 13) == 0) {
		p = msg + 13;
		kind = LN_INVALID;
	} else if (strncmp(msg, "User ", 5) == 0 && strstr(msg,
	    " not allowed because ") != NULL)
		p = msg + 5;
	else if ((p = after(msg, "by authenticating user ")) != NULL ||
	    (p = after(msg, "from authenticating user ")) != NULL) {
		*name = word(p);
		*addr = *name ? word(p + strlen(*name) + 1) : NULL;
		return *name ? kind : LN_NONE;
	} else if (strncmp(msg, "ROOT LOGIN REFUSED FROM ", 24) == 0) {
		*name = xstrdup("root");
		*addr = word(msg + 24);
		return kind;
	} else
		return LN_NONE;
	if (strncmp(p, "invalid user ", 13) == 0) {
		p += 13;
		kind = LN_INVALID;
	}
	if ((*name = word(p)) == NULL)
		return LN_NONE;
	if ((q = after(p, " from ")) != NULL)
		*addr = word(q);
	return kind;
}

static struct logname *
logname_get(struct logname *v, size_t *n, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	if (*n >= PEOPLE_LOG_NAMES)
		return NULL;
	memset(&v[*n], 0, sizeof(v[*n]));
	v[*n].name = xstrdup(name);
	return &v[(*n)++];
}

static void
logname_addr(struct logname *ln, char *addr)
{
	size_t i;

	for (i = 0; addr != NULL && i < ln->naddr; i++)
		if (strcmp(ln->addr[i], addr) == 0)
			break;
	if (addr != NULL && i == ln->naddr && ln->naddr <= PEOPLE_ADDRS) {
		ln->addr[ln->naddr++] = addr;
		return;
	}
	free(addr);
}

static struct person *
row(struct people *pp, const char *name)
{
	return (struct person *)people_find(pp, name);
}

static void
name_it(struct person *p, int ev, char *evidence)
{
	if (p->evidence == NULL) {
		p->evidence = evidence;
	} else {
		char *s = xasprintf("%s; %s", p->evidence, evidence);

		free(evidence);
		set(&p->evidence, s);
	}
	p->ev |= ev;
}

/* Append S (taken over) to the ", "-separated *LIST. */
static void
add_list(char **list, char *s)
{
	if (*list != NULL) {
		char *j = xasprintf("%s, %s", *list, s);

		free(s);
		s = j;
	}
	set(list, s);
}

/* The target's sshd lines that refuse an account: EV_LOG. */
static void
log_evidence(struct target *t, struct people *pp)
{
	const struct logset *ls = target_logs(t);
	struct logname *v = xcalloc(PEOPLE_LOG_NAMES, sizeof(*v));
	struct person *p;
	size_t nv = 0, i, j;
	char *name, *addr;
	int kind;

	for (i = 0; i < ls->n; i++) {
		struct logname *ln;

		if ((kind = log_name(ls->v[i].msg, &name, &addr)) == LN_NONE)
			continue;
		ln = logname_get(v, &nv, name);
		free(name);
		if (ln == NULL) {
			free(addr);
			continue;
		}
		if (kind == LN_ACCEPTED) {
			ln->accepted = 1;
			free(addr);
			continue;
		}
		ln->accepted = 0;
		ln->invalid |= kind == LN_INVALID;
		ln->n++;
		ln->file = ls->v[i].file;
		set(&ln->line, xstrdup(ls->v[i].msg));
		logname_addr(ln, addr);
	}
	for (i = 0; i < nv; i++) {
		p = row(pp, v[i].name);
		if (v[i].n == 0 || v[i].accepted)
			;
		else if (v[i].naddr > PEOPLE_ADDRS)
			add_list(&pp->scans, xasprintf("%s (%zu lines from "
			    "more than %d addresses)", v[i].name, v[i].n,
			    PEOPLE_ADDRS));
		else if (p == NULL)
			add_list(&pp->unknown, xasprintf("%s (%zu line%s)",
			    v[i].name, v[i].n, v[i].n == 1 ? "" : "s"));
		else
			name_it(p, EV_LOG, xasprintf("%zu sshd log line%s "
			    "(%s): \"%.120s\"", v[i].n, v[i].n == 1 ? "" : "s",
			    v[i].file ? v[i].file : "the journal", v[i].line));
		free(v[i].name);
		free(v[i].line);
		for (j = 0; j < v[i].naddr; j++)
			free(v[i].addr[j]);
	}
	free(v);
}

/* cloud-init's default user, and the user root's stub key names. */
static void
cloud_evidence(struct target *t, struct pass *ps)
{
	struct cloudinit c;
	struct person *p;

	cloudinit_read(t, &c);
	if (c.present && c.default_user.name != NULL &&
	    (p = row(ps->pp, c.default_user.name)) != NULL)
		name_it(p, EV_CLOUD, xasprintf("cloud-init's default user "
		    "(%s)", c.default_user.where));
	cloudinit_free(&c);
	if (ps->stub_user != NULL && (p = row(ps->pp, ps->stub_user)) != NULL)
		name_it(p, EV_CLOUD, xasprintf("root's key in %s tells you "
		    "to log in as %s (cloud-init)", ps->stub_where,
		    ps->stub_user));
}

/* An --authorized-key whose comment is USER@HOST names USER. */
static void
key_evidence(struct target *t, struct people *pp)
{
	struct person *p;
	const char *c, *at;
	char *u;
	size_t i;

	for (i = 0; t->new_keys != NULL && t->new_keys[i] != NULL; i++) {
		/* "TYPE BASE64 COMMENT": the comment is the third word. */
		c = strchr(t->new_keys[i], ' ');
		if (c == NULL || (c = strchr(c + 1, ' ')) == NULL ||
		    (at = strchr(++c, '@')) == NULL)
			continue;
		u = xstrndup(c, (size_t)(at - c));
		if ((p = row(pp, u)) != NULL)
			name_it(p, EV_KEY, xasprintf("the --authorized-key's "
			    "comment names it (%.80s)", c));
		free(u);
	}
}

/* No other evidence: the only human account, if there is one. */
static void
human_evidence(struct people *pp)
{
	struct person *only = NULL;
	size_t i;

	for (i = 0; i < pp->n; i++) {
		if (pp->v[i].ev != 0)
			return;
		if (pp->v[i].uid < 1000 || pp->v[i].uid == 65534)
			continue;
		if (only != NULL)
			return;
		only = &pp->v[i];
	}
	if (only != NULL)
		name_it(only, EV_HUMAN, xasprintf("the only human account "
		    "(uid %u)", (unsigned)only->uid));
}

/*
 * Root's keys that are all cloud-init's "Please login as the user X"
 * stub (disable_root): X, and the file. The stub is a key sshd accepts
 * for a session that prints the line and closes.
 */
static int
stub_only(const struct login *l, struct pass *ps)
{
	const struct keyline *k;
	const char *s, *e;
	int i, stubs = 0, keys = 0;
	size_t j;

	for (i = 0; i < l->nkf; i++) {
		if (l->kf[i].nkeys <= 0)
			continue;
		keys += l->kf[i].nkeys;
		for (j = 0; j < l->kf[i].kl.n; j++) {
			k = &l->kf[i].kl.v[j];
			if (k->kind != KL_KEY || k->command == NULL ||
			    (s = strstr(k->command, stub)) == NULL)
				continue;
			s += sizeof(stub) - 1;
			if ((e = strchr(s, '"')) == NULL)
				continue;
			stubs++;
			if (ps->stub_user == NULL && e > s && e - s < 64) {
				ps->stub_user = xstrndup(s, (size_t)(e - s));
				ps->stub_where = xstrdup(l->kf[i].path);
			}
		}
	}
	return keys > 0 && stubs >= keys;
}

static void
verdict(struct person *p, enum verdict v, char *why, char *where)
{
	p->v = v;
	p->policy = 0;
	set(&p->why, why);
	set(&p->where, where);
}

/* Refused by a line of sshd_config: maybe the administrator's will. */
static void
policy(struct person *p, char *why, char *where)
{
	verdict(p, V_REFUSED, why, where);
	p->policy = 1;
}

static char *
where_of(struct target *t, const struct cfg_entry *e)
{
	return e ? cfg_where(&t->cfg, e->file, e->line) : NULL;
}

/*
 * Keys sshd may take that sshfix did not see: a program's output, or a
 * file it could not read. Cannot tell, and the command that shows it.
 */
static void
unseen_keys(struct target *t, const struct login *l, struct person *p)
{
	const struct cfg_entry *cmd = cfg_effective(&t->cfg, KW_AUTHKEYSCMD,
	    &l->ctx, NULL);
	const char *root = strcmp(t->rootdir, "/") == 0 ? "" : t->rootdir;
	int i;

	for (i = 0; i < l->nkf; i++)
		if (l->kf[i].nkeys < 0) {
			verdict(p, V_CANNOT_TELL, xasprintf("sshfix could not "
			    "read %s (a symlink, or not a regular file); see "
			    "it with: ls -l %s%s", l->kf[i].path, root,
			    l->kf[i].path), NULL);
			return;
		}
	if (cmd != NULL && cmd->argc > 0)
		verdict(p, V_CANNOT_TELL, xasprintf("its keys come from "
		    "AuthorizedKeysCommand %s, which sshfix does not run; "
		    "see them with: ssh -v %s@HOST", cmd->argv[0], p->name),
		    where_of(t, cmd));
	else
		verdict(p, V_CANNOT_TELL, xstrdup("sshfix could not read its "
		    "keys"), NULL);
}

/*
 * Its only keys are ones sshfix cannot judge (login_keys_sure): a key
 * type under a release the table has no rule for, or from= without
 * --from. Cannot tell, and what would tell.
 */
static void
unsure_keys(struct target *t, struct person *p, int why,
    const struct keyfile *kf, const struct keyline *k)
{
	const char *rel = release_text(t);
	char *where = kf ? xasprintf("%s:%zu", kf->path, k->line + 1) : NULL;

	if (why == KR_FROM_UNKNOWN)
		verdict(p, V_CANNOT_TELL, xasprintf("its keys take only "
		    "clients from=\"%s\": rerun with --from ADDR (your "
		    "address as the server sees it)", k->text), where);
	else if (why == KR_REVOKED_UNKNOWN)
		verdict(p, V_CANNOT_TELL, xstrdup("whether RevokedKeys revokes "
		    "its keys: a link, a file over sshfix's size limit, or a "
		    "KRL ssh-keygen -Q did not judge here; see with: "
		    "ssh-keygen -Q -f KRL KEY.pub"), where);
	else
		verdict(p, V_CANNOT_TELL, xasprintf("whether %s takes its %s "
		    "key: sshfix's release table has no rule for that release; "
		    "see with: ssh -v %s@HOST", rel ? rel : "this sshd",
		    k->type, p->name), where);
}

/*
 * Every keys file with a key sshd would use is refused for its owners or
 * modes (StrictModes, or the user cannot read it): the first reason
 * (free it); NULL when one of them is taken.
 */
static char *
keys_modes_refusal(struct target *t, const struct login *l)
{
	char *why, *first = NULL;
	int i;

	for (i = 0; i < l->nkf; i++) {
		const struct keyfile *kf = &l->kf[i];

		if (kf->nkeys == 0 || (kf->nkeys > 0 &&
		    keyfile_usable(t, l, kf) <= 0))
			continue;
		if ((why = keyfile_modes_refusal(t, l, kf)) == NULL) {
			free(first);
			return NULL;
		}
		if (first == NULL)
			first = why;
		else
			free(why);
	}
	return first;
}

/* Does every way of WAYS ("publickey+password,password") need a key? */
static int
all_need_key(const char *ways)
{
	char *copy = xstrdup(ways), *p = copy, *w;
	int r = 1;

	while ((w = strsep(&p, ",")) != NULL)
		if (strstr(w, "publickey") == NULL)
			r = 0;
	free(copy);
	return r;
}

/* Refused for want of a way in: the first thing that shuts it. */
static void
no_way(struct target *t, const struct login *l, const struct access *x,
    struct person *p)
{
	const char *prl = permit_root_value(x->prl_entry);

	if (x->bad_token)
		verdict(p, V_REFUSED, xstrdup("AuthorizedKeysFile has an "
		    "unknown %-token: every key refused"), NULL);
	else if (x->keys && l->a->uid == 0 && permit_root_refuses_keys(prl))
		policy(p, xasprintf("PermitRootLogin %s refuses its keys",
		    prl), where_of(t, x->prl_entry));
	else if (x->keys && !cfg_flag(x->pk_entry, 1))
		policy(p, xstrdup("PubkeyAuthentication no"),
		    where_of(t, x->pk_entry));
	else if (x->pw_hash && l->a->uid == 0)
		policy(p, xasprintf("only a password, and PermitRootLogin %s "
		    "refuses it", prl), where_of(t, x->prl_entry));
	else if (x->pw_hash)
		policy(p, xstrdup("only a password, and password login is "
		    "off"), where_of(t, x->pw_entry));
	else
		verdict(p, V_REFUSED, xasprintf("no usable key (%s) and no "
		    "usable password", x->files.s ? x->files.s :
		    "no keys file"), NULL);
}

static void
judge(struct target *t, const struct login *l, struct person *p,
    struct pass *ps)
{
	struct access x;
	struct access_lists v;
	struct sbuf m = { 0 };
	const struct keyfile *kf = NULL;
	const struct keyline *k = NULL;
	struct sbuf ways = { 0 };
	const struct cfg_entry *ame;
	int lst, i, sure = 0, why = 0, am, lock;
	char *modes = NULL;

	auth_assess(t, l, &x);
	p->creds = x.keys || x.pw_hash;
	/* The detectors judge the targets' modes; the table every account's. */
	if (x.key_ok && (modes = keys_modes_refusal(t, l)) != NULL)
		x.key_ok = 0;
	access_lists(t, &l->ctx, &v);
	if (x.key_ok)
		sbuf_adds(&m, "publickey");
	if (x.pwd_ok)
		sbuf_addf(&m, "%spassword", m.len ? "," : "");
	if (x.kbd_ok)
		sbuf_addf(&m, "%skeyboard-interactive", m.len ? "," : "");
	p->methods = m.s ? sbuf_take(&m) : xstrdup("");
	if ((lst = access_lists_refused(&v)) >= 0) {
		policy(p, xasprintf("%s", access_list_why(lst,
		    v.nogroup && lst == L_DENY_GROUPS)), where_of(t, v.e[lst]));
		goto out;
	}
	for (i = 0; i < L_N; i++)
		if (v.r[i] == TRI_MAYBE) {
			verdict(p, V_CANNOT_TELL, xasprintf("%s %s depends on "
			    "the client's address: rerun with --from ADDR",
			    kw_name(access_kw(i)), v.w[i]), where_of(t, v.e[i]));
			goto out;
		}
	if ((lock = account_locked_nopam(t, l->a)) != 0) {
		verdict(p, V_REFUSED, xstrdup(lock == LOCK_EXPIRED ?
		    "sshd (UsePAM no) refuses the account, keys too: it has "
		    "expired" : "sshd (UsePAM no) refuses the account, keys "
		    "too: its password is locked (\"!\" in shadow)"), NULL);
		goto out;
	}
	/* Before 9.7: "any" after a list, and the connection ends. */
	if ((am = methods_any_dies(t, &l->ctx, &ame)) != M_NO) {
		verdict(p, am == M_YES ? V_REFUSED : V_CANNOT_TELL,
		    xstrdup(am == M_YES ? "sshd closes its connections: "
		    "AuthenticationMethods \"any\" comes after a list already "
		    "taken (\"any\" must appear alone)" : "AuthenticationMethods "
		    "\"any\" after a list: sshd before 9.7 closes the "
		    "connection, and sshfix cannot tell whether this one does"),
		    where_of(t, ame));
		goto out;
	}
	/* A global MaxAuthTries 0 is max-auth-tries' error about everyone
	   (the table is what is left once it is fixed); a Match block's is
	   this account's. */
	if ((am = methods_no_tries(t, &l->ctx, &ame)) != M_NO &&
	    (am != M_YES || ame->match != NULL)) {
		verdict(p, am == M_YES ? V_REFUSED : V_CANNOT_TELL,
		    xasprintf(am == M_YES ? "MaxAuthTries %s: sshd disconnects "
		    "at the first request, before any key or password" :
		    "MaxAuthTries %s: sshfix cannot tell whether sshd lets "
		    "this login try anything", ame->argv[0]), where_of(t, ame));
		goto out;
	}
	/* AuthenticationMethods: the lists that succeed are the ways in. */
	if ((am = methods_ways(t, l, &x, &ways, &ame)) != -1) {
		free(p->methods);
		p->methods = ways.s ? sbuf_take(&ways) : xstrdup("");
		if (am == M_NO) {
			policy(p, xstrdup("AuthenticationMethods: no list of it "
			    "can succeed"), where_of(t, ame));
			goto out;
		}
		if (am == M_UNKNOWN) {
			verdict(p, V_CANNOT_TELL, xstrdup("the way in is an "
			    "AuthenticationMethods list sshfix cannot check"),
			    where_of(t, ame));
			goto out;
		}
		/* A way without publickey: a password is enough. */
		x.pw_ok = !all_need_key(p->methods);
	}
	if (l->a->uid == 0 && stub_only(l, ps) && !x.pw_ok)
		verdict(p, V_REFUSED, xasprintf("its only key is cloud-init's "
		    "stub: it says \"log in as %s\" and closes",
		    ps->stub_user), xstrdup(ps->stub_where));
	else if (x.pw_ok || (x.key_ok && (sure = login_keys_sure(t, l,
	    &why, &kf, &k)) > 0))
		p->v = V_OK;
	else if (cert_accepted(t, l, t->new_keys)) {
		p->v = V_OK;	/* the certificate given, as sshd judges it */
		if (p->methods[0] == '\0') {
			free(p->methods);
			p->methods = xstrdup("publickey (certificate)");
		}
	}
	else if (x.key_ok && sure == -1)
		unsure_keys(t, p, why, kf, k);
	else if (x.key_ok)
		unseen_keys(t, l, p);
	else if (x.other != NULL)
		verdict(p, V_CANNOT_TELL, xasprintf("the way in is %s, which "
		    "sshfix cannot check", x.other), NULL);
	else if (modes != NULL)
		verdict(p, V_REFUSED, xasprintf("sshd refuses its keys: %s",
		    modes), NULL);
	else
		no_way(t, l, &x, p);
out:
	sbuf_free(&ways);
	free(modes);
	access_lists_free(&v);
	sbuf_free(&x.files);
}

static int
each(const struct passwd *pw, void *arg)
{
	struct pass *ps = arg;
	struct people *pp = ps->pp;
	struct account a;
	struct login l;
	struct person *p;

	if (pw->pw_uid != 0 && !shell_allows_login(pw->pw_shell))
		return 0;
	if (people_find(pp, pw->pw_name) != NULL)
		return 0;	/* a second line for a name: sshd uses the first */
	pp->v = xreallocarray(pp->v, pp->n + 1, sizeof(*pp->v));
	p = &pp->v[pp->n++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(pw->pw_name);
	p->uid = pw->pw_uid;
	account_copy(&a, pw);
	login_load(ps->t, &a, &l);
	judge(ps->t, &l, p, ps);
	login_free(&l);
	account_free(&a);
	pp->nbare += !p->creds;
	return 0;
}

static void
compute(struct target *t, struct people *pp)
{
	struct pass ps = { t, pp, NULL, NULL };
	/* The detectors read the same files again: their own budget. */
	struct budget keys = t->keys;
	size_t i;

	accounts_foreach(&t->acc, each, &ps);
	t->keys = keys;
	/* --user names the targets alone (asked before main.c sets them). */
	for (i = 0; t->users != NULL && t->users[i] != NULL; i++)
		if (row(pp, t->users[i]) != NULL)
			name_it(row(pp, t->users[i]), EV_USER,
			    xstrdup("named with --user"));
	if (t->users == NULL) {
		log_evidence(t, pp);
		cloud_evidence(t, &ps);
		key_evidence(t, pp);
		human_evidence(pp);
	}
	for (i = 0; i < pp->n; i++)
		pp->ntargets += pp->v[i].ev != 0;
	free(ps.stub_user);
	free(ps.stub_where);
}

const struct people *
target_people(struct target *t)
{
	if (t->people == NULL) {
		t->people = xcalloc(1, sizeof(*t->people));
		compute(t, t->people);
	}
	return t->people;
}

void
people_free(struct people *pp)
{
	size_t i;

	if (pp == NULL)
		return;
	for (i = 0; i < pp->n; i++) {
		free(pp->v[i].name);
		free(pp->v[i].methods);
		free(pp->v[i].why);
		free(pp->v[i].where);
		free(pp->v[i].evidence);
	}
	free(pp->v);
	free(pp->unknown);
	free(pp->scans);
	free(pp);
}

const char **
people_targets(const struct people *pp)
{
	const char **v;
	size_t i, n = 0;

	if (pp->ntargets == 0)
		return NULL;
	v = xcalloc(pp->ntargets + 1, sizeof(*v));
	for (i = 0; i < pp->n; i++)
		if (pp->v[i].ev != 0)
			v[n++] = pp->v[i].name;
	return v;
}

const struct person *
people_find(const struct people *pp, const char *name)
{
	size_t i;

	for (i = 0; i < pp->n; i++)
		if (strcmp(pp->v[i].name, name) == 0)
			return &pp->v[i];
	return NULL;
}

int
people_cannot_tell(const struct people *pp)
{
	size_t i;
	int unsure = 0;

	for (i = 0; i < pp->n; i++) {
		const struct person *p = &pp->v[i];

		if (pp->ntargets > 0 && p->ev != 0 && p->v == V_CANNOT_TELL)
			return 1;
		if (pp->ntargets == 0 && p->creds && p->v == V_OK)
			return 0;
		unsure |= pp->ntargets == 0 && p->creds &&
		    p->v == V_CANNOT_TELL;
	}
	return unsure;
}

const char *
people_ev_name(int ev)
{
	return ev & EV_USER ? "--user" : ev & EV_LOG ? "sshd's log" :
	    ev & EV_CLOUD ? "cloud-init" : ev & EV_KEY ? "--authorized-key" :
	    ev & EV_HUMAN ? "only human account" : "none";
}
