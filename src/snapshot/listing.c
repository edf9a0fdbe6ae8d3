/*
 * --list and --prune: the snapshot store as a person sees it, and
 * removing the snapshots nothing needs any more (prune.c decides which).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "os/lock.h"
#include "snapshot/listing.h"
#include "escape.h"
#include "report/report.h"
#include "safefs.h"
#include "snapshot/snapshot.h"
#include "util.h"

/* No snapshot directory: nothing to list or prune (never made here). */
static int
no_snapdir(const struct target *t, const struct run_opts *o)
{
	struct stat st;

	return (o->snapdir != NULL ? lstat(o->snapdir, &st) :
	    sfs_lstat(t->rootfd, SNAPSHOT_DIR, &st)) == -1 && errno == ENOENT;
}

/* The columns of --list (77 wide: an 80-column console) and its header. */
#define LIST_ROW	"%-19s  %-23s  %-8s  %-14s  %5s"
#define LIST_HEAD	"ID                   TIME                     KIND      " \
			"STATE            SIZE"
/* --prune's: "removed "/"kept    " and the row without its time (62). */
#define PRUNE_ROW	"%-19s  %-8s  %-14s  %5s"

/*
 * "ID  TIME  KIND  STATE  SIZE", or its JSON members, into B; without
 * TIME (the id says it) if !WHEN: --prune's rows, after a word.
 */
static void
snap_summary(struct sbuf *b, const struct snapshot *s, unsigned long long size,
    int json, int with_time)
{
	char when[32], hs[16];

	if (json) {
		json_kv(b, "id", s->id, 0);
		json_time(b, "time", s->created);
		json_kv(b, "kind", s->kind, 1);
		json_kv(b, "state", snapshot_state_word(s->state), 1);
		sbuf_addf(b, ",\"size\":%llu", size);
		return;
	}
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC",
	    gmtime(&s->created));
	human_size(size, hs);
	if (with_time)
		sbuf_addf(b, LIST_ROW, s->id, when, s->kind,
		    snapshot_state_word(s->state), hs);
	else
		sbuf_addf(b, PRUNE_ROW, s->id, s->kind,
		    snapshot_state_word(s->state), hs);
}

/* One snapshot of --list: a line, foreign bytes vis-encoded, or an object. */
static void
list_one(struct sbuf *b, int sdfd, const struct snapshot *s, int json)
{
	struct sbuf l = { 0 };
	char *e;
	size_t j;

	if (json) {
		sbuf_adds(b, b->s[b->len - 1] == '[' ? "{" : ",{");
		snap_summary(b, s, snapshot_size(sdfd, s->id), 1, 1);
		json_strv(b, "findings", s->findings, s->nfindings);
		sbuf_addc(b, '}');
		return;
	}
	/* The row, then its findings on lines of their own, indented. */
	snap_summary(&l, s, snapshot_size(sdfd, s->id), 0, 1);
	e = vis_str(l.s);
	printf("%s\n", e);
	free(e);
	sbuf_free(&l);
	for (j = 0; j < s->nfindings; j++)
		sbuf_addf(&l, "%s%s", j ? "; " : "", s->findings[j]);
	if (l.s != NULL)
		report_wrap(stdout, 4, 4, l.s);	/* it vis-encodes */
	sbuf_free(&l);
}

enum outcome
list_run(struct target *t, const struct run_opts *o)
{
	struct snapshot *v = NULL;
	struct sbuf b = { 0 };
	size_t n = 0, i;
	int sdfd = -1;
	enum outcome out = OUT_CLEAN;

	if (o->json) {
		json_begin(&b, "list", o->rootdir);
		sbuf_adds(&b, ",\"snapshots\":[");
	}
	/* A lock refused (lock_busy) is refused here too, as by every mode. */
	if (lock_busy(t->rootfd) == -1 || (!no_snapdir(t, o) &&
	    ((sdfd = snapdir_open(t->rootfd, o->snapdir, 0)) == -1 ||
	    snapshot_list(sdfd, &v, &n) == -1))) {
		vis_line(stderr, "sshfix: %s", err_get());
		out = OUT_ERROR;
	}
	if (!o->json && n > 0)
		printf("%s\n", LIST_HEAD);
	for (i = 0; i < n; i++) {
		list_one(&b, sdfd, &v[i], o->json);
		snapshot_free(&v[i]);
	}
	free(v);
	if (sdfd != -1)
		close(sdfd);
	if (o->json) {
		sbuf_addc(&b, ']');
		json_end(&b, out == OUT_CLEAN ? "listed" : "not-listed",
		    out == OUT_CLEAN ? NULL : err_get());
		json_put(stdout, &b);
		return out;
	}
	if (n == 0 && out == OUT_CLEAN)
		sbuf_adds(&b, "no snapshots\n");
	if (b.s != NULL)
		fputs(b.s, stdout);
	sbuf_free(&b);
	return out;
}

