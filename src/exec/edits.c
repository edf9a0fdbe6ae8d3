/* Config edits of a plan: built in memory, validated, then written. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/edit.h"
#include "exec/executor.h"
#include "safefs.h"
#include "os/safewrite.h"
#include "util.h"

static int
build_one(struct target *t, const struct plan *p, const char *path,
    struct edits *e)
{
	const struct action **v = NULL;
	struct sbuf out = { 0 };
	struct stat st;
	char *data = NULL;
	size_t len = 0, n = 0, i, j;
	int exists, r;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->f[i].nact; j++)
			if (p->f[i].act[j].type == ACT_EDIT_LINE &&
			    strcmp(p->f[i].act[j].path, path) == 0) {
				v = xreallocarray(v, n + 1, sizeof(*v));
				v[n++] = &p->f[i].act[j];
			}
	exists = sfs_read_file(t->rootfd, path, CFG_MAX_FILE, &data, &len,
	    &st) == 0;
	if (!exists && errno != ENOENT) {
		err_set("%s: %s", path, strerror(errno));
		free(v);
		return -1;
	}
	if (!exists) {
		memset(&st, 0, sizeof(st));
		st.st_mode = S_IFREG | 0644;
	}
	r = edit_apply(path, data ? data : "", len, v, n, t->now, &out);
	free(v);
	free(data);
	if (r == -1) {
		sbuf_free(&out);
		return -1;
	}
	e->f = xreallocarray(e->f, e->n + 1, sizeof(*e->f));
	e->st = xreallocarray(e->st, e->n + 1, sizeof(*e->st));
	e->exists = xreallocarray(e->exists, e->n + 1, sizeof(*e->exists));
	e->f[e->n].path = xstrdup(path);
	e->f[e->n].len = out.len;
	e->f[e->n].data = sbuf_take(&out);
	e->st[e->n] = st;
	e->exists[e->n] = exists;
	e->n++;
	return 0;
}

int
edits_build(struct target *t, const struct plan *p, struct edits *e)
{
	size_t i, j, k;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->f[i].nact; j++) {
			const struct action *a = &p->f[i].act[j];

			if (a->type != ACT_EDIT_LINE)
				continue;
			for (k = 0; k < e->n; k++)
				if (strcmp(e->f[k].path, a->path) == 0)
					break;
			if (k == e->n && build_one(t, p, a->path, e) == -1) {
				edits_free(e);
				return -1;
			}
		}
	}
	return 0;
}

void
edits_free(struct edits *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free((char *)e->f[i].path);
		free((char *)e->f[i].data);
	}
	free(e->f);
	free(e->st);
	free(e->exists);
	memset(e, 0, sizeof(*e));
}

int
executor_write_edits(struct target *t, const struct edits *e)
{
	struct sfw_xattrs xa = { 0 };
	struct stat st;
	size_t i;
	int fd, r;

	for (i = 0; i < e->n; i++) {
		if (e->exists[i]) {
			/* Keep the file's SELinux label and ACLs. */
			if ((fd = sfw_open(t->rootfd, e->f[i].path, &st)) == -1)
				return -1;
			r = sfw_get_xattrs(fd, &xa);
			close(fd);
			if (r == -1) {
				err_set("%s: reading extended attributes: %s",
				    e->f[i].path, strerror(errno));
				return -1;
			}
		}
		r = sfw_write_file(t->rootfd, e->f[i].path, e->f[i].data,
		    e->f[i].len, e->st[i].st_mode, e->st[i].st_uid,
		    e->st[i].st_gid, NULL, &xa);
		sfw_xattrs_free(&xa);
		if (r == -1)
			return -1;
	}
	return 0;
}
