/*
 * Capturing a path into an archive: its entry (metadata, extended
 * attributes, and its bytes when they are kept) into the pax archive of
 * a snapshot (snapshot.c) or into an mtree manifest (manifest.c), and
 * ending such an archive. Below both; uses the store's files
 * (storecheck.c), libarchive (archive_dl.c), safewrite and the shared
 * base.
 *
 * MUST: capture from our own checked fd (safewrite's sfw_open), never
 * re-open by path; a file of the store that is not whole, or that the
 * store check would refuse, is removed, never kept.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/safewrite.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshot_int.h"
#include "util.h"

int
snap_ar_fail(struct archive *a, const char *what)
{
	err_set("snapshot: %s: %s", what, archive_error_string(a) ?
	    archive_error_string(a) : strerror(archive_errno(a)));
	return -1;
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
			snap_ar_fail(a, path);
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
		snap_ar_fail(disk, path);
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
		snap_ar_fail(a, path);
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

int
snap_end(struct archive *a, struct archive *disk, int sdfd, int fd,
    const char *name, int ok)
{
	if (ok && archive_write_close(a) != ARCHIVE_OK) {
		snap_ar_fail(a, name);
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
