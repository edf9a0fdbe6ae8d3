/*
 * runbench RUNS CMD ARGS...: run CMD RUNS times (after one warm-up run)
 * and print "median_ms max_rss_kb last_exit" on one line. Peak RSS comes
 * from wait4's rusage of each run. RUNS 0: one run, no warm-up (for
 * commands that change what they run on).
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
once(char **argv, long *rss, int *code)
{
	posix_spawn_file_actions_t fa;
	struct timespec a, b;
	struct rusage ru;
	int status;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		err(1, "%s", argv[0]);
	if (wait4(pid, &status, 0, &ru) == -1)
		err(1, "wait4");
	clock_gettime(CLOCK_MONOTONIC, &b);
	posix_spawn_file_actions_destroy(&fa);
	if (ru.ru_maxrss > *rss)
		*rss = ru.ru_maxrss;
	*code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	return (double)(b.tv_sec - a.tv_sec) * 1e3 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

int
main(int argc, char **argv)
{
	int runs, i, code = 0;
	long rss = 0, ignore = 0;
	double *t;

	if (argc < 3)
		errx(2, "usage: runbench RUNS CMD ARGS...");
	runs = atoi(argv[1]);
	if (runs == 0)
		runs = 1;
	else
		once(argv + 2, &ignore, &code);	/* warm the cache */
	t = calloc((size_t)runs, sizeof(*t));
	for (i = 0; i < runs; i++)
		t[i] = once(argv + 2, &rss, &code);
	qsort(t, (size_t)runs, sizeof(*t), cmp);
	printf("%.2f %ld %d\n", t[runs / 2], rss, code);
	return 0;
}
