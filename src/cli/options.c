/*
 * The command line: one table names every option, its short form, its
 * argument and what it sets; getopt_long's tables are made from it. Then
 * the checks of what goes together, in the order their errors are said.
 */
#include <getopt.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/options.h"
#include "target/config/addrmatch.h"
#include "target/judge.h"
#include "target/logs/logscan.h"
#include "util.h"

static const char usage_text[] =
"usage: sshfix [--dry-run | --apply | --rollback [ID] | --list |\n"
"               --prune [--keep N] | --preflight CANDIDATE [--as PATH] |\n"
"               --explain [FILE|-]]\n"
"              [--root DIR] [--user NAME]... [--authorized-key KEY|FILE]\n"
"              [--from ADDR]... [--since TIME]\n"
"              [--allow-root-password | --no-password-route]\n"
"              [--json | --oneline] [--color[=WHEN]]\n"
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
"                             (repeatable; default: the accounts the\n"
"                             evidence names, see sshfix(8))\n"
"  -k, --authorized-key KEY|FILE\n"
"                             this public key (or the keys in FILE): is\n"
"                             it accepted for the account? if not,\n"
"                             install it (key-offered, auth-lockout)\n"
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
"      --color[=WHEN]         colour the text report: auto (the default:\n"
"                             on a terminal, unless NO_COLOR is set and\n"
"                             not empty or TERM is dumb), always, never\n"
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
"failed and putting things back failed too (see the snapshot named), 5\n"
"cannot tell: no fault found, but the access table has an account it\n"
"could not judge (never a clean bill).\n";

/* What an option does with itself and its argument. */
enum kind {
	K_MODE,		/* choose MODE; its argument (if any) to FIELD */
	K_FLAG,		/* FIELD, an int, = 1 */
	K_STRING,	/* FIELD, a const char *, = the argument */
	K_CALL,		/* FN(o, argument) */
	K_CHECK,	/* FN(o, argument), unless an option before it was
			   refused (that error is the one said): -1 refuses */
};

struct cli_option {
	const char	*name;		/* the long form */
	int		 letter;	/* the short form, or 0 */
	int		 has_arg;	/* NO_ARG, ARG or OPT_ARG */
	enum kind	 kind;
	enum mode	 mode;		/* K_MODE */
	size_t		 field;		/* K_MODE, K_FLAG, K_STRING: F() */
	int		(*fn)(struct opts *, const char *);
};

#define NO_ARG		no_argument
#define ARG		required_argument
#define OPT_ARG		optional_argument
#define F(member)	offsetof(struct opts, member)

#define MODE(n, c, a, m, f)	{ n, c, a, K_MODE, m, f, NULL }
#define FLAG(n, c, f)		{ n, c, NO_ARG, K_FLAG, 0, f, NULL }
#define STRING(n, c, f)		{ n, c, ARG, K_STRING, 0, f, NULL }
#define CALL(n, c, a, fn)	{ n, c, a, K_CALL, 0, 0, fn }
#define CHECK(n, c, a, fn)	{ n, c, a, K_CHECK, 0, 0, fn }

static int	set_root(struct opts *, const char *);
static int	add_user(struct opts *, const char *);
static int	no_target_exec(struct opts *, const char *);
static int	add_from(struct opts *, const char *);
static int	set_since(struct opts *, const char *);
static int	set_color(struct opts *, const char *);
static int	show_help(struct opts *, const char *);
static int	show_version(struct opts *, const char *);

/* Every option; --help says what each is for. */
static const struct cli_option options[] = {
	MODE("dry-run", 'n', NO_ARG, MODE_DRY_RUN, 0),
	MODE("apply", 'a', NO_ARG, MODE_APPLY, 0),
	MODE("rollback", 0, OPT_ARG, MODE_ROLLBACK, F(run.id)),
	MODE("list", 'l', NO_ARG, MODE_LIST, 0),
	MODE("prune", 0, NO_ARG, MODE_PRUNE, 0),
	STRING("keep", 0, F(keep)),
	MODE("preflight", 0, ARG, MODE_PREFLIGHT, F(candidate)),
	STRING("as", 0, F(as)),
	MODE("explain", 0, OPT_ARG, MODE_EXPLAIN, F(explain)),
	CALL("root", 'r', ARG, set_root),
	CALL("user", 'u', ARG, add_user),
	STRING("authorized-key", 'k', F(key)),
	FLAG("allow-root-password", 0, F(allow_root_pw)),
	FLAG("no-password-route", 0, F(no_pw_route)),
	CALL("no-target-exec", 0, NO_ARG, no_target_exec),
	CHECK("from", 0, ARG, add_from),
	CHECK("since", 0, ARG, set_since),
	FLAG("json", 'j', F(run.json)),
	FLAG("no-reload", 0, F(run.no_reload)),
	FLAG("force", 0, F(run.force)),
	STRING("snapshot-dir", 0, F(run.snapdir)),
	FLAG("oneline", 0, F(run.oneline)),
	CHECK("color", 0, OPT_ARG, set_color),
	CHECK("help", 'h', NO_ARG, show_help),
	CHECK("version", 'V', NO_ARG, show_version),
};

#define NOPTIONS	(sizeof(options) / sizeof(options[0]))
/* What getopt_long returns for options[I]: a long-only one, 256 + I. */
#define CODE(i)		(options[i].letter != 0 ? options[i].letter : \
	256 + (int)(i))

