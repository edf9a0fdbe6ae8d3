/*
 * Bans that survive a reboot: addresses a brute-force blocker blocks
 * again every time it starts. sshguard's blacklist (BLACKLIST_FILE in its
 * sshguard.conf: "TIME|SERVICE|FAMILY|ADDRESS" lines, every one blocked
 * at start, for every port); the subnet it blocks around each (IPV4_SUBNET,
 * IPV6_SUBNET). fail2ban's database (its dbfile): the bans of each jail
 * it puts back at start while they last (os/f2bdb.h).
 */
#ifndef SSHFIX_BANS_H
#define SSHFIX_BANS_H

#include <stddef.h>
#include <time.h>

#include "target/target.h"

struct ban {
	const char	*by;		/* "sshguard", "fail2ban" */
	char		*file;		/* the file that holds it */
	size_t		 line;		/* 1-based; 0: a database row */
	char		*text;		/* the line as written; fail2ban: the
					   jail */
	char		*addr;		/* the address banned */
	int		 prefix;	/* the block around it (bits) */
	time_t		 since;
	time_t		 until;		/* -1: no end; 0: the jail's bantime
					   (not read) */
};

/*
 * The bans of T (sshguard.service enabled, its blacklist; fail2ban.service
 * enabled, its database) that cover
 * ADDR (canonical); returns the count, *OUT allocated. What cannot be
 * read is noted in t->unread.
 */
size_t	bans_of(struct target *t, const char *addr, struct ban **out);
void	bans_free(struct ban *, size_t);

#endif
