/*
 * The target's own sshd log lines, as evidence: the text logs under
 * ROOT/var/log (auth.log, secure, messages, their .1 and .N.gz
 * rotations), each read from its end and bounded in size.
 */
#ifndef SSHFIX_LOGSCAN_H
#define SSHFIX_LOGSCAN_H

#include <stddef.h>
#include <time.h>

struct target;
struct plan;

/* Each file is read from its end: at most LOG_TAIL bytes of it. */
#define LOG_TAIL	(4 * 1024 * 1024)
/* The window when --since is not given: before the newest sshd line. */
#define LOG_WINDOW	(7 * 24 * 3600)

struct logrec {
	time_t		 when;
	const char	*file;	/* the log it came from (static) */
	char		*msg;	/* what sshd logged, after "sshd[PID]: " */
};

struct logset {
	struct logrec	*v;
	size_t		 n;
};

/* The last MAX bytes of PATH in the root (a .gz file: of its content),
   NUL-terminated, or NULL. */
char	*log_tail(struct target *, const char *path, size_t max, size_t *len);
/* Every sshd line of the target's text logs, oldest file first. */
void	logs_read(struct target *, struct logset *);
void	logs_free(struct logset *);
/* --since: "YYYY-MM-DD[ HH:MM[:SS]]" (UTC), or "Nd", "Nh", "Nm" ago. */
int	log_parse_since(const char *, time_t now, time_t *);

/*
 * Attach to each finding of P the sshd lines that match its logline
 * (evidence log_lines, log_first, log_last, log_file) and note the
 * lines of known trouble no finding explains. SINCE: -1 for the default
 * window.
 */
void	logs_attach(struct target *, struct plan *, time_t since);

#endif
