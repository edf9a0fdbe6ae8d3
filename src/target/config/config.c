/*
 * src/target/config/: sshd_config as the target's sshd reads it (config.c,
 * config_kw.c) and evaluates it for a connection (config_eval.c, Match
 * patterns in match.c, client addresses in addrmatch.c). Uses the base
 * only: it knows nothing of the target around it.
 *
 * sshd_config reader. Keeps every byte; computes directives the way
 * OpenSSH 9.2's servconf.c reads them: keyword up to whitespace or '=',
 * arguments split with quotes and backslashes, '#' words end the line,
 * Include globs under /etc/ssh for relative paths, sorted bytewise,
 * at most 16 levels deep, and at most CFG_MAX_FILES files and
 * CFG_MAX_BYTES in all (budget.h): past that, the rest is not read and
 * the diagnosis is incomplete.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/config/config.h"
#include "incglob.h"
#include "safefs.h"
#include "util.h"

struct loader {
	struct cfg	*cfg;
	int		 rootfd;	/* -1: buffer mode, no Includes */
	struct unread_list *unread;	/* Include dirs we could not list */
	const struct cfg_overlay *ov;	/* bytes read instead of a file */
	struct budget	 budget;	/* every file read counts */
};

static int parse_file(struct loader *, size_t file, int depth,
    const struct cfg_match *base);

/* Split an argument string like OpenSSH's argv_split(s, .., 1). */
static int
split_args(const char *s, int *argcp, char ***argvp)
{
	struct sbuf w = { 0 };
	char **argv = NULL;
	int argc = 0, quote;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (*s == '\0' || *s == '#')
			break;
		quote = 0;
		for (; *s != '\0'; s++) {
			if (quote == 0 && strchr(" \t\r\n", *s) != NULL)
				break;
			if (*s == '\\' && strchr("\\\"' ", s[1]) != NULL &&
			    s[1] != '\0') {
				sbuf_addc(&w, *++s);
			} else if (quote == 0 && (*s == '"' || *s == '\'')) {
				quote = *s;
			} else if (quote != 0 && *s == quote) {
				quote = 0;
			} else {
				sbuf_addc(&w, *s);
			}
		}
		if (quote != 0) {
			sbuf_free(&w);
			cfg_free_argv(argc, argv);
			return -1;
		}
		argv = xreallocarray(argv, (size_t)argc + 2, sizeof(*argv));
		argv[argc++] = sbuf_take(&w);
		argv[argc] = NULL;
	}
	*argcp = argc;
	*argvp = argv;
	return 0;
}

int
cfg_split_line(const char *line, size_t len, char **keyword, int *argc,
    char ***argv)
{
	const char *p = line, *end = line + len, *k;
	char *rest;
	int r;

	*keyword = NULL;
	*argc = 0;
	*argv = NULL;
	while (end > p && strchr(" \t\r\n\f", end[-1]) != NULL)
		end--;
	while (p < end && strchr(" \t\r\n", *p) != NULL)
		p++;
	if (p == end || *p == '#')
		return 0;
	k = p;
	while (p < end && strchr(" \t\r\n=", *p) == NULL)
		p++;
	if (p == k)		/* a line starting with '=' */
		return -1;
	*keyword = xstrndup(k, (size_t)(p - k));
	/* strdelim: whitespace, at most one '=', whitespace */
	while (p < end && strchr(" \t\r\n", *p) != NULL)
		p++;
	if (p < end && *p == '=')
		p++;
	while (p < end && strchr(" \t\r\n", *p) != NULL)
		p++;
	rest = xstrndup(p, (size_t)(end - p));
	r = split_args(rest, argc, argv);
	free(rest);
	if (r == -1) {
		free(*keyword);
		*keyword = NULL;
	}
	return r;
}

