/*
 * firewalld read from a target's disk (include/target/net/firewalld.h):
 * firewalld.conf, the zones, policies and services of /etc/firewalld over
 * /usr/lib/firewalld, the zones NetworkManager and ifcfg files name. The
 * XML is parsed by expat with no document type allowed (no entity of any
 * kind); every file through safefs, within a budget. What firewalld does
 * with them is src/target/net/fwd_judge.c's.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#ifndef SSHFIX_STATIC
#include <expat.h>
#endif
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "safefs.h"
#include "target/net/firewalld.h"
#include "target/net/fwd_model.h"
#include "util.h"

#ifndef SSHFIX_STATIC
struct parse {
	struct fwd	*m;
	struct zone	*z;
	XML_Parser	 p;
	int		 depth;
	struct rule	*rule;
	int		 in_act;
	char		*err;
};

static const char *
attr(const XML_Char **a, const char *name)
{
	for (; a[0] != NULL; a += 2)
		if (strcmp(a[0], name) == 0)
			return a[1];
	return NULL;
}

static int
parse_net(const char *s, struct net *n)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long plen;

	if (s == NULL || strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	memset(n, 0, sizeof(*n));
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, n->a) == 1)
		n->fam = 4;
	else if (inet_pton(AF_INET6, buf, n->a) == 1)
		n->fam = 6;
	else
		return -1;
	n->plen = n->fam == 4 ? 32 : 128;
	if (slash != NULL) {
		/* an IPv4 netmask in dotted form is firewalld's too */
		if (n->fam == 4 && strchr(slash, '.') != NULL) {
			unsigned char m[4];
			uint32_t v;

			if (inet_pton(AF_INET, slash, m) != 1)
				return -1;
			v = ((uint32_t)m[0] << 24) | ((uint32_t)m[1] << 16) |
			    ((uint32_t)m[2] << 8) | m[3];
			for (plen = 0; plen < 32 && (v & (1u << (31 - plen)));
			    plen++)
				;
			if (plen < 32 && (v << plen) != 0)
				return -1;
		} else {
			errno = 0;
			plen = strtol(slash, &end, 10);
			if (errno != 0 || *end != '\0' || end == slash ||
			    plen < 0 || plen > n->plen)
				return -1;
		}
		n->plen = (int)plen;
	}
	return 0;
}

/* "22", "1000-2000", "" (every port). */
static int
parse_ports(const char *s, int *lo, int *hi)
{
	char *end;
	long a, b;

	if (s == NULL)
		return -1;
	if (*s == '\0') {
		*lo = 0;
		*hi = 65535;
		return 0;
	}
	errno = 0;
	a = strtol(s, &end, 10);
	b = a;
	if (errno == 0 && *end == '-' && end > s)
		b = strtol(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || a < 0 || b < a || b > 65535 ||
	    !isdigit((unsigned char)*s))
		return -1;
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

static void
bad(struct parse *ps, const char *fmt, const char *what)
{
	if (ps->err == NULL)
		ps->err = xasprintf("%s:%lu: %s%s", ps->m->files[ps->z->file],
		    (unsigned long)XML_GetCurrentLineNumber(ps->p), fmt,
		    what ? what : "");
	XML_StopParser(ps->p, XML_FALSE);
}

static int
item_of(struct parse *ps, const char *el, const XML_Char **a, struct item *it)
{
	const char *v;

	memset(it, 0, sizeof(*it));
	it->line = (size_t)XML_GetCurrentLineNumber(ps->p);
	if (strcmp(el, "service") == 0) {
		v = attr(a, "name");
		if (v == NULL || *v == '\0' || *v == '.' ||
		    strchr(v, '/') != NULL || strlen(v) > 128) {
			bad(ps, "a service name sshfix does not take", NULL);
			return -1;
		}
		it->el = EL_SERVICE;
		it->name = xstrdup(v);
		return 0;
	}
	if (strcmp(el, "port") == 0 || strcmp(el, "forward-port") == 0) {
		v = attr(a, "protocol");
		if (parse_ports(attr(a, "port"), &it->lo, &it->hi) == -1 ||
		    v == NULL || strlen(v) >= sizeof(it->proto)) {
			bad(ps, "a port sshfix cannot read", NULL);
			return -1;
		}
		snprintf(it->proto, sizeof(it->proto), "%s", v);
		it->el = el[0] == 'p' ? EL_PORT : EL_FWDPORT;
		return 0;
	}
	if (strcmp(el, "protocol") == 0) {
		v = attr(a, "value");
		if (v == NULL || strlen(v) >= sizeof(it->proto)) {
			bad(ps, "a protocol sshfix cannot read", NULL);
			return -1;
		}
		snprintf(it->proto, sizeof(it->proto), "%s", v);
		it->el = EL_PROTO;
		return 0;
	}
	return 1;
}

/* Elements that never match a TCP connection to the host. */
static const char *const nomatch[] = { "icmp-block", "icmp-type",
	"masquerade", "source-port", "tcp-mss-clamp", "icmp-block-inversion",
	"forward", "short", "description", "module", "helper" };

static int
is_nomatch(const char *el)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(nomatch); i++)
		if (strcmp(el, nomatch[i]) == 0)
			return 1;
	return 0;
}

