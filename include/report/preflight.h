/*
 * --preflight: would sshd still start, and would every account that gets
 * in today still get in, if CANDIDATE replaced one configuration file?
 * The dry run's own model, twice: the target as it is, then the target
 * with that one file laid over it (cfg_overlay); nothing is changed.
 */
#ifndef SSHFIX_PREFLIGHT_H
#define SSHFIX_PREFLIGHT_H

#include <stddef.h>
#include <stdio.h>

struct pf_account {
	char	*user;
	char	*before;	/* "publickey", "password", ... or "refused" */
	char	*after;
	char	*reason;	/* why it is refused after, or NULL */
	char	*line;		/* "FILE:N: TEXT" that decides it, or NULL */
	int	 must;		/* must still get in (--user, or gets in now) */
};

struct preflight {
	const char	*candidate;	/* the host path, as given */
	const char	*as;		/* the path it replaces in the root */
	int		 read;		/* sshd would read it (Include) */
	int		 start_ok;	/* sshd would start */
	char		*start_error;	/* why not, or NULL */
	struct pf_account *acc;
	size_t		 n;
	int		 safe;
};

struct preflight_args {
	const char	 *rootdir;
	const char	 *candidate;
	const char	 *as;		/* NULL: /etc/ssh/sshd_config */
	const char	**users;	/* --user, NULL-terminated, or NULL */
	const char	**from;		/* --from, or NULL */
};

/* 0 judged (pf->safe says how), -1 cannot judge (err_set). */
int	preflight_run(const struct preflight_args *, struct preflight *);
void	preflight_free(struct preflight *);

/* One line per problem, the first self-contained; or one "safe" line. */
void	preflight_text(FILE *, const struct preflight *);
void	preflight_json(FILE *, const struct preflight *, const char *root);

#endif
