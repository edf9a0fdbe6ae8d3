/*
 * --rollback. A rollback refuses to undo over changes made after the
 * apply (unless --force), and snapshots the state it replaces first, so
 * that it can be undone in turn. --list and --prune are in listing.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "os/lock.h"
#include "exec/apply.h"
#include "escape.h"
#include "target/login/logins.h"
#include "report/report.h"
#include "safefs.h"
#include "exec/service.h"
#include "os/safewrite.h"
#include "snapshot/snapshot.h"
#include "os/stop.h"
#include "util.h"

/*
 * One run may undo several snapshots (--rollback ID with newer applies
 * in force): those undone so far, oldest undo last, and whether more are
 * to come (then a JSON document waits for the last).
 */
static struct {
	char	**undone;
	size_t	  n;
	int	  more;
} chain;

static void
chain_add(const char *id)
{
	chain.undone = xreallocarray(chain.undone, chain.n + 2,
	    sizeof(*chain.undone));
	chain.undone[chain.n++] = xstrdup(id);
	chain.undone[chain.n] = NULL;
}

/* The applies still in force, newest first (NULL-terminated), or NULL. */
static char **
still_applied(int sdfd)
{
	struct snapshot *all;
	char **v;
	size_t n, i, k = 0;

	if (sdfd == -1 || snapshot_list(sdfd, &all, &n) == -1)
		return NULL;
	v = xcalloc(n + 1, sizeof(*v));
	for (i = n; i-- > 0; )
		if (strcmp(all[i].kind, "apply") == 0 &&
		    strcmp(all[i].state, "applied") == 0)
			v[k++] = xstrdup(all[i].id);
	for (i = 0; i < n; i++)
		snapshot_free(&all[i]);
	free(all);
	return v;
}

static int chain_sdfd = -1;
static char chain_of[40];

static void
print_result(const struct run_opts *o, const char *result, const char *id,
    const char *undo, char **changed, const char *error)
{
	struct sbuf b = { 0 };
	char *cmd = undo ? snapshot_rollback_cmd(undo, o->rootdir,
	    o->snapdir) : NULL;
	char **left = NULL;
	size_t i;

	if (chain.more && error == NULL && o->json) {
		free(cmd);	/* the last step's document says it */
		return;
	}
	if (error == NULL && strcmp(result, "rolled-back") == 0)
		left = still_applied(chain_sdfd);
	if (o->json) {
		json_begin(&b, "rollback", o->rootdir);
		json_kv(&b, "snapshot", id, 1);
		json_kv(&b, "undo", undo, 1);
		json_kv(&b, "rollback", cmd, 1);
		json_strv(&b, "changed", changed, SIZE_MAX);
		if (chain.n > 0)
			json_strv(&b, "undone", chain.undone, SIZE_MAX);
		if (left != NULL)
			json_strv(&b, "applied", left, SIZE_MAX);
		json_end(&b, result, error);
		json_put(stdout, &b);
		free(cmd);
		free_strv(left);
		return;
	}
	/* A refusal or failure, and what it names, go to stderr. */
	fflush(stdout);
	if (error != NULL)
		vis_line(stderr, "sshfix: rollback%s%s: %s", id ? " " : "",
		    id ? id : "", error);
	for (i = 0; changed != NULL && changed[i] != NULL; i++)
		vis_line(stderr, "   changed since the apply: %s", changed[i]);
	if (changed != NULL && changed[0] != NULL)
		fprintf(stderr, "nothing was rolled back; check those paths, "
		    "then use --force to roll back over them\n");
	if (cmd != NULL) {
		/* The command on a line of its own: copied whole. */
		vis_line(stdout, "rolled back snapshot %s; undo with:", id);
		vis_line(stdout, "  %s", cmd);
	}
	if (left != NULL && !chain.more && left[0] != NULL)
		vis_line(stdout, "still in place: %s%s (--rollback again "
		    "undoes %s)", left[0], left[1] ? " and older" : "",
		    left[0]);
	else if (left != NULL && !chain.more)
		printf("no apply of sshfix is left in place\n");
	free_strv(left);
	free(cmd);
}

/*
 * The rollback failed after the first change: put back the state it
 * replaced, from U. The state of U and the outcome say what is true.
 */
