/*
 * Where sshd listens: the effective ListenAddress and Port lines turned
 * into the (address, port) pairs sshd binds (servconf.c add_listen_addr),
 * and the LISTEN sockets of the running kernel (/proc/net/tcp{,6}).
 */
#ifndef SSHFIX_LISTEN_H
#define SSHFIX_LISTEN_H

#include <stddef.h>
#include <sys/types.h>

#include "target/config/config.h"

struct listen {
	int		 fam;		/* 4, 6, or 0: a host name */
	unsigned char	 addr[16];	/* network order; zero: wildcard */
	int		 port;
	int		 wildcard;
	const char	*value;		/* the ListenAddress as written */
	const struct cfg_entry *entry;	/* NULL: the default */
};

/* Every pair sshd would bind for T's config; returns the count. */
size_t	listen_effective(const struct cfg *, struct listen **out);
/* "127.0.0.1:22", "[::1]:22", "HOST:22" */
char	*listen_str(const struct listen *);
/* Is ADDR of family FAM (4, 6) the wildcard (0.0.0.0, ::)? */
int	addr_is_any(const unsigned char *addr, int fam);
/* Is the address loopback (127/8, ::1)? */
int	listen_loopback(const struct listen *);

struct socklisten {
	int		 fam;
	unsigned char	 addr[16];
	int		 port;
	unsigned long	 inode;
};

/* LISTEN sockets of this network namespace; -1 (err_set) if unreadable. */
int	sockets_listening(struct socklisten **out, size_t *n);
/* Would a bind of L fail because socket S holds the port? */
int	socket_conflicts(const struct socklisten *s, const struct listen *l);
/* Does socket S serve exactly L (same address or both wildcards)? */
int	socket_serves(const struct socklisten *s, const struct listen *l);

/*
 * The process holding socket INODE: pid and comm (NUL-terminated), found
 * in HINT's fds first, then every process. Returns the pid, or -1.
 */
pid_t	socket_owner(unsigned long inode, pid_t hint, char *comm, size_t len);
/* Is PID an sshd (comm "sshd", or exe /usr/sbin/sshd)? */
int	pid_is_sshd(pid_t);
/* The live sshd from its PidFile, or -1. */
pid_t	sshd_pidfile_pid(const struct cfg *);
/* The socket inodes PID holds; returns the count, *out allocated. */
size_t	sockets_of_pid(pid_t, unsigned long **out);

#endif
