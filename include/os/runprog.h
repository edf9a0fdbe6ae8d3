#ifndef SSHFIX_RUNPROG_H
#define SSHFIX_RUNPROG_H

struct sandbox;

/* The longest a program of the host's may take (systemctl waits for its
   job up to 90 s). */
#define PROG_TIMEOUT_MS	(120 * 1000)

/*
 * Run ARGV[0] (an absolute path) with posix_spawn: fixed argv, stdin
 * from /dev/null, a minimal environment (PATH and LC_ALL=C only), no fd
 * of sshfix's but the three, stdout and stderr captured into *OUTPUT
 * (NUL-terminated, at most 64 KiB kept; may be NULL). It is killed when
 * TIMEOUT_MS have passed, whether or not its output is still open.
 * Returns the exit status, or -1 (err_set) when it could not run, died
 * of a signal or ran out of time (errno ETIMEDOUT). Never system(3),
 * never a shell.
 */
int	runprog(char *const argv[], int timeout_ms, char **output);
/* The same with IN (its read end) as stdin. */
int	runprog_stdin(char *const argv[], int in, int timeout_ms,
	    char **output);

/*
 * A pipe holding DATA (LEN bytes, at most PIPE_FILLED_MAX) and closed
 * for writing: its read end (close-on-exec), to be a program's stdin; -1
 * (errno) when it cannot hold it.
 */
#define PIPE_FILLED_MAX	(1024 * 1024)
int	pipe_filled(const char *data, size_t len);

/*
 * Read FD to its end into B, keeping the first MAX bytes or a little
 * more (the rest is read and dropped); 0, or -1 once END (mono_ms) has
 * passed.
 */
struct sbuf;
int	fd_drain(int fd, struct sbuf *b, long end, size_t max);

/*
 * The same in the sandbox of include/os/sandbox.h (SB: its root, its /tmp,
 * its stdin; its output is captured here). 126: the sandbox could not be
 * made (*OUTPUT says why); 127: the program could not be executed.
 */
int	runprog_sandbox(const struct sandbox *sb, char *const argv[],
	    int timeout_ms, char **output);
/*
 * Did runprog_sandbox's R come of a sandbox that could not be made here
 * (no namespaces allowed: a container, a confined unit)?
 */
int	sandbox_refused(int r);

#endif
