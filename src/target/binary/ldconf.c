/*
 * ROOT/etc/ld.so.conf as ldconfig reads it (elf/ldconfig.c parse_conf):
 * one directory a line, '#' comments, "include PATTERN" globbed (a
 * relative pattern is relative to the including file's directory),
 * "hwcap" lines ignored. The files are opened through safefs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "target/binary/binlibs.h"
#include "budget.h"
#include "incglob.h"
#include "safefs.h"
#include "util.h"

/* The running ldconf_load: its directories, budget and what it cut. */
struct ldload {
	int			 rootfd;
	struct ldconf		*c;
	struct unread_list	*unread;
	struct budget		 b;	/* LDCONF_MAX_FILES, _FILE */
	int			 cut;	/* too deep, or too many dirs */
	int			 lost;	/* a file that could not be read */
};

static void parse_file(struct ldload *, const char *, int);

static void
add_dir(struct ldload *ld, const char *dir, size_t len)
{
	struct ldconf *c = ld->c;
	size_t i;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0 || dir[0] != '/')
		return;
	for (i = 0; i < c->n; i++)
		if (strlen(c->dirs[i]) == len && memcmp(c->dirs[i], dir, len) == 0)
			return;
	if (c->n >= LDCONF_MAX_DIRS) {
		ld->cut = 1;
		return;
	}
	c->dirs = xreallocarray(c->dirs, c->n + 1, sizeof(char *));
	c->dirs[c->n++] = xstrndup(dir, len);
}

static void
include(struct ldload *ld, const char *from, const char *pat, int depth)
{
	char **paths, *full;
	const char *slash = strrchr(from, '/');
	size_t n, i;

	if (pat[0] == '/')
		full = xstrdup(pat);
	else
		full = xasprintf("%.*s/%s", (int)(slash - from), from, pat);
	if (incglob(ld->rootfd, full, &paths, &n, ld->unread) == 0) {
		for (i = 0; i < n && !ld->b.hit; i++)
			parse_file(ld, paths[i], depth + 1);
		incglob_free(paths, n);
	}
	free(full);
}

static void
parse_line(struct ldload *ld, const char *path, char *l, int depth)
{
	char *w, *save;

	l[strcspn(l, "#")] = '\0';
	if ((w = strtok_r(l, " \t\r", &save)) == NULL)
		return;
	if (strcmp(w, "include") == 0) {
		while ((w = strtok_r(NULL, " \t\r", &save)) != NULL)
			include(ld, path, w, depth);
		return;
	}
	if (strcmp(w, "hwcap") == 0)
		return;
	/* "dir=libc5" style type suffixes of old ldconfig */
	add_dir(ld, w, strcspn(w, "="));
}

static void
parse_file(struct ldload *ld, const char *path, int depth)
{
	char *data, *l, *nl;
	size_t len;

	if (depth > LDCONF_MAX_DEPTH) {
		ld->cut = 1;
		return;
	}
	if (budget_load(&ld->b, ld->rootfd, path, ld->unread, &data,
	    &len) == -1) {
		ld->lost |= ld->b.hit || (errno != ENOENT && errno != ENOTDIR);
		return;
	}
	for (l = data; l < data + len; l = nl + 1) {
		nl = memchr(l, '\n', (size_t)(data + len - l));
		if (nl == NULL)
			nl = data + len;
		*nl = '\0';
		parse_line(ld, path, l, depth);
	}
	free(data);
}

void
ldconf_load(int rootfd, struct ldconf *c, struct unread_list *unread)
{
	struct ldload ld = { rootfd, c, unread, BUDGET("/etc/ld.so.conf and "
	    "its includes", LDCONF_MAX_FILE, LDCONF_MAX_FILES,
	    LDCONF_MAX_FILES * LDCONF_MAX_FILE), 0, 0 };
	char *why;

	memset(c, 0, sizeof(*c));
	parse_file(&ld, "/etc/ld.so.conf", 0);
	budget_note(&ld.b, unread);
	if (ld.cut) {
		why = xasprintf("nested more than %d deep or more than %d "
		    "directories (sshfix's budget); the rest were not read: "
		    "cannot tell", LDCONF_MAX_DEPTH, LDCONF_MAX_DIRS);
		unread_note_why(unread, ld.b.what, why);
		free(why);
	}
	/* A library in none of the directories read may be in another. */
	c->partial = ld.cut || ld.lost;
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
