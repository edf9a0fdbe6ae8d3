/*
 * Restore a snapshot. MUST: the whole snapshot is checked before anything
 * is touched: its seal and root (seal.c); every entry a name under
 * "files/", absolute inside, no "." or ".." components, a regular file or
 * directory, a path the meta entry lists as present, with exactly the
 * type, mode and owner ID.before.mtree recorded (no bit a manifest did not
 * record, such as set-id, can come back); every path the meta lists as
 * present has its entry; content only for paths whose content was kept.
 * Every change goes through safewrite.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safefs.h"
#include "os/safewrite.h"
#include "snapshot/snapshot_int.h"
#include "os/stop.h"
#include "util.h"

#define RESTORE_MAX	SNAP_TOTAL_MAX

struct rentry {
	char		*path;
	mode_t		 mode;		/* type and permissions */
	uid_t		 uid;
	gid_t		 gid;
	struct timespec	 mtime;
	struct sfw_xattrs xa;
	char		*data;
	size_t		 len;
	int		 content;	/* data is the file's content */
};

static int
safe_name(const char *p)
{
	const char *c;

	if (p[0] != '/' || p[1] == '\0')
		return 0;
	for (c = p; *c != '\0'; ) {
		size_t n;

		c++;
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += n;
	}
	return 1;
}

static const struct snap_path *
listed_present(const struct snapshot *s, const char *path)
{
	const struct snap_path *p = snapshot_find(s, path);

	return p != NULL && p->present ? p : NULL;
}

static const struct mrec *
recorded(const struct mrec *v, size_t n, const char *path)
{
	struct mrec key = { .path = (char *)path };

	return search(&key, v, n, sizeof(key), cmp_mrec_path);
}

static int
take_entry(struct archive *a, struct archive_entry *e,
    const struct snapshot *s, const struct mrec *mv, size_t mn,
    struct rentry *r, size_t *total)
{
	const struct snap_path *sp;
	const struct mrec *m;
	const char *xn;
	const void *xv;
	size_t xl, nl;
	unsigned type = archive_entry_filetype(e);
	la_int64_t size = archive_entry_size(e);
	char name[4096];

	memset(r, 0, sizeof(*r));
	/* tar writes directories as "dir/": drop that one slash. */
	snprintf(name, sizeof(name), "%s", archive_entry_pathname(e) ?
	    archive_entry_pathname(e) : "");
	nl = strlen(name);
	if (type == AE_IFDIR && nl > 1 && name[nl - 1] == '/')
		name[nl - 1] = '\0';
	if (strncmp(name, "files/", 6) != 0 ||
	    !safe_name(name + 5) || (sp = listed_present(s, name + 5)) ==
	    NULL || (type != AE_IFREG && type != AE_IFDIR) ||
	    archive_entry_hardlink(e) != NULL ||
	    archive_entry_symlink(e) != NULL) {
		err_set("snapshot %s: entry \"%s\" refused (not a file or "
		    "directory this snapshot recorded)", s->id, name);
		return -1;
	}
	m = recorded(mv, mn, name + 5);
	if (m == NULL || m->mode != archive_entry_mode(e) ||
	    m->uid != (uid_t)archive_entry_uid(e) ||
	    m->gid != (gid_t)archive_entry_gid(e)) {
		err_set("snapshot %s: entry %s: its mode or owner is not what "
		    "the manifest recorded; refused", s->id, name + 5);
		return -1;
	}
	if (size < 0 || (!sp->content && size != 0) ||
	    (size_t)size > SNAP_FILE_MAX || (size_t)size > RESTORE_MAX -
	    *total) {
		err_set("snapshot %s: entry %s too large", s->id, name);
		return -1;
	}
	r->content = sp->content && type == AE_IFREG;
	r->path = xstrdup(name + 5);
	r->mode = archive_entry_mode(e);
	r->uid = (uid_t)archive_entry_uid(e);
	r->gid = (gid_t)archive_entry_gid(e);
	r->mtime.tv_sec = archive_entry_mtime(e);
	r->mtime.tv_nsec = archive_entry_mtime_nsec(e);
	archive_entry_xattr_reset(e);
	while (archive_entry_xattr_next(e, &xn, &xv, &xl) == ARCHIVE_OK)
		sfw_add_xattr(&r->xa, xn, xv, xl);
	if (r->content) {
		r->len = (size_t)size;
		r->data = xmalloc(r->len + 1);
		if (archive_read_data(a, r->data, r->len) != (la_ssize_t)r->len) {
			err_set("snapshot %s: %s: short read", s->id, name);
			return -1;
		}
		*total += r->len;
	}
	return 0;
}

