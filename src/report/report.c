/*
 * src/report/: what a person or a tool reads -- text and JSON reports
 * (report*.c), --explain (explain*.c), --preflight (preflight*.c), log
 * lines as evidence (logevidence.c). Uses the detectors, the plan and the
 * model; changes nothing.
 *
 * Output for a person at an 80-column serial console, and one JSON
 * document for tools. Both describe actions through action_describe().
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "plan/plan.h"
#include "fixes/fault.h"
#include "target/login/logins.h"
#include "safefs.h"
#include "prove/prove.h"
#include "report/report.h"
#include "target/login/people.h"
#include "shquote.h"
#include "util.h"

/* The ssh-keygen line of A: sshfix runs it, a person may paste it. */
static char *
describe_keygen(struct target *t, const struct action *a)
{
	const char *what = a->type == ACT_KEYGEN_ALL ? "generate missing "
	    "default host keys" : "generate host key", *bad;
	char *cmd, *s;

	if (a->type == ACT_KEYGEN_ALL)
		cmd = sh_cmd(&bad, "ssh-keygen -A -f %s", sh_root(t->rootdir));
	else
		cmd = sh_cmd(&bad, "ssh-keygen -q -t %s -N '' -f %s%s",
		    a->keytype, sh_root_prefix(t->rootdir, t->live), a->path);
	if (cmd == NULL)
		return xasprintf("%s (ssh-keygen); the name %s is not "
		    "shell-safe, so no command is given", what, bad);
	s = xasprintf("%s: %s", what, cmd);
	free(cmd);
	return s;
}

static char *
describe_account(const struct action *a)
{
	struct sbuf b = { 0 };
	size_t i;

	sbuf_addf(&b, "add account %s: \"%s\" to", a->user,
	    a->entry[ACCT_PASSWD]);
	for (i = 0; i < ACCT_NFILES; i++)
		if (a->entry[i] != NULL)
			sbuf_addf(&b, "%s %s", i ? "," : "", acct_paths[i]);
	sbuf_adds(&b, " (each locked with its .lock file)");
	return sbuf_take(&b);
}

/* Does the insert A go after the last line of its file? */
static int
at_end(const struct target *t, const struct action *a)
{
	size_t i;

	for (i = 0; i < t->cfg.nfiles; i++)
		if (strcmp(t->cfg.files[i].path, a->path) == 0)
			return a->line > 0 && a->line == t->cfg.files[i].nlines;
	return 0;
}

char *
action_describe(struct target *t, const struct action *a)
{
	char from[8], to[8], *o1, *o2, *s;

	switch (a->type) {
	case ACT_CHMOD:
		mode_str(a->old_mode, from);
		mode_str(a->new_mode, to);
		return xasprintf("chmod %s -> %s %s", from, to, a->path);
	case ACT_CHOWN:
		o1 = owner_str(t, a->old_uid, a->old_gid);
		o2 = owner_str(t, a->new_uid, a->new_gid);
		s = xasprintf("chown %s -> %s %s", o1, o2, a->path);
		free(o1);
		free(o2);
		return s;
	case ACT_RELABEL:
		return xasprintf("SELinux label %s -> %s %s", a->old_text[0] ?
		    a->old_text : "(none)", a->new_text, a->path);
	case ACT_UNBAN:
		return xasprintf("remove fail2ban's ban of %s in jail %s from "
		    "%s", a->text, a->old_text, a->path);
	case ACT_KEYGEN_ALL:
	case ACT_KEYGEN:
		return describe_keygen(t, a);
	case ACT_UNLINK:
		return xasprintf("remove corrupt %s (kept in the snapshot)",
		    a->path);
	case ACT_EDIT_LINE:
		if (a->old_text == NULL && at_end(t, a))
			return xasprintf("edit %s: append \"%s\" at the end%s",
			    a->path, a->new_text, a->temporary ?
			    " (temporary)" : "");
		if (a->old_text == NULL)
			return xasprintf("edit %s: insert \"%s\" at line %zu%s",
			    a->path, a->new_text, a->line + 1, a->temporary ?
			    " (temporary)" : "");
		return xasprintf("edit %s:%zu: \"%s\" -> \"%s\"%s", a->path,
		    a->line + 1, a->old_text, a->new_text, a->temporary ?
		    " (temporary)" : "");
	case ACT_ADD_KEY:
		return xasprintf("add key to %s for %s (creating it and its "
		    "directory, owner %s, 0600/0700, if missing)", a->path,
		    a->user, a->user);
	case ACT_JOIN_KEY:
		return xasprintf("replace lines %zu-%zu of %s with the one key "
		    "line sshd reads (owner and mode kept)", a->line + 1,
		    a->line + a->keyspan, a->path);
	case ACT_MKDIR:
		mode_str(a->new_mode, to);
		return xasprintf("create directory %s (%s root:root)", a->path,
		    to);
	case ACT_ADD_ACCOUNT:
		return describe_account(a);
	case ACT_COPY:
		mode_str(a->new_mode, to);
		return xasprintf("copy %s -> %s (%s root:root; refused if it "
		    "exists by then)", a->from, a->path, to);
	case ACT_MANUAL:
		return xasprintf("you: %s", a->text);
	}
	return xstrdup("?");
}

