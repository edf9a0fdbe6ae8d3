/*
 * runprog's deadline and fds: a program that closes its output and never
 * exits is killed at the deadline; a program sees no fd but the three;
 * the sandbox (as root, where namespaces are allowed) runs a program as
 * SANDBOX_ID with nothing writable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/runprog.h"
#include "os/sandbox.h"
#include "util.h"

/* Closed output, then a sleep: only the deadline ends it. */
static void
test_deadline_after_eof(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "exec >&- 2>&-; exec sleep 30",
	    NULL };
	long t0 = mono_ms();
	int r;

	(void)state;
	errno = 0;
	r = runprog(argv, 300, NULL);
	assert_int_equal(r, -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_true(mono_ms() - t0 < 5000);
	assert_non_null(strstr(err_get(), "no answer within 300 ms"));
}

/* Output still flowing: the deadline holds too. */
static void
test_deadline_while_writing(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "while :; do echo y; done", NULL };
	long t0 = mono_ms();
	char *out = NULL;

	(void)state;
	assert_int_equal(runprog(argv, 300, &out), -1);
	assert_true(mono_ms() - t0 < 5000);
	/* What it wrote is kept, up to the bound. */
	assert_non_null(out);
	assert_true(strlen(out) <= 64 * 1024 + 4096);
	free(out);
}

/* An fd sshfix holds without O_CLOEXEC does not reach the program. */
static void
test_no_inherited_fd(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "ls /proc/self/fd", NULL };
	char *out = NULL;
	/* No O_CLOEXEC, and above the fd ls opens /proc/self/fd with. */
	int tmp = open("/", O_RDONLY | O_DIRECTORY), fd = dup2(tmp, 50);
	char name[16];

	(void)state;
	close(tmp);
	assert_int_equal(fd, 50);
	assert_int_equal(runprog(argv, 5000, &out), 0);
	snprintf(name, sizeof(name), "\n%d\n", fd);
	assert_null(strstr(out, name));
	free(out);
	close(fd);
}

/*
 * As root: SANDBOX_ID, a read-only root, an empty read-only /tmp, its
 * own pid namespace and /dev. No fork in there: bash's builtins only.
 */
static void
test_sandbox(void **state)
{
	struct sandbox sb = { "/", NULL, -1, -1, 0, 0, 0 };
	char *argv[] = { "/bin/bash", "-c", "echo $EUID ${GROUPS[0]}; "
	    ": 2>/dev/null >/tmp/x && echo tmp-writable; "
	    ": 2>/dev/null >/var/tmp/sshfix-sbx.$$ && echo root-writable; "
	    "echo /proc/[0-9]*; echo /dev/*", NULL };
	char *out = NULL, want[256];

	(void)state;
	if (geteuid() != 0 || access(argv[0], X_OK) == -1) {
		skip();
		return;
	}
	assert_int_equal(runprog_sandbox(&sb, argv, 5000, &out), 0);
	snprintf(want, sizeof(want), "%u %u\n/proc/1\n/dev/fd /dev/null "
	    "/dev/stderr /dev/stdin /dev/stdout\n", SANDBOX_ID, SANDBOX_ID);
	assert_string_equal(out, want);
	free(out);
}

/* No fork in the sandbox. */
static void
test_sandbox_no_fork(void **state)
{
	struct sandbox sb = { "/", NULL, -1, -1, 0, 0, 0 };
	char *argv[] = { "/bin/sh", "-c", "/bin/true && echo forked", NULL };
	char *out = NULL;

	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	assert_int_not_equal(runprog_sandbox(&sb, argv, 5000, &out), 0);
	assert_null(strstr(out, "forked"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline_after_eof),
		cmocka_unit_test(test_deadline_while_writing),
		cmocka_unit_test(test_no_inherited_fd),
		cmocka_unit_test(test_sandbox),
		cmocka_unit_test(test_sandbox_no_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
