/*
 * A user certificate judged as sshd judges it for an account
 * (auth2-pubkey.c userauth_pubkey, user_key_allowed, user_cert_trusted_ca;
 * auth2-pubkeyfile.c auth_check_authkey_line; sshkey.c
 * sshkey_cert_check_authority): its algorithm, the CA's signature
 * algorithm, RevokedKeys (the certificate, its key, its CA), then a CA in
 * TrustedUserCAKeys with the principals (AuthorizedPrincipalsFile, else
 * the user name), or a cert-authority line of an authorized keys file
 * with its principals= option; validity, critical options and
 * source-address against --from. Implemented in
 * src/target/login/certauth.c.
 */
#ifndef SSHFIX_CERTAUTH_H
#define SSHFIX_CERTAUTH_H

#include "target/keys/cert.h"
#include "target/login/login.h"

enum cert_verdict {
	CV_ACCEPTED,
	CV_REFUSED,
	CV_UNKNOWN,	/* something sshfix cannot see or judge: why says */
};

/* Why refused, for the advice. */
enum cert_reason {
	CR_NONE,
	CR_ALG,		/* PubkeyAcceptedAlgorithms leaves its type out */
	CR_CASIG,	/* CASignatureAlgorithms leaves the CA's out */
	CR_REVOKED,	/* RevokedKeys lists it, its key or its CA */
	CR_HOST,	/* a host certificate */
	CR_VALIDITY,	/* expired, or not yet valid */
	CR_PRINCIPAL,	/* no principal sshd accepts for the account */
	CR_OPTIONS,	/* source-address, an unknown critical option */
	CR_UNTRUSTED,	/* no CA sshd trusts for the account signed it */
};

struct cert_why {
	enum cert_reason reason;
	char		*msg;		/* why, in words (malloc'd) */
	char		*logline;	/* the line sshd logs, or NULL */
	char		*via;		/* accepted: the file (and line) */
};

enum cert_verdict cert_judge(struct target *, const struct login *,
	    const struct sshcert *, const char *cert_b64, struct cert_why *);
void	cert_why_free(struct cert_why *);
/* Does sshd certainly take one of the certificates among LINES for L? */
int	cert_accepted(struct target *, const struct login *,
	    char *const *lines);

#endif
