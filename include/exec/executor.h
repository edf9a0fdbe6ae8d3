/*
 * The only code that changes a target: it carries out a plan's actions
 * through safewrite (and ssh-keygen, outside the target), and never anything the plan does not
 * name.
 */
#ifndef SSHFIX_EXECUTOR_H
#define SSHFIX_EXECUTOR_H

#include "plan/plan.h"
#include "snapshot/snapshot.h"
#include "target/target.h"
#include "target/validate.h"

/* The edited config files of a plan, built and ready to write. */
struct edits {
	struct edited_file	*f;
	size_t			 n;
	struct stat		*st;	/* the file before (mode, owner) */
	int			*exists;
};

int	edits_build(struct target *, const struct plan *, struct edits *);
void	edits_free(struct edits *);

/* Add every path the plan will touch (and their parents) to S. */
void	executor_paths(struct target *, const struct plan *,
	    struct snapshot *);

/* One action; -1 with err_set on failure. */
int	executor_run(struct target *, const struct action *);
/* ACT_ADD_ACCOUNT (src/exec/addaccount.c). */
int	executor_add_account(struct target *, const struct action *);
/* Write the edited files (temp + fsync + rename), keeping owner, mode. */
int	executor_write_edits(struct target *, const struct edits *);

/* ACT_UNBAN (src/exec/unban.c). */
int	executor_unban(struct target *, const struct action *);
/* ACT_KEYGEN and ACT_KEYGEN_ALL (src/exec/keygen.c). */
int	executor_keygen(struct target *, const struct action *);
/* Where A's keys wait in the target before they are moved into place. */
char	*keygen_staging_dir(const struct action *);


#endif
