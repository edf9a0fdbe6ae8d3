/*
 * ACT_UNBAN: fail2ban's ban of an address removed from its database, as
 * fail2ban-client unbanip removes it, on a disk whose fail2ban is not
 * running (the plan asks this only under --root). The database is the
 * disk's bytes: the row is removed from a copy by sshfix's sandboxed
 * helper (os/f2bdb.h), the changed bytes judged again by another run of
 * it (no ban of that address in that jail left), and only those bytes are
 * written back, in one rename, with the file's owner, mode and extended
 * attributes. The snapshot holds the database as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "budget.h"
#include "exec/executor.h"
#include "os/f2bdb.h"
#include "os/safewrite.h"
#include "safefs.h"
#include "util.h"

/* The helper's rewrite of the copy at FD: 0, or -1 (err_set). */
static int
read_back(int fd, char **data, size_t *len)
{
	struct stat st;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    lseek(fd, 0, SEEK_SET) == -1) {
		err_set("the changed copy of the database: %s",
		    strerror(errno));
		return -1;
	}
	if (sfs_read_fd(fd, F2B_DB_MAX, data, len) == -1) {
		err_set("the changed copy of the database: %s", errno == EFBIG ?
		    "larger than sshfix reads" : strerror(errno));
		return -1;
	}
	return 0;
}

/* Do the bytes DATA still hold the row of JAIL and IP that banned ADDR?
   0 no, 1 yes, -1 (err_set) cannot tell. Judged on a copy of their own. */
static int
still_banned(const char *data, size_t len, const char *jail, const char *ip,
    const char *addr)
{
	struct f2b_ban b[F2B_ROWS_MAX];
	int fd, n, i, r = 0;

	if ((fd = f2b_stage(data, len)) == -1)
		return -1;
	n = f2b_ask(fd, time(NULL), addr, b);
	close(fd);
	if (n == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(b[i].jail, jail) == 0 && strcmp(b[i].ip, ip) == 0)
			r = 1;
	return r;
}

int
executor_unban(struct target *t, const struct action *a)
{
	struct sfw_xattrs xa = { 0 };
	char *data = NULL, *new = NULL;
	size_t len, nlen;
	struct stat st;
	int r = -1, fd = -1, gone;

	if (f2b_sidecar(t->rootfd, a->path) != NULL) {
		err_set("%s: a journal has appeared beside it; refused",
		    a->path);
		return -1;
	}
	if (sfw_read_file(t->rootfd, a->path, F2B_DB_MAX, &st, &xa, &data,
	    &len) == -1) {
		if (errno == ENOENT)
			err_set("%s: %s", a->path, strerror(errno));
		goto out;
	}
	if ((fd = f2b_stage(data, len)) == -1)
		goto out;
	if ((gone = f2b_unban(fd, a->old_text, a->text)) == -1) {
		err_set("%s: %s", a->path, err_get());
		goto out;
	}
	if (gone == 0) {
		err_set("%s: no ban of %s in jail %s to remove (the plan saw "
		    "one)", a->path, a->text, a->old_text);
		goto out;
	}
	if (read_back(fd, &new, &nlen) == -1)
		goto out;
	switch (still_banned(new, nlen, a->old_text, a->text, a->user)) {
	case 0:
		break;
	case 1:
		err_set("%s: the ban of %s is still there once removed; "
		    "refused", a->path, a->text);
		goto out;
	default:
		err_set("%s: the changed database cannot be judged: %s",
		    a->path, err_get());
		goto out;
	}
	r = sfw_write_file(t->rootfd, a->path, new, nlen, st.st_mode & 07777,
	    st.st_uid, st.st_gid, NULL, &xa);
out:
	if (fd != -1)
		close(fd);
	sfw_xattrs_free(&xa);
	free(data);
	free(new);
	return r;
}
