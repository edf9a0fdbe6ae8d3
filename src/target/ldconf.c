/*
 * ROOT/etc/ld.so.conf as ldconfig reads it (elf/ldconfig.c parse_conf):
 * one directory a line, '#' comments, "include PATTERN" globbed (a
 * relative pattern is relative to the including file's directory),
 * "hwcap" lines ignored. The files are opened through safefs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "binlibs.h"
#include "incglob.h"
#include "safefs.h"
#include "util.h"

static void parse_file(int, struct ldconf *, const char *, int,
    struct unread_list *);

/* Files read by the running ldconf_load (no context in the recursion). */
static size_t ldconf_files;

static void
add_dir(struct ldconf *c, const char *dir, size_t len)
{
	size_t i;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0 || dir[0] != '/' || c->n >= LDCONF_MAX_DIRS)
		return;
	for (i = 0; i < c->n; i++)
		if (strlen(c->dirs[i]) == len && memcmp(c->dirs[i], dir, len) == 0)
			return;
	c->dirs = xreallocarray(c->dirs, c->n + 1, sizeof(char *));
	c->dirs[c->n++] = xstrndup(dir, len);
}

static void
include(int rootfd, struct ldconf *c, const char *from, const char *pat,
    int depth, struct unread_list *unread)
{
	char **paths, *full;
	const char *slash = strrchr(from, '/');
	size_t n, i;

	if (pat[0] == '/')
		full = xstrdup(pat);
	else
		full = xasprintf("%.*s/%s", (int)(slash - from), from, pat);
	if (incglob(rootfd, full, &paths, &n, unread) == 0) {
		for (i = 0; i < n; i++)
			parse_file(rootfd, c, paths[i], depth + 1, unread);
		incglob_free(paths, n);
	}
	free(full);
}

static void
parse_line(int rootfd, struct ldconf *c, const char *path, char *l,
    int depth, struct unread_list *unread)
{
	char *w, *save;

	l[strcspn(l, "#")] = '\0';
	if ((w = strtok_r(l, " \t\r", &save)) == NULL)
		return;
	if (strcmp(w, "include") == 0) {
		while ((w = strtok_r(NULL, " \t\r", &save)) != NULL)
			include(rootfd, c, path, w, depth, unread);
		return;
	}
	if (strcmp(w, "hwcap") == 0)
		return;
	/* "dir=libc5" style type suffixes of old ldconfig */
	add_dir(c, w, strcspn(w, "="));
}

static void
parse_file(int rootfd, struct ldconf *c, const char *path, int depth,
    struct unread_list *unread)
{
	char *data, *l, *nl;
	size_t len;

	if (depth > LDCONF_MAX_DEPTH || ++ldconf_files > LDCONF_MAX_FILES)
		return;
	if (sfs_read_file(rootfd, path, LDCONF_MAX_FILE, &data, &len,
	    NULL) == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			unread_note(unread, path, errno);
		return;
	}
	for (l = data; l < data + len; l = nl + 1) {
		nl = memchr(l, '\n', (size_t)(data + len - l));
		if (nl == NULL)
			nl = data + len;
		*nl = '\0';
		parse_line(rootfd, c, path, l, depth, unread);
	}
	free(data);
}

void
ldconf_load(int rootfd, struct ldconf *c, struct unread_list *unread)
{
	memset(c, 0, sizeof(*c));
	ldconf_files = 0;
	parse_file(rootfd, c, "/etc/ld.so.conf", 0, unread);
}

void
ldconf_free(struct ldconf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->dirs[i]);
	free(c->dirs);
	memset(c, 0, sizeof(*c));
}
