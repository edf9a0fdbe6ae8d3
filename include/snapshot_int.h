/* Internal to the snapshot module (snapshot*.c, manifest.c, restore.c). */
#ifndef SSHFIX_SNAPSHOT_INT_H
#define SSHFIX_SNAPSHOT_INT_H

#include <archive.h>

#include "snapshot.h"

/* Load libarchive (dlopen) if not yet done; -1 with err_set. */
int	snap_lib_ready(void);
int	snap_capture(struct archive *, struct archive *disk, int rootfd,
	    const char *path, const char *prefix);
struct archive *snap_disk_new(void);
int	snap_create(int sdfd, const char *name);
int	snap_finish(int sdfd, int fd, const char *name);
/*
 * End archive A written to FD (NAME in the snapshot directory): if OK,
 * close and fsync it; otherwise, or if closing fails, remove it.
 */
int	snap_end(struct archive *a, struct archive *disk, int sdfd, int fd,
	    const char *name, int ok);
int	snap_manifest(int rootfd, int sdfd, const struct snapshot *,
	    const char *which);
int	snap_parse_meta(struct snapshot *, const char *text);
/* A path of a written or loaded snapshot (paths sorted), or NULL. */
const struct snap_path *snapshot_find(const struct snapshot *,
	    const char *path);
/*
 * Read and check every archive entry of S as a restore does first, then
 * drop them; nothing is restored (the fuzz harness's way in).
 */
int	snap_check_entries(int sdfd, const struct snapshot *);
/* Open ID.SUFFIX in the snapshot directory for reading. */
int	snap_open(int sdfd, const char *id, const char *suffix);

#endif
