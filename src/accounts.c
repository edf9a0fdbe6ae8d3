#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts.h"
#include "safefs.h"
#include "util.h"

#define PASSWD	"/etc/passwd"

FILE *
accounts_fopen(int rootfd, const char *path)
{
	struct stat st;
	FILE *fp;
	int fd;

	fd = sfs_open(rootfd, path, O_RDONLY | O_NONBLOCK, &st);
	if (fd == -1)
		return NULL;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return NULL;
	}
	/*
	 * fgetpwent asks the stream for its position at every line; once it
	 * has seeked, stdio knows it and answers without an lseek(2) each.
	 */
	fseeko(fp, 0, SEEK_SET);
	return fp;
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 10)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* fgetpwent skips malformed lines silently; say which one instead. */
static int
check_passwd_line(const char *line, size_t n)
{
	const char *f[8], *p = line;
	size_t k = 0;

	f[k++] = p;
	while ((p = memchr(p, ':', n - (size_t)(p - line))) != NULL) {
		if (k == 7)
			return -1;
		f[k++] = ++p;
	}
	if (k != 7 || f[1] == f[0] + 1)
		return -1;
	/* NIS compat lines ("+user::::::") may leave uid/gid empty. */
	if (line[0] == '+' || line[0] == '-')
		return 0;
	if (!all_digits(f[2], (size_t)(f[3] - f[2] - 1)) ||
	    !all_digits(f[3], (size_t)(f[4] - f[3] - 1)))
		return -1;
	return 0;
}

int
accounts_open(struct accounts *a, int rootfd)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	FILE *fp;
	int r = 0;

	memset(a, 0, sizeof(*a));
	a->rootfd = rootfd;
	if ((fp = accounts_fopen(a->rootfd, PASSWD)) == NULL) {
		err_set("%s: %s", PASSWD, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[strspn(line, " \t")] == '#')
			continue;
		if ((size_t)n != strlen(line) ||
		    check_passwd_line(line, (size_t)n) == -1) {
			err_set("%s line %zu: malformed entry (want "
			    "name:password:uid:gid:gecos:home:shell)",
			    PASSWD, lineno);
			r = -1;
			break;
		}
	}
	if (r == 0 && ferror(fp)) {
		err_set("%s: %s", PASSWD, strerror(errno));
		r = -1;
	}
	free(line);
	fclose(fp);
	return r;
}

void
account_copy(struct account *dst, const struct passwd *pw)
{
	dst->name = xstrdup(pw->pw_name);
	dst->uid = pw->pw_uid;
	dst->gid = pw->pw_gid;
	dst->home = xstrdup(pw->pw_dir ? pw->pw_dir : "");
	dst->shell = xstrdup(pw->pw_shell ? pw->pw_shell : "");
	dst->passwd = xstrdup(pw->pw_passwd ? pw->pw_passwd : "");
}

void
account_free(struct account *acc)
{
	free(acc->name);
	free(acc->home);
	free(acc->shell);
	free(acc->passwd);
	memset(acc, 0, sizeof(*acc));
}

int
accounts_foreach(struct accounts *a, int (*cb)(const struct passwd *, void *),
    void *arg)
{
	struct passwd *pw;
	FILE *fp;
	int r = 0;

	if ((fp = accounts_fopen(a->rootfd, PASSWD)) == NULL) {
		err_set("%s: %s", PASSWD, strerror(errno));
		return -1;
	}
	while (r == 0 && (pw = fgetpwent(fp)) != NULL) {
		if (pw->pw_name[0] == '+' || pw->pw_name[0] == '-')
			continue;	/* NIS compat: not a local account */
		r = cb(pw, arg);
	}
	fclose(fp);
	return r;
}

struct find {
	const char	*name;
	uid_t		 uid;
	struct account	*out;
};

static int
find_name(const struct passwd *pw, void *arg)
{
	struct find *f = arg;

	if (strcmp(pw->pw_name, f->name) != 0)
		return 0;
	account_copy(f->out, pw);
	return 1;
}

static int
find_uid(const struct passwd *pw, void *arg)
{
	struct find *f = arg;

	if (pw->pw_uid != f->uid)
		return 0;
	account_copy(f->out, pw);
	return 1;
}

int
accounts_getpwnam(struct accounts *a, const char *name, struct account *out)
{
	struct find f = { name, 0, out };
	int r = accounts_foreach(a, find_name, &f);

	return r == 1 ? 0 : r == 0 ? 1 : -1;
}

int
accounts_getpwuid(struct accounts *a, uid_t uid, struct account *out)
{
	struct find f = { NULL, uid, out };
	int r = accounts_foreach(a, find_uid, &f);

	return r == 1 ? 0 : r == 0 ? 1 : -1;
}
