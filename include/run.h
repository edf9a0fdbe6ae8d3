/*
 * A run of sshfix as main starts it and the stages end it: its options
 * and its outcome, which main turns into the exit status. Plain types,
 * shared by every stage that runs a mode (src/snapshot/listing.c,
 * src/exec/apply.c, src/exec/rollback.c).
 */
#ifndef SSHFIX_RUN_H
#define SSHFIX_RUN_H

#include <stddef.h>

/* What a run ended in; main turns it into the exit status. */
enum outcome {
	OUT_CLEAN = 0,		/* nothing (left) to fix */
	OUT_REMAIN = 1,		/* faults remain that need a person */
	OUT_ERROR = 2,		/* could not run; nothing changed */
	OUT_RESTORED = 3,	/* failed or refused; target as before */
	OUT_BROKEN = 4,		/* failed, and putting it back failed too:
				   the snapshot holds the state before */
	OUT_CANNOT_TELL = 5,	/* a dry run found no fault but cannot
				   judge whether the person can log in */
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

#endif