static enum outcome
put_back(struct target *t, int sdfd, struct snapshot *s, struct snapshot *u,
    const struct run_opts *o)
{
	char *why = xstrdup(err_get());
	enum outcome out = OUT_RESTORED;

	if (snapshot_restore(t->rootfd, sdfd, u, u->rootid) == -1) {
		char *both = xasprintf("%s; putting things back failed too: "
		    "%s; snapshot %s holds the state before the rollback",
		    why, err_get(), u->id);

		print_result(o, "restore-failed", s->id, NULL, NULL, both);
		free(both);
		out = OUT_BROKEN;
	} else {
		/* Back to the applied state: S is applied again. */
		if (strcmp(s->state, "applied") != 0)
			snapshot_set_state(sdfd, s, "applied");
		print_result(o, "restored", s->id, NULL, NULL, why);
	}
	snapshot_set_state(sdfd, u, out == OUT_BROKEN ? "restore-failed" :
	    "restored");
	snapshot_remove_tmp(sdfd, u->id);
	free(why);
	return out;
}

/*
 * Log WHAT (to the log of the machine sshfix runs on, naming the root);
 * on the live system, reload sshd and say how it went.
 */
static void
reload_after(struct target *t, const struct run_opts *o, const char *what)
{
	char *said = NULL;

	log_msg(LOG_AUTHPRIV | LOG_NOTICE, "%s on %s", what, t->rootdir);
	if (!t->live)
		return;
	if (!o->no_reload)
		service_reload(t, 0, &said);
	if (said != NULL && !o->json)
		vis_line(stdout, "sshd: %s", said);
	free(said);
}

/*
 * A rollback of ID was undone: ID's change is in force again (IN 1), and
 * if ID was itself a rollback, what it undid is out of force again; and
 * so on down the chain (bounded: a store is an attacker's to write).
 */
static void
reinstate(int sdfd, const char *id, int in)
{
	struct snapshot y;
	int depth;

	for (depth = 0; depth < 64 && id[0] != '\0'; depth++) {
		if (snapshot_load(sdfd, id, &y) == -1)
			return;
		if (!snapshot_interrupted(&y))
			(void)snapshot_set_state(sdfd, &y, in ? "applied" :
			    "rolled-back");
		if (strcmp(y.kind, "rollback") != 0) {
			snapshot_free(&y);
			return;
		}
		snprintf(chain_of, sizeof(chain_of), "%s", y.of);
		snapshot_free(&y);
		id = chain_of;
		in = !in;
	}
}

/* Snapshot the state about to be replaced, then restore S. */
static enum outcome
undo(struct target *t, int sdfd, struct snapshot *s, const char *rootid,
    const struct run_opts *o)
{
	struct snapshot u;
	struct stat st;
	size_t i;
	char *msg;
	enum outcome out = OUT_CLEAN;

	snapshot_init(&u, "rollback");
	snprintf(u.of, sizeof(u.of), "%s", s->id);
	snprintf(u.rootid, sizeof(u.rootid), "%s", rootid);
	for (i = 0; i < s->nfindings; i++)
		snapshot_add_finding(&u, s->findings[i], NULL);
	/* What the rollback rewrites or removes, U keeps whole. */
	for (i = 0; i < s->npaths; i++) {
		const struct snap_path *p = &s->paths[i];

		snapshot_add_path(&u, p->path, sfs_lstat(t->rootfd, p->path,
		    &st) == -1 ? SNAP_ABSENT : !p->present || p->content ?
		    SNAP_CONTENT : SNAP_META);
	}
	if (snapshot_write(t->rootfd, sdfd, &u) == -1 ||
	    snapshot_set_state(sdfd, &u, SNAP_INTERRUPTED) == -1) {
		print_result(o, "not-rolled-back", s->id, NULL, NULL,
		    err_get());
		snapshot_free(&u);
		return OUT_ERROR;
	}
	/* The first change: from here a signal waits for the end. */
	stop_hold();
	sfw_set_tag(u.id);
	if (snapshot_restore(t->rootfd, sdfd, s, rootid) == -1 ||
	    snapshot_write_after(t->rootfd, sdfd, &u) == -1 ||
	    snapshot_set_state(sdfd, s, "rolled-back") == -1 ||
	    snapshot_set_state(sdfd, &u, "applied") == -1) {
		out = put_back(t, sdfd, s, &u, o);
		snapshot_free(&u);
		return out;
	}
	if (strcmp(s->kind, "rollback") == 0)
		reinstate(sdfd, s->of, 1);
	chain_add(s->id);
	print_result(o, "rolled-back", s->id, u.id, NULL, NULL);
	msg = xasprintf("rolled back snapshot %s (undo: %s)", s->id, u.id);
	reload_after(t, o, msg);
	free(msg);
	snapshot_free(&u);
	return out;
}