static int
target_of(const char *s, int policy)
{
	if (s == NULL || strcmp(s, "default") == 0)
		return policy ? TG_CONTINUE : TG_DEFAULT;
	if (strcmp(s, "ACCEPT") == 0)
		return TG_ACCEPT;
	if (strcmp(s, "DROP") == 0)
		return TG_DROP;
	if (strcmp(s, "REJECT") == 0 || strcmp(s, "%%REJECT%%") == 0)
		return TG_REJECT;
	if (policy && strcmp(s, "CONTINUE") == 0)
		return TG_CONTINUE;
	return -1;
}

static void
rule_child(struct parse *ps, const char *el, const XML_Char **a)
{
	struct rule *r = ps->rule;
	struct item it;
	const char *v;
	int k;

	if (strcmp(el, "source") == 0) {
		v = attr(a, "invert");
		r->inv = v != NULL && strcasecmp(v, "true") == 0;
		if (attr(a, "address") != NULL) {
			if (parse_net(attr(a, "address"), &r->net) == -1)
				bad(ps, "a source address sshfix cannot read",
				    NULL);
			r->src = 1;
		} else
			r->src = 2;
		return;
	}
	if (strcmp(el, "destination") == 0) {
		r->dest = 1;
		return;
	}
	if (strcmp(el, "accept") == 0 || strcmp(el, "drop") == 0 ||
	    strcmp(el, "reject") == 0) {
		r->act = el[0] == 'a' ? DO_ACCEPT : el[0] == 'd' ? DO_DROP :
		    DO_REJECT;
		r->rtype = r->act == DO_REJECT && attr(a, "type") != NULL;
		ps->in_act = 1;
		return;
	}
	if (strcmp(el, "log") == 0 || strcmp(el, "nflog") == 0 ||
	    strcmp(el, "audit") == 0) {
		r->log = 1;
		return;
	}
	if (strcmp(el, "mark") == 0)
		return;
	if (is_nomatch(el)) {
		if (r->nel++ == 0)
			r->it.el = EL_NOMATCH;
		return;
	}
	/* more than one element: firewalld leaves the rule out */
	if ((k = item_of(ps, el, a, &it)) == 1)
		bad(ps, "an element sshfix does not know: ", el);
	else if (k == 0 && r->nel++ == 0)
		r->it = it;
	else
		free(it.name);
}

