/*
 * tcp_wrappers' access files (hosts_access(5)) as libwrap reads them for
 * one daemon, with the client unknown: which rules could match it, and
 * whether a rule matches every client.
 */
#ifndef SSHFIX_HOSTSACCESS_H
#define SSHFIX_HOSTSACCESS_H

#include <stddef.h>

#include "target/config/config.h"	/* enum tri */

struct unread_list;

struct wrap_rule {
	size_t	 line;		/* 0-based, its first physical line */
	size_t	 nlines;	/* physical lines (backslash continuation) */
	char	*text;		/* the first physical line, no newline */
	enum tri daemon;	/* does the daemon list match DAEMON? */
	enum tri everyone;	/* does the client list match every client? */
	int	 options;	/* a third field (hosts_options: allow, deny,
				   spawn ...): its effect cannot be told */
};

struct wrap_rules {
	struct wrap_rule *r;
	size_t		  n;
	int		  cut;	/* rules past WRAP_MAX_RULES (budget.h) */
};

/* PATH inside the root; a missing file has no rules. */
void	wrap_rules_load(int rootfd, const char *path, const char *daemon,
	    struct wrap_rules *, struct unread_list *);
/* The same from a buffer (tests, fuzzing). */
void	wrap_rules_parse(const char *data, size_t len, const char *daemon,
	    struct wrap_rules *);
void	wrap_rules_free(struct wrap_rules *);

#endif
