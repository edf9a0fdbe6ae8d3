#ifndef SSHFIX_RUNPROG_H
#define SSHFIX_RUNPROG_H

/*
 * Run ARGV[0] (an absolute path) with posix_spawn: fixed argv, stdin from
 * /dev/null, a minimal environment (PATH and LC_ALL=C only), stdout and
 * stderr captured into *OUTPUT (NUL-terminated, at most 64 KiB; may be
 * NULL). Returns the exit status, or -1 (err_set) when it could not run
 * or died of a signal. Never system(3), never a shell.
 */
int	runprog(char *const argv[], char **output);
/* The same with IN (its read end) as stdin. */
int	runprog_stdin(char *const argv[], int in, char **output);

#endif
