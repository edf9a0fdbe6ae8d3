/*
 * host-firewall: the firewall the target loads at boot (nftables.service,
 * iptables-persistent, Red Hat's iptables services, ufw) drops or rejects the
 * person's connection to sshd's port before sshd sees it: the client says
 * "Connection timed out" (a drop) or "Connection refused" (a reject), and
 * sshd logs nothing. Judged by the real kernel: the ruleset, includes in
 * place, loaded with the rescue machine's own loader into network
 * namespaces of sshfix's helper, and a connection made to a listener on
 * each of sshd's ports, from the --from address (else an outside one:
 * TEST-NET-3's 203.0.113.7, 2001:db8:ff::7); the line that stops it is
 * the one that, commented out alone, lets it through. A firewall sshfix
 * does not judge yet (firewalld; fail2ban, sshguard live), or a ruleset
 * the rescue machine's loader refuses, is a warning that says so.
 *
 * The repair, with --from only (the person's own address; never a port
 * opened to everyone): one line accepting TCP from that address to that
 * port, just before the rule that stops it (after a chain's policy line),
 * in the file that holds it (ufw: a rule of its own in its user.rules,
 * as "ufw allow" writes it, at the end of its rules or first among them),
 * and only when the same judge lets the connection through the ruleset
 * so changed. Else advice.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fixes/fault.h"
#include "os/fwjudge.h"
#include "target/net/firewall.h"
#include "target/net/firewalld.h"
#include "target/net/listen.h"
#include "util.h"

#define OUTSIDE4	"203.0.113.7"
#define OUTSIDE6	"2001:db8:ff::7"
#define SERVER4		"198.51.100.10"
#define SERVER6		"2001:db8:1::10"

/* kind K_INSERT: a repair, the lines to insert in f->aux; K_NEWFILE: a
   file to write whole ("PATH\tTEXT"); K_FWD: firewalld's, advice. */
enum { K_BLOCKS = 1, K_UNSURE, K_INSERT, K_NEWFILE, K_FWD };

#define FWD_UNIT	"firewalld.service"
#define FWD_CONF	"/etc/firewalld/firewalld.conf"

static int
is_loopback(int fam, const unsigned char *a)
{
	static const unsigned char one6[16] = { [15] = 1 };

	return fam == 4 ? a[0] == 127 : memcmp(a, one6, 16) == 0;
}

/* The person's address of family FAM: the first --from of it, else the
   outside address when no --from was given; 0 when none. */
static int
client_of(const struct target *t, int fam, unsigned char *a)
{
	int af = fam == 4 ? AF_INET : AF_INET6;
	size_t i;

	if (t->from == NULL || t->from[0] == NULL)
		return inet_pton(af, fam == 4 ? OUTSIDE4 : OUTSIDE6, a) == 1;
	for (i = 0; t->from[i] != NULL; i++)
		if (inet_pton(af, t->from[i], a) == 1)
			return 1;
	return 0;
}

static void
add_port(struct fwj_family *f, int port)
{
	size_t i;

	for (i = 0; i < f->nports; i++)
		if (f->ports[i] == port)
			return;
	if (f->nports < FWJ_MAX_PORTS)
		f->ports[f->nports++] = port;
}

/* What to judge, per family (F[0]: IPv4, F[1]: IPv6; fam 0: not). */
static void
families(struct target *t, struct fwj_family f[2])
{
	struct listen *l;
	size_t n, i, k;
	int local;

	memset(f, 0, 2 * sizeof(*f));
	for (k = 0; k < 2; k++) {
		f[k].fam = k == 0 ? 4 : 6;
		if (!client_of(t, f[k].fam, f[k].client))
			f[k].fam = 0;
	}
	n = listen_effective(&t->cfg, &l);
	for (i = 0; i < n; i++) {
		k = l[i].fam == 4 ? 0 : l[i].fam == 6 ? 1 : 2;
		if (k == 2 || f[k].fam == 0)
			continue;
		local = is_loopback(f[k].fam, f[k].client);
		/* sshd on loopback alone is reached only from the machine. */
		if (listen_loopback(&l[i]) != local && !l[i].wildcard)
			continue;
		add_port(&f[k], l[i].port);
		if (!l[i].wildcard && !local)
			memcpy(f[k].server, l[i].addr, 16);
	}
	free(l);
	for (k = 0; k < 2; k++) {
		if (is_loopback(f[k].fam, f[k].client))
			memcpy(f[k].server, f[k].client, 16);
		else if (addr_is_any(f[k].server, f[k].fam))
			inet_pton(k == 0 ? AF_INET : AF_INET6, k == 0 ?
			    SERVER4 : SERVER6, f[k].server);
		if (f[k].nports == 0)
			f[k].fam = 0;
	}
}

