/*
 * Open a target and close it (src/target/load.c): above every sub-model
 * of src/target/, which it reads in and frees.
 */
#ifndef SSHFIX_LOAD_H
#define SSHFIX_LOAD_H

#include "target/target.h"

int	target_open(struct target *, const char *rootdir);
/* The target with OV laid over its configuration (NULL: as it is). */
int	target_open_overlay(struct target *, const char *rootdir,
	    const struct cfg_overlay *ov);
void	target_close(struct target *);

#endif
