/*
 * Internal to the snapshot module (src/snapshot/). Its files, lowest
 * first; each uses only those above it in this list (and the layers
 * below the module), never one below it:
 *   archive_dl.c  libarchive, loaded on demand
 *   record.c      a snapshot in memory, and the text of its meta entry
 *   storecheck.c  the store's files: their names and bounds, judging
 *                 them, opening one, creating one
 *   capture.c     a path's entry into an archive or a manifest
 *   prune.c       removing a snapshot's files; which snapshots may go
 *   seal.c        the seal, and the root's id
 *   manifest.c    the mtree manifests: writing, reading, comparing
 *   snapshot.c    writing a snapshot
 *   snapstore.c   the snapshot directory, the state of each snapshot,
 *                 reading one back
 *   restore.c     checking a snapshot whole, and restoring it
 *   measures.c    the temporary measures still open
 *   listing.c     --list and --prune
 */
#ifndef SSHFIX_SNAPSHOT_INT_H
#define SSHFIX_SNAPSHOT_INT_H

#include <archive.h>
#include <dirent.h>

#include "snapshot/snapshot.h"

/* archive_dl.c */

/* Load libarchive (dlopen) if not yet done; -1 with err_set. */
int	snap_lib_ready(void);

/* record.c */

/* Sort S's paths (parents before children), each once, the most kept. */
void	snap_sort_paths(struct snapshot *s);
/* A path of a written or loaded snapshot (paths sorted), or NULL. */
const struct snap_path *snapshot_find(const struct snapshot *,
	    const char *path);
/* The text of S's meta entry, names vis-encoded; malloc'd. */
char	*snap_meta_text(const struct snapshot *s);
int	snap_parse_meta(struct snapshot *, const char *text);

/* storecheck.c */

/* The id of the store's file NAME (a temp file's too), or NULL. */
char	*snap_file_id(const char *name);
/* The most the store's file NAME may be (SIZE_MAX: no file of ours). */
size_t	snap_file_max(const char *name);
/* The snapshot directory, read from its start; NULL with err_set. */
DIR	*snap_opendir(int sdfd);
/*
 * Judge every file of the store named as a snapshot's (WHERE: the store
 * as shown) by lstat: 0, or -1 with err_refuse naming the first one that
 * is no regular file within its bound (or err_set: a signal, an error).
 */
int	snap_store_check(int sdfd, const char *where);
/*
 * Open ID.SUFFIX in the snapshot directory for reading: a regular file
 * within its bound, else -1 with err_set (errno EUCLEAN: refused).
 */
int	snap_open(int sdfd, const char *id, const char *suffix);
int	snap_create(int sdfd, const char *name);
/*
 * fsync and close FD (closed whatever happens), NAME in the snapshot
 * directory, then fsync the directory; -1 (err_set) also when it is
 * larger than snap_file_max allows: sshfix never keeps a file its store
 * check would refuse.
 */
int	snap_finish(int sdfd, int fd, const char *name);

/* capture.c */

/* -1 with err_set: "snapshot: WHAT: " and A's error. */
int	snap_ar_fail(struct archive *a, const char *what);
/*
 * Write PATH's entry, named PREFIX PATH, from a fd sfw_open checked.
 * CONTENT: the file's bytes too (at most SNAP_FILE_MAX, added to *TOTAL);
 * otherwise, with KEEP_SIZE (manifests) the entry records the size, else
 * (archives) size 0.
 */
int	snap_capture(struct archive *, struct archive *disk, int rootfd,
	    const char *path, const char *prefix, int content, int keep_size,
	    size_t *total);
struct archive *snap_disk_new(void);
/*
 * End archive A written to FD (NAME in the snapshot directory): if OK,
 * close and fsync it; otherwise, or if closing fails, remove it.
 */
int	snap_end(struct archive *a, struct archive *disk, int sdfd, int fd,
	    const char *name, int ok);

/* seal.c */

/* ID.seal: SHA-256 of ID.tar, ID.before.mtree (and ID.after.mtree). */
int	seal_write(int sdfd, const struct snapshot *, int with_after);
/* Every file matches the seal; ROOTID (if not NULL) is S's root. */
int	seal_verify(int sdfd, const struct snapshot *, const char *rootid);

/* manifest.c */

int	snap_manifest(int rootfd, int sdfd, const struct snapshot *,
	    const char *which);

/* One entry of a manifest: the state recorded for a path. */
struct mrec {
	char	*path;
	mode_t	 mode;		/* type and permission bits */
	uid_t	 uid;
	gid_t	 gid;
};

/* Read ID.WHICH.mtree into records sorted by path; free with mrec_free. */
int	snap_manifest_read(int sdfd, const struct snapshot *, const char *which,
	    struct mrec **, size_t *);
void	mrec_free(struct mrec *, size_t);
int	cmp_mrec_path(const void *, const void *);

/* snapstore.c */

/* S->state from ID.state ("incomplete" when it cannot be read). */
void	snap_read_state(int sdfd, struct snapshot *s);
/* The ids of the snapshots in STATE, oldest first, NULL-terminated
 * (empty if none); NULL with err_set on error or a signal. */
char	**snap_ids_in_state(int sdfd, const char *state);

#endif
