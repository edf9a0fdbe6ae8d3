/*
 * The sandbox (include/os/sandbox.h): a program that may be an attacker's,
 * run so that nothing of the rescue machine is within its reach.
 *
 * MUST: between clone and execve the child makes system calls only and
 * exits 126 at the first step that fails (the caller then judges some
 * other way); each step narrows, none widens: namespaces first, then
 * the mounts (read-only before anything is mounted over), the root, the
 * uid, the limits, the fds, the filter, exec. No fd of sshfix's crosses.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "os/sandbox_int.h"
#include "util.h"

/* Not in every libc's headers yet: the kernel's numbers and flags. */
#ifndef __NR_close_range
#define __NR_close_range	436
#endif
#define SBX_KEYCTL_JOIN		1	/* KEYCTL_JOIN_SESSION_KEYRING */
#define SBX_SETUP_MS		10000	/* the child's mounts, before exec */

char *const prog_env[] = {
	"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	"LC_ALL=C",
	NULL,
};

#define SBX_AS		(256UL << 20)	/* sshd -t needs under 64 MiB */
#define SBX_CPU		10		/* seconds, as the caller's deadline */
#define SBX_NOFILE	64
#define SBX_FD_SCAN	(1 << 20)

/*
 * A user namespace of its own, where the kernel allows one: SANDBOX_ID
 * in it is SANDBOX_HOST_ID outside, the only id mapped, so nothing it
 * does counts as any user's of the machine (signals, keyrings, process
 * counts). The parent writes the maps: the child tells SYNC whether
 * there is a namespace, then waits for a byte on GO.
 */
static int
own_userns(int sync, int go, int required)
{
	char c = 'u';

	if (unshare(CLONE_NEWUSER) == -1) {
		if (required || (errno != EPERM && errno != EINVAL &&
		    errno != ENOSPC && errno != EUSERS))
			return -1;
		c = 'n';	/* not allowed here: SANDBOX_ID alone */
	}
	if (write(sync, &c, 1) != 1 || read(go, &c, 1) != 1 || c != 'g')
		return -1;
	return 0;
}

/*
 * NETADMIN's capabilities, in its own user namespace (the only one its
 * capabilities reach): made ambient, so that they survive its exec (and
 * its children's), no_new_privs notwithstanding.
 */
static const int netcaps[] = { CAP_NET_ADMIN, CAP_SYS_ADMIN,
    CAP_NET_BIND_SERVICE };

static int
keep_netcaps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	size_t i;

	memset(d, 0, sizeof(d));
	for (i = 0; i < ARRAY_LEN(netcaps); i++) {
		d[netcaps[i] / 32].effective |= 1U << (netcaps[i] % 32);
		d[netcaps[i] / 32].permitted |= 1U << (netcaps[i] % 32);
		d[netcaps[i] / 32].inheritable |= 1U << (netcaps[i] % 32);
	}
	if (syscall(SYS_capset, &h, d) == -1)
		return -1;
	for (i = 0; i < ARRAY_LEN(netcaps); i++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
		    (unsigned long)netcaps[i], 0, 0) == -1)
			return -1;
	return 0;
}

/* The uid, no capability (NETADMIN: its own), no way to gain one, and
   the limits (IN_RW: its stdin may be rewritten). */