static void
start(void *data, const XML_Char *el, const XML_Char **a)
{
	struct parse *ps = data;
	struct zone *z = ps->z;
	struct item it;
	const char *v;
	int k;

	ps->depth++;
	if (ps->err != NULL)
		return;
	if (z->nit + z->nr + z->nsrc + z->nif + z->ningress > FWD_MAX_ITEMS) {
		bad(ps, "more elements than sshfix reads", NULL);
		return;
	}
	if (ps->depth == 1) {
		if (strcmp(el, z->kind == K_ZONE ? "zone" : z->kind ==
		    K_POLICY ? "policy" : "service") != 0) {
			bad(ps, "not the element firewalld expects: ", el);
			return;
		}
		z->line = (size_t)XML_GetCurrentLineNumber(ps->p);
		if (z->kind == K_SERVICE)
			return;
		if ((z->target = target_of(attr(a, "target"),
		    z->kind == K_POLICY)) == -1)
			bad(ps, "a target sshfix does not know", NULL);
		/* REJECT is a policy's; firewalld refuses it for a zone */
		else if (z->kind == K_ZONE && z->target == TG_REJECT &&
		    strcmp(attr(a, "target"), "REJECT") == 0)
			bad(ps, "target REJECT, which firewalld refuses for a "
			    "zone (its own is %%REJECT%%): it fails to load "
			    "its configuration", NULL);
		z->ipri = attr(a, "ingress-priority") != NULL;
		if ((v = attr(a, "priority")) != NULL)
			z->prio = strtol(v, NULL, 10);
		else if (z->kind == K_POLICY)
			z->prio = -1;
		return;
	}
	if (ps->depth == 2) {
		if (z->kind != K_SERVICE && strcmp(el, "rule") == 0) {
			z->r = xreallocarray(z->r, z->nr + 1, sizeof(*z->r));
			ps->rule = &z->r[z->nr++];
			memset(ps->rule, 0, sizeof(*ps->rule));
			ps->rule->line = (size_t)XML_GetCurrentLineNumber(ps->p);
			v = attr(a, "family");
			ps->rule->fam = v == NULL ? 0 : strcmp(v, "ipv4") == 0 ?
			    4 : strcmp(v, "ipv6") == 0 ? 6 : -1;
			if (ps->rule->fam == -1)
				bad(ps, "a rule family sshfix does not know",
				    NULL);
			if ((v = attr(a, "priority")) != NULL)
				ps->rule->prio = strtol(v, NULL, 10);
			return;
		}
		if (z->kind != K_SERVICE && strcmp(el, "interface") == 0) {
			z->nif++;
			return;
		}
		if (z->kind == K_ZONE && strcmp(el, "source") == 0) {
			if ((v = attr(a, "address")) == NULL) {
				z->src_other = 1;
				return;
			}
			z->src = xreallocarray(z->src, z->nsrc + 1,
			    sizeof(*z->src));
			if (parse_net(v, &z->src[z->nsrc++]) == -1)
				bad(ps, "a source address sshfix cannot read",
				    NULL);
			return;
		}
		if (z->kind == K_POLICY && (strcmp(el, "ingress-zone") == 0 ||
		    strcmp(el, "egress-zone") == 0)) {
			v = attr(a, "name");
			if (v == NULL)
				return;
			if (el[0] == 'e')
				z->egress_host |= strcmp(v, "HOST") == 0;
			else if (strcmp(v, "ANY") == 0)
				z->ingress_any = 1;
			else {
				z->ingress = xreallocarray(z->ingress,
				    z->ningress + 1, sizeof(char *));
				z->ingress[z->ningress++] = xstrdup(v);
			}
			return;
		}
		if (z->kind == K_SERVICE && (strcmp(el, "destination") == 0 ||
		    strcmp(el, "include") == 0)) {
			/* an include is a service of its own */
			if (el[0] == 'd') {
				z->dest = 1;
				return;
			}
			z->it = xreallocarray(z->it, z->nit + 1,
			    sizeof(*z->it));
			if (item_of(ps, "service", a, &z->it[z->nit]) == 0)
				z->nit++;
			return;
		}
		if (is_nomatch(el))
			return;
		if ((k = item_of(ps, el, a, &it)) == 1)
			bad(ps, "an element sshfix does not know: ", el);
		else if (k == 0) {
			z->it = xreallocarray(z->it, z->nit + 1,
			    sizeof(*z->it));
			z->it[z->nit++] = it;
		}
		return;
	}
	if (ps->depth == 3 && ps->rule != NULL) {
		rule_child(ps, el, a);
		return;
	}
	if (ps->depth == 4 && ps->rule != NULL && strcmp(el, "limit") == 0) {
		ps->rule->limit |= ps->in_act;
		return;
	}
	bad(ps, "an element sshfix does not know: ", el);
}

