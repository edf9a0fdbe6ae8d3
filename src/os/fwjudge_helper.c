/*
 * The firewall helper's side of os/fwjudge.h: sshfix run again inside the
 * netadmin sandbox (os/sandbox.h), root of nothing but its own user
 * namespace. It makes two network namespaces of its own, S (the server:
 * the ruleset, the listeners) and C (the client), joined by a veth pair
 * (IFNAME in S: eth0 unless the ruleset names another; c0 in C), made
 * fresh for every judgement; proves that a connection crosses before any
 * rule is loaded; runs the loader (behind the sandbox's seccomp filter,
 * NET_ADMIN alone) on the ruleset (read from its stdin); and connects
 * again: a connection counts as let through once it carries a byte each
 * way. Where a connection does not get through, it finds the line that
 * stops it: the first line naming a drop or a reject (a rule, a chain's
 * policy) that, commented out alone, lets the connection through.
 *
 * Its output, one line each: "fw! WHY" (cannot tell), "fw. ready", then
 * "fw= FAM PORT VERDICT LINE" per port asked (LINE: of the ruleset,
 * 1-based; 0: none found alone).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/fwjudge.h"
#include "os/rtnl.h"
#include "os/runprog.h"
#include "os/sandbox.h"
#include "util.h"

#define CONTROL_MS	3000	/* the rig's own connection, before rules */
#define JUDGE_MS	1500	/* a dropped SYN is sent again after 1 s;
				   an accepted one is answered in a ms */
#define FIND_MS		300	/* an accepted one takes a millisecond */
#define FIND_MAX	32	/* lines tried, per port */
#define FIND_ALL_MS	8000	/* the search for every port, at most */
#define LOAD_MS		10000
#define LOADER_OUT	4096

struct fam {
	int			 fam;
	struct sockaddr_storage	 client, server;
	int			 local;		/* client on loopback */
	int			 ports[FWJ_MAX_PORTS];
	size_t			 n;
	int			 lis[FWJ_MAX_PORTS];
	int			 cli[FWJ_MAX_PORTS];
	enum fwj_verdict	 v[FWJ_MAX_PORTS];
	int			 err[FWJ_MAX_PORTS];	/* a reject's */
	size_t			 line[FWJ_MAX_PORTS];
};

/* The namespaces, the ruleset, the loader. */
struct rig {
	int		 cns, sns;
	const char	*loader;
	const char	*ifname;	/* the server's side of the veth pair */
	char		*text;
	size_t		 len;
};

/* "fw! WHY" on the output; returns 1. */
static int __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	va_list ap;

	printf("fw! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return 1;
}

/* SA of family FAM (4, 6) from TEXT, with PORT. */
static int
addr_of(const char *text, int fam, int port, struct sockaddr_storage *sa)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)(void *)sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)(void *)sa;

	memset(sa, 0, sizeof(*sa));
	if (fam == 4) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
		return inet_pton(AF_INET, text, &s4->sin_addr) == 1 ? 0 : -1;
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons((unsigned short)port);
	return inet_pton(AF_INET6, text, &s6->sin6_addr) == 1 ? 0 : -1;
}

static const void *
raw(const struct sockaddr_storage *sa)
{
	return sa->ss_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
}

static void
set_port(struct sockaddr_storage *sa, int port)
{
	if (sa->ss_family == AF_INET)
		((struct sockaddr_in *)(void *)sa)->sin_port =
		    htons((unsigned short)port);
	else
		((struct sockaddr_in6 *)(void *)sa)->sin6_port =
		    htons((unsigned short)port);
}

static socklen_t
salen(const struct sockaddr_storage *sa)
{
	return sa->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
}

/* "4 CLIENT SERVER P1,P2": one family's question. */
static int
parse_fam(char **a, struct fam *f)
{
	char *p = a[3], *e;
	long port;
	size_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < FWJ_MAX_PORTS; i++)
		f->lis[i] = f->cli[i] = -1;
	f->fam = strcmp(a[0], "4") == 0 ? 4 : strcmp(a[0], "6") == 0 ? 6 : 0;
	if (f->fam == 0 || addr_of(a[1], f->fam, 0, &f->client) == -1 ||
	    addr_of(a[2], f->fam, 0, &f->server) == -1)
		return -1;
	f->local = f->fam == 4 ? strncmp(a[1], "127.", 4) == 0 :
	    strcmp(a[1], "::1") == 0;
	while (*p != '\0' && f->n < FWJ_MAX_PORTS) {
		errno = 0;
		port = strtol(p, &e, 10);
		if (errno != 0 || e == p || port < 1 || port > 65535 ||
		    (*e != ',' && *e != '\0'))
			return -1;
		f->ports[f->n++] = (int)port;
		p = *e == ',' ? e + 1 : e;
	}
	return *p == '\0' && f->n > 0 ? 0 : -1;
}

