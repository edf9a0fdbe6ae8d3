/*
 * Snapshots: one pax tar (libarchive; full pax keeps nanosecond mtimes) per apply or rollback, holding the
 * state before the change of every path the change touches: content and
 * metadata of files, metadata of directories, extended attributes (ACLs,
 * SELinux labels), and which paths did not exist. Beside it, mtree
 * manifests of the state before and after, and a one-word state file.
 * The directory is 0700 and every file 0600: they hold private host keys.
 * Only this module talks to libarchive.
 */
#ifndef SSHFIX_SNAPSHOT_H
#define SSHFIX_SNAPSHOT_H

#include <stddef.h>
#include <time.h>

#define SNAPSHOT_DIR	"/var/lib/sshfix/snapshots"

/* What a snapshot keeps of a path (snapshot_add_path's WHAT). */
#define SNAP_ABSENT	0	/* did not exist: a rollback removes it */
#define SNAP_CONTENT	1	/* metadata and content: sshfix rewrites it */
#define SNAP_META	2	/* metadata only: sshfix chmods/chowns it */
#define SNAP_SCRATCH	3	/* sshfix's own scratch directory: did not
				   exist; a rollback removes all of it */

/* The most content one file, and one snapshot, may hold. */
#define SNAP_FILE_MAX	(4u * 1024 * 1024)
#define SNAP_TOTAL_MAX	(64u * 1024 * 1024)

/*
 * The most each file of the store may be. A store may come from a disk
 * an attacker wrote: a file is refused on its st_size before a byte of
 * it is read or hashed, and sshfix refuses to write one larger, so it
 * never keeps a snapshot it would refuse. The archive holds the meta
 * entry (a line a path), the content kept (SNAP_TOTAL_MAX) and headers
 * (with extended attributes) a path; a manifest a line a path.
 */
#define SNAP_META_MAX		(64u * 1024 * 1024)	/* sshfix-meta */
#define SNAP_ARCHIVE_MAX	(256u * 1024 * 1024)	/* ID.tar */
#define SNAP_MANIFEST_MAX	(64u * 1024 * 1024)	/* ID.*.mtree */
#define SNAP_SEAL_MAX		4096u			/* ID.seal */
#define SNAP_STATE_MAX		32u			/* ID.state */

#define ROOTID_LEN	32

struct snap_path {
	char	*path;		/* absolute inside the root */
	int	 present;	/* existed before the change */
	int	 content;	/* its content is in the archive */
	int	 scratch;	/* SNAP_SCRATCH */
};

struct snapshot {
	char		  id[40];
	time_t		  created;
	char		  kind[16];	/* apply, rollback */
	char		  of[40];	/* rollback: the snapshot undone */
	char		  state[24];	/* applying, applied, rolled-back,
					   restored, restore-failed */
	char		  rootid[ROOTID_LEN + 1];	/* the root it is of */
	char		**findings;	/* "id subject" */
	size_t		  nfindings;
	char		**temp_users;	/* temporary measures left in place:
					   the account each is for */
	char		**temps;	/* and what it changed */
	size_t		  ntemps;
	struct snap_path *paths;	/* parents before children */
	size_t		  npaths;
};

/*
 * Open the snapshot directory: OVERRIDE, a host path, or
 * ROOT/var/lib/sshfix/snapshots. With CREATE (--apply only) a missing one
 * is made 0700 (its missing parents 0755). An existing one must be a real
 * directory, not a link, owned by root, mode 0700, in a parent only root
 * can write; anything else is refused and never re-moded. Every file
 * named as a snapshot's (ID.tar, ID.before.mtree, ID.after.mtree,
 * ID.seal, ID.state, and .ID.state.tmp, .ID.seal.tmp) must be a regular
 * file within its bound (SNAP_*_MAX), judged by lstat before any is
 * opened: a FIFO, socket, device, link or directory in its place, or a
 * file too large, refuses the whole store (err_refuse: errno EUCLEAN).
 * -1 with err_set; errno ENOENT when there is none.
 */
int	snapdir_open(int rootfd, const char *override, int create);

void	snapshot_init(struct snapshot *, const char *kind);
/* WHAT: SNAP_ABSENT, SNAP_CONTENT, SNAP_META or SNAP_SCRATCH; the most
 * kept wins. */
void	snapshot_add_path(struct snapshot *, const char *path, int what);
/* "ID SUBJECT", or ID as it is when SUBJECT is NULL. */
void	snapshot_add_finding(struct snapshot *, const char *id,
	    const char *subject);
/* A temporary measure the apply puts in place, for USER: WHAT. */
void	snapshot_add_temporary(struct snapshot *, const char *user,
	    const char *what);
void	snapshot_free(struct snapshot *);

/*
 * Pick a fresh id and write ID.tar, ID.before.mtree and ID.seal, fsync'd.
 * S->rootid must be set (rootid_get). Content larger than SNAP_FILE_MAX
 * (or SNAP_TOTAL_MAX in all) is refused.
 */
