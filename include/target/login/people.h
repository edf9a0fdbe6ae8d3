/*
 * Who may log in, and who the person locked out is: every login account
 * with a way in (a key in a file sshd reads, a usable password) and root,
 * each with sshd's verdict (ok, refused and why at FILE:LINE, or cannot
 * tell), and the accounts the evidence names as the person's: --user,
 * the target's sshd log lines, cloud-init's default user (or the user its
 * stub key for root names), --authorized-key's comment, and else the
 * only human account. Implemented in src/target/login/people.c.
 */
#ifndef SSHFIX_PEOPLE_H
#define SSHFIX_PEOPLE_H

#include <sys/types.h>

#include "target/target.h"

enum verdict { V_OK, V_REFUSED, V_CANNOT_TELL };

/* What names an account as the person's (struct person.ev). */
enum {
	EV_USER = 1,		/* --user */
	EV_LOG = 2,		/* sshd refused it in the window */
	EV_CLOUD = 4,		/* cloud-init's default user */
	EV_KEY = 8,		/* --authorized-key's comment names it */
	EV_HUMAN = 16,		/* the only human account */
};

struct person {
	char		*name;
	uid_t		 uid;
	int		 creds;		/* a key or a password: a way in */
	enum verdict	 v;
	char		*methods;	/* "publickey,password" (V_OK) */
	char		*why;		/* V_REFUSED, V_CANNOT_TELL: why */
	char		*where;		/* the deciding FILE:LINE, or NULL */
	int		 policy;	/* refused by a setting of sshd_config
					   (access list, PermitRootLogin, a
					   method off): deliberate? */
	int		 ev;		/* EV_*: a target when non-zero */
	char		*evidence;	/* what named it, for the report */
};

struct people {
	struct person	*v;
	size_t		 n;
	size_t		 nbare;		/* login accounts with no way in */
	char		*unknown;	/* names the logs try that have no
					   account here, or NULL */
	char		*scans;		/* names refused from many addresses:
					   a scan, not a person; or NULL */
	size_t		 ntargets;
};

/* Judge every login account and gather the evidence: once, kept in T. */
const struct people *target_people(struct target *);
void	people_free(struct people *);
/* The targets' names, NULL-terminated (free the vector), or NULL. */
const char **people_targets(const struct people *);
/* The row of NAME, or NULL. */
const struct person *people_find(const struct people *, const char *name);
/* Is the verdict "cannot tell" for a target (or, with no target, for
   every account with a way in that is not refused)? */
int	people_cannot_tell(const struct people *);
/* "--user", "cloud-init's default user" ...: EV's words. */
const char *people_ev_name(int ev);

#endif