/* Is R ufw's (what its ufw-init loads, iptables-restore -n)? */
static int
ufw(const struct fw_ruleset *r)
{
	return r->loader == FWJ_IPT4_N || r->loader == FWJ_IPT6_N;
}

static struct finding *
finding(struct plan *p, const char *unit, const char *file, int sev, int kind)
{
	struct finding *f = plan_add_finding(p, &fault_host_firewall, sev,
	    file);

	f->kind = kind;
	finding_add_evidence(f, "unit", "%s (enabled)", unit);
	return f;
}

static void
unsure(struct plan *p, const struct fw_ruleset *r, const char *why)
{
	struct finding *f = finding(p, r->unit, r->file, SEV_WARNING,
	    K_UNSURE);

	finding_set_message(f, "%s loads a firewall at boot (%s), and sshfix "
	    "cannot tell whether it lets you reach sshd: %s", r->unit, r->file,
	    why);
}

/* Line LINE (1-based) of R's text, allocated. */
static char *
text_line(const struct fw_ruleset *r, size_t line)
{
	const char *s = r->text;

	while (--line > 0 && (s = strchr(s, '\n')) != NULL)
		s++;
	return s == NULL ? xstrdup("") : xstrndup(s, strcspn(s, "\n"));
}

/* The chain of an iptables-restore line ("-A CHAIN ...", ":CHAIN POLICY
   ..."), allocated, or NULL. */
static char *
ipt_chain(const char *l)
{
	size_t n;

	if (strncmp(l, "-A ", 3) == 0)
		l += 3;
	else if (*l == ':')
		l++;
	else
		return NULL;
	n = strcspn(l, " \t");
	return n > 0 ? xstrndup(l, n) : NULL;
}

/*
 * The lines that let F's port J in from its client, for R's loader, given
 * the line that stops it (LTEXT), one per line of the text returned; ND:
 * IPv6 neighbour discovery accepted first (a ruleset that drops it loses
 * every IPv6 packet). *AFTER: they go after that line (a chain's policy).
 * NULL when none can be written.
 */
static char *
accept_lines(const struct fw_ruleset *r, const struct fwj_family *f,
    size_t j, const char *ltext, int nd, int *after)
{
	char addr[INET6_ADDRSTRLEN], *chain;
	struct sbuf b = { 0 };

	inet_ntop(f->fam == 4 ? AF_INET : AF_INET6, f->client, addr,
	    sizeof(addr));
	*after = strstr(ltext, "policy") != NULL || ltext[0] == ':';
	if (ufw(r)) {
		/* ufw: a rule of its own, as "ufw allow from ADDR to any
		   port PORT proto tcp" writes it, at the end of its rules */
		*after = 0;
		sbuf_addf(&b, "### tuple ### allow tcp %d %s any %s in\n"
		    "-A ufw%s-user-input -p tcp --dport %d -s %s -j ACCEPT",
		    f->ports[j], f->fam == 4 ? "0.0.0.0/0" : "::/0", addr,
		    f->fam == 4 ? "" : "6", f->ports[j], addr);
		return sbuf_take(&b);
	}
	if (r->loader == FWJ_NFT) {
		if (nd)
			sbuf_adds(&b, "icmpv6 type { nd-neighbor-solicit, "
			    "nd-neighbor-advert } accept\n");
		sbuf_addf(&b, "%s saddr %s tcp dport %d accept", f->fam == 4 ?
		    "ip" : "ip6", addr, f->ports[j]);
		return sbuf_take(&b);
	}
	if ((chain = ipt_chain(ltext)) == NULL)
		return NULL;
	if (nd)
		sbuf_addf(&b, "-A %s -p ipv6-icmp -m icmp6 --icmpv6-type "
		    "neighbour-solicitation -j ACCEPT\n-A %s -p ipv6-icmp -m "
		    "icmp6 --icmpv6-type neighbour-advertisement -j ACCEPT\n",
		    chain, chain);
	sbuf_addf(&b, "-A %s -s %s -p tcp -m tcp --dport %d -j ACCEPT", chain,
	    addr, f->ports[j]);
	free(chain);
	return sbuf_take(&b);
}

