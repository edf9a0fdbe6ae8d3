/*
 * RevokedKeys as sshd applies it to a user key (auth2-pubkey.c
 * auth_key_is_revoked): a key listed in the file is refused, and so is
 * every key when the file cannot be read ("Error checking authentication
 * key ... in revoked keys file"). Plain key lists are read (once a
 * target, under a byte budget); a KRL (binary) is asked by the host's
 * ssh-keygen -Q (krl.h). Implemented in src/target/login/revoked.c.
 */
#ifndef SSHFIX_REVOKED_H
#define SSHFIX_REVOKED_H

#include "target/target.h"

enum {
	REV_NO,		/* not revoked */
	REV_LISTED,	/* the file lists the key */
	REV_ALL,	/* the file does not exist, or is a KRL that cannot
			   be read: every key refused */
	REV_UNKNOWN	/* too large, a link, ssh-keygen did not answer:
			   cannot tell */
};

/*
 * Is the key TYPE B64 revoked for CTX? *PATH (not owned): the deciding
 * file, for every answer but REV_NO.
 */
int	key_revoked(struct target *, const struct match_ctx *,
	    const char *type, const char *b64, const char **path);
/*
 * Why PATH (a REV_ALL answer's) refuses every key: "does not exist", or
 * a KRL's; *ERR the end of sshd's log line ("No such file or directory").
 */
const char *revoked_all_why(const struct target *, const char *path,
	    const char **err);
void	revoked_free(struct target *);
/* Does one line "TYPE BASE64 [COMMENT]" (N bytes at S) hold B64? */
int	pubkey_line_has(const char *s, size_t n, const char *b64);

#endif
