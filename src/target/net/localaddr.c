/*
 * Does this machine have the address a ListenAddress names? On the
 * running system the kernel answers: a bind() to ADDR port 0 fails with
 * EADDRNOTAVAIL exactly when sshd's bind would (it honours
 * ip_nonlocal_bind, 127/8 and every local route). On a mounted root only
 * the target's own network configuration can tell, and only when it pins
 * every address statically: ifupdown (etc/network/interfaces and
 * interfaces.d),
 * systemd-networkd (etc/systemd/network, .network files) and RHEL's
 * network-scripts (ifcfg-*). Anything dynamic (DHCP, SLAAC, another
 * network manager, non-local binds) means "cannot tell".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "budget.h"
#include "incglob.h"
#include "target/net/ipv6.h"
#include "target/net/listen.h"
#include "target/net/localaddr.h"
#include "safefs.h"
#include "util.h"

static int
probe_bind(const struct listen *l)
{
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	int fd, r, e;

	fd = socket(l->fam == 4 ? AF_INET : AF_INET6, SOCK_STREAM |
	    SOCK_CLOEXEC, 0);
	if (fd == -1)
		return LA_UNKNOWN;
	if (l->fam == 4) {
		memcpy(&s4.sin_addr, l->addr, 4);
		r = bind(fd, (struct sockaddr *)&s4, sizeof(s4));
	} else {
		memcpy(&s6.sin6_addr, l->addr, 16);
		r = bind(fd, (struct sockaddr *)&s6, sizeof(s6));
	}
	e = errno;
	close(fd);
	if (r == 0)
		return LA_PRESENT;
	return e == EADDRNOTAVAIL ? LA_ABSENT : LA_UNKNOWN;
}

struct netconf {
	unsigned char	(*v4)[4];
	size_t		 n;
	int		 files;		/* configuration files read */
	char		*dynamic;	/* why an address may come later */
};

static void
add_v4(struct netconf *nc, const char *word)
{
	char a[INET_ADDRSTRLEN];
	size_t n = strcspn(word, "/ \t\"'");
	unsigned char b[4];

	if (n == 0 || n >= sizeof(a))
		return;
	memcpy(a, word, n);
	a[n] = '\0';
	if (inet_pton(AF_INET, a, b) != 1)
		return;
	nc->v4 = xreallocarray(nc->v4, nc->n + 1, sizeof(*nc->v4));
	memcpy(nc->v4[nc->n++], b, 4);
}

static void
set_dynamic(struct netconf *nc, const char *path, const char *line)
{
	if (nc->dynamic == NULL)
		nc->dynamic = xasprintf("%s: \"%s\"", path, line);
}

/* One line of PATH, already stripped of leading blanks. */
typedef void (*line_fn)(struct netconf *, const char *path, char *line);

static void
scan(struct target *t, struct budget *b, struct netconf *nc,
    const char *pattern, line_fn fn)
{
	char **paths, *data, *line, *save;
	size_t n, i, len;

	if (incglob(t->rootfd, pattern, &paths, &n, &t->unread) == -1)
		return;
	for (i = 0; i < n && !b->hit; i++) {
		if (budget_load(b, t->rootfd, paths[i], &t->unread, &data,
		    &len) == -1)
			continue;
		nc->files++;
		save = NULL;
		for (line = strtok_r(data, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			line += strspn(line, " \t");
			if (*line != '#' && *line != '\0')
				fn(nc, paths[i], line);
		}
		free(data);
	}
	incglob_free(paths, n);
}

/* interfaces(5): "iface X inet static" + "address A[/N]"; dhcp, auto. */
static void
ifupdown_line(struct netconf *nc, const char *path, char *line)
{
	char *w[4] = { 0 }, *save = NULL;
	size_t i;

	for (i = 0; i < 4; i++)
		w[i] = strtok_r(i ? NULL : line, " \t", &save);
	if (w[0] == NULL || (strcmp(w[0], "iface") == 0 && w[2] == NULL))
		return;
	if (strcmp(w[0], "iface") == 0 && w[3] != NULL &&
	    strcmp(w[3], "static") != 0 && strcmp(w[3], "loopback") != 0 &&
	    strcmp(w[3], "manual") != 0) {
		char *d = xasprintf("iface %s %s %s", w[1], w[2], w[3]);

		set_dynamic(nc, path, d);
		free(d);
	}
	else if (strcmp(w[0], "address") == 0 && w[1] != NULL)
		add_v4(nc, w[1]);
	else if (strcmp(w[0], "source") == 0 || strcmp(w[0],
	    "source-directory") == 0)
		set_dynamic(nc, path, "source");	/* not followed */
}

/* systemd.network(5): Address=A/N; DHCP=yes|ipv4|both. */
static void
networkd_line(struct netconf *nc, const char *path, char *line)
{
	if (strncmp(line, "Address=", 8) == 0)
		add_v4(nc, line + 8);
	else if (strncmp(line, "DHCP=", 5) == 0 && strcmp(line + 5, "no") &&
	    strcmp(line + 5, "ipv6") && strcmp(line + 5, "false"))
		set_dynamic(nc, path, line);
}

/* ifcfg: IPADDR[N]=A; BOOTPROTO=dhcp|bootp. */
static void
ifcfg_line(struct netconf *nc, const char *path, char *line)
{
	if (strncmp(line, "IPADDR", 6) == 0 && strchr(line, '=') != NULL)
		add_v4(nc, strchr(line, '=') + 1 + (strchr(line, '=')[1] ==
		    '"' || strchr(line, '=')[1] == '\''));
	else if (strncmp(line, "BOOTPROTO=", 10) == 0) {
		const char *v = line + 10 + strspn(line + 10, "\"'");

		if (strncasecmp(v, "dhcp", 4) == 0 ||
		    strncasecmp(v, "bootp", 5) == 0)
			set_dynamic(nc, path, line);
	}
}

/* Another manager whose addresses sshfix does not read. */
static const char *
other_manager(struct target *t)
{
	static const char *paths[] = { "/etc/netplan",
	    "/etc/NetworkManager/system-connections", "/etc/keepalived",
	    "/etc/cloud/cloud.cfg" };
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_LEN(paths); i++)
		if (sfs_lstat(t->rootfd, paths[i], &st) == 0)
			return paths[i];
	return NULL;
}

