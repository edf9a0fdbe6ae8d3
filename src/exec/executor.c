/*
 * src/exec/: the only code that changes a target -- the executor
 * (executor.c, edits.c, edit.c, addaccount.c, keygen.c), --apply
 * (apply.c: snapshot, execute, validate, reload, prove sshd alive;
 * liveness.c, service.c) and --rollback (rollback.c). Uses every layer
 * below it.
 *
 * Carrying out actions. MUST: every change through safewrite (fd-based,
 * O_NOFOLLOW, hard links refused), host keys through keygen.c (made by
 * ssh-keygen outside the target, written in through safewrite); check the
 * object is still as planned before changing it.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/edit.h"
#include "exec/executor.h"
#include "safefs.h"
#include "os/safewrite.h"
#include "util.h"

static char *
parent_of(const char *path)
{
	char *dup = xstrdup(path), *d = xstrdup(dirname(dup));

	free(dup);
	return d;
}

/*
 * PATH, and PARENTS directories above it (their metadata: a created or
 * removed entry changes them). WHAT: SNAP_CONTENT for a file sshfix
 * rewrites or removes, SNAP_META for one it only chmods or chowns.
 */
static void
add(struct target *t, struct snapshot *s, const char *path, int what,
    int parents)
{
	struct stat st;
	char *p;

	snapshot_add_path(s, path, sfs_lstat(t->rootfd, path, &st) == 0 ?
	    what : SNAP_ABSENT);
	if (parents > 0 && strcmp(path, "/") != 0) {
		p = parent_of(path);
		add(t, s, p, SNAP_META, parents - 1);
		free(p);
	}
}

void
executor_paths(struct target *t, const struct plan *p, struct snapshot *s)
{
	size_t i, j, k;

	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->f[i].nact; j++) {
			const struct action *a = &p->f[i].act[j];
			char *pub;

			switch (a->type) {
			case ACT_CHMOD:
			case ACT_CHOWN:
			case ACT_RELABEL:
				add(t, s, a->path, SNAP_META, 0);
				break;
			case ACT_UNLINK:
			case ACT_EDIT_LINE:
			case ACT_JOIN_KEY:
			case ACT_UNBAN:
				add(t, s, a->path, SNAP_CONTENT, 1);
				break;
			case ACT_ADD_KEY:
				add(t, s, a->path, SNAP_CONTENT, 2);
				break;
			case ACT_KEYGEN:
				pub = xasprintf("%s.pub", a->path);
				add(t, s, a->path, SNAP_CONTENT, 1);
				add(t, s, pub, SNAP_CONTENT, 0);
				free(pub);
				pub = keygen_staging_dir(a);
				snapshot_add_path(s, pub, SNAP_SCRATCH);
				free(pub);
				break;
			case ACT_KEYGEN_ALL:
				snapshot_add_path(s, "/etc/ssh/" SFW_KEYGEN_DIR,
				    SNAP_SCRATCH);
				for (k = 0; k < NDEFAULT_HOST_KEYS; k++) {
					pub = xasprintf("%s.pub",
					    default_host_keys[k]);
					add(t, s, default_host_keys[k],
					    SNAP_CONTENT, 1);
					add(t, s, pub, SNAP_CONTENT, 0);
					free(pub);
				}
				break;
			case ACT_MKDIR:
			case ACT_COPY:
				add(t, s, a->path, SNAP_CONTENT, 2);
				break;
			case ACT_ADD_ACCOUNT:
				for (k = 0; k < ACCT_NFILES; k++)
					if (a->entry[k] != NULL)
						add(t, s, acct_paths[k],
						    SNAP_CONTENT, 1);
				break;
			case ACT_MANUAL:
				break;
			}
		}
	}
}

static int
has_line(const char *data, size_t len, const char *line)
{
	size_t n = strlen(line);
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (l == n && memcmp(p, line, n) == 0)
			return 1;
		p += l + 1;
	}
	return 0;
}

/* Append the keys of A the file (DATA) does not hold yet. */
static int
append_keys(const struct action *a, const char *data, size_t len,
    struct sbuf *b)
{
	char *k, *save = NULL;

	sbuf_add(b, data, len);
	if (len > 0 && data[len - 1] != '\n')
		sbuf_addc(b, '\n');
	k = xstrdup(a->text);
	for (char *l = strtok_r(k, "\n", &save); l; l = strtok_r(NULL, "\n",
	    &save))
		if (!has_line(data, len, l))
			sbuf_addf(b, "%s\n", l);
	free(k);
	return 0;
}

/* The lines of a wrapped key, still as planned, -> the joined line. */
static int
join_key(const struct action *a, const char *data, size_t len,
    struct sbuf *b)
{
	const char *p = data, *end = data + len;
	size_t i, n = strlen(a->old_text);

