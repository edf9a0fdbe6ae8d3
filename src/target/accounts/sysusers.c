/*
 * sysusers.d(5) lines, read as systemd-sysusers reads them: fields split
 * on white space, a field in double or single quotes kept whole (C escapes
 * \" \\ inside), "-" for a field left unset, "#" starting a comment line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "incglob.h"
#include "safefs.h"
#include "target/accounts/sysusers.h"
#include "util.h"

static const char *const dirs[] = {
	"/etc/sysusers.d", "/run/sysusers.d", "/usr/local/lib/sysusers.d",
	"/usr/lib/sysusers.d",
};

#define NFIELDS	6	/* type name id gecos home shell */

/* The next field of *P, unquoted, in a new string; NULL at the end. */
static char *
field(const char **p)
{
	const char *s = *p + strspn(*p, " \t");
	char *out, *o, q = 0;

	if (*s == '\0')
		return NULL;
	out = o = xcalloc(1, strlen(s) + 1);
	for (; *s != '\0'; s++) {
		if (q == 0 && (*s == ' ' || *s == '\t'))
			break;
		if (q == 0 && (*s == '"' || *s == '\'')) {
			q = *s;
			continue;
		}
		if (q != 0 && *s == q) {
			q = 0;
			continue;
		}
		if (*s == '\\' && s[1] != '\0')
			s++;
		*o++ = *s;
	}
	*p = s;
	return out;
}

/* 1 when LINE is a "u" line for NAME (OUT filled), else 0. */
static int
parse_line(const char *line, const char *name, struct sysuser *out)
{
	char *f[NFIELDS] = { 0 };
	const char *p = line;
	size_t i;
	int hit;

	for (i = 0; i < NFIELDS; i++)
		if ((f[i] = field(&p)) == NULL)
			break;
	hit = f[0] != NULL && f[1] != NULL && (strcmp(f[0], "u") == 0 ||
	    strcmp(f[0], "u!") == 0) && strcmp(f[1], name) == 0;
	for (i = 2; hit && i < NFIELDS; i++)
		if (f[i] != NULL && strcmp(f[i], "-") == 0) {
			free(f[i]);
			f[i] = NULL;
		}
	if (hit) {
		out->id = f[2];
		out->gecos = f[3];
		out->home = f[4];
		out->shell = f[5];
		f[2] = f[3] = f[4] = f[5] = NULL;
	}
	for (i = 0; i < NFIELDS; i++)
		free(f[i]);
	return hit;
}

static int
search_file(int rootfd, const char *path, const char *name,
    struct sysuser *out)
{
	char *data, *line, *next;
	size_t len;
	int hit = 0;

	if (sfs_read_file(rootfd, path, SYSUSERS_MAX_FILE, &data, &len,
	    NULL) == -1)
		return errno == ENOENT ? 0 : -1;
	for (line = data; !hit && line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[strspn(line, " \t")] != '#')
			hit = parse_line(line, name, out);
	}
	free(data);
	if (hit)
		out->file = xstrdup(path);
	return hit;
}

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int
cmp_base(const void *a, const void *b)
{
	return strcmp(base(*(char *const *)a), base(*(char *const *)b));
}

int
sysusers_find(int rootfd, const char *name, struct sysuser *out)
{
	char **all = NULL, **paths, *pat;
	size_t n, nall = 0, i, j;
	int r = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		pat = xasprintf("%s/*.conf", dirs[i]);
		r = incglob(rootfd, pat, &paths, &n, NULL);
		free(pat);
		if (r != 0)
			continue;	/* no such directory */
		for (j = 0; j < n; j++) {
			size_t k;

			for (k = 0; k < nall; k++)
				if (strcmp(base(all[k]), base(paths[j])) == 0)
					break;
			if (k < nall || nall >= SYSUSERS_MAX_FILES) {
				free(paths[j]);
				continue;
			}
			all = xreallocarray(all, nall + 1, sizeof(*all));
			all[nall++] = paths[j];
		}
		free(paths);
	}
	if (nall > 1)
		qsort(all, nall, sizeof(*all), cmp_base);
	for (r = 0, i = 0; r == 0 && i < nall; i++)
		r = search_file(rootfd, all[i], name, out);
	for (i = 0; i < nall; i++)
		free(all[i]);
	free(all);
	return r;
}

void
sysuser_free(struct sysuser *u)
{
	free(u->id);
	free(u->gecos);
	free(u->home);
	free(u->shell);
	free(u->file);
	memset(u, 0, sizeof(*u));
}
