/*
 * The sandbox's parts (src/exec/sandbox*.c), for sandbox.c only.
 */
#ifndef SSHFIX_SANDBOX_INT_H
#define SSHFIX_SANDBOX_INT_H

#include "os/sandbox.h"

/*
 * Private mounts; ROOT (canonical) and every mount under it read-only,
 * nosuid, nodev; TMP (NULL: an empty tmpfs) over its /tmp and a /dev
 * holding only null, read-only; a /proc of its own. -1 on any failure.
 */
int	sandbox_mounts(const char *root, const char *tmp);

#endif
