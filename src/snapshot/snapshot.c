/*
 * Writing a snapshot: ID.tar (its meta entry, then every path it keeps),
 * ID.before.mtree and ID.seal; after the change, ID.after.mtree and the
 * seal again. The top of the writing side: it uses the record
 * (record.c), the store's files (storecheck.c), capture.c, manifest.c,
 * seal.c, and prune.c to leave nothing of a snapshot not written whole.
 * Reading one back is snapstore.c's.
 *
 * MUST: capture from our own checked fd (safewrite's sfw_open), never
 * re-open by path; archives and manifests are created
 * O_EXCL|O_NOFOLLOW 0600 in a 0700 root-owned directory and fsync'd
 * before the caller changes anything.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapshot.h"
#include "snapshot/snapshot_int.h"
#include "util.h"

#define META_NAME	"sshfix-meta"

static int
write_meta(struct archive *a, const struct snapshot *s)
{
	struct archive_entry *e;
	char *text = snap_meta_text(s);
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
		r = snap_ar_fail(a, "writing the meta entry");
	archive_entry_free(e);
	free(text);
	return r;
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
	snap_sort_paths(s);
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
		snap_ar_fail(a, name);
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

int
snapshot_write_after(int rootfd, int sdfd, const struct snapshot *s)
{
	if (snap_manifest(rootfd, sdfd, s, "after") == -1)
		return -1;
	return seal_write(sdfd, s, 1);
}
