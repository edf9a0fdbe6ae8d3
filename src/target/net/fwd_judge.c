/*
 * What firewalld does with a TCP connection to sshd, worked out from its
 * configuration (include/target/net/firewalld.h) as firewalld (0.9 to
 * 2.x; 0.6 has no policies) builds its chains for a packet to the host:
 * the loopback is accepted; the policies into HOST of negative priority;
 * the zone (the one whose source holds the address, of several the
 * first by name, else the one of the interface it arrives on, else the
 * default zone): a forward-port of the port first (a DNAT), its rich
 * rules of negative priority in order, its deny rich rules, what it
 * allows (services, ports, protocols, accept rich rules), its rich rules
 * of positive priority; the policies of priority 0 and more; the zone's
 * target, else (target "default") the reject at the end of firewalld's
 * input chain. Each rule of this order was checked against the real
 * firewalld by tests/distros/fwdgen.sh.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "target/net/firewalld.h"
#include "target/net/fwd_model.h"
#include "util.h"

int
fwd_in_net(const struct net *n, int fam, const unsigned char *a)
{
	int i, bits;

	if (n->fam != fam)
		return 0;
	for (i = 0, bits = n->plen; bits > 0; i++, bits -= 8) {
		unsigned char mask = bits >= 8 ? 0xff :
		    (unsigned char)(0xff << (8 - bits));

		if ((n->a[i] & mask) != (a[i] & mask))
			return 0;
	}
	return 1;
}

/* The packet judged. */
struct pkt {
	int		 fam;
	const unsigned char *a;
	int		 port;
};

static int
is_tcp(const char *p)
{
	return strcmp(p, "tcp") == 0 || strcmp(p, "6") == 0;
}

/* Does service NAME open the packet's port: 1, 0, -1 (*WHY). */
static int
service_opens(const struct fwd *m, const char *name, const struct pkt *k,
    int depth, char **why)
{
	const struct zone *s = fwd_find(m, name, K_SERVICE);
	size_t i;
	int r, any = 0;

	if (s == NULL) {
		*why = xasprintf("it names service %s, which firewalld does "
		    "not have (it refuses such a zone)", name);
		return -1;
	}
	if (s->bad != NULL) {
		*why = xstrdup(s->bad);
		return -1;
	}
	if (depth > FWD_MAX_DEPTH) {
		*why = xasprintf("service %s: includes nest deeper than "
		    "sshfix follows", name);
		return -1;
	}
	for (i = 0; i < s->nit; i++) {
		const struct item *it = &s->it[i];

		if (it->el == EL_SERVICE) {
			if ((r = service_opens(m, it->name, k, depth + 1,
			    why)) != 0)
				return r;
		} else if (it->el == EL_PROTO)
			any |= is_tcp(it->proto);
		else if (it->el == EL_PORT)
			any |= is_tcp(it->proto) && k->port >= it->lo &&
			    k->port <= it->hi;
	}
	if (any && s->dest) {
		*why = xasprintf("service %s opens it for a destination "
		    "address only, which sshfix does not judge", name);
		return -1;
	}
	return any;
}

/* Does IT match the packet: 1, 0, -1 (*WHY). */
static int
item_matches(const struct fwd *m, const struct zone *z, const struct item *it,
    const struct pkt *k, char **why)
{
	switch (it->el) {
	case EL_ALL:
		return 1;
	case EL_SERVICE:
		return service_opens(m, it->name, k, 0, why);
	case EL_PORT:
		return is_tcp(it->proto) && k->port >= it->lo &&
		    k->port <= it->hi;
	case EL_PROTO:
		return is_tcp(it->proto);
	case EL_FWDPORT:
		if (!is_tcp(it->proto) || k->port < it->lo ||
		    k->port > it->hi)
			return 0;
		*why = xasprintf("%s:%zu: a forward-port takes sshd's port "
		    "elsewhere", m->files[z->file], it->line);
		return -1;
	}
	return 0;
}

