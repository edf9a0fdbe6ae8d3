/*
 * --explain: "Unable to negotiate with HOST port N: no matching WHAT
 * found. Their offer: LIST". The offer is the server's. An offer of old
 * algorithms only is an old server (or an sshd_config that narrows the
 * list to them): the server's side. Any other offer is refused by a
 * client older than it, or one whose own settings leave it out.
 * The line is foreign text: only matched and copied.
 */
#include <stdlib.h>
#include <string.h>

#include "report/explain.h"
#include "report/explain_int.h"
#include "util.h"

static const struct what {
	const char	*needle;	/* in "no matching ... found" */
	const char	*name;
	const char	*option;	/* in ssh_config and sshd_config */
} whats[] = {
	{ "key exchange method", "key exchange method", "KexAlgorithms" },
	{ "host key type", "host key type", "HostKeyAlgorithms" },
	{ "cipher", "cipher", "Ciphers" },
	{ "MAC", "MAC", "MACs" },
	{ "", "algorithm", "KexAlgorithms, Ciphers or MACs" },
};

/* What OpenSSH's client no longer enables by default (7.0 to 8.8). */
static const char *const old[] = {
	"diffie-hellman-group1-", "diffie-hellman-group14-sha1",
	"diffie-hellman-group-exchange-sha1", "ssh-dss", "ssh-rsa", "3des-",
	"arcfour", "blowfish-", "cast128-", "aes128-cbc", "aes192-cbc",
	"aes256-cbc", "rijndael-cbc", "hmac-md5", "hmac-sha1-96",
	"hmac-ripemd160", NULL
};

/* Markers in a key exchange offer, not algorithms. */
static const char *const markers[] = { "kex-strict-", "ext-info-", NULL };

static int
prefixed(const char *s, size_t len, const char *const *list)
{
	size_t i, n;

	for (i = 0; list[i] != NULL; i++) {
		n = strlen(list[i]);
		if (len >= n && strncmp(s, list[i], n) == 0)
			return 1;
	}
	return 0;
}

/*
 * The offer after "Their offer: " without its markers, into B; *FIRST
 * (taken), its first algorithm. 1: every algorithm in it is old.
 */
static int
read_offer(const char *line, struct sbuf *b, char **first)
{
	const char *p = strstr(line, "Their offer: "), *e;
	size_t len;
	int n = 0, nold = 0;

	*first = NULL;
	for (p = p != NULL ? p + 13 : ""; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		len = (size_t)(e - p);
		if (len == 0 || prefixed(p, len, markers))
			continue;
		sbuf_addf(b, "%s%.*s", n++ ? "," : "", (int)len, p);
		if (*first == NULL)
			*first = xasprintf("%.*s", (int)len, p);
		nold += prefixed(p, len, old);
	}
	return n > 0 && nold == n;
}

/* The client's major version: 10 from "OpenSSH_10.0p2", else 0. */
static int
client_major(const struct client_log *cl)
{
	const char *v = cl->version != NULL ?
	    strstr(cl->version, "OpenSSH_") : NULL;

	return v != NULL ? atoi(v + 8) : 0;
}

/* An offer of ssh-dss or ssh-rsa host keys only: the server's side. */
static const char *
old_hostkeys(const struct client_log *cl, const char *offer,
    const char *first, char **detail, char **next)
{
	int nodsa = client_major(cl) >= 10 && strncmp(first, "ssh-dss", 7) ==
	    0 && strchr(offer, ',') == NULL;

	*detail = xasprintf("the server offers only %s host keys, which the "
	    "client refuses (OpenSSH refuses ssh-dss since 7.0 and ssh-rsa "
	    "since 8.8%s): a DSA-only or ssh-rsa-only server", offer, nodsa ?
	    "; this client, 10.0 or later, has no DSA at all" : "");
	*next = xasprintf("give the server an ed25519 host key: sshfix "
	    "(hostkey-missing) plans it; %s%s", nodsa ? "until then only a "
	    "client older than 10.0, with DSA allowed, can connect" : "until "
	    "then this client can connect with -o HostKeyAlgorithms=+",
	    nodsa ? "" : first);
	return "no-hostkey-type";
}

const char *
explain_negotiate(const struct client_log *cl, const char *line,
    char **detail, char **next)
{
	const struct what *w = whats;
	struct sbuf b = { 0 };
	const char *id;
	char *first, *offer;
	int allold;

	while (w->needle[0] != '\0' && strstr(line, w->needle) == NULL)
		w++;
	/* An unknown WHAT has no option to name: the client's side. */
	allold = read_offer(line, &b, &first) && w->needle[0] != '\0';
	offer = sbuf_take(&b);
	if (allold && w->option[0] == 'H')
		id = old_hostkeys(cl, offer, first, detail, next);
	else if (allold) {
		id = "old-algorithms";
		*detail = xasprintf("the server offers only old %ss (%s), "
		    "which the client no longer enables: an old sshd, or an "
		    "sshd_config whose %s narrows the list to them", w->name,
		    offer, w->option);
		*next = xasprintf("on the server, allow a current one in %s in "
		    "sshd_config (sshd -T shows its list), or upgrade its "
		    "OpenSSH; until then this client can connect with "
		    "-o %s=+%s", w->option, w->option, first);
	} else {
		id = w->option[0] == 'H' ? "hostkey-type-refused" : "no-kex";
		*detail = xasprintf("the server offers the %ss %s, none of "
		    "which this client accepts: the client is older than them, "
		    "or its own %s (-o, ~/.ssh/config, /etc/ssh/ssh_config, a "
		    "crypto policy) leaves them out", w->name,
		    offer[0] != '\0' ? offer : "(not shown)", w->option);
		*next = xasprintf("remove the client's %s setting (ssh -G HOST "
		    "shows what it uses) or upgrade the client: it must accept "
		    "one of the server's", w->option);
	}
	free(first);
	free(offer);
	return id;
}