/* A listener of F on PORT, any address (as sshd's default). */
static int
listener(const struct fam *f, int port)
{
	struct sockaddr_storage sa;
	int s, on = 1;

	addr_of(f->fam == 4 ? "0.0.0.0" : "::", f->fam, port, &sa);
	s = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s == -1 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) == -1 || (f->fam == 6 && setsockopt(s, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    bind(s, (struct sockaddr *)&sa, salen(&sa)) == -1 ||
	    listen(s, 64) == -1) {
		if (s != -1)
			close(s);
		return -1;
	}
	return s;
}

/* An interface name the kernel takes, and not the loopback's. */
static int
ifname_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
	    "VWXYZ0123456789._-");

	return n > 0 && n < IFNAMSIZ && s[n] == '\0' && strcmp(s, "lo") != 0 &&
	    strcmp(s, "c0") != 0 && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

/* The loopback of the current namespace up. */
static int
lo_up(void)
{
	int nl = rtnl_open(), r;

	if (nl == -1)
		return -1;
	r = rtnl_up(nl, 1);
	close(nl);
	return r;
}

/* IF's addresses of F (the client's or the server's) and a default
   route through it, per family, in the namespace of NL. */
static int
addresses(int nl, int ifi, const struct fam *f, size_t n, int client)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!f[i].local && (rtnl_addr(nl, ifi, f[i].fam,
		    raw(client ? &f[i].client : &f[i].server)) == -1 ||
		    rtnl_route(nl, ifi, f[i].fam) == -1))
			return -1;
	return 0;
}

/* IFNAME in S (where it is), c0 in C, each with its addresses and every
   address on-link through it. */
static int
veth(const struct fam *f, size_t n, const struct rig *rg)
{
	int nl, i0, r = -1;

	if ((nl = rtnl_open()) == -1 || rtnl_veth(nl, rg->ifname, "c0",
	    rg->cns) == -1 || (i0 = (int)if_nametoindex(rg->ifname)) == 0 ||
	    rtnl_up(nl, i0) == -1 || addresses(nl, i0, f, n, 0) == -1)
		goto out;
	close(nl);
	nl = -1;
	if (setns(rg->cns, CLONE_NEWNET) == -1 || lo_up() == -1 ||
	    (nl = rtnl_open()) == -1 || (i0 = (int)if_nametoindex("c0")) == 0 ||
	    rtnl_up(nl, i0) == -1 || addresses(nl, i0, f, n, 1) == -1)
		goto out;
	r = 0;
out:
	if (nl != -1)
		close(nl);
	if (setns(rg->sns, CLONE_NEWNET) == -1)
		r = -1;
	return r;
}

