#ifndef SSHFIX_LOCALADDR_H
#define SSHFIX_LOCALADDR_H

#include "target/net/listen.h"
#include "target/target.h"

enum { LA_ABSENT = 0, LA_PRESENT = 1, LA_UNKNOWN = 2 };

struct netconf;
struct local_addrs {
	struct netconf	*nc;		/* the target's pinned addresses */
	int		 loaded;
};

/*
 * Can sshd bind L's address on T? LA_PRESENT, LA_ABSENT, or LA_UNKNOWN
 * with *why (allocated) saying why sshfix cannot tell. LA caches what
 * was read of the target's network configuration; local_addrs_free it.
 */
int	local_addr(struct target *, struct local_addrs *, const struct listen *,
	    char **why);
void	local_addrs_free(struct local_addrs *);

#endif
