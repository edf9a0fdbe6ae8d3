#ifndef SSHFIX_REPORT_H
#define SSHFIX_REPORT_H

#include <stdio.h>
#include <time.h>

#include "plan/plan.h"
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
};

void	report_text(FILE *, struct target *, const struct plan *, int color,
	    const struct run_info *);
void	report_json(FILE *, struct target *, const struct plan *,
	    const struct run_info *);
/* One line for a serial console or a log: what was found or done. */
void	report_oneline(FILE *, struct target *, const struct plan *,
	    const struct run_info *);

/*
 * JSON (src/plan/json.c). Strings are always valid UTF-8: one that is not
 * is given in vis(3) C style, and its member K gets a sibling K_raw with
 * the bytes in base64.
 */
#define JSON_SCHEMA_VERSION	1

void	json_string(struct sbuf *, const char *);
/* ,"K":"V" (V NULL: null); no leading comma unless COMMA. */
void	json_kv(struct sbuf *, const char *k, const char *v, int comma);
/* ,"K":[...] of the N strings of V (N SIZE_MAX: V is NULL-terminated);
 * K_raw: as many, base64 for each that is not UTF-8, else null. */
void	json_strv(struct sbuf *, const char *k, char *const *v, size_t n);
/* ,"K":"2026-11-22T16:00:00Z" (RFC 3339, UTC). */
void	json_time(struct sbuf *, const char *k, time_t);
/* The envelope every document shares: json_begin opens the object with
 * schema_version, version, mode, root (NULL: null) and time; json_end
 * closes it with result and error (NULL: null, else {"message":...}). */
void	json_begin(struct sbuf *, const char *mode, const char *root);
void	json_end(struct sbuf *, const char *result, const char *error);
/* Write B to FP and free it. */
void	json_put(FILE *, struct sbuf *);
/* The document of an error that left no other: mode and result "error". */
void	json_error_doc(FILE *, const char *root, const char *error);

/* The open temporary measures of RI, in each report's form. */
char	*open_measure_describe(const struct open_measure *);
/* As RI's mode says it: "still open: ..." in a dry run, after an
 * --apply "TEMPORARY: password login opened for ...". */
char	*open_measure_line(const struct run_info *,
	    const struct open_measure *);
void	report_open_json(struct sbuf *, const struct run_info *);
void	report_open_oneline(struct sbuf *, const struct run_info *);

/* A boot_undo for a person: when, what and what to set. */
char	*boot_undo_line(const struct boot_undo *);

/* Notes on what sshfix could not judge; NULL-terminated, free_strv(). */
char	**report_notes(struct target *);

#endif