/* A client socket of F, bound to its address, in C (loopback: in S). */
static int
client(const struct fam *f, const struct rig *rg)
{
	int s, e;

	if (!f->local && setns(rg->cns, CLONE_NEWNET) == -1)
		return -1;
	s = socket(f->client.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (s != -1 && bind(s, (const struct sockaddr *)&f->client,
	    salen(&f->client)) == -1) {
		close(s);
		s = -1;
	}
	e = errno;
	if (!f->local && setns(rg->sns, CLONE_NEWNET) == -1) {
		if (s != -1)
			close(s);
		return -1;
	}
	errno = e;
	return s;
}

/*
 * Did a connection that opened carry data both ways: the listener L
 * accepts it, a byte goes from the server to the client C and one back,
 * by END (mono_ms)? A ruleset that lets the SYN in and drops what follows
 * (no "established" rule) opens the client's connect and loses the rest,
 * as ssh then does ("timed out during banner exchange").
 */
static int
carries(int l, int c, long end)
{
	struct pollfd p;
	char b = 'x';
	int a, r = 0;

	p.fd = l;
	p.events = POLLIN;
	if (poll(&p, 1, (int)(end - mono_ms() > 0 ? end - mono_ms() : 0)) != 1 ||
	    (a = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1)
		return 0;
	p.fd = c;
	if (write(a, &b, 1) == 1 && poll(&p, 1, (int)(end - mono_ms() > 0 ?
	    end - mono_ms() : 0)) == 1 && read(c, &b, 1) == 1 &&
	    write(c, &b, 1) == 1) {
		p.fd = a;
		r = poll(&p, 1, (int)(end - mono_ms() > 0 ? end - mono_ms() :
		    0)) == 1 && read(a, &b, 1) == 1;
	}
	close(a);
	return r;
}

/*
 * Connect to each port of F[0..N-1] from a new client socket, in
 * parallel, for at most MS: the verdicts into each v[] (accept: the
 * connection opened and carried data both ways). -1: no socket.
 */
static int
connect_all(struct fam *f, size_t n, const struct rig *rg, int ms)
{
	struct pollfd pfd[2 * FWJ_MAX_PORTS];
	struct sockaddr_storage to;
	size_t i, j, k = 0, pending = 0;
	long end = mono_ms() + ms, left;
	int err, s;
	socklen_t el;

	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].n; j++) {
			if (f[i].cli[j] != -1)
				close(f[i].cli[j]);
			if ((s = f[i].cli[j] = client(&f[i], rg)) == -1)
				return -1;
			to = f[i].server;
			set_port(&to, f[i].ports[j]);
			f[i].v[j] = FWJ_DROP;
			pfd[k].fd = -1;
			pfd[k].events = POLLOUT;
			if (connect(s, (struct sockaddr *)&to, salen(&to)) == 0)
				f[i].v[j] = FWJ_ACCEPT;
			else if (errno == EINPROGRESS) {
				pfd[k].fd = s;
				pending++;
			} else {
				f[i].v[j] = FWJ_REJECT;
				f[i].err[j] = errno;
			}
			k++;
		}
	while (pending > 0 && (left = end - mono_ms()) > 0 &&
	    poll(pfd, k, (int)left) > 0)
		for (i = 0, k = 0; i < n; i++)
			for (j = 0; j < f[i].n; j++, k++) {
				if (pfd[k].fd == -1 || pfd[k].revents == 0)
					continue;
				el = sizeof(err);
				if (getsockopt(pfd[k].fd, SOL_SOCKET, SO_ERROR,
				    &err, &el) == -1)
					err = errno;
				f[i].v[j] = err == 0 ? FWJ_ACCEPT : FWJ_REJECT;
				f[i].err[j] = err;
				pfd[k].fd = -1;
				pending--;
			}
	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].n; j++)
			if (f[i].v[j] == FWJ_ACCEPT &&
			    !carries(f[i].lis[j], f[i].cli[j], end))
				f[i].v[j] = FWJ_DROP;
	return 0;
}

/* The loader's path on this machine (the rescue machine's own); a name
   ending " -n" is iptables-restore's --noflush (ufw's start). */
static const char *
loader_path(const char *name)
{
	static const char *dirs[] = { "/usr/sbin/", "/sbin/", "/usr/bin/" };
	static char path[64];
	size_t i, len = strcspn(name, " ");

	if (strcmp(name, "nft") != 0 && strcmp(name, "iptables-restore") != 0 &&
	    strcmp(name, "ip6tables-restore") != 0 &&
	    strcmp(name, "iptables-restore -n") != 0 &&
	    strcmp(name, "ip6tables-restore -n") != 0)
		return NULL;
	for (i = 0; i < ARRAY_LEN(dirs); i++) {
		snprintf(path, sizeof(path), "%s%.*s", dirs[i], (int)len, name);
		if (access(path, X_OK) == 0)
			return path;
	}
	return NULL;
}

/*
 * The loader on TEXT (LEN bytes), behind the seccomp filter: 0, or -1
 * with its first line (or why it did not run) in OUT.
 */