/*
 * Would firewalld take rich rule R (rich.py's check)? A rule it does
 * not take it leaves out with a warning ("MISSING_FAMILY", "no element,
 * no source, no destination", "More than one element"), and loads the
 * rest of the zone.
 */
static int
rule_taken(const struct rule *r)
{
	if (r->nel > 1 || r->prio < -32768 || r->prio > 32767)
		return 0;
	if (r->fam == 0 && (r->src == 1 || r->dest || r->rtype ||
	    r->it.el == EL_FWDPORT))
		return 0;
	if (r->nel == 0 && (!r->log || r->prio == 0) && (r->act == DO_NONE ||
	    (r->src == 0 && !r->dest && r->prio == 0)))
		return 0;
	if (r->it.el == EL_PORT && strcmp(r->it.proto, "tcp") != 0 &&
	    strcmp(r->it.proto, "udp") != 0 && strcmp(r->it.proto, "sctp") !=
	    0 && strcmp(r->it.proto, "dccp") != 0)
		return 0;
	return 1;
}

static void
end(void *data, const XML_Char *el)
{
	struct parse *ps = data;

	(void)el;
	if (ps->depth == 2 && ps->rule != NULL && ps->err == NULL &&
	    !rule_taken(ps->rule)) {
		free(ps->rule->it.name);
		ps->z->nr--;
	}
	if (ps->depth == 2)
		ps->rule = NULL;
	if (ps->depth == 3)
		ps->in_act = 0;
	ps->depth--;
}

static void
doctype(void *data, const XML_Char *name, const XML_Char *sys,
    const XML_Char *pub, int internal)
{
	(void)name;
	(void)sys;
	(void)pub;
	(void)internal;
	bad(data, "a document type, which sshfix does not read", NULL);
}

#endif

/* Read PATH (a K file) into a new entry of M; 0, or -1 (M->bad set). */
static int
load(struct fwd *m, const char *path, const char *name, int kind)
{
#ifdef SSHFIX_STATIC
	int ps = 0;
#else
	struct parse ps = { 0 };
#endif
	struct zone *z;
	char *data;
	size_t len;
	int r;

	if ((r = budget_read(&m->b, m->rootfd, path, &data, &len)) != 0) {
		m->bad = r == 1 ? xasprintf("firewalld's files are more than "
		    "sshfix reads") : xasprintf("%s: %s", path,
		    file_strerror(errno));
		return -1;
	}
	m->files = xreallocarray(m->files, m->nfiles + 1, sizeof(char *));
	m->texts = xreallocarray(m->texts, m->nfiles + 1, sizeof(char *));
	m->files[m->nfiles] = xstrdup(path);
	m->texts[m->nfiles++] = data;
	m->z = xreallocarray(m->z, m->nz + 1, sizeof(*m->z));
	z = &m->z[m->nz++];
	memset(z, 0, sizeof(*z));
	z->name = xstrndup(name, strlen(name) - 4);
	z->kind = kind;
	z->file = m->nfiles - 1;
#ifdef SSHFIX_STATIC
	/* expat would take the static binary past its 2 MB */
	(void)ps;
	z->bad = xstrdup("the static build of sshfix does not read XML "
	    "(the packaged sshfix does)");
#else
	ps.m = m;
	ps.z = z;
	if ((ps.p = XML_ParserCreate(NULL)) == NULL) {
		m->bad = xstrdup("out of memory");
		return -1;
	}
	XML_SetUserData(ps.p, &ps);
	XML_SetElementHandler(ps.p, start, end);
	XML_SetStartDoctypeDeclHandler(ps.p, doctype);
	if (len > INT_MAX || (XML_Parse(ps.p, data, (int)len, 1) ==
	    XML_STATUS_ERROR && ps.err == NULL))
		ps.err = xasprintf("%s:%lu: not XML firewalld would read (%s)",
		    path, (unsigned long)XML_GetCurrentLineNumber(ps.p),
		    XML_ErrorString(XML_GetErrorCode(ps.p)));
	XML_ParserFree(ps.p);
	z->bad = ps.err;
#endif
	return 0;
}

