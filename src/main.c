/*
 * sshfix: find why sshd refuses logins on this system (or one mounted
 * elsewhere) and show the exact plan to repair it. Only main prints the
 * final error and decides the exit code; src/cli/options.c reads the
 * command line.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/options.h"
#include "report/logevidence.h"
#include "target/load.h"
#include "exec/apply.h"
#include "snapshot/listing.h"
#include "escape.h"
#include "report/explain.h"
#include "fixes/fault.h"
#include "target/login/logins.h"
#include "target/login/people.h"
#include "target/logs/logscan.h"
#include "target/keys/newkeys.h"
#include "prove/prove.h"
#include "report/preflight.h"
#include "report/report.h"
#include "snapshot/snapshot.h"
#include "os/f2bdb.h"
#include "os/fwjudge.h"
#include "os/selabel.h"
#include "os/tmpdir.h"
#include "util.h"

/*
 * An error that ends the run before any report: one line on stderr and,
 * under --json, the error document on stdout. ROOT: as far as known.
 */
static int
fail(const struct opts *o, const char *root, const char *msg)
{
	vis_line(stderr, "sshfix: %s", msg);
	if (o->run.json)
		json_error_doc(stdout, root, msg);
	return EXIT_ERROR;
}

/* fail(), and what the options hold freed. */
static int
fail_free(struct opts *o, const char *root, const char *msg)
{
	fail(o, root, msg);
	free(o->users);
	o->users = NULL;
	free_strv(o->from);
	o->from = NULL;
	return EXIT_ERROR;
}

static int
usage_error(const struct opts *o, const char *msg)
{
	fail(o, NULL, msg);
	fprintf(stderr, "Try 'sshfix --help' for more information.\n");
	return EXIT_ERROR;
}

/* A plan made from a partial view can be wrong: --apply will not start. */
static enum outcome
refuse_incomplete(const struct opts *o, struct target *t,
    const struct plan *p)
{
	struct sbuf b = { 0 };
	size_t i;

	sbuf_adds(&b, "--apply refused, nothing was changed: the diagnosis "
	    "is incomplete (");
	for (i = 0; i < t->unread.n; i++) {
		char *l = unread_line(&t->unread.v[i]);

		sbuf_addf(&b, "%s%s", i ? "; " : "", l);
		free(l);
	}
	sbuf_addc(&b, ')');
	vis_line(stderr, "sshfix: %s", b.s);
	if (o->run.json)
		report_json(stdout, t, p, &(struct run_info){ .mode = "apply",
		    .result = "not-applied", .error = b.s });
	sbuf_free(&b);
	return OUT_ERROR;
}

/*
 * sshfix's own files (its lock, its snapshot store) refused: a dry run
 * that cannot tell what an earlier run left open is incomplete, and
 * says which file and why as it says any file it could not read.
 */
static void
note_refused(struct target *t, const char *snapdir)
{
	const char *path, *why;

	if (err_refused(&path, &why))
		unread_note_why(&t->unread, path, why);
	else
		unread_note_why(&t->unread, snapdir ? snapdir : SNAPSHOT_DIR,
		    err_get());
}

/*
 * Without --user, the accounts the evidence names are judged as --user
 * would name them (people.h); none: "can any account log in?". The
 * vector (not its names) is the caller's to free.
 */
static const char **
name_targets(struct target *t)
{
	const char **v;

	if (t->users != NULL)
		return NULL;
	v = people_targets(target_people(t));
	t->users = v;
	return v;
}

