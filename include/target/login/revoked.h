/*
 * RevokedKeys as sshd applies it to a user key (auth2-pubkey.c
 * auth_key_is_revoked): a key listed in the file is refused, and so is
 * every key when the file cannot be read ("Error checking authentication
 * key ... in revoked keys file"). Plain key lists are read (once a
 * target, under a byte budget); a KRL is binary and sshfix cannot judge
 * it. Implemented in src/target/login/revoked.c.
 */
#ifndef SSHFIX_REVOKED_H
#define SSHFIX_REVOKED_H

#include "target/target.h"

enum {
	REV_NO,		/* not revoked */
	REV_LISTED,	/* the file lists the key */
	REV_ALL,	/* the file does not exist: every key refused */
	REV_UNKNOWN	/* a KRL, too large, a link: cannot tell */
};

/*
 * Is the key whose base64 is B64 revoked for CTX? *PATH (not owned):
 * the deciding file, for every answer but REV_NO.
 */
int	key_revoked(struct target *, const struct match_ctx *,
	    const char *b64, const char **path);
void	revoked_free(struct target *);

#endif
