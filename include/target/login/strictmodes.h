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

struct login;
struct keyfile;

/*
 * Would sshd open keys file K of L and take its keys, as far as owners and
 * modes go (auth2-pubkeyfile.c: opened as the user, then safe_path under
 * StrictModes: the file, each directory up to the home, the home)? NULL
 * if so; else the reason, "bad ownership or modes for directory /root"
 * (free it). A link's real path, and files outside the home above the
 * directories the pass walked, are sshdir-perms' to judge: not here.
 */
char	*keyfile_modes_refusal(struct target *, const struct login *,
	    const struct keyfile *);

/* An account other than UID whose home is DIR (free it), or NULL. */
char	*home_of_other(struct target *, const char *dir, uid_t uid);

#endif
