#ifndef SSHFIX_VALIDATE_H
#define SSHFIX_VALIDATE_H

#include <stddef.h>

#include "target.h"
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
 * The files go in /tmp/VALIDATE_DIR TAG.XXXXXX (TAG: the snapshot of the
 * apply, or NULL), removed when done.
 */
#define VALIDATE_DIR	"sshfix-validate."
int	validate_config(struct target *, const struct edited_file *, size_t,
	    const char *tag);
/*
 * Remove what a run killed while validating left: /tmp's directories
 * VALIDATE_DIR TAG.XXXXXX that are root's, and sshfix's files in them;
 * never a link, never a file sshfix does not make. 0, or -1 (err_set).
 */
int	validate_remove_dirs(const char *tag);

/* Flatten only (exposed for tests). */
int	validate_flatten(struct target *, const struct edited_file *, size_t,
	    struct sbuf *out);

#endif
