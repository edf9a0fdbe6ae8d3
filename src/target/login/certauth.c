/*
 * A user certificate against the target's sshd for one account
 * (certauth.h). sshd's order: the algorithm checks of userauth_pubkey,
 * RevokedKeys, the authorized keys files (a cert-authority line), then
 * TrustedUserCAKeys; the first that accepts lets the key in. Every file
 * is read through safefs under a budget; nothing is run (an
 * AuthorizedPrincipalsCommand or AuthorizedKeysCommand makes the answer
 * "cannot tell" unless a file already accepts).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/config/addrmatch.h"
#include "target/config/match.h"
#include "target/keys/keyalgs.h"
#include "target/keys/keyparse.h"
#include "target/login/access.h"
#include "target/login/certauth.h"
#include "target/login/logins.h"
#include "target/login/revoked.h"
#include "target/release.h"
#include "safefs.h"
#include "util.h"

#define CA_FILE_MAX	(1u << 20)	/* TrustedUserCAKeys, principals */

/* sshd 8.2's default CASignatureAlgorithms (myproposal.h). */
static const char ca_default[] = "ssh-ed25519,ecdsa-sha2-nistp256,"
	"ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
	"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";

static enum cert_verdict
set(struct cert_why *w, enum cert_verdict v, enum cert_reason r,
    const char *logline, char *msg)
{
	free(w->msg);
	free(w->logline);
	w->msg = msg;
	w->reason = r;
	w->logline = logline ? xstrdup(logline) : NULL;
	return v;
}

/* Is the CA's signature algorithm one sshd takes? TRI_*. */
static enum tri
casig_ok(struct target *t, const struct login *l, const char *alg)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_CASIGALGS,
	    &l->ctx, NULL);
	const char *v = e != NULL && e->argc > 0 ? e->argv[0] : NULL;
	enum tri d, sha1 = TRI_MAYBE;

	if (match_pattern_list(alg, ca_default, 0) == 1)
		d = TRI_YES;
	else if ((sha1 = release_has(t, REL_CA_SHA1_REFUSED)) == TRI_YES)
		d = TRI_NO;
	else	/* 8.0 takes ssh-rsa; ssh-dss and the rest: not measured */
		d = sha1 == TRI_NO && strcmp(alg, "ssh-rsa") == 0 ? TRI_YES :
		    TRI_MAYBE;
	return alg_list_allows(alg, v, d);
}

/* RevokedKeys on the certificate, its key, its CA: REV_*. */
static int
revoked(struct target *t, const struct login *l, const struct sshcert *c,
    const char *b64, struct cert_why *w)
{
	const struct { const char *type, *b64, *what; } k[] = {
		{ c->type, b64, "the certificate" },
		{ c->plain, c->plain_b64, "its key" },
		{ c->ca_type, c->ca_b64, "its CA's key" },
	};
	const char *path, *err;
	char *fp, *line;
	size_t i;
	int r, unknown = 0;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		r = key_revoked(t, &l->ctx, k[i].type, k[i].b64, &path);
		if (r == REV_LISTED || r == REV_ALL) {
			fp = pubkey_fingerprint(c->plain_b64,
			    strlen(c->plain_b64));
			line = r == REV_LISTED ? xasprintf("Authentication key "
			    "%s-CERT %s revoked by file %s",
			    key_log_type(c->plain), fp ? fp : "?", path) :
			    xasprintf("Error checking authentication key "
			    "%s-CERT %s in revoked keys file %s: %s",
			    key_log_type(c->plain), fp ? fp : "?", path,
			    (revoked_all_why(t, path, &err), err));
			set(w, CV_REFUSED, CR_REVOKED, line, r == REV_LISTED ?
			    xasprintf("RevokedKeys %s revokes %s", path,
			    k[i].what) : xasprintf("RevokedKeys names %s, "
			    "which %s: sshd refuses every key", path,
			    revoked_all_why(t, path, &err)));
			free(line);
			free(fp);
			return r;
		}
		if (r == REV_UNKNOWN && !unknown) {
			unknown = 1;
			set(w, CV_UNKNOWN, CR_NONE, NULL, xasprintf("sshfix "
			    "could not judge RevokedKeys %s", path));
		}
	}
	return unknown ? REV_UNKNOWN : REV_NO;
}

