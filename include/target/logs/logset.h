/*
 * sshd's log lines, from the text logs and the journal
 * (src/target/logs/logset.c).
 */
#ifndef SSHFIX_LOGSET_H
#define SSHFIX_LOGSET_H

#include <stddef.h>
#include <time.h>

struct logrec {
	time_t		 when;
	const char	*file;	/* the log it came from (static) */
	char		*msg;	/* what sshd logged, after "sshd[PID]: " */
	long		 pid;	/* sshd's process, 0: not said */
	int		 journal; /* read from the journal */
	size_t		 seq;	/* the order it was read in */
};

struct logset {
	struct logrec	*v;
	size_t		 n;
	char		**files;	/* the text logs read (logrec.file) */
	size_t		 nfiles;
};

/* Append a line (MSG is taken over). */
void	log_add(struct logset *, time_t, const char *file, char *msg,
	    long pid);
void	logs_free(struct logset *);

#endif
