/*
 * Budgets on what is read from the target (budget.h): counted before a
 * byte is read, on the size fstat gives for the opened fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "budget.h"
#include "safefs.h"
#include "util.h"

int
budget_take(struct budget *b, unsigned long long size)
{
	if (b->hit || b->files >= b->max_files || b->bytes > b->max_bytes ||
	    size > b->max_bytes - b->bytes) {
		b->hit = 1;
		return -1;
	}
	b->files++;
	b->bytes += size;
	return 0;
}

void
budget_note(const struct budget *b, struct unread_list *list)
{
	char all[16], one[16];
	struct sbuf why = { 0 };

	if (b->hit) {
		human_size(b->max_bytes, all);
		sbuf_addf(&why, "more than %zu files or %s in all (sshfix's "
		    "budget); the rest were not read", b->max_files, all);
	}
	if (b->toobig > 0) {
		human_size(b->max_file, one);
		sbuf_addf(&why, "%s%zu file%s larger than %s (sshfix's budget) "
		    "not read", why.len ? "; " : "", b->toobig, b->toobig == 1 ?
		    "" : "s", one);
	}
	if (why.len == 0)
		return;
	sbuf_adds(&why, ": cannot tell");
	unread_note_why(list, b->what, why.s);
	sbuf_free(&why);
}

int
budget_read(struct budget *b, int rootfd, const char *path, char **data,
    size_t *len)
{
	struct stat st;
	int fd, r, saved;

	if ((fd = sfs_open(rootfd, path, O_RDONLY, &st)) == -1)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		r = -1;
	} else if ((unsigned long long)st.st_size > b->max_file) {
		b->toobig++;
		errno = EFBIG;
		r = -1;
	} else if (budget_take(b, (unsigned long long)st.st_size) == -1)
		r = 1;
	else
		r = sfs_read_fd(fd, b->max_file, data, len);
	saved = errno;
	close(fd);
	/* A file that grew after fstat counts what was read. */
	if (r == 0 && *len > (size_t)st.st_size)
		b->bytes += *len - (size_t)st.st_size;
	errno = saved;
	return r;
}

int
budget_load(struct budget *b, int rootfd, const char *path,
    struct unread_list *list, char **data, size_t *len)
{
	int r = budget_read(b, rootfd, path, data, len);

	if (r == -1 && errno != EFBIG)
		unread_note(list, path, errno);
	return r == 0 ? 0 : -1;
}
