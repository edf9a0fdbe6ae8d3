/*
 * sshfix's own directories in /tmp (include/os/tmpdir.h).
 *
 * MUST: remove only directories named as sshfix names them, owned by
 * root, mode 0700, never through a link (/tmp is everyone's); never one
 * of a process that is alive.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/safewrite.h"
#include "os/tmpdir.h"
#include "util.h"

#define TMP	"/tmp"

/* The kinds of directory sshfix makes there. */
static const char *const kinds[] = { "sshfix-keygen.", "sshfix-validate.",
    "sshfix-prove.", "sshfix-selabel.", "sshfix-krl.", "sshfix-fail2ban." };

/* The pid in NAME, "sshfix-KIND.PID.XXXXXX" of a KIND above, or 0. */
static long
pid_of(const char *name)
{
	size_t i, n;
	char *end;
	long pid;

	for (i = 0; i < ARRAY_LEN(kinds); i++) {
		n = strlen(kinds[i]);
		if (strncmp(name, kinds[i], n) != 0)
			continue;
		pid = strtol(name + n, &end, 10);
		return end != name + n && *end == '.' && pid > 0 ? pid : 0;
	}
	return 0;
}

/* Remove what runs that are gone left in /tmp. */
static void
sweep(int tfd)
{
	struct dirent *de;
	struct stat st;
	char path[sizeof(de->d_name) + 1];
	long pid;
	DIR *d;
	int fd;

	if ((fd = dup(tfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if ((pid = pid_of(de->d_name)) == 0 ||
		    (kill((pid_t)pid, 0) == 0 || errno != ESRCH) ||
		    fstatat(tfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
		    ((st.st_mode & 07777) != 0700 &&
		    (st.st_mode & 07777) != 0711))
			continue;
		snprintf(path, sizeof(path), "/%s", de->d_name);
		sfw_remove_tree(tfd, path);
	}
	closedir(d);
}

void
tmpdir_sweep(void)
{
	int tfd;

	if ((tfd = open(TMP, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		sweep(tfd);
		close(tfd);
	}
}

int
tmpdir_make(char buf[TMPDIR_MAX], const char *kind)
{
	tmpdir_sweep();
	snprintf(buf, TMPDIR_MAX, TMP "/sshfix-%s.%ld.XXXXXX", kind,
	    (long)getpid());
	if (mkdtemp(buf) == NULL) {
		err_set("%s: mkdtemp: %s", TMP, strerror(errno));
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

int
tmpdir_share(const char *path)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (dfd == -1 || fchmod(dfd, 0711) == -1) {
		err_set("%s: %s", path, strerror(errno));
		if (dfd != -1)
			close(dfd);
		return -1;
	}
	close(dfd);
	return 0;
}

int
tmpdir_put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[PATH_MAX];
	const char *p = data;
	ssize_t w;
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1) {
		err_set("%s: %s", path, strerror(errno));
		return -1;
	}
	while (len > 0) {
		if ((w = write(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			r = -1;
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) == -1)
		r = -1;
	if (r == -1)
		err_set("%s: %s", path, strerror(errno));
	return r;
}

void
tmpdir_remove(const char *path)
{
	int tfd;

	if (path[0] == '\0' || strncmp(path, TMP "/", sizeof(TMP)) != 0)
		return;
	if ((tfd = open(TMP, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		sfw_remove_tree(tfd, path + sizeof(TMP) - 1);
		close(tfd);
	}
}
