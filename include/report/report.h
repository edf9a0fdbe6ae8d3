#ifndef SSHFIX_REPORT_H
#define SSHFIX_REPORT_H

#include <stdio.h>
#include <time.h>

#include "plan/plan.h"
#include "json.h"
#include "util.h"
#include "target/target.h"

/* One line describing an action: "chmod 0777 -> 0755 /root". */
char	*action_describe(struct target *, const struct action *);
/* A unified diff of an ACT_EDIT_LINE action (marker line included). */
char	*action_diff(struct target *, const struct action *);

/* A temporary measure an earlier --apply left in place. */
struct open_measure {
	char	*snapshot;	/* the apply's snapshot id */
	char	*user;		/* the account it was for */
	char	*what;		/* the lines it added or changed */
	char	*rollback;	/* the command that removes it */
};

void	open_measures_free(struct open_measure *, size_t);

/* What an --apply or --rollback did, for the report. */
struct run_info {
	const char	 *mode;		/* "dry-run", "apply" */
	const char	 *result;	/* applied, restored, nothing-to-do */
	const char	 *snapshot;	/* its id, or NULL */
	char		 *undo;		/* the command that rolls it back */
	const char	 *error;	/* why it failed, or NULL */
	char		**done;		/* actions carried out, or NULL */
	const struct plan *remaining;	/* findings left afterwards */
	const char	 *service;	/* what was done to sshd */
	const struct open_measure *open; /* left in place, this run's too */
	size_t		  nopen;
	const struct proof *proof;	/* by the real sshd, or NULL */
};

void	report_text(FILE *, struct target *, const struct plan *, int color,
	    const struct run_info *);
void	report_json(FILE *, struct target *, const struct plan *,
	    const struct run_info *);
/* One line for a serial console or a log: what was found or done. */
void	report_oneline(FILE *, struct target *, const struct plan *,
	    const struct run_info *);

/* The open temporary measures of RI, in each report's form. */
char	*open_measure_describe(const struct open_measure *);
/* As RI's mode says it: "still open: ..." in a dry run, after an
 * --apply "TEMPORARY: password login opened for ...". */
char	*open_measure_line(const struct run_info *,
	    const struct open_measure *);
void	report_open_json(struct sbuf *, const struct run_info *);
void	report_open_oneline(struct sbuf *, const struct run_info *);

/* TEXT wrapped at the report's width, indented by IND. */
void	report_wrap(FILE *, int ind, int hang, const char *text);
void	report_wrapf(FILE *, int ind, int hang, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/* The access table (src/report/report_people.c): who may log in. */
void	report_people_text(FILE *, struct target *, const struct plan *);
void	report_people_json(struct sbuf *, struct target *,
	    const struct plan *);

/* The proof by the real sshd (src/report/report_proof.c); nothing for
   NULL or a proof not attempted. */
struct proof;
void	report_proof_text(FILE *, const struct proof *);
void	report_proof_json(struct sbuf *, const struct proof *);

/* A boot_undo for a person: when, what and what to set. */
char	*boot_undo_line(const struct boot_undo *);

/* Notes on what sshfix could not judge; NULL-terminated, free_strv(). */
char	**report_notes(struct target *);

#endif
