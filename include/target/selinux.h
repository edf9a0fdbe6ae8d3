/*
 * SELinux on the target, as its boot would set it: ROOT/etc/selinux/config
 * (SELINUX= and SELINUXTYPE=), the policy's file_contexts under
 * ROOT/etc/selinux/TYPE/contexts/files/, and the labels its files carry
 * (the security.selinux extended attribute, read through an fd).
 */
#ifndef SSHFIX_SELINUX_H
#define SSHFIX_SELINUX_H

#include <stddef.h>
#include <sys/types.h>

#include "os/selabel.h"
#include "target/target.h"

enum se_state {
	SE_OFF,		/* no config, or SELINUX=disabled */
	SE_PERMISSIVE,
	SE_ENFORCING,
	SE_UNKNOWN,	/* a config sshfix cannot read or understand */
};

struct se_config {
	enum se_state	 state;
	char		 type[64];	/* SELINUXTYPE ("targeted"), or "" */
	char		 why[160];	/* SE_UNKNOWN: why */
};

/*
 * Is SELinux on, and with which policy: ROOT/etc/selinux/config; on the
 * running system the kernel's mode (selinuxfs); on a disk off when the
 * boot's kernel command line (target/bootcmd.h) says selinux=0 (the last
 * selinux= wins) or, where the release table's REL_SELINUX_OPT_IN holds
 * (Debian, Ubuntu), names selinux in neither security= nor an lsm= list;
 * when the command line could not be followed, "off" is SE_UNKNOWN; and
 * off when permissive with no policy installed.
 */
void	selinux_config(struct target *, struct se_config *);

/*
 * The labels the policy TYPE gives Q[0..N): the target's file_contexts
 * (and .homedirs, .local, .subs, .subs_dist) copied, each within a size
 * budget, into a directory of sshfix's own and asked of libselinux
 * (os/selabel.h). 0, or -1 (err_set).
 */
int	selinux_expected(struct target *, const char *type,
	    struct selabel_q *q, size_t n);

/*
 * The label PATH (inside the root, not followed) carries, into BUF: 0;
 * 1 when it has none; -1 (errno) when it cannot be read.
 */
int	selinux_label(struct target *, const char *path, char *buf,
	    size_t len);

/*
 * CTX with its type replaced by TYPE ("u:r:old_t:s0" -> "u:r:TYPE:s0"),
 * into BUF: the narrowest change, as restorecon makes it without -F. 0, or
 * -1 when CTX has no type field or BUF is too small.
 */
int	selinux_with_type(const char *ctx, const char *type, char *buf,
	    size_t len);

/* The type of a context ("system_u:object_r:ssh_home_t:s0" -> ssh_home_t),
   into BUF; "" when CTX has none. */
void	selinux_type(const char *ctx, char *buf, size_t len);

#endif
