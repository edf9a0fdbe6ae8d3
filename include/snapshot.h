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

struct snap_path {
	char	*path;		/* absolute inside the root */
	int	 present;	/* existed before the change */
};

struct snapshot {
	char		  id[40];
	time_t		  created;
	char		  kind[16];	/* apply, rollback */
	char		  of[40];	/* rollback: the snapshot undone */
	char		  state[24];	/* applied, rolled-back, restored */
	char		**findings;	/* "id subject" */
	size_t		  nfindings;
	struct snap_path *paths;	/* parents before children */
	size_t		  npaths;
};

/*
 * Open (creating 0700 where missing) the snapshot directory: OVERRIDE, a
 * host path, or ROOT/var/lib/sshfix/snapshots. Refuses a directory that
 * root does not own or that others can enter.
 */
int	snapdir_open(int rootfd, const char *override);

void	snapshot_init(struct snapshot *, const char *kind);
void	snapshot_add_path(struct snapshot *, const char *path, int present);
void	snapshot_add_finding(struct snapshot *, const char *id,
	    const char *subject);
void	snapshot_free(struct snapshot *);

/* Pick a fresh id and write ID.tar and ID.before.mtree, fsync'd. */
int	snapshot_write(int rootfd, int sdfd, struct snapshot *);
/* Write ID.after.mtree: the state now, that a rollback expects. */
int	snapshot_write_after(int rootfd, int sdfd, const struct snapshot *);
int	snapshot_set_state(int sdfd, struct snapshot *, const char *state);

/* Read ID's meta and state; ID NULL: the newest in state "applied". */
int	snapshot_load(int sdfd, const char *id, struct snapshot *);
/* Every snapshot, oldest first; free each with snapshot_free. */
int	snapshot_list(int sdfd, struct snapshot **, size_t *);

/*
 * Paths whose state differs from ID.after.mtree (changed since the apply);
 * NULL-terminated list, or NULL on error.
 */
char	**snapshot_changed(int rootfd, int sdfd, const struct snapshot *);

/* Put every path back as the archive holds it; remove what was absent. */
int	snapshot_restore(int rootfd, int sdfd, const struct snapshot *);

#endif