static int
rule_matches(const struct fwd *m, const struct zone *z, const struct rule *r,
    const struct pkt *k, char **why)
{
	const char *f = m->files[z->file];
	int in;

	if (r->fam != 0 && r->fam != k->fam)
		return 0;
	if (r->src == 1) {
		in = fwd_in_net(&r->net, k->fam, k->a);
		if (r->net.fam != k->fam)
			return 0;
		if (in == r->inv)
			return 0;
	}
	switch (item_matches(m, z, &r->it, k, why)) {
	case 0:
		return 0;
	case -1:
		return -1;
	}
	if (r->src == 2 || r->dest) {
		*why = xasprintf("%s:%zu: a rich rule on an ipset, a MAC "
		    "address or a destination, which sshfix does not judge",
		    f, r->line);
		return -1;
	}
	if (r->limit && r->act != DO_NONE) {
		*why = xasprintf("%s:%zu: a rich rule with a rate limit",
		    f, r->line);
		return -1;
	}
	return 1;
}

static void
answer(struct fwd_answer *ans, enum fwd_verdict v, const struct fwd *m,
    const struct zone *z, size_t line, int by_rule, char *why)
{
	ans->v = v;
	ans->zone = z->kind == K_ZONE ? z->name : NULL;
	ans->where = xasprintf("%s:%zu", m->files[z->file], line);
	ans->why = why;
	ans->by_rule = by_rule;
}

static enum fwd_verdict
of_act(int act)
{
	return act == DO_ACCEPT ? FWD_ACCEPT : act == DO_DROP ? FWD_DROP :
	    FWD_REJECT;
}

/* The rich rules of Z in the priority band (-1 below 0, 0, 1 above) and
   with a deny action (DENY 1), an accept (0) or any (-1), in priority
   order: 1 decided (ANS set), 0 not, -1 cannot tell (ANS set). */
static int
rules(const struct fwd *m, const struct zone *z, const struct pkt *k,
    int band, int deny, struct fwd_answer *ans)
{
	const struct rule *best = NULL, *unsure = NULL;
	char *why = NULL, *uwhy = NULL;
	size_t i;
	int r;

	for (i = 0; i < z->nr; i++) {
		const struct rule *x = &z->r[i];

		if ((band < 0 && x->prio >= 0) || (band == 0 && x->prio != 0) ||
		    (band > 0 && x->prio <= 0) || x->act == DO_NONE)
			continue;
		if (deny != -1 && (x->act != DO_ACCEPT) != deny)
			continue;
		if ((r = rule_matches(m, z, x, k, &why)) == -1 &&
		    unsure == NULL) {
			unsure = x;
			uwhy = why;
		} else if (r == -1)
			free(why);
		else if (r == 1 && (best == NULL || x->prio < best->prio))
			best = x;
		why = NULL;
	}
	/* the first by priority (then by its place in the file) decides */
	if (unsure != NULL && (best == NULL || unsure->prio < best->prio ||
	    (unsure->prio == best->prio && unsure < best))) {
		answer(ans, FWD_UNSURE, m, z, unsure->line, 1, uwhy);
		return -1;
	}
	free(uwhy);
	if (best == NULL)
		return 0;
	answer(ans, of_act(best->act), m, z, best->line, 1,
	    xasprintf("a rich rule of %s %s %s it", z->kind == K_ZONE ?
	    "zone" : "policy", z->name, best->act == DO_ACCEPT ? "accepts" :
	    best->act == DO_DROP ? "drops" : "rejects"));
	return 1;
}

static int target(const struct fwd *, const struct zone *,
    const struct pkt *, struct fwd_answer *);

/*
 * Z (a zone or a policy) on the packet: 1 decided, 0 it goes on (a zone
 * before its target, a policy of CONTINUE), -1 cannot tell; ANS set when
 * not 0.
 */
static int
judge_zone(const struct fwd *m, const struct zone *z, const struct pkt *k,
    struct fwd_answer *ans)
{
	char *why = NULL;
	size_t i;
	int r;

	if (z->bad != NULL) {
		answer(ans, FWD_UNSURE, m, z, z->line, 0, xstrdup(z->bad));
		return -1;
	}
	/* a forward-port is a DNAT, before any filter */
	for (i = 0; i < z->nit + z->nr; i++) {
		const struct item *it = i < z->nit ? &z->it[i] :
		    &z->r[i - z->nit].it;

		if (it->el == EL_FWDPORT && item_matches(m, z, it, k, &why) ==
		    -1) {
			answer(ans, FWD_UNSURE, m, z, it->line, 0, why);
			return -1;
		}
	}
	if ((r = rules(m, z, k, -1, -1, ans)) != 0 ||
	    (r = rules(m, z, k, 0, 1, ans)) != 0)
		return r;
	for (i = 0; i < z->nit; i++) {
		if ((r = item_matches(m, z, &z->it[i], k, &why)) == -1) {
			answer(ans, FWD_UNSURE, m, z, z->it[i].line, 0, why);
			return -1;
		}
		if (r == 1) {
			answer(ans, FWD_ACCEPT, m, z, z->it[i].line, 0,
			    xasprintf("%s %s opens it", z->kind == K_ZONE ?
			    "zone" : "policy", z->name));
			return 1;
		}
	}
	if ((r = rules(m, z, k, 0, 0, ans)) != 0 ||
	    (r = rules(m, z, k, 1, -1, ans)) != 0)
		return r;
	/* a policy's target ends its chain; a zone's comes after the
	   policies of priority 0 and more (judge_in) */
	return z->kind == K_POLICY ? target(m, z, k, ans) : 0;
}

