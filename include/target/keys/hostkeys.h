/*
 * The host keys sshd will try to load, and what it will make of each
 * (authfile.c sshkey_perm_ok, sshd.c main).
 */
#ifndef SSHFIX_HOSTKEYS_H
#define SSHFIX_HOSTKEYS_H

#include <sys/stat.h>

#include "target/target.h"

enum hk_state {
	HK_OK,
	HK_MISSING,
	HK_EMPTY,
	HK_CORRUPT,	/* no private key inside, or one sshd refuses */
	HK_BADPERM,	/* root-owned and readable by others */
	HK_NOTREG,
	HK_UNSAFE,	/* a symlink not owned by root: not inspected */
	HK_UNREADABLE,	/* could not be read (noted in target->unread) */
	HK_UNSUPPORTED,	/* a type the target's sshd no longer loads (DSA
			   on 10.0+, see release.h) */
};

struct hostkey {
	char		*path;
	const char	*type;		/* rsa, ecdsa, ed25519, dsa */
	int		 is_default;	/* a path ssh-keygen -A writes */
	int		 from_config;	/* named by a HostKey line */
	int		 dsa;		/* parsed as a DSA key that loads */
	const struct cfg_entry *entry;	/* the HostKey line, if any */
	size_t		 file, line;	/* the HostKey line, if any */
	enum hk_state	 state;
	const char	*why;		/* HK_CORRUPT found by parsing it */
	const char	*said;		/* and sshd's reason, when fixed */
	struct stat	 st;
};

struct hostkeys {
	struct hostkey	*k;
	size_t		 n;
	int		 configured;	/* HostKey lines exist */
};

int	hostkeys_scan(struct target *, struct hostkeys *);
/* The target's host keys, scanned (and each key read) once per target. */
const struct hostkeys *hostkeys_get(struct target *);
void	hostkeys_free(struct hostkeys *);
/* Would sshd start, counting keys whose only fault is their mode? */
int	hostkeys_usable(const struct hostkeys *, int count_badperm);
/* Is this mode/owner acceptable for a private host key on the target? */
int	hostkey_perm_ok(struct target *, const struct stat *);

#endif
