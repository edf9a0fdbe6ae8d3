/*
 * src/plan/: the plan as plain data (plan.c): findings, their evidence and
 * the actions that repair them; the remedies several detectors plan alike
 * (remedy.c, access_repair.c, reinstall.c) and what cloud-init would undo
 * at boot (cloudwarn.c). Uses the model; changes nothing.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "plan/detector.h"
#include "plan/plan.h"
#include "util.h"

struct finding *
plan_add_finding(struct plan *p, const struct fault *fault,
    enum severity sev, const char *subject)
{
	struct finding *f;

	p->f = xreallocarray(p->f, p->n + 1, sizeof(*p->f));
	f = &p->f[p->n++];
	memset(f, 0, sizeof(*f));
	f->fault = fault;
	f->sev = sev;
	f->subject = xstrdup(subject);
	return f;
}

static char *vformat(const char *, va_list)
    __attribute__((format(printf, 1, 0)));

static char *
vformat(const char *fmt, va_list ap)
{
	struct sbuf b = { 0 };

	sbuf_vaddf(&b, fmt, ap);
	return sbuf_take(&b);
}

void
finding_set_message(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(f->message);
	f->message = vformat(fmt, ap);
	va_end(ap);
}

void
finding_set_logline(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(f->logline);
	f->logline = vformat(fmt, ap);
	va_end(ap);
}

void
finding_add_evidence(struct finding *f, const char *key, const char *fmt, ...)
{
	va_list ap;

	f->ev = xreallocarray(f->ev, f->nev + 1, sizeof(*f->ev));
	f->ev[f->nev].key = xstrdup(key);
	va_start(ap, fmt);
	f->ev[f->nev].value = vformat(fmt, ap);
	va_end(ap);
	f->nev++;
}

void
finding_add_undo(struct finding *f, const char *by, int next_boot,
    const char *keep, const char *fmt, ...)
{
	struct boot_undo *u;
	va_list ap;
	char *what;
	size_t i;

	va_start(ap, fmt);
	what = vformat(fmt, ap);
	va_end(ap);
	for (i = 0; i < f->nundo; i++)
		if (strcmp(f->undo[i].by, by) == 0 &&
		    strcmp(f->undo[i].what, what) == 0) {
			free(what);
			return;
		}
	f->undo = xreallocarray(f->undo, f->nundo + 1, sizeof(*f->undo));
	u = &f->undo[f->nundo++];
	u->by = xstrdup(by);
	u->next_boot = next_boot;
	u->what = what;
	u->keep = xstrdup(keep);
}

struct action *
finding_add_action(struct finding *f, enum act_type type, const char *path)
{
	struct action *a;

	f->act = xreallocarray(f->act, f->nact + 1, sizeof(*f->act));
	a = &f->act[f->nact++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->path = path ? xstrdup(path) : NULL;
	return a;
}

void
plan_add_chmod(struct finding *f, const char *path, mode_t from, mode_t to)
{
	struct action *a = finding_add_action(f, ACT_CHMOD, path);

	a->old_mode = from & 07777;
	a->new_mode = to & 07777;
}

void
plan_add_chown(struct finding *f, const char *path, uid_t ou, gid_t og,
    uid_t nu, gid_t ng)
{
	struct action *a = finding_add_action(f, ACT_CHOWN, path);

	a->old_uid = ou;
	a->old_gid = og;
	a->new_uid = nu;
	a->new_gid = ng;
}

void
plan_add_relabel(struct finding *f, const char *path, const char *old,
    const char *new_label)
{
	struct action *a = finding_add_action(f, ACT_RELABEL, path);

	a->old_text = xstrdup(old);
	a->new_text = xstrdup(new_label);
}

void
plan_add_unban(struct finding *f, const char *db, const char *jail,
    const char *ip, const char *from)
{
	struct action *a = finding_add_action(f, ACT_UNBAN, db);

	a->old_text = xstrdup(jail);
	a->text = xstrdup(ip);
	a->user = xstrdup(from);
}

void
plan_add_edit(struct finding *f, const char *path, size_t line,
    const char *old_text, const char *new_text, int temporary)
{
	struct action *a = finding_add_action(f, ACT_EDIT_LINE, path);

	a->line = line;
	a->old_text = old_text ? xstrdup(old_text) : NULL;
	a->new_text = xstrdup(new_text);
	a->temporary = temporary;
}

void
plan_add_manual(struct finding *f, const char *fmt, ...)
{
	struct action *a = finding_add_action(f, ACT_MANUAL, NULL);
	va_list ap;

	va_start(ap, fmt);
	a->text = vformat(fmt, ap);
	va_end(ap);
}

void
plan_add_unsafe(struct finding *f, const char *bad, const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = vformat(fmt, ap);
	va_end(ap);
	plan_add_manual(f, "%s; the name %s is not shell-safe, so no command "
	    "is given", what, bad);
	free(what);
}

int
plan_has_action(const struct plan *p, enum act_type type, const char *path)
{
	size_t i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->f[i].nact; j++)
			if (p->f[i].act[j].type == type &&
			    (path == NULL || (p->f[i].act[j].path != NULL &&
			    strcmp(p->f[i].act[j].path, path) == 0)))
				return 1;
	return 0;
}

int
plan_has_edit(const struct plan *p, const char *path, size_t line,
    const char *new_text)
{
	size_t i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->f[i].nact; j++) {
			const struct action *a = &p->f[i].act[j];

			if (a->type == ACT_EDIT_LINE && a->line == line &&
			    strcmp(a->path, path) == 0 && a->new_text != NULL &&
			    strcmp(a->new_text, new_text) == 0)
				return 1;
		}
	return 0;
}

const char *const acct_paths[ACCT_NFILES] = {
	"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow",
};

const char *const default_host_keys[NDEFAULT_HOST_KEYS] = {
	"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ecdsa_key",
	"/etc/ssh/ssh_host_ed25519_key",
};

static void
writes_add(char ***v, size_t *n, char *path)
{
	*v = xreallocarray(*v, *n + 2, sizeof(**v));
	(*v)[(*n)++] = path;
	(*v)[*n] = NULL;
}

char **
action_writes(const struct action *a)
{
	char **v = xcalloc(1, sizeof(*v));
	size_t n = 0, k;

	switch (a->type) {
	case ACT_MANUAL:
		break;
	case ACT_KEYGEN:
		writes_add(&v, &n, xstrdup(a->path));
		writes_add(&v, &n, xasprintf("%s.pub", a->path));
		break;
	case ACT_KEYGEN_ALL:
		for (k = 0; k < NDEFAULT_HOST_KEYS; k++) {
			writes_add(&v, &n, xstrdup(default_host_keys[k]));
			writes_add(&v, &n, xasprintf("%s.pub",
			    default_host_keys[k]));
		}
		break;
	case ACT_ADD_ACCOUNT:
		for (k = 0; k < ACCT_NFILES; k++)
			if (a->entry[k] != NULL)
				writes_add(&v, &n, xstrdup(acct_paths[k]));
		break;
	default:
		if (a->path != NULL)
			writes_add(&v, &n, xstrdup(a->path));
	}
	return v;
}

static void
action_free(struct action *a)
{
	size_t i;

	for (i = 0; i < ACCT_NFILES; i++)
		free(a->entry[i]);
	free(a->path);
	free(a->keytype);
	free(a->old_text);
	free(a->new_text);
	free(a->text);
	free(a->from);
	free(a->user);
}

int
plan_alone(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].fault->alone)
			return 1;
	return 0;
}

void
plan_free(struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		struct finding *f = &p->f[i];

		free(f->subject);
		free(f->message);
		free(f->logline);
		for (j = 0; j < f->nev; j++) {
			free(f->ev[j].key);
			free(f->ev[j].value);
		}
		free(f->ev);
		for (j = 0; j < f->nact; j++)
			action_free(&f->act[j]);
		free(f->act);
		for (j = 0; j < f->nundo; j++) {
			free(f->undo[j].by);
			free(f->undo[j].what);
			free(f->undo[j].keep);
		}
		free(f->undo);
		free(f->path);
		free(f->user);
		free(f->aux);
	}
	free(p->f);
	memset(p, 0, sizeof(*p));
}

char *
edit_marker(const char *path, const char *old_text, time_t now)
{
	struct tm tm;
	char day[16];
	size_t n = strlen(path);

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(day, sizeof(day), "%Y-%m-%d", &tm) == 0)
		strcpy(day, "unknown-date");
	/* XML (firewalld's zones): a comment of its own, without the old
	   text, which may hold "--" */
	if (n > 4 && strcmp(path + n - 4, ".xml") == 0)
		return xasprintf("<!-- sshfix %s: %s -->", day, old_text ==
		    NULL ? "added" : "changed");
	if (old_text == NULL)
		return xasprintf("# sshfix %s: added", day);
	return xasprintf("# sshfix %s: was \"%s\"", day, old_text);
}

int
plan_is_automatic(const struct finding *f)
{
	size_t i;

	for (i = 0; i < f->nact; i++)
		if (f->act[i].type != ACT_MANUAL)
			return 1;
	return 0;
}

int
finding_is(const struct finding *f, const char *id)
{
	return f->fault != NULL && strcmp(f->fault->id, id) == 0;
}