static void
free_entries(struct rentry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].path);
		if (v[i].data != NULL)
			explicit_bzero(v[i].data, v[i].len);
		free(v[i].data);
		sfw_xattrs_free(&v[i].xa);
	}
	free(v);
}

static int
cmp_rentry(const void *a, const void *b)
{
	return strcmp(((const struct rentry *)a)->path,
	    ((const struct rentry *)b)->path);
}

/* Entries are sorted by read_entries. */
static const struct rentry *
find_entry(const struct rentry *v, size_t n, const char *path)
{
	struct rentry key = { .path = (char *)path };

	return search(&key, v, n, sizeof(key), cmp_rentry);
}

/* Every path the meta lists as present has exactly one entry. */
static int
complete(const struct snapshot *s, const struct rentry *v, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1].path, v[i].path) == 0) {
			err_set("snapshot %s: %s is in it twice; refused",
			    s->id, v[i].path);
			return -1;
		}
	for (i = 0; i < s->npaths; i++)
		if (s->paths[i].present &&
		    find_entry(v, n, s->paths[i].path) == NULL) {
			err_set("snapshot %s is incomplete: %s is missing from "
			    "its archive; nothing was restored", s->id,
			    s->paths[i].path);
			return -1;
		}
	return 0;
}

/* Read and check every entry; nothing is changed yet. */
static int
read_entries(int sdfd, const struct snapshot *s, const char *rootid,
    struct rentry **out, size_t *nout)
{
	struct archive *a;
	struct archive_entry *e;
	struct rentry *v = NULL;
	struct mrec *mv = NULL;
	size_t n = 0, mn = 0, total = 0;
	int fd, r;

	if (seal_verify(sdfd, s, rootid) == -1 ||
	    snap_manifest_read(sdfd, s, "before", &mv, &mn) == -1)
		return -1;
	a = archive_read_new();
	if ((fd = snap_open(sdfd, s->id, "tar")) == -1) {
		archive_read_free(a);
		mrec_free(mv, mn);
		return -1;
	}
	archive_read_support_format_tar(a);
	if (archive_read_open_fd(a, fd, 10240) != ARCHIVE_OK) {
		err_set("snapshot %s: %s", s->id, archive_error_string(a));
		goto fail;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		if (stop_reading() == -1)
			goto fail;
		if (strcmp(archive_entry_pathname(e), "sshfix-meta") == 0)
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		if (take_entry(a, e, s, mv, mn, &v[n], &total) == -1) {
			n++;
			goto fail;
		}
		n++;
	}
	if (r != ARCHIVE_EOF) {
		err_set("snapshot %s: %s", s->id, archive_error_string(a));
		goto fail;
	}
	archive_read_free(a);
	close(fd);
	mrec_free(mv, mn);
	sort(v, n, sizeof(*v), cmp_rentry);
	if (complete(s, v, n) == -1) {
		free_entries(v, n);
		return -1;
	}
	*out = v;
	*nout = n;
	return 0;
fail:
	archive_read_free(a);
	close(fd);
	mrec_free(mv, mn);
	free_entries(v, n);
	return -1;
}

enum { DIFF_NONE, DIFF_META, DIFF_CONTENT };

/*
 * How the object differs from the snapshot: not at all (leave it),
 * metadata only (set it on the same inode), or content (rewrite).
 */
/* The object's extended attributes (an SELinux label, ACLs) as kept? */
static int
xattrs_same(int rootfd, const struct rentry *r)
{
	struct sfw_xattrs cur;
	struct stat st;
	int fd, same;

	if ((fd = sfw_open(rootfd, r->path, &st)) == -1)
		return 0;
	same = sfw_get_xattrs(fd, &cur) == 0 && sfw_xattrs_same(&cur, &r->xa);
	sfw_xattrs_free(&cur);
	close(fd);
	return same;
}

static int
difference(int rootfd, const struct rentry *r)
{
	struct stat st;
	char *data;
	size_t len;
	int same;

	if (sfs_lstat(rootfd, r->path, &st) == -1 ||
	    (st.st_mode & S_IFMT) != (r->mode & S_IFMT))
		return DIFF_CONTENT;
	if (S_ISREG(st.st_mode) && r->content) {
		if (sfs_read_file(rootfd, r->path, RESTORE_MAX, &data, &len,
		    NULL) == -1)
			return DIFF_CONTENT;
		same = len == r->len && memcmp(data, r->data, len) == 0;
		explicit_bzero(data, len);
		free(data);
		if (!same)
			return DIFF_CONTENT;
	}
	if ((st.st_mode & 07777) != (r->mode & 07777) ||
	    st.st_uid != r->uid || st.st_gid != r->gid ||
	    st.st_mtim.tv_sec != r->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != r->mtime.tv_nsec || !xattrs_same(rootfd, r))
		return DIFF_META;
	return DIFF_NONE;
}

