#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "listen.h"
#include "runprog.h"
#include "safefs.h"
#include "safewrite.h"
#include "service.h"
#include "util.h"
#include "validate.h"

/*
 * The lock file, opened for writing: a FIFO or device planted there is
 * never opened (a device acts on open), nor anything but a regular file
 * used.
 */
static int
open_lock(int dfd, const char *leaf)
{
	struct stat st;
	int fd;

	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(st.st_mode)) {
		errno = ENXIO;
		return -1;
	}
	fd = openat(dfd, leaf, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0600);
	if (fd != -1 && (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))) {
		close(fd);
		errno = ENXIO;
		return -1;
	}
	return fd;
}

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
	fd = open_lock(dfd, leaf);
	close(dfd);
	if (fd == -1) {
		err_set("/var/lib/sshfix/lock: %s", file_strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		err_set("another sshfix is running on this root (%s)",
		    errno == EWOULDBLOCK ? "/var/lib/sshfix/lock is held" :
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

	fd = sfs_open(rootfd, "/var/lib/sshfix/lock", O_RDONLY | O_NOFOLLOW,
	    &st);
	if (fd == -1)
		return 0;
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
	    (char *)unit_name(), NULL }, &out);
	return out != NULL && *out ? out : (free(out),
	    xstrdup("systemctl status printed nothing"));
}
