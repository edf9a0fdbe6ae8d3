/*
 * mtree manifests (libarchive's mtree writer and reader) of the touched
 * paths before and after a change. A rollback compares the after-manifest
 * with the paths as they are now, to refuse undoing over newer changes.
 * Written through capture.c, opened through storecheck.c; sealing them
 * is the writer's (snapshot.c).
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safefs.h"
#include "snapshot/snapshot_int.h"
#include "os/stop.h"
#include "util.h"

int
snap_manifest(int rootfd, int sdfd, const struct snapshot *s,
    const char *which)
{
	struct archive *a, *disk;
	char name[80];
	size_t i, total = 0;
	int fd, r = -1;

	snprintf(name, sizeof(name), "%s.%s.mtree", s->id, which);
	if (snap_lib_ready() == -1 || (fd = snap_create(sdfd, name)) == -1)
		return -1;
	a = archive_write_new();
	disk = snap_disk_new();
	if (archive_write_set_format_mtree(a) != ARCHIVE_OK ||
	    archive_write_set_options(a, "mtree:!uname,"
	    "mtree:!gname,mtree:!flags,mtree:!nlink,mtree:!device,"
	    "mtree:use-set=0") != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		err_set("manifest %s: %s", name, archive_error_string(a));
		goto out;
	}
	for (i = 0; i < s->npaths; i++) {
		struct stat st;

		/* Absent paths are recorded in the archive's meta entry. */
		if (sfs_lstat(rootfd, s->paths[i].path, &st) == -1)
			continue;
		if (snap_capture(a, disk, rootfd, s->paths[i].path, ".", 0, 1,
		    &total) == -1)
			goto out;
	}
	r = 0;
out:
	return snap_end(a, disk, sdfd, fd, name, r == 0);
}

int
cmp_mrec_path(const void *a, const void *b)
{
	return strcmp(((const struct mrec *)a)->path,
	    ((const struct mrec *)b)->path);
}

void
mrec_free(struct mrec *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

int
snap_manifest_read(int sdfd, const struct snapshot *s, const char *which,
    struct mrec **out, size_t *nout)
{
	struct archive *a;
	struct archive_entry *e;
	struct mrec *v = NULL;
	char suffix[32];
	size_t n = 0;
	int fd, r;

	*out = NULL;
	*nout = 0;
	snprintf(suffix, sizeof(suffix), "%s.mtree", which);
	if (snap_lib_ready() == -1 || (fd = snap_open(sdfd, s->id, suffix)) ==
	    -1)
		return -1;
	a = archive_read_new();
	archive_read_support_format_mtree(a);
	if (archive_read_open_fd(a, fd, 10240) != ARCHIVE_OK) {
		err_set("manifest of %s: %s", s->id, archive_error_string(a));
		r = ARCHIVE_FATAL;
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);

		if (stop_reading() == -1) {
			r = ARCHIVE_FATAL;
			goto out;
		}
		p += strncmp(p, "./", 2) == 0 ? 1 : 0;
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n].path = xstrdup(p);
		v[n].mode = archive_entry_mode(e);
		v[n].uid = (uid_t)archive_entry_uid(e);
		v[n].gid = (gid_t)archive_entry_gid(e);
		n++;
	}
	if (r != ARCHIVE_EOF)
		err_set("manifest of %s: %s", s->id, archive_error_string(a));
out:
	archive_read_free(a);
	close(fd);
	if (r != ARCHIVE_EOF) {
		mrec_free(v, n);
		return -1;
	}
	sort(v, n, sizeof(*v), cmp_mrec_path);
	*out = v;
	*nout = n;
	return 0;
}

static int
differs(const struct stat *now, struct archive_entry *e)
{
	if ((now->st_mode & S_IFMT) != archive_entry_filetype(e) ||
	    (now->st_mode & 07777) != (archive_entry_perm(e) & 07777) ||
	    now->st_uid != (uid_t)archive_entry_uid(e) ||
	    now->st_gid != (gid_t)archive_entry_gid(e))
		return 1;
	/* A directory's mtime moves with anything added to it: not ours. */
	if (!S_ISREG(now->st_mode))
		return 0;
	return now->st_size != archive_entry_size(e) ||
	    now->st_mtim.tv_sec != archive_entry_mtime(e) ||
	    now->st_mtim.tv_nsec != archive_entry_mtime_nsec(e);
}

static void
add_changed(char ***v, size_t *n, const char *path)
{
	*v = xreallocarray(*v, *n + 2, sizeof(**v));
	(*v)[(*n)++] = xstrdup(path);
	(*v)[*n] = NULL;
}

char **
snapshot_changed(int rootfd, int sdfd, const struct snapshot *s)
{
	struct archive *a;
	struct archive_entry *e;
	char **v = xcalloc(1, sizeof(*v)), *seen;
	size_t n = 0, i;
	int fd, r;

	if (snap_lib_ready() == -1) {
		free(v);
		return NULL;
	}
	a = archive_read_new();
	seen = xcalloc(s->npaths + 1, 1);
	if ((fd = snap_open(sdfd, s->id, "after.mtree")) == -1)
		goto fail;
	/* No "checkfs": it would open each path relative to the cwd, on
	 * the host. The manifest records all that is compared. */
	archive_read_support_format_mtree(a);
	if (archive_read_open_fd(a, fd, 10240) != ARCHIVE_OK) {
		err_set("manifest of %s: %s", s->id, archive_error_string(a));
		goto fail;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);
		struct stat st;

		const struct snap_path *sp;

		if (stop_reading() == -1)
			goto fail;
		p += strncmp(p, "./", 2) == 0 ? 1 : 0;
		if ((sp = snapshot_find(s, p)) != NULL)
			seen[sp - s->paths] = 1;
		if (sfs_lstat(rootfd, p, &st) == -1 || differs(&st, e))
			add_changed(&v, &n, p);
	}
	if (r != ARCHIVE_EOF) {
		err_set("manifest of %s: %s", s->id, archive_error_string(a));
		goto fail;
	}
	/* Paths absent after the apply must still be absent. */
	for (i = 0; i < s->npaths; i++) {
		struct stat st;

		if (!seen[i] && sfs_lstat(rootfd, s->paths[i].path, &st) == 0)
			add_changed(&v, &n, s->paths[i].path);
	}
	archive_read_free(a);
	close(fd);
	free(seen);
	return v;
fail:
	archive_read_free(a);
	if (fd != -1)
		close(fd);
	free(seen);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return NULL;
}