char *
action_diff(struct target *t, const struct action *a)
{
	struct sbuf b = { 0 };
	const char *s;
	char *marker;
	size_t n = 1;

	if (a->type != ACT_EDIT_LINE)
		return NULL;
	sbuf_addf(&b, "--- a%s\n+++ b%s\n", a->path, a->path);
	marker = edit_marker(a->path, a->old_text, t->now);
	/* an added text may be several lines (a file written whole) */
	for (s = a->new_text; (s = strchr(s, '\n')) != NULL; s++)
		n++;
	if (a->old_text == NULL)
		sbuf_addf(&b, "@@ -%zu,0 +%zu,%zu @@\n+%s\n", a->line,
		    a->line + 1, n + 1, marker);
	else
		sbuf_addf(&b, "@@ -%zu +%zu,%zu @@\n-%s\n+%s\n", a->line + 1,
		    a->line + 1, n + 1, a->old_text, marker);
	for (s = a->new_text; ; s++) {
		sbuf_addf(&b, "+%.*s\n", (int)strcspn(s, "\n"), s);
		if ((s = strchr(s, '\n')) == NULL)
			break;
	}
	free(marker);
	return sbuf_take(&b);
}

static void
wrap(FILE *fp, int ind, const char *text)
{
	report_wrap(fp, ind, ind, text);
}

/* vis_str of each line of S, its newlines kept. */
static char *
vis_lines(const char *s)
{
	struct sbuf b = { 0 };
	char *l, *v;
	size_t n;

	for (;; s += n + 1) {
		n = strcspn(s, "\n");
		l = xstrndup(s, n);
		v = vis_str(l);
		sbuf_adds(&b, v);
		free(v);
		free(l);
		if (s[n] == '\0')
			break;
		sbuf_addc(&b, '\n');
	}
	return sbuf_take(&b);
}

/* action_diff() with the foreign strings in it vis-encoded. */
static char *
text_diff(struct target *t, const struct action *a)
{
	struct action e = *a;
	char *s;

	if (a->type != ACT_EDIT_LINE)
		return NULL;
	e.path = vis_str(a->path);
	e.old_text = a->old_text ? vis_str(a->old_text) : NULL;
	e.new_text = vis_lines(a->new_text);
	s = action_diff(t, &e);
	free(e.path);
	free(e.old_text);
	free(e.new_text);
	return s;
}

/*
 * An earlier finding of the same fault whose actions cover this one: the
 * one about the same config line when the finding names one.
 */
static size_t
covered_by(const struct plan *p, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (p->f[j].fault == p->f[i].fault && p->f[j].nact > 0 &&
		    (p->f[i].entry == NULL || p->f[j].entry == p->f[i].entry))
			return j + 1;
	return 0;
}