/* The root's id, which every check of a snapshot needs. */
static int
have_rootid(const char *rootid, const char *why)
{
	if (rootid[0] != '\0')
		return 1;
	err_set("%s", why);
	return 0;
}

/*
 * X is an interrupted --apply or --rollback: its state ("applying") was
 * made durable before its first change, and any of its changes may have
 * happened. Put back every path it recorded, exactly, with no check for
 * later changes (there is no after-state to compare with); temp files and
 * staging directories it left go too. Doing it again does no harm: a
 * recovery cut short is recovered the same way.
 */
static enum outcome
recover(struct target *t, int sdfd, struct snapshot *x, const char *rootid,
    const struct run_opts *o, int quiet)
{
	struct snapshot of;
	char *why;

	if (snapshot_check(sdfd, x, rootid) == -1) {
		print_result(o, "not-rolled-back", x->id, NULL, NULL,
		    err_get());
		return OUT_ERROR;
	}
	/* The first change: from here a signal waits for the end. */
	stop_hold();
	sfw_set_tag(x->id);
	if (snapshot_restore(t->rootfd, sdfd, x, rootid) == -1) {
		why = xasprintf("putting back the state before the interrupted "
		    "run failed: %s; the snapshot is kept, try again", err_get());
		print_result(o, "restore-failed", x->id, NULL, NULL, why);
		free(why);
		return OUT_BROKEN;
	}
	/* A rollback put back: what it undid is in place again. */
	if (strcmp(x->kind, "rollback") == 0 && x->of[0] != '\0' &&
	    snapshot_load(sdfd, x->of, &of) == 0) {
		if (snapshot_set_state(sdfd, &of, "applied") == -1)
			vis_line(stderr, "sshfix: %s", err_get());
		snapshot_free(&of);
	}
	if (snapshot_set_state(sdfd, x, "rolled-back") == -1) {
		print_result(o, "restore-failed", x->id, NULL, NULL,
		    err_get());
		return OUT_BROKEN;
	}
	snapshot_remove_tmp(sdfd, x->id);
	if (!quiet && !o->json)
		vis_line(stdout, "snapshot %s: the interrupted --%s was put "
		    "back: every path it recorded is as it was before it",
		    x->id, strcmp(x->kind, "rollback") == 0 ? "rollback" :
		    "apply");
	else if (!quiet)
		print_result(o, "rolled-back", x->id, NULL, NULL, NULL);
	/* Finishing a rollback reloads sshd when it is done. */
	if (!quiet) {
		why = xasprintf("put back interrupted snapshot %s", x->id);
		reload_after(t, o, why);
		free(why);
	}
	return OUT_CLEAN;
}

/*
 * Snapshot files without a state: a crash while they were being written,
 * before anything was changed. Removed; 1 if there were any.
 */
static int
remove_debris(int sdfd, const struct run_opts *o, int say)
{
	char **ids = snapshot_debris(sdfd);
	size_t i;

	for (i = 0; ids != NULL && ids[i] != NULL; i++) {
		if (snapshot_remove(sdfd, ids[i]) == -1)
			vis_line(stderr, "sshfix: %s", err_get());
		else if (say && !o->json)
			vis_line(stdout, "snapshot %s: interrupted while it was "
			    "being written, before any change: nothing had "
			    "been changed; removed it", ids[i]);
	}
	free_strv(ids);
	return i > 0;
}

/* Only the debris of a crash before any change (of ID): removed, said. */
static int
debris_only(int sdfd, const struct run_opts *o, const char *id)
{
	if (!remove_debris(sdfd, o, 1))
		return 0;
	if (o->json)
		print_result(o, "nothing-changed", id, NULL, NULL, NULL);
	return 1;
}

/*
 * --rollback with no id after a crash: the interrupted run, or the debris
 * of one, is what there is to roll back. 1 with *OUT set if handled.
 */