/* One insertion of the repair: LINES (one per line) before text line
   AT (0-based) of the ruleset. */
struct ins {
	size_t	 at;
	char	*lines;
	size_t	 stop;		/* the stopping line (1-based) */
	int	 after;		/* they go after it (a chain's policy) */
};

static int
ins_cmp(const void *a, const void *b)
{
	const struct ins *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* R's text with INS[0..N-1] put in, sorted by place (appended to B). */
static void
with_ins(const struct fw_ruleset *r, struct ins *ins, size_t n,
    struct sbuf *b)
{
	const char *s = r->text, *e, *l;
	size_t line = 0, k = 0;

	sort(ins, n, sizeof(*ins), ins_cmp);
	for (;;) {
		for (; k < n && ins[k].at == line; k++)
			for (l = ins[k].lines; *l != '\0'; l += strcspn(l,
			    "\n"), l += *l == '\n')
				sbuf_addf(b, "# sshfix: added\n%.*s\n",
				    (int)strcspn(l, "\n"), l);
		if (*s == '\0')
			break;
		e = s + strcspn(s, "\n");
		sbuf_add(b, s, (size_t)(e - s + (*e == '\n')));
		s = *e ? e + 1 : e;
		line++;
	}
	for (; k < n; k++)	/* past the last line */
		for (l = ins[k].lines; *l != '\0'; l += strcspn(l, "\n"),
		    l += *l == '\n')
			sbuf_addf(b, "# sshfix: added\n%.*s\n",
			    (int)strcspn(l, "\n"), l);
}

/* Does R with INS let every port of F[0..N-1] through? */
static int
lets_in(const struct fw_ruleset *r, const char *ifname,
    const struct fwj_family *f, size_t n, struct ins *ins, size_t nins)
{
	struct fwj_family ask[2];
	struct sbuf b = { 0 };
	char *loaderr = NULL;
	size_t i, j;
	int ok;

	with_ins(r, ins, nins, &b);
	memcpy(ask, f, n * sizeof(*f));
	ok = fwj_ask(r->loader, ifname, b.s, b.len, ask, n, &loaderr) == 0;
	for (i = 0; ok && i < n; i++)
		for (j = 0; j < ask[i].nports; j++)
			ok &= ask[i].verdict[j] == FWJ_ACCEPT;
	free(loaderr);
	sbuf_free(&b);
	return ok;
}

/* Does text line L (1-based) of R begin with PREFIX? */
static int
line_is(const struct fw_ruleset *r, size_t l, const char *prefix)
{
	char *lt = text_line(r, l);
	int is = strncmp(lt, prefix, strlen(prefix)) == 0;

	free(lt);
	return is;
}

/*
 * ufw: the text line its own rule goes before, on try TRY. ufw keeps its
 * rules in the order of user.rules: first at their end (as "ufw allow"
 * adds one); then, when a rule of the person's stops it ("ufw deny 22"
 * before), before the first of them (as "ufw insert 1 allow" does). 0:
 * nowhere (no user.rules, or no rule of the person's to go before).
 */
static size_t
ufw_place(const struct fw_ruleset *r, int try)
{
	size_t uf, l;

	if (r->user_end == 0)
		return 0;
	if (try == 0)
		return r->user_end;
	uf = r->lfile[r->user_end - 1];
	for (l = r->user_end - 1; l > 0 && r->lfile[l - 1] == uf; l--)
		;
	for (l++; l < r->user_end; l++)
		if (line_is(r, l, "### tuple ###"))
			return l;
	return 0;
}

/*
 * The repair: for every port of F[0..N-1] not reached, its accept lines
 * put in place at the line that stops it (for IPv6, with neighbour
 * discovery when it takes that too), and the ruleset so changed judged
 * again: only if every port gets through is FD told (kind K_INSERT, aux:
 * "LINE\tPATH\tTEXT" per line to insert, LINE 0-based in PATH). A port
 * whose stopping line is not known leaves it to advice: a re-diagnosis
 * would still find it, and the whole repair would be undone.
 */
static void
repair(const struct fw_ruleset *r, const char *ifname,
    const struct fwj_family *f, size_t n, struct finding *fd)
{
	struct ins ins[2 * FWJ_MAX_PORTS];
	struct sbuf aux = { 0 };
	const char *path, *e;
	char *lt;
	size_t i, j, k, l, ni = 0;
	int nd, ok = 0, v6 = 0;

	/* ufw's before6.rules accept neighbour discovery themselves; the
	   second try puts its rule first among the person's */
	for (i = 0; i < n; i++)
		v6 |= ufw(r) || f[i].fam == 6;
	for (nd = 0; nd <= v6 && !ok; nd++) {
		for (k = 0; k < ni; k++)
			free(ins[k].lines);
		ni = 0;
		ok = 1;
		for (i = 0; i < n && ok; i++)
			for (j = 0; j < f[i].nports && ok; j++) {
				if (f[i].verdict[j] == FWJ_ACCEPT)
					continue;
				/* ufw: its user rules; never a line of
				   the loading script's */
				l = ufw(r) ? ufw_place(r, nd) : f[i].line[j];
				if (l == 0 || l > r->nlines ||
				    (!ufw(r) && r->lline[l - 1] == 0) ||
				    is_loopback(f[i].fam, f[i].client)) {
					ok = 0;
					break;
				}
				lt = text_line(r, l);
				ins[ni].lines = accept_lines(r, &f[i], j, lt,
				    nd && f[i].fam == 6 && !ufw(r),
				    &ins[ni].after);
				free(lt);
				if (ins[ni].lines == NULL) {
					ok = 0;
					break;
				}
				ins[ni].stop = l;
				ins[ni].at = ins[ni].after ? l : l - 1;
				ni++;
			}
		ok = ok && ni > 0 && lets_in(r, ifname, f, n, ins, ni);
	}
	/* Each line into the file of its stopping line, before it (or
	   after a policy line). */
	for (k = 0; ok && k < ni; k++) {
		l = ins[k].stop - 1;
		path = r->files[r->lfile[l]];
		if (strpbrk(path, "\t\n") != NULL)
			ok = 0;
		for (e = ins[k].lines; ok && *e != '\0'; e += strcspn(e, "\n"),
		    e += *e == '\n')
			sbuf_addf(&aux, "%zu\t%s\t%.*s\n", ins[k].after ?
			    r->lline[l] : r->lline[l] - 1, path,
			    (int)strcspn(e, "\n"), e);
	}
	for (k = 0; k < ni; k++)
		free(ins[k].lines);
	if (ok) {
		fd->kind = K_INSERT;
		free(fd->aux);
		fd->aux = sbuf_take(&aux);
		if (nd > 1 && !ufw(r))
			finding_add_evidence(fd, "IPv6", "the ruleset drops "
			    "neighbour discovery too: every IPv6 packet is lost "
			    "until it is accepted");
	}
	sbuf_free(&aux);
}

/*
 * The interface a connection is judged as arriving on: the one name the
 * ruleset matches arriving packets on (iifname, iif, -i), if it names
 * exactly one besides the loopback; "eth0" when it names none. NULL when
 * it names several, or a pattern: which one the server's is cannot be
 * known offline.
 */
static const char *
arriving_on(const struct fw_ruleset *r, char *buf, size_t len)
{
	static const char *const kw[] = { "iifname ", "iif ", "-i ",
	    "--in-interface " };
	const char *s, *p;
	size_t i, n;
	char name[32];
	int many = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_LEN(kw); i++)
		for (s = r->text; (p = strstr(s, kw[i])) != NULL; s = p + 1) {
			if (p > r->text && !isspace((unsigned char)p[-1]))
				continue;
			p += strlen(kw[i]);
			p += strspn(p, " \t\"");
			n = strcspn(p, " \t\";\n}");
			if (n == 0 || n >= sizeof(name))
				continue;
			memcpy(name, p, n);
			name[n] = '\0';
			if (strcmp(name, "lo") == 0 || name[0] == '!' ||
			    name[0] == '$' || name[0] == '{')
				continue;
			if (strpbrk(name, "*+") != NULL ||
			    (buf[0] != '\0' && strcmp(buf, name) != 0))
				many = 1;
			else
				snprintf(buf, len, "%s", name);
		}
	if (many)
		return NULL;
	return buf[0] != '\0' ? buf : "eth0";
}

