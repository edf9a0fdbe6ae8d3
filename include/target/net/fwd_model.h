/*
 * firewalld's configuration as sshfix reads it (src/target/net/firewalld.c)
 * and judges it (src/target/net/fwd_judge.c): the zones, policies and
 * services, each with the file and line of what it holds.
 */
#ifndef SSHFIX_FWD_MODEL_H
#define SSHFIX_FWD_MODEL_H

#include <stddef.h>

#include "budget.h"

#define FWD_MAX_FILE	(1u * 1024 * 1024)	/* one XML file */
#define FWD_MAX_DIR	1024			/* files of one directory */
#define FWD_MAX_FILES	2048			/* files read in all */
#define FWD_MAX_BYTES	(32 * MiB)
#define FWD_MAX_ITEMS	4096			/* elements of one file */
#define FWD_MAX_DEPTH	8			/* service includes */

enum { EL_ALL, EL_SERVICE, EL_PORT, EL_PROTO, EL_NOMATCH, EL_FWDPORT };
enum { DO_NONE, DO_ACCEPT, DO_DROP, DO_REJECT };
enum { TG_DEFAULT, TG_ACCEPT, TG_DROP, TG_REJECT, TG_CONTINUE };
enum { K_ZONE, K_POLICY, K_SERVICE };

struct net {
	int		 fam;
	unsigned char	 a[16];
	int		 plen;
};

/* An element that matches a packet: a service, a port (range), a
   protocol, a forward-port; a rich rule's one such element. */
struct item {
	int		 el;
	char		*name;		/* a service */
	int		 lo, hi;	/* ports */
	char		 proto[16];
	size_t		 line;
};

struct rule {
	int		 fam;		/* 0: both */
	long		 prio;
	int		 src;		/* 0 none, 1 net, 2 cannot tell */
	int		 inv;
	struct net	 net;
	int		 dest;
	int		 nel;		/* elements: more than one is refused */
	struct item	 it;		/* EL_ALL: none */
	int		 act;
	int		 limit;
	int		 log;		/* a log, nflog or audit */
	int		 rtype;		/* a reject with a type */
	size_t		 line;
};

struct zone {				/* a zone or a policy */
	char		*name;
	int		 kind;
	size_t		 file;
	size_t		 line;
	int		 target;
	long		 prio;		/* a policy's */
	int		 ingress_any, egress_host;
	char		**ingress;
	size_t		 ningress;
	struct item	*it;
	size_t		 nit;
	struct net	*src;
	size_t		 nsrc;
	int		 src_other;	/* an ipset or a MAC */
	int		 dest;		/* a service for a destination only */
	int		 ipri;		/* a zone with an ingress-priority */
	size_t		 nif;
	struct rule	*r;
	size_t		 nr;
	char		*bad;
};

struct fwd {
	char		*defzone;
	int		 drifting;
	char		**files;
	char		**texts;
	size_t		 nfiles;
	struct zone	*z;		/* zones, policies, services */
	size_t		 nz;
	char		**ifzones;	/* zones NetworkManager or ifcfg name */
	size_t		 nifzones;
	char		*bad;
	struct budget	 b;
	int		 rootfd;
};

/* The zone, policy or service (KIND) NAME of M, or NULL. */
struct zone *fwd_find(const struct fwd *m, const char *name, int kind);
/* Does N hold address A of family FAM (4, 6)? */
int	fwd_in_net(const struct net *n, int fam, const unsigned char *a);

#endif