static void
text_finding(FILE *fp, struct target *t, const struct plan *p, size_t i,
    int color)
{
	const struct finding *f = &p->f[i];
	size_t cover = f->nact ? 0 : covered_by(p, i);
	struct sbuf ev = { 0 };
	const char *on = "", *off = color ? "\033[0m" : "";
	char *s, *subject = vis_asprintf("%s: %s", f->fault->id, f->subject);
	size_t j;

	if (color)
		on = f->sev == SEV_ERROR ? "\033[1;31m" : "\033[1;33m";
	/* sshfix's own colour codes around the encoded subject */
	fprintf(fp, "\n%zu. %s[%s]%s %s\n", i + 1, on,
	    f->sev == SEV_ERROR ? "ERROR" : "WARNING", off, subject);
	free(subject);
	wrap(fp, 3, f->message ? f->message : f->fault->summary);
	if (f->logline != NULL) {
		s = xasprintf("sshd logs: %s", f->logline);
		wrap(fp, 3, s);
		free(s);
	}
	for (j = 0; j < f->nev; j++)
		sbuf_addf(&ev, "%s%s=%s", j ? " " : "evidence: ", f->ev[j].key,
		    f->ev[j].value);
	if (ev.s != NULL)
		wrap(fp, 3, ev.s);
	sbuf_free(&ev);
	for (j = 0; j < f->nundo; j++) {
		s = boot_undo_line(&f->undo[j]);
		wrap(fp, 3, s);
		free(s);
	}
	if (cover)
		fprintf(fp, "   plan: done by the plan of %zu. above\n", cover);
	else
		fprintf(fp, "   plan:%s\n", f->nact ? "" :
		    " nothing sshfix can do");
	for (j = 0; j < f->nact; j++) {
		s = action_describe(t, &f->act[j]);
		wrap(fp, 5, s);
		free(s);
		if ((s = text_diff(t, &f->act[j])) != NULL) {
			const char *l = s, *nl;

			for (; *l != '\0'; l = nl + 1) {
				nl = strchr(l, '\n');
				fprintf(fp, "       %.*s\n", (int)(nl - l), l);
			}
			free(s);
		}
	}
}

char *
boot_undo_line(const struct boot_undo *u)
{
	return xasprintf("%s by %s: %s; to keep the fix: %s", u->next_boot ?
	    "UNDONE AT THE NEXT BOOT" : "undone at a new instance's first "
	    "boot", u->by, u->what, u->keep);
}

char **
report_notes(struct target *t)
{
	char **v = xcalloc(t->cfg.nmatches + t->nnotes + 1, sizeof(char *));
	struct match_ctx ctx;
	size_t i, n = 0;

	target_addr_ctx(t, &ctx);
	for (i = 0; i < t->cfg.nmatches; i++) {
		const struct cfg_match *m = t->cfg.matches[i];
		char *what, *where;

		if (!cfg_match_unknowable(m, &ctx))
			continue;
		what = cfg_match_text(m);
		where = cfg_where(&t->cfg, m->file, m->line);
		v[n++] = xasprintf("\"%s\" (%s) depends on the connection; "
		    "its settings were not applied", what, where);
		free(what);
		free(where);
	}
	for (i = 0; i < t->nnotes; i++)
		v[n++] = xstrdup(t->notes[i]);
	return v;
}

/* What could not be read: the verdict rests on a partial view. */
static void
text_incomplete(FILE *fp, const struct target *t)
{
	size_t i;
	char *s;

	for (i = 0; i < t->unread.n; i++) {
		char *l = unread_line(&t->unread.v[i]);

		s = xasprintf("incomplete: %s; the verdict below may be wrong",
		    l);
		wrap(fp, 0, s);
		free(s);
		free(l);
	}
}

static void
text_open(FILE *fp, const struct run_info *ri)
{
	size_t i;

	for (i = 0; i < ri->nopen; i++) {
		char *s = open_measure_line(ri, &ri->open[i]);

		wrap(fp, 0, s);
		free(s);
	}
}

/*
 * Would an apply repair F? An action of its own, or none while another
 * finding of its fault has one (ssh-keygen -A makes every host key).
 */
static int
repairable(const struct plan *p, const struct finding *f)
{
	size_t i;

	if (plan_is_automatic(f) || f->nact > 0)
		return plan_is_automatic(f);
	for (i = 0; i < p->n; i++)
		if (p->f[i].fault == f->fault && plan_is_automatic(&p->f[i]))
			return 1;
	return 0;
}

/* The findings of REMAINING a run could (AUTOMATIC) or could not repair. */
static void
text_remaining(FILE *fp, const struct plan *remaining, int automatic,
    const char *head)
{
	size_t i, n = 0;
	char *s;

	for (i = 0; i < remaining->n; i++) {
		if (repairable(remaining, &remaining->f[i]) != automatic)
			continue;
		if (n++ == 0)
			fprintf(fp, "%s\n", head);
		s = xasprintf("%s: %s", remaining->f[i].fault->id,
		    remaining->f[i].subject);
		wrap(fp, 3, s);
		free(s);
	}
}