/*
 * sshkey_cert_check_authority for a user certificate, then its critical
 * options (auth-options.c): source-address against every --from.
 */
static enum cert_verdict
authority(struct target *t, const struct sshcert *c, int require_principal,
    const char *name, struct cert_why *w)
{
	size_t i;
	int hit = 0;

	if (c->kind != CERT_TYPE_USER)
		return set(w, CV_REFUSED, CR_HOST, "Certificate invalid: not a "
		    "user certificate", xstrdup("it is a host certificate"));
	if ((uint64_t)t->now < c->valid_after)
		return set(w, CV_REFUSED, CR_VALIDITY, "Certificate invalid: "
		    "not yet valid", xstrdup("it is not valid yet"));
	if ((uint64_t)t->now >= c->valid_before)
		return set(w, CV_REFUSED, CR_VALIDITY, "Certificate invalid: "
		    "expired", xstrdup("it has expired"));
	if (c->nprincipals == 0 && require_principal)
		return set(w, CV_REFUSED, CR_PRINCIPAL, "Certificate lacks "
		    "principal list", xstrdup("it names no principal"));
	for (i = 0; name != NULL && i < c->nprincipals && !hit; i++)
		hit = strcmp(c->principals[i], name) == 0;
	if (name != NULL && c->nprincipals > 0 && !hit)
		return set(w, CV_REFUSED, CR_PRINCIPAL, "Certificate invalid: "
		    "name is not a listed principal", xasprintf("its "
		    "principals do not name %s", name));
	if (c->bad_critical != NULL)
		return set(w, CV_REFUSED, CR_OPTIONS, "Invalid certificate "
		    "options", xasprintf("it has the critical option \"%s\", "
		    "which sshd does not know", c->bad_critical));
	if (c->source_address == NULL)
		return CV_ACCEPTED;
	if (addr_match_list(NULL, c->source_address) == -2 ||
	    strpbrk(c->source_address, "*?!") != NULL)
		return set(w, CV_REFUSED, CR_OPTIONS, "Invalid certificate "
		    "options", xasprintf("its source-address \"%s\" is not "
		    "a list of addresses", c->source_address));
	if (t->from == NULL)
		return set(w, CV_UNKNOWN, CR_OPTIONS, NULL, xasprintf("it is "
		    "valid only from %s (give --from ADDR)",
		    c->source_address));
	for (i = 0; t->from[i] != NULL; i++)
		if (addr_match_list(t->from[i], c->source_address) != 1)
			return set(w, CV_REFUSED, CR_OPTIONS, "Refused by "
			    "certificate options", xasprintf("its "
			    "source-address %s does not allow %s",
			    c->source_address, t->from[i]));
	return CV_ACCEPTED;
}

/* Does TEXT (NUL-terminated) hold the key TYPE B64 on a line? */
static int
text_has(const char *text, const char *type, const char *b64)
{
	const char *s = text, *nl;
	size_t tl = strlen(type);

	for (; *s != '\0'; s = *nl ? nl + 1 : nl) {
		s += strspn(s, " \t");
		nl = s + strcspn(s, "\n");
		if (strncmp(s, type, tl) == 0 && (s[tl] == ' ' ||
		    s[tl] == '\t') && pubkey_line_has(s, (size_t)(nl - s), b64))
			return 1;
	}
	return 0;
}

