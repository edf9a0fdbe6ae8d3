/*
 * Will the target's sshd accept a user key of this type for one login
 * (auth2-pubkey.c userauth_pubkey: the signature algorithm the client
 * picks must match PubkeyAcceptedAlgorithms)? Judged with the effective
 * value for the login's Match context and, where the default list or a
 * +/-/^ list is involved, the release table (release.h). A verdict that
 * needs an unmeasured release is KA_UNKNOWN, never a guess.
 */
#ifndef SSHFIX_KEYALGS_H
#define SSHFIX_KEYALGS_H

#include "target/config/config.h"
#include "target/target.h"

enum keyalg_verdict {
	KA_OK,		/* accepted, or nothing says otherwise */
	KA_REFUSED,	/* no signature algorithm of the type is allowed */
	KA_RSA512,	/* an RSA key: rsa-sha2-512, which OpenSSH clients
			   sign with on this release, is not allowed */
	KA_UNKNOWN,	/* depends on what sshfix cannot know */
};

struct keyalg_why {
	const struct cfg_entry *e;	/* the deciding line; NULL default */
	char		 alg[64];	/* what sshd names in its log */
	int		 nodsa;		/* this sshd has no DSA at all */
	const char	*unknown;	/* KA_UNKNOWN: why */
};

/*
 * Is ALG allowed by the list VAL as servconf.c assembles it (a plain
 * list, or "+", "-", "^" on the default)? DFLT: is ALG in the default.
 */
enum tri alg_list_allows(const char *alg, const char *val, enum tri dflt);
enum keyalg_verdict keyalg_judge(struct target *, const struct match_ctx *,
	    const char *type, struct keyalg_why *);

#endif
