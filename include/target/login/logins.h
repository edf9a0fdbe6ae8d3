/*
 * What detectors need to know about the accounts people log in with:
 * which accounts to examine, where sshd looks for their keys, and what
 * the user (not root) can reach.
 */
#ifndef SSHFIX_LOGINS_H
#define SSHFIX_LOGINS_H

#include <sys/stat.h>

#include "target/target.h"

/*
 * Call CB for every account to examine: the --user accounts (a missing
 * one is an error), or else every account whose shell allows a login.
 * CB returns non-zero to stop; that value is returned. -1: error.
 */
int	logins_foreach(struct target *,
	    int (*cb)(struct target *, const struct account *, void *),
	    void *);

int	user_in_gid(struct target *, const struct account *, gid_t);
/* Would the user get PERM (4 read, 1 search) on this object? */
int	user_may(struct target *, const struct account *, const struct stat *,
	    int perm);

/*
 * The effective AuthorizedKeysFile paths for an account, tokens expanded,
 * relative ones under the home: absolute paths inside the root. Returns
 * the count (0 for "none"); -1 for an unknown %-token, which makes sshd
 * refuse every key.
 */
int	authkeys_paths(struct target *, const struct account *,
	    const struct match_ctx *, char ***paths);

/* AuthorizedKeysFile/ChrootDirectory tokens %h %u %U %%; NULL if other. */
char	*expand_user_tokens(const char *s, const struct account *a);

/* Is PATH inside DIR (or DIR itself)? Both absolute, no "..". */
int	path_within(const char *path, const char *dir);

#endif