/* An AuthorizedPrincipalsFile line's principal (the last word). */
static int
principal_line(const char *s, size_t n, const struct sshcert *c)
{
	const char *hash = memchr(s, '#', n), *w;
	size_t i;

	if (hash != NULL)
		n = (size_t)(hash - s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	for (w = s + n; w > s && w[-1] != ' ' && w[-1] != '\t'; w--)
		;
	if (w == s + n)
		return 0;
	for (i = 0; i < c->nprincipals; i++)
		if (strlen(c->principals[i]) == (size_t)(s + n - w) &&
		    memcmp(c->principals[i], w, (size_t)(s + n - w)) == 0)
			return w == s + strspn(s, " \t") ? 1 : 2;
	return 0;
}

/*
 * AuthorizedPrincipalsFile for L: 1 a line names a principal of C, 0
 * none (or no file), -1 cannot tell (why in W).
 */
static int
principals_file(struct target *t, const struct login *l,
    const struct sshcert *c, struct cert_why *w, char **pathp)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_PRINCFILE,
	    &l->ctx, NULL);
	char *x, *data, *s, *nl;
	size_t len;
	int r = 0, k;

	*pathp = NULL;
	if (e == NULL || e->argc == 0 || strcasecmp(e->argv[0], "none") == 0)
		return 0;
	if ((x = expand_user_tokens(e->argv[0], l->a)) == NULL)
		return 0;	/* sshd refuses it: no principals */
	*pathp = x[0] == '/' ? x : xasprintf("%s/%s", l->a->home, x);
	if (*pathp != x)
		free(x);
	if (strpbrk(*pathp, "*?[") != NULL) {
		set(w, CV_UNKNOWN, CR_NONE, NULL, xasprintf("sshfix does "
		    "not expand the pattern AuthorizedPrincipalsFile %s",
		    *pathp));
		return -1;
	}
	if (sfs_read_file(t->rootfd, *pathp, CA_FILE_MAX, &data, &len,
	    NULL) == -1) {
		if (errno == ENOENT)
			return 0;
		set(w, CV_UNKNOWN, CR_NONE, NULL, xasprintf("sshfix could "
		    "not read AuthorizedPrincipalsFile %s", *pathp));
		return -1;
	}
	for (s = data; *s != '\0' && r == 0; s = *nl ? nl + 1 : nl) {
		nl = s + strcspn(s, "\n");
		if ((k = principal_line(s, (size_t)(nl - s), c)) == 2) {
			r = -1;	/* options on the line: not judged */
			set(w, CV_UNKNOWN, CR_NONE, NULL, xasprintf("the line "
			    "of %s naming its principal has options sshfix "
			    "does not judge", *pathp));
		} else if (k == 1)
			r = 1;
	}
	free(data);
	return r;
}

/* TrustedUserCAKeys for L: CV_*; W says why when not CV_ACCEPTED. */
static enum cert_verdict
trusted_ca(struct target *t, const struct login *l, const struct sshcert *c,
    struct cert_why *w, int *listed)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_TRUSTEDUSERCA,
	    &l->ctx, NULL), *cmd;
	char *data, *abs, *pf;
	size_t len;
	int pr, use;
	enum cert_verdict v;

	*listed = 0;
	if (e == NULL || e->argc == 0 || strcasecmp(e->argv[0], "none") == 0)
		return CV_REFUSED;
	abs = e->argv[0][0] == '/' ? xstrdup(e->argv[0]) :
	    xasprintf("/%s", e->argv[0]);
	if (sfs_read_file(t->rootfd, abs, CA_FILE_MAX, &data, &len,
	    NULL) == -1) {
		v = errno == ENOENT ? CV_REFUSED : set(w, CV_UNKNOWN, CR_NONE,
		    NULL, xasprintf("sshfix could not read TrustedUserCAKeys "
		    "%s", abs));
		free(abs);
		return v;
	}
	*listed = text_has(data, c->ca_type, c->ca_b64);
	free(data);
	if (!*listed) {
		free(abs);
		return CV_REFUSED;
	}
	if ((pr = principals_file(t, l, c, w, &pf)) == -1) {
		free(pf);
		free(abs);
		return CV_UNKNOWN;
	}
	cmd = cfg_effective(&t->cfg, KW_PRINCCMD, &l->ctx, NULL);
	use = pf != NULL || (cmd != NULL && cmd->argc > 0 &&
	    strcasecmp(cmd->argv[0], "none") != 0);
	if (pr == 0 && pf == NULL && use)
		v = set(w, CV_UNKNOWN, CR_NONE, NULL, xstrdup("the "
		    "AuthorizedPrincipalsCommand decides its principals (not "
		    "run)"));
	else if (pr == 0 && use && cmd != NULL && cmd->argc > 0 &&
	    strcasecmp(cmd->argv[0], "none") != 0)
		v = set(w, CV_UNKNOWN, CR_NONE, NULL, xasprintf("%s names "
		    "none of its principals and the "
		    "AuthorizedPrincipalsCommand (not run) may", pf));
	else if (pr == 0 && use)
		v = set(w, CV_REFUSED, CR_PRINCIPAL, "Certificate does not "
		    "contain an authorized principal", xasprintf("%s names "
		    "none of its principals", pf));
	else
		v = authority(t, c, 1, use ? NULL : l->a->name, w);
	if (v == CV_ACCEPTED)
		w->via = xasprintf("TrustedUserCAKeys %s", abs);
	free(pf);
	free(abs);
	return v;
}

