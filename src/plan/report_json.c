#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fault.h"
#include "logins.h"
#include "report.h"
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
	[ACT_MANUAL] = "manual",
};

/*
 * A JSON string, always valid UTF-8: a string that is valid UTF-8 keeps
 * its characters (", \\ and control characters escaped, DEL and U+2028,
 * U+2029 as \\u too); one that is not (a file name with byte 0xff, say)
 * is given whole in the vis(3) C style of vis_str(), which is ASCII.
 */
void
json_string(struct sbuf *b, const char *s)
{
	char *v = NULL;

	if (s != NULL && !utf8_valid(s))
		s = v = vis_str(s);
	sbuf_addc(b, '"');
	for (; s != NULL && *s != '\0'; s++) {
		const unsigned char *u = (const unsigned char *)s;
		unsigned char c = u[0];

		if (c == '"' || c == '\\')
			sbuf_addf(b, "\\%c", c);
		else if (c == '\n')
			sbuf_adds(b, "\\n");
		else if (c == '\t')
			sbuf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sbuf_addf(b, "\\u%04x", c);
		else if (c == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 ||
		    u[2] == 0xa9)) {
			/* U+2028, U+2029: line breaks to JavaScript */
			sbuf_addf(b, "\\u%04x", 0x2000 | (u[2] & 0x3f));
			s += 2;
		} else
			sbuf_addc(b, (char)c);
	}
	sbuf_addc(b, '"');
	free(v);
}

void
json_kv(struct sbuf *b, const char *k, const char *v, int comma)
{
	if (comma)
		sbuf_addc(b, ',');
	json_string(b, k);
	sbuf_addc(b, ':');
	if (v == NULL)
		sbuf_adds(b, "null");
	else
		json_string(b, v);
}

static void
json_action(struct sbuf *b, struct target *t, const struct action *a)
{
	char m[8], *s;

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
	}
	s = action_describe(t, a);
	json_kv(b, "description", s, 1);
	free(s);
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
	sbuf_adds(b, "},\"actions\":[");
	for (j = 0; j < f->nact; j++) {
		if (j > 0)
			sbuf_addc(b, ',');
		json_action(b, t, &f->act[j]);
	}
	sbuf_adds(b, "]}");
}

static void
json_run(struct sbuf *b, const struct run_info *ri)
{
	size_t i;

	json_kv(b, "result", ri->result, 1);
	json_kv(b, "snapshot", ri->snapshot, 1);
	json_kv(b, "error", ri->error, 1);
	json_kv(b, "service", ri->service, 1);
	sbuf_adds(b, ",\"done\":[");
	for (i = 0; ri->done != NULL && ri->done[i] != NULL; i++) {
		if (i > 0)
			sbuf_addc(b, ',');
		json_string(b, ri->done[i]);
	}
	sbuf_adds(b, "],\"remaining\":[");
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

void
report_json(FILE *fp, struct target *t, const struct plan *p,
    const struct run_info *ri)
{
	struct sbuf b = { 0 };
	char **notes = report_notes(t);
	size_t i;

	sbuf_adds(&b, "{");
	json_kv(&b, "version", SSHFIX_VERSION, 0);
	json_kv(&b, "root", t->rootdir, 1);
	json_kv(&b, "mode", ri->mode, 1);
	if (strcmp(ri->mode, "dry-run") != 0)
		json_run(&b, ri);
	sbuf_adds(&b, ",\"os\":{");
	json_kv(&b, "id", t->os.id, 0);
	json_kv(&b, "version_id", t->os.version_id, 1);
	sbuf_adds(&b, "},\"notes\":[");
	for (i = 0; notes[i] != NULL; i++) {
		if (i > 0)
			sbuf_addc(&b, ',');
		json_string(&b, notes[i]);
	}
	free_strv(notes);
	/* What could not be read: the findings may be wrong. */
	sbuf_adds(&b, "],\"incomplete\":[");
	for (i = 0; i < t->unread.n; i++) {
		sbuf_adds(&b, i > 0 ? ",{" : "{");
		json_kv(&b, "path", t->unread.v[i].path, 0);
		json_kv(&b, "error", strerror(t->unread.v[i].err), 1);
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
	sbuf_adds(&b, "]}\n");
	fwrite(b.s, 1, b.len, fp);
	sbuf_free(&b);
}