static int
drop_privileges(int netadmin, int in_rw)
{
	static const struct { int res; rlim_t max; } lim[] = {
		{ RLIMIT_AS, SBX_AS }, { RLIMIT_CPU, SBX_CPU },
		{ RLIMIT_FSIZE, 0 }, { RLIMIT_CORE, 0 },
		{ RLIMIT_NOFILE, SBX_NOFILE }, { RLIMIT_MEMLOCK, 0 },
		{ RLIMIT_MSGQUEUE, 0 },
		/* No fork: last, once the uid owns nothing else. */
		{ RLIMIT_NPROC, 0 },
	};
	rlim_t max;
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct none[2];
	size_t i;

	memset(none, 0, sizeof(none));
	/* In a user namespace, setresuid from an unmapped root keeps the
	   namespace's capabilities: they are cleared by hand. */
	if (setresgid(SANDBOX_ID, SANDBOX_ID, SANDBOX_ID) == -1 ||
	    setresuid(SANDBOX_ID, SANDBOX_ID, SANDBOX_ID) == -1 ||
	    (netadmin ? keep_netcaps() : syscall(SYS_capset, &h, none)) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return -1;
	for (i = 0; i < ARRAY_LEN(lim); i++) {
		max = lim[i].res == RLIMIT_NPROC && netadmin ? SBX_NETADMIN_PROCS :
		    lim[i].res == RLIMIT_FSIZE && in_rw ? SBX_IN_FSIZE :
		    lim[i].max;
		if (setrlimit(lim[i].res, &(struct rlimit){ max, max }) == -1)
			return -1;
	}
	/* Not root's session keyring: an empty one of its own. */
	if (syscall(SYS_keyctl, SBX_KEYCTL_JOIN, NULL) == -1 &&
	    errno != ENOSYS)
		return -1;
	return 0;
}

/* stdin, stdout and stderr, and EXE (if above 2) as fd 3, close-on-exec;
   every other fd closed. */
static int
set_fds(int in, int out, int exe)
{
	struct rlimit rl;
	int fd, first = exe > 2 ? 4 : 3;

	if (in == -1 && (in = open("/dev/null", O_RDONLY)) == -1)
		return -1;
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(out, 2) == -1)
		return -1;
	if (exe > 2 && (dup3(exe, 3, O_CLOEXEC) == -1 && exe != 3))
		return -1;
	if (exe == 3 && fcntl(3, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	if (syscall(__NR_close_range, (unsigned)first, ~0U, 0U) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	/* Before Linux 5.9: every fd the limit allows, closed. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return -1;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > SBX_FD_SCAN)
		rl.rlim_cur = SBX_FD_SCAN;
	for (fd = first; fd < (int)rl.rlim_cur; fd++)
		close(fd);
	return 0;
}

struct child {
	const struct sandbox	*sb;
	char *const		*argv;
	int			 sync, go;	/* own_userns's pipes */
	int			 theirs[2];	/* the parent's ends */
};

/* Say which STEP failed on the output (still sshfix's pipe), exit 126. */
static void __attribute__((noreturn))
fail(const struct sandbox *sb, const char *step)
{
	dprintf(sb->out, "sshfix's sandbox could not be made: %s: %s\n", step,
	    strerror(errno));
	_exit(126);
}

static void __attribute__((noreturn))
child(const struct child *c)
{
	const struct sandbox *sb = c->sb;

	/*
	 * Should sshfix die from here on, the child dies too: the signal
	 * (set again after the uid changes, which clears it) and, before
	 * it is set, the end of the pipe it waits on.
	 */
	close(c->theirs[0]);
	close(c->theirs[1]);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1)
		fail(sb, "prctl");
	if (sandbox_mounts(sb->root, sb->tmp) == -1)
		fail(sb, "mounts");
	if (setgroups(0, NULL) == -1 ||
	    own_userns(c->sync, c->go, sb->netadmin) == -1)
		fail(sb, "user namespace");
	if (chroot(sb->root) == -1 || chdir("/") == -1)
		fail(sb, "chroot");
	if (set_fds(sb->in, sb->out, sb->exe) == -1 ||
	    drop_privileges(sb->netadmin, sb->in_rw) == -1 ||
	    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1 ||
	    (!sb->netadmin && sandbox_filter() == -1))
		_exit(126);
	if (sb->exe > 2)
		syscall(SYS_execveat, 3, "", c->argv, prog_env, AT_EMPTY_PATH);
	else
		execve(c->argv[0], c->argv, prog_env);
	_exit(127);
}

/* Map SANDBOX_ID to SANDBOX_HOST_ID in PID's FILE (uid_map, gid_map). */
static int
write_map(pid_t pid, const char *file)
{
	char path[64], map[64];
	int fd, n, r;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, file);
	n = snprintf(map, sizeof(map), "%u %u 1\n", SANDBOX_ID,
	    SANDBOX_HOST_ID);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	r = write(fd, map, (size_t)n) == n ? 0 : -1;
	if (close(fd) == -1)
		r = -1;
	return r;
}

/*
 * What the program is given, to ID: the regular files of TMP (sshfix's
 * own directory), and its stdin when that is a pipe (opened again by
 * name, /dev/stdin, a pipe checks who opens it).
 */
static int
give_files(const struct sandbox *sb, uid_t id)
{
	const char *tmp = sb->tmp;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd, r = 0;

	if (sb->in != -1 && (fstat(sb->in, &st) == -1 ||
	    (S_ISFIFO(st.st_mode) && fchown(sb->in, id, id) == -1)))
		return -1;
	if (tmp == NULL)
		return 0;
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	while (r == 0 && (de = readdir(d)) != NULL)
		if (de->d_type == DT_REG && fchownat(dirfd(d), de->d_name, id,
		    id, AT_SYMLINK_NOFOLLOW) == -1)
			r = -1;
	closedir(d);
	return r;
}

/*
 * The parent's half of own_userns: what it is given to the uid it will
 * have on the machine, the maps, then go ('g') or not ('x'). A child
 * that died before asking closed SYNC: its exit status (126) says why.
 */
static void
map_ids(pid_t pid, const struct sandbox *sb, int sync, int go)
{
	struct pollfd pfd = { .fd = sync, .events = POLLIN };
	char c;
	int r;

	/* Its mounts take milliseconds: one that never asks is killed. */
	while ((r = poll(&pfd, 1, SBX_SETUP_MS)) == -1 && errno == EINTR)
		;
	if (r != 1 || read(sync, &c, 1) != 1) {
		if (r == 0)
			kill(pid, SIGKILL);
		return;
	}
	if (give_files(sb, c == 'u' ? SANDBOX_HOST_ID : SANDBOX_ID) == -1 ||
	    (c == 'u' && (write_map(pid, "uid_map") == -1 ||
	    write_map(pid, "gid_map") == -1)))
		c = 'x';
	else
		c = 'g';
	if (write(go, &c, 1) != 1)
		kill(pid, SIGKILL);
}

/* FD, moved above 2 if it is one of the three the child replaces. */
static int
above_std(int fd, int *dup)
{
	*dup = -1;
	if (fd < 0 || fd > 2)
		return fd;
	return *dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

pid_t
sandbox_spawn(const struct sandbox *sb, char *const argv[])
{
	char root[4096];
	struct sandbox s = *sb;
	struct child c = { &s, argv, -1, -1, { -1, -1 } };
	int sync[2], go[2], din, dout;
	pid_t pid = -1;

	if (argv[0][0] != '/' || realpath(sb->root, root) == NULL) {
		err_set("%s: %s", argv[0][0] != '/' ? argv[0] : sb->root,
		    argv[0][0] != '/' ? "not an absolute path" :
		    strerror(errno));
		return -1;
	}
	s.root = root;
	s.in = above_std(sb->in, &din);
	s.out = above_std(sb->out, &dout);
	if (pipe2(sync, O_CLOEXEC) == -1) {
		err_set("pipe: %s", strerror(errno));
		goto out;
	}
	if (pipe2(go, O_CLOEXEC) == -1) {
		err_set("pipe: %s", strerror(errno));
		close(sync[0]);
		close(sync[1]);
		goto out;
	}
	c.sync = sync[1];
	c.go = go[0];
	c.theirs[0] = sync[0];
	c.theirs[1] = go[1];
	/* clone, not fork: the child is the init of a pid namespace. */
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS |
	    CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD, NULL, NULL,
	    NULL, NULL);
	if (pid == 0)
		child(&c);
	close(sync[1]);
	close(go[0]);
	if (pid == -1)
		err_set("%s: cannot make its sandbox: clone: %s", argv[0],
		    strerror(errno));
	else
		map_ids(pid, &s, sync[0], go[1]);
	close(sync[0]);
	close(go[1]);
out:
	if (din != -1)
		close(din);
	if (dout != -1)
		close(dout);
	return pid;
}