static int
want_xml(const char *name, const struct stat *st, const void *arg)
{
	size_t n = strlen(name);

	(void)st;
	(void)arg;
	return n > 4 && strcmp(name + n - 4, ".xml") == 0 && name[0] != '.';
}

struct zone *
fwd_find(const struct fwd *m, const char *name, int kind)
{
	size_t i;

	for (i = 0; i < m->nz; i++)
		if (m->z[i].kind == kind && strcmp(m->z[i].name, name) == 0)
			return &m->z[i];
	return NULL;
}

/* A .xml entry of directory D (DIR) that is not a regular file, which
   firewalld would read through and sshfix does not: -1 (M->bad). */
static int
odd_entry(struct fwd *m, int d, const char *dir)
{
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *dp;
	int fd;

	if ((fd = openat(d, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (dp = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		m->bad = xasprintf("%s: %s", dir, file_strerror(errno));
		return -1;
	}
	while ((de = readdir(dp)) != NULL && n++ <= FWD_MAX_DIR) {
		if (!want_xml(de->d_name, NULL, NULL))
			continue;
		if (fstatat(d, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode)) {
			m->bad = xasprintf("%s/%s is not a regular file (a "
			    "link, a FIFO...), which sshfix does not read", dir,
			    de->d_name);
			break;
		}
	}
	closedir(dp);
	return m->bad != NULL ? -1 : 0;
}

/* Every KIND file of DIR (etc first: it replaces the packaged one). */
static int
load_dir(struct fwd *m, const char *dir, int kind)
{
	struct sfs_file *f = NULL;
	char path[PATH_MAX];
	size_t n, i;
	int d, r = 0;

	if ((d = sfs_open(m->rootfd, dir, O_RDONLY | O_DIRECTORY, NULL)) ==
	    -1) {
		if (errno == ENOENT)
			return 0;
		m->bad = xasprintf("%s: %s", dir, file_strerror(errno));
		return -1;
	}
	if (odd_entry(m, d, dir) == -1) {
		close(d);
		return -1;
	}
	n = sfs_list(d, want_xml, NULL, FWD_MAX_DIR + 1, &f);
	close(d);
	if (n > FWD_MAX_DIR) {
		m->bad = xasprintf("%s: more files than sshfix reads", dir);
		r = -1;
	}
	for (i = 0; i < n && r == 0; i++) {
		char name[PATH_MAX];

		snprintf(name, sizeof(name), "%.*s", (int)(strlen(f[i].name) -
		    4), f[i].name);
		if (fwd_find(m, name, kind) != NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, f[i].name);
		r = load(m, path, f[i].name, kind);
	}
	for (i = 0; i < n; i++)
		free(f[i].name);
	free(f);
	return r;
}

/* A service NAME (its file in /etc, else the packaged one), read once,
   with what it includes. */
static int
load_service(struct fwd *m, const char *name, int depth)
{
	static const char *const dirs[] = { "/etc/firewalld/services",
	    "/usr/lib/firewalld/services" };
	char path[PATH_MAX], leaf[256];
	struct zone *z;
	struct stat st;
	size_t i, k;

	if (fwd_find(m, name, K_SERVICE) != NULL || depth > FWD_MAX_DEPTH)
		return 0;
	snprintf(leaf, sizeof(leaf), "%s.xml", name);
	for (i = 0; i < ARRAY_LEN(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], leaf);
		if (sfs_lstat(m->rootfd, path, &st) == 0 || errno != ENOENT)
			break;
	}
	if (i == ARRAY_LEN(dirs))
		return 0;		/* a service firewalld does not know */
	if (load(m, path, leaf, K_SERVICE) == -1)
		return -1;
	k = m->nz - 1;
	for (i = 0; i < m->z[k].nit; i++) {
		z = &m->z[k];
		if (z->it[i].el == EL_SERVICE &&
		    load_service(m, z->it[i].name, depth + 1) == -1)
			return -1;
	}
	return 0;
}

/* The value of KEY= on a line of TEXT (the last), quotes taken off. */
static char *
key_value(const char *text, const char *key)
{
	const char *s, *e, *v;
	char *val = NULL;
	size_t kl = strlen(key), n;

	for (s = text; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		v = s + strspn(s, " \t");
		if (strncmp(v, key, kl) != 0 || v[kl] != '=')
			continue;
		v += kl + 1;
		n = (size_t)(e - v);
		while (n > 0 && isspace((unsigned char)v[n - 1]))
			n--;
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v++;
			n -= 2;
		}
		free(val);
		val = xstrndup(v, n);
	}
	return val;
}

static int
want_prefix(const char *name, const struct stat *st, const void *prefix)
{
	(void)st;
	return strncmp(name, prefix, strlen(prefix)) == 0 && name[0] != '.';
}

/* The zones NetworkManager's keyfiles (zone=) and ifcfg files (ZONE=)
   put interfaces in. */
static void
iface_zones(struct fwd *m, const char *dir, const char *prefix,
    const char *key)
{
	struct sfs_file *f = NULL;
	char path[PATH_MAX], *data, *v;
	size_t n, i, len;
	int d;

	if ((d = sfs_open(m->rootfd, dir, O_RDONLY | O_DIRECTORY, NULL)) ==
	    -1) {
		if (errno != ENOENT && m->bad == NULL)
			m->bad = xasprintf("%s: %s", dir, file_strerror(errno));
		return;
	}
	n = sfs_list(d, want_prefix, prefix, FWD_MAX_DIR + 1, &f);
	close(d);
	if (n > FWD_MAX_DIR && m->bad == NULL)
		m->bad = xasprintf("%s: more files than sshfix reads", dir);
	for (i = 0; i < n && m->bad == NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, f[i].name);
		if (budget_read(&m->b, m->rootfd, path, &data, &len) != 0) {
			m->bad = xasprintf("%s: cannot be read", path);
			break;
		}
		if ((v = key_value(data, key)) != NULL && *v != '\0') {
			m->ifzones = xreallocarray(m->ifzones, m->nifzones + 1,
			    sizeof(char *));
			m->ifzones[m->nifzones++] = v;
		} else
			free(v);
		free(data);
	}
	for (i = 0; i < n; i++)
		free(f[i].name);
	free(f);
}

