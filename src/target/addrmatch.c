/*
 * Client-address matching with sshd's semantics: numeric addresses parsed
 * with getaddrinfo(AI_NUMERICHOST) as sshd parses them, CIDR blocks whose
 * host bits must be zero, wildcards for everything else.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "addrmatch.h"
#include "config.h"
#include "util.h"

struct xaddr {
	int		af;
	unsigned char	b[16];
};

static int
addr_parse(const char *s, struct xaddr *x)
{
	struct addrinfo hints, *ai;
	int r = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	if (s == NULL || getaddrinfo(s, NULL, &hints, &ai) != 0)
		return -1;
	memset(x, 0, sizeof(*x));
	if (ai != NULL && ai->ai_family == AF_INET) {
		const struct sockaddr_in *in = (void *)ai->ai_addr;

		x->af = AF_INET;
		memcpy(x->b, &in->sin_addr, 4);
		r = 0;
	} else if (ai != NULL && ai->ai_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (void *)ai->ai_addr;

		x->af = AF_INET6;
		memcpy(x->b, &in6->sin6_addr, 16);
		r = 0;
	}
	freeaddrinfo(ai);
	return r;
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
	struct addrinfo hints, *ai;
	struct sockaddr_in v4;
	const struct sockaddr *sa;
	socklen_t salen;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(s, NULL, &hints, &ai) != 0)
		return -1;
	if (ai == NULL || (ai->ai_family != AF_INET &&
	    ai->ai_family != AF_INET6)) {
		freeaddrinfo(ai);
		return -1;
	}
	sa = ai->ai_addr;
	salen = ai->ai_addrlen;
	if (ai->ai_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(
	    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr)) {
		memset(&v4, 0, sizeof(v4));
		v4.sin_family = AF_INET;
		memcpy(&v4.sin_addr, ((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr.s6_addr + 12, 4);
		sa = (const struct sockaddr *)&v4;
		salen = sizeof(v4);
	}
	r = getnameinfo(sa, salen, out, (socklen_t)outlen, NULL, 0,
	    NI_NUMERICHOST);
	freeaddrinfo(ai);
	return r == 0 ? 0 : -1;
}
