/*
 * sshfix: find why sshd refuses logins on this system (or one mounted
 * elsewhere) and show the exact plan to repair it. Only main prints the
 * final error and decides the exit code.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/logevidence.h"
#include "target/load.h"
#include "target/config/addrmatch.h"
#include "exec/apply.h"
#include "escape.h"
#include "report/explain.h"
#include "fixes/fault.h"
#include "target/login/logins.h"
#include "target/logs/logscan.h"
#include "target/keys/newkeys.h"
#include "report/preflight.h"
#include "target/judge.h"
#include "report/report.h"
#include "snapshot/snapshot.h"
#include "os/tmpdir.h"
#include "util.h"

#define EXIT_CLEAN	0
#define EXIT_FAULTS	1
#define EXIT_ERROR	2

static const char usage_text[] =
"usage: sshfix [--dry-run | --apply | --rollback [ID] | --list |\n"
"               --prune [--keep N] | --preflight CANDIDATE [--as PATH] |\n"
"               --explain [FILE|-]]\n"
"              [--root DIR] [--user NAME]... [--authorized-key KEY|FILE]\n"
"              [--from ADDR]... [--since TIME]\n"
"              [--allow-root-password | --no-password-route]\n"
"              [--json | --oneline]\n"
"              [--no-reload] [--force] [--no-target-exec]\n"
"              [--snapshot-dir DIR]\n"
"\n"
"Find why sshd refuses SSH logins, show the repair plan, and apply it.\n"
"\n"
"  -n, --dry-run              diagnose and print the plan; change nothing\n"
"                             (the default)\n"
"  -a, --apply                snapshot what the plan touches, apply it,\n"
"                             check the faults are gone, reload sshd\n"
"      --rollback [ID]        put back the newest (or the given) snapshot\n"
"  -l, --list                 list the snapshots (state, size)\n"
"      --prune                remove old snapshots: all but the --keep\n"
"                             newest and those still needed\n"
"      --keep N               with --prune: how many of the newest to\n"
"                             keep (default 5)\n"
"      --preflight CANDIDATE  would sshd still start, and every account\n"
"                             that gets in now (or each --user) still get\n"
"                             in, if CANDIDATE replaced the file? exit 0\n"
"                             safe, 1 not (one line per problem); changes\n"
"                             nothing\n"
"      --as PATH              with --preflight: the file CANDIDATE would\n"
"                             replace or add (default\n"
"                             /etc/ssh/sshd_config)\n"
"      --explain [FILE|-]     say what a client's ssh -v output (FILE, or\n"
"                             standard input) shows and the next step;\n"
"                             with --root, or run on the server, with\n"
"                             the server's findings; exit 0 the login\n"
"                             worked, 1 a problem shown\n"
"  -r, --root DIR             work on the system mounted at DIR (rescue\n"
"                             disk); everything is read under DIR\n"
"  -u, --user NAME            the account that must be able to log in\n"
"                             (repeatable; default: any login account)\n"
"  -k, --authorized-key KEY|FILE\n"
"                             install this public key (or the keys in\n"
"                             FILE) for the locked-out account\n"
"      --from ADDR            the address you connect from (repeatable):\n"
"                             judge user@host, from= and Match Address\n"
"                             for it\n"
"      --since TIME           read the target's sshd log lines from TIME\n"
"                             on (YYYY-MM-DD[ HH:MM[:SS]] UTC, or Nd, Nh,\n"
"                             Nm ago; default: 7 days before the newest)\n"
"      --allow-root-password  a locked-out root that has only a password\n"
"                             may be opened with PermitRootLogin yes\n"
"      --no-password-route    never open password login, not even the\n"
"                             temporary route (unattended runs)\n"
"  -j, --json                 print one JSON document instead of text\n"
"      --oneline              print one summary line (serial console, log)\n"
"      --no-reload            do not reload or start sshd after --apply\n"
"      --force                roll back even over later changes\n"
"      --no-target-exec       never run a program of the target's: its\n"
"                             configuration is judged by this machine's\n"
"                             sshd (sandboxed) and the release table\n"
"      --snapshot-dir DIR     keep snapshots in DIR instead of\n"
"                             ROOT/var/lib/sshfix/snapshots\n"
"  -h, --help                 show this help\n"
"  -V, --version              show the version\n"
"\n"
"Exit status: 0 nothing (left) to fix, 1 faults found (dry run) or left\n"
"that need a person, 2 usage error or cannot run (nothing changed), or\n"
"the diagnosis is incomplete (a file it needs could not be read: see the\n"
"\"incomplete:\" lines; --apply then refuses to start), 3 apply failed\n"
"and everything was restored, or rollback refused, 4 apply or rollback\n"
"failed and putting things back failed too (see the snapshot named).\n";

enum mode { MODE_DRY_RUN, MODE_APPLY, MODE_ROLLBACK, MODE_LIST, MODE_PRUNE,
	MODE_PREFLIGHT, MODE_EXPLAIN };

struct opts {
	enum mode	  mode;
	int		  nmodes;
	const char	 *root;
	const char	**users;
	size_t		  nusers;
	const char	 *key;
	int		  allow_root_pw;
	int		  no_pw_route;
	char		**from;		/* --from, canonical */
	size_t		  nfrom;
	const char	 *keep;		/* --keep N, as given */
	const char	 *candidate;	/* --preflight CANDIDATE */
	const char	 *as;		/* --as PATH */
	time_t		  since;	/* --since, -1: the default window */
	const char	 *explain;	/* --explain FILE */
	int		  root_given;
	struct run_opts	  run;
};

