/*
 * What a Match line can know of the server side of a connection, as
 * servconf.c match_cfg_line reads it (connection_info), computed once
 * and only when some Match line asks:
 *   LocalPort     the port, when every address sshd binds has the same one
 *   LocalAddress  the address, when sshd binds exactly one (not a
 *                 wildcard, not a host name)
 *   RDomain       "" when no RDomain and no "ListenAddress ... rdomain" is
 *                 configured: on Linux sshd reads SO_BINDTODEVICE, empty
 *                 for a socket bound to no device (port-net.c)
 *   Version       the release string of the target's sshd (SSH_RELEASE)
 * Ports given on sshd's command line (-p, -o Port=) or by socket
 * activation are not in the config; such a server is judged by its
 * config, as sshd -T would.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/net/listen.h"
#include "target/net/match_server.h"
#include "target/release.h"
#include "target/target.h"
#include "util.h"

static int
asks(const struct cfg *c, const char *crit)
{
	size_t i, n = strlen(crit);
	int j;

	for (i = 0; i < c->nmatches; i++)
		for (j = 0; j < c->matches[i]->argc; j++)
			if (strncasecmp(c->matches[i]->argv[j], crit, n) == 0 &&
			    (c->matches[i]->argv[j][n] == '\0' ||
			    c->matches[i]->argv[j][n] == '='))
				return 1;
	return 0;
}

static void
local_side(struct target *t)
{
	struct listen *v;
	char buf[INET6_ADDRSTRLEN];
	size_t n, i;
	int port, one_addr;

	n = listen_effective(&t->cfg, &v);
	port = n > 0 ? v[0].port : 0;
	one_addr = n > 0 && !v[0].wildcard && (v[0].fam == 4 || v[0].fam == 6);
	for (i = 1; i < n; i++) {
		if (v[i].port != port)
			port = 0;
		if (v[i].fam != v[0].fam || v[i].wildcard ||
		    memcmp(v[i].addr, v[0].addr, sizeof(v[0].addr)) != 0)
			one_addr = 0;
	}
	t->srv_lport = port;
	if (one_addr && inet_ntop(v[0].fam == 4 ? AF_INET : AF_INET6,
	    v[0].addr, buf, sizeof(buf)) != NULL)
		t->srv_laddr = xstrdup(buf);
	free(v);
}

static int
rdomain_configured(const struct cfg *c)
{
	size_t i;
	int j;

	for (i = 0; i < c->nents; i++) {
		if (strcasecmp(c->ents[i].keyword, "rdomain") == 0)
			return 1;
		for (j = 0; c->ents[i].kw == KW_LISTENADDRESS &&
		    j < c->ents[i].argc; j++)
			if (strcasecmp(c->ents[i].argv[j], "rdomain") == 0)
				return 1;
	}
	return 0;
}

void
target_match_server(struct target *t)
{
	if (asks(&t->cfg, "localport") || asks(&t->cfg, "localaddress"))
		local_side(t);
	if (asks(&t->cfg, "rdomain") && !rdomain_configured(&t->cfg))
		t->srv_rdomain = "";
	if (asks(&t->cfg, "version"))
		t->srv_version = release_text(t);
}
