/*
 * The target's own sshd log lines, as evidence: the text logs under
 * ROOT/var/log (auth.log, secure, messages, and the newest of their
 * rotations: .N and .N.gz, -YYYYMMDD and -YYYYMMDD.gz), each read from
 * its end and bounded in size, and the
 * systemd journal (ROOT/var/log/journal, ROOT/run/log/journal; journal.c).
 */
#ifndef SSHFIX_LOGSCAN_H
#define SSHFIX_LOGSCAN_H

#include <stddef.h>
#include <time.h>

#include "budget.h"
#include "target/logs/logset.h"

struct target;

/* What is read of each log, of its rotations and of the journal: the
   cuts LOG_TAIL, LOG_ROTATIONS, GZ_MAX, JOURNAL_MAX ... of budget.h. */
/* The window when --since is not given: before the newest sshd line. */
#define LOG_WINDOW	(7 * 24 * 3600)

/*
 * Every sshd line of the target's logs (text and journal) in the window
 * (t->log_since, or LOG_WINDOW before the newest line), oldest first.
 * Read once and kept in the target; never NULL.
 */
const struct logset *target_logs(struct target *);
/* Append the journal's sshd entries since SINCE (-1: LOG_WINDOW before
   its newest); a journal it cannot read becomes a note. */
void	journal_read(struct target *, struct logset *, time_t since);
/* --since: "YYYY-MM-DD[ HH:MM[:SS]]" (UTC), or "Nd", "Nh", "Nm" ago. */
int	log_parse_since(const char *, time_t now, time_t *);

#endif
