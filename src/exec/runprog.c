#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runprog.h"
#include "util.h"

#define OUTPUT_MAX	(64 * 1024)

static char *const clean_env[] = {
	"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	"LC_ALL=C",
	NULL,
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Read FD to its end; 0, or -1 once TIMEOUT_MS (-1: none) has passed. */
static int
drain(int fd, struct sbuf *b, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	long end = now_ms() + timeout_ms;
	char buf[4096];
	ssize_t n;
	int left;

	for (;;) {
		left = timeout_ms < 0 ? -1 : (int)(end - now_ms());
		if (timeout_ms >= 0 && left <= 0)
			return -1;
		if (poll(&pfd, 1, left) == 0)
			return -1;
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (b->len < OUTPUT_MAX)
			sbuf_add(b, buf, (size_t)n);
	}
}

/* Collect PID's output from P (closed here) and its exit status. */
static int
reap(pid_t pid, int p, const char *name, int timeout_ms, char **output)
{
	struct sbuf b = { 0 };
	int status, timed_out;

	timed_out = drain(p, &b, timeout_ms) == -1;
	close(p);
	if (timed_out)
		kill(pid, SIGKILL);
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
	if (timed_out) {
		err_set("%s: no answer within %d ms; killed", name, timeout_ms);
		return -1;
	}
	if (!WIFEXITED(status)) {
		err_set("%s: killed by signal %d", name, WTERMSIG(status));
		return -1;
	}
	return WEXITSTATUS(status);
}

int
runprog(char *const argv[], char **output)
{
	return runprog_stdin(argv, -1, output);
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
runprog_stdin(char *const argv[], int in, char **output)
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
	r = posix_spawn(&pid, argv[0], &fa, NULL, argv, clean_env);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r != 0) {
		close(p[0]);
		err_set("%s: %s", argv[0], strerror(r));
		return -1;
	}
	return reap(pid, p[0], argv[0], -1, output);
}

/* Mount SRC (or a tmpfs) over ROOTFD's subdirectory NAME, not following. */
static int
mount_over(int rootfd, const char *name, const char *src)
{
	char fdpath[64];
	int fd;

	fd = openat(rootfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return -1;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	return src ? mount(src, fdpath, NULL, MS_BIND, NULL) :
	    mount("tmpfs", fdpath, "tmpfs", MS_NOSUID | MS_NOEXEC,
	    "mode=0755,size=64k");
}

/*
 * The child of runprog_chroot: only system calls from here to execve.
 * Private mounts and no network; ROOT bound read-only onto itself; DIR
 * mounted over ROOT/tmp and a tmpfs holding only null over ROOT/dev
 * (sshd needs /dev/null), both opened without following a symlink; then
 * chroot, and the rest as JUDGE_ID with no privilege. Exit 126 when a
 * step fails, 127 when exec does.
 */
static void __attribute__((noreturn))
chroot_child(const char *root, const char *dir, char *const argv[], int out)
{
	int fd, dev, devnull;

	if (unshare(CLONE_NEWNS | CLONE_NEWNET) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) == -1 ||
	    mount(NULL, root, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY |
	    MS_NOSUID | MS_NODEV, NULL) == -1)
		_exit(126);
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || mount_over(fd, "tmp", dir) == -1 ||
	    mount_over(fd, "dev", NULL) == -1)
		_exit(126);
	umask(0);	/* null is 0666 whatever sshfix's umask is */
	dev = openat(fd, "dev", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dev == -1 || mknodat(dev, "null", S_IFCHR | 0666,
	    makedev(1, 3)) == -1 || chroot(root) == -1 || chdir("/") == -1)
		_exit(126);
	/*
	 * The binary is the target's: on a disk nobody trusts, an
	 * attacker's. Root in a chroot can leave it, so it runs as nobody,
	 * with no capabilities, no way to gain any (no_new_privs, the root
	 * mounted nosuid) and no way to fork.
	 */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    setgroups(0, NULL) == -1 ||
	    setresgid(JUDGE_ID, JUDGE_ID, JUDGE_ID) == -1 ||
	    setresuid(JUDGE_ID, JUDGE_ID, JUDGE_ID) == -1 ||
	    setrlimit(RLIMIT_NPROC, &(struct rlimit){ 0, 0 }) == -1 ||
	    setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 }) == -1)
		_exit(126);
	devnull = open("/dev/null", O_RDONLY);
	if (devnull == -1)
		close(0);
	else if (devnull != 0 && (dup2(devnull, 0) == -1 || close(devnull)))
		_exit(126);
	if (dup2(out, 1) == -1 || dup2(out, 2) == -1)
		_exit(126);
	execve(argv[0], argv, clean_env);
	_exit(127);
}

int
runprog_chroot(const char *root, const char *dir, char *const argv[],
    int timeout_ms, char **output)
{
	int p[2];
	pid_t pid;

	if (output_pipe(argv, p) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		err_set("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0)
		chroot_child(root, dir, argv, p[1]);
	close(p[1]);
	return reap(pid, p[0], argv[0], timeout_ms, output);
}
