/*
 * Search the dpkg file lists of the target: read only when a finding
 * needs a package name, never on a healthy dry run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "budget.h"
#include "target/binary/pkgowner.h"
#include "safefs.h"
#include "util.h"


/* The directory without a leading /usr: /usr/lib and /lib are one. */
static const char *
unmerged(const char *d, size_t *len)
{
	if (*len >= 4 && strncmp(d, "/usr", 4) == 0 && (*len == 4 ||
	    d[4] == '/')) {
		*len -= 4;
		return d + 4;
	}
	return d;
}

static int
dir_ok(const char *d, size_t len, const char *const *dirs)
{
	const char *a, *b;
	size_t i, la, lb;

	if (dirs == NULL)
		return 1;
	la = len;
	a = unmerged(d, &la);
	for (i = 0; dirs[i] != NULL; i++) {
		lb = strlen(dirs[i]);
		b = unmerged(dirs[i], &lb);
		if (la == lb && memcmp(a, b, la) == 0)
			return 1;
	}
	return 0;
}

/* Does one .list file hold NAME in an accepted directory? */
static int
list_has(const char *data, size_t len, const char *name,
    const char *const *dirs)
{
	size_t nl = strlen(name);
	const char *p = data, *end = data + len, *e;

	for (; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		if ((size_t)(e - p) > nl && e[-(long)nl - 1] == '/' &&
		    memcmp(e - nl, name, nl) == 0 &&
		    dir_ok(p, (size_t)(e - p) - nl - 1, dirs))
			return 1;
	}
	return 0;
}

/* Is NAME a dpkg file list, PKG.list? */
static int
is_list(const char *name, size_t *n)
{
	*n = strlen(name);
	return *n > 5 && strcmp(name + *n - 5, ".list") == 0;
}

char *
dpkg_owner(int rootfd, const char *name, const char *const *dirs,
    struct budget *b, struct unread_list *unread)
{
	struct dirent *de;
	char *path, *data, *pkg = NULL;
	size_t len, n;
	DIR *d;
	int fd;

	if ((fd = sfs_open(rootfd, DPKG_INFO, O_RDONLY | O_DIRECTORY,
	    NULL)) == -1)
		return NULL;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return NULL;
	}
	while (pkg == NULL && !b->hit && (de = readdir(d)) != NULL) {
		if (!is_list(de->d_name, &n))
			continue;
		path = xasprintf(DPKG_INFO "/%s", de->d_name);
		if (budget_load(b, rootfd, path, unread, &data, &len) == 0) {
			if (list_has(data, len, name, dirs))
				pkg = xstrndup(de->d_name, n - 5);
			free(data);
		}
		free(path);
	}
	closedir(d);
	/* A list not read may be the one: the answer is not "none". */
	if (pkg == NULL)
		budget_note(b, unread);
	return pkg;
}

int
dpkg_status_installed(int rootfd, const char *pkg)
{
	char *data, *st, *end, *s, *want = xasprintf("Package: %s\n", pkg);
	size_t len, n;
	int r = 0;

	if (sfs_read_file(rootfd, "/var/lib/dpkg/status", DPKG_STATUS_MAX,
	    &data, &len, NULL) == -1) {
		free(want);
		return -1;
	}
	for (st = data; (st = strstr(st, want)) != NULL; st++) {
		if (st != data && st[-1] != '\n')
			continue;
		end = strstr(st, "\n\n");
		s = strstr(st, "\nStatus: ");
		if (s != NULL && (end == NULL || s < end)) {
			s += 9;
			n = strcspn(s, "\n");
			r = n >= 10 && memcmp(s + n - 10, " installed", 10) == 0;
		}
		break;
	}
	free(data);
	free(want);
	return r;
}

int
sshd_installed(int rootfd)
{
	static const char *const units[] = {
		"/lib/systemd/system/ssh.service",
		"/usr/lib/systemd/system/ssh.service",
		"/lib/systemd/system/sshd.service",
		"/usr/lib/systemd/system/sshd.service", NULL,
	};
	struct stat st;
	size_t i;

	if (dpkg_has(rootfd, "openssh-server") ||
	    dpkg_status_installed(rootfd, "openssh-server") == 1)
		return 1;
	for (i = 0; units[i] != NULL; i++)
		if (sfs_lstat(rootfd, units[i], &st) == 0)
			return 1;
	return 0;
}

int
dpkg_has(int rootfd, const char *pkg)
{
	const char *arch[] = { "", ":amd64", ":arm64", ":i386" };
	struct stat st;
	char *path;
	size_t i;
	int r = 0;

	for (i = 0; !r && i < ARRAY_LEN(arch); i++) {
		path = xasprintf(DPKG_INFO "/%s%s.list", pkg, arch[i]);
		r = sfs_lstat(rootfd, path, &st) == 0;
		free(path);
	}
	return r;
}