struct fwd *
fwd_read(struct target *t, char **why)
{
	static const struct budget b0 = BUDGET("firewalld's files",
	    FWD_MAX_FILE, FWD_MAX_FILES, FWD_MAX_BYTES);
	struct fwd *m = xcalloc(1, sizeof(*m));
	char *data, *v;
	size_t len, i, j, k;

	m->b = b0;
	m->rootfd = t->rootfd;
	if (budget_read(&m->b, t->rootfd, "/etc/firewalld/firewalld.conf",
	    &data, &len) == 0) {
		m->defzone = key_value(data, "DefaultZone");
		v = key_value(data, "AllowZoneDrifting");
		m->drifting = v != NULL && strcasecmp(v, "yes") == 0;
		free(v);
		free(data);
	} else if (errno != ENOENT)
		m->bad = xasprintf("/etc/firewalld/firewalld.conf: %s",
		    file_strerror(errno));
	if (m->defzone == NULL || *m->defzone == '\0') {
		free(m->defzone);
		m->defzone = xstrdup("public");
	}
	/* Direct rules are iptables rules firewalld passes on as they are. */
	if (m->bad == NULL && budget_read(&m->b, t->rootfd,
	    "/etc/firewalld/direct.xml", &data, &len) == 0) {
		if (strstr(data, "<rule") || strstr(data, "<passthrough") ||
		    strstr(data, "<chain"))
			m->bad = xstrdup("/etc/firewalld/direct.xml holds "
			    "direct rules, which sshfix does not judge");
		free(data);
	}
	if (m->bad == NULL)
		(void)(load_dir(m, "/etc/firewalld/zones", K_ZONE) == 0 &&
		    load_dir(m, "/usr/lib/firewalld/zones", K_ZONE) == 0 &&
		    load_dir(m, "/etc/firewalld/policies", K_POLICY) == 0 &&
		    load_dir(m, "/usr/lib/firewalld/policies", K_POLICY) == 0);
	for (i = 0; i < m->nz && m->bad == NULL; i++) {
		for (j = 0; j < m->z[i].nit && m->bad == NULL; j++)
			if (m->z[i].it[j].el == EL_SERVICE)
				(void)load_service(m, m->z[i].it[j].name, 0);
		for (j = 0; j < m->z[i].nr && m->bad == NULL; j++)
			if (m->z[i].r[j].it.el == EL_SERVICE)
				(void)load_service(m, m->z[i].r[j].it.name, 0);
	}
	if (m->bad == NULL) {
		iface_zones(m, "/etc/NetworkManager/system-connections", "",
		    "zone");
		iface_zones(m, "/etc/sysconfig/network-scripts", "ifcfg-",
		    "ZONE");
	}
	for (k = 0; k < m->nifzones && m->bad == NULL; k++)
		if (fwd_find(m, m->ifzones[k], K_ZONE) == NULL)
			m->bad = xasprintf("an interface is put in zone %s, "
			    "which firewalld does not have", m->ifzones[k]);
	if (m->bad == NULL && fwd_find(m, m->defzone, K_ZONE) == NULL)
		m->bad = xasprintf("its default zone %s has no file",
		    m->defzone);
	if (m->bad != NULL) {
		*why = m->bad;
		m->bad = NULL;
		fwd_free(m);
		return NULL;
	}
	return m;
}