static int
recover_latest(struct target *t, int sdfd, const char *rootid,
    const char *rid_err, const struct run_opts *o, enum outcome *out)
{
	struct snapshot x;
	int r = snapshot_find_interrupted(sdfd, &x);

	if (r == -1) {
		print_result(o, "not-rolled-back", NULL, NULL, NULL, err_get());
		*out = OUT_ERROR;
		return 1;
	}
	if (r == 1) {
		remove_debris(sdfd, o, 0);
		if (have_rootid(rootid, rid_err))
			*out = recover(t, sdfd, &x, rootid, o, 0);
		else {
			print_result(o, "not-rolled-back", x.id, NULL, NULL,
			    err_get());
			*out = OUT_ERROR;
		}
		snapshot_free(&x);
		return 1;
	}
	if (debris_only(sdfd, o, NULL)) {
		*out = OUT_CLEAN;
		return 1;
	}
	return 0;
}

/* Roll back S, in state "applied": the ordinary case. */
static enum outcome
rollback_applied(struct target *t, int sdfd, struct snapshot *s,
    const char *rootid, const char *rid_err, const struct run_opts *o)
{
	char **changed = NULL;
	enum outcome out = OUT_ERROR;

	if (strcmp(s->state, "applied") != 0) {
		err_set("snapshot %s is %s, not applied: nothing to roll back",
		    s->id, s->state);
		print_result(o, "not-rolled-back", s->id, NULL, NULL,
		    err_get());
	} else if (!have_rootid(rootid, rid_err) ||
	    snapshot_check(sdfd, s, rootid) == -1) {
		/* Truncated, edited, or of another root: nothing restored. */
		print_result(o, "not-rolled-back", s->id, NULL, NULL,
		    err_get());
	} else if ((changed = snapshot_changed(t->rootfd, sdfd, s)) ==
	    NULL) {
		print_result(o, "not-rolled-back", s->id, NULL, NULL,
		    err_get());
	} else if (changed[0] != NULL && !o->force) {
		print_result(o, "refused", s->id, NULL, changed,
		    "paths changed since the apply; refused");
		out = OUT_RESTORED;
	} else
		out = undo(t, sdfd, s, rootid, o);
	free_strv(changed);
	return out;
}

/*
 * --rollback ID with newer applies in force: the tree goes back to before
 * ID, so each of them is undone first, newest first, each checked as a
 * plain --rollback checks it; the first that cannot be stops the run.
 */
static enum outcome
undo_newer(struct target *t, int sdfd, const struct snapshot *s,
    const char *rootid, const char *rid_err, const struct run_opts *o)
{
	char **v;
	struct snapshot n;
	enum outcome out = OUT_CLEAN;
	size_t i;

	/* ID itself first: of another root, truncated, edited: nothing
	   newer is undone for it. */
	if (!have_rootid(rootid, rid_err) ||
	    snapshot_check(sdfd, s, rootid) == -1) {
		print_result(o, "not-rolled-back", s->id, NULL, NULL,
		    err_get());
		return OUT_ERROR;
	}
	if ((v = still_applied(sdfd)) == NULL) {
		print_result(o, "not-rolled-back", s->id, NULL, NULL,
		    err_get());
		return OUT_ERROR;
	}
	for (i = 0; v[i] != NULL && out == OUT_CLEAN; i++) {
		if (snapshot_id_cmp(v[i], s->id) <= 0)
			break;
		if (snapshot_load(sdfd, v[i], &n) == -1) {
			print_result(o, "not-rolled-back", v[i], NULL, NULL,
			    err_get());
			out = OUT_ERROR;
			break;
		}
		if (strcmp(n.rootid, rootid) != 0) {	/* another root's */
			snapshot_free(&n);
			continue;
		}
		chain.more = 1;
		out = rollback_applied(t, sdfd, &n, rootid, rid_err, o);
		chain.more = 0;
		snapshot_free(&n);
	}
	free_strv(v);
	return out;
}

/*
 * --rollback ID: an interrupted ID is recovered; when a rollback of ID
 * was interrupted, it is put back first and the rollback of ID done
 * again: that finishes it.
 */
