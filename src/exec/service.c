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
#include "target/validate.h"

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