/* The verdicts of R: a finding where a port is not reached. */
static void
verdicts(struct target *t, struct plan *p, const struct fw_ruleset *r,
    const char *ifname, const struct fwj_family *f, size_t n)
{
	char addr[INET6_ADDRSTRLEN], *where, *lt;
	struct sbuf b = { 0 };
	struct finding *fd;
	size_t i, j, open = 0, shut = 0;
	int from = t->from != NULL && t->from[0] != NULL;

	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].nports; j++) {
			if (f[i].verdict[j] == FWJ_ACCEPT) {
				open++;
				continue;
			}
			inet_ntop(f[i].fam == 4 ? AF_INET : AF_INET6,
			    f[i].client, addr, sizeof(addr));
			sbuf_addf(&b, "%s%s port %d from %s (IPv%d)",
			    shut ? "; " : "", f[i].verdict[j] == FWJ_DROP ?
			    "drops" : "rejects", f[i].ports[j], addr, f[i].fam);
			if (f[i].line[j] > 0 && f[i].line[j] <= r->nlines) {
				where = fw_where(r, f[i].line[j]);
				lt = text_line(r, f[i].line[j]);
				sbuf_addf(&b, " at %s (%s\"%s\")", where,
				    ufw(r) && r->lfile[f[i].line[j] - 1] <= 1 ?
				    "which ufw loads as " : "", lt);
				free(where);
				free(lt);
			}
			shut++;
		}
	if (shut == 0) {
		sbuf_free(&b);
		return;
	}
	/* Only the person's own address can make it their fault. */
	fd = finding(p, r->unit, r->file, open == 0 && from ? SEV_ERROR :
	    SEV_WARNING, K_BLOCKS);
	finding_add_evidence(fd, "judged by", "this machine's %s, the ruleset "
	    "loaded into a network namespace of its own, a TCP connection "
	    "arriving on %s made to each port over a veth pair, and data "
	    "sent both ways", fwj_loader_name(r->loader), ifname);
	finding_set_message(fd, "the firewall %s loads at boot (%s) %s%s: "
	    "the client waits and says \"Connection timed out\" (a drop) or "
	    "\"Connection refused\" (a reject), and sshd logs nothing%s",
	    r->unit, r->file, b.s, open ? "; other ports or addresses are "
	    "let through" : "", from ? "" : "; judged from an outside "
	    "address: --from names yours");
	sbuf_free(&b);
	/* Only the person's own way in; every port of it, or verification
	   would find the rest and undo it. */
	if (from && open == 0)
		repair(r, ifname, f, n, fd);
}