static int
load(const struct rig *rg, const char *text, size_t len, char *out,
    size_t outlen, long until)
{
	const char *path = loader_path(rg->loader);
	char *nftv[] = { "nft", "-f", "-", NULL };
	char *iptv[] = { (char *)rg->loader, NULL, NULL };
	struct pollfd pfd;
	int p[2] = { -1, -1 }, in, st, r;
	size_t got = 0;
	ssize_t m;
	long end = mono_ms() + LOAD_MS;
	pid_t pid = -1;

	if (until != 0 && until < end)
		end = until;

	out[0] = '\0';
	if (path == NULL) {
		snprintf(out, outlen, "this machine has no %s", rg->loader);
		return -1;
	}
	if (strchr(rg->loader, ' ') != NULL) {
		iptv[0] = strrchr(path, '/') + 1;
		iptv[1] = "-n";
	}
	if ((in = pipe_filled(text, len)) == -1 || pipe2(p, O_CLOEXEC) == -1 ||
	    (pid = fork()) == -1) {
		snprintf(out, outlen, "cannot start it: %s", strerror(errno));
		if (in != -1)
			close(in);
		if (p[0] != -1) {
			close(p[0]);
			close(p[1]);
		}
		return -1;
	}
	if (pid == 0) {
		/* The loader needs NET_ADMIN alone. */
		if (dup2(in, 0) == -1 || dup2(p[1], 1) == -1 ||
		    dup2(p[1], 2) == -1 || prctl(PR_CAP_AMBIENT,
		    PR_CAP_AMBIENT_LOWER, CAP_SYS_ADMIN, 0, 0) == -1 ||
		    sandbox_filter() == -1)
			_exit(126);
		execve(path, strcmp(rg->loader, "nft") == 0 ? nftv : iptv,
		    prog_env);
		_exit(127);
	}
	close(in);
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	while (got + 1 < outlen && end - mono_ms() > 0 &&
	    poll(&pfd, 1, (int)(end - mono_ms())) == 1 &&
	    (m = read(p[0], out + got, outlen - 1 - got)) > 0)
		got += (size_t)m;
	out[got] = '\0';
	close(p[0]);
	kill(pid, SIGKILL);
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		;
	out[strcspn(out, "\n")] = '\0';
	if (r == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (out[0] == '\0')
			snprintf(out, outlen, "it failed");
		return -1;
	}
	return 0;
}

/* Does the line S (LEN bytes) name a drop or a reject, outside a
   comment: a rule that may stop a connection, or a chain's policy? */
static int
stops(const char *s, size_t len)
{
	static const char *const words[] = { "drop", "reject", "DROP",
	    "REJECT" };
	const char *e = memchr(s, '#', len);
	size_t i;

	if (e != NULL)
		len = (size_t)(e - s);
	for (i = 0; i < ARRAY_LEN(words); i++)
		if (has_word(s, len, words[i]))
			return 1;
	return 0;
}

/* The whole of stdin (the ruleset), at most PIPE_FILLED_MAX bytes. */
static int
read_ruleset(struct rig *rg)
{
	struct sbuf b = { 0 };
	char buf[8192];
	ssize_t m;

	while ((m = read(0, buf, sizeof(buf))) > 0 || (m == -1 &&
	    errno == EINTR))
		if (m > 0) {
			sbuf_add(&b, buf, (size_t)m);
			if (b.len > PIPE_FILLED_MAX) {
				sbuf_free(&b);
				errno = EFBIG;
				return -1;
			}
		}
	if (m == -1) {
		sbuf_free(&b);
		return -1;
	}
	rg->len = b.len;
	rg->text = b.s != NULL ? sbuf_take(&b) : xstrdup("");
	return 0;
}

/* The rig's sockets and namespaces let go: nothing of it is left. */
static void
unbuild(struct rig *rg, struct fam *f, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].n; j++) {
			if (f[i].lis[j] != -1)
				close(f[i].lis[j]);
			if (f[i].cli[j] != -1)
				close(f[i].cli[j]);
			f[i].lis[j] = f[i].cli[j] = -1;
		}
	if (rg->cns != -1)
		close(rg->cns);
	if (rg->sns != -1)
		close(rg->sns);
	rg->cns = rg->sns = -1;
}

/*
 * A fresh rig: both namespaces (the helper left in S), the veth pair
 * where one is needed, the listeners. Fresh each time, so that no
 * neighbour entry and no connection learnt before carries over into a
 * judgement (a ruleset that drops IPv6 neighbour discovery stops every
 * IPv6 packet, as at boot). 0, or -1 having said why.
 */
static int
make_rig(struct rig *rg, struct fam *f, size_t n)
{
	size_t i, j;
	int needveth = 0;

	unbuild(rg, f, n);
	for (i = 0; i < n; i++)
		needveth |= !f[i].local;
	if (unshare(CLONE_NEWNET) == -1 ||
	    (rg->cns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) == -1 ||
	    lo_up() == -1 || unshare(CLONE_NEWNET) == -1 ||
	    (rg->sns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) == -1)
		return -say("cannot make a network namespace: %s",
		    strerror(errno));
	if (lo_up() == -1)
		return -say("cannot set up its loopback: %s", strerror(errno));
	if (needveth && veth(f, n, rg) == -1)
		return -say("cannot make a veth pair: %s", strerror(errno));
	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].n; j++)
			if ((f[i].lis[j] = listener(&f[i], f[i].ports[j])) == -1)
				return -say("cannot listen on port %d: %s",
				    f[i].ports[j], strerror(errno));
	return 0;
}

/* F's ports judged through a fresh rig with TEXT loaded: 0, or -1
   (WHY: the loader's complaint, or empty when it said why itself). */
