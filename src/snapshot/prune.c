/*
 * Retention: which snapshots may go, their size, and removing one.
 *
 * A snapshot holds private host keys and the store grows with every
 * apply and rollback, so --prune removes old ones. It MUST NOT remove
 * one that a recovery or a dry run still needs:
 * - one not finished (state "applying": an interrupted run that
 *   --rollback recovers; no state file: debris that --rollback clears),
 *   or one whose restore failed (it holds the state before);
 * - the newest applied one (what --rollback undoes);
 * - an applied one recording a temporary measure (the dry run's "still
 *   open" line and its rollback command name it), and one whose measure
 *   a kept rollback of it would put back when undone.
 * Only snapshots in a state known to be finished are ever removed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot/snapshot_int.h"
#include "util.h"

/* The files of a snapshot; the archive first, the state last. */
static const char *const suffixes[] = { "tar", "before.mtree",
	"after.mtree", "seal", "state" };

/* ".ID.*.tmp": what a write of ID's seal or state left half done. */
static int
is_tmp_of(const char *name, const char *id)
{
	size_t l = strlen(name), il = strlen(id);

	return name[0] == '.' && strncmp(name + 1, id, il) == 0 &&
	    name[il + 1] == '.' && l > il + 6 &&
	    strcmp(name + l - 4, ".tmp") == 0;
}

int
snapshot_remove_tmp(int sdfd, const char *id)
{
	DIR *d;
	struct dirent *de;
	int r = 0;

	if ((d = snap_opendir(sdfd)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (is_tmp_of(de->d_name, id) &&
		    unlinkat(sdfd, de->d_name, 0) == -1 && errno != ENOENT) {
			err_set("snapshot %s: removing %s: %s", id,
			    de->d_name, strerror(errno));
			r = -1;
			break;
		}
	closedir(d);
	return r;
}

static int
unlink_file(int sdfd, const char *id, const char *suffix)
{
	char name[96];

	snprintf(name, sizeof(name), "%s.%s", id, suffix);
	if (unlinkat(sdfd, name, 0) == -1 && errno != ENOENT) {
		err_set("snapshot %s: removing %s: %s", id, name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The archive goes first: once it is gone no listing shows the snapshot.
 * The state goes last, so a crash half way never leaves files that look
 * like the debris of an interrupted apply.
 */
int
snapshot_remove(int sdfd, const char *id)
{
	size_t i;

	if (strchr(id, '/') != NULL || id[0] == '.' || strlen(id) > 64) {
		err_set("snapshot %s: not a snapshot id", id);
		return -1;
	}
	for (i = 0; i + 1 < ARRAY_LEN(suffixes); i++)
		if (unlink_file(sdfd, id, suffixes[i]) == -1)
			return -1;
	if (snapshot_remove_tmp(sdfd, id) == -1 || unlink_file(sdfd, id, "state"))
		return -1;
	if (fsync(sdfd) == -1) {
		err_set("snapshot directory: fsync: %s", strerror(errno));
		return -1;
	}
	return 0;
}

unsigned long long
snapshot_size(int sdfd, const char *id)
{
	struct stat st;
	char name[96];
	unsigned long long sum = 0;
	size_t i;

	for (i = 0; i < ARRAY_LEN(suffixes); i++) {
		snprintf(name, sizeof(name), "%s.%s", id, suffixes[i]);
		if (fstatat(sdfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode))
			sum += (unsigned long long)st.st_size;
	}
	return sum;
}

const char *
snapshot_state_word(const char *state)
{
	return strcmp(state, "applying") == 0 ? "interrupted" : state;
}

/* A later snapshot that stays is a rollback of S that can be undone. */
static int
kept_rollback_of(const struct snapshot *v, size_t n, size_t i,
    const unsigned char *kept)
{
	size_t j;

	for (j = i + 1; j < n; j++)
		if (kept[j] && strcmp(v[j].kind, "rollback") == 0 &&
		    strcmp(v[j].state, "applied") == 0 &&
		    strcmp(v[j].of, v[i].id) == 0)
			return 1;
	return 0;
}

const char *
snapshot_keep_reason(const struct snapshot *v, size_t n, size_t i,
    size_t keep, const unsigned char *kept)
{
	const char *st = v[i].state;
	size_t j;

	if (n - i <= keep)
		return "one of the newest";
	if (strcmp(st, "applying") == 0)
		return "interrupted: recover it with --rollback";
	if (strcmp(st, "applied") != 0 && strcmp(st, "rolled-back") != 0 &&
	    strcmp(st, "restored") != 0)
		return strcmp(st, "restore-failed") == 0 ? "its restore failed: "
		    "it holds the state before" : "not finished: --rollback "
		    "handles it";
	if (strcmp(st, "applied") == 0) {
		for (j = i + 1; j < n; j++)
			if (strcmp(v[j].state, "applied") == 0 &&
			    strcmp(v[j].kind, v[i].kind) == 0)
				break;
		if (j == n && strcmp(v[i].kind, "apply") == 0)
			return "the newest apply in force (what --rollback "
			    "undoes)";
		if (j == n)
			return "the newest rollback (--rollback ID undoes it)";
		if (v[i].ntemps > 0)
			return "a temporary measure of it is still open";
	}
	if (v[i].ntemps > 0 && kept_rollback_of(v, n, i, kept))
		return "its temporary measure comes back if its rollback is "
		    "undone";
	return NULL;
}
