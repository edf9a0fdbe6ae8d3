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
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "listen.h"
#include "liveness.h"
#include "util.h"

void
liveness_before(const struct cfg *c, struct live_before *b)
{
	b->n = sockets_of_pid(sshd_pidfile_pid(c), &b->inodes);
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