enum { OPT_NO_RELOAD = 256, OPT_FORCE, OPT_SNAPDIR, OPT_ONELINE,
    OPT_ALLOW_ROOT_PW, OPT_NO_PW_ROUTE, OPT_FROM, OPT_PRUNE, OPT_KEEP,
    OPT_ROLLBACK, OPT_PREFLIGHT, OPT_AS, OPT_SINCE, OPT_EXPLAIN,
    OPT_NO_TARGET_EXEC };

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

static int
usage_error(const struct opts *o, const char *msg)
{
	fail(o, NULL, msg);
	fprintf(stderr, "Try 'sshfix --help' for more information.\n");
	return EXIT_ERROR;
}

static void
set_mode(struct opts *o, enum mode m)
{
	if (o->nmodes++ == 0 || o->mode != m)
		o->mode = m;
}

/* --from ADDR: a numeric address, kept as sshd would print it. */
static int
add_from(struct opts *o, const char *arg)
{
	char buf[NI_MAXHOST];

	if (addr_canonical(arg, buf, sizeof(buf)) == -1) {
		err_set("--from %s: not an IPv4 or IPv6 address", arg);
		return -1;
	}
	o->from = xreallocarray(o->from, o->nfrom + 2, sizeof(*o->from));
	o->from[o->nfrom++] = xstrdup(buf);
	o->from[o->nfrom] = NULL;
	return 0;
}

/* --keep N: digits only (no sign, no space), with --prune only. */
static int
parse_keep(struct opts *o)
{
	const char *p = o->keep;

	o->run.keep = 5;
	if (p == NULL)
		return 0;
	if (o->mode != MODE_PRUNE) {
		err_set("--keep goes with --prune");
		return -1;
	}
	if (*p == '\0' || strspn(p, "0123456789") != strlen(p) ||
	    strlen(p) > 9) {
		err_set("--keep %s: not a number of snapshots (0 to "
		    "999999999)", p);
		return -1;
	}
	o->run.keep = (size_t)strtoul(p, NULL, 10);
	return 0;
}

/* What goes with --preflight, and what does not. */
static int
check_preflight(const struct opts *o)
{
	if (o->as != NULL && o->mode != MODE_PREFLIGHT) {
		err_set("--as goes with --preflight");
		return -1;
	}
	if (o->mode != MODE_PREFLIGHT)
		return 0;
	if (o->key != NULL || o->allow_root_pw || o->no_pw_route ||
	    o->run.oneline) {
		err_set("--preflight changes nothing: --authorized-key, "
		    "--allow-root-password, --no-password-route and --oneline "
		    "do not go with it");
		return -1;
	}
	return 0;
}

