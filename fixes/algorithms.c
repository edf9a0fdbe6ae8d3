/*
 * algorithms: an algorithm list of sshd_config (KexAlgorithms, Ciphers,
 * MACs, HostKeyAlgorithms) that shares nothing with what OpenSSH clients
 * offer by default (release.c's client table, 7.4 to 10.0). sshd starts,
 * and every connection from such a client ends before any login: "Unable
 * to negotiate with ADDR port N: no matching cipher found". The newest
 * client of the table cannot connect: ERROR (a current client gets in
 * nowhere); only older ones: WARNING naming their releases. Judged: a plain
 * list, its words as sshd's patterns ("*", "?"); MACs only for a client
 * whose agreed cipher is not AEAD (mac_needed). A list that adds to
 * (+), puts first (^) or takes from (-) sshd's own defaults is not: the
 * defaults differ by build. Advice only: the list is the administrator's
 * choice of cryptography, and sshfix does not widen it.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "fixes/fault.h"
#include "target/release.h"
#include "util.h"

static const struct kind {
	enum kw		 kw;
	const char	*what;		/* as the client's error says it */
	size_t		 off;		/* the list in struct client_defaults */
} kinds[] = {
	{ KW_KEXALGS, "key exchange method",
	    offsetof(struct client_defaults, kex) },
	{ KW_HOSTKEYALGS, "host key type",
	    offsetof(struct client_defaults, hostkeys) },
	{ KW_CIPHERS, "cipher", offsetof(struct client_defaults, ciphers) },
	{ KW_MACS, "MAC", offsetof(struct client_defaults, macs) },
};

static const char *
client_list(const struct client_defaults *c, const struct kind *k)
{
	return *(const char *const *)(const void *)((const char *)c + k->off);
}

/* The first algorithm of OFFER (comma-separated) one of LIST's patterns
   matches (malloc'd), or NULL. */
static char *
first_shared(const char *list, const char *offer)
{
	char *pats = xstrdup(list), *algs, *p, *a, *pa, *aa, *hit = NULL;

	for (algs = xstrdup(offer), aa = algs; hit == NULL &&
	    (a = strsep(&aa, ",")) != NULL; ) {
		free(pats);
		pats = xstrdup(list);
		for (pa = pats; (p = strsep(&pa, ",")) != NULL; )
			if (*p != '\0' && fnmatch(p, a, 0) == 0) {
				hit = xstrdup(a);
				break;
			}
	}
	free(pats);
	free(algs);
	return hit;
}

/* The first algorithm of the newest client's list that every client
   of the table offers (malloc'd), or NULL. */
static char *
offered_by_all(const struct client_defaults *c, size_t n,
    const struct kind *k)
{
	char *algs = xstrdup(client_list(&c[n - 1], k)), *p = algs, *a, *in;
	char *hit = NULL;
	size_t i;

	while (hit == NULL && (a = strsep(&p, ",")) != NULL) {
		for (i = 0; i < n; i++) {
			in = first_shared(a, client_list(&c[i], k));
			if (in == NULL)
				break;
			free(in);
		}
		if (i == n)
			hit = xstrdup(a);
	}
	free(algs);
	return hit;
}

/*
 * Does client C negotiate a MAC with this sshd at all? Not when the
 * cipher they agree on is AEAD (kex.c: "ignore mac for authenticated
 * encryption"): every client of the table offers chacha20-poly1305
 * first, and sshd's defaults (a "+" or "^" list keeps them) hold it. A
 * "-" list is taken to need one (sshfix does not know the build's
 * defaults); a plain list decides by the client's first shared cipher.
 */
static int
mac_needed(struct target *t, const struct client_defaults *c)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_CIPHERS, NULL,
	    NULL);
	char *cipher;
	int need;

	if (e != NULL && e->argc > 0 && e->argv[0][0] == '-')
		return 1;
	if (e == NULL || e->argc == 0 || strchr("+^", e->argv[0][0]) != NULL)
		cipher = xstrndup(c->ciphers, strcspn(c->ciphers, ","));
	else if ((cipher = first_shared(e->argv[0], c->ciphers)) == NULL)
		return 0;	/* no cipher: the Ciphers line's finding */
	need = strncmp(cipher, "chacha20-poly1305", 17) != 0 &&
	    strstr(cipher, "-gcm@openssh.com") == NULL;
	free(cipher);
	return need;
}

static void
judge(struct target *t, struct plan *p, const struct kind *k)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, k->kw, NULL, NULL);
	const struct client_defaults *c;
	struct sbuf none = { 0 };
	struct finding *f;
	size_t n, i, nfail = 0;
	char *hit, *w, *every;
	int newest = 0;

	if (e == NULL || e->argc == 0 || strchr("+-^", e->argv[0][0]) != NULL)
		return;
	c = release_clients(&n);
	for (i = 0; i < n; i++) {
		if (k->kw == KW_MACS && !mac_needed(t, &c[i]))
			continue;
		if ((hit = first_shared(e->argv[0], client_list(&c[i], k)))
		    != NULL) {
			free(hit);
			continue;
		}
		sbuf_addf(&none, "%s%s", nfail++ ? ", " : "", c[i].release);
		newest = i + 1 == n;
	}
	if (nfail == 0)
		return;
	w = cfg_where(&t->cfg, e->file, e->line);
	/* The newest client refused: people's clients are refused. */
	f = plan_add_finding(p, &fault_algorithms, newest ? SEV_ERROR :
	    SEV_WARNING, w);
	if (nfail == n)
		finding_set_message(f, "%s %s at %s: no OpenSSH client from %s "
		    "to %s offers any of these by default, so every connection "
		    "ends before a login", e->keyword, e->argv[0], w,
		    c[0].release, c[n - 1].release);
	else
		finding_set_message(f, "%s %s at %s: OpenSSH clients of %s "
		    "offer none of these by default and cannot connect%s",
		    e->keyword, e->argv[0], w, none.s, newest ? " (only "
		    "older ones do): a current client's every connection ends "
		    "before a login" : "");
	finding_set_logline(f, "Unable to negotiate with ADDR port N: no "
	    "matching %s found. Their offer: ... [preauth]", k->what);
	finding_add_evidence(f, "config", "%s", w);
	finding_add_evidence(f, "line", "%s %s", e->keyword, e->argv[0]);
	/* An algorithm every client of the table offers, for the advice. */
	every = offered_by_all(c, n, k);
	f->entry = e;
	f->aux = every != NULL ? every : xstrdup("?");
	free(w);
	sbuf_free(&none);
}

static int
detect(struct target *t, struct plan *p)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(kinds); i++)
		judge(t, p, &kinds[i]);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	char *w = cfg_where(&t->cfg, f->entry->file, f->entry->line);

	(void)p;
	plan_add_manual(f, "add an algorithm the clients offer to %s at %s "
	    "(every OpenSSH client from 7.4 to 10.0 offers %s), or delete "
	    "the line for sshd's defaults; sshfix does not change the choice "
	    "of cryptography", f->entry->keyword, w, f->aux);
	free(w);
}

const struct fault fault_algorithms = {
	.id = "algorithms",
	.summary = "an algorithm list OpenSSH clients share nothing with",
	.detect = detect,
	.plan = plan,
};