/*
 * firewalld's repair: one rich rule per port stopped, accepting it from
 * the person's address, in the zone that stops them all (not a rich
 * rule or a policy: an accept would not come first), and only when the
 * zone so changed lets each through. Into the zone's file in
 * /etc/firewalld/zones (before its "</zone>"), else into a copy of the
 * packaged one written there, as firewall-cmd --permanent does.
 */
static void
fwd_repair(struct fwd *m, const struct fwj_family *f,
    struct fwd_answer a[2][FWJ_MAX_PORTS], struct finding *fd)
{
	struct fwd_answer again;
	struct sbuf rules = { 0 }, aux = { 0 };
	const char *zone = NULL;
	char *path, *text, *line;
	size_t k, j, endl;
	int exists, ok = 1;

	for (k = 0; k < 2 && ok; k++)
		for (j = 0; f[k].fam != 0 && j < f[k].nports && ok; j++) {
			if (a[k][j].v == FWD_ACCEPT)
				continue;
			if (a[k][j].zone == NULL || a[k][j].by_rule ||
			    (zone != NULL && strcmp(zone, a[k][j].zone) != 0) ||
			    is_loopback(f[k].fam, f[k].client)) {
				ok = 0;
				break;
			}
			zone = a[k][j].zone;
			if ((line = fwd_allow(m, zone, f[k].fam, f[k].client,
			    f[k].ports[j])) == NULL) {
				ok = 0;
				break;
			}
			sbuf_addf(&rules, "%s%s", rules.len ? "\n" : "", line);
			free(line);
		}
	for (k = 0; k < 2 && ok; k++)
		for (j = 0; f[k].fam != 0 && j < f[k].nports && ok; j++) {
			fwd_judge(m, f[k].fam, f[k].client, f[k].ports[j],
			    &again);
			ok = again.v == FWD_ACCEPT;
			fwd_answer_free(&again);
		}
	/* a zone's name is a file's: a tab or newline in it would split
	   the plan's lines */
	if (ok && zone != NULL && rules.len > 0 &&
	    strpbrk(zone, "\t\n") == NULL &&
	    fwd_zone_end(m, zone, &path, &exists, &text, &endl) == 0) {
		if (exists) {
			for (line = rules.s; *line != '\0';
			    line += strcspn(line, "\n"), line += *line == '\n')
				sbuf_addf(&aux, "%zu\t%s\t%.*s\n", endl, path,
				    (int)strcspn(line, "\n"), line);
			fd->kind = K_INSERT;
		} else {
			/* the packaged text, the rules before its </zone> */
			const char *s = text;
			size_t l;

			sbuf_addf(&aux, "%s\t", path);
			for (l = 0; *s != '\0'; l++) {
				if (l == endl)
					sbuf_addf(&aux, "%s\n", rules.s);
				sbuf_add(&aux, s, strcspn(s, "\n"));
				s += strcspn(s, "\n");
				if (*s == '\n')
					sbuf_addc(&aux, *s++);
			}
			/* the file's last newline is the edit's own */
			if (aux.len > 0 && aux.s[aux.len - 1] == '\n')
				aux.s[--aux.len] = '\0';
			fd->kind = K_NEWFILE;
		}
		free(fd->aux);
		fd->aux = sbuf_take(&aux);
		free(path);
		free(text);
	}
	sbuf_free(&rules);
	sbuf_free(&aux);
}

