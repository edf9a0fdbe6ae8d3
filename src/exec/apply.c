/*
 * --apply: plan (the dry run's code), validate config edits, snapshot
 * every path the plan touches, carry out the actions, detect again; on
 * any failure put everything back from the snapshot.
 */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "target/load.h"
#include "os/lock.h"
#include "exec/apply.h"
#include "prove/prove.h"
#include "escape.h"
#include "exec/executor.h"
#include "fixes/fault.h"
#include "exec/liveness.h"
#include "target/login/logins.h"
#include "report/report.h"
#include "exec/service.h"
#include "os/safewrite.h"
#include "snapshot/snapshot.h"
#include "os/stop.h"
#include "util.h"

#define INTERRUPTED_FIRST	"an interrupted run must be put back first; " \
				"nothing was changed"

struct run {
	struct target	*t;
	struct plan	*p;
	const struct run_opts *o;
	struct run_info	 ri;
	struct sbuf	 err;
	char		**done;
	size_t		 ndone;
	struct plan	 after;
	int		 after_loaded;
	struct proof	 proof;
};

static void
note_done(struct run *r, const struct action *a)
{
	char *s = action_describe(r->t, a);

	/* The log of the machine sshfix runs on: the rescue VM's too. */
	log_msg(LOG_AUTHPRIV | LOG_NOTICE, "changed %s (snapshot %s): %s",
	    r->t->rootdir, r->ri.snapshot ? r->ri.snapshot : "none", s);
	r->done = xreallocarray(r->done, r->ndone + 2, sizeof(*r->done));
	r->done[r->ndone++] = s;
	r->done[r->ndone] = NULL;
	r->ri.done = r->done;
}

static void
set_error(struct run *r, const char *msg)
{
	sbuf_free(&r->err);
	sbuf_adds(&r->err, msg);
	r->ri.error = r->err.s;
}

/* The report says every temporary measure left open, this run's too. */
static void
finish(struct run *r)
{
	struct open_measure *open;

	/* A store refused (what refused this run, say) has none to say. */
	if (snapshot_open_measures(r->t->rootfd, r->t->rootdir, r->o->snapdir,
	    &open, &r->ri.nopen) == -1)
		r->ri.nopen = 0;
	r->ri.open = open;
	if (r->o->oneline)
		report_oneline(stdout, r->t, r->p, &r->ri);
	else if (r->o->json)
		report_json(stdout, r->t, r->p, &r->ri);
	else
		report_text(stdout, r->t, r->p, r->o->color, &r->ri);
	open_measures_free(open, r->ri.nopen);
	r->ri.open = NULL;
	r->ri.nopen = 0;
}

/* Every fault the plan claimed to fix must be gone. */
static int
verify(struct run *r)
{
	struct target t2;
	size_t i, j;

	if (target_open(&t2, r->t->rootdir) == -1)
		return -1;
	t2.users = r->t->users;
	t2.from = r->t->from;
	if (diagnose(&t2, &r->after) == -1) {
		target_close(&t2);
		return -1;
	}
	r->after_loaded = 1;
	r->ri.remaining = &r->after;
	for (i = 0; i < r->p->n; i++) {
		if (!plan_is_automatic(&r->p->f[i]))
			continue;
		for (j = 0; j < r->after.n; j++)
			if (r->after.f[j].fault == r->p->f[i].fault &&
			    strcmp(r->after.f[j].subject,
			    r->p->f[i].subject) == 0) {
				err_set("%s on %s is still there after the "
				    "fix", r->p->f[i].fault->id,
				    r->p->f[i].subject);
				target_close(&t2);
				return -1;
			}
	}
	target_close(&t2);
	return 0;
}

static int
execute(struct run *r, const struct edits *ed)
{
	size_t i, j;

	for (i = 0; i < r->p->n; i++)
		for (j = 0; j < r->p->f[i].nact; j++) {
			const struct action *a = &r->p->f[i].act[j];

			if (stop_check() == -1 || executor_run(r->t, a) == -1)
				return -1;
			if (a->type != ACT_MANUAL && a->type != ACT_EDIT_LINE)
				note_done(r, a);
		}
	if (stop_check() == -1 || executor_write_edits(r->t, ed) == -1)
		return -1;
	for (i = 0; i < r->p->n; i++)
		for (j = 0; j < r->p->f[i].nact; j++)
			if (r->p->f[i].act[j].type == ACT_EDIT_LINE)
				note_done(r, &r->p->f[i].act[j]);
	return stop_check() == -1 ? -1 : verify(r);
}

static int
has_error(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].sev == SEV_ERROR)
			return 1;
	return 0;
}

/*
 * Did a fault of the plan keep sshd from starting? Then start it, not
 * only reload it. A restored sshd_config starts it only when nothing
 * found after it (AFTER) would stop it again.
 */
