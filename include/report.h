#ifndef SSHFIX_REPORT_H
#define SSHFIX_REPORT_H

#include <stdio.h>

#include "plan.h"
#include "util.h"
#include "target.h"

/* One line describing an action: "chmod 0777 -> 0755 /root". */
char	*action_describe(struct target *, const struct action *);
/* A unified diff of an ACT_EDIT_LINE action (marker line included). */
char	*action_diff(struct target *, const struct action *);

/* What an --apply or --rollback did, for the report. */
struct run_info {
	const char	 *mode;		/* "dry-run", "apply" */
	const char	 *result;	/* applied, restored, nothing-to-do */
	const char	 *snapshot;	/* its id, or NULL */
	const char	 *error;	/* why it failed, or NULL */
	char		**done;		/* actions carried out, or NULL */
	const struct plan *remaining;	/* findings left afterwards */
	const char	 *service;	/* what was done to sshd */
};

void	report_text(FILE *, struct target *, const struct plan *, int color,
	    const struct run_info *);
void	report_json(FILE *, struct target *, const struct plan *,
	    const struct run_info *);
/* One line for a serial console or a log: what was found or done. */
void	report_oneline(FILE *, struct target *, const struct plan *,
	    const struct run_info *);

void	json_string(struct sbuf *, const char *);
/* ,"K":"V" (V NULL: null); no leading comma unless COMMA. */
void	json_kv(struct sbuf *, const char *k, const char *v, int comma);

/* Notes on what sshfix could not judge; NULL-terminated, free_strv(). */
char	**report_notes(struct target *);

#endif
