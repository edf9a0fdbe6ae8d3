/*
 * Proof by the real sshd, on the running system: a second instance of
 * the installed sshd with the installed configuration, in private
 * network, mount and pid namespaces (only loopback, on a port of its
 * own, a host key of its own so that host key faults do not hide the
 * answer), is asked by the installed ssh client whether it accepts
 * each --authorized-key for each account judged. sshd answers "the key
 * is acceptable" before any signature (SSH_MSG_USERAUTH_PK_OK, the
 * answer ssh-copy-id uses to skip keys already installed), so no private
 * key is needed. Without a key, the methods it offers the account.
 * Time-bounded; every process stopped by its pid (the pid namespace
 * takes what is left).
 */
#ifndef SSHFIX_PROVE_H
#define SSHFIX_PROVE_H

#include <stddef.h>

#include "target/target.h"

/* At most this many accounts and keys are tried, each pair once. */
#define PROVE_USERS_MAX	8
#define PROVE_KEYS_MAX	4
/* The whole proof, and one client's try. */
#define PROVE_TOTAL_MS	(30 * 1000)
#define PROVE_TRY_MS	(8 * 1000)

struct proof_try {
	char	*user;
	char	*key;		/* "ED25519 SHA256:..." (as ssh -v says), or
				   NULL: the methods only */
	int	 accepted;	/* 1 sshd accepts the key, 0 it does not,
				   -1 no answer (client_says why) */
	char	*methods;	/* what sshd offers the account, or NULL */
	char	**sshd_says;	/* sshd's own lines on the refusal, or NULL */
	char	*client_says;	/* no answer: the client's last line */
};

struct proof {
	int	 ran;		/* 1 attempted (then error or tries) */
	int	 rescue;	/* --root: the rescue machine's sshd asked
				   about the disk's files (rescue.h) */
	char	*disk_sshd;	/* --root: the disk's sshd version, or NULL */
	char	*error;		/* why nothing could be proved, or NULL */
	char	*sshd;		/* the version sshd announced, or NULL */
	struct proof_try *v;
	size_t	 n;
};

/*
 * Ask T's sshd (under --root: the rescue machine's, rescue.h) about each
 * of KEYS (key lines, NULL: none) for each of USERS (NULL-terminated). 0 with PF
 * filled (PF->error set when it could not be done), never -1: a proof
 * that cannot be made is said, not fatal.
 */
int	prove_run(struct target *t, char *const *keys,
	    const char *const *users, struct proof *pf);
/* Does PF show sshd refusing a key it was asked about? */
int	proof_refuses(const struct proof *pf);
void	proof_free(struct proof *pf);

#endif