static void
text_run(FILE *fp, const struct plan *p, const struct run_info *ri)
{
	size_t i;
	char *s;

	if (ri->done != NULL && ri->done[0] != NULL) {
		fprintf(fp, "\ndone:\n");
		for (i = 0; ri->done[i] != NULL; i++)
			wrap(fp, 3, ri->done[i]);
	}
	if (ri->error != NULL) {
		/* An error goes to stderr, in its place among the lines. */
		FILE *efp = fp == stdout ? stderr : fp;

		fflush(fp);
		s = xasprintf("%sapply failed: %s", efp == stderr ? "sshfix: " :
		    "", ri->error);
		wrap(efp, 0, s);
		free(s);
	}
	if (ri->snapshot != NULL && strcmp(ri->result, "applied") == 0) {
		/* The command on a line of its own: copied whole. */
		vis_line(fp, "snapshot %s; undo with:", ri->snapshot);
		vis_line(fp, "  %s", ri->undo);
	} else if (ri->snapshot != NULL && strcmp(ri->result,
	    "restore-failed") == 0) {
		vis_line(fp, "NOT everything could be put back: snapshot %s "
		    "holds the state before", ri->snapshot);
	} else if (ri->snapshot != NULL) {
		vis_line(fp, "everything was put back from snapshot %s",
		    ri->snapshot);
	}
	if (ri->service != NULL) {
		s = xasprintf("sshd: %s", ri->service);
		wrap(fp, 0, s);
		free(s);
	}
	text_open(fp, ri);
	report_proof_text(fp, ri->proof);
	if (ri->remaining != NULL && ri->remaining->n > 0) {
		text_remaining(fp, ri->remaining, 0, "still to do by hand:");
		text_remaining(fp, ri->remaining, 1, "found once the above "
		    "was fixed; sshfix --apply again repairs:");
	} else if (ri->error == NULL && p->n > 0)
		fprintf(fp, "all %zu fault%s fixed and verified\n", p->n,
		    p->n == 1 ? "" : "s");
}

void
report_text(FILE *fp, struct target *t, const struct plan *p, int color,
    const struct run_info *ri)
{
	size_t i;
	char *head, **notes;

	head = xasprintf("sshfix %s: %s on %s%s%s%s", SSHFIX_VERSION,
	    strcmp(ri->mode, "dry-run") == 0 ? "dry run" : ri->mode,
	    t->rootdir, t->os.pretty[0] ? " (" : "", t->os.pretty,
	    t->os.pretty[0] ? ")" : "");
	wrap(fp, 0, head);
	free(head);
	notes = report_notes(t);
	for (i = 0; notes[i] != NULL; i++) {
		char *s = xasprintf("note: %s", notes[i]);

		wrap(fp, 0, s);
		free(s);
	}
	free_strv(notes);
	text_incomplete(fp, t);
	if (strcmp(ri->mode, "dry-run") == 0)
		text_open(fp, ri);
	for (i = 0; i < p->n; i++)
		text_finding(fp, t, p, i, color);
	if (strcmp(ri->mode, "dry-run") == 0 && !plan_alone(p))
		report_people_text(fp, t, p);
	if (strcmp(ri->mode, "dry-run") == 0)
		report_proof_text(fp, ri->proof);
	if (p->n == 0) {
		if (t->unread.n > 0)
			fprintf(fp, "no faults found in what could be read; "
			    "the diagnosis is incomplete (see above)\n");
		else if (ri->proof != NULL && proof_refuses(ri->proof)) {
			fputc('\n', fp);
			wrap(fp, 0, "cannot tell: no fault found, but sshd "
			    "itself does not accept a key it was asked about "
			    "(above, in its own words); this is not a clean "
			    "bill");
		} else if (people_cannot_tell(target_people(t))) {
			fputc('\n', fp);
			wrap(fp, 0, "cannot tell: no fault found, but sshfix "
			    "cannot judge whether the accounts marked "
			    "cannot-tell can log in (why: above); this is not "
			    "a clean bill");
		} else
			fprintf(fp, "\nno faults found: sshd should accept "
			    "logins\n");
		return;
	}
	if (strcmp(ri->mode, "dry-run") == 0) {
		size_t k, nauto = 0;

		for (k = 0; k < p->n; k++)
			nauto += (size_t)repairable(p, &p->f[k]);
		fputc('\n', fp);
		if (nauto == p->n)
			report_wrapf(fp, 0, 0, "%zu fault%s found. Nothing was "
			    "changed; repair with --apply.", p->n, p->n == 1 ?
			    "" : "s");
		else if (nauto > 0)
			report_wrapf(fp, 0, 0, "%zu fault%s found. Nothing was "
			    "changed; --apply repairs %zu, the rest needs you "
			    "(the \"you:\" steps).", p->n, p->n == 1 ? "" :
			    "s", nauto);
		else
			report_wrapf(fp, 0, 0, "%zu fault%s found. Nothing was "
			    "changed; %s needs you (the \"you:\" steps): "
			    "--apply would change nothing.", p->n, p->n == 1 ?
			    "" : "s", p->n == 1 ? "it" : "each");
		return;
	}
	text_run(fp, p, ri);
}