/* firewalld, when the boot starts it: what it does with each port from
   the person's address, worked out from its zones. */
static void
firewalld(struct target *t, struct plan *p)
{
	struct fwd_answer a[2][FWJ_MAX_PORTS];
	struct fwj_family f[2];
	struct sbuf b = { 0 };
	struct finding *fd;
	struct fwd *m;
	char addr[INET6_ADDRSTRLEN], *why, *subject = NULL;
	const struct fwd_answer *u = NULL;
	size_t k, j, open = 0, shut = 0;
	int from = t->from != NULL && t->from[0] != NULL;

	if (!fw_unit_enabled(t, FWD_UNIT))
		return;
	if ((m = fwd_read(t, &why)) == NULL) {
		fd = finding(p, FWD_UNIT, FWD_CONF, SEV_WARNING, K_UNSURE);
		finding_set_message(fd, "%s starts firewalld at boot, and "
		    "sshfix cannot tell whether it lets you reach sshd: %s",
		    FWD_UNIT, why);
		free(why);
		return;
	}
	families(t, f);
	memset(a, 0, sizeof(a));
	for (k = 0; k < 2; k++)
		for (j = 0; f[k].fam != 0 && j < f[k].nports; j++) {
			fwd_judge(m, f[k].fam, f[k].client, f[k].ports[j],
			    &a[k][j]);
			if (a[k][j].v == FWD_ACCEPT) {
				open++;
				continue;
			}
			if (a[k][j].v == FWD_UNSURE) {
				if (u == NULL)
					u = &a[k][j];
				continue;
			}
			inet_ntop(f[k].fam == 4 ? AF_INET : AF_INET6,
			    f[k].client, addr, sizeof(addr));
			sbuf_addf(&b, "%s%s port %d from %s (IPv%d): %s, at %s",
			    shut ? "; " : "", a[k][j].v == FWD_DROP ? "drops" :
			    "rejects", f[k].ports[j], addr, f[k].fam,
			    a[k][j].why, a[k][j].where);
			if (subject == NULL)
				subject = xstrndup(a[k][j].where,
				    strcspn(a[k][j].where, ":"));
			shut++;
		}
	if (u != NULL) {
		fd = finding(p, FWD_UNIT, FWD_CONF, SEV_WARNING, K_UNSURE);
		finding_set_message(fd, "%s starts firewalld at boot, and "
		    "sshfix cannot tell whether it lets you reach sshd: %s%s%s",
		    FWD_UNIT, u->why, u->where ? ", at " : "",
		    u->where ? u->where : "");
	}
	if (shut > 0) {
		fd = finding(p, FWD_UNIT, subject, open == 0 && from &&
		    u == NULL ? SEV_ERROR : SEV_WARNING, K_FWD);
		finding_add_evidence(fd, "judged by", "sshfix's reading of "
		    "firewalld's zones, services and policies (default zone "
		    "%s), as firewalld builds its chains from them",
		    fwd_default_zone(m));
		finding_set_message(fd, "firewalld, which %s starts at boot, "
		    "%s: the client waits and says \"Connection timed out\" "
		    "(a drop), or says \"No route to host\" (a zone's "
		    "reject; over IPv6 \"Permission denied\") or \"Connection "
		    "refused\" (a rich rule's), and sshd logs nothing%s%s",
		    FWD_UNIT, b.s,
		    open ? "; other ports or addresses are let through" : "",
		    from ? "" : "; judged from an outside address: --from "
		    "names yours");
		if (from && open == 0 && u == NULL)
			fwd_repair(m, f, a, fd);
	}
	for (k = 0; k < 2; k++)
		for (j = 0; j < FWJ_MAX_PORTS; j++)
			fwd_answer_free(&a[k][j]);
	free(subject);
	sbuf_free(&b);
	fwd_free(m);
}