static int
restore_file(int rootfd, const struct rentry *r)
{
	switch (difference(rootfd, r)) {
	case DIFF_NONE:
		return 0;
	case DIFF_CONTENT:
		if (!r->content) {
			err_set("%s: only its metadata was kept, and it is no "
			    "longer the file sshfix changed; not restored",
			    r->path);
			return -1;
		}
		break;
	case DIFF_META:
		return sfw_set_meta(rootfd, r->path, r->mode, r->uid, r->gid,
		    &r->mtime, &r->xa);
	}
	return sfw_write_file(rootfd, r->path, r->data, r->len, r->mode, r->uid,
	    r->gid, &r->mtime, &r->xa);
}

/*
 * A file whose metadata alone was kept must still be there as a regular
 * file: checked for all before the first change.
 */
static int
metadata_targets_exist(int rootfd, const struct rentry *v, size_t n)
{
	struct stat st;
	size_t i;

	for (i = 0; i < n; i++)
		if (S_ISREG(v[i].mode) && !v[i].content &&
		    (sfs_lstat(rootfd, v[i].path, &st) == -1 ||
		    !S_ISREG(st.st_mode))) {
			err_set("%s: only its metadata was kept, and it is no "
			    "longer a regular file; nothing was restored",
			    v[i].path);
			return -1;
		}
	return 0;
}

/*
 * The temp files a change of S left in the directories of its paths (a
 * crash between their creation and their rename).
 */
static int
remove_temps(int rootfd, const struct snapshot *s)
{
	char *dir, *last = NULL, *slash;
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < s->npaths; i++) {
		dir = xstrdup(s->paths[i].path);
		slash = strrchr(dir, '/');
		slash[slash == dir ? 1 : 0] = '\0';
		if (last == NULL || strcmp(last, dir) != 0)
			r = sfw_remove_temps(rootfd, dir, s->id);
		free(last);
		last = dir;
	}
	free(last);
	return r;
}

static int
restore_entries(int rootfd, const struct snapshot *s, struct rentry *v,
    size_t n)
{
	struct stat st;
	size_t i;

	if (remove_temps(rootfd, s) == -1)
		return -1;
	/* What the change created goes first, children before parents. */
	for (i = s->npaths; i-- > 0; )
		if (!s->paths[i].present && (s->paths[i].scratch ?
		    sfw_remove_tree(rootfd, s->paths[i].path) :
		    sfw_remove(rootfd, s->paths[i].path)) == -1)
			return -1;
	/* Directories that vanished come back before their contents. */
	for (i = 0; i < s->npaths; i++) {
		const struct rentry *r = find_entry(v, n, s->paths[i].path);

		if (r == NULL || !S_ISDIR(r->mode) ||
		    sfs_lstat(rootfd, r->path, &st) == 0)
			continue;
		if (sfw_mkdir(rootfd, r->path, 0700, 0, 0) == -1)
			return -1;
	}
	for (i = 0; i < n; i++)
		if (S_ISREG(v[i].mode) && restore_file(rootfd, &v[i]) == -1)
			return -1;
	/* Directory metadata last, deepest first: mtimes stay put. */
	for (i = s->npaths; i-- > 0; ) {
		const struct rentry *r = find_entry(v, n, s->paths[i].path);

		if (r != NULL && S_ISDIR(r->mode) &&
		    difference(rootfd, r) != DIFF_NONE && sfw_set_meta(rootfd,
		    r->path, r->mode, r->uid, r->gid, &r->mtime, &r->xa) == -1)
			return -1;
	}
	return 0;
}

int
snapshot_check(int sdfd, const struct snapshot *s, const char *rootid)
{
	struct rentry *v;
	size_t n;

	if (read_entries(sdfd, s, rootid, &v, &n) == -1)
		return -1;
	free_entries(v, n);
	return 0;
}

int
snapshot_restore(int rootfd, int sdfd, const struct snapshot *s,
    const char *rootid)
{
	struct rentry *v;
	size_t n;
	int r;

	if (read_entries(sdfd, s, rootid, &v, &n) == -1)
		return -1;
	r = metadata_targets_exist(rootfd, v, n);
	if (r == 0)
		r = restore_entries(rootfd, s, v, n);
	free_entries(v, n);
	return r;
}