static enum outcome
run_mode(struct opts *o, struct target *t)
{
	struct plan p = { 0 };
	struct run_info ri = { .mode = "dry-run" };
	struct open_measure *open = NULL;
	struct proof proof = { 0 };
	const char **targets;
	enum outcome out;
	int refused = 0;

	/* What a run killed half way left in /tmp (host keys among it). */
	if (o->mode == MODE_ROLLBACK || o->mode == MODE_APPLY)
		tmpdir_sweep();
	if (o->mode == MODE_ROLLBACK)
		return rollback_run(t, &o->run);
	/* A run cut short is said first (--apply says it, locked). A lock or
	 * store refused here, --list and --prune refuse by themselves. */
	if (o->mode != MODE_APPLY &&
	    interrupted_notice(t, &o->run, 0) == -1 &&
	    o->mode == MODE_DRY_RUN) {
		note_refused(t, o->run.snapdir);
		refused = 1;
	}
	if (o->mode == MODE_LIST)
		return list_run(t, &o->run);
	if (o->mode == MODE_PRUNE)
		return prune_run(t, &o->run);
	targets = name_targets(t);
	if (diagnose(t, &p) == -1) {
		fail(o, t->rootdir, err_get());
		plan_free(&p);
		free(targets);
		return OUT_ERROR;
	}
	logs_attach(t, &p);
	if (o->mode == MODE_APPLY && target_incomplete(t))
		out = refuse_incomplete(o, t, &p);
	else if (o->mode == MODE_APPLY)
		out = apply_run(t, &p, &o->run);
	else {
		/* "Is my key accepted?" asked of the real sshd too. */
		if (t->new_keys != NULL && t->users != NULL) {
			prove_run(t, t->new_keys, t->users, &proof);
			ri.proof = &proof;
		}
		if (snapshot_open_measures(t->rootfd, t->rootdir,
		    o->run.snapdir, &open, &ri.nopen) == -1 && !refused)
			note_refused(t, o->run.snapdir);
		ri.open = open;
		if (o->run.oneline)
			report_oneline(stdout, t, &p, &ri);
		else if (o->run.json)
			report_json(stdout, t, &p, &ri);
		else
			report_text(stdout, t, &p, o->run.color, &ri);
		/* A verdict from a partial view is not a clean bill. */
		out = target_incomplete(t) ? OUT_ERROR : p.n > 0 ||
		    ri.nopen > 0 ? OUT_REMAIN :
		    people_cannot_tell(target_people(t)) ||
		    proof_refuses(&proof) ? OUT_CANNOT_TELL : OUT_CLEAN;
		open_measures_free(open, ri.nopen);
		proof_free(&proof);
	}
	plan_free(&p);
	t->users = t->users == targets ? NULL : t->users;
	free(targets);
	return out;
}

/* --preflight: 0 safe, 1 would stop sshd or lock someone out, 2 cannot. */
static int
preflight_mode(const struct opts *o, const char *root)
{
	struct preflight_args a = { root, o->candidate, o->as, o->users,
	    (const char **)o->from };
	struct preflight pf;
	int rc;

	if (preflight_run(&a, &pf) == -1) {
		char *msg = xasprintf("preflight: %s", err_get());

		fail(o, root, msg);
		free(msg);
		return EXIT_ERROR;
	}
	/* A refusal goes where validators look: Ansible's lineinfile and
	 * its kin show only the validating command's standard error. */
	if (o->run.json)
		preflight_json(stdout, &pf, root);
	else
		preflight_text(pf.safe ? stdout : stderr, &pf);
	rc = pf.safe ? EXIT_CLEAN : EXIT_FAULTS;
	preflight_free(&pf);
	return rc;
}

/*
 * --explain: the client log alone, or with the server's dry run when
 * the server is here (--root, or the log connected to this machine).
 * 0 the login worked, 1 a problem shown, 2 nothing recognised.
 */