	for (i = 0; i < a->line && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		p = nl ? nl + 1 : end;
	}
	if (i != a->line || (size_t)(end - p) < n ||
	    memcmp(p, a->old_text, n) != 0 ||
	    (p + n < end && p[n] != '\n')) {
		err_set("%s: line %zu is no longer as planned; refused",
		    a->path, a->line + 1);
		return -1;
	}
	sbuf_add(b, data, (size_t)(p - data));
	sbuf_adds(b, a->new_text);
	sbuf_add(b, p + n, (size_t)(end - p - n));
	return 0;
}

/*
 * Rewrite a user's authorized keys through EDIT, keeping its owner,
 * mode and extended attributes (temp + fsync + rename in safewrite).
 * MISSING_OK: create it, and ~/.ssh, owned by the action's user.
 */
static int
rewrite_keys(struct target *t, const struct action *a, int missing_ok,
    int (*edit)(const struct action *, const char *, size_t, struct sbuf *))
{
	struct sfw_xattrs xa = { 0 };
	struct sbuf b = { 0 };
	char *dir = parent_of(a->path), *data = NULL;
	struct stat st = { .st_mode = 0600, .st_uid = a->new_uid,
	    .st_gid = a->new_gid };
	size_t len = 0;
	int r = -1;

	if (missing_ok && sfs_lstat(t->rootfd, dir, &st) == -1 &&
	    errno == ENOENT) {
		if (sfw_mkdir(t->rootfd, dir, 0700, a->new_uid,
		    a->new_gid) == -1)
			goto out;
	}
	if (sfw_read_file(t->rootfd, a->path, CFG_MAX_FILE, &st, &xa, &data,
	    &len) == -1) {
		if (errno != ENOENT || !missing_ok)
			goto out;
		st.st_mode = 0600;
		st.st_uid = a->new_uid;
		st.st_gid = a->new_gid;
	}
	if (edit(a, data ? data : "", len, &b) == 0)
		r = sfw_write_file(t->rootfd, a->path, b.s ? b.s : "", b.len,
		    st.st_mode, st.st_uid, st.st_gid, NULL, &xa);
out:
	sbuf_free(&b);
	free(data);
	free(dir);
	sfw_xattrs_free(&xa);
	return r;
}

/*
 * The package's own default (a regular file, read through safewrite: no
 * link followed, size bounded) written as PATH, which must still be
 * missing; its directory made (0755 root:root) if it is missing too.
 */
static int
copy_file(struct target *t, const struct action *a)
{
	struct sfw_xattrs xa = { 0 };
	struct stat st;
	char *dir = parent_of(a->path), *data = NULL;
	size_t len = 0;
	int r = -1;

	if (sfs_lstat(t->rootfd, a->path, &st) == 0) {
		err_set("%s: exists (the plan saw none); refused", a->path);
		goto out;
	}
	if (errno != ENOENT) {
		err_set("%s: %s", a->path, strerror(errno));
		goto out;
	}
	if (sfw_read_file(t->rootfd, a->from, CFG_MAX_FILE, &st, &xa, &data,
	    &len) == -1) {
		if (errno == ENOENT)
			err_set("%s: %s", a->from, strerror(errno));
		goto out;
	}
	if (sfs_lstat(t->rootfd, dir, &st) == -1 &&
	    sfw_mkdir_p(t->rootfd, dir, 0755) == -1)
		goto out;
	r = sfw_write_file(t->rootfd, a->path, data, len, a->new_mode, 0, 0,
	    NULL, NULL);
out:
	sfw_xattrs_free(&xa);
	free(data);
	free(dir);
	return r;
}

int
executor_run(struct target *t, const struct action *a)
{
	struct stat st;
	int fd;

	switch (a->type) {
	case ACT_CHMOD:
		return sfw_chmod(t->rootfd, a->path, a->old_mode, a->new_mode);
	case ACT_CHOWN:
		return sfw_chown(t->rootfd, a->path, a->old_uid, a->old_gid,
		    a->new_uid, a->new_gid);
	case ACT_RELABEL:
		return sfw_relabel(t->rootfd, a->path, a->old_text,
		    a->new_text);
	case ACT_KEYGEN_ALL:
	case ACT_KEYGEN:
		return executor_keygen(t, a);
	case ACT_UNLINK:
		if ((fd = sfw_open(t->rootfd, a->path, &st)) == -1)
			return -1;
		close(fd);
		if (!S_ISREG(st.st_mode)) {
			err_set("%s: not a regular file; refused", a->path);
			return -1;
		}
		return sfw_remove(t->rootfd, a->path);
	case ACT_ADD_KEY:
		return rewrite_keys(t, a, 1, append_keys);
	case ACT_JOIN_KEY:
		return rewrite_keys(t, a, 0, join_key);
	case ACT_MKDIR:
		return sfw_mkdir_p(t->rootfd, a->path, a->new_mode);
	case ACT_ADD_ACCOUNT:
		return executor_add_account(t, a);
	case ACT_COPY:
		return copy_file(t, a);
	case ACT_UNBAN:
		return executor_unban(t, a);
	case ACT_EDIT_LINE:	/* written together, after validation */
	case ACT_MANUAL:
		return 0;
	}
	return 0;
}
