/*
 * A firewall ruleset judged by the real kernel: loaded with the rescue
 * machine's own nft, iptables-restore or ip6tables-restore into network
 * namespaces of sshfix's firewall helper (sshfix run again, in the
 * sandbox of os/sandbox.h with its netadmin rights), where a client on
 * one end of a veth pair connects to a listener on the other, on each of
 * sshd's ports, from the person's address. Nothing of the machine's own
 * network is within the helper's reach, nor the target's files: only the
 * ruleset's text, on its stdin.
 */
#ifndef SSHFIX_FWJUDGE_H
#define SSHFIX_FWJUDGE_H

#include <stddef.h>

/* argv[1] of sshfix run as the helper. */
#define FWJ_HELPER_ARG	"--firewall-helper"
/* Ports judged per family, at most. */
#define FWJ_MAX_PORTS	8

/* _N: iptables-restore --noflush, each table's section added to what
   the ones before loaded (ufw's start: several files in a row). */
enum fwj_loader { FWJ_NFT, FWJ_IPT4, FWJ_IPT6, FWJ_IPT4_N, FWJ_IPT6_N };
enum fwj_verdict { FWJ_ACCEPT, FWJ_DROP, FWJ_REJECT };

struct fwj_family {
	int		 fam;		/* 4 or 6; 0: not judged */
	unsigned char	 client[16];	/* the person's address (network
					   order): loopback connects from the
					   machine itself */
	unsigned char	 server[16];	/* sshd's address; zero: any */
	int		 ports[FWJ_MAX_PORTS];
	size_t		 nports;
	enum fwj_verdict verdict[FWJ_MAX_PORTS];	/* the answers */
	size_t		 line[FWJ_MAX_PORTS];	/* a port not reached: the
					   line of the ruleset (1-based) that
					   stops it, found by commenting out
					   each line naming a drop or a reject
					   alone; 0: none alone */
};

/* The helper's side: argv as fwj_ask gives it; exits 0 once it answered. */
int	fwj_helper(int argc, char **argv);

/*
 * Load RULESET (LEN bytes) with LOADER and judge a connection to each
 * port of F[0..N-1] (N at most 2), arriving on the interface IFNAME
 * ("eth0", or the one the ruleset names). 0: every verdict filled. -1 (err_set):
 * cannot tell, and why; when the loader refused the ruleset, *LOADERR
 * (allocated) is its first line of complaint ("/dev/stdin:4:20-20:
 * Error: ..."), else NULL.
 */
int	fwj_ask(enum fwj_loader loader, const char *ifname,
	    const char *ruleset, size_t len, struct fwj_family *f, size_t n,
	    char **loaderr);

const char *fwj_loader_name(enum fwj_loader);
/* The family LOADER's rules are for: 4, 6, or 0 (both: nft). */
int	fwj_loader_family(enum fwj_loader);
const char *fwj_verdict_name(enum fwj_verdict);

#endif