static int
set_root(struct opts *o, const char *arg)
{
	o->root = arg;
	o->root_given = 1;
	return 0;
}

static int
add_user(struct opts *o, const char *arg)
{
	o->users = xreallocarray(o->users, o->nusers + 2, sizeof(*o->users));
	o->users[o->nusers++] = arg;
	o->users[o->nusers] = NULL;
	return 0;
}

static int
no_target_exec(struct opts *o, const char *arg)
{
	(void)o;
	(void)arg;
	judge_no_target_exec();
	return 0;
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

/* --since TIME: as log_parse_since reads it, against the clock now. */
static int
set_since(struct opts *o, const char *arg)
{
	if (log_parse_since(arg, time(NULL), &o->since) == -1) {
		err_set("--since %s: not YYYY-MM-DD[ HH:MM[:SS]] nor Nd, Nh, "
		    "Nm", arg);
		return -1;
	}
	return 0;
}

/* --color[=WHEN]: as ls and grep take it (alone: always). */
static int
set_color(struct opts *o, const char *arg)
{
	if (arg == NULL || strcmp(arg, "always") == 0 ||
	    strcmp(arg, "yes") == 0 || strcmp(arg, "force") == 0)
		o->color = COLOR_ALWAYS;
	else if (strcmp(arg, "never") == 0 || strcmp(arg, "no") == 0 ||
	    strcmp(arg, "none") == 0)
		o->color = COLOR_NEVER;
	else if (strcmp(arg, "auto") == 0 || strcmp(arg, "tty") == 0 ||
	    strcmp(arg, "if-tty") == 0)
		o->color = COLOR_AUTO;
	else {
		err_set("--color=%s: not auto, always or never", arg);
		return -1;
	}
	return 0;
}

static int
show_help(struct opts *o, const char *arg)
{
	(void)o;
	(void)arg;
	fputs(usage_text, stdout);
	exit(EXIT_CLEAN);
}

static int
show_version(struct opts *o, const char *arg)
{
	(void)o;
	(void)arg;
	printf("sshfix %s\n", SSHFIX_VERSION);
	exit(EXIT_CLEAN);
}

/*
 * getopt_long's tables from options[]: LONGOPTS (NOPTIONS + 1 entries)
 * and SHORTOPTS (":" first: a missing argument is told apart).
 */
static void
getopt_tables(struct option *longopts, char *shortopts)
{
	size_t i;

	*shortopts++ = ':';
	for (i = 0; i < NOPTIONS; i++) {
		longopts[i] = (struct option){ options[i].name,
		    options[i].has_arg, NULL, CODE(i) };
		if (options[i].letter == 0)
			continue;
		*shortopts++ = (char)options[i].letter;
		if (options[i].has_arg != no_argument)
			*shortopts++ = ':';
		if (options[i].has_arg == optional_argument)
			*shortopts++ = ':';
	}
	longopts[i] = (struct option){ NULL, 0, NULL, 0 };
	*shortopts = '\0';
}

/* The option getopt_long returned C for, or NULL (':' or '?'). */
static const struct cli_option *
find_option(int c)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (CODE(i) == c)
			return &options[i];
	return NULL;
}

static void
set_mode(struct opts *o, enum mode m)
{
	if (o->nmodes++ == 0 || o->mode != m)
		o->mode = m;
}

/* Do what OPT does with ARG; REFUSED: an option before was. 0 or -1. */
static int
take_option(struct opts *o, const struct cli_option *opt, const char *arg,
    int refused)
{
	void *field = (char *)o + opt->field;

	switch (opt->kind) {
	case K_MODE:
		set_mode(o, opt->mode);
		if (opt->has_arg != no_argument)
			*(const char **)field = arg;
		return 0;
	case K_FLAG:
		*(int *)field = 1;
		return 0;
	case K_STRING:
		*(const char **)field = arg;
		return 0;
	case K_CALL:
		return opt->fn(o, arg);
	case K_CHECK:
		return refused ? 0 : opt->fn(o, arg);
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

/* The words after the options: --rollback's ID, --explain's FILE. */
static int
operands(int argc, char **argv, struct opts *o)
{
	/* "--rollback ID" as well as "--rollback=ID". */
	if (o->mode == MODE_ROLLBACK && o->run.id == NULL && optind < argc)
		o->run.id = argv[optind++];
	if (o->mode == MODE_EXPLAIN && o->explain == NULL)
		o->explain = optind < argc ? argv[optind++] : "-";
	if (optind < argc) {
		err_set("unexpected argument '%s'", argv[optind]);
		return -1;
	}
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

/* The options that do not go together, or not without another. */
static int
check_options(struct opts *o)
{
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

int
options_parse(int argc, char **argv, struct opts *o)
{
	struct option longopts[NOPTIONS + 1];
	char shortopts[2 + 3 * NOPTIONS];
	const struct cli_option *opt;
	int c, bad = 0;

	getopt_tables(longopts, shortopts);
	/* Past a bad option on: a --json after it still asks for JSON. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	    -1) {
		if ((opt = find_option(c)) == NULL) {
			if (!bad)
				bad_option(c, argv[optind - 1]);
			bad = 1;
		} else if (take_option(o, opt, optarg, bad) == -1)
			bad = 1;
	}
	if (bad)
		return -1;
	if (operands(argc, argv, o) == -1)
		return -1;
	return check_options(o);
}
