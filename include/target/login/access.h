/*
 * What one account can use to log in, as sshd would judge it: shared by
 * auth-lockout (no way in at all) and auth-methods (AuthenticationMethods
 * asks for more than the account has).
 */
#ifndef SSHFIX_ACCESS_H
#define SSHFIX_ACCESS_H

#include "target/login/login.h"
#include "util.h"

struct access {
	int	keys;		/* keys found, or a source we cannot read */
	int	bad_token;
	int	key_ok;		/* pubkey login can work */
	int	pw_ok;		/* password or keyboard-interactive can */
	int	pwd_ok;		/* the "password" method alone can */
	int	kbd_ok;		/* "keyboard-interactive" (PAM) can */
	int	pw_hash;	/* a usable password hash */
	const struct cfg_entry *pw_entry, *prl_entry, *pk_entry;
	const struct cfg_entry *pw_maybe;	/* a Match we cannot judge */
	const char *other;	/* a way in sshfix cannot check, or NULL */
	struct sbuf files;
};

/* Judge L's account; free X->files (sbuf_free) afterwards. */
void	auth_assess(struct target *, const struct login *, struct access *);

/*
 * Would a password alone (password or keyboard-interactive) satisfy the
 * AuthenticationMethods in effect for CTX? If not, *where (malloc'd) names
 * the deciding line.
 */
int	authmethods_password_alone(struct target *, const struct match_ctx *,
	    char **where);

#endif
