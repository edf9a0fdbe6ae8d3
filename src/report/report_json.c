#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixes/fault.h"
#include "target/login/logins.h"
#include "prove/prove.h"
#include "report/report.h"
#include "target/login/people.h"
#include "util.h"

static const char *act_names[] = {
	[ACT_CHMOD] = "chmod",
	[ACT_CHOWN] = "chown",
	[ACT_KEYGEN_ALL] = "keygen-all",
	[ACT_KEYGEN] = "keygen",
	[ACT_UNLINK] = "unlink",
	[ACT_EDIT_LINE] = "edit",
	[ACT_ADD_KEY] = "add-key",
	[ACT_JOIN_KEY] = "join-key",
	[ACT_MKDIR] = "mkdir",
	[ACT_ADD_ACCOUNT] = "add-account",
	[ACT_COPY] = "copy",
	[ACT_RELABEL] = "relabel",
	[ACT_UNBAN] = "unban",
	[ACT_MANUAL] = "manual",
};

static void
json_action(struct sbuf *b, struct target *t, const struct action *a)
{
	char m[8], *s, **w;

	sbuf_addc(b, '{');
	json_kv(b, "type", act_names[a->type], 0);
	if (a->path != NULL)
		json_kv(b, "path", a->path, 1);

	if (a->type == ACT_CHMOD) {
		mode_str(a->old_mode, m);
		json_kv(b, "from", m, 1);
		mode_str(a->new_mode, m);
		json_kv(b, "to", m, 1);
	} else if (a->type == ACT_CHOWN) {
		sbuf_addf(b, ",\"from\":\"%u:%u\",\"to\":\"%u:%u\"",
		    (unsigned)a->old_uid, (unsigned)a->old_gid,
		    (unsigned)a->new_uid, (unsigned)a->new_gid);
	} else if (a->type == ACT_RELABEL) {
		json_kv(b, "from", a->old_text, 1);
		json_kv(b, "to", a->new_text, 1);
	} else if (a->type == ACT_UNBAN) {
		json_kv(b, "jail", a->old_text, 1);
		json_kv(b, "address", a->text, 1);
	} else if (a->type == ACT_KEYGEN) {
		json_kv(b, "keytype", a->keytype, 1);
	} else if (a->type == ACT_EDIT_LINE) {
		sbuf_addf(b, ",\"line\":%zu", a->line + 1);
		json_kv(b, "old", a->old_text, 1);
		json_kv(b, "new", a->new_text, 1);
		sbuf_addf(b, ",\"temporary\":%s", a->temporary ? "true" :
		    "false");
		s = action_diff(t, a);
		json_kv(b, "diff", s, 1);
		free(s);
	} else if (a->type == ACT_ADD_KEY) {
		json_kv(b, "user", a->user, 1);
	} else if (a->type == ACT_JOIN_KEY) {
		sbuf_addf(b, ",\"line\":%zu,\"lines\":%zu", a->line + 1,
		    a->keyspan);
		json_kv(b, "new", a->new_text, 1);
	} else if (a->type == ACT_MKDIR) {
		mode_str(a->new_mode, m);
		json_kv(b, "mode", m, 1);
	} else if (a->type == ACT_ADD_ACCOUNT) {
		json_kv(b, "user", a->user, 1);
		json_kv(b, "passwd", a->entry[ACCT_PASSWD], 1);
		json_kv(b, "group", a->entry[ACCT_GROUP], 1);
	} else if (a->type == ACT_COPY) {
		json_kv(b, "from", a->from, 1);
		mode_str(a->new_mode, m);
		json_kv(b, "mode", m, 1);
	}
	s = action_describe(t, a);
	json_kv(b, "description", s, 1);
	free(s);
	/* Last, so that every member before keeps its place. */
	if ((w = action_writes(a))[0] != NULL)
		json_strv(b, "writes", w, SIZE_MAX);
	free_strv(w);
	sbuf_addc(b, '}');
}

