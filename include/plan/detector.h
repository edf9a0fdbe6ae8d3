/*
 * One fault sshfix knows: a stable id, what sshd logs for it, a detector
 * that only reads the target, and a planner that turns a finding into
 * actions. The type is here, below the detectors (fixes/), so that the
 * plan, whose findings point to their fault, knows it too.
 */
#ifndef SSHFIX_DETECTOR_H
#define SSHFIX_DETECTOR_H

#include "plan/plan.h"
#include "target/target.h"

struct login;

/*
 * Whole-system checks use detect. Checks of accounts use begin, account
 * and finish: diagnose() streams the accounts once and hands every
 * account's facts, read once, to each of them in turn.
 */
struct fault {
	const char	*id;
	const char	*summary;
	/* Add findings to the plan; -1 (err_set) if the target is unreadable. */
	int		(*detect)(struct target *, struct plan *);
	void		*(*begin)(struct target *);
	void		(*account)(struct target *, struct plan *,
			    const struct login *, void *state);
	void		(*finish)(struct target *, struct plan *, void *state);
	/* Add the repair actions of one of its own findings. */
	void		(*plan)(struct target *, struct plan *, struct finding *);
	/*
	 * A finding of it is the only one: nothing else is judged (no sshd
	 * to judge). It runs first.
	 */
	int		 alone;
	/*
	 * A finding of it shuts key logins only (StrictModes, a key line):
	 * an account it names still gets in by password or
	 * keyboard-interactive where the model says those work.
	 */
	int		 keys_only;
};

#endif
