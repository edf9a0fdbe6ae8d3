#ifndef SSHFIX_APPLY_H
#define SSHFIX_APPLY_H

#include <stdio.h>

#include "plan/plan.h"
#include "target/target.h"

/* What a run ended in; main turns it into the exit status. */
enum outcome {
	OUT_CLEAN = 0,		/* nothing (left) to fix */
	OUT_REMAIN = 1,		/* faults remain that need a person */
	OUT_ERROR = 2,		/* could not run; nothing changed */
	OUT_RESTORED = 3,	/* failed or refused; target as before */
	OUT_BROKEN = 4,		/* failed, and putting it back failed too:
				   the snapshot holds the state before */
};

struct run_opts {
	const char	*snapdir;	/* --snapshot-dir, or NULL */
	const char	*rootdir;	/* the root (realpath of --root) */
	const char	*id;		/* --rollback ID, or NULL */
	size_t		 keep;		/* --prune --keep N */
	int		 no_reload;
	int		 force;
	int		 json;
	int		 oneline;
	int		 color;
};

enum outcome apply_run(struct target *, struct plan *, const struct run_opts *);
enum outcome rollback_run(struct target *, const struct run_opts *);
enum outcome list_run(struct target *, const struct run_opts *);
/*
 * A run cut short (an interrupted --apply or --rollback) left the root
 * half-changed: said on one line on stderr with the command that
 * recovers it; 1 if so, 0 if not. -1 (err_set, nothing said) when the
 * lock or a file of the store is refused (err_refuse), or the look
 * could not end (a signal, an unreadable store). LOCKED: the caller holds the root's lock.
 */
int	interrupted_notice(struct target *, const struct run_opts *,
	    int locked);
/* Remove old snapshots: all but the KEEP newest and those still needed. */
enum outcome prune_run(struct target *, const struct run_opts *);

#endif
