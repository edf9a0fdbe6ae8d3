/*
 * The snapshot directory: where it is, the state of each snapshot, and
 * reading a snapshot's meta entry back. Every file of the store is
 * judged and opened through storecheck.c, the meta text parsed by
 * record.c; nothing here writes a snapshot (snapshot.c does).
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safefs.h"
#include "os/safewrite.h"
#include "snapshot/snapshot_int.h"
#include "os/stop.h"
#include "mounts.h"
#include "util.h"

/*
 * The directory must be what sshfix makes: a real directory (never a
 * link), owned by root, mode 0700. Anything else is refused, never
 * re-moded: it may be someone's directory (a sticky /tmp, /etc behind a
 * link) and its mode is theirs.
 */
static int
check_dir(int fd, const char *where)
{
	struct stat st;

	if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode)) {
		err_set("%s: not a directory; refused", where);
		return -1;
	}
	if (st.st_uid != 0 || (st.st_mode & 07777) != 0700) {
		char m[8];

		mode_str(st.st_mode, m);
		err_set("%s: owned by uid %u with mode %s, not root's 0700 "
		    "directory; refused (it holds private host keys: fix it "
		    "by hand or choose another --snapshot-dir)", where,
		    (unsigned)st.st_uid, m);
		return -1;
	}
	return 0;
}

/*
 * The leaf is opened O_NOFOLLOW from its parent: a link there, even one
 * root owns, is refused. The parent must be root's and writable by root
 * alone (or sticky), so nobody can swap the snapshot directory under us.
 */
