/*
 * Which sshd judges the target's configuration, the way the target's
 * own sshd will: that sshd, chrooted into the root (or the running
 * system's sshd, without --root); else the host's sshd, with a note
 * naming both versions; else sshfix's keyword table, with a note.
 */
#ifndef SSHFIX_JUDGE_H
#define SSHFIX_JUDGE_H

#include <stddef.h>

#include "target/target.h"

enum judge_kind {
	JUDGE_TARGET,	/* ROOT/usr/sbin/sshd, chrooted */
	JUDGE_HOST,	/* this machine's /usr/sbin/sshd */
	JUDGE_TABLE,	/* no sshd: the keyword table only */
};

struct judge {
	enum judge_kind	 kind;
	char		*desc;	/* which sshd, with its version */
	char		*note;	/* why not the target's own, or NULL */
};

/* One fatal error sshd reports, in the target's terms. */
struct cfg_error {
	char	*path;		/* inside the root */
	size_t	 line;		/* 1-based */
	char	*msg;		/* sshd's message after "line N: " */
	char	*logline;	/* the whole line as sshd logs it */
	char	*detail;	/* a line sshd printed before it, or NULL */
};

void	judge_pick(struct target *, struct judge *);
/* The target's sshd failed to run (exit 126/127): use the host's. */
void	judge_fall_back(struct target *, struct judge *, const char *why);
void	judge_free(struct judge *);

/* "OpenSSH_9.2p1 Debian-2+deb12u10" as the binary says, or NULL. */
char	*sshd_version(int fd);
/* The same in the binary's bytes D[0..LEN). */
char	*sshd_version_in(const char *d, size_t len);

/*
 * A clean verdict remembered under /run/sshfix, keyed by the judge's
 * binary and every byte of the configuration: 1 if this configuration
 * was already judged valid by this sshd.
 */
int	judge_cache_hit(struct target *, const struct judge *);
void	judge_cache_store(struct target *, const struct judge *);

/*
 * sshd -t on the flattened configuration, again and again with the lines
 * it rejected masked, until it finds nothing more (at most 16 rounds).
 * Returns 0 (*errs, *n: every error), 1 when, with the lines it
 * rejected masked, sshd stopped on an error it gives no line for (*errs,
 * *n: those it found, which stand; err_set: its message), -2 when sshd
 * could not run (err_set; exit 126/127 of the sandboxed sshd leave *n 0
 * and return -3), -4 when it gave no answer in its time and was killed
 * (err_set).
 */
int	judge_errors(struct target *, const struct judge *,
	    struct cfg_error **errs, size_t *n);
void	cfg_errors_free(struct cfg_error *, size_t);

/*
 * --no-target-exec, for the whole run: the target's sshd is never run;
 * the host's (sandboxed) or the keyword table judges, with a note.
 */
void	judge_no_target_exec(void);

#endif