/* Does the comma list LIST name one of C's principals exactly? */
static int
principals_option(const char *list, const struct sshcert *c)
{
	size_t i, n;
	const char *p;

	for (i = 0; i < c->nprincipals; i++)
		for (p = list; *p != '\0'; p += n + (p[n] == ',')) {
			n = strcspn(p, ",");
			if (n == strlen(c->principals[i]) &&
			    memcmp(p, c->principals[i], n) == 0)
				return 1;
		}
	return 0;
}

/* The verdicts of the options of line K of KF (from=, expiry-time). */
static int
line_refused(struct target *t, const struct login *l,
    const struct keyfile *kf, const struct keyline *k)
{
	struct keyalg_why why;
	const char *addr;
	size_t j;
	int v, worst = -1;

	for (j = 0; j < kf->kl.n; j++) {
		const struct keyline *o = &kf->kl.v[j];

		if (o->line != k->line || o->kind == KL_CA)
			continue;
		if ((v = keyline_verdict(t, l, o, &addr, &why)) != -1 &&
		    (worst == -1 || v != KR_FROM_UNKNOWN))
			worst = v;
	}
	return worst;
}

/* The cert-authority lines of L's authorized keys files. */
static enum cert_verdict
ca_lines(struct target *t, const struct login *l, const struct sshcert *c,
    struct cert_why *w, int *listed)
{
	enum cert_verdict v, best = CV_REFUSED;
	struct cert_why lw = { 0 };
	size_t j;
	int i, r;

	*listed = 0;
	for (i = 0; i < l->nkf; i++) {
		const struct keyfile *kf = &l->kf[i];

		if (kf->nkeys == -1 && best == CV_REFUSED)
			best = set(w, CV_UNKNOWN, CR_NONE, NULL, xasprintf(
			    "sshfix could not read %s", kf->path));
		for (j = 0; j < kf->kl.n; j++) {
			const struct keyline *k = &kf->kl.v[j];

			if (k->kind != KL_CA || strcmp(k->type, c->ca_type) ||
			    strcmp(k->text, c->ca_b64))
				continue;
			*listed = 1;
			if ((r = line_refused(t, l, kf, k)) == KR_FROM_UNKNOWN)
				v = set(&lw, CV_UNKNOWN, CR_OPTIONS, NULL,
				    xasprintf("the cert-authority line %s:%zu "
				    "holds only from some addresses (give "
				    "--from ADDR)", kf->path, k->line + 1));
			else if (r != -1)
				v = set(&lw, CV_REFUSED, CR_OPTIONS, "Refused by "
				    "key options", xasprintf("the "
				    "cert-authority line %s:%zu refuses it "
				    "by its options", kf->path, k->line + 1));
			else if (k->command != NULL &&
			    !principals_option(k->command, c))
				v = set(&lw, CV_REFUSED, CR_PRINCIPAL,
				    "Certificate does not contain an "
				    "authorized principal", xasprintf("its "
				    "principals are not in the principals=\"%s\" "
				    "of %s:%zu", k->command, kf->path,
				    k->line + 1));
			else
				v = authority(t, c, 0, k->command ? NULL :
				    l->a->name, &lw);
			if (v == CV_ACCEPTED) {
				cert_why_free(w);
				w->via = xasprintf("the cert-authority line "
				    "%s:%zu", kf->path, k->line + 1);
				cert_why_free(&lw);
				return CV_ACCEPTED;
			}
			if (best == CV_REFUSED || v == CV_UNKNOWN) {
				best = set(w, v, lw.reason, lw.logline,
				    lw.msg);
				lw.msg = NULL;	/* now w's */
			}
			cert_why_free(&lw);
		}
	}
	return best;
}

