/*
 * Bans that survive a reboot: addresses a brute-force blocker blocks
 * again every time it starts. sshguard's blacklist (BLACKLIST_FILE in its
 * sshguard.conf: "TIME|SERVICE|FAMILY|ADDRESS" lines, every one blocked
 * at start, for every port); the subnet it blocks around each (IPV4_SUBNET,
 * IPV6_SUBNET).
 */
#ifndef SSHFIX_BANS_H
#define SSHFIX_BANS_H

#include <stddef.h>
#include <time.h>

#include "target/target.h"

struct ban {
	const char	*by;		/* "sshguard" */
	char		*file;		/* the file that holds it */
	size_t		 line;		/* 1-based */
	char		*text;		/* the line as written */
	char		*addr;		/* the address banned */
	int		 prefix;	/* the block around it (bits) */
	time_t		 since;
};

/*
 * The bans of T (sshguard.service enabled, its blacklist) that cover
 * ADDR (canonical); returns the count, *OUT allocated. What cannot be
 * read is noted in t->unread.
 */
size_t	bans_of(struct target *t, const char *addr, struct ban **out);
void	bans_free(struct ban *, size_t);
/* Does ADDR lie within NET/PREFIX (both numeric, one family)? */
int	addr_in_net(const char *addr, const char *net, int prefix);

#endif
