/*
 * sshfix's own directories on the machine it runs on (/tmp): where
 * ssh-keygen makes host keys, where sshd -t gets its copy of the
 * configuration. A run killed half way (SIGKILL, a power cut) leaves
 * its directory, private keys in it: each name holds the pid of the run
 * that made it, and the next run removes those of runs that are gone.
 */
#ifndef SSHFIX_TMPDIR_H
#define SSHFIX_TMPDIR_H

#include <stddef.h>

#define TMPDIR_MAX	64

/*
 * Remove each /tmp/sshfix-KIND.PID.* (keygen, validate, prove, selabel,
 * krl, fail2ban) of a pid no process has: a real directory, root's, 0700
 * or 0711 (anything else is not sshfix's), emptied without following a
 * link. Done before each is
 * made, and by --apply and --rollback (a crash's way back).
 */
void	tmpdir_sweep(void);
/* Make /tmp/sshfix-KIND.PID.XXXXXX (0700, root's) into BUF, after a
   sweep. 0, or -1 (err_set). */
int	tmpdir_make(char buf[TMPDIR_MAX], const char *kind);
/*
 * Open BUF's directory to a sandboxed program: root's still, 0711, so
 * that it may read the files the sandbox hands it but never add, remove
 * or replace an entry. 0, or -1 (err_set).
 */
int	tmpdir_share(const char *path);
/* DATA (LEN bytes) as the new file DIR/NAME (0644, root's, never through
   a link). 0, or -1 (err_set). */
int	tmpdir_put(const char *dir, const char *name, const void *data,
	    size_t len);
/* Remove the directory BUF names, and all in it. */
void	tmpdir_remove(const char *path);

#endif