void
cfg_free_argv(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

char *
cfg_where(const struct cfg *c, size_t file, size_t line)
{
	return xasprintf("%s:%zu", c->files[file].path, line + 1);
}

char *
cfg_line_text(const struct cfg *c, size_t file, size_t line)
{
	const struct cfg_file *f = &c->files[file];
	const struct cfg_line *l = &f->lines[line];
	size_t n = l->len;

	while (n > 0 && (f->data[l->off + n - 1] == '\n' ||
	    f->data[l->off + n - 1] == '\r'))
		n--;
	return xstrndup(f->data + l->off, n);
}

/* Split the file into lines; refuse what cannot be a config file. */
static int
index_lines(struct cfg_file *f)
{
	size_t off = 0, n;
	const char *nl;

	while (off < f->size) {
		nl = memchr(f->data + off, '\n', f->size - off);
		n = nl ? (size_t)(nl - (f->data + off)) + 1 : f->size - off;
		if (n > CFG_MAX_LINE) {
			err_set("%s line %zu: line longer than %u bytes; not "
			    "an sshd_config", f->path, f->nlines + 1,
			    CFG_MAX_LINE);
			return -1;
		}
		if (memchr(f->data + off, '\0', n) != NULL) {
			err_set("%s line %zu: NUL byte; binary data, not an "
			    "sshd_config", f->path, f->nlines + 1);
			return -1;
		}
		f->lines = xgrowarray(f->lines, f->nlines, sizeof(*f->lines));
		f->lines[f->nlines].off = off;
		f->lines[f->nlines].len = n;
		f->nlines++;
		off += n;
	}
	return 0;
}

static size_t
add_file(struct cfg *c, const char *path, char *data, size_t len)
{
	struct cfg_file *f;

	c->files = xreallocarray(c->files, c->nfiles + 1, sizeof(*c->files));
	f = &c->files[c->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->data = data;
	f->size = len;
	return c->nfiles++;
}

static const struct cfg_match *
add_match(struct cfg *c, const struct cfg_match *parent, size_t file,
    size_t line, int argc, char **argv)
{
	struct cfg_match *m = xcalloc(1, sizeof(*m));

	m->parent = parent;
	m->file = file;
	m->line = line;
	m->argc = argc;
	m->argv = argv;
	c->matches = xgrowarray(c->matches, c->nmatches, sizeof(*c->matches));
	c->matches[c->nmatches++] = m;
	return m;
}

static void
add_entry(struct cfg *c, enum kw kw, char *keyword, int argc, char **argv,
    size_t file, size_t line, const struct cfg_match *m)
{
	struct cfg_entry *e;

	c->ents = xgrowarray(c->ents, c->nents, sizeof(*c->ents));
	e = &c->ents[c->nents++];
	e->kw = kw;
	e->keyword = keyword;
	e->argc = argc;
	e->argv = argv;
	e->file = file;
	e->line = line;
	e->match = m;
}

static int
load_one(struct loader *ld, const char *path, int depth,
    const struct cfg_match *base)
{
	char *data;
	size_t len, idx;

	int r;

	if (ld->ov != NULL && strcmp(path, ld->ov->path) == 0) {
		if (budget_take(&ld->budget, ld->ov->len) == -1)
			return 0;
		data = xstrndup(ld->ov->data, ld->ov->len);
		len = ld->ov->len;
	} else if ((r = budget_read(&ld->budget, ld->rootfd, path, &data,
	    &len)) != 0) {
		if (r == 1 || errno == ENOENT)	/* over budget; a glob hit
						   that vanished */
			return 0;
		err_set("%s: %s", path, errno == EFBIG ?
		    "larger than 4 MiB; not an sshd_config" :
		    errno == EINVAL ? "not a regular file" :
		    errno == ELOOP ? "a symlink not owned by root; refused" :
		    file_strerror(errno));
		return -1;
	}
	idx = add_file(ld->cfg, path, data, len);
	return parse_file(ld, idx, depth, base);
}

static int
do_include(struct loader *ld, size_t file, size_t line, int argc,
    char **argv, int depth, const struct cfg_match *cur)
{
	char **paths;
	size_t n, i;
	int a, r = 0;

	if (ld->rootfd == -1 || ld->budget.hit)
		return 0;
	if (depth + 1 > CFG_MAX_DEPTH) {
		err_set("%s line %zu: Include nested more than %d deep "
		    "(an Include loop?)", ld->cfg->files[file].path, line + 1,
		    CFG_MAX_DEPTH);
		return -1;
	}
	for (a = 0; a < argc && r == 0; a++) {
		char *pat = argv[a][0] == '/' ? xstrdup(argv[a]) :
		    xasprintf("/etc/ssh/%s", argv[a]);

		if (incglob(ld->rootfd, pat, &paths, &n, ld->unread) == -1) {
			err_set("%s line %zu: Include %s: %s",
			    ld->cfg->files[file].path, line + 1, argv[a],
			    strerror(errno));
			free(pat);
			return -1;
		}
		if (ld->ov != NULL)
			incglob_add(pat, ld->ov->path, &paths, &n);
		free(pat);
		for (i = 0; i < n && r == 0; i++)
			r = load_one(ld, paths[i], depth + 1, cur);
		incglob_free(paths, n);
	}
	return r;
}

static int
parse_file(struct loader *ld, size_t file, int depth,
    const struct cfg_match *base)
{
	struct cfg *c = ld->cfg;
	const struct cfg_match *cur = base;
	const struct kw_info *ki;
	char *kwd, **argv;
	size_t i;
	int argc;

	if (index_lines(&c->files[file]) == -1)
		return -1;
	for (i = 0; i < c->files[file].nlines; i++) {
		const struct cfg_file *f = &c->files[file];

		if (cfg_split_line(f->data + f->lines[i].off, f->lines[i].len,
		    &kwd, &argc, &argv) == -1) {
			err_set("%s line %zu: invalid quotes", f->path, i + 1);
			return -1;
		}
		if (kwd == NULL)
			continue;
		ki = kw_lookup(kwd);
		if (ki != NULL && ki->kw == KW_MATCH) {
			if (argc == 1 && strcasecmp(argv[0], "all") == 0 &&
			    base != NULL) {
				/* Under the Match an Include stands in. */
				cur = base;
				cfg_free_argv(argc, argv);
			} else {
				cur = add_match(c, base, file, i, argc, argv);
				((struct cfg_match *)cur)->all_global =
				    base == NULL && argc == 1 &&
				    strcasecmp(argv[0], "all") == 0;
			}
			free(kwd);
			continue;
		}
		if (ki != NULL && ki->kw == KW_INCLUDE) {
			int r = do_include(ld, file, i, argc, argv, depth,
			    cur);

			free(kwd);
			cfg_free_argv(argc, argv);
			if (r == -1)
				return -1;
			continue;
		}
		add_entry(c, ki ? ki->kw : KW_UNKNOWN, kwd, argc, argv, file,
		    i, cur);
	}
	return 0;
}

int
cfg_load(struct cfg *c, int rootfd, const char *main,
    struct unread_list *unread)
{
	return cfg_load_overlay(c, rootfd, main, NULL, unread);
}

int
cfg_load_overlay(struct cfg *c, int rootfd, const char *main,
    const struct cfg_overlay *ov, struct unread_list *unread)
{
	char *what = xasprintf("%s and its Includes", main);
	struct loader ld = { c, rootfd, unread, ov, BUDGET(what, CFG_MAX_FILE,
	    CFG_MAX_FILES, CFG_MAX_BYTES) };

	memset(c, 0, sizeof(*c));
	if (load_one(&ld, main, 0, NULL) == -1) {
		free(what);
		cfg_free(c);
		return -1;
	}
	if (c->nfiles == 0)
		c->missing = 1;
	c->partial = ld.budget.hit;
	budget_note(&ld.budget, unread);
	free(what);
	return 0;
}

int
cfg_load_buffer(struct cfg *c, const char *path, const char *data,
    size_t len)
{
	struct loader ld = { c, -1, NULL, NULL, BUDGET("", CFG_MAX_FILE,
	    CFG_MAX_FILES, CFG_MAX_BYTES) };
	size_t idx;

	memset(c, 0, sizeof(*c));
	idx = add_file(c, path, xstrndup(data, len), len);
	if (parse_file(&ld, idx, 0, NULL) == -1) {
		cfg_free(c);
		return -1;
	}
	return 0;
}

void
cfg_free(struct cfg *c)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++) {
		free(c->files[i].path);
		free(c->files[i].data);
		free(c->files[i].lines);
	}
	free(c->files);
	for (i = 0; i < c->nents; i++) {
		free(c->ents[i].keyword);
		cfg_free_argv(c->ents[i].argc, c->ents[i].argv);
	}
	free(c->ents);
	for (i = 0; i < c->nmatches; i++) {
		cfg_free_argv(c->matches[i]->argc, c->matches[i]->argv);
		free(c->matches[i]);
	}
	free(c->matches);
	memset(c, 0, sizeof(*c));
}