static int
detect(struct target *t, struct plan *p)
{
	struct fw_ruleset *r;
	struct fwj_family f[2], ask[2];
	size_t n, i, k, m;
	char *loaderr, *c, ifbuf[32];
	const char *ifname;

	n = fw_rulesets(t, &r);
	if (n > 0)
		families(t, f);
	for (i = 0; i < n; i++) {
		if (r[i].text == NULL) {
			/* ufw's IPv4 and IPv6 share their reasons */
			for (k = 0; k < i && (r[k].why == NULL ||
			    strcmp(r[k].unit, r[i].unit) != 0 ||
			    strcmp(r[k].why, r[i].why) != 0); k++)
				;
			if (k == i)
				unsure(p, &r[i], r[i].why);
			continue;
		}
		for (k = 0, m = 0; k < 2; k++)
			if (f[k].fam != 0 &&
			    (fwj_loader_family(r[i].loader) == 0 ||
			    fwj_loader_family(r[i].loader) == f[k].fam))
				ask[m++] = f[k];
		if (m == 0)
			continue;
		if ((ifname = arriving_on(&r[i], ifbuf, sizeof(ifbuf))) ==
		    NULL) {
			unsure(p, &r[i], "it matches arriving packets on more "
			    "than one interface (or a pattern), and which is "
			    "the server's cannot be known from its disk");
			continue;
		}
		if (fwj_ask(r[i].loader, ifname, r[i].text, r[i].len, ask, m,
		    &loaderr) == -1) {
			c = loaderr ? fw_complaint(&r[i], loaderr) : NULL;
			if (c != NULL)
				unsure(p, &r[i], c);
			else
				unsure(p, &r[i], err_get());
			free(c);
			free(loaderr);
			continue;
		}
		verdicts(t, p, &r[i], ifname, ask, m);
	}
	fw_rulesets_free(r, n);
	firewalld(t, p);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	const char *s;
	char *line, *path, *text;
	size_t n;

	(void)p;
	if (f->kind == K_UNSURE) {
		plan_add_manual(f, "check by hand that %s lets TCP to sshd's "
		    "port through from your address (nft list ruleset, "
		    "iptables -S on the running system)", f->subject);
		return;
	}
	if (f->kind == K_NEWFILE && (text = strchr(f->aux, '\t')) != NULL) {
		path = xstrndup(f->aux, (size_t)(text - f->aux));
		plan_add_edit(f, path, 0, NULL, text + 1, 0);
		plan_add_manual(f, "firewalld loads it at the next boot (or "
		    "now: firewall-cmd --reload)");
		free(path);
		return;
	}
	if (f->kind == K_FWD) {
		plan_add_manual(f, "let your address in to sshd's port in the "
		    "zone that stops it, before any rule that refuses it "
		    "(firewall-cmd --permanent --zone=ZONE --add-rich-rule="
		    "'rule family=ipv4 source address=ADDR port port=PORT "
		    "protocol=tcp accept', then firewall-cmd --reload)%s",
		    t->from != NULL && t->from[0] != NULL ? "" : "; or run "
		    "sshfix again with --from ADDR");
		return;
	}
	if (f->kind == K_INSERT) {
		/* "LINE\tPATH\tTEXT" per line to insert */
		for (s = f->aux; *s != '\0'; s += n + (s[n] == '\n')) {
			n = strcspn(s, "\n");
			line = xstrndup(s, n);
			if ((path = strchr(line, '\t')) != NULL &&
			    (text = strchr(path + 1, '\t')) != NULL) {
				*path++ = '\0';
				*text++ = '\0';
				plan_add_edit(f, path, (size_t)strtoul(line,
				    NULL, 10), NULL, text, 0);
			}
			free(line);
		}
		plan_add_manual(f, "the firewall is loaded again at the next "
		    "boot (or now: %s)", strncmp(f->subject, "/etc/ufw/", 9) ==
		    0 ? "ufw reload" : strncmp(f->subject, "/etc/firewalld/",
		    15) == 0 || strncmp(f->subject, "/usr/lib/firewalld/", 19)
		    == 0 ? "firewall-cmd --reload" : "systemctl restart the "
		    "unit that loads it");
		return;
	}
	if (strncmp(f->subject, "/etc/ufw/", 9) == 0) {
		/* ufw appends "allow"; a rule of the person's before it
		   ("deny 22") needs "insert 1"; a line of before.rules, or
		   IPV6=no, needs that line changed */
		plan_add_manual(f, "let your address in first among ufw's "
		    "rules on the running server (ufw insert 1 allow from ADDR "
		    "to any port PORT proto tcp); if the line that stops it is "
		    "in before.rules or after.rules, or is IPV6=no in "
		    "/etc/default/ufw, change that line%s", t->from != NULL &&
		    t->from[0] != NULL ? "" : "; or run sshfix again with "
		    "--from ADDR");
		return;
	}
	plan_add_manual(f, "in %s, before the rule that stops it, accept TCP "
	    "to sshd's port from your address (nft: ip saddr ADDR tcp dport "
	    "PORT accept; iptables: -A INPUT -s ADDR -p tcp --dport PORT -j "
	    "ACCEPT), or run sshfix again with --from ADDR", f->subject);
}

const struct fault fault_host_firewall = {
	.id = "host-firewall",
	.summary = "the firewall the server loads at boot drops or rejects "
	    "connections to sshd's port",
	.detect = detect,
	.plan = plan,
};
