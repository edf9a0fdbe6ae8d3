/*
 * A key type against PubkeyAcceptedAlgorithms, as sshd matches it
 * (match_pattern_list on the signature algorithm; servconf.c and
 * kex_assemble_names for a +, - or ^ list). An RSA key may be signed as
 * rsa-sha2-512, rsa-sha2-256 or ssh-rsa: the client picks, so it is
 * refused outright only when none is allowed. No verdict here is a
 * guess: where the release's default list is not measured, a type the
 * measured default holds counts as accepted (a miss, not a false alarm)
 * and any other is KA_UNKNOWN.
 */
#include <string.h>

#include "target/config/match.h"
#include "target/keys/keyalgs.h"
#include "target/release.h"

#define RSA_CERT	"-cert-v01@openssh.com"

/* The signature algorithms of TYPE, the one OpenSSH clients use first. */
static size_t
sigalgs(const char *type, char out[3][64])
{
	static const char *rsa[] = { "rsa-sha2-512", "rsa-sha2-256",
	    "ssh-rsa" };
	const char *sfx = strcmp(type, "ssh-rsa") == 0 ? "" :
	    strcmp(type, "ssh-rsa" RSA_CERT) == 0 ? RSA_CERT : NULL;
	size_t i;

	if (sfx == NULL) {
		if (strlen(type) >= sizeof(out[0]))
			return 0;
		memcpy(out[0], type, strlen(type) + 1);
		return 1;
	}
	for (i = 0; i < 3; i++) {
		memcpy(out[i], rsa[i], strlen(rsa[i]) + 1);
		memcpy(out[i] + strlen(rsa[i]), sfx, strlen(sfx) + 1);
	}
	return 3;
}

/*
 * Is ALG in the release's default list? The release is read only for an
 * algorithm the measured default lacks (a healthy dry run reads no
 * binary for it).
 */
static enum tri
in_default(struct target *t, const char *alg)
{
	if (match_pattern_list(alg, release_pk_default(), 0) == 1)
		return TRI_YES;
	return release_has(t, REL_PK_DEFAULT_LIST) == TRI_YES ? TRI_NO :
	    TRI_MAYBE;
}

enum tri
alg_list_allows(const char *alg, const char *val, enum tri d)
{
	if (val == NULL)
		return d;
	switch (*val) {
	case '+':
	case '^':
		return match_pattern_list(alg, val + 1, 0) == 1 ? TRI_YES : d;
	case '-':
		return match_pattern_list(alg, val + 1, 0) == 1 ? TRI_NO : d;
	}
	return match_pattern_list(alg, val, 0) == 1 ? TRI_YES : TRI_NO;
}

/* Is ALG allowed by VAL (NULL: the default)? */
static enum tri
alg_ok(struct target *t, const char *alg, const char *val)
{
	if (val != NULL && *val != '+' && *val != '^' && *val != '-')
		return alg_list_allows(alg, val, TRI_MAYBE);
	return alg_list_allows(alg, val, in_default(t, alg));
}

/* The list's verdict on TYPE, before what the release lacks. */
static enum keyalg_verdict
list_verdict(struct target *t, const char *type, const char *val,
    struct keyalg_why *why)
{
	enum tri a[3];
	char algs[3][64];
	size_t n = sigalgs(type, algs), i;
	int yes = 0, maybe = 0;

	if (n == 0)
		return KA_OK;
	for (i = 0; i < n; i++) {
		a[i] = alg_ok(t, algs[i], val);
		if (i == 0 && a[0] == TRI_YES)
			return KA_OK;	/* what OpenSSH clients sign with */
		yes += a[i] == TRI_YES;
		maybe += a[i] == TRI_MAYBE;
	}
	if (yes > 0)
		return n == 3 && a[0] == TRI_NO &&
		    release_has(t, REL_SIGALGS_ALL) == TRI_YES ?
		    KA_RSA512 : KA_OK;
	if (maybe > 0) {
		why->unknown = "the release's default PubkeyAcceptedAlgorithms "
		    "is not measured";
		return KA_UNKNOWN;
	}
	return KA_REFUSED;
}

enum keyalg_verdict
keyalg_judge(struct target *t, const struct match_ctx *ctx,
    const char *type, struct keyalg_why *why)
{
	const struct cfg_entry *maybe = NULL;
	enum keyalg_verdict v;
	enum tri dsa;
	char algs[3][64];

	memset(why, 0, sizeof(*why));
	why->e = cfg_effective(&t->cfg, KW_PUBKEYALGS, ctx, &maybe);
	if (why->e != NULL && why->e->argc < 1)
		return KA_OK;	/* sshd -t refuses it: config-invalid's */
	v = list_verdict(t, type, why->e ? why->e->argv[0] : NULL, why);
	if (strncmp(type, "ssh-dss", 7) == 0) {
		dsa = release_has(t, REL_DSA_USERKEY);
		if (dsa == TRI_NO) {
			why->nodsa = 1;
			v = KA_REFUSED;
		} else if (dsa == TRI_MAYBE && v == KA_OK) {
			why->unknown = "whether this sshd still has DSA is not "
			    "measured";
			v = KA_UNKNOWN;
		}
	}
	if (v != KA_OK && v != KA_UNKNOWN && maybe != NULL && !why->nodsa) {
		why->unknown = "a Match block sshfix cannot judge may set "
		    "PubkeyAcceptedAlgorithms";
		v = KA_UNKNOWN;
	}
	if (sigalgs(type, algs) > 0)
		memcpy(why->alg, algs[0], sizeof(why->alg));
	return v;
}
