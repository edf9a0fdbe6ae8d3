/*
 * Writing and reading snapshot archives. MUST: capture from our own
 * checked fd (safewrite's sfw_open), never re-open by path; archives and
 * manifests are created O_EXCL|O_NOFOLLOW 0600 in a 0700 root-owned
 * directory and fsync'd before the caller changes anything.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "safefs.h"
#include "os/safewrite.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshot_int.h"
#include "util.h"

#define META_NAME	"sshfix-meta"

void
snapshot_init(struct snapshot *s, const char *kind)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->kind, sizeof(s->kind), "%s", kind);
	snprintf(s->state, sizeof(s->state), "new");
	s->created = time(NULL);
}

/* Appends; snapshot_write sorts the paths and merges repeats. */
void
snapshot_add_path(struct snapshot *s, const char *path, int what)
{
	s->paths = xreallocarray(s->paths, s->npaths + 1, sizeof(*s->paths));
	s->paths[s->npaths].path = xstrdup(path);
	s->paths[s->npaths].present = what != SNAP_ABSENT &&
	    what != SNAP_SCRATCH;
	s->paths[s->npaths].scratch = what == SNAP_SCRATCH;
	s->paths[s->npaths].content = what == SNAP_CONTENT;
	s->npaths++;
}

void
snapshot_add_finding(struct snapshot *s, const char *id, const char *subj)
{
	s->findings = xreallocarray(s->findings, s->nfindings + 1,
	    sizeof(*s->findings));
	s->findings[s->nfindings++] = subj == NULL ? xstrdup(id) :
	    xasprintf("%s %s", id, subj);
}

void
snapshot_add_temporary(struct snapshot *s, const char *user,
    const char *what)
{
	s->temp_users = xreallocarray(s->temp_users, s->ntemps + 1,
	    sizeof(*s->temp_users));
	s->temps = xreallocarray(s->temps, s->ntemps + 1, sizeof(*s->temps));
	s->temp_users[s->ntemps] = xstrdup(user);
	s->temps[s->ntemps++] = xstrdup(what);
}

void
snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->ntemps; i++) {
		free(s->temp_users[i]);
		free(s->temps[i]);
	}
	free(s->temp_users);
	free(s->temps);
	for (i = 0; i < s->npaths; i++)
		free(s->paths[i].path);
	free(s->paths);
	for (i = 0; i < s->nfindings; i++)
		free(s->findings[i]);
	free(s->findings);
	memset(s, 0, sizeof(*s));
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct snap_path *)a)->path,
	    ((const struct snap_path *)b)->path);
}

/* Sorted (parents before children), each path once, the most kept. */
static void
sort_paths(struct snapshot *s)
{
	size_t i, o = 0;

	sort(s->paths, s->npaths, sizeof(*s->paths), cmp_path);
	for (i = 0; i < s->npaths; i++) {
		if (o > 0 && strcmp(s->paths[o - 1].path, s->paths[i].path) ==
		    0) {
			s->paths[o - 1].content |= s->paths[i].content;
			s->paths[o - 1].scratch |= s->paths[i].scratch;
			free(s->paths[i].path);
			continue;
		}
		s->paths[o++] = s->paths[i];
	}
	s->npaths = o;
}

const struct snap_path *
snapshot_find(const struct snapshot *s, const char *path)
{
	struct snap_path key = { .path = (char *)path };

	return search(&key, s->paths, s->npaths, sizeof(key), cmp_path);
}

static char *
meta_text(const struct snapshot *s)
{
	struct sbuf b = { 0 };
	size_t i;

	sbuf_addf(&b, "sshfix-snapshot 1\nid %s\ncreated %lld\nkind %s\n"
	    "of %s\nroot %s\n", s->id, (long long)s->created, s->kind,
	    s->of[0] ? s->of : "-", s->rootid);
	/* Names are an attacker's bytes: vis-encoded, one per line, so a
	 * newline in a file name cannot add a line of its own. */
	for (i = 0; i < s->nfindings; i++) {
		char *v = vis_str(s->findings[i]);

		sbuf_addf(&b, "finding %s\n", v);
		free(v);
	}
	/* A temporary measure: its account, then what it changed. */
	for (i = 0; i < s->ntemps; i++) {
		char *u = vis_str(s->temp_users[i]), *w = vis_str(s->temps[i]);

		sbuf_addf(&b, "tempuser %s\ntemporary %s\n", u, w);
		free(u);
		free(w);
	}
	/* "present": content kept; "meta": metadata only. */
	for (i = 0; i < s->npaths; i++) {
		char *v = vis_str(s->paths[i].path);

		sbuf_addf(&b, "path %s %s\n", s->paths[i].scratch ? "scratch" :
		    !s->paths[i].present ? "absent" : s->paths[i].content ?
		    "present" : "meta", v);
		free(v);
	}
	return sbuf_take(&b);
}