static int
judge(struct rig *rg, struct fam *f, size_t n, const char *text, size_t len,
    int ms, char *why, size_t wl, long until)
{
	why[0] = '\0';
	if (make_rig(rg, f, n) == -1 || load(rg, text, len, why, wl,
	    until) == -1)
		return -1;
	if (connect_all(f, n, rg, ms) == -1) {
		snprintf(why, wl, "cannot make the client's sockets: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* A rig with no rule loaded carries a connection to every port. */
static int
control(struct rig *rg, struct fam *f, size_t n)
{
	size_t i, j;

	if (make_rig(rg, f, n) == -1)
		return -1;
	if (connect_all(f, n, rg, CONTROL_MS) == -1)
		return -say("cannot make the client's sockets: %s",
		    strerror(errno));
	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].n; j++)
			if (f[i].v[j] != FWJ_ACCEPT)
				return -say("its own test network did not "
				    "carry a connection to port %d (IPv%d: %s) "
				    "before any rule was loaded", f[i].ports[j],
				    f[i].fam, f[i].v[j] == FWJ_DROP ?
				    "no answer" : strerror(f[i].err[j]));
	return 0;
}

/*
 * The line of the ruleset that stops F's port J: the first that names a
 * drop or a reject and, commented out alone, lets the connection
 * through (each variant in a fresh rig), tried until END (mono_ms). 0:
 * none alone.
 */
static size_t
culprit(struct rig *rg, const struct fam *f, size_t j, long end)
{
	struct fam one = *f;
	struct sbuf b = { 0 };
	const char *s, *e;
	char why[LOADER_OUT];
	size_t line = 0, tried = 0, found = 0;

	one.n = 1;
	one.ports[0] = f->ports[j];
	one.lis[0] = one.cli[0] = -1;
	for (s = rg->text; *s != '\0' && !found && tried < FIND_MAX &&
	    mono_ms() < end; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		line++;
		if (!stops(s, (size_t)(e - s)))
			continue;
		tried++;
		b.len = 0;
		sbuf_add(&b, rg->text, (size_t)(s - rg->text));
		sbuf_addc(&b, '#');
		sbuf_adds(&b, s);
		if (judge(rg, &one, 1, b.s, b.len, FIND_MS, why,
		    sizeof(why), end) == 0 && one.v[0] == FWJ_ACCEPT)
			found = line;
	}
	unbuild(rg, &one, 1);
	sbuf_free(&b);
	return found;
}

int
fwj_helper(int argc, char **argv)
{
	struct rig rg = { -1, -1, NULL, NULL, NULL, 0 };
	struct fam f[2];
	char why[LOADER_OUT];
	size_t n = 0, i, j;
	long end;

	/* exec made it dumpable again: a loader gone wrong must not reach
	   its fds through /proc. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return say("prctl: %s", strerror(errno));
	if (argc != 8 && argc != 12)
		return say("usage: %s LOADER IFNAME (FAM CLIENT SERVER PORTS)...",
		    FWJ_HELPER_ARG) + 1;
	rg.loader = argv[2];
	rg.ifname = argv[3];
	if (!ifname_ok(rg.ifname))
		return say("an interface name it will not take: %s", argv[3]);
	for (i = 4; i + 4 <= (size_t)argc; i += 4, n++)
		if (parse_fam(argv + i, &f[n]) == -1)
			return say("a question it cannot read: %s %s %s %s",
			    argv[i], argv[i + 1], argv[i + 2], argv[i + 3]) + 1;
	if (loader_path(rg.loader) == NULL)
		return say("%s: this machine has no %s", rg.loader, rg.loader);
	if (read_ruleset(&rg) == -1)
		return say("cannot read the ruleset: %s", strerror(errno));
	if (control(&rg, f, n) == -1)
		return 1;
	if (judge(&rg, f, n, rg.text, rg.len, JUDGE_MS, why,
	    sizeof(why), 0) == -1)
		return why[0] ? say("%s: %s", rg.loader, why) : 1;
	unbuild(&rg, f, n);
	end = mono_ms() + FIND_ALL_MS;
	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].n; j++)
			if (f[i].v[j] != FWJ_ACCEPT)
				f[i].line[j] = culprit(&rg, &f[i], j, end);
	printf("fw. ready\n");
	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].n; j++)
			printf("fw= %d %d %s %zu\n", f[i].fam, f[i].ports[j],
			    fwj_verdict_name(f[i].v[j]), f[i].line[j]);
	free(rg.text);
	return fflush(stdout) == EOF ? 1 : 0;
}
