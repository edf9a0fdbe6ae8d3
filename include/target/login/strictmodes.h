#ifndef SSHFIX_STRICTMODES_H
#define SSHFIX_STRICTMODES_H

#include <sys/stat.h>

#include "target/accounts/accounts.h"
#include "target/target.h"

/*
 * StrictModes for one object sshd checks for USER (misc.c safe_path, with
 * Debian's group-write rule when the target is Debian-like). Returns 1 if
 * accepted; else 0 and *why names the reason.
 */
int	strictmodes_ok(struct target *, const struct stat *,
	    const struct account *user, const char **why);

/* An account other than UID whose home is DIR (free it), or NULL. */
char	*home_of_other(struct target *, const char *dir, uid_t uid);

#endif