static int
ar_fail(struct archive *a, const char *what)
{
	err_set("snapshot: %s: %s", what, archive_error_string(a) ?
	    archive_error_string(a) : strerror(archive_errno(a)));
	return -1;
}

static int
write_meta(struct archive *a, const struct snapshot *s)
{
	struct archive_entry *e;
	char *text = meta_text(s);
	size_t len = strlen(text);
	int r = 0;

	/* What snapshot_load would refuse is never written. */
	if (len > SNAP_META_MAX) {
		err_set("snapshot: its meta entry would be %zu bytes, more "
		    "than %u MiB (too many paths); refused", len,
		    SNAP_META_MAX >> 20);
		free(text);
		return -1;
	}
	e = archive_entry_new();
	archive_entry_set_pathname(e, META_NAME);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, s->created, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    archive_write_data(a, text, len) != (la_ssize_t)len)
		r = ar_fail(a, "writing the meta entry");
	archive_entry_free(e);
	free(text);
	return r;
}

/* Copy exactly SIZE bytes of FD into the archive. */
static int
copy_data(struct archive *a, int fd, const char *path, off_t size)
{
	char buf[65536];
	off_t left = size;
	ssize_t n;
	int r = -1;

	if (lseek(fd, 0, SEEK_SET) != 0) {
		err_set("%s: lseek: %s", path, strerror(errno));
		return -1;
	}
	while (left > 0) {
		n = read(fd, buf, left < (off_t)sizeof(buf) ? (size_t)left :
		    sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_set("%s: %s", path, n == 0 ? "changed while being "
			    "read; refused" : strerror(errno));
			goto out;
		}
		if (archive_write_data(a, buf, (size_t)n) != n) {
			ar_fail(a, path);
			goto out;
		}
		left -= n;
	}
	r = 0;
out:
	explicit_bzero(buf, sizeof(buf));
	return r;
}

int
snap_capture(struct archive *a, struct archive *disk, int rootfd,
    const char *path, const char *prefix, int content, int keep_size,
    size_t *total)
{
	struct archive_entry *e;
	struct sfw_xattrs xa;
	struct stat st;
	char *name;
	size_t i;
	int fd, r = -1;

	if ((fd = sfw_open(rootfd, path, &st)) == -1)
		return -1;
	content = content && S_ISREG(st.st_mode);
	if (content && ((uintmax_t)st.st_size > SNAP_FILE_MAX ||
	    (size_t)st.st_size > SNAP_TOTAL_MAX - *total)) {
		err_set("%s: %jd bytes, more than sshfix keeps of a file it "
		    "rewrites (%u MiB); refused", path, (intmax_t)st.st_size,
		    SNAP_FILE_MAX >> 20);
		close(fd);
		return -1;
	}
	e = archive_entry_new();
	name = xasprintf("%s%s", prefix, path);
	archive_entry_copy_pathname(e, name);
	if (archive_read_disk_entry_from_file(disk, e, fd, &st) !=
	    ARCHIVE_OK) {
		ar_fail(disk, path);
		goto out;
	}
	archive_entry_copy_pathname(e, name);
	/* Only a file sshfix rewrites needs its bytes kept (a sparse 2 GB
	 * authorized_keys that is only chmodded costs nothing). */
	if (S_ISREG(st.st_mode) && !content && !keep_size)
		archive_entry_set_size(e, 0);
	if (sfw_get_xattrs(fd, &xa) == -1) {
		err_set("%s: reading extended attributes: %s", path,
		    strerror(errno));
		goto out;
	}
	for (i = 0; i < xa.n; i++)
		archive_entry_xattr_add_entry(e, xa.v[i].name, xa.v[i].value,
		    xa.v[i].len);
	sfw_xattrs_free(&xa);
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		ar_fail(a, path);
		goto out;
	}
	if (content) {
		if (copy_data(a, fd, path, st.st_size) == -1)
			goto out;
		*total += (size_t)st.st_size;
	}
	r = 0;
out:
	archive_entry_free(e);
	free(name);
	close(fd);
	return r;
}

