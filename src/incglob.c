#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "incglob.h"
#include "safefs.h"
#include "util.h"

/* glob's callbacks take no context: the root and list of the running
   call, and the entries it listed (GLOB_MAX_ENTRIES). */
static int glob_rootfd = -1;
static struct unread_list *glob_unread;
static size_t glob_entries;
static const char *glob_pattern;

static void *
g_opendir(const char *path)
{
	int fd = sfs_open(glob_rootfd, path, O_RDONLY | O_DIRECTORY, NULL);
	DIR *d;

	if (fd == -1) {
		int saved = errno;

		unread_note(glob_unread, path, saved);
		errno = saved;
		return NULL;
	}
	if ((d = fdopendir(fd)) == NULL)
		close(fd);
	return d;
}

/* Past the budget every directory ends: glob returns what it has. */
static struct dirent *
g_readdir(void *d)
{
	if (glob_entries > GLOB_MAX_ENTRIES)
		return NULL;
	if (++glob_entries > GLOB_MAX_ENTRIES) {
		char *what = xasprintf("the glob %s", glob_pattern);
		char *why = xasprintf("more than %d directory entries listed "
		    "(sshfix's budget); the rest were not read: cannot tell",
		    GLOB_MAX_ENTRIES);

		unread_note_why(glob_unread, what, why);
		free(what);
		free(why);
		return NULL;
	}
	return readdir(d);
}

static void
g_closedir(void *d)
{
	closedir(d);
}

static int
g_lstat(const char *path, struct stat *st)
{
	int r = sfs_lstat(glob_rootfd, path, st), saved = errno;

	if (r == -1) {
		unread_note(glob_unread, path, saved);
		errno = saved;
	}
	return r;
}

static int
g_stat(const char *path, struct stat *st)
{
	return sfs_stat(glob_rootfd, path, st);
}

static int
cmp_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
incglob(int rootfd, const char *pattern, char ***paths, size_t *n,
    struct unread_list *unread)
{
	glob_t g;
	size_t i;
	int r;

	memset(&g, 0, sizeof(g));
	g.gl_opendir = g_opendir;
	g.gl_readdir = g_readdir;
	g.gl_closedir = g_closedir;
	g.gl_lstat = g_lstat;
	g.gl_stat = g_stat;
	glob_rootfd = rootfd;
	glob_unread = unread;
	glob_pattern = pattern;
	glob_entries = 0;
	r = glob(pattern, GLOB_ALTDIRFUNC, NULL, &g);
	glob_rootfd = -1;
	glob_unread = NULL;
	glob_pattern = NULL;
	*paths = NULL;
	*n = 0;
	if (r == GLOB_NOMATCH)
		return 0;
	if (r != 0) {
		errno = r == GLOB_NOSPACE ? ENOMEM : EIO;
		return -1;
	}
	*paths = xcalloc(g.gl_pathc, sizeof(char *));
	for (i = 0; i < g.gl_pathc; i++)
		(*paths)[i] = xstrdup(g.gl_pathv[i]);
	*n = g.gl_pathc;
	globfree(&g);
	/* sshd sorts bytewise whatever the locale. */
	sort(*paths, *n, sizeof(char *), cmp_bytes);
	return 0;
}

void
incglob_free(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

void
incglob_add(const char *pattern, const char *path, char ***paths, size_t *n)
{
	size_t i;

	if (path == NULL || fnmatch(pattern, path, FNM_PATHNAME |
	    FNM_PERIOD) != 0)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp((*paths)[i], path) == 0)
			return;
	*paths = xreallocarray(*paths, *n + 1, sizeof(char *));
	(*paths)[(*n)++] = xstrdup(path);
	sort(*paths, *n, sizeof(char *), cmp_bytes);
}
