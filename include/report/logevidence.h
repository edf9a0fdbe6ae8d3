/*
 * The target's sshd log lines as evidence of findings
 * (src/report/logevidence.c).
 */
#ifndef SSHFIX_LOGEVIDENCE_H
#define SSHFIX_LOGEVIDENCE_H

#include "plan/plan.h"
#include "target/target.h"

/*
 * Attach to each finding of P the sshd lines that match its logline
 * (evidence log_lines, log_first, log_last, log_file) and note the
 * lines of known trouble no finding explains.
 */
void	logs_attach(struct target *, struct plan *);

#endif
