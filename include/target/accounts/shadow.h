/*
 * The shadow index of an accounts (src/target/accounts/shadow.c).
 */
#ifndef SSHFIX_SHADOW_H
#define SSHFIX_SHADOW_H

#include "target/accounts/accounts.h"

/* Free A's shadow index. */
void	shadow_free(struct accounts *);

#endif
