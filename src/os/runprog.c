/*
 * src/os/: what sshfix does on the machine it runs on -- programs run
 * with a deadline and, for the target's bytes, in a sandbox (runprog.c,
 * sandbox*.c), its own temp directories (tmpdir.c), the one safe way to
 * write a file (safewrite.c, scratch.c), signals held over a change
 * (stop.c), one sshfix per root (lock.c). Uses the base only.
 *
 * Running other programs: posix_spawn for the host's own, the sandbox
 * (sandbox.c) for anything that reads the target's bytes. MUST: an
 * absolute path, a fixed argv, a minimal environment, no fd but the
 * three, and one deadline for the whole child.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "os/runprog.h"
#include "os/sandbox.h"
#include "util.h"

#ifndef __NR_pidfd_open
#define __NR_pidfd_open	434
#endif

#define OUTPUT_MAX	(64 * 1024)

/* Milliseconds left until END, at least 0. */
static int
left_ms(long end)
{
	long l = end - mono_ms();

	return l < 0 ? 0 : l > 0x7fffffffL ? 0x7fffffff : (int)l;
}

int
fd_drain(int fd, struct sbuf *b, long end, size_t max)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[4096];
	ssize_t n;
	int r;

	for (;;) {
		r = poll(&pfd, 1, left_ms(end));
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (b->len < max)
			sbuf_add(b, buf, (size_t)n);
	}
}

/*
 * PID's exit, by END: a pidfd (Linux 5.3) is waited on until it is
 * readable, then one waitpid reaps it (one wait4 per child, the same in
 * every run: t_crash counts them); before 5.3, waitpid polled with a
 * growing pause. 0 with *STATUS, -1 when END passed, -2 (err_set).
 */
static int
wait_until(pid_t pid, long end, int *status)
{
	struct pollfd pfd = { .events = POLLIN };
	struct timespec ts;
	long pause = 1;
	pid_t r;

	pfd.fd = (int)syscall(__NR_pidfd_open, pid, 0);
	if (pfd.fd != -1) {
		while (poll(&pfd, 1, left_ms(end)) == -1 && errno == EINTR)
			;
		close(pfd.fd);
	}
	for (;;) {
		while ((r = waitpid(pid, status, WNOHANG)) == -1 &&
		    errno == EINTR)
			;
		if (r != 0 || left_ms(end) == 0)
			break;
		pause = pause * 2 > 50 ? 50 : pause * 2;
		ts.tv_sec = 0;
		ts.tv_nsec = (left_ms(end) < pause ? left_ms(end) : pause) *
		    1000000L;
		nanosleep(&ts, NULL);
	}
	if (r == -1)
		err_set("waitpid: %s", strerror(errno));
	return r > 0 ? 0 : r == 0 ? -1 : -2;
}

/*
 * Collect PID's output from P (closed here) and its exit status, within
 * TIMEOUT_MS from now; at the deadline it is killed (a sandboxed one
 * with all it started: it is the init of its pid namespace).
 */
static int
reap(pid_t pid, int p, const char *name, int timeout_ms, char **output)
{
	long end = mono_ms() + timeout_ms;
	struct sbuf b = { 0 };
	int status = 0, r;

	r = fd_drain(p, &b, end, OUTPUT_MAX);
	close(p);
	if (r == 0)
		r = wait_until(pid, end, &status);
	if (r == -1) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	if (output != NULL)
		*output = sbuf_take(&b);
	else
		sbuf_free(&b);
	if (r == -1) {
		err_set("%s: no answer within %d ms; killed", name, timeout_ms);
		errno = ETIMEDOUT;
		return -1;
	}
	if (r == -2)
		return -1;
	if (!WIFEXITED(status)) {
		err_set("%s: killed by signal %d", name, WTERMSIG(status));
		return -1;
	}
	return WEXITSTATUS(status);
}

int
runprog(char *const argv[], int timeout_ms, char **output)
{
	return runprog_stdin(argv, -1, timeout_ms, output);
}

/* ARGV[0] must be absolute; P: the pipe that collects its output. */
static int
output_pipe(char *const argv[], int p[2])
{
	if (argv[0][0] != '/') {
		err_set("%s: not an absolute path", argv[0]);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		err_set("pipe: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
runprog_stdin(char *const argv[], int in, int timeout_ms, char **output)
{
	posix_spawn_file_actions_t fa;
	int p[2], r;
	pid_t pid;

	if (output_pipe(argv, p) == -1)
		return -1;
	posix_spawn_file_actions_init(&fa);
	if (in == -1)
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
	else
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	/* Not even an fd sshfix was started with and never marked. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	r = posix_spawn(&pid, argv[0], &fa, NULL, argv, prog_env);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r != 0) {
		close(p[0]);
		err_set("%s: %s", argv[0], strerror(r));
		return -1;
	}
	return reap(pid, p[0], argv[0], timeout_ms, output);
}

int
runprog_sandbox(const struct sandbox *sb, char *const argv[], int timeout_ms,
    char **output)
{
	struct sandbox s = *sb;
	int p[2];
	pid_t pid;

	if (output_pipe(argv, p) == -1)
		return -1;
	s.out = p[1];
	pid = sandbox_spawn(&s, argv);
	close(p[1]);
	if (pid == -1) {
		close(p[0]);
		/* As the child says a step it could not make: 126. */
		if (output != NULL)
			*output = xstrdup(err_get());
		return 126;
	}
	return reap(pid, p[0], argv[0], timeout_ms, output);
}

int
sandbox_refused(int r)
{
	return r == 126;
}

int
pipe_filled(const char *data, size_t len)
{
	int p[2], ok;

	if (len > PIPE_FILLED_MAX) {
		errno = EFBIG;
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	ok = (len <= 65536 || fcntl(p[1], F_SETPIPE_SZ, (int)len) != -1) &&
	    write(p[1], data, len) == (ssize_t)len;
	close(p[1]);
	if (!ok) {
		close(p[0]);
		return -1;
	}
	return p[0];
}
