/*
 * --explain: read a client's ssh -v output and say what it shows.
 * MUST: the log is hostile text. It is read to a bound (EXPLAIN_MAX bytes,
 * lines cut at XLINE_MAX), only matched with fixed strings, and every
 * piece kept from it is a copy printed later through vis(3) or JSON.
 * The shapes are those of OpenSSH's client from 7.4 to 10.x.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "report/explain.h"
#include "report/explain_int.h"
#include "util.h"

#define EXPLAIN_MAX	(8 * 1024 * 1024)
#define XLINE_MAX	4096

static void
keep(char **slot, const char *s)
{
	free(*slot);
	*slot = xstrdup(s);
}

/* The text between PRE and the first SEP after it, or NULL. */
static char *
between(const char *s, const char *pre, const char *sep)
{
	const char *a = strstr(s, pre), *b;

	if (a == NULL)
		return NULL;
	a += strlen(pre);
	if ((b = strstr(a, sep)) == NULL)
		b = a + strlen(a);
	return xasprintf("%.*s", (int)(b - a), a);
}

/* "Connecting to HOST [ADDR] port N." and "Authenticating to ... as 'U'" */
static void
line_peer(struct client_log *cl, const char *s)
{
	const char *p;

	if ((p = strstr(s, "Connecting to ")) != NULL && cl->host == NULL) {
		cl->host = between(p, "Connecting to ", " ");
		cl->addr = between(p, "[", "]");
		cl->port = between(p, "] port ", ".");
	}
	if ((p = strstr(s, "Could not resolve hostname ")) != NULL &&
	    cl->host == NULL)
		cl->host = between(p, "hostname ", ": ");
	if ((p = strstr(s, "Authenticating to ")) != NULL && cl->user == NULL)
		cl->user = between(p, " as '", "'");
}

/* What follows the last ": " (the reason of a failed connect). */
static const char *
last_field(const char *s)
{
	const char *p, *r = s;

	while ((p = strstr(r, ": ")) != NULL)
		r = p + 2;
	return r;
}

/* A line holding NEEDLE is kept whole in the member at OFF. */
static const struct mark {
	const char	*needle;
	size_t		 off;
} marks[] = {
#define M(n, m)	{ n, offsetof(struct facts, m) }
	M("Could not resolve hostname", resolve),
	M("Unable to negotiate with", negotiate),
	M("REMOTE HOST IDENTIFICATION HAS CHANGED", hk_changed),
	M(" host key is known for ", hk_unknown),
	M("Host key verification failed", hk_failed),
	M("Exceeded MaxStartups", startups),
	M("UNPROTECTED PRIVATE KEY FILE", unprot),
	M("no such identity: ", noident),		/* 7.x */
	M("not accessible: ", noident),			/* 8.x- */
	M("no mutual signature", nosig),
	M("Permission denied, please try again", pw_reject),
	M("Permission denied (", denied),
	M("Too many authentication failures", toomany),
	M("Authenticated to ", authed),
	M("Authentication succeeded", authed),		/* 7.x */
#undef M
};

static void
line_marks(struct facts *f, const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(s, marks[i].needle) != NULL)
			keep((char **)(void *)((char *)f + marks[i].off), s);
}

/* Lines whose meaning needs more than a needle. */
static void
line_other(struct facts *f, const char *s)
{
	const char *p;
	static const char cont[] = "Authentications that can continue: ";

	if ((p = strstr(s, "connect to host ")) != NULL ||
	    (p = strstr(s, "connect to address ")) != NULL) {
		keep(&f->connect, s);
		keep(&f->connect_why, last_field(p));
	}
	if ((p = strstr(s, "ssh-keygen -f ")) != NULL && strstr(p, " -R "))
		keep(&f->keygen, p);
	if (strstr(s, "Remote protocol version") != NULL)
		f->banner = 1;
	if ((p = strstr(s, "kex_exchange_identification: ")) != NULL &&
	    (strstr(p, "reset") != NULL || strstr(p, "closed") != NULL))
		keep(&f->banner_drop, s);
	if (strncmp(s, "Connection reset by ", 20) == 0 ||
	    strncmp(s, "Connection closed by ", 21) == 0 ||
	    strstr(s, "Connection reset by peer") != NULL)
		keep(&f->drop, s);
	/* The unprotected key's name and mode, on the line after. */
	if (f->unprot != NULL && strncmp(s, "Permissions ", 12) == 0) {
		keep(&f->unprot, s);
		free(f->unprot_path);
		f->unprot_path = between(s, "'", "'");
	}
	if ((p = strstr(s, cont)) != NULL)
		keep(&f->methods, p + sizeof(cont) - 1);
}

/* "PATH TYPE SHA256:FP ...": "TYPE SHA256:FP" kept once in CL. */
static void
keep_offered(struct client_log *cl, const char *p)
{
	const char *type, *fp;
	char *v;
	size_t i, tn, fn;

	type = p + strcspn(p, " ");
	type += strspn(type, " ");
	tn = strcspn(type, " ");
	fp = type + tn + strspn(type + tn, " ");
	fn = strcspn(fp, " ");
	if (tn == 0 || tn > 32 || fn > 64 || strncmp(fp, "SHA256:", 7) != 0)
		return;
	v = xasprintf("%.*s %.*s", (int)tn, type, (int)fn, fp);
	for (i = 0; i < XOFFERED_MAX && cl->offered[i] != NULL; i++)
		if (strcmp(cl->offered[i], v) == 0)
			break;
	if (i < XOFFERED_MAX && cl->offered[i] == NULL) {
		cl->offered[i] = v;
		return;
	}
	free(v);
}

