/*
 * hostkey-missing: a host key sshd cannot load because it is missing,
 * empty or corrupt: no private key inside, or one that does not parse
 * (cut short with its BEGIN/END lines intact, a passphrase, RSA under
 * 1024 bits; see src/target/keyparse.c). Missing default keys matter only when no key at all
 * would load (sshd logs them at debug level); a configured HostKey that
 * is missing is always reported. Keys whose only fault is their mode are
 * hostkey-perms' business.
 */
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "hostkeys.h"
#include "util.h"

enum { K_DEFAULTS = 1 };

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
	default:
		return "unusable";
	}
}

static int
broken(const struct hostkey *k)
{
	return k->state == HK_MISSING || k->state == HK_EMPTY ||
	    k->state == HK_CORRUPT;
}

static void
add(struct target *t, struct plan *p, const struct hostkey *k, int none)
{
	struct finding *f = plan_add_finding(p, &fault_hostkey_missing,
	    none ? SEV_ERROR : SEV_WARNING, k->path);

	finding_set_message(f, "host key %s is %s%s", k->path,
	    state_text(k), none ? "; no host key is usable, so sshd "
	    "exits at start" : "");
	if (k->state == HK_MISSING)
		finding_set_logline(f, "Unable to load host key: %s%s",
		    k->path, none ? " / sshd: no hostkeys available -- "
		    "exiting." : "");
	else
		/* The reason for a cut key varies with where it was cut. */
		finding_set_logline(f, "Unable to load host key \"%s\"%s%s%s",
		    k->path, k->said || !k->why ? ": " : "", k->said ?
		    k->said : k->why ? "" : "error in libcrypto", none ?
		    " / sshd: no hostkeys available -- exiting." : "");
	finding_add_evidence(f, "path", "%s", k->path);
	finding_add_evidence(f, "state", "%s", state_text(k));
	if (k->from_config)
		finding_add_evidence(f, "config", "%s:%zu",
		    t->cfg.files[k->file].path, k->line + 1);
	f->path = xstrdup(k->path);
	f->st = k->st;
	f->kind = k->is_default;
	f->aux = xstrdup(k->type);
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
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	struct action *a;

	(void)t;
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
