/*
 * --explain: what a client's ssh -v (-vv, -vvv) output shows, and the next
 * step. The log is foreign text: it is only matched, never trusted, and
 * every byte of it that is printed goes through vis(3) or JSON escaping.
 */
#ifndef SSHFIX_EXPLAIN_H
#define SSHFIX_EXPLAIN_H

#include <stdio.h>

#include "plan/plan.h"

/* Offered keys kept from a log. */
#define XOFFERED_MAX	8

/* Where the cause lies. */
enum xside { XS_CLIENT, XS_SERVER, XS_NETWORK, XS_NONE };

/* One thing the log shows: a kind from the table in explain.c. */
struct xcase {
	const struct xkind *kind;
	char		*detail;	/* what the log says, in its words */
	char		*next;		/* the next step */
	char		*cmd;		/* a command it names, to paste, or NULL */
	char		*line;		/* the client's line that shows it */
};

struct xkind {
	const char	*id;		/* "connection-refused" ... */
	enum xside	 side;
	const char	*title;
	const char	*faults[12];	/* sshfix fault ids, NULL-terminated */
};

struct client_log {
	char		*version;	/* the client's "OpenSSH_..." line */
	char		*host, *addr, *port, *user;
	int		 nouser;	/* the server has no account USER */
	/* The keys the client offered, "TYPE SHA256:..." (8.x on), and a
	   NULL after the last. */
	char		*offered[XOFFERED_MAX + 1];
	struct xcase	*c;
	size_t		 n;
};

/* Read and judge the log in PATH ("-": standard input); -1 (err_set). */
int	explain_read(const char *path, struct client_log *);
void	explain_free(struct client_log *);
/* Did the client connect to an address of this machine? */
int	explain_local(const struct client_log *);
const char *xside_name(enum xside);

#define EXPLAIN_NOTHING	"no ssh client output recognised: give what " \
	"ssh -v USER@HOST prints on its standard error"

/* The report. P: the server's dry run (NULL: not combined). */
void	explain_text(FILE *, const struct client_log *, const char *root,
	    const struct plan *p);
void	explain_json(FILE *, const struct client_log *, const char *root,
	    const struct plan *p);

#endif