static int
explain_mode(const struct opts *o, const char *root)
{
	struct client_log cl;
	struct target t;
	struct plan p = { 0 }, *pp = NULL;
	const char *user[2] = { NULL, NULL };
	int rc, combine;

	if (explain_read(o->explain, &cl) == -1)
		return fail(o, NULL, err_get());
	combine = cl.n > 0 && (o->root_given || explain_local(&cl));
	if (combine && target_open(&t, root) == -1) {
		explain_free(&cl);
		return fail(o, root, err_get());
	}
	if (combine) {
		user[0] = cl.user;
		t.users = o->users != NULL ? o->users : cl.user ? user : NULL;
		t.from = (const char **)o->from;
		t.log_since = o->since;
		t.offered = cl.offered[0] != NULL ? cl.offered : NULL;
		/* The log's account may not exist there: said as such, and
		 * then every account is judged. */
		rc = diagnose(&t, &p);
		if (rc == -1 && t.users == user) {
			plan_free(&p);
			t.users = NULL;
			cl.nouser = 1;
			rc = diagnose(&t, &p);
		}
		if (rc == -1) {
			rc = fail(o, root, err_get());
			goto out;
		}
		pp = &p;
	}
	if (o->run.json)
		explain_json(stdout, &cl, combine ? root : NULL, pp);
	else
		explain_text(stdout, &cl, root, pp);
	if (cl.n == 0)
		vis_line(stderr, "sshfix: --explain %s: %s", o->explain,
		    EXPLAIN_NOTHING);
	rc = cl.n == 0 || (combine && target_incomplete(&t)) ? EXIT_ERROR :
	    cl.n == 1 && strcmp(cl.c[0].kind->id, "authenticated") == 0 ?
	    EXIT_CLEAN : EXIT_FAULTS;
out:
	plan_free(&p);
	if (combine)
		target_close(&t);
	explain_free(&cl);
	return rc;
}

/*
 * Colour for the text report: --color=always/never, else (auto) on a
 * terminal unless NO_COLOR is set to a non-empty value (no-color.org) or
 * TERM is dumb or unset.
 */
static int
use_color(enum color_when when)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (when != COLOR_AUTO)
		return when == COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0') &&
	    term != NULL && *term != '\0' && strcmp(term, "dumb") != 0;
}

int
main(int argc, char **argv)
{
	struct opts o = { .root = "/", .since = -1 };
	struct target t;
	char root[PATH_MAX], **keys = NULL;
	int rc;

	/* sshfix run again by itself, in the sandbox: os/selabel.h,
	   os/fwjudge.h, os/f2bdb.h. */
	if (argc == 3 && strcmp(argv[1], SELABEL_HELPER_ARG) == 0)
		return selabel_helper(argv[2]);
	if (argc > 2 && strcmp(argv[1], FWJ_HELPER_ARG) == 0)
		return fwj_helper(argc, argv);
	if (argc > 2 && strcmp(argv[1], F2B_HELPER_ARG) == 0)
		return f2b_helper(argc, argv);
	if (options_parse(argc, argv, &o) == -1)
		return usage_error(&o, err_get());
	if (o.mode != MODE_DRY_RUN && o.mode != MODE_PREFLIGHT &&
	    o.mode != MODE_EXPLAIN && geteuid() != 0)
		return fail(&o, o.root, "--apply, --rollback, --list and "
		    "--prune must run as root");
	if (realpath(o.root, root) == NULL) {
		err_set("--root %s: %s", o.root, strerror(errno));
		return fail_free(&o, o.root, err_get());
	}
	if (o.mode == MODE_PREFLIGHT || o.mode == MODE_EXPLAIN) {
		rc = o.mode == MODE_EXPLAIN ? explain_mode(&o, root) :
		    preflight_mode(&o, root);
		if (fflush(stdout) == EOF || ferror(stdout))
			rc = EXIT_ERROR;
		free(o.users);
		free_strv(o.from);
		return rc;
	}
	if (o.key != NULL && (keys = newkeys_load(o.key)) == NULL)
		return fail_free(&o, root, err_get());
	if (target_open(&t, root) == -1) {
		free_strv(keys);
		return fail_free(&o, root, err_get());
	}
	o.run.rootdir = root;
	t.users = o.users;
	t.new_keys = keys;
	t.allow_root_pw = o.allow_root_pw;
	t.no_pw_route = o.no_pw_route;
	t.from = (const char **)o.from;
	t.log_since = o.since;
	o.run.color = use_color(o.color);
	rc = (int)run_mode(&o, &t);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		vis_line(stderr, "sshfix: writing the report: %s",
		    strerror(errno));
		/* What --apply or --rollback changed stays said by the
		 * status: 2 would claim nothing was. */
		if (o.mode != MODE_APPLY && o.mode != MODE_ROLLBACK)
			rc = EXIT_ERROR;
	}
	target_close(&t);
	free(o.users);
	free_strv(o.from);
	free_strv(keys);
	return rc;
}
