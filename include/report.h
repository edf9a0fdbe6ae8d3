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

void	report_text(FILE *, struct target *, const struct plan *, int color);
void	report_json(FILE *, struct target *, const struct plan *);

void	json_string(struct sbuf *, const char *);

/* Notes on what sshfix could not judge; NULL-terminated, free_strv(). */
char	**report_notes(struct target *);

#endif
