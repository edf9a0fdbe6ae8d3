/*
 * Proof that a reloaded sshd lives: /proc/net/tcp{,6} shows a new LISTEN
 * socket for every (address, port) of its configuration, and a TCP
 * connect to one of them, over loopback for a wildcard, reads sshd's
 * "SSH-2.0-" banner. A socket sshd held before the reload does not count:
 * until sshd has acted on SIGHUP the old process still answers.
 * Host names (resolved by sshd) are not checked.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "target/net/listen.h"
#include "exec/liveness.h"
#include "util.h"

/* Options on sshd's command line that change where it listens. */
static int
has_overrides(pid_t pid)
{
	static const char *opts[] = { "-o", "-p", "-f", "-4", "-6" };
	char path[64], buf[4096];
	ssize_t n, i;
	size_t k;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1) {
		for (k = 0; k < ARRAY_LEN(opts); k++)
			if (strncmp(buf + i, opts[k], 2) == 0)
				return 1;
	}
	return 0;
}

void
liveness_before(const struct cfg *c, struct live_before *b)
{
	pid_t pid = sshd_pidfile_pid(c);

	b->n = sockets_of_pid(pid, &b->inodes);
	b->overrides = pid > 0 && has_overrides(pid);
}

void
liveness_free(struct live_before *b)
{
	free(b->inodes);
	b->inodes = NULL;
	b->n = 0;
}

static int
was_there(const struct live_before *b, unsigned long ino)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->inodes[i] == ino)
			return 1;
	return 0;
}

/* The first (address, port) with no fresh listener, or -1: all there. */
static long
missing(const struct listen *l, size_t n, const struct live_before *b)
{
	struct socklisten *s;
	size_t ns, i, j;
	long r = -1;

	if (sockets_listening(&s, &ns) == -1)
		return 0;
	for (i = 0; r == -1 && i < n; i++) {
		if (l[i].fam == 0)
			continue;
		for (j = 0; j < ns; j++)
			if (socket_serves(&s[j], &l[i]) &&
			    !was_there(b, s[j].inode))
				break;
		if (j == ns)
			r = (long)i;
	}
	free(s);
	return r;
}

/*
 * sshd runs with options of its own: any fresh LISTEN socket the PidFile
 * sshd holds stands for the configuration. Fills *l with it.
 */
static int
fresh_own(const struct cfg *c, const struct live_before *b,
    struct listen *l)
{
	struct socklisten *s;
	unsigned long *mine;
	size_t ns, nm, i, j;
	int r = -1;

	nm = sockets_of_pid(sshd_pidfile_pid(c), &mine);
	if (sockets_listening(&s, &ns) == -1) {
		free(mine);
		return -1;
	}
	for (i = 0; r == -1 && i < ns; i++)
		for (j = 0; j < nm; j++)
			if (s[i].inode == mine[j] &&
			    !was_there(b, s[i].inode)) {
				memset(l, 0, sizeof(*l));
				l->fam = s[i].fam;
				l->port = s[i].port;
				memcpy(l->addr, s[i].addr, sizeof(l->addr));
				l->wildcard = addr_is_any(l->addr, l->fam);
				r = 0;
				break;
			}
	free(s);
	free(mine);
	return r;
}

static int
wait_fd(int fd, short ev, int ms)
{
	struct pollfd p = { .fd = fd, .events = ev };

	return poll(&p, 1, ms) == 1 ? 0 : -1;
}

/* Connect to L (its loopback twin for a wildcard) and read the banner. */
static int
banner(const struct listen *l)
{
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	char buf[256];
	ssize_t r = -1;
	int fd, e = 0;
	socklen_t el = sizeof(e);

	fd = socket(l->fam == 4 ? AF_INET : AF_INET6, SOCK_STREAM |
	    SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	if (l->fam == 4) {
		s4.sin_port = htons((uint16_t)l->port);
		s4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (!l->wildcard)
			memcpy(&s4.sin_addr, l->addr, 4);
		r = connect(fd, (struct sockaddr *)&s4, sizeof(s4));
	} else {
		s6.sin6_port = htons((uint16_t)l->port);
		s6.sin6_addr = in6addr_loopback;
		if (!l->wildcard)
			memcpy(&s6.sin6_addr, l->addr, 16);
		r = connect(fd, (struct sockaddr *)&s6, sizeof(s6));
	}
	if ((r == -1 && errno != EINPROGRESS) ||
	    wait_fd(fd, POLLOUT, 2000) == -1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == -1 || e != 0 ||
	    wait_fd(fd, POLLIN, 2000) == -1 ||
	    (r = read(fd, buf, sizeof(buf) - 1)) < 8) {
		close(fd);
		return -1;
	}
	close(fd);
	return memcmp(buf, "SSH-2.0-", 8) == 0 ? 0 : -1;
}

/* Where to knock: loopback or a wildcard first, else any literal. */
static const struct listen *
knock_target(const struct listen *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i].wildcard || listen_loopback(&l[i]))
			return &l[i];
	for (i = 0; i < n; i++)
		if (l[i].fam != 0)
			return &l[i];
	return NULL;
}

static void
nap(int ms)
{
	struct timespec ts = { 0, (long)ms * 1000000L };

	nanosleep(&ts, NULL);
}

int
liveness_check(const struct cfg *c, const struct live_before *b,
    int timeout_ms)
{
	struct listen *l;
	const struct listen *k;
	size_t n = listen_effective(c, &l);
	long miss = 0;
	int waited = 0, r = -1;
	char *s;

	k = knock_target(l, n);
	for (; b->overrides && waited <= timeout_ms; waited += 100) {
		struct listen own;

		if (fresh_own(c, b, &own) == 0 && banner(&own) == 0)
			break;
		nap(100);
	}
	if (b->overrides) {
		free(l);
		if (waited <= timeout_ms)
			return 0;
		err_set("sshd holds no new listening socket that answers %d s "
		    "after the reload or start", timeout_ms / 1000);
		return -1;
	}
	for (; waited <= timeout_ms; waited += 100) {
		if ((miss = missing(l, n, b)) == -1 &&
		    (k == NULL || banner(k) == 0)) {
			r = 0;
			break;
		}
		nap(100);
	}
	if (r == -1) {
		s = listen_str(miss >= 0 ? &l[miss] : k);
		if (miss >= 0)
			err_set("sshd is not listening on %s %d s after the "
			    "reload or start", s, timeout_ms / 1000);
		else
			err_set("sshd listens but %s did not answer with an "
			    "SSH-2.0- banner", s);
		free(s);
	}
	free(l);
	return r;
}
