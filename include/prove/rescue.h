/*
 * The proof under --root (prove.h): the rescue machine's own sshd and ssh
 * client, never the disk's programs, asked about the disk's files. In
 * the prover's private mount namespace the disk's /etc/ssh, account
 * files, hosts.allow and hosts.deny, /home and /root are bind-mounted,
 * read-only, nosuid, nodev, noexec, over the rescue machine's own paths,
 * each from an fd opened inside the root one component at a time
 * (safefs.h), never by a path string. Where the disk lacks one, an empty
 * file or directory stands over the rescue machine's, so that its own
 * never answers for the disk.
 *
 * A configuration that would make the rescue machine's sshd run a
 * program (AuthorizedKeysCommand, AuthorizedPrincipalsCommand,
 * SshdSessionPath, SshdAuthPath) or read a file outside what is mounted
 * (an Include, a key, CA, revocation, banner or principals file
 * elsewhere) is not asked about: the reason is said instead.
 */
#ifndef SSHFIX_RESCUE_H
#define SSHFIX_RESCUE_H

#include "target/target.h"

struct rescue_mount {
	const char	*path;		/* the same inside the root and here */
	int		 fd;		/* O_PATH inside the root, or -1 */
	int		 dir;
	int		 stand_in;	/* none on the disk: an empty one */
};

#define RESCUE_MOUNTS	9

struct rescue {
	struct rescue_mount m[RESCUE_MOUNTS];
	size_t		 n;
};

/* Why T cannot be asked about this way (malloc'd), or NULL. */
char	*rescue_refusal(struct target *t);
/* Open what is mounted; -1 (err_set) when it cannot be. */
int	rescue_open(struct target *t, struct rescue *r);
/* In the private mount namespace: mount it all; -1 (errno). */
int	rescue_mount(const struct rescue *r);
void	rescue_close(struct rescue *r);
/* Is USER's home on the disk inside what is mounted (/home, /root)? */
int	rescue_home_ok(struct target *t, const char *user);

#endif
