#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/net/listen.h"
#include "os/runprog.h"
#include "safefs.h"
#include "os/safewrite.h"
#include "exec/service.h"
#include "util.h"
#include "exec/validate.h"

#define LOCK_PATH	"/var/lib/sshfix/lock"

/* The lock is no regular file (ST): refused, with what it is. Its size
 * does not count: it is never read. */
static int
refuse_lock(const struct stat *st)
{
	char why[160];

	(void)file_refusal(st, ULLONG_MAX, why, sizeof(why));
	return err_refuse(LOCK_PATH, why);
}

int
lock_root(int rootfd)
{
	struct stat st;
	const char *leaf;
	int dfd, fd;

	if (sfw_mkdir_p(rootfd, "/var/lib/sshfix", 0755) == -1) {
		if (errno == EROFS)
			err_set("/var/lib/sshfix: the filesystem is read-only; "
			    "remount it read-write first (from the console: "
			    "mount -o remount,rw /)");
		return -1;
	}
	if ((dfd = sfs_open_parent(rootfd, LOCK_PATH, &leaf)) == -1) {
		err_set("/var/lib/sshfix: %s", strerror(errno));
		return -1;
	}
	/* Judged before the open too: a FIFO or device is never opened. */
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(st.st_mode)) {
		close(dfd);
		return refuse_lock(&st);
	}
	fd = openat(dfd, leaf, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0600);
	close(dfd);
	if (fd == -1 || fstat(fd, &st) == -1) {
		err_set(LOCK_PATH ": %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return refuse_lock(&st);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		err_set("another sshfix is running on this root (%s)",
		    errno == EWOULDBLOCK ? LOCK_PATH " is held" :
		    strerror(errno));
		close(fd);
		return -1;
	}
	/* A crash while the root id was written left its temp file. */
	if (sfw_remove_temps(rootfd, "/var/lib/sshfix", ROOTID_TAG) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
lock_busy(int rootfd)
{
	struct stat st;
	int fd, busy = 0;

	/* Judged before the open too: a FIFO or device is never opened. */
	if (sfs_lstat(rootfd, LOCK_PATH, &st) == -1)
		return 0;
	if (!S_ISREG(st.st_mode))
		return refuse_lock(&st);
	fd = sfs_open(rootfd, LOCK_PATH, O_RDONLY | O_NONBLOCK, &st);
	if (fd == -1)
		return 0;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return refuse_lock(&st);
	}
	if (flock(fd, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK)
		busy = 1;
	close(fd);
	return busy;
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

/* The last N lines of OUT, "\r" dropped, in place: what matters most. */
static const char *
tail_lines(char *out, int n)
{
	char *p, *w;

	for (p = w = out; *p != '\0'; p++)
		if (*p != '\r')
			*w++ = *p;
	*w = '\0';
	while (w > out && w[-1] == '\n')
		*--w = '\0';
	for (p = w; p > out; p--)
		if (p[-1] == '\n' && --n == 0)
			break;
	return p;
}

int
service_reload(struct target *t, int start, char **what)
{
	const char *sc = systemctl(), *unit = unit_name();
	pid_t pid = sshd_pidfile_pid(&t->cfg);
	char *out = NULL;
	int r;

	*what = NULL;
	if (sc != NULL) {
		char *argv[] = { (char *)sc, pid > 0 || !start ? "reload" :
		    "start", (char *)unit, NULL };

		if (pid <= 0 && !start && runprog((char *[]){ (char *)sc,
		    "is-active", "--quiet", (char *)unit, NULL }, PROG_TIMEOUT_MS,
		    NULL) != 0) {
			*what = xstrdup("sshd is not running; left alone");
			return 0;
		}
		r = runprog(argv, PROG_TIMEOUT_MS, &out);
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
	r = runprog((char *[]){ SSHD_PATH, NULL }, PROG_TIMEOUT_MS, &out);
	*what = xasprintf("started %s%s%s", SSHD_PATH, r == 0 ? "" :
	    ": failed: ", r == 0 ? "" : out && *out ? tail_lines(out, 3) :
	    err_get());
	free(out);
	return r == 0 ? 0 : -1;
}

char *
service_status(void)
{
	const char *sc = systemctl();
	char *out = NULL;

	if (sc == NULL)
		return xstrdup("sshd's own messages went to syslog (see "
		    "/var/log/auth.log); sshfix cannot read them here");
	runprog((char *[]){ (char *)sc, "status", "--no-pager", "--lines=20",
	    (char *)unit_name(), NULL }, PROG_TIMEOUT_MS, &out);
	return out != NULL && *out ? out : (free(out),
	    xstrdup("systemctl status printed nothing"));
}
