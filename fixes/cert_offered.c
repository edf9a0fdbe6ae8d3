/*
 * cert-offered: "is my certificate accepted?" For each certificate given
 * with --authorized-key (a "...-cert-v01@openssh.com" line, as
 * ssh-keygen -s writes KEY-cert.pub) and each target account where
 * public keys are on: sshd refuses it when its algorithm or its CA's
 * signature algorithm is left out, RevokedKeys lists it, its key or its
 * CA, it is not a user certificate, it has expired or is not yet valid,
 * no CA sshd trusts for the account signed it (TrustedUserCAKeys, or a
 * cert-authority line of an authorized keys file), its principals do not
 * fit (AuthorizedPrincipalsFile, principals=, else the user name), or a
 * critical option refuses the client (source-address against --from).
 * Every repair is advice: trust, principals and validity are the CA
 * holder's decisions, and a certificate is never written into an
 * authorized keys file (sshd matches a certificate only through its CA).
 * Where sshfix cannot judge (a principals command, a file it could not
 * read, no --from for a source-address) it says so: a warning.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fixes/fault.h"
#include "target/keys/cert.h"
#include "target/keys/keyparse.h"
#include "target/login/access.h"
#include "target/login/certauth.h"
#include "target/login/login.h"
#include "util.h"

/* "TYPE-CERT FP ID "key id" serial N CA TYPE FP", as sshd names it. */
static char *
describe(const struct sshcert *c)
{
	char *fp = pubkey_fingerprint(c->plain_b64, strlen(c->plain_b64));
	char *cafp = pubkey_fingerprint(c->ca_b64, strlen(c->ca_b64));
	char *s = xasprintf("%s-CERT %s ID \"%.80s\" (serial %llu) CA %s %s",
	    key_log_type(c->plain), fp ? fp : "?", c->key_id,
	    (unsigned long long)c->serial, key_log_type(c->ca_type),
	    cafp ? cafp : "?");

	free(fp);
	free(cafp);
	return s;
}

static void
judge(struct target *t, struct plan *p, const struct login *l,
    const char *line)
{
	struct sshcert c;
	struct cert_why w;
	struct finding *f;
	enum cert_verdict v;
	char *what, *key;

	if (cert_parse_line(line, &c, &key) == -1)
		return;
	v = cert_judge(t, l, &c, key, &w);
	if (v != CV_ACCEPTED) {
		what = describe(&c);
		f = plan_add_finding(p, &fault_cert_offered, v == CV_REFUSED ?
		    SEV_ERROR : SEV_WARNING, l->a->name);
		finding_add_evidence(f, "certificate", "%s", what);
		if (v == CV_REFUSED)
			finding_set_message(f, "your certificate %s would be "
			    "refused for %s: %s", what, l->a->name, w.msg);
		else
			finding_set_message(f, "cannot tell whether sshd "
			    "accepts your certificate %s for %s: %s", what,
			    l->a->name, w.msg);
		if (w.logline != NULL)
			finding_set_logline(f, "%s", w.logline);
		f->user = xstrdup(l->a->name);
		f->kind = (int)(v == CV_REFUSED ? w.reason : CR_NONE);
		free(what);
	}
	cert_why_free(&w);
	cert_free(&c);
	free(key);
}

static void
account(struct target *t, struct plan *p, const struct login *l,
    void *state)
{
	struct access x;
	size_t i;

	(void)state;
	if (t->new_keys == NULL || t->users == NULL)
		return;
	auth_assess(t, l, &x);
	/* Public keys off, or root refused them: another fault's. */
	if (cfg_flag(x.pk_entry, 1) && (l->a->uid != 0 ||
	    !permit_root_refuses_keys(permit_root_value(x.prl_entry))))
		for (i = 0; t->new_keys[i] != NULL; i++)
			if (cert_type_line(t->new_keys[i]))
				judge(t, p, l, t->new_keys[i]);
	sbuf_free(&x.files);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	static const char *const advice[] = {
		[CR_NONE] = "check it by hand: log in with it (ssh -v shows "
		    "what sshd says), or read sshd's log for the line above",
		[CR_ALG] = "use a certificate of a type this sshd accepts "
		    "(ssh-keygen -t ed25519, then have the CA sign it); "
		    "sshfix never widens PubkeyAcceptedAlgorithms",
		[CR_CASIG] = "have the CA sign it again with a current "
		    "algorithm (ssh-keygen -s CA -t rsa-sha2-512 ...); sshfix "
		    "never widens CASignatureAlgorithms",
		[CR_REVOKED] = "sshfix never takes an entry out of "
		    "RevokedKeys (it was revoked for a reason): have the CA "
		    "issue a new certificate for a new key",
		[CR_HOST] = "this is a host certificate: have the CA sign "
		    "the key as a user certificate (ssh-keygen -s CA without "
		    "-h)",
		[CR_VALIDITY] = "have the CA sign the key again with a "
		    "validity that includes now (ssh-keygen -s CA -V ...), or "
		    "check the target's clock",
		[CR_PRINCIPAL] = "have the CA sign the key again for the "
		    "account's principal (ssh-keygen -s CA -n NAME ...), or "
		    "add the principal where the server lists them "
		    "(AuthorizedPrincipalsFile or principals=): that grants "
		    "the certificate the account, a decision sshfix leaves "
		    "to you",
		[CR_OPTIONS] = "connect from an address the certificate "
		    "allows, or have the CA sign the key again without the "
		    "option that refuses it",
		[CR_UNTRUSTED] = "trusting a CA is the administrator's "
		    "decision: add the CA's public key to TrustedUserCAKeys "
		    "(or a cert-authority line) by hand, or rerun with "
		    "--authorized-key and the plain public key (ssh-keygen -y "
		    "-f KEY) to let this one key in",
	};

	(void)t;
	(void)p;
	if (f->kind < 0 || (size_t)f->kind >= ARRAY_LEN(advice))
		return;
	plan_add_manual(f, "%s", advice[f->kind]);
}

const struct fault fault_cert_offered = {
	.id = "cert-offered",
	.summary = "the certificate given with --authorized-key is one sshd "
	    "refuses for the account",
	.account = account,
	.plan = plan,
};
