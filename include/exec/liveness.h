/*
 * After --apply reloads or starts sshd on the running system: is it alive
 * with the new configuration? Listening (a LISTEN socket sshd did not
 * hold before the reload) on every address and port the configuration
 * names, and answering "SSH-2.0-" on one of them reached over this
 * machine's own addresses.
 */
#ifndef SSHFIX_LIVENESS_H
#define SSHFIX_LIVENESS_H

#include <stddef.h>

#include "target/config/config.h"

/* The sockets the running sshd holds now (before a reload). */
struct live_before {
	unsigned long	*inodes;
	size_t		 n;
	int		 overrides;	/* sshd runs with -p, -o, -f ...: its
					   addresses are not the config's */
};

void	liveness_before(const struct cfg *, struct live_before *);
/*
 * Poll for up to TIMEOUT_MS. 0: alive; -1 (err_set): what is missing.
 * CFG is the configuration sshd has just read.
 */
int	liveness_check(const struct cfg *, const struct live_before *,
	    int timeout_ms);
void	liveness_free(struct live_before *);

#endif
