/*
 * sshfix's command line: what each option sets (src/cli/options.c holds
 * the table of options, --help and the checks of what goes together).
 * The top layer "cli" only: src/main.c and src/cli/ include this.
 */
#ifndef SSHFIX_CLI_OPTIONS_H
#define SSHFIX_CLI_OPTIONS_H

#include <stddef.h>
#include <time.h>

#include "exec/apply.h"

/* The exit status, when it is not a run's outcome (enum outcome). */
#define EXIT_CLEAN	0
#define EXIT_FAULTS	1
#define EXIT_ERROR	2

enum mode { MODE_DRY_RUN, MODE_APPLY, MODE_ROLLBACK, MODE_LIST, MODE_PRUNE,
	MODE_PREFLIGHT, MODE_EXPLAIN };

/* --color: AUTO colours a terminal unless NO_COLOR (not empty) or TERM=dumb. */
enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

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
	enum color_when	  color;
	struct run_opts	  run;
};

/*
 * Fill O (set beforehand to its defaults) from the command line. --help
 * and --version print and exit 0. 0, or -1 (err_set: the first problem,
 * in the order the checks are made).
 */
int	options_parse(int argc, char **argv, struct opts *o);

#endif
