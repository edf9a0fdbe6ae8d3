#ifndef SSHFIX_IPV6_H
#define SSHFIX_IPV6_H

#include "target/target.h"

/*
 * Is IPv6 unusable on the target? For a mounted root: its sysctl.d and
 * sysctl.conf (net.ipv6.conf.all.disable_ipv6) or ipv6.disable=N on the
 * kernel command line (target/bootcmd.h); for the running system also
 * the live kernel. Returns 1 and a description of the source in *why
 * (allocated); -1 when nothing says so but, on a mounted root, the
 * command line could not be followed (*why: what); else 0.
 */
int	ipv6_disabled(struct target *, char **why);

/*
 * The value the target's sysctl.d files and sysctl.conf give KEY (dotted),
 * or -1 when none sets it; *where (optional, allocated) names the line.
 */
int	target_sysctl(struct target *, const char *key, char **where);

/* Family of a ListenAddress value: 4, 6, or 0 for a host name. */
int	listen_family(const char *value);

#endif
