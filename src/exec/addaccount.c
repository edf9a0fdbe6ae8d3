/*
 * Adding a system account the way shadow-utils does. MUST: take
 * ROOT/etc/FILE.lock for every file written (O_CREAT|O_EXCL, holding our
 * pid, as useradd and lckpwdf-era tools do) and refuse, naming the lock,
 * when one is held; refuse when the name is already there (the plan is
 * stale); write through safewrite (temp + fsync + rename, mode, owner and
 * extended attributes kept); remove the locks taken, whatever happened.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/executor.h"
#include "safefs.h"
#include "os/safewrite.h"
#include "util.h"

#define ACCT_MAX_FILE	(64u << 20)

static const char *
base(const char *path)
{
	return strrchr(path, '/') + 1;
}

static int
lock_one(int etcfd, const char *path)
{
	char lock[64], pid[32];
	int fd, n;

	snprintf(lock, sizeof(lock), "%s.lock", base(path));
	fd = openat(etcfd, lock, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		err_set("%s.lock: %s", path, errno == EEXIST ? "held: another "
		    "program is changing the accounts (remove the file if "
		    "nothing is)" : strerror(errno));
		return -1;
	}
	n = snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	if (write(fd, pid, (size_t)n) != n || close(fd) == -1) {
		err_set("%s.lock: %s", path, strerror(errno));
		unlinkat(etcfd, lock, 0);
		return -1;
	}
	return 0;
}

static void
unlock_one(int etcfd, const char *path)
{
	char lock[64];

	snprintf(lock, sizeof(lock), "%s.lock", base(path));
	unlinkat(etcfd, lock, 0);
}

/* Does a line of DATA start with "NAME:"? */
static int
has_entry(const char *data, size_t len, const char *name)
{
	size_t n = strlen(name);
	const char *p = data, *end = data + len, *nl;

	for (; p < end; p = nl + 1) {
		if ((size_t)(end - p) > n && memcmp(p, name, n) == 0 &&
		    p[n] == ':')
			return 1;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
	}
	return 0;
}

static int
append_entry(struct target *t, const char *path, const char *name,
    const char *line)
{
	struct sfw_xattrs xa = { 0 };
	struct sbuf b = { 0 };
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	int r = -1;

	if (sfw_read_file(t->rootfd, path, ACCT_MAX_FILE, &st, &xa, &data,
	    &len) == -1) {
		if (errno == ENOENT)
			err_set("%s: %s", path, strerror(errno));
		goto out;
	}
	if (has_entry(data, len, name)) {
		err_set("%s: %s is there already; refused", path, name);
		goto out;
	}
	sbuf_add(&b, data, len);
	if (len > 0 && data[len - 1] != '\n')
		sbuf_addc(&b, '\n');
	sbuf_addf(&b, "%s\n", line);
	r = sfw_write_file(t->rootfd, path, b.s, b.len, st.st_mode,
	    st.st_uid, st.st_gid, NULL, &xa);
out:
	sbuf_free(&b);
	free(data);
	sfw_xattrs_free(&xa);
	return r;
}

int
executor_add_account(struct target *t, const struct action *a)
{
	struct stat st;
	size_t i, locked = 0;
	int etcfd, r = 0;

	etcfd = sfs_open(t->rootfd, "/etc", O_RDONLY | O_DIRECTORY, &st);
	if (etcfd == -1) {
		err_set("/etc: %s", strerror(errno));
		return -1;
	}
	for (; locked < ACCT_NFILES && r == 0; locked++)
		if (a->entry[locked] != NULL)
			r = lock_one(etcfd, acct_paths[locked]);
	if (r == -1)
		locked--;	/* that lock was not taken */
	for (i = 0; i < ACCT_NFILES && r == 0; i++)
		if (a->entry[i] != NULL)
			r = append_entry(t, acct_paths[i], a->user,
			    a->entry[i]);
	while (locked-- > 0)
		if (a->entry[locked] != NULL)
			unlock_one(etcfd, acct_paths[locked]);
	close(etcfd);
	return r;
}
