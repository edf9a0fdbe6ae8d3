/*
 * Client-address matching with sshd's semantics: numeric addresses parsed
 * as getaddrinfo(AI_NUMERICHOST) parses them for sshd, CIDR blocks whose
 * host bits must be zero, wildcards for everything else.
 *
 * getaddrinfo and getnameinfo are not called: in the static build they
 * would load the rescue system's NSS modules. Their numeric rules are
 * kept instead (glibc's gaih_inet and getnameinfo): IPv4 in every
 * inet_aton form ("127.1") and nothing after it, IPv6 with an optional
 * %zone (an interface name on link-local addresses, else a number).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/config/match.h"
#include "target/config/addrmatch.h"
#include "target/config/config.h"
#include "util.h"

struct xaddr {
	int		af;
	unsigned char	b[16];
	uint32_t	zone;		/* IPv6 scope id, 0 for none */
};

static int
link_local(const struct in6_addr *a)
{
	return IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MC_LINKLOCAL(a);
}

/* The %ZONE of IPv6 address A, as glibc's __inet6_scopeid_pton. */
static int
zone_parse(const struct in6_addr *a, const char *zone, uint32_t *id)
{
	unsigned long long n;
	char *end;

	if ((link_local(a) || IN6_IS_ADDR_MC_NODELOCAL(a)) &&
	    (*id = if_nametoindex(zone)) != 0)
		return 0;
	if (!isdigit((unsigned char)*zone))
		return -1;
	n = strtoull(zone, &end, 10);
	if (*end != '\0' || n > UINT32_MAX)
		return -1;
	*id = (uint32_t)n;
	return 0;
}

static int
addr_parse(const char *s, struct xaddr *x)
{
	char buf[INET6_ADDRSTRLEN];
	struct in_addr in;
	const char *pct;
	size_t n;

	if (s == NULL)
		return -1;
	memset(x, 0, sizeof(*x));
	/* inet_aton stops at white space; getaddrinfo wants the end. */
	if (strpbrk(s, " \t\n\v\f\r") == NULL && inet_aton(s, &in) == 1) {
		x->af = AF_INET;
		memcpy(x->b, &in, 4);
		return 0;
	}
	pct = strchr(s, '%');
	n = pct != NULL ? (size_t)(pct - s) : strlen(s);
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, x->b) != 1 || (pct != NULL &&
	    zone_parse((const struct in6_addr *)(void *)x->b, pct + 1,
	    &x->zone) == -1))
		return -1;
	x->af = AF_INET6;
	return 0;
}

static unsigned
addr_bits(int af)
{
	return af == AF_INET ? 32 : 128;
}

/* Bit I of X (from the most significant). */
static int
addr_bit(const struct xaddr *x, unsigned i)
{
	return (x->b[i / 8] >> (7 - i % 8)) & 1;
}

/* 0 parsed, -1 not an address (try a wildcard), -2 invalid block. */
static int
cidr_parse(const char *s, struct xaddr *net, unsigned *len)
{
	char buf[64], *slash, *end;
	unsigned long ml = 0;
	unsigned i;

	if (strlen(s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		if (*slash < '0' || *slash > '9')
			return -1;
		ml = strtoul(slash, &end, 10);
		if (*end != '\0' || ml > 0x7fffffffUL)
			return -1;
	}
	if (addr_parse(buf, net) == -1)
		return -1;
	if (slash == NULL)
		ml = addr_bits(net->af);
	if (ml > addr_bits(net->af))
		return -2;
	for (i = (unsigned)ml; i < addr_bits(net->af); i++)
		if (addr_bit(net, i))
			return -2;
	*len = (unsigned)ml;
	return 0;
}

static int
addr_in(const struct xaddr *a, const struct xaddr *net, unsigned len)
{
	unsigned i;

	if (a->af != net->af)
		return 0;
	for (i = 0; i < len; i++)
		if (addr_bit(a, i) != addr_bit(net, i))
			return 0;
	return 1;
}

int
addr_match_list(const char *addr, const char *list)
{
	struct xaddr a, net;
	char *copy, *p, *w;
	unsigned len;
	int ret = 0, neg, r, hit;

	if (addr != NULL && addr_parse(addr, &a) == -1)
		return 0;
	copy = p = xstrdup(list);
	while ((w = strsep(&p, ",")) != NULL) {
		neg = *w == '!';
		if (neg)
			w++;
		if (*w == '\0') {
			ret = -2;
			break;
		}
		r = cidr_parse(w, &net, &len);
		if (r == -2) {
			ret = -2;
			break;
		}
		hit = addr != NULL && (r == 0 ? addr_in(&a, &net, len) :
		    match_pattern(addr, w));
		if (hit && neg) {
			ret = -1;
			break;
		}
		if (hit)
			ret = 1;
	}
	free(copy);
	return ret;
}

int
match_host_and_ip(const char *host, const char *ipaddr, const char *patterns)
{
	int mip, mhost;

	if ((mip = addr_match_list(ipaddr, patterns)) == -2)
		return -1;
	if (host == NULL || ipaddr == NULL || mip == -1)
		return 0;
	/* Host names compare in lower case (match_hostname). */
	if ((mhost = match_pattern_list(host, patterns, 1)) == -1)
		return 0;
	return mhost == 1 || mip == 1;
}

int
match_user_has_host(const char *pattern)
{
	return strrchr(pattern, '@') != NULL;
}

int
match_user(const char *user, const char *host, const char *ipaddr,
    const char *pattern)
{
	char *pat, *at;
	int r;

	if (user == NULL)
		return 0;
	if ((at = strrchr(pattern, '@')) == NULL)
		return match_pattern(user, pattern);
	pat = xstrdup(pattern);
	at = pat + (at - pattern);
	*at++ = '\0';
	if ((r = match_pattern(user, pat)) == 1)
		r = match_host_and_ip(host, ipaddr, at);
	free(pat);
	return r;
}

int
addr_canonical(const char *s, char *out, size_t outlen)
{
	char name[IF_NAMESIZE];
	struct xaddr x;
	const void *a = x.b;
	int af, r;
	size_t n;

	if (addr_parse(s, &x) == -1)
		return -1;
	af = x.af;
	/* sshd names an IPv4-mapped IPv6 client as IPv4. */
	if (af == AF_INET6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)
	    (const void *)x.b)) {
		af = AF_INET;
		a = x.b + 12;
		x.zone = 0;
	}
	if (outlen > (size_t)INT32_MAX || inet_ntop(af, a, out,
	    (socklen_t)outlen) == NULL)
		return -1;
	if (x.zone == 0)
		return 0;
	n = strlen(out);
	if (link_local((const struct in6_addr *)(const void *)x.b) &&
	    if_indextoname(x.zone, name) != NULL)
		r = snprintf(out + n, outlen - n, "%%%s", name);
	else
		r = snprintf(out + n, outlen - n, "%%%u", (unsigned)x.zone);
	return r < 0 || (size_t)r >= outlen - n ? -1 : 0;
}
