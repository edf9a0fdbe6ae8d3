/*
 * The running kernel's LISTEN sockets (/proc/net/tcp and tcp6 of this
 * network namespace) and the processes that hold them (/proc/PID/fd).
 * Linux bind rules: a listener on ADDR:P blocks another bind of ADDR:P
 * and of the wildcard of its family on P, and a wildcard listener blocks
 * every address of its family on P. sshd sets IPV6_V6ONLY, so only the
 * same family counts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/net/listen.h"
#include "util.h"

#define TCP_LISTEN	0x0A

/* /proc/net/tcp prints each 32-bit word of the address in host order. */
static int
hexaddr(const char *s, unsigned char *out, size_t words)
{
	char w[9];
	size_t i;
	uint32_t v;
	char *ep;

	if (strlen(s) != words * 8)
		return -1;
	for (i = 0; i < words; i++) {
		memcpy(w, s + i * 8, 8);
		w[8] = '\0';
		v = (uint32_t)strtoul(w, &ep, 16);
		if (*ep != '\0')
			return -1;
		memcpy(out + i * 4, &v, 4);
	}
	return 0;
}

static int
read_table(const char *path, int fam, struct socklisten **v, size_t *n)
{
	FILE *fp = fopen(path, "re");
	char line[512], local[64];
	unsigned int st, port;
	unsigned long inode;
	struct socklisten s;

	if (fp == NULL) {
		if (errno == ENOENT && fam == 6)
			return 0;	/* no IPv6 in this kernel */
		err_set("%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *colon;

		if (sscanf(line, " %*u: %63s %*s %x %*s %*s %*s %*s %*s %lu",
		    local, &st, &inode) != 3 || st != TCP_LISTEN ||
		    (colon = strchr(local, ':')) == NULL)
			continue;
		*colon = '\0';
		memset(&s, 0, sizeof(s));
		if (hexaddr(local, s.addr, fam == 4 ? 1 : 4) == -1 ||
		    sscanf(colon + 1, "%x", &port) != 1)
			continue;
		s.fam = fam;
		s.port = (int)port;
		s.inode = inode;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[(*n)++] = s;
	}
	fclose(fp);
	return 0;
}

int
sockets_listening(struct socklisten **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (read_table("/proc/net/tcp", 4, out, n) == -1 ||
	    read_table("/proc/net/tcp6", 6, out, n) == -1) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
addr_is_any(const unsigned char *a, int fam)
{
	return memcmp(a, (unsigned char[16]){ 0 }, fam == 4 ? 4 : 16) == 0;
}

int
socket_serves(const struct socklisten *s, const struct listen *l)
{
	return l->fam != 0 && s->fam == l->fam && s->port == l->port &&
	    memcmp(s->addr, l->addr, l->fam == 4 ? 4 : 16) == 0;
}

int
socket_conflicts(const struct socklisten *s, const struct listen *l)
{
	return l->fam != 0 && s->fam == l->fam && s->port == l->port &&
	    (l->wildcard || addr_is_any(s->addr, s->fam) || socket_serves(s, l));
}

static int
read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd == -1)
		return -1;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Each socket inode among PID's fds, until FN returns nonzero. */
static int
each_socket(pid_t pid, int (*fn)(unsigned long, void *), void *arg)
{
	char dir[64], p[320], link[64];
	struct dirent *d;
	unsigned long ino;
	DIR *dp;
	ssize_t r;
	int stop = 0;

	snprintf(dir, sizeof(dir), "/proc/%ld/fd", (long)pid);
	if ((dp = opendir(dir)) == NULL)
		return 0;
	while (!stop && (d = readdir(dp)) != NULL) {
		snprintf(p, sizeof(p), "%s/%s", dir, d->d_name);
		if ((r = readlink(p, link, sizeof(link) - 1)) <= 0)
			continue;
		link[r] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) == 1)
			stop = fn(ino, arg);
	}
	closedir(dp);
	return stop;
}

static int
is_inode(unsigned long ino, void *arg)
{
	return ino == *(unsigned long *)arg;
}

/* Does PID hold socket INODE among its fds? */
static int
holds(pid_t pid, unsigned long inode)
{
	return each_socket(pid, is_inode, &inode);
}

struct inodes {
	unsigned long	*v;
	size_t		 n;
};

static int
collect(unsigned long ino, void *arg)
{
	struct inodes *s = arg;

	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = ino;
	return 0;
}

size_t
sockets_of_pid(pid_t pid, unsigned long **out)
{
	struct inodes s = { NULL, 0 };

	if (pid > 0)
		each_socket(pid, collect, &s);
	*out = s.v;
	return s.n;
}

static void
comm_of(pid_t pid, char *comm, size_t len)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/%ld/comm", (long)pid);
	if (read_small(p, comm, len) == -1)
		snprintf(comm, len, "?");
}

pid_t
socket_owner(unsigned long inode, pid_t hint, char *comm, size_t len)
{
	struct dirent *d;
	DIR *dp;
	pid_t pid = -1;
	char *ep;

	if (hint > 0 && holds(hint, inode))
		pid = hint;
	if (pid == -1 && (dp = opendir("/proc")) != NULL) {
		while (pid == -1 && (d = readdir(dp)) != NULL) {
			long v = strtol(d->d_name, &ep, 10);

			if (*ep == '\0' && v > 0 && holds((pid_t)v, inode))
				pid = (pid_t)v;
		}
		closedir(dp);
	}
	if (pid > 0)
		comm_of(pid, comm, len);
	return pid;
}

int
pid_is_sshd(pid_t pid)
{
	char p[64], buf[64];
	ssize_t r;

	comm_of(pid, buf, sizeof(buf));
	if (strcmp(buf, "sshd") == 0)
		return 1;
	snprintf(p, sizeof(p), "/proc/%ld/exe", (long)pid);
	if ((r = readlink(p, buf, sizeof(buf) - 1)) <= 0)
		return 0;
	buf[r] = '\0';
	return strncmp(buf, "/usr/sbin/sshd", 14) == 0 &&
	    (buf[14] == '\0' || buf[14] == ' ');
}

pid_t
sshd_pidfile_pid(const struct cfg *c)
{
	const struct cfg_entry *e = cfg_effective(c, KW_PIDFILE, NULL,
	    NULL);
	const char *pidfile = e && e->argc ? e->argv[0] : "/run/sshd.pid";
	char buf[32];
	char *ep;
	long pid;
	int fd;
	ssize_t n;

	if ((fd = open(pidfile, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	pid = strtol(buf, &ep, 10);
	if (pid <= 1 || kill((pid_t)pid, 0) == -1)
		return -1;
	/* A stale pid file may name another program now. */
	return pid_is_sshd((pid_t)pid) ? (pid_t)pid : -1;
}
