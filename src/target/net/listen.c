/*
 * src/target/net/: the network as sshd meets it -- what it binds
 * (listen.c), who holds the port (sockets.c), local addresses and IPv6
 * (localaddr.c, ipv6.c), TCP wrappers (hostsaccess.c), the server side of
 * a connection for Match (match_server.c). Uses the top of src/target/
 * and what is below it.
 *
 * The (address, port) pairs sshd binds, as servconf.c computes them: each
 * ListenAddress ("ADDR", "ADDR:PORT", "[ADDR]:PORT", a bare IPv6 literal)
 * with its own port or else every Port (default 22); no ListenAddress:
 * the wildcard of each family AddressFamily allows.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/net/listen.h"
#include "util.h"

static int
family_allowed(const struct cfg *c)
{
	const struct cfg_entry *e = cfg_effective(c, KW_ADDRESSFAMILY,
	    NULL, NULL);

	if (e == NULL || e->argc == 0)
		return 0;
	if (strcasecmp(e->argv[0], "inet") == 0)
		return 4;
	if (strcasecmp(e->argv[0], "inet6") == 0)
		return 6;
	return 0;
}

static void
push(struct listen **v, size_t *n, const struct listen *l)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = *l;
}

/* The host part of VALUE into HOST and its port (0: none; -1: bad). */
static int
split_value(const char *v, char *host, size_t len)
{
	const char *c = strchr(v, ':'), *end, *portp = NULL;
	size_t n;
	long port;
	char *ep;

	if (strchr(v, '[') == NULL && c != NULL && strchr(c + 1, ':')) {
		n = strlen(v);		/* a bare IPv6 literal */
	} else if (v[0] == '[') {
		if ((end = strchr(v, ']')) == NULL)
			return -1;
		n = (size_t)(end - v - 1);
		v++;
		if (end[1] == ':')
			portp = end + 2;
		else if (end[1] != '\0')
			return -1;
	} else if (c != NULL) {
		n = (size_t)(c - v);
		portp = c + 1;
	} else
		n = strlen(v);
	if (n == 0 || n >= len)
		return -1;
	memcpy(host, v, n);
	host[n] = '\0';
	if (portp == NULL)
		return 0;
	port = strtol(portp, &ep, 10);
	return *ep != '\0' || port <= 0 || port > 65535 ? -1 : (int)port;
}

static void
add_value(struct listen **v, size_t *n, const struct cfg_entry *e,
    const int *ports, size_t nports, int af)
{
	struct listen l = { .value = e->argv[0], .entry = e };
	char host[256];
	int port = split_value(e->argv[0], host, sizeof(host));
	size_t i;

	if (port < 0)
		return;		/* sshd refuses the line: not ours */
	if (inet_pton(AF_INET, host, l.addr) == 1)
		l.fam = 4;
	else if (inet_pton(AF_INET6, host, l.addr) == 1)
		l.fam = 6;
	if (af != 0 && l.fam != 0 && l.fam != af)
		return;		/* address-family's finding */
	l.wildcard = l.fam != 0 && addr_is_any(l.addr, l.fam);
	for (i = 0; i < nports; i++) {
		if (port != 0 && i > 0)
			break;
		l.port = port != 0 ? port : ports[i];
		push(v, n, &l);
	}
}

size_t
listen_effective(const struct cfg *c, struct listen **out)
{
	const struct cfg_entry **pl, **ll;
	size_t np, nl, i, n = 0, nports = 0;
	int *ports, af = family_allowed(c);
	struct listen *v = NULL, w = { .wildcard = 1 };

	np = cfg_collect(c, KW_PORT, NULL, &pl);
	ports = xcalloc(np + 1, sizeof(*ports));
	for (i = 0; i < np; i++) {
		char *ep;
		long p = pl[i]->argc ? strtol(pl[i]->argv[0], &ep, 10) : 0;

		if (pl[i]->argc && *ep == '\0' && p > 0 && p <= 65535)
			ports[nports++] = (int)p;
	}
	if (nports == 0)
		ports[nports++] = 22;
	nl = cfg_collect(c, KW_LISTENADDRESS, NULL, &ll);
	for (i = 0; i < nl; i++)
		if (ll[i]->argc > 0)
			add_value(&v, &n, ll[i], ports, nports, af);
	for (i = 0; nl == 0 && i < nports; i++) {
		w.port = ports[i];
		if (af != 6) {
			w.fam = 4;
			w.value = "0.0.0.0";
			push(&v, &n, &w);
		}
		if (af != 4) {
			w.fam = 6;
			w.value = "::";
			push(&v, &n, &w);
		}
	}
	free(pl);
	free(ll);
	free(ports);
	*out = v;
	return n;
}

char *
listen_str(const struct listen *l)
{
	char a[INET6_ADDRSTRLEN] = "";

	if (l->fam == 0)
		return xasprintf("%s port %d", l->value, l->port);
	inet_ntop(l->fam == 4 ? AF_INET : AF_INET6, l->addr, a, sizeof(a));
	return xasprintf(l->fam == 4 ? "%s:%d" : "[%s]:%d", a, l->port);
}

int
listen_loopback(const struct listen *l)
{
	static const unsigned char v6lo[16] = { [15] = 1 };

	if (l->fam == 4)
		return l->addr[0] == 127;
	return l->fam == 6 && memcmp(l->addr, v6lo, 16) == 0;
}