static void
netconf_load(struct target *t, struct netconf *nc)
{
	struct budget b = BUDGET("the network configuration files",
	    GLOB_FILE_MAX, GLOB_MAX_FILES, GLOB_MAX_BYTES);
	const char *o;
	char *where = NULL;

	scan(t, &b, nc, "/etc/network/interfaces", ifupdown_line);
	scan(t, &b, nc, "/etc/network/interfaces.d/*", ifupdown_line);
	scan(t, &b, nc, "/etc/systemd/network/*.network", networkd_line);
	scan(t, &b, nc, "/etc/sysconfig/network-scripts/ifcfg-*",
	    ifcfg_line);
	budget_note(&b, &t->unread);
	if (nc->dynamic == NULL && (o = other_manager(t)) != NULL)
		nc->dynamic = xasprintf("%s may configure addresses sshfix "
		    "does not read", o);
	if (nc->dynamic == NULL && target_sysctl(t,
	    "net.ipv4.ip_nonlocal_bind", &where) == 1)
		nc->dynamic = xasprintf("%s allows binding any address",
		    where);
	free(where);
}

int
local_addr(struct target *t, struct local_addrs *la, const struct listen *l,
    char **why)
{
	size_t i;
	int r;

	*why = NULL;
	if (l->fam == 0) {
		*why = xstrdup("a host name: sshd resolves it when it starts");
		return LA_UNKNOWN;
	}
	if (l->wildcard || listen_loopback(l))
		return LA_PRESENT;
	if (t->live) {
		r = probe_bind(l);
		/* No socket (the boot unit allows none) or an odd error. */
		if (r == LA_UNKNOWN)
			*why = xstrdup("the kernel could not be asked (no "
			    "socket of that family here)");
		return r;
	}
	if (l->fam == 6) {
		*why = xstrdup("IPv6 addresses may come from router "
		    "advertisements");
		return LA_UNKNOWN;
	}
	if (!la->loaded) {
		la->nc = xcalloc(1, sizeof(*la->nc));
		netconf_load(t, la->nc);
		la->loaded = 1;
	}
	if (la->nc->files == 0 || la->nc->n == 0) {
		*why = xstrdup("the target's network configuration pins no "
		    "address");
		return LA_UNKNOWN;
	}
	for (i = 0; i < la->nc->n; i++)
		if (memcmp(la->nc->v4[i], l->addr, 4) == 0)
			return LA_PRESENT;
	if (la->nc->dynamic != NULL) {
		*why = xstrdup(la->nc->dynamic);
		return LA_UNKNOWN;
	}
	return LA_ABSENT;
}

void
local_addrs_free(struct local_addrs *la)
{
	if (la->nc != NULL) {
		free(la->nc->v4);
		free(la->nc->dynamic);
		free(la->nc);
	}
	la->nc = NULL;
	la->loaded = 0;
}