/* Z's target on the packet: 1 decided (ANS set), 0 it goes on. */
static int
target(const struct fwd *m, const struct zone *z, const struct pkt *k,
    struct fwd_answer *ans)
{
	switch (z->target) {
	case TG_ACCEPT:
		answer(ans, FWD_ACCEPT, m, z, z->line, 0, xasprintf("the "
		    "target of %s is ACCEPT", z->name));
		return 1;
	case TG_DROP:
	case TG_REJECT:
		answer(ans, z->target == TG_DROP ? FWD_DROP : FWD_REJECT, m, z,
		    z->line, z->kind == K_POLICY, xasprintf("no service, port "
		    "or rule of %s %s opens %d/tcp, and its target is %s",
		    z->kind == K_ZONE ? "zone" : "policy", z->name, k->port,
		    z->target == TG_DROP ? "DROP" : "REJECT"));
		return 1;
	}
	return 0;
}

/* The policies into HOST from ZONE (or ANY) on the packet, those of
   priority below 0 (PRE) or not: as judge_zone. */
static int
policies(const struct fwd *m, const struct zone *zone, const struct pkt *k,
    int pre, struct fwd_answer *ans)
{
	const struct zone *best;
	const struct zone *last = NULL;
	size_t i, j;
	int r, in;

	/* in priority order, then in the order they were read */
	for (;;) {
		best = NULL;
		for (i = 0; i < m->nz; i++) {
			const struct zone *p = &m->z[i];

			if (p->kind != K_POLICY || !p->egress_host ||
			    (p->prio < 0) != pre)
				continue;
			if (last != NULL && (p->prio < last->prio ||
			    (p->prio == last->prio && p <= last)))
				continue;
			if (best != NULL && p->prio >= best->prio)
				continue;
			for (j = 0, in = p->ingress_any; j < p->ningress; j++)
				in |= strcmp(p->ingress[j], zone->name) == 0;
			if (in)
				best = p;
		}
		if (best == NULL)
			return 0;
		if ((r = judge_zone(m, best, k, ans)) != 0)
			return r;
		last = best;
	}
}

/*
 * The whole input chain for a packet in ZONE, always decided: the
 * policies of negative priority, the zone's rules and what it allows,
 * the policies of priority 0 and more, then the zone's target (firewalld
 * 0.9+ jumps to those policies from the zone's chain before its target:
 * "zones are always terminal"), else firewalld's final reject.
 */
static void
judge_in(const struct fwd *m, const struct zone *z, const struct pkt *k,
    struct fwd_answer *ans)
{
	if (policies(m, z, k, 1, ans) != 0 || judge_zone(m, z, k, ans) != 0 ||
	    policies(m, z, k, 0, ans) != 0 || target(m, z, k, ans) != 0)
		return;
	answer(ans, FWD_REJECT, m, z, z->line, 0, xasprintf("no service, "
	    "port or rule of zone %s opens %d/tcp (its target is default: "
	    "rejected)", z->name, k->port));
}

void
fwd_answer_free(struct fwd_answer *a)
{
	free(a->where);
	free(a->why);
	memset(a, 0, sizeof(*a));
}

static void
add_zone(const struct zone **c, size_t *n, const struct zone *z)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (c[i] == z)
			return;
	c[(*n)++] = z;
}

