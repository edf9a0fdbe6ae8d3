/*
 * A snapshot as a record in memory: the paths it keeps (sorted, each
 * once), its findings and temporary measures, its state; and the text of
 * its meta entry (the first entry of ID.tar), written by snapshot.c and
 * read back by snapstore.c. Below both: it uses only the shared base
 * (util.c, escape.c), no file of the store and no libarchive.
 *
 * MUST: names in the meta text are an attacker's bytes (a file name, a
 * finding's subject): vis-encoded on the way out, a line each, so that
 * no name can add a line of its own when the text is read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshot_int.h"
#include "util.h"

void
snapshot_init(struct snapshot *s, const char *kind)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->kind, sizeof(s->kind), "%s", kind);
	snprintf(s->state, sizeof(s->state), "new");
	s->created = time(NULL);
}

/* Appends; snapshot_write sorts the paths and merges repeats. */
void
snapshot_add_path(struct snapshot *s, const char *path, int what)
{
	s->paths = xreallocarray(s->paths, s->npaths + 1, sizeof(*s->paths));
	s->paths[s->npaths].path = xstrdup(path);
	s->paths[s->npaths].present = what != SNAP_ABSENT &&
	    what != SNAP_SCRATCH;
	s->paths[s->npaths].scratch = what == SNAP_SCRATCH;
	s->paths[s->npaths].content = what == SNAP_CONTENT;
	s->npaths++;
}

void
snapshot_add_finding(struct snapshot *s, const char *id, const char *subj)
{
	s->findings = xreallocarray(s->findings, s->nfindings + 1,
	    sizeof(*s->findings));
	s->findings[s->nfindings++] = subj == NULL ? xstrdup(id) :
	    xasprintf("%s %s", id, subj);
}

void
snapshot_add_temporary(struct snapshot *s, const char *user,
    const char *what)
{
	s->temp_users = xreallocarray(s->temp_users, s->ntemps + 1,
	    sizeof(*s->temp_users));
	s->temps = xreallocarray(s->temps, s->ntemps + 1, sizeof(*s->temps));
	s->temp_users[s->ntemps] = xstrdup(user);
	s->temps[s->ntemps++] = xstrdup(what);
}

void
snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->ntemps; i++) {
		free(s->temp_users[i]);
		free(s->temps[i]);
	}
	free(s->temp_users);
	free(s->temps);
	for (i = 0; i < s->npaths; i++)
		free(s->paths[i].path);
	free(s->paths);
	for (i = 0; i < s->nfindings; i++)
		free(s->findings[i]);
	free(s->findings);
	memset(s, 0, sizeof(*s));
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct snap_path *)a)->path,
	    ((const struct snap_path *)b)->path);
}

/* Sorted (parents before children), each path once, the most kept. */
void
snap_sort_paths(struct snapshot *s)
{
	size_t i, o = 0;

	sort(s->paths, s->npaths, sizeof(*s->paths), cmp_path);
	for (i = 0; i < s->npaths; i++) {
		if (o > 0 && strcmp(s->paths[o - 1].path, s->paths[i].path) ==
		    0) {
			s->paths[o - 1].content |= s->paths[i].content;
			s->paths[o - 1].scratch |= s->paths[i].scratch;
			free(s->paths[i].path);
			continue;
		}
		s->paths[o++] = s->paths[i];
	}
	s->npaths = o;
}

const struct snap_path *
snapshot_find(const struct snapshot *s, const char *path)
{
	struct snap_path key = { .path = (char *)path };

	return search(&key, s->paths, s->npaths, sizeof(key), cmp_path);
}

char *
snap_meta_text(const struct snapshot *s)
{
	struct sbuf b = { 0 };
	size_t i;

	sbuf_addf(&b, "sshfix-snapshot 1\nid %s\ncreated %lld\nkind %s\n"
	    "of %s\nroot %s\n", s->id, (long long)s->created, s->kind,
	    s->of[0] ? s->of : "-", s->rootid);
	/* Names are an attacker's bytes: vis-encoded, one per line, so a
	 * newline in a file name cannot add a line of its own. */
	for (i = 0; i < s->nfindings; i++) {
		char *v = vis_str(s->findings[i]);

		sbuf_addf(&b, "finding %s\n", v);
		free(v);
	}
	/* A temporary measure: its account, then what it changed. */
	for (i = 0; i < s->ntemps; i++) {
		char *u = vis_str(s->temp_users[i]), *w = vis_str(s->temps[i]);

		sbuf_addf(&b, "tempuser %s\ntemporary %s\n", u, w);
		free(u);
		free(w);
	}
	/* "present": content kept; "meta": metadata only. */
	for (i = 0; i < s->npaths; i++) {
		char *v = vis_str(s->paths[i].path);

		sbuf_addf(&b, "path %s %s\n", s->paths[i].scratch ? "scratch" :
		    !s->paths[i].present ? "absent" : s->paths[i].content ?
		    "present" : "meta", v);
		free(v);
	}
	return sbuf_take(&b);
}

int
snap_parse_meta(struct snapshot *s, const char *text)
{
	const char *p = text, *nl;
	char *line, *user = NULL;

	if (strncmp(text, "sshfix-snapshot 1\n", 18) != 0)
		return -1;
	for (; *p != '\0'; p = nl + 1) {
		char *raw;

		if ((nl = strchr(p, '\n')) == NULL)
			break;
		/* Names were vis-encoded (snap_meta_text). */
		raw = xstrndup(p, (size_t)(nl - p));
		line = unvis_str(raw);
		free(raw);
		if (line == NULL) {
			free(user);
			return -1;
		}
		if (strncmp(line, "tempuser ", 9) == 0) {
			free(user);
			user = xstrdup(line + 9);
		} else if (strncmp(line, "temporary ", 10) == 0 && user) {
			snapshot_add_temporary(s, user, line + 10);
			free(user);
			user = NULL;
		} else if (strncmp(line, "id ", 3) == 0)
			snprintf(s->id, sizeof(s->id), "%s", line + 3);
		else if (strncmp(line, "created ", 8) == 0)
			s->created = (time_t)strtoll(line + 8, NULL, 10);
		else if (strncmp(line, "kind ", 5) == 0)
			snprintf(s->kind, sizeof(s->kind), "%s", line + 5);
		else if (strncmp(line, "of ", 3) == 0 && strcmp(line, "of -"))
			snprintf(s->of, sizeof(s->of), "%s", line + 3);
		else if (strncmp(line, "finding ", 8) == 0) {
			s->findings = xreallocarray(s->findings,
			    s->nfindings + 1, sizeof(*s->findings));
			s->findings[s->nfindings++] = xstrdup(line + 8);
		} else if (strncmp(line, "root ", 5) == 0)
			snprintf(s->rootid, sizeof(s->rootid), "%s", line + 5);
		else if (strncmp(line, "path present /", 14) == 0)
			snapshot_add_path(s, line + 13, SNAP_CONTENT);
		else if (strncmp(line, "path meta /", 11) == 0)
			snapshot_add_path(s, line + 10, SNAP_META);
		else if (strncmp(line, "path absent /", 13) == 0)
			snapshot_add_path(s, line + 12, SNAP_ABSENT);
		else if (strncmp(line, "path scratch /", 14) == 0)
			snapshot_add_path(s, line + 13, SNAP_SCRATCH);
		free(line);
	}
	free(user);
	return s->id[0] ? 0 : -1;
}

int
snapshot_interrupted(const struct snapshot *s)
{
	return strcmp(s->state, SNAP_INTERRUPTED) == 0;
}
