#ifndef SSHFIX_VALIDATE_H
#define SSHFIX_VALIDATE_H

#include <stddef.h>

#include "target/target.h"
#include "util.h"

struct edited_file {
	const char	*path;		/* inside the root */
	const char	*data;
	size_t		 len;
};

#define SSHD_PATH	"/usr/sbin/sshd"
#define KEYGEN_PATH	"/usr/bin/ssh-keygen"

/*
 * Check the target's sshd configuration, with EDITED files replaced by
 * their new contents, the way the target's sshd would read it: Includes
 * are resolved inside the root and flattened into one file, which the
 * host's sshd checks with -t and a throw-away host key (so broken real
 * keys do not mask config errors). Errors sshd reports only after the
 * config parsed (missing /run/sshd, privsep user) do not count.
 * Returns 0 valid, -1 invalid (err_set: sshd's message), -2 cannot check.
 */
int	validate_config(struct target *, const struct edited_file *, size_t);

/* Flatten only (exposed for tests). */
int	validate_flatten(struct target *, const struct edited_file *, size_t,
	    struct sbuf *out);

#endif