struct archive *
snap_disk_new(void)
{
	struct archive *disk = archive_read_disk_new();

	/* xattrs (ACLs included) are captured raw by safewrite. */
	archive_read_disk_set_behavior(disk, ARCHIVE_READDISK_NO_XATTR |
	    ARCHIVE_READDISK_NO_ACL | ARCHIVE_READDISK_NO_FFLAGS |
	    ARCHIVE_READDISK_NO_SPARSE);
	return disk;
}

/* Create NAME in the snapshot directory: O_EXCL, no links, 0600. */
int
snap_create(int sdfd, const char *name)
{
	int fd = openat(sdfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);

	if (fd == -1)
		err_set("snapshot %s: %s%s", name, strerror(errno),
		    errno == EROFS ? " (the filesystem is read-only: remount "
		    "it read-write, e.g. mount -o remount,rw /)" : "");
	return fd;
}

int
snap_finish(int sdfd, int fd, const char *name)
{
	struct stat st;
	char why[160];
	int e;

	if (fstat(fd, &st) == -1 || fsync(fd) == -1) {
		e = errno;
		close(fd);
		err_set("snapshot %s: %s", name, strerror(e));
		return -1;
	}
	if (close(fd) == -1) {
		err_set("snapshot %s: %s", name, strerror(errno));
		return -1;
	}
	/* A file the store check would refuse is never kept (storecheck.c). */
	if (file_refusal(&st, snap_file_max(name), why, sizeof(why)) == -1) {
		err_set("snapshot %s: %s (too many paths for one snapshot)",
		    name, why);
		return -1;
	}
	if (fsync(sdfd) == -1) {
		err_set("snapshot directory: fsync: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
snap_end(struct archive *a, struct archive *disk, int sdfd, int fd,
    const char *name, int ok)
{
	if (ok && archive_write_close(a) != ARCHIVE_OK) {
		ar_fail(a, name);
		ok = 0;
	}
	archive_write_free(a);
	archive_read_free(disk);
	if (ok && snap_finish(sdfd, fd, name) == 0)
		return 0;
	if (!ok)
		close(fd);
	/* Never one the store check would refuse, nor half a file. */
	unlinkat(sdfd, name, 0);
	return -1;
}

static void
new_id(int sdfd, struct snapshot *s)
{
	struct tm tm;
	struct stat st;
	char base[32], name[64];
	int i;

	gmtime_r(&s->created, &tm);
	strftime(base, sizeof(base), "%Y%m%dT%H%M%SZ", &tm);
	for (i = 1; ; i++) {
		int w = i == 1 ? snprintf(s->id, sizeof(s->id), "%s", base) :
		    snprintf(s->id, sizeof(s->id), "%s-%d", base, i);

		if (w < 0 || (size_t)w >= sizeof(s->id))
			abort();	/* 16 + 11 characters always fit */
		snprintf(name, sizeof(name), "%s.tar", s->id);
		if (fstatat(sdfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
			return;
	}
}

int
snapshot_write(int rootfd, int sdfd, struct snapshot *s)
{
	struct archive *a, *disk;
	char name[64];
	size_t i, total = 0;
	int fd, r = -1;

	if (snap_lib_ready() == -1)
		return -1;
	if (s->rootid[0] == '\0') {
		err_set("snapshot: no root id");
		return -1;
	}
	sort_paths(s);
	new_id(sdfd, s);
	snprintf(name, sizeof(name), "%s.tar", s->id);
	if ((fd = snap_create(sdfd, name)) == -1)
		return -1;
	a = archive_write_new();
	disk = snap_disk_new();
	/* hdrcharset=BINARY: a file name that is not UTF-8 is kept as its
	 * bytes instead of failing the snapshot. */
	if (archive_write_set_format_pax(a) != ARCHIVE_OK ||
	    archive_write_set_options(a, "pax:hdrcharset=BINARY") !=
	    ARCHIVE_OK || archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		ar_fail(a, name);
		goto out;
	}
	if (write_meta(a, s) == -1)
		goto out;
	for (i = 0; i < s->npaths; i++)
		if (s->paths[i].present && snap_capture(a, disk, rootfd,
		    s->paths[i].path, "files", s->paths[i].content, 0,
		    &total) == -1)
			goto out;
	r = 0;
out:
	r = snap_end(a, disk, sdfd, fd, name, r == 0);
	if (r == 0)
		r = snap_manifest(rootfd, sdfd, s, "before");
	if (r == 0)
		r = seal_write(sdfd, s, 0);
	if (r == -1) {
		/* A snapshot that could not be written whole leaves nothing
		 * behind; the first error's errno is what the caller sees. */
		int e = errno;

		snapshot_remove(sdfd, s->id);
		errno = e;
	}
	return r;
}