/*
 * getopt's complaint, naming the option: C is ':' (its argument is
 * missing) or '?' (unknown); ARG the word it was in.
 */
static void
bad_option(int c, const char *arg)
{
	char name[3] = { '-', (char)optopt, '\0' };
	const char *opt = strncmp(arg, "--", 2) == 0 || optopt == 0 ? arg :
	    name;

	if (c == ':')
		err_set("option '%.*s' needs an argument",
		    (int)strcspn(opt, "="), opt);
	else if (optopt == 'R')
		err_set("unknown option '-R' (--rollback has no short form: "
		    "write --rollback; for the root of a mounted disk use "
		    "--root DIR or -r DIR)");
	else
		err_set("unknown option '%s'", opt);
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "apply", no_argument, NULL, 'a' },
		{ "rollback", optional_argument, NULL, OPT_ROLLBACK },
		{ "list", no_argument, NULL, 'l' },
		{ "prune", no_argument, NULL, OPT_PRUNE },
		{ "keep", required_argument, NULL, OPT_KEEP },
		{ "preflight", required_argument, NULL, OPT_PREFLIGHT },
		{ "as", required_argument, NULL, OPT_AS },
		{ "explain", optional_argument, NULL, OPT_EXPLAIN },
		{ "root", required_argument, NULL, 'r' },
		{ "user", required_argument, NULL, 'u' },
		{ "authorized-key", required_argument, NULL, 'k' },
		{ "allow-root-password", no_argument, NULL,
		    OPT_ALLOW_ROOT_PW },
		{ "no-password-route", no_argument, NULL, OPT_NO_PW_ROUTE },
		{ "no-target-exec", no_argument, NULL, OPT_NO_TARGET_EXEC },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "json", no_argument, NULL, 'j' },
		{ "no-reload", no_argument, NULL, OPT_NO_RELOAD },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "snapshot-dir", required_argument, NULL, OPT_SNAPDIR },
		{ "oneline", no_argument, NULL, OPT_ONELINE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, bad = 0;

	/* Past a bad option on: a --json after it still asks for JSON. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":nalr:u:k:jhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'n':
			set_mode(o, MODE_DRY_RUN);
			break;
		case 'a':
			set_mode(o, MODE_APPLY);
			break;
		case OPT_ROLLBACK:
			set_mode(o, MODE_ROLLBACK);
			o->run.id = optarg;
			break;
		case 'l':
			set_mode(o, MODE_LIST);
			break;
		case OPT_PRUNE:
			set_mode(o, MODE_PRUNE);
			break;
		case OPT_KEEP:
			o->keep = optarg;
			break;
		case OPT_PREFLIGHT:
			set_mode(o, MODE_PREFLIGHT);
			o->candidate = optarg;
			break;
		case OPT_AS:
			o->as = optarg;
			break;
		case OPT_EXPLAIN:
			set_mode(o, MODE_EXPLAIN);
			o->explain = optarg;
			break;
		case 'r':
			o->root = optarg;
			o->root_given = 1;
			break;
		case 'u':
			o->users = xreallocarray(o->users, o->nusers + 2,
			    sizeof(*o->users));
			o->users[o->nusers++] = optarg;
			o->users[o->nusers] = NULL;
			break;
		case 'k':
			o->key = optarg;
			break;
		case 'j':
			o->run.json = 1;
			break;
		case OPT_NO_RELOAD:
			o->run.no_reload = 1;
			break;
		case OPT_FORCE:
			o->run.force = 1;
			break;
		case OPT_SNAPDIR:
			o->run.snapdir = optarg;
			break;
		case OPT_ONELINE:
			o->run.oneline = 1;
			break;
		case OPT_ALLOW_ROOT_PW:
			o->allow_root_pw = 1;
			break;
		case OPT_NO_PW_ROUTE:
			o->no_pw_route = 1;
			break;
		case OPT_NO_TARGET_EXEC:
			judge_no_target_exec();
			break;
		case OPT_FROM:
			if (!bad && add_from(o, optarg) == -1)
				bad = 1;
			break;
		case OPT_SINCE:
			if (!bad && log_parse_since(optarg, time(NULL),
			    &o->since) == -1) {
				err_set("--since %s: not YYYY-MM-DD[ HH:MM[:SS]] "
				    "nor Nd, Nh, Nm", optarg);
				bad = 1;
			}
			break;
		case 'h':
			if (bad)
				break;
			fputs(usage_text, stdout);
			exit(EXIT_CLEAN);
		case 'V':
			if (bad)
				break;
			printf("sshfix %s\n", SSHFIX_VERSION);
			exit(EXIT_CLEAN);
		default:
			if (!bad)
				bad_option(c, argv[optind - 1]);
			bad = 1;
			break;
		}
	}
	if (bad)
		return -1;
	/* "--rollback ID" as well as "--rollback=ID". */
	if (o->mode == MODE_ROLLBACK && o->run.id == NULL && optind < argc)
		o->run.id = argv[optind++];
	if (o->mode == MODE_EXPLAIN && o->explain == NULL)
		o->explain = optind < argc ? argv[optind++] : "-";
	if (optind < argc) {
		err_set("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->nmodes > 1) {
		err_set("choose one of --dry-run, --apply, --rollback, --list, "
		    "--prune, --preflight, --explain");
		return -1;
	}
	if (check_preflight(o) == -1)
		return -1;
	if (parse_keep(o) == -1)
		return -1;
	if (o->mode == MODE_EXPLAIN && o->run.oneline) {
		err_set("--explain prints text or --json, not --oneline");
		return -1;
	}
	if (o->run.json && o->run.oneline) {
		err_set("--json and --oneline: choose one output");
		return -1;
	}
	if (o->allow_root_pw && o->no_pw_route) {
		err_set("--allow-root-password and --no-password-route: "
		    "choose one");
		return -1;
	}
	if (o->run.force && o->mode != MODE_ROLLBACK) {
		err_set("--force goes with --rollback");
		return -1;
	}
	if (o->run.no_reload && o->mode != MODE_APPLY &&
	    o->mode != MODE_ROLLBACK) {
		err_set("--no-reload goes with --apply or --rollback");
		return -1;
	}
	if (o->run.snapdir != NULL && o->run.snapdir[0] != '/') {
		err_set("--snapshot-dir needs an absolute path");
		return -1;
	}
	return 0;
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

static enum outcome
run_mode(struct opts *o, struct target *t)
{
	struct plan p = { 0 };
	struct run_info ri = { .mode = "dry-run" };
	struct open_measure *open = NULL;
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
	if (diagnose(t, &p) == -1) {
		fail(o, t->rootdir, err_get());
		plan_free(&p);
		return OUT_ERROR;
	}
	logs_attach(t, &p);
	if (o->mode == MODE_APPLY && target_incomplete(t))
		out = refuse_incomplete(o, t, &p);
	else if (o->mode == MODE_APPLY)
		out = apply_run(t, &p, &o->run);
	else {
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
		    ri.nopen > 0 ? OUT_REMAIN : OUT_CLEAN;
		open_measures_free(open, ri.nopen);
	}
	plan_free(&p);
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

int
main(int argc, char **argv)
{
	struct opts o = { .root = "/", .since = -1 };
	struct target t;
	char root[PATH_MAX], **keys = NULL;
	int rc;

	if (parse_args(argc, argv, &o) == -1)
		return usage_error(&o, err_get());
	if (o.mode != MODE_DRY_RUN && o.mode != MODE_PREFLIGHT &&
	    o.mode != MODE_EXPLAIN && geteuid() != 0)
		return fail(&o, o.root, "--apply, --rollback, --list and "
		    "--prune must run as root");
	if (realpath(o.root, root) == NULL) {
		err_set("--root %s: %s", o.root, strerror(errno));
		return fail(&o, o.root, err_get());
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
		return fail(&o, root, err_get());
	if (target_open(&t, root) == -1) {
		free_strv(keys);
		return fail(&o, root, err_get());
	}
	o.run.rootdir = root;
	t.users = o.users;
	t.new_keys = keys;
	t.allow_root_pw = o.allow_root_pw;
	t.no_pw_route = o.no_pw_route;
	t.from = (const char **)o.from;
	t.log_since = o.since;
	o.run.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
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
