#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "runprog.h"
#include "safefs.h"
#include "safewrite.h"
#include "service.h"
#include "util.h"
#include "validate.h"

int
lock_root(int rootfd)
{
	const char *leaf;
	int dfd, fd;

	if (sfw_mkdir_p(rootfd, "/var/lib/sshfix", 0755) == -1) {
		if (errno == EROFS)
			err_set("/var/lib/sshfix: the filesystem is read-only; "
			    "remount it read-write first (from the console: "
			    "mount -o remount,rw /)");
		return -1;
	}
	if ((dfd = sfs_open_parent(rootfd, "/var/lib/sshfix/lock",
	    &leaf)) == -1) {
		err_set("/var/lib/sshfix: %s", strerror(errno));
		return -1;
	}
	fd = openat(dfd, leaf, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	close(dfd);
	if (fd == -1) {
		err_set("/var/lib/sshfix/lock: %s", strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		err_set("another sshfix is running on this root (%s)",
		    errno == EWOULDBLOCK ? "/var/lib/sshfix/lock is held" :
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static pid_t
sshd_pid(struct target *t)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_PIDFILE, NULL,
	    NULL);
	const char *pidfile = e && e->argc ? e->argv[0] : "/run/sshd.pid";
	char buf[32], comm[64], proc[64];
	ssize_t n;
	long pid;
	int fd;

	if ((fd = open(pidfile, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	if (pid <= 1 || kill((pid_t)pid, 0) == -1)
		return -1;
	/* A stale pid file may name another program now. */
	snprintf(proc, sizeof(proc), "/proc/%ld/comm", pid);
	if ((fd = open(proc, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	comm[n] = '\0';
	return strncmp(comm, "sshd", 4) == 0 ? (pid_t)pid : -1;
}

static const char *
systemctl(void)
{
	static const char *paths[] = { "/usr/bin/systemctl", "/bin/systemctl" };
	size_t i;

	if (access("/run/systemd/system", F_OK) == -1)
		return NULL;
	for (i = 0; i < ARRAY_LEN(paths); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

static const char *
unit_name(void)
{
	static const char *dirs[] = { "/etc/systemd/system",
	    "/lib/systemd/system", "/usr/lib/systemd/system" };
	char p[128];
	size_t i;

	for (i = 0; i < ARRAY_LEN(dirs); i++) {
		snprintf(p, sizeof(p), "%s/ssh.service", dirs[i]);
		if (access(p, F_OK) == 0)
			return "ssh.service";
	}
	return "sshd.service";
}

int
service_reload(struct target *t, int start, char **what)
{
	const char *sc = systemctl(), *unit = unit_name();
	pid_t pid = sshd_pid(t);
	char *out = NULL;
	int r;

	*what = NULL;
	if (sc != NULL) {
		char *argv[] = { (char *)sc, pid > 0 || !start ? "reload" :
		    "start", (char *)unit, NULL };

		if (pid <= 0 && !start && runprog((char *[]){ (char *)sc,
		    "is-active", "--quiet", (char *)unit, NULL }, NULL) != 0) {
			*what = xstrdup("sshd is not running; left alone");
			return 0;
		}
		r = runprog(argv, &out);
		*what = xasprintf("systemctl %s %s: %s", argv[1], unit,
		    r == 0 ? "done" : out && *out ? out : "failed");
		free(out);
		return r == 0 ? 0 : -1;
	}
	if (pid > 0) {
		r = kill(pid, SIGHUP);
		*what = xasprintf("sent SIGHUP to sshd (pid %ld)%s", (long)pid,
		    r == 0 ? "" : ": failed");
		return r;
	}
	if (!start) {
		*what = xstrdup("sshd is not running; left alone");
		return 0;
	}
	r = runprog((char *[]){ SSHD_PATH, NULL }, &out);
	*what = xasprintf("started %s%s", SSHD_PATH, r == 0 ? "" : ": failed");
	free(out);
	return r == 0 ? 0 : -1;
}
