/*
 * sshfix: find why sshd refuses logins on this system (or one mounted
 * elsewhere) and show the exact plan to repair it. Only main prints the
 * final error and decides the exit code.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "newkeys.h"
#include "report.h"
#include "util.h"

#define EXIT_CLEAN	0
#define EXIT_FAULTS	1
#define EXIT_ERROR	2

static const char usage_text[] =
"usage: sshfix [--dry-run] [--root DIR] [--user NAME]... [--json]\n"
"              [--authorized-key KEY|FILE]\n"
"\n"
"Find why sshd refuses SSH logins and show the exact repair plan.\n"
"\n"
"  -n, --dry-run              diagnose and print the plan; change nothing\n"
"                             (the default)\n"
"  -r, --root DIR             diagnose the system mounted at DIR (rescue\n"
"                             disk); everything is read under DIR\n"
"  -u, --user NAME            the account that must be able to log in\n"
"                             (repeatable; default: any login account)\n"
"  -k, --authorized-key KEY|FILE\n"
"                             plan to install this public key (or the keys\n"
"                             in FILE) for the locked-out account\n"
"  -j, --json                 print one JSON document instead of text\n"
"  -h, --help                 show this help\n"
"  -V, --version              show the version\n"
"\n"
"Exit status: 0 no fault, 1 faults found, 2 usage error or cannot run.\n";

struct opts {
	const char	 *root;
	const char	**users;
	size_t		  nusers;
	const char	 *key;
	int		  json;
};

static int
usage_error(const char *msg)
{
	fprintf(stderr, "sshfix: %s\n", msg);
	fprintf(stderr, "Try 'sshfix --help' for more information.\n");
	return EXIT_ERROR;
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "root", required_argument, NULL, 'r' },
		{ "user", required_argument, NULL, 'u' },
		{ "authorized-key", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "nr:u:k:jhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'n':
			break;
		case 'r':
			o->root = optarg;
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
			o->json = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_CLEAN);
		case 'V':
			printf("sshfix %s\n", SSHFIX_VERSION);
			exit(EXIT_CLEAN);
		default:
			err_set("unknown or incomplete option '%s'",
			    argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		err_set("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = { .root = "/" };
	struct target t;
	struct plan p = { 0 };
	char root[PATH_MAX], **keys = NULL;
	int rc;

	if (parse_args(argc, argv, &o) == -1)
		return usage_error(err_get());
	if (realpath(o.root, root) == NULL) {
		fprintf(stderr, "sshfix: --root %s: %s\n", o.root,
		    strerror(errno));
		return EXIT_ERROR;
	}
	if (o.key != NULL && (keys = newkeys_load(o.key)) == NULL) {
		fprintf(stderr, "sshfix: %s\n", err_get());
		return EXIT_ERROR;
	}
	if (target_open(&t, root) == -1) {
		fprintf(stderr, "sshfix: %s\n", err_get());
		return EXIT_ERROR;
	}
	t.users = o.users;
	t.new_keys = keys;
	if (diagnose(&t, &p) == -1) {
		fprintf(stderr, "sshfix: %s\n", err_get());
		rc = EXIT_ERROR;
		goto out;
	}
	if (o.json)
		report_json(stdout, &t, &p);
	else
		report_text(stdout, &t, &p, isatty(STDOUT_FILENO) &&
		    getenv("NO_COLOR") == NULL);
	rc = p.n > 0 ? EXIT_FAULTS : EXIT_CLEAN;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "sshfix: writing the report: %s\n",
		    strerror(errno));
		rc = EXIT_ERROR;
	}
out:
	plan_free(&p);
	target_close(&t);
	free(o.users);
	if (keys != NULL) {
		for (size_t i = 0; keys[i] != NULL; i++)
			free(keys[i]);
		free(keys);
	}
	return rc;
}
