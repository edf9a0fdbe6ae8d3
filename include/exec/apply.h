#ifndef SSHFIX_APPLY_H
#define SSHFIX_APPLY_H

#include <stdio.h>

#include "plan/plan.h"
#include "run.h"
#include "target/target.h"

enum outcome apply_run(struct target *, struct plan *, const struct run_opts *);
enum outcome rollback_run(struct target *, const struct run_opts *);
/*
 * A run cut short (an interrupted --apply or --rollback) left the root
 * half-changed: said on one line on stderr with the command that
 * recovers it; 1 if so, 0 if not. -1 (err_set, nothing said) when the
 * lock or a file of the store is refused (err_refuse), or the look
 * could not end (a signal, an unreadable store). LOCKED: the caller holds the root's lock.
 */
int	interrupted_notice(struct target *, const struct run_opts *,
	    int locked);
#endif
