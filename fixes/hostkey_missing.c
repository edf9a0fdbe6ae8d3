/*
 * hostkey-missing: a host key sshd cannot load because it is missing,
 * empty or corrupt: no private key inside, or one that does not parse
 * (cut short with its BEGIN/END lines intact, a passphrase, RSA under
 * 1024 bits; see src/target/keys/keyparse.c). Missing default keys matter only when no key at all
 * would load (sshd logs them at debug level); a configured HostKey that
 * is missing is always reported. Keys whose only fault is their mode are
 * hostkey-perms' business.
 *
 * DSA keys (release.h): OpenSSH 10.0 no longer loads them ("Unable to load
 * host key "K": unknown or unsupported key type"; sshd exits when no
 * other key loads). 7.4-9.6 load one but never offer it ("No supported key
 * exchange algorithms [preauth]" on every connection when it is the only
 * key). An sshd of a release the table does not know gets a note.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan/remedy.h"
#include "fixes/fault.h"
#include "target/keys/hostkeys.h"
#include "target/release.h"
#include "util.h"

enum { K_DEFAULTS = 1, K_DSA_NOKEX, K_DSA_GONE };

#define NO_HOSTKEYS	" / sshd: no hostkeys available -- exiting."

static const char *
state_text(const struct hostkey *k)
{
	if (k->why != NULL)
		return k->why;
	switch (k->state) {
	case HK_MISSING:
		return "missing";
	case HK_EMPTY:
		return "empty";
	case HK_CORRUPT:
		return "not a private key (corrupt)";
	case HK_UNSUPPORTED:
		return "a DSA key, which OpenSSH 10.0 and later do not load";
	default:
		return "unusable";
	}
}

static int
broken(const struct hostkey *k)
{
	return k->state == HK_MISSING || k->state == HK_EMPTY ||
	    k->state == HK_CORRUPT || k->state == HK_UNSUPPORTED;
}

/* sshd's reason after "Unable to load host key "PATH": ", or NULL. */
static const char *
reason(const struct hostkey *k)
{
	if (k->state == HK_UNSUPPORTED)
		return "unknown or unsupported key type";
	if (k->said != NULL)
		return k->said;
	return k->why != NULL ? NULL : "error in libcrypto";
}

static void
evidence(struct target *t, struct finding *f, const struct hostkey *k,
    const char *state)
{
	finding_add_evidence(f, "path", "%s", k->path);
	finding_add_evidence(f, "state", "%s", state);
	if (k->from_config)
		finding_add_evidence(f, "config", "%s:%zu",
		    t->cfg.files[k->file].path, k->line + 1);
	if (k->dsa && release_text(t) != NULL)
		finding_add_evidence(f, "sshd", "%s", release_text(t));
	f->path = xstrdup(k->path);
	f->st = k->st;
	f->entry = k->entry;
	f->aux = xstrdup(k->dsa ? "dsa" : k->type);
}

static void
add(struct target *t, struct plan *p, const struct hostkey *k, int none)
{
	struct finding *f = plan_add_finding(p, &fault_hostkey_missing,
	    none ? SEV_ERROR : SEV_WARNING, k->path);
	const char *why = reason(k);

	finding_set_message(f, "host key %s is %s%s", k->path,
	    state_text(k), none ? "; no host key is usable, so sshd "
	    "exits at start" : k->state == HK_UNSUPPORTED ? "; sshd skips "
	    "it and starts with the others" : "");
	if (k->state == HK_MISSING)
		finding_set_logline(f, "Unable to load host key: %s%s",
		    k->path, none ? NO_HOSTKEYS : "");
	else
		/* The reason for a cut key varies with where it was cut. */
		finding_set_logline(f, "Unable to load host key \"%s\"%s%s%s",
		    k->path, why ? ": " : "", why ? why : "",
		    none ? NO_HOSTKEYS : "");
	evidence(t, f, k, state_text(k));
	f->kind = k->state == HK_UNSUPPORTED ? K_DSA_GONE : k->is_default;
}

/* Is there a usable host key that is not a DSA key? */
static int
usable_besides_dsa(const struct hostkeys *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (!h->k[i].dsa && hostkeys_usable(&(struct hostkeys){
		    .k = &h->k[i], .n = 1 }, 1))
			return 1;
	return 0;
}

static int
has_keyword(const struct cfg *c, const char *kw)
{
	size_t i;

	for (i = 0; i < c->nents; i++)
		if (strcasecmp(c->ents[i].keyword, kw) == 0)
			return 1;
	return 0;
}

