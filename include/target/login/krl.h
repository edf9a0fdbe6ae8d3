/*
 * A KRL (ssh-keygen -k's binary key revocation list) in RevokedKeys,
 * judged by the host's ssh-keygen -Q: the same code (krl.c) sshd runs.
 * Implemented in src/target/login/krl.c; used by revoked.c only.
 */
#ifndef SSHFIX_KRL_H
#define SSHFIX_KRL_H

#include <stddef.h>

/*
 * Is the key TYPE B64 in the KRL D (LEN bytes)? REV_NO, REV_LISTED,
 * REV_ALL (ssh-keygen cannot read the KRL: sshd refuses every key, as
 * for a file it cannot read), REV_UNKNOWN (ssh-keygen could not run or
 * did not answer). LIVE: the running system's own file (no sandbox).
 */
int	krl_check(const char *d, size_t len, const char *type,
	    const char *b64, int live);

#endif