static enum outcome
rollback_id(struct target *t, int sdfd, struct snapshot *s,
    const char *rootid, const char *rid_err, const struct run_opts *o)
{
	struct snapshot u;
	enum outcome out;
	int r = snapshot_interrupted(s) ? 0 : snapshot_find_undo(sdfd, s->id,
	    &u);

	if (r == -1) {
		print_result(o, "not-rolled-back", s->id, NULL, NULL,
		    err_get());
		return OUT_ERROR;
	}
	if (r == 1) {
		/* recover() says why it failed itself. */
		if (have_rootid(rootid, rid_err))
			out = recover(t, sdfd, &u, rootid, o, 1);
		else {
			print_result(o, "not-rolled-back", u.id, NULL, NULL,
			    err_get());
			out = OUT_ERROR;
		}
		snapshot_free(&u);
		if (out != OUT_CLEAN)
			return out;
		snprintf(s->state, sizeof(s->state), "applied");
	}
	if (!snapshot_interrupted(s)) {
		if (strcmp(s->state, "applied") == 0 &&
		    (out = undo_newer(t, sdfd, s, rootid, rid_err, o)) !=
		    OUT_CLEAN)
			return out;
		return rollback_applied(t, sdfd, s, rootid, rid_err, o);
	}
	if (!have_rootid(rootid, rid_err)) {
		print_result(o, "not-rolled-back", s->id, NULL, NULL,
		    err_get());
		return OUT_ERROR;
	}
	return recover(t, sdfd, s, rootid, o, 0);
}

enum outcome
rollback_run(struct target *t, const struct run_opts *o)
{
	struct snapshot s;
	char rootid[ROOTID_LEN + 1], *rid_err = NULL;
	enum outcome out = OUT_ERROR;
	int lock, sdfd = -1;

	openlog("sshfix", LOG_PID, LOG_AUTHPRIV);
	/* Caught from the start: a signal while the store is checked, read
	 * and hashed stops it there with a line (stop_reading); once the
	 * first change is under way it waits for the end (stop_hold). */
	stop_catch();
	if ((lock = lock_root(t->rootfd)) == -1 ||
	    (sdfd = snapdir_open(t->rootfd, o->snapdir, 0)) == -1) {
		print_result(o, "not-rolled-back", o->id, NULL, NULL,
		    err_get());
		goto out;
	}
	chain_sdfd = sdfd;
	if (rootid_get(t->rootfd, 0, rootid) == -1) {
		rid_err = xstrdup(err_get());
		rootid[0] = '\0';
	}
	if (o->id == NULL && recover_latest(t, sdfd, rootid, rid_err, o,
	    &out))
		goto out;
	if (snapshot_load(sdfd, o->id, &s) == -1) {
		if (o->id != NULL && debris_only(sdfd, o, o->id))
			out = OUT_CLEAN;
		else
			print_result(o, "not-rolled-back", o->id, NULL, NULL,
			    err_get());
		goto out;
	}
	/* Whatever a crash before any change left goes (quietly: ID is
	 * what the person asked about). */
	remove_debris(sdfd, o, 0);
	out = rollback_id(t, sdfd, &s, rootid, rid_err, o);
	snapshot_free(&s);
out:
	free(rid_err);
	free_strv(chain.undone);
	chain.undone = NULL;
	chain.n = 0;
	chain_sdfd = -1;
	if (sdfd != -1)
		close(sdfd);
	if (lock != -1)
		close(lock);
	return out;
}

int
interrupted_notice(struct target *t, const struct run_opts *o, int locked)
{
	struct snapshot x;
	char *cmd, *fin;
	int sdfd, r;

	/* An apply running now is in state "applying" too. */
	if (!locked && (r = lock_busy(t->rootfd)) != 0)
		return r == -1 ? -1 : 0;
	/* No store, none cut short; one refused is said by the caller. */
	if ((sdfd = snapdir_open(t->rootfd, o->snapdir, 0)) == -1)
		return err_refused(NULL, NULL) || stop_reading() == -1 ? -1 : 0;
	r = snapshot_find_interrupted(sdfd, &x);
	close(sdfd);
	if (r != 1)
		return r;
	cmd = snapshot_rollback_cmd(x.id, o->rootdir, o->snapdir);
	if (strcmp(x.kind, "rollback") == 0 && x.of[0] != '\0') {
		fin = snapshot_rollback_cmd(x.of, o->rootdir, o->snapdir);
		vis_line(stderr, "sshfix: a --rollback of snapshot %s was "
		    "interrupted and left this system half-changed (snapshot "
		    "%s); finish it with: %s (or put back the state before it: "
		    "%s)", x.of, x.id, fin, cmd);
		free(fin);
	} else
		vis_line(stderr, "sshfix: an --apply was interrupted and left "
		    "this system half-changed (snapshot %s); put back the "
		    "state before it with: %s", x.id, cmd);
	free(cmd);
	snapshot_free(&x);
	return 1;
}