static int
open_leaf_dir(int pfd, const char *leaf, const char *where, int create)
{
	struct stat pst;
	int fd;

	/* A sticky parent (/tmp) is fine: others cannot rename in it. */
	if (fstat(pfd, &pst) == -1 || pst.st_uid != 0 ||
	    ((pst.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
	    (pst.st_mode & S_ISVTX) == 0)) {
		err_set("%s: its parent directory is not root's alone; "
		    "refused", where);
		return -1;
	}
	if (create && mkdirat(pfd, leaf, 0700) == -1 && errno != EEXIST) {
		err_set("%s: %s", where, errno == EROFS ?
		    mounts_ro_advice(pfd) : strerror(errno));
		return -1;
	}
	if (create && fsync(pfd) == -1) {
		err_set("%s: fsync of the parent: %s", where, strerror(errno));
		return -1;
	}
	fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		err_set("%s: %s%s", where, errno == ENOENT ?
		    "no snapshots here" : strerror(errno), errno == ELOOP ||
		    errno == ENOTDIR ? " (not a directory; refused)" : "");
		return -1;
	}
	if (check_dir(fd, where) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
snapdir_open(int rootfd, const char *override, int create)
{
	char parent[PATH_MAX];
	const char *leaf, *where = override ? override : SNAPSHOT_DIR;
	int pfd, fd;

	if (override == NULL && create &&
	    sfw_mkdir_p(rootfd, "/var/lib/sshfix", 0755) == -1) {
		if (errno == EROFS)
			err_set("%s: %s", SNAPSHOT_DIR,
			    mounts_ro_advice(rootfd));
		return -1;
	}
	if (override != NULL) {
		leaf = strrchr(override, '/') + 1;
		if (*leaf == '\0' || strlen(override) >= sizeof(parent)) {
			err_set("--snapshot-dir %s: not a directory name",
			    override);
			return -1;
		}
		snprintf(parent, sizeof(parent), "%.*s",
		    (int)(leaf - override), override);
		pfd = open(parent, O_RDONLY | O_DIRECTORY | O_NONBLOCK |
		    O_CLOEXEC);
	} else
		pfd = sfs_open_parent(rootfd, SNAPSHOT_DIR, &leaf);
	if (pfd == -1) {
		err_set("%s: %s", where, strerror(errno));
		return -1;
	}
	fd = open_leaf_dir(pfd, leaf, where, create);
	close(pfd);
	/* Every file of it judged before any is opened: see storecheck.c. */
	if (fd != -1 && snap_store_check(fd, where) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
snapshot_set_state(int sdfd, struct snapshot *s, const char *state)
{
	char name[64], tmp[80];
	int fd;

	snprintf(name, sizeof(name), "%s.state", s->id);
	snprintf(tmp, sizeof(tmp), ".%s.state.tmp", s->id);
	unlinkat(sdfd, tmp, 0);
	if ((fd = snap_create(sdfd, tmp)) == -1)
		return -1;
	if (dprintf(fd, "%s\n", state) < 0 || fsync(fd) == -1 ||
	    close(fd) == -1 || renameat(sdfd, tmp, sdfd, name) == -1 ||
	    fsync(sdfd) == -1) {
		err_set("snapshot %s: writing its state: %s", s->id,
		    strerror(errno));
		return -1;
	}
	snprintf(s->state, sizeof(s->state), "%s", state);
	return 0;
}

static int
read_meta(int sdfd, const char *id, struct snapshot *s)
{
	struct archive *a;
	struct archive_entry *e;
	char *text = NULL;
	la_int64_t size;
	la_ssize_t n;
	int fd, r = -1;

	if (snap_lib_ready() == -1)
		return -1;
	a = archive_read_new();
	if ((fd = snap_open(sdfd, id, "tar")) == -1) {
		archive_read_free(a);
		return -1;
	}
	archive_read_support_format_tar(a);
	/* The meta lists every path: a line each (SNAP_META_MAX). */
	if (archive_read_open_fd(a, fd, 10240) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK ||
	    strcmp(archive_entry_pathname(e), "sshfix-meta") != 0 ||
	    (size = archive_entry_size(e)) < 0 || size > SNAP_META_MAX) {
		err_set("snapshot %s: not an sshfix snapshot", id);
		goto out;
	}
	text = xmalloc((size_t)size + 1);
	n = archive_read_data(a, text, (size_t)size);
	if (n != size) {
		err_set("snapshot %s: short meta entry", id);
		goto out;
	}
	text[n] = '\0';
	snapshot_init(s, "apply");
	if (snap_parse_meta(s, text) == -1 || strcmp(s->id, id) != 0) {
		err_set("snapshot %s: damaged meta entry", id);
		snapshot_free(s);
		goto out;
	}
	r = 0;
out:
	free(text);
	archive_read_free(a);
	close(fd);
	return r;
}

void
snap_read_state(int sdfd, struct snapshot *s)
{
	char buf[SNAP_STATE_MAX + 1];
	ssize_t n;
	int fd = snap_open(sdfd, s->id, "state");

	snprintf(s->state, sizeof(s->state), "incomplete");
	if (fd == -1)
		return;
	n = read(fd, buf, SNAP_STATE_MAX);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (strlen(buf) < sizeof(s->state))
		memcpy(s->state, buf, strlen(buf) + 1);
}

/* ID's N: 1 without a suffix; its digits (leading zeros skipped). */
static const char *
id_seq(const char *id, size_t *stamp_len, size_t *digits)
{
	const char *dash = strchr(id, '-'), *d;

	*stamp_len = dash ? (size_t)(dash - id) : strlen(id);
	if (dash == NULL)
		d = "1";
	else
		d = dash + 1 + strspn(dash + 1, "0");
	*digits = strlen(d);
	return d;
}

int
snapshot_id_cmp(const char *a, const char *b)
{
	size_t la, lb, da, db;
	const char *na = id_seq(a, &la, &da), *nb = id_seq(b, &lb, &db);
	int c = strncmp(a, b, la < lb ? la : lb), numa, numb;

	if (c != 0 || la != lb)
		return c != 0 ? c : la < lb ? -1 : 1;
	/* A total order even for forged ids: numbers first, by value. */
	numa = strspn(na, "0123456789") == da;
	numb = strspn(nb, "0123456789") == db;
	if (numa != numb)
		return numa ? -1 : 1;
	if (numa && da != db)
		return da < db ? -1 : 1;
	if ((c = strcmp(na, nb)) != 0)
		return c;
	return strcmp(a, b);	/* "X-02" and "X-2" */
}

static int
cmp_snap(const void *a, const void *b)
{
	return snapshot_id_cmp(((const struct snapshot *)a)->id,
	    ((const struct snapshot *)b)->id);
}

int
snapshot_list(int sdfd, struct snapshot **out, size_t *n)
{
	DIR *d;
	struct dirent *de;

	*out = NULL;
	*n = 0;
	if ((d = snap_opendir(sdfd)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		char id[40];
		struct snapshot s;

		if (stop_reading() == -1) {
			closedir(d);
			while (*n > 0)
				snapshot_free(&(*out)[--*n]);
			free(*out);
			*out = NULL;
			return -1;
		}
		if (l < 5 || l - 4 >= sizeof(id) || de->d_name[0] == '.' ||
		    strcmp(de->d_name + l - 4, ".tar") != 0)
			continue;
		memcpy(id, de->d_name, l - 4);
		id[l - 4] = '\0';
		if (read_meta(sdfd, id, &s) == -1)
			continue;
		snap_read_state(sdfd, &s);
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = s;
	}
	closedir(d);
	sort(*out, *n, sizeof(**out), cmp_snap);
	return 0;
}

int
snapshot_load(int sdfd, const char *id, struct snapshot *s)
{
	struct snapshot *all;
	size_t n, i;
	int found = -1;

	if (id != NULL) {
		if (read_meta(sdfd, id, s) == -1)
			return -1;
		snap_read_state(sdfd, s);
		return 0;
	}
	if (snapshot_list(sdfd, &all, &n) == -1)
		return -1;
	for (i = n; i-- > 0; )
		if (strcmp(all[i].state, "applied") == 0 &&
		    strcmp(all[i].kind, "apply") == 0) {
			found = (int)i;
			break;
		}
	for (i = 0; i < n; i++) {
		if ((int)i == found)
			*s = all[i];
		else
			snapshot_free(&all[i]);
	}
	free(all);
	if (found == -1)
		err_set("no apply left to roll back: every one is rolled back "
		    "(--list shows them)");
	return found == -1 ? -1 : 0;
}

static int
cmp_id(const void *a, const void *b)
{
	return snapshot_id_cmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The ids PICK chooses among the directory's file names (each once),
 * oldest first, NULL-terminated (empty if none); NULL with err_set on
 * error or a signal (stop_reading).
 */
static char **
scan_ids(int sdfd, char *(*pick)(int, const char *, const char *),
    const char *arg)
{
	struct dirent *de;
	char **v = xcalloc(1, sizeof(*v)), *id;
	size_t n = 0, i;
	DIR *d;

	if ((d = snap_opendir(sdfd)) == NULL) {
		free(v);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (stop_reading() == -1) {
			closedir(d);
			free_strv(v);
			return NULL;
		}
		if ((id = pick(sdfd, de->d_name, arg)) == NULL)
			continue;
		for (i = 0; i < n && strcmp(v[i], id) != 0; i++)
			;
		if (i < n) {
			free(id);
			continue;
		}
		v = xreallocarray(v, n + 2, sizeof(*v));
		v[n++] = id;
		v[n] = NULL;
	}
	closedir(d);
	sort(v, n, sizeof(*v), cmp_id);
	return v;
}

/* A file of a snapshot that has no ID.SUFFIX. */
static char *
pick_missing(int sdfd, const char *name, const char *suffix)
{
	struct stat st;
	char buf[64], *id = snap_file_id(name);

	if (id == NULL)
		return NULL;
	snprintf(buf, sizeof(buf), "%s.%s", id, suffix);
	if (fstatat(sdfd, buf, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
	    errno != ENOENT) {
		free(id);
		return NULL;
	}
	return id;
}

char **
snapshot_debris(int sdfd)
{
	return scan_ids(sdfd, pick_missing, "state");
}

char **
snapshot_orphans(int sdfd)
{
	return scan_ids(sdfd, pick_missing, "tar");
}

/* The state file of a snapshot in STATE. */
static char *
pick_state(int sdfd, const char *name, const char *state)
{
	size_t l = strlen(name);
	struct snapshot s = { 0 };

	if (l < 7 || l - 6 >= sizeof(s.id) || name[0] == '.' ||
	    strcmp(name + l - 6, ".state") != 0)
		return NULL;
	memcpy(s.id, name, l - 6);
	snap_read_state(sdfd, &s);
	return strcmp(s.state, state) == 0 ? xstrdup(s.id) : NULL;
}

/*
 * The ids of the snapshots in STATE, oldest first: the state files alone
 * are read, so that a dry run's look costs no archive read.
 */
char **
snap_ids_in_state(int sdfd, const char *state)
{
	return scan_ids(sdfd, pick_state, state);
}

/* The newest interrupted snapshot (with OF: a rollback of OF). */
static int
find(int sdfd, const char *of, struct snapshot *out)
{
	char **ids = snap_ids_in_state(sdfd, SNAP_INTERRUPTED);
	size_t n = 0;
	int found = 0;

	if (ids == NULL)
		return -1;
	while (ids[n] != NULL)
		n++;
	while (!found && n-- > 0) {
		if (snapshot_load(sdfd, ids[n], out) == -1)
			continue;
		if (of == NULL || (strcmp(out->kind, "rollback") == 0 &&
		    strcmp(out->of, of) == 0))
			found = 1;
		else
			snapshot_free(out);
	}
	free_strv(ids);
	return found;
}

int
snapshot_find_interrupted(int sdfd, struct snapshot *s)
{
	return find(sdfd, NULL, s);
}

int
snapshot_find_undo(int sdfd, const char *id, struct snapshot *s)
{
	return find(sdfd, id, s);
}
