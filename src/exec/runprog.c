#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runprog.h"
#include "util.h"

#define OUTPUT_MAX	(64 * 1024)

static char *const clean_env[] = {
	"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	"LC_ALL=C",
	NULL,
};

static void
drain(int fd, struct sbuf *b)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (b->len < OUTPUT_MAX)
			sbuf_add(b, buf, (size_t)n);
	}
}

int
runprog(char *const argv[], char **output)
{
	return runprog_stdin(argv, -1, output);
}

int
runprog_stdin(char *const argv[], int in, char **output)
{
	posix_spawn_file_actions_t fa;
	struct sbuf b = { 0 };
	int p[2], status, r;
	pid_t pid;

	if (argv[0][0] != '/') {
		err_set("%s: not an absolute path", argv[0]);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		err_set("pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	if (in == -1)
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
	else
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	r = posix_spawn(&pid, argv[0], &fa, NULL, argv, clean_env);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r != 0) {
		close(p[0]);
		err_set("%s: %s", argv[0], strerror(r));
		return -1;
	}
	drain(p[0], &b);
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			err_set("waitpid: %s", strerror(errno));
			sbuf_free(&b);
			return -1;
		}
	if (output != NULL)
		*output = sbuf_take(&b);
	else
		sbuf_free(&b);
	if (!WIFEXITED(status)) {
		err_set("%s: killed by signal %d", argv[0], WTERMSIG(status));
		return -1;
	}
	return WEXITSTATUS(status);
}
