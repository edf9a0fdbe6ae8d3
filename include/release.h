/*
 * Rules that differ by OpenSSH release, in ONE table (src/target/release.c),
 * each row measured against real sshd builds (see the evidence column and
 * fault-model.md). The target's sshd version is read from the binary once
 * per target and cached on struct target. A release the table has no
 * measurement for answers TRI_MAYBE: detectors must not claim a fault
 * then (they leave a note instead).
 */
#ifndef SSHFIX_RELEASE_H
#define SSHFIX_RELEASE_H

#include "config.h"	/* enum tri */
#include "target.h"

enum release_rule {
	/* sshd loads a DSA (ssh-dss) host key. */
	REL_DSA_HOSTKEY_LOADED,
	/* ssh-dss is not in sshd's default HostKeyAlgorithms: with only a
	   DSA host key it starts but no key exchange succeeds. */
	REL_DSA_NO_DEFAULT_KEX,
	/* sshd's default PubkeyAcceptedAlgorithms is release_pk_default(). */
	REL_PK_DEFAULT_LIST,
	/* sshd can use a DSA (ssh-dss) user key when its list allows it. */
	REL_DSA_USERKEY,
	/* sshd's server-sig-algs names every algorithm, whatever its
	   PubkeyAcceptedAlgorithms: an OpenSSH client signs with an RSA key
	   as rsa-sha2-512 and is refused when only rsa-sha2-256 is allowed. */
	REL_SIGALGS_ALL,
	REL__COUNT
};

/*
 * One row. Versions are "MAJOR.MINOR" (the portable "pN" does not
 * matter); NULL leaves a column out. A release R:
 *   R <= no_to                  -> TRI_NO  (measured: the rule does not hold)
 *   yes_from <= R <= yes_to     -> TRI_YES (measured: it holds; "0.0" is
 *                                  every older release, yes_to NULL every
 *                                  later one)
 *   R >= no_from                -> TRI_NO  (measured: no longer holds)
 *   anything else               -> TRI_MAYBE (not measured: never guess)
 */
struct release_row {
	enum release_rule rule;
	const char	*name;		/* stable, for tests and messages */
	const char	*no_to;
	const char	*yes_from;
	const char	*yes_to;
	const char	*no_from;
	const char	*evidence;	/* where it was verified, and what sshd said */
};

/* "OpenSSH_10.0p2 ..." -> 10, 0; -1 if not that form. */
int	release_parse(const char *version, int *major, int *minor);
/* The table's answer for MAJOR.MINOR. */
enum tri release_rule_at(enum release_rule, int major, int minor);
/* The answer for the target's sshd (ROOT/usr/sbin/sshd). */
enum tri release_has(struct target *, enum release_rule);
/* The target's sshd version as the binary says it, or NULL (unknown). */
const char *release_text(struct target *);
const struct release_row *release_row(enum release_rule);
/* The default PubkeyAcceptedAlgorithms where REL_PK_DEFAULT_LIST holds. */
const char *release_pk_default(void);

#endif