static void
json_finding(struct sbuf *b, struct target *t, const struct finding *f)
{
	size_t j;

	sbuf_addc(b, '{');
	json_kv(b, "id", f->fault->id, 0);
	json_kv(b, "severity", f->sev == SEV_ERROR ? "error" : "warning", 1);
	json_kv(b, "subject", f->subject, 1);
	json_kv(b, "message", f->message, 1);
	json_kv(b, "logline", f->logline, 1);
	sbuf_adds(b, ",\"evidence\":{");
	for (j = 0; j < f->nev; j++)
		json_kv(b, f->ev[j].key, f->ev[j].value, j > 0);
	sbuf_adds(b, "},\"undone_at_boot\":[");
	for (j = 0; j < f->nundo; j++) {
		sbuf_adds(b, j > 0 ? ",{" : "{");
		json_kv(b, "by", f->undo[j].by, 0);
		json_kv(b, "when", f->undo[j].next_boot ? "next-boot" :
		    "new-instance", 1);
		json_kv(b, "what", f->undo[j].what, 1);
		json_kv(b, "keep", f->undo[j].keep, 1);
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "],\"actions\":[");
	for (j = 0; j < f->nact; j++) {
		if (j > 0)
			sbuf_addc(b, ',');
		json_action(b, t, &f->act[j]);
	}
	sbuf_adds(b, "]}");
}

/* What --apply did: the members its document adds. */
static void
json_run(struct sbuf *b, const struct run_info *ri)
{
	size_t i;

	json_kv(b, "snapshot", ri->snapshot, 1);
	json_kv(b, "rollback", ri->undo, 1);
	json_kv(b, "service", ri->service, 1);
	json_strv(b, "done", ri->done, SIZE_MAX);
	sbuf_adds(b, ",\"remaining\":[");
	for (i = 0; ri->remaining != NULL && i < ri->remaining->n; i++) {
		if (i > 0)
			sbuf_addc(b, ',');
		sbuf_addc(b, '{');
		json_kv(b, "id", ri->remaining->f[i].fault->id, 0);
		json_kv(b, "subject", ri->remaining->f[i].subject, 1);
		sbuf_addc(b, '}');
	}
	sbuf_addc(b, ']');
}

/* A dry run's result: the exit status in a word (0 clean, 1, 2, 5). */
static const char *
dry_run_result(struct target *t, const struct plan *p,
    const struct run_info *ri, const char **error)
{
	*error = NULL;
	if (target_incomplete(t)) {
		*error = "the diagnosis is incomplete: a file it needs could "
		    "not be read (see \"incomplete\"); the verdict may be wrong";
		return "incomplete";
	}
	if (p->n > 0 || ri->nopen > 0)
		return "faults-found";
	if (ri->proof != NULL && proof_refuses(ri->proof)) {
		*error = "no fault found, but sshd itself does not accept a "
		    "key it was asked about: see \"proof\"";
		return "cannot-tell";
	}
	if (people_cannot_tell(target_people(t))) {
		*error = "cannot tell whether the accounts can log in: see "
		    "\"accounts\"";
		return "cannot-tell";
	}
	return "clean";
}

void
report_json(FILE *fp, struct target *t, const struct plan *p,
    const struct run_info *ri)
{
	struct sbuf b = { 0 };
	char **notes = report_notes(t);
	const char *result = ri->result, *error = ri->error;
	size_t i;

	if (strcmp(ri->mode, "dry-run") == 0)
		result = dry_run_result(t, p, ri, &error);
	json_begin(&b, ri->mode, t->rootdir);
	sbuf_adds(&b, ",\"os\":{");
	json_kv(&b, "id", t->os.id, 0);
	json_kv(&b, "version_id", t->os.version_id, 1);
	sbuf_addc(&b, '}');
	json_strv(&b, "notes", notes, SIZE_MAX);
	free_strv(notes);
	/* What could not be read: the findings may be wrong. */
	sbuf_adds(&b, ",\"incomplete\":[");
	for (i = 0; i < t->unread.n; i++) {
		sbuf_adds(&b, i > 0 ? ",{" : "{");
		json_kv(&b, "path", t->unread.v[i].path, 0);
		json_kv(&b, "error", unread_error(&t->unread.v[i]), 1);
		sbuf_addc(&b, '}');
	}
	sbuf_addc(&b, ']');
	report_open_json(&b, ri);
	sbuf_adds(&b, ",\"findings\":[");
	for (i = 0; i < p->n; i++) {
		if (i > 0)
			sbuf_addc(&b, ',');
		json_finding(&b, t, &p->f[i]);
	}
	sbuf_addc(&b, ']');
	if (strcmp(ri->mode, "dry-run") == 0)
		report_people_json(&b, t, p);
	else
		json_run(&b, ri);
	report_proof_json(&b, ri->proof);
	json_end(&b, result, error);
	json_put(fp, &b);
}