static int
has_kind(const struct plan *p, int automatic)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (repairable(p, &p->f[i]) == automatic)
			return 1;
	return 0;
}

static void
list_findings(struct sbuf *b, const struct plan *p, int automatic)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++) {
		if (automatic >= 0 && repairable(p, &p->f[i]) != automatic)
			continue;
		sbuf_addf(b, "%s%s on %s", n++ ? ", " : "", p->f[i].fault->id,
		    p->f[i].subject);
	}
}

/* "cannot tell on ROOT: NAME (why)" for the first account it cannot judge. */
static void
oneline_unsure(struct sbuf *b, struct target *t)
{
	const struct people *pp = target_people(t);
	size_t i;

	sbuf_addf(b, "cannot tell on %s", t->rootdir);
	for (i = 0; i < pp->n; i++)
		if (pp->v[i].v == V_CANNOT_TELL && (pp->ntargets == 0 ||
		    pp->v[i].ev != 0)) {
			sbuf_addf(b, ": %s (%s)", pp->v[i].name, pp->v[i].why);
			break;
		}
}

void
report_oneline(FILE *fp, struct target *t, const struct plan *p,
    const struct run_info *ri)
{
	struct sbuf b = { 0 };
	const char *res = ri->result ? ri->result : "";

	sbuf_adds(&b, "sshfix: ");
	if (strcmp(ri->mode, "dry-run") == 0 || strcmp(res,
	    "nothing-to-do") == 0) {
		if (p->n == 0 && t->unread.n == 0 &&
		    people_cannot_tell(target_people(t)))
			oneline_unsure(&b, t);
		else if (p->n == 0)
			sbuf_addf(&b, "no faults %son %s", t->unread.n > 0 ?
			    "in what could be read " : "", t->rootdir);
		else {
			sbuf_addf(&b, "%zu fault%s on %s%s: ", p->n, p->n == 1 ?
			    "" : "s", t->rootdir, strcmp(res, "nothing-to-do") ?
			    "" : " that need a person");
			list_findings(&b, p, -1);
		}
	} else if (strcmp(res, "applied") == 0) {
		sbuf_adds(&b, "fixed ");
		list_findings(&b, p, 1);
		sbuf_addf(&b, ", snapshot %s", ri->snapshot);
		if (ri->service != NULL)
			sbuf_addf(&b, "; sshd: %s", ri->service);
		if (ri->remaining != NULL && has_kind(ri->remaining, 0)) {
			sbuf_adds(&b, "; still to do by hand: ");
			list_findings(&b, ri->remaining, 0);
		}
		if (ri->remaining != NULL && has_kind(ri->remaining, 1)) {
			sbuf_adds(&b, "; found once those were fixed, "
			    "sshfix --apply again repairs: ");
			list_findings(&b, ri->remaining, 1);
		}
	} else if (ri->snapshot != NULL) {
		sbuf_addf(&b, "apply failed (%s); %s snapshot %s", ri->error ?
		    ri->error : "?", strcmp(res, "restore-failed") == 0 ?
		    "NOT everything could be put back; the state before is in" :
		    "everything put back from", ri->snapshot);
	} else
		sbuf_addf(&b, "nothing changed: %s", ri->error ? ri->error : "?");
	for (size_t i = 0; i < p->n; i++)
		for (size_t j = 0; j < p->f[i].nundo; j++) {
			const struct boot_undo *u = &p->f[i].undo[j];

			sbuf_addf(&b, "; %s %s undoes %s on %s (keep it: %s)",
			    u->next_boot ? "AT NEXT BOOT" :
			    "on a new instance", u->by, p->f[i].fault->id,
			    p->f[i].subject, u->keep);
		}
	report_open_oneline(&b, ri);
	for (size_t i = 0; i < t->unread.n; i++) {
		const struct unread *u = &t->unread.v[i];

		if (u->why != NULL)
			sbuf_addf(&b, "%s %s (%s)", i ? "," : "; incomplete:",
			    u->path, u->why);
		else
			sbuf_addf(&b, "%s could not read %s (%s)", i ? "," :
			    "; incomplete:", u->path, file_strerror(u->err));
	}
	vis_line(fp, "%s", b.s);
	sbuf_free(&b);
}