enum cert_verdict
cert_judge(struct target *t, const struct login *l, const struct sshcert *c,
    const char *b64, struct cert_why *w)
{
	struct keyalg_why kw;
	struct cert_why cw = { 0 };
	const struct cfg_entry *cmd;
	char *line;
	enum cert_verdict kv, cv;
	char *fp;
	int in_keys, in_ca, v;

	memset(w, 0, sizeof(*w));
	switch (keytype_verdict(t, l, c->type, &kw)) {
	case KR_TYPE:
		return set(w, CV_REFUSED, CR_ALG, NULL, xasprintf("%s is not "
		    "in this sshd's PubkeyAcceptedAlgorithms", kw.alg));
	case KR_TYPE_UNKNOWN:
		return set(w, CV_UNKNOWN, CR_NONE, NULL, xstrdup(kw.unknown ?
		    kw.unknown : "its type is not judged"));
	}
	switch (casig_ok(t, l, c->sig_alg)) {
	case TRI_NO:
		line = xasprintf("userauth_pubkey: certificate signature "
		    "algorithm %s: signature algorithm not supported "
		    "[preauth]", c->sig_alg);
		set(w, CV_REFUSED, CR_CASIG, line, xasprintf("its CA signed "
		    "it with %s, which this sshd's CASignatureAlgorithms "
		    "leaves out", c->sig_alg));
		free(line);
		return CV_REFUSED;
	case TRI_MAYBE:
		return set(w, CV_UNKNOWN, CR_NONE, NULL, xasprintf("whether "
		    "this sshd takes CA signatures made with %s is not "
		    "measured", c->sig_alg));
	case TRI_YES:
		break;
	}
	if ((v = revoked(t, l, c, b64, w)) != REV_NO)
		return v == REV_UNKNOWN ? CV_UNKNOWN : CV_REFUSED;
	if ((kv = ca_lines(t, l, c, w, &in_keys)) == CV_ACCEPTED)
		return CV_ACCEPTED;
	cv = trusted_ca(t, l, c, &cw, &in_ca);
	/* The reason of the way that names the CA, or why it cannot tell. */
	if (cv == CV_ACCEPTED || cv == CV_UNKNOWN ||
	    (in_ca && kv == CV_REFUSED && !in_keys)) {
		cert_why_free(w);
		*w = cw;
	} else
		cert_why_free(&cw);
	if (cv != CV_REFUSED)
		return cv;
	if (kv == CV_UNKNOWN)
		return CV_UNKNOWN;
	cmd = cfg_effective(&t->cfg, KW_AUTHKEYSCMD, &l->ctx, NULL);
	if (cmd != NULL && cmd->argc > 0 && strcasecmp(cmd->argv[0], "none"))
		return set(w, CV_UNKNOWN, CR_NONE, NULL, xstrdup("the keys "
		    "come from AuthorizedKeysCommand (not run)"));
	if (in_keys || in_ca)
		return CV_REFUSED;
	fp = pubkey_fingerprint(c->ca_b64, strlen(c->ca_b64));
	set(w, CV_REFUSED, CR_UNTRUSTED, NULL, xasprintf("no CA sshd trusts "
	    "for %s signed it: neither TrustedUserCAKeys nor a cert-authority "
	    "line of %s's authorized keys names its CA %s %s", l->a->name,
	    l->a->name, key_log_type(c->ca_type), fp ? fp : "?"));
	free(fp);
	return CV_REFUSED;
}

void
cert_why_free(struct cert_why *w)
{
	free(w->msg);
	free(w->via);
	free(w->logline);
	memset(w, 0, sizeof(*w));
}

int
cert_accepted(struct target *t, const struct login *l, char *const *lines)
{
	struct sshcert c;
	struct cert_why w;
	char *b64;
	size_t i;
	int ok = 0;

	for (i = 0; lines != NULL && lines[i] != NULL && !ok; i++) {
		if (!cert_type_line(lines[i]) ||
		    cert_parse_line(lines[i], &c, &b64) == -1)
			continue;
		ok = cert_judge(t, l, &c, b64, &w) == CV_ACCEPTED;
		cert_why_free(&w);
		cert_free(&c);
		free(b64);
	}
	return ok;
}
