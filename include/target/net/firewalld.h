/*
 * firewalld as a target's boot would start it, read from its disk: the
 * default zone (firewalld.conf), the zones, services and policies of
 * /etc/firewalld over those of /usr/lib/firewalld (a file of the same
 * name replaces the packaged one whole), and the zones NetworkManager's
 * keyfiles and ifcfg files put interfaces in. What firewalld does with a
 * TCP connection to a port, from an address, is worked out from them as
 * firewalld builds its chains (zone by source, else by interface; rich
 * rules of negative priority, then deny rules, then what the zone
 * allows, then positive priorities, then the zone's target; the
 * policies into HOST before and after): what sshfix does not model
 * (direct rules, ipsets, a destination, a rate limit, an element it does
 * not know, zones that disagree on an interface it cannot know) is a
 * "cannot tell" with the reason, never an answer.
 */
#ifndef SSHFIX_FIREWALLD_H
#define SSHFIX_FIREWALLD_H

#include "target/target.h"

enum fwd_verdict { FWD_ACCEPT, FWD_DROP, FWD_REJECT, FWD_UNSURE };

struct fwd_answer {
	enum fwd_verdict v;
	const char	*zone;		/* the zone that decides; NULL: several,
					   or none */
	char		*where;		/* "FILE:LINE" of what decides */
	char		*why;		/* what decides, in words; FWD_UNSURE:
					   what sshfix cannot judge */
	int		 by_rule;	/* a rich rule or a policy decides */
};

struct fwd;

/* T's firewalld configuration; NULL (*WHY allocated) when it cannot be
   read whole. */
struct fwd *fwd_read(struct target *t, char **why);
/* What firewalld does with TCP to PORT from CLIENT (FAM 4 or 6, 16
   bytes). The answer's strings are the caller's to free (fwd_answer_free). */
void	fwd_judge(const struct fwd *, int fam, const unsigned char *client,
	    int port, struct fwd_answer *);
void	fwd_answer_free(struct fwd_answer *);
/* The default zone's name. */
const char *fwd_default_zone(const struct fwd *);
/*
 * Add to ZONE (in the model) the rich rule sshfix's repair writes: TCP to
 * PORT from CLIENT accepted. Its XML line is returned (allocated), or
 * NULL when CLIENT cannot be written as an address.
 */
char	*fwd_allow(struct fwd *, const char *zone, int fam,
	    const unsigned char *client, int port);
/*
 * Where the repair of ZONE goes: its file under /etc/firewalld/zones
 * (*EXISTS 1), else the packaged one's text to copy there, without its
 * XML declaration (*EXISTS 0, *TEXT allocated); *END the 0-based line of
 * its "</zone>", alone on its line. -1: no such line, or no such zone.
 */
int	fwd_zone_end(const struct fwd *, const char *zone, char **path,
	    int *exists, char **text, size_t *end);
void	fwd_free(struct fwd *);

#endif
