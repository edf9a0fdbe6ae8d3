/*
 * sshd_config and its Includes flattened into one text, each line mapped
 * to the file and line it came from, for sshd -t (validate.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "incglob.h"
#include "safefs.h"
#include "target/flatten.h"
#include "util.h"

/* A rejected Match line: still a block, so its body is checked as one. */
#define MASKED_MATCH	"Match Host sshfix.invalid"

int
flat_masked(const struct flat *f, const char *path, size_t line)
{
	size_t i;

	for (i = 0; i < f->nmask; i++)
		if (f->mask[i].line == line &&
		    strcmp(f->mask[i].path, path) == 0)
			return 1;
	return 0;
}

static void
emit(struct flat *f, const char *text, size_t len, const char *path,
    size_t line)
{
	sbuf_add(f->out, text, len);
	sbuf_addc(f->out, '\n');
	f->map = xgrowarray(f->map, f->nmap, sizeof(*f->map));
	f->map[f->nmap].path = xstrdup(path);
	f->map[f->nmap].line = line;
	f->nmap++;
}

void
flat_free(struct flat *f)
{
	size_t i;

	for (i = 0; i < f->nmap; i++)
		free(f->map[i].path);
	free(f->map);
}

static int flatten_file(struct flat *, const char *path, int depth,
    const char *outer, int *opened);

/* Bytes read instead of the file's: an edit, or --preflight's. */
static int
in_memory(struct flat *f, const char *path, char **data, size_t *len)
{
	const struct cfg_overlay *ov = f->t->overlay;
	size_t i;

	for (i = 0; i < f->ned; i++)
		if (strcmp(f->ed[i].path, path) == 0) {
			*data = xstrndup(f->ed[i].data, f->ed[i].len);
			*len = f->ed[i].len;
			return 1;
		}
	if (ov != NULL && strcmp(ov->path, path) == 0) {
		*data = xstrndup(ov->data, ov->len);
		*len = ov->len;
		return 1;
	}
	return 0;
}

/* A copy cut short by the budget is no configuration to judge. */
static int
over_budget(struct flat *f)
{
	char size[16];

	human_size(f->budget.max_bytes, size);
	err_set("%s: more than %zu files or %s in all (sshfix's budget): "
	    "cannot be checked", f->budget.what, f->budget.max_files, size);
	return -1;
}

static int
load(struct flat *f, const char *path, char **data, size_t *len)
{
	int r;

	if (in_memory(f, path, data, len)) {
		if (budget_take(&f->budget, *len) == 0)
			return 0;
		free(*data);
		return over_budget(f);
	}
	if ((r = budget_read(&f->budget, f->t->rootfd, path, data, len)) == 1)
		return over_budget(f);
	if (r == -1) {
		if (errno == ENOENT) {
			*data = xstrdup("");
			*len = 0;
			return 0;
		}
		err_set("%s: %s", path, file_strerror(errno));
		return -1;
	}
	return 0;
}

static int
include(struct flat *f, int argc, char **argv, int depth, const char *cur,
    const char *from, size_t line)
{
	char **paths, *pat;
	size_t n, i;
	int a, opened, r = 0;

	if (depth >= CFG_MAX_DEPTH) {
		err_set("Include nested more than %d deep", CFG_MAX_DEPTH);
		return -1;
	}
	for (a = 0; a < argc && r == 0; a++) {
		pat = argv[a][0] == '/' ? xstrdup(argv[a]) :
		    xasprintf("/etc/ssh/%s", argv[a]);
		if (incglob(f->t->rootfd, pat, &paths, &n, NULL) == -1) {
			err_set("Include %s: %s", pat, strerror(errno));
			free(pat);
			return -1;
		}
		if (f->t->overlay != NULL)
			incglob_add(pat, f->t->overlay->path, &paths, &n);
		free(pat);
		for (i = 0; r == 0 && i < n; i++) {
			opened = 0;
			r = flatten_file(f, paths[i], depth + 1, cur, &opened);
			/* A Match opened in an included file ends with it. */
			if (r == 0 && opened)
				emit(f, cur ? cur : "Match all",
				    strlen(cur ? cur : "Match all"), from, line);
		}
		incglob_free(paths, n);
	}
	return r;
}

/* OUTER ("Match User bob") and the criteria ARGV of a Match under it. */
static char *
inner_match(const char *outer, int argc, char **argv)
{
	struct sbuf b = { 0 };
	int i;

	sbuf_adds(&b, outer);
	if (argc == 1 && strcasecmp(argv[0], "all") == 0)
		return sbuf_take(&b);
	for (i = 0; i < argc; i++)
		sbuf_addf(&b, " %s", argv[i]);
	return sbuf_take(&b);
}

static int
flatten_file(struct flat *f, const char *path, int depth, const char *outer,
    int *opened)
{
	char *data, *kw, **argv, *cur = outer ? xstrdup(outer) : NULL;
	const char *p, *nl, *end;
	size_t len, lineno = 0;
	int argc, r = 0;

	if (load(f, path, &data, &len) == -1) {
		free(cur);
		return -1;
	}
	end = data + len;
	for (p = data; p < end && r == 0; p = nl + 1) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		lineno++;
		if (cfg_split_line(p, n, &kw, &argc, &argv) == -1) {
			err_set("%s: invalid quotes", path);
			r = -1;
			break;
		}
		if (flat_masked(f, path, lineno)) {
			int m = kw != NULL && strcasecmp(kw, "match") == 0;
			const char *text = m ? MASKED_MATCH : "";

			if (m) {
				free(cur);
				cur = xstrdup(MASKED_MATCH);
				*opened = 1;
			}
			emit(f, text, strlen(text), path, lineno);
		} else if (kw != NULL && strcasecmp(kw, "include") == 0) {
			r = include(f, argc, argv, depth, cur, path, lineno);
		} else {
			if (kw != NULL && strcasecmp(kw, "match") == 0 &&
			    outer != NULL) {
				/*
				 * In an Include inside a Match block, sshd
				 * parses the file's own Match blocks under
				 * the outer one (servconf.c NEVERMATCH): at
				 * start none is active, "Match all"
				 * included; for a connection, only when the
				 * outer matches too. One Match line with
				 * both conditions says the same.
				 */
				free(cur);
				cur = inner_match(outer, argc, argv);
				*opened = 1;
				emit(f, cur, strlen(cur), path, lineno);
			} else {
				if (kw != NULL && strcasecmp(kw, "match") == 0) {
					free(cur);
					cur = argc == 1 && strcasecmp(argv[0],
					    "all") == 0 ? NULL : xstrndup(p, n);
					*opened = cur != NULL;
				}
				emit(f, p, n, path, lineno);
			}
		}
		free(kw);
		cfg_free_argv(argc, argv);
		if (nl == end)
			break;
	}
	free(data);
	free(cur);
	return r;
}

int
flatten(struct flat *f)
{
	struct budget b = BUDGET(SSHD_CONFIG " and its Includes",
	    CFG_MAX_FILE, CFG_MAX_FILES, CFG_MAX_BYTES);
	int opened = 0;

	f->budget = b;
	return flatten_file(f, SSHD_CONFIG, 0, NULL, &opened);
}

int
validate_flatten(struct target *t, const struct edited_file *ed, size_t ned,
    struct sbuf *out)
{
	struct flat f = { .t = t, .ed = ed, .ned = ned, .out = out };
	int r = flatten(&f);

	flat_free(&f);
	return r;
}