static void
line_offer(struct client_log *cl, struct facts *f, const char *s)
{
	const char *p;

	/* 8.x-10.x "Offering public key: PATH TYPE FP"; 7.x "Offering
	 * RSA public key: PATH". */
	if ((p = strstr(s, "Offering ")) != NULL &&
	    (p = strstr(p, "public key: ")) != NULL) {
		p += 12;
		if (f->offered++ < 3)
			sbuf_addf(&f->offers, "%s%.*s", f->offered > 1 ?
			    ", " : "", (int)strcspn(p, " "), p);
		keep_offered(cl, p);
	}
	if (strstr(s, "Server accepts key:") != NULL)
		f->accepted++;
	if (strstr(s, "Trying private key: ") != NULL)
		f->tried++;
}

static void
facts_free(struct facts *f)
{
	char **v[] = { &f->resolve, &f->connect, &f->connect_why,
	    &f->negotiate, &f->hk_changed, &f->hk_unknown, &f->keygen,
	    &f->hk_failed, &f->banner_drop, &f->startups, &f->drop,
	    &f->toomany, &f->unprot, &f->unprot_path, &f->noident, &f->nosig,
	    &f->denied, &f->pw_reject, &f->methods, &f->authed };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		free(*v[i]);
	sbuf_free(&f->offers);
}

/* Before any authentication: the connection, host key, algorithms. */
/*
 * One line of FP into BUF, cut at SIZE - 1 bytes (the rest is skipped),
 * reading at most MAX bytes; the bytes read, 0 at the end of the input.
 */
static size_t
read_line(FILE *fp, char *buf, size_t size, size_t max)
{
	size_t n = 0, len = 0;
	int c;

	while (n < max && (c = getc(fp)) != EOF) {
		n++;
		if (c == '\n')
			break;
		if (len < size - 1)
			buf[len++] = (char)c;
	}
	while (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return n;
}

int
explain_read(const char *path, struct client_log *cl)
{
	struct facts f = { 0 };
	FILE *fp = stdin;
	char line[XLINE_MAX + 1];
	size_t n, total = 0;

	memset(cl, 0, sizeof(*cl));
	if (strcmp(path, "-") != 0 && (fp = fopen(path, "re")) == NULL) {
		err_set("--explain %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = read_line(fp, line, sizeof(line), EXPLAIN_MAX - total)) >
	    0) {
		total += n;
		/* 10.x prints its version as a debug1 line. */
		if (cl->version == NULL && (strncmp(line, "OpenSSH_", 8) == 0 ||
		    strncmp(line, "debug1: OpenSSH_", 16) == 0))
			cl->version = xstrdup(strchr(line, 'O'));
		line_peer(cl, line);
		line_marks(&f, line);
		line_other(&f, line);
		line_offer(cl, &f, line);
	}
	if (ferror(fp)) {
		err_set("--explain %s: read error", path);
		if (fp != stdin)
			fclose(fp);
		facts_free(&f);
		return -1;
	}
	if (fp != stdin)
		fclose(fp);
	explain_judge(cl, &f);
	facts_free(&f);
	return 0;
}

void
explain_free(struct client_log *cl)
{
	size_t i;

	for (i = 0; i < cl->n; i++) {
		free(cl->c[i].detail);
		free(cl->c[i].next);
		free(cl->c[i].cmd);
		free(cl->c[i].line);
	}
	free(cl->c);
	free(cl->version);
	free(cl->host);
	free(cl->addr);
	free(cl->port);
	free(cl->user);
	for (i = 0; i < XOFFERED_MAX; i++)
		free(cl->offered[i]);
	memset(cl, 0, sizeof(*cl));
}

/* The address the client connected to is loopback or one of ours. */
int
explain_local(const struct client_log *cl)
{
	struct ifaddrs *ifa, *i;
	char buf[NI_MAXHOST];
	int local = 0;

	if (cl->addr == NULL)
		return 0;
	if (strcmp(cl->addr, "::1") == 0 || strncmp(cl->addr, "127.", 4) == 0)
		return 1;
	if (getifaddrs(&ifa) == -1)
		return 0;
	for (i = ifa; i != NULL && !local; i = i->ifa_next) {
		if (i->ifa_addr == NULL || (i->ifa_addr->sa_family != AF_INET &&
		    i->ifa_addr->sa_family != AF_INET6))
			continue;
		if (getnameinfo(i->ifa_addr, i->ifa_addr->sa_family ==
		    AF_INET ? sizeof(struct sockaddr_in) :
		    sizeof(struct sockaddr_in6), buf, sizeof(buf), NULL, 0,
		    NI_NUMERICHOST) == 0 && strcmp(buf, cl->addr) == 0)
			local = 1;
	}
	freeifaddrs(ifa);
	return local;
}
