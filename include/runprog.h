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

/*
 * The same, for a program of another root: ARGV[0] (absolute inside
 * ROOT) runs chrooted into ROOT in a private mount and network
 * namespace, ROOT read-only and nosuid, the host directory DIR mounted at
 * /tmp, as uid and gid JUDGE_ID with no capabilities, no_new_privs and no
 * fork (the program may be an attacker's). What it reads in DIR must be
 * JUDGE_ID's. Killed after TIMEOUT_MS. Exit 126: the sandbox could not be
 * set up; 127: the program could not be executed.
 */
#define JUDGE_ID	65534	/* nobody, nogroup */
int	runprog_chroot(const char *root, const char *dir, char *const argv[],
	    int timeout_ms, char **output);

#endif