void
fwd_judge(const struct fwd *m, int fam, const unsigned char *client,
    int port, struct fwd_answer *ans)
{
	static const unsigned char one6[16] = { [15] = 1 };
	const struct zone **c = xcalloc(m->nz + 1, sizeof(*c));
	struct fwd_answer a;
	struct pkt k = { fam, client, port };
	const struct zone *first = NULL;
	size_t i, j, n = 0, bysrc = 0;
	int maybe = 0, prio = 0;

	memset(ans, 0, sizeof(*ans));
	if (fam == 4 ? client[0] == 127 : memcmp(client, one6, 16) == 0) {
		ans->v = FWD_ACCEPT;
		ans->why = xstrdup("firewalld accepts all on the loopback");
		free(c);
		return;
	}
	/* The zones whose sources hold the address decide: of several,
	   the first by name (firewalld 1.x orders its source dispatch so),
	   unless one has an ingress priority (2.x), or may hold it. */
	for (i = 0; i < m->nz; i++) {
		const struct zone *z = &m->z[i];

		if (z->kind != K_ZONE)
			continue;
		for (j = 0; j < z->nsrc; j++)
			if (fwd_in_net(&z->src[j], fam, client)) {
				if (first == NULL || strcmp(z->name,
				    first->name) < 0)
					first = z;
				add_zone(c, &n, z);
				prio |= z->ipri;
				bysrc = 1;
				break;
			}
		if (z->src_other) {
			add_zone(c, &n, z);
			maybe = 1;
		}
	}
	if (bysrc && !maybe && !prio) {
		c[0] = first;
		n = 1;
	}
	/* Else the zone of the interface it arrives on: the default one,
	   or one an interface is put in. */
	if (!bysrc || maybe || m->drifting) {
		add_zone(c, &n, fwd_find(m, m->defzone, K_ZONE));
		for (i = 0; i < m->nz; i++)
			if (m->z[i].kind == K_ZONE && m->z[i].nif > 0)
				add_zone(c, &n, &m->z[i]);
		for (i = 0; i < m->nifzones; i++)
			add_zone(c, &n, fwd_find(m, m->ifzones[i], K_ZONE));
	}
	for (i = 0; i < n; i++) {
		judge_in(m, c[i], &k, &a);
		if (i == 0) {
			*ans = a;
			continue;
		}
		if (ans->v == FWD_UNSURE) {
			fwd_answer_free(&a);
			continue;
		}
		/* a drop and a reject both refuse her */
		if ((a.v == FWD_ACCEPT) != (ans->v == FWD_ACCEPT) ||
		    a.v == FWD_UNSURE) {
			char *why = a.v == FWD_UNSURE ? a.why :
			    xasprintf("zone %s %s it and zone %s %s it, and "
			    "which applies (its source, or the interface it "
			    "arrives on) cannot be known from the disk",
			    ans->zone ? ans->zone : "?", ans->v == FWD_ACCEPT ?
			    "accepts" : "refuses", a.zone ? a.zone : "?",
			    a.v == FWD_ACCEPT ? "accepts" : "refuses");

			if (a.v == FWD_UNSURE) {
				a.why = NULL;
				free(ans->where);
				ans->where = a.where;
				a.where = NULL;
			}
			free(ans->why);
			ans->why = why;
			ans->v = FWD_UNSURE;
			ans->zone = NULL;
		} else if (a.zone != ans->zone)
			ans->zone = NULL;
		fwd_answer_free(&a);
	}
	free(c);
}

char *
fwd_allow(struct fwd *m, const char *zone, int fam,
    const unsigned char *client, int port)
{
	struct zone *z = fwd_find(m, zone, K_ZONE);
	char addr[INET6_ADDRSTRLEN];
	struct rule *r;

	if (z == NULL || inet_ntop(fam == 4 ? AF_INET : AF_INET6, client,
	    addr, sizeof(addr)) == NULL)
		return NULL;
	z->r = xreallocarray(z->r, z->nr + 1, sizeof(*z->r));
	r = &z->r[z->nr++];
	memset(r, 0, sizeof(*r));
	r->fam = fam;
	r->src = 1;
	r->net.fam = fam;
	memcpy(r->net.a, client, 16);
	r->net.plen = fam == 4 ? 32 : 128;
	r->nel = 1;
	r->it.el = EL_PORT;
	r->it.lo = r->it.hi = port;
	strcpy(r->it.proto, "tcp");
	r->act = DO_ACCEPT;
	r->line = z->line;
	return xasprintf("  <rule family=\"ipv%d\"><source address=\"%s\"/>"
	    "<port port=\"%d\" protocol=\"tcp\"/><accept/></rule>", fam, addr,
	    port);
}