static int
blocks_start(const struct plan *p, const struct plan *after)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].sev == SEV_ERROR &&
		    (p->f[i].fault == &fault_hostkey_perms ||
		    p->f[i].fault == &fault_hostkey_missing ||
		    p->f[i].fault == &fault_address_family ||
		    p->f[i].fault == &fault_listen_address ||
		    (p->f[i].fault == &fault_sshd_absent &&
		    plan_is_automatic(&p->f[i]) && !has_error(after))))
			return 1;
	return 0;
}

static void
say_service(struct run *r, const char *what)
{
	static char keep[1024];
	size_t n = strlen(keep);

	if (r->ri.service == NULL)
		n = 0;
	snprintf(keep + n, sizeof(keep) - n, "%s%s", n ? "; " : "",
	    what ? what : "");
	r->ri.service = keep;
}

/*
 * Reload or start sshd, then prove it lives with the new configuration.
 * -1 (err_set): it does not; what it printed is in the error.
 */
static int
reload(struct run *r, int start)
{
	struct live_before b = { NULL, 0, 0 };
	struct cfg now;
	char *what = NULL, *why;
	int rc = 0, sr;

	if (!r->t->live || r->o->no_reload)
		return 0;
	liveness_before(&r->t->cfg, &b);
	sr = service_reload(r->t, start, &what);
	if (sr == -1 && what)
		log_msg(LOG_AUTHPRIV | LOG_WARNING, "%s", what);
	say_service(r, what);
	if (start != 2 && strcmp(what ? what : "",
	    "sshd is not running; left alone") != 0 &&
	    cfg_load(&now, r->t->rootfd, SSHD_CONFIG, NULL) == 0) {
		if (liveness_check(&now, &b, 5000) == -1) {
			char *miss = xstrdup(err_get());

			why = sr == -1 ? xstrdup(what) : service_status();
			err_set("%s; %s", miss, why);
			free(miss);
			free(why);
			rc = -1;
		}
		cfg_free(&now);
	}
	liveness_free(&b);
	free(what);
	return rc;
}

/*
 * Something failed after the snapshot: put everything back. The state
 * and the outcome say what is true: "restored" (exit 3) or, when putting
 * back failed too, "restore-failed" (exit 4).
 */
static enum outcome
put_back(struct run *r, int sdfd, struct snapshot *s)
{
	enum outcome out = OUT_RESTORED;

	set_error(r, err_get());
	r->ri.result = "restored";
	if (snapshot_restore(r->t->rootfd, sdfd, s, s->rootid) == -1) {
		sbuf_addf(&r->err, "; putting things back failed too: %s; "
		    "snapshot %s holds the state before", err_get(), s->id);
		r->ri.error = r->err.s;
		r->ri.result = "restore-failed";
		out = OUT_BROKEN;
	}
	if (snapshot_set_state(sdfd, s, r->ri.result) == -1) {
		sbuf_addf(&r->err, "; %s", err_get());
		r->ri.error = r->err.s;
	}
	/* A seal or state write the failure cut short left its temp. */
	snapshot_remove_tmp(sdfd, s->id);
	return out;
}

/*
 * The temporary edits of F as one line, "PATH: LINE, LINE", recorded in
 * the snapshot so that later dry runs say they are still in place.
 */
static void
add_temporary(struct snapshot *s, const struct finding *f)
{
	struct sbuf b = { 0 };
	const char *path = NULL;
	size_t j;

	for (j = 0; j < f->nact; j++) {
		const struct action *a = &f->act[j];

		if (!a->temporary || a->type != ACT_EDIT_LINE)
			continue;
		if (path == NULL || strcmp(path, a->path) != 0)
			sbuf_addf(&b, "%s%s: ", path ? "; " : "", a->path);
		else
			sbuf_adds(&b, ", ");
		path = a->path;
		sbuf_adds(&b, a->new_text + strspn(a->new_text, " \t"));
	}
	if (b.s != NULL)
		snapshot_add_temporary(s, f->user ? f->user : f->subject, b.s);
	sbuf_free(&b);
}

