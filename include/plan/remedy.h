/*
 * Remedies shared by detectors (src/plan/remedy.c).
 */
#ifndef SSHFIX_REMEDY_H
#define SSHFIX_REMEDY_H

#include <sys/stat.h>

#include "plan/plan.h"
#include "target/target.h"

/*
 * Shared by home-perms and sshdir-perms: the change that makes F's object
 * (f->path, f->st) acceptable to StrictModes and reachable by f->user
 * with PERM (1 search, 4 read). WANT: the mode to use when ownership
 * moves to the user (0 keeps the narrowest change). KEEP_ROOT: an object
 * root manages (outside the home) stays root's and is opened to others.
 */
void	plan_strict_fix(struct target *, struct finding *, mode_t want,
	    int perm, int keep_root);

/*
 * F is about the object at PATH (ST) that A's login needs: evidence
 * path, mode, owner, user, and the planner's facts (f->path, st, user).
 */
void	finding_set_object(struct target *, struct finding *,
	    const char *path, const struct stat *, const struct account *);

/* Comment out the config line of E ("#" + the line as it was). */
void	plan_comment_out(struct target *, struct finding *,
	    const struct cfg_entry *e);

#endif