/* One removed (WHY NULL) or kept snapshot, as a line or a JSON object. */
static void
prune_line(struct sbuf *b, const struct run_opts *o, const struct snapshot *s,
    unsigned long long size, const char *why)
{
	struct sbuf l = { 0 };
	char *e;

	if (o->json) {
		sbuf_adds(b, b->s[b->len - 1] == '[' ? "{" : ",{");
		snap_summary(b, s, size, 1, 1);
		if (why != NULL)
			json_kv(b, "reason", why, 1);
		sbuf_addc(b, '}');
		return;
	}
	/* Why it is kept on a line of its own: an 80-column console. */
	sbuf_adds(&l, why ? "kept    " : "removed ");
	snap_summary(&l, s, size, 0, 0);
	e = vis_str(l.s);	/* foreign bytes vis-encoded */
	sbuf_adds(b, e);
	sbuf_addc(b, '\n');
	free(e);
	if (why != NULL)
		sbuf_addf(b, "    %s\n", why);
	sbuf_free(&l);
}

/*
 * Remove, oldest first, each snapshot that is not among the KEEP newest
 * and that nothing still needs (snapshot_keep_reason). Kept lines are
 * said only for those --keep alone would have removed.
 */
static int
prune_store(int sdfd, const struct run_opts *o, struct snapshot *v, size_t n,
    struct sbuf *removed, struct sbuf *kept, size_t *nremoved,
    unsigned long long *freed)
{
	unsigned char *keep = xcalloc(n + 1, 1);
	const char **why = xcalloc(n + 1, sizeof(*why));
	unsigned long long size;
	size_t i;
	int r = 0;

	for (i = n; i-- > 0; ) {
		why[i] = snapshot_keep_reason(v, n, i, o->keep, keep);
		keep[i] = why[i] != NULL;
	}
	for (i = 0; i < n && r == 0; i++) {
		size = snapshot_size(sdfd, v[i].id);
		if (keep[i]) {
			if (o->json || n - i > o->keep)
				prune_line(kept, o, &v[i], size, why[i]);
		} else if ((r = snapshot_remove(sdfd, v[i].id)) == 0) {
			prune_line(removed, o, &v[i], size, NULL);
			(*nremoved)++;
			*freed += size;
		}
	}
	free(keep);
	free(why);
	return r;
}

/*
 * What a --prune cut short left: files of an id whose archive is gone
 * (it goes first). No listing shows them and nothing can be restored
 * from them: removed, each said. A snapshot with its archive is never
 * one of them.
 */
static int
prune_leftovers(int sdfd, const struct run_opts *o, struct sbuf *b)
{
	char **ids = snapshot_orphans(sdfd), hs[16];
	unsigned long long size;
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && ids != NULL && ids[i] != NULL; i++) {
		size = snapshot_size(sdfd, ids[i]);
		if ((r = snapshot_remove(sdfd, ids[i])) == -1)
			break;
		human_size(size, hs);
		if (o->json) {
			sbuf_adds(b, b->s[b->len - 1] == '[' ? "{" : ",{");
			json_kv(b, "id", ids[i], 0);
			sbuf_addf(b, ",\"size\":%llu}", size);
		} else
			sbuf_addf(b, "removed leftover %s (%s): files left "
			    "without their archive by a --prune cut short\n",
			    ids[i], hs);
	}
	free_strv(ids);
	return r;
}

enum outcome
prune_run(struct target *t, const struct run_opts *o)
{
	struct snapshot *v = NULL;
	struct sbuf removed = { 0 }, kept = { 0 }, left = { 0 };
	unsigned long long freed = 0;
	size_t n = 0, nremoved = 0, i;
	char hs[16];
	int lock = -1, sdfd = -1, r = -1;

	sbuf_adds(&removed, o->json ? "[" : "");
	sbuf_adds(&kept, o->json ? "[" : "");
	sbuf_adds(&left, o->json ? "[" : "");
	if (no_snapdir(t, o))
		r = 0;
	else if ((lock = lock_root(t->rootfd)) != -1 &&
	    (sdfd = snapdir_open(t->rootfd, o->snapdir, 0)) != -1 &&
	    prune_leftovers(sdfd, o, &left) != -1 &&
	    snapshot_list(sdfd, &v, &n) != -1)
		r = prune_store(sdfd, o, v, n, &removed, &kept, &nremoved,
		    &freed);
	if (r == -1)
		vis_line(stderr, "sshfix: --prune: %s", err_get());
	human_size(freed, hs);
	if (o->json) {
		struct sbuf b = { 0 };

		json_begin(&b, "prune", o->rootdir);
		sbuf_addf(&b, ",\"keep\":%zu,\"removed\":%s],\"kept\":%s],"
		    "\"leftovers\":%s],\"freed\":%llu", o->keep, removed.s,
		    kept.s, left.s, freed);
		json_end(&b, r == -1 ? "not-pruned" : "pruned",
		    r == -1 ? err_get() : NULL);
		json_put(stdout, &b);
	} else {
		fputs(left.s ? left.s : "", stdout);
		fputs(removed.s ? removed.s : "", stdout);
		fputs(kept.s ? kept.s : "", stdout);
		if (r == 0)
			printf("pruned: removed %zu snapshot%s (%s), kept "
			    "%zu\n", nremoved, nremoved == 1 ? "" : "s", hs,
			    n - nremoved);
	}
	for (i = 0; i < n; i++)
		snapshot_free(&v[i]);
	free(v);
	sbuf_free(&removed);
	sbuf_free(&kept);
	sbuf_free(&left);
	if (sdfd != -1)
		close(sdfd);
	if (lock != -1)
		close(lock);
	return r == -1 ? OUT_ERROR : OUT_CLEAN;
}