static enum outcome
apply_changes(struct run *r, const struct edits *ed, int sdfd)
{
	struct snapshot s;
	size_t i;
	enum outcome out;

	snapshot_init(&s, "apply");
	for (i = 0; i < r->p->n; i++)
		if (plan_is_automatic(&r->p->f[i])) {
			snapshot_add_finding(&s, r->p->f[i].fault->id,
			    r->p->f[i].subject);
			add_temporary(&s, &r->p->f[i]);
		}
	executor_paths(r->t, r->p, &s);
	/* Nothing changes before the snapshot is whole and says so. */
	if (rootid_get(r->t->rootfd, 1, s.rootid) == -1 ||
	    snapshot_write(r->t->rootfd, sdfd, &s) == -1 ||
	    snapshot_set_state(sdfd, &s, SNAP_INTERRUPTED) == -1) {
		set_error(r, err_get());
		if (s.id[0] != '\0')	/* written, but never in force */
			snapshot_remove(sdfd, s.id);
		r->ri.result = "not-applied";
		snapshot_free(&s);
		return err_io() ? OUT_RESTORED : OUT_ERROR;
	}
	/* From here on a crash is recovered from S: what it leaves behind
	 * carries its id. A signal stops it between two changes (execute),
	 * and putting back, which reads S again, runs to its end. */
	stop_hold();
	sfw_set_tag(s.id);
	r->ri.snapshot = xstrdup(s.id);
	r->ri.undo = snapshot_rollback_cmd(s.id, r->t->rootdir, r->o->snapdir);
	/* The after-manifest is part of an apply: without it no rollback
	 * can check for later changes, so its failure undoes the apply. */
	if (execute(r, ed) == -1 ||
	    snapshot_write_after(r->t->rootfd, sdfd, &s) == -1 ||
	    stop_check() == -1 ||
	    snapshot_set_state(sdfd, &s, "applied") == -1) {
		out = put_back(r, sdfd, &s);
		snapshot_free(&s);
		return out;
	}
	r->ri.result = "applied";
	if (reload(r, blocks_start(r->p, &r->after)) == -1 || stop_check() == -1) {
		/* A fix that leaves sshd dead is undone: back as it was. */
		out = put_back(r, sdfd, &s);
		reload(r, 2);
		snapshot_free(&s);
		return out;
	}
	out = r->after.n > 0 ? OUT_REMAIN : OUT_CLEAN;
	/* The repair asked of the real sshd: a key it still does not
	 * accept leaves the person out, whatever the model says. */
	if (r->t->users != NULL) {
		prove_run(r->t, r->t->new_keys, r->t->users, &r->proof);
		r->ri.proof = &r->proof;
		if (proof_refuses(&r->proof))
			out = OUT_REMAIN;
	}
	snapshot_free(&s);
	return out;
}

enum outcome
apply_run(struct target *t, struct plan *p, const struct run_opts *o)
{
	struct run r = { .t = t, .p = p, .o = o };
	struct edits ed = { 0 };
	enum outcome out = OUT_ERROR;
	int lock = -1, sdfd = -1, v;
	size_t i, nauto = 0;
	char **ids;

	r.ri.mode = "apply";
	/* An interrupted run comes first: its state is no base for a plan. */
	if ((v = interrupted_notice(t, o, 0)) != 0) {
		set_error(&r, v == -1 ? err_get() : INTERRUPTED_FIRST);
		r.ri.result = "not-applied";
		finish(&r);
		sbuf_free(&r.err);
		return OUT_ERROR;
	}
	for (i = 0; i < p->n; i++)
		nauto += (size_t)plan_is_automatic(&p->f[i]);
	if (nauto == 0) {
		r.ri.result = "nothing-to-do";
		r.ri.remaining = p;
		finish(&r);
		return p->n > 0 ? OUT_REMAIN : OUT_CLEAN;
	}
	openlog("sshfix", LOG_PID, LOG_AUTHPRIV);
	stop_catch();
	if ((lock = lock_root(t->rootfd)) == -1 ||
	    edits_build(t, p, &ed) == -1) {
		set_error(&r, err_get());
		r.ri.result = "not-applied";
		out = err_io() ? OUT_RESTORED : OUT_ERROR;
		goto out;
	}
	if ((v = interrupted_notice(t, o, 1)) != 0) {
		set_error(&r, v == -1 ? err_get() : INTERRUPTED_FIRST);
		r.ri.result = "not-applied";
		goto out;
	}
	/* A config sshd would reject is never written; nothing changes. */
	if (ed.n > 0 && (v = validate_config(t, ed.f, ed.n)) != 0) {
		set_error(&r, err_get());
		r.ri.result = "not-applied";
		out = v == -1 || err_io() ? OUT_RESTORED : OUT_ERROR;
		goto out;
	}
	if ((sdfd = snapdir_open(t->rootfd, o->snapdir, 1)) == -1) {
		set_error(&r, err_get());
		r.ri.result = "not-applied";
		out = err_io() ? OUT_RESTORED : OUT_ERROR;
		goto out;
	}
	/* Debris of a run that crashed before its first change goes. */
	ids = snapshot_debris(sdfd);
	for (i = 0; ids != NULL && ids[i] != NULL; i++)
		snapshot_remove(sdfd, ids[i]);
	free_strv(ids);
	out = apply_changes(&r, &ed, sdfd);
out:
	finish(&r);
	if (sdfd != -1)
		close(sdfd);
	if (lock != -1)
		close(lock);
	edits_free(&ed);
	free_strv(r.done);
	free((char *)r.ri.snapshot);
	free(r.ri.undo);
	sbuf_free(&r.err);
	if (r.after_loaded)
		plan_free(&r.after);
	proof_free(&r.proof);
	return out;
}