int	snapshot_write(int rootfd, int sdfd, struct snapshot *);
/* Write ID.after.mtree, the state a rollback expects, and reseal. */
int	snapshot_write_after(int rootfd, int sdfd, const struct snapshot *);

/*
 * The root's id (ROOT/var/lib/sshfix/root-id), made with CREATE when
 * missing. -1 with err_set if it is missing (and not CREATE) or damaged.
 */
int	rootid_get(int rootfd, int create, char out[ROOTID_LEN + 1]);
int	snapshot_set_state(int sdfd, struct snapshot *, const char *state);

/* The temp files of ID's state and seal a crash may have left. */
int	snapshot_remove_tmp(int sdfd, const char *id);

/*
 * A snapshot in state "applying" is an interrupted --apply or --rollback:
 * its state was written, fsync'd, before the first change. Snapshot files
 * without a state are debris of a crash while the snapshot itself was
 * being written: nothing had been changed yet.
 */
#define SNAP_INTERRUPTED	"applying"
int	snapshot_interrupted(const struct snapshot *);
/*
 * The ids of debris snapshots, oldest first, NULL-terminated (empty if
 * none); NULL with err_set when the directory cannot be read through.
 */
char	**snapshot_debris(int sdfd);
/*
 * The ids of leftovers, oldest first, NULL-terminated (as
 * snapshot_debris): files of an id with no ID.tar (a removal cut short:
 * the archive goes first). No listing shows them; without an archive
 * there is nothing to restore.
 */
char	**snapshot_orphans(int sdfd);
/* The newest interrupted snapshot into *S: 1, or 0 if none, -1 error. */
int	snapshot_find_interrupted(int sdfd, struct snapshot *);
/* The interrupted rollback of ID into *S: 1, or 0 if none, -1 error. */
int	snapshot_find_undo(int sdfd, const char *id, struct snapshot *);

/*
 * The order of snapshot ids, TIMESTAMP or TIMESTAMP-N (N from 2): by the
 * timestamp, then N as a number (TIMESTAMP alone is N 1), so that -10
 * comes after -9. Every ordering of ids (newest, oldest first) uses it.
 */
int	snapshot_id_cmp(const char *, const char *);

/*
 * Read ID's meta and state; ID NULL: the newest apply (kind "apply") in
 * state "applied": the top of the stack a plain --rollback undoes.
 */
int	snapshot_load(int sdfd, const char *id, struct snapshot *);
/* Every snapshot, oldest first; free each with snapshot_free. */
int	snapshot_list(int sdfd, struct snapshot **, size_t *);

/*
 * Remove every file of snapshot ID (ID.tar, the manifests, the seal, a
 * stale .ID.*.tmp, ID.state last), then fsync the directory. A file
 * already gone is no error.
 */
int	snapshot_remove(int sdfd, const char *id);
/* The bytes ID's files take (the sum of their sizes). */
unsigned long long snapshot_size(int sdfd, const char *id);
/* A state as --list shows it: "applying" is an interrupted run. */
const char *snapshot_state_word(const char *state);
/*
 * Why --prune --keep KEEP must keep V[I] (V: every snapshot, oldest
 * first, N of them), or NULL when it may go. KEPT[J] says whether each
 * later one (J > I) stays: decide from the newest down.
 */
const char *snapshot_keep_reason(const struct snapshot *v, size_t n,
	    size_t i, size_t keep, const unsigned char *kept);

/*
 * The command that rolls back snapshot ID of the root ROOTDIR ("--root
 * DIR" unless it is "/", "--snapshot-dir DIR" when SNAPDIR is set), each
 * word through sh_cmd(), or ID, ROOT, DIR when not shell-safe; malloc'd.
 */
char	*snapshot_rollback_cmd(const char *id, const char *rootdir,
	    const char *snapdir);

/*
 * The temporary measures still in place: those of every snapshot in
 * state "applied" (newest first), each with the command that removes it
 * for this ROOTDIR (and SNAPDIR, the --snapshot-dir or NULL). A missing
 * or unreadable snapshot directory holds none. -1 (err_set, none) when
 * the store is refused (snapdir_open) or a file of it cannot be read.
 */
struct open_measure;
int	snapshot_open_measures(int rootfd, const char *rootdir,
	    const char *snapdir, struct open_measure **, size_t *);

/*
 * Paths whose state differs from ID.after.mtree (changed since the apply);
 * NULL-terminated list, or NULL on error.
 */
char	**snapshot_changed(int rootfd, int sdfd, const struct snapshot *);

/*
 * Check S whole before anything is restored: its seal (every file hashes
 * as recorded), its root (ROOTID), every path the meta lists present has
 * its entry, and no entry's mode or owner differs from ID.before.mtree.
 */
int	snapshot_check(int sdfd, const struct snapshot *, const char *rootid);

/*
 * snapshot_check, then put every path back as the archive holds it
 * (metadata only where only metadata was kept); remove what was absent.
 */
int	snapshot_restore(int rootfd, int sdfd, const struct snapshot *,
	    const char *rootid);

#endif