const char *
fwd_default_zone(const struct fwd *m)
{
	return m->defzone;
}

int
fwd_zone_end(const struct fwd *m, const char *zone, char **path, int *exists,
    char **text, size_t *endl)
{
	static const char etc[] = "/etc/firewalld/zones/";
	const struct zone *z = fwd_find(m, zone, K_ZONE);
	const char *s, *e, *body, *f, *c;
	size_t line = 0, n, k;
	int found = 0;

	*path = *text = NULL;
	if (z == NULL)
		return -1;
	f = m->files[z->file];
	body = m->texts[z->file];
	*exists = strncmp(f, etc, sizeof(etc) - 1) == 0;
	/* the packaged file's declaration, which no comment may precede */
	if (!*exists && strncmp(body, "<?xml", 5) == 0 &&
	    (s = strstr(body, "?>")) != NULL)
		body = s + 2 + strspn(s + 2, "\r\n");
	for (s = body; *s != '\0'; s = *e ? e + 1 : e, line++) {
		e = s + strcspn(s, "\n");
		n = (size_t)(e - s);
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		k = strspn(s, " \t");
		if (found && n > k)
			return -1;	/* something after </zone> */
		if (n - k == 7 && strncmp(s + k, "</zone>", 7) == 0) {
			found = 1;
			*endl = line;
		} else if ((c = strstr(s, "</zone>")) != NULL && c < e)
			return -1;	/* not alone on its line */
	}
	if (!found)
		return -1;
	*path = xasprintf("%s%s.xml", etc, z->name);
	if (!*exists)
		*text = xstrdup(body);
	return 0;
}

void
fwd_free(struct fwd *m)
{
	size_t i, j;

	if (m == NULL)
		return;
	for (i = 0; i < m->nz; i++) {
		struct zone *z = &m->z[i];

		free(z->name);
		for (j = 0; j < z->ningress; j++)
			free(z->ingress[j]);
		free(z->ingress);
		for (j = 0; j < z->nit; j++)
			free(z->it[j].name);
		free(z->it);
		free(z->src);
		for (j = 0; j < z->nr; j++)
			free(z->r[j].it.name);
		free(z->r);
		free(z->bad);
	}
	free(m->z);
	for (i = 0; i < m->nfiles; i++) {
		free(m->files[i]);
		free(m->texts[i]);
	}
	free(m->files);
	free(m->texts);
	for (i = 0; i < m->nifzones; i++)
		free(m->ifzones[i]);
	free(m->ifzones);
	free(m->defzone);
	free(m->bad);
	free(m);
}
