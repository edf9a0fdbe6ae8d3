#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "incglob.h"
#include "runprog.h"
#include "safefs.h"
#include "util.h"
#include "validate.h"

/* Where each line of the flattened file came from. */
struct origin {
	char	*path;
	size_t	 line;		/* 1-based */
};

struct flat {
	struct target		 *t;
	const struct edited_file *ed;
	size_t			  ned;
	struct sbuf		 *out;
	struct origin		 *map;
	size_t			  nmap;
};

static void
emit(struct flat *f, const char *text, size_t len, const char *path,
    size_t line)
{
	sbuf_add(f->out, text, len);
	sbuf_addc(f->out, '\n');
	f->map = xreallocarray(f->map, f->nmap + 1, sizeof(*f->map));
	f->map[f->nmap].path = xstrdup(path);
	f->map[f->nmap].line = line;
	f->nmap++;
}

static void
free_map(struct flat *f)
{
	size_t i;

	for (i = 0; i < f->nmap; i++)
		free(f->map[i].path);
	free(f->map);
}

static int flatten_file(struct flat *, const char *path, int depth,
    const char *outer, int *opened);

static int
load(struct flat *f, const char *path, char **data, size_t *len)
{
	size_t i;

	for (i = 0; i < f->ned; i++)
		if (strcmp(f->ed[i].path, path) == 0) {
			*data = xstrndup(f->ed[i].data, f->ed[i].len);
			*len = f->ed[i].len;
			return 0;
		}
	if (sfs_read_file(f->t->rootfd, path, CFG_MAX_FILE, data, len,
	    NULL) == -1) {
		if (errno == ENOENT) {
			*data = xstrdup("");
			*len = 0;
			return 0;
		}
		err_set("%s: %s", path, strerror(errno));
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
		if (kw != NULL && strcasecmp(kw, "include") == 0) {
			r = include(f, argc, argv, depth, cur, path, lineno);
		} else {
			if (kw != NULL && strcasecmp(kw, "match") == 0) {
				free(cur);
				cur = argc == 1 && strcasecmp(argv[0], "all") ==
				    0 ? NULL : xstrndup(p, n);
				*opened = cur != NULL;
			}
			emit(f, p, n, path, lineno);
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

static int
flatten(struct flat *f)
{
	int opened = 0;

	return flatten_file(f, SSHD_CONFIG, 0, NULL, &opened);
}

int
validate_flatten(struct target *t, const struct edited_file *ed, size_t ned,
    struct sbuf *out)
{
	struct flat f = { t, ed, ned, out, NULL, 0 };
	int r = flatten(&f);

	free_map(&f);
	return r;
}

/*
 * sshd names the flattened file ("TMP/sshd_config: line 3: ..." or
 * "TMP/sshd_config line 3: ..."): name the target's file and line.
 */
static char *
translate(const char *msg, const char *conf, const struct flat *f)
{
	const char *p = strstr(msg, conf), *q;
	unsigned long n;
	char *end;

	if (p == NULL)
		return xstrdup(msg);
	q = p + strlen(conf);
	q += strspn(q, ":");
	if (strncmp(q, " line ", 6) != 0)
		return xasprintf("%.*s%s%s", (int)(p - msg), msg, SSHD_CONFIG,
		    p + strlen(conf));
	n = strtoul(q + 6, &end, 10);
	if (n == 0 || n > f->nmap)
		return xstrdup(msg);
	return xasprintf("%.*s%s line %zu%s", (int)(p - msg), msg,
	    f->map[n - 1].path, f->map[n - 1].line, end);
}

/* Errors sshd only reaches once the configuration has parsed. */
static int
post_parse_only(const char *output)
{
	static const char *ok[] = {
		"Missing privilege separation directory",
		"must be owned by root and not group or world-writable",
		"Privilege separation user",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(ok); i++)
		if (strstr(output, ok[i]) != NULL)
			return 1;
	return 0;
}

static int
write_tmp(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	ssize_t n;

	if (fd == -1)
		return -1;
	n = write(fd, data, len);
	if (close(fd) == -1 || n != (ssize_t)len)
		return -1;
	return 0;
}

static int
run_sshd_t(const char *dir, char **output)
{
	char conf[128], key[128];
	char *kg[] = { KEYGEN_PATH, "-q", "-t", "ed25519", "-N", "", "-C", "",
	    "-f", key, NULL };
	char *sd[] = { SSHD_PATH, "-t", "-f", conf, "-h", key, NULL };
	int r;

	snprintf(conf, sizeof(conf), "%s/sshd_config", dir);
	snprintf(key, sizeof(key), "%s/hostkey", dir);
	if ((r = runprog(kg, NULL)) != 0) {
		if (r > 0)
			err_set("%s failed (exit %d)", KEYGEN_PATH, r);
		return -2;
	}
	r = runprog(sd, output);
	return r < 0 ? -2 : r;
}

int
validate_config(struct target *t, const struct edited_file *ed, size_t ned)
{
	struct sbuf flat = { 0 };
	struct flat f = { t, ed, ned, &flat, NULL, 0 };
	char dir[] = "/tmp/sshfix-validate.XXXXXX", path[128], *out = NULL, *m;
	int r;

	if (access(SSHD_PATH, X_OK) == -1) {
		err_set("cannot validate the edited sshd_config: %s not found "
		    "(install openssh-server)", SSHD_PATH);
		return -2;
	}
	if (flatten(&f) == -1) {
		free_map(&f);
		sbuf_free(&flat);
		return -1;
	}
	if (mkdtemp(dir) == NULL) {
		err_set("cannot validate: mkdtemp: %s", strerror(errno));
		sbuf_free(&flat);
		return -2;
	}
	snprintf(path, sizeof(path), "%s/sshd_config", dir);
	if (write_tmp(path, flat.s ? flat.s : "", flat.len) == -1) {
		err_set("cannot validate: %s: %s", path, strerror(errno));
		r = -2;
	} else
		r = run_sshd_t(dir, &out);
	if (r > 0 && out != NULL && !post_parse_only(out)) {
		out[strcspn(out, "\n")] = '\0';
		m = translate(out, path, &f);
		err_set("sshd -t rejects the edited configuration: %s", m);
		free(m);
		r = -1;
	} else if (r > 0)
		r = 0;
	free(out);
	free_map(&f);
	sbuf_free(&flat);
	unlink(path);
	snprintf(path, sizeof(path), "%s/hostkey", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/hostkey.pub", dir);
	unlink(path);
	rmdir(dir);
	return r;
}