/*
 * DSA keys that load but are the only keys: sshd of 7.4-9.6 starts and
 * refuses every key exchange, unless HostKeyAlgorithms adds ssh-dss
 * (then a client that adds it too gets in: not judged, a note).
 */
static void
dsa_only(struct target *t, struct plan *p, const struct hostkeys *h)
{
	const char *v;
	struct finding *f;
	size_t i;

	if (usable_besides_dsa(h))
		return;
	for (i = 0; i < h->n; i++) {
		const struct hostkey *k = &h->k[i];

		if (!k->dsa || k->state != HK_OK)
			continue;
		v = release_text(t);
		if (release_has(t, REL_DSA_HOSTKEY_LOADED) != TRI_YES ||
		    release_has(t, REL_DSA_NO_DEFAULT_KEX) != TRI_YES) {
			target_note(t, "host key %s is a DSA key and the only "
			    "one; sshd %s is not in sshfix's release table: "
			    "whether it loads or offers it is not judged",
			    k->path, v ? v : "of unknown version");
			continue;
		}
		if (has_keyword(&t->cfg, "HostKeyAlgorithms")) {
			target_note(t, "host key %s is a DSA key and the only "
			    "one; HostKeyAlgorithms is set: whether it "
			    "offers ssh-dss is not judged", k->path);
			continue;
		}
		f = plan_add_finding(p, &fault_hostkey_missing, SEV_ERROR,
		    k->path);
		finding_set_message(f, "host key %s is a DSA key and the "
		    "only one sshd loads: %s starts but does not offer ssh-dss "
		    "(off by default since OpenSSH 7.0), so every key exchange "
		    "fails", k->path, v);
		finding_set_logline(f, "No supported key exchange algorithms "
		    "[preauth]");
		evidence(t, f, k, "the only host key, DSA");
		f->kind = K_DSA_NOKEX;
	}
}

static int
detect(struct target *t, struct plan *p)
{
	const struct hostkeys *h = hostkeys_get(t);
	int none;
	size_t i;

	/* Would any key load once hostkey-perms has fixed the modes? */
	none = !hostkeys_usable(h, 1);
	for (i = 0; i < h->n; i++) {
		if (!broken(&h->k[i]))
			continue;
		if (h->configured || none)
			add(t, p, &h->k[i], none);
	}
	if (!none)
		dsa_only(t, p, h);
	return 0;
}

/* No HostKey line but those of DSA keys? */
static int
only_dsa_lines(struct target *t)
{
	const struct hostkeys *h = hostkeys_get(t);
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->k[i].from_config && !h->k[i].dsa)
			return 0;
	return 1;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	struct action *a;

	/*
	 * A DSA key that loads (or would have): its HostKey line commented
	 * out, the key file left alone. With no other HostKey line, sshd
	 * falls back to the default keys, which ssh-keygen -A writes where
	 * missing; other lines keep their own findings.
	 */
	if (f->entry != NULL &&
	    (f->kind == K_DSA_NOKEX || f->kind == K_DSA_GONE)) {
		plan_comment_out(t, f, f->entry);
		if (only_dsa_lines(t) &&
		    !plan_has_action(p, ACT_KEYGEN_ALL, NULL))
			finding_add_action(f, ACT_KEYGEN_ALL, "/etc/ssh");
		return;
	}
	if (f->st.st_size > 0)	/* corrupt: keygen will not overwrite it */
		finding_add_action(f, ACT_UNLINK, f->path);
	/*
	 * A corrupt key is regenerated on its own: ssh-keygen -A, planned
	 * with the first finding, would run before later keys are removed.
	 */
	if (!f->kind || f->st.st_size > 0) {
		if (strcmp(f->aux, "dsa") == 0) {
			plan_add_manual(f, "DSA host keys are obsolete: remove "
			    "the HostKey line for %s", f->path);
			return;
		}
		a = finding_add_action(f, ACT_KEYGEN, f->path);
		a->keytype = xstrdup(f->aux);
		return;
	}
	/* One ssh-keygen -A writes every missing default key. */
	if (!plan_has_action(p, ACT_KEYGEN_ALL, NULL))
		finding_add_action(f, ACT_KEYGEN_ALL, "/etc/ssh");
}

const struct fault fault_hostkey_missing = {
	.id = "hostkey-missing",
	.summary = "a host key sshd cannot load: missing, empty, corrupt or truncated",
	.detect = detect,
	.plan = plan,
};
