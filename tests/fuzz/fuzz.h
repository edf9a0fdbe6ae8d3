/*
 * Shared by the libFuzzer harnesses: one temp root per process, made at
 * the first input and removed at exit; nothing outside it is written.
 * Each input is written into files of that root, read through sshfix's
 * own readers, and everything is freed before the next input; an fd
 * left open by an iteration aborts the run.
 */
#ifndef SSHFIX_FUZZ_H
#define SSHFIX_FUZZ_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FZ static __attribute__((unused))

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fz_root[PATH_MAX];
static int	fz_rootfd = -1;

FZ int
fz_rm(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

FZ void
fz_cleanup(void)
{
	if (fz_root[0] != '\0')
		nftw(fz_root, fz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

FZ void
fz_die(const char *what)
{
	fprintf(stderr, "fuzz harness: %s: %s\n", what, strerror(errno));
	abort();
}

/* Create DIRS (NULL-terminated, relative, parents first) under the root. */
FZ void
fz_root_init(const char *const *dirs)
{
	const char *tmp = getenv("TMPDIR");

	if (fz_rootfd != -1)
		return;
	snprintf(fz_root, sizeof(fz_root), "%s/sshfix-fuzz.XXXXXX",
	    tmp ? tmp : "/tmp");
	if (mkdtemp(fz_root) == NULL)
		fz_die("mkdtemp");
	if (atexit(fz_cleanup) != 0 || chmod(fz_root, 0755) == -1)
		fz_die(fz_root);
	fz_rootfd = open(fz_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fz_rootfd == -1)
		fz_die(fz_root);
	for (; *dirs != NULL; dirs++)
		if (mkdirat(fz_rootfd, *dirs, 0755) == -1 && errno != EEXIST)
			fz_die(*dirs);
}

/* Replace REL (relative to the root) with LEN bytes of DATA. */
FZ void
fz_put(const char *rel, const void *data, size_t len, mode_t mode)
{
	int fd;

	if (unlinkat(fz_rootfd, rel, 0) == -1 && errno != ENOENT)
		fz_die(rel);
	fd = openat(fz_rootfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode);
	if (fd == -1 || (len > 0 && write(fd, data, len) != (ssize_t)len) ||
	    close(fd) == -1)
		fz_die(rel);
}

FZ void
fz_puts(const char *rel, const char *text)
{
	fz_put(rel, text, strlen(text), 0644);
}

/*
 * Inputs that feed several files hold them one after another, separated
 * by a line "%%%". Splits DATA into at most MAX parts; returns the count.
 */
#define FZ_SEP	"\n%%%\n"

FZ size_t
fz_split(const uint8_t *data, size_t size, const uint8_t **part,
    size_t *len, size_t max)
{
	const uint8_t *p = data, *end = data + size, *s;
	size_t n = 0;

	while (n + 1 < max && (s = memmem(p, (size_t)(end - p), FZ_SEP,
	    sizeof(FZ_SEP) - 1)) != NULL) {
		part[n] = p;
		len[n++] = (size_t)(s - p) + 1;	/* keep the newline */
		p = s + sizeof(FZ_SEP) - 1;
	}
	part[n] = p;
	len[n++] = (size_t)(end - p);
	return n;
}

/* Open fds that lead into the temp root. */
FZ int
fz_root_fds(void)
{
	char link[32], to[PATH_MAX];
	struct dirent *de;
	size_t rl = strlen(fz_root);
	ssize_t n;
	int count = 0;
	DIR *d = opendir("/proc/self/fd");

	if (d == NULL)
		fz_die("/proc/self/fd");
	while ((de = readdir(d)) != NULL) {
		snprintf(link, sizeof(link), "/proc/self/fd/%s", de->d_name);
		n = readlink(link, to, sizeof(to) - 1);
		if (n > 0 && (size_t)n >= rl && memcmp(to, fz_root, rl) == 0)
			count++;
	}
	closedir(d);
	return count;
}

/*
 * Call after each input: an fd into the root that the readers left open
 * is a bug. (Pipes and the like are not counted: the sanitizers keep
 * some open to their symbolizer.)
 */
FZ void
fz_fd_check(void)
{
	static int base = -1;
	int n = fz_root_fds();

	if (base == -1)
		base = n;
	else if (n != base) {
		fprintf(stderr, "fuzz harness: fd leak: %d fds into %s after "
		    "the first input, now %d\n", base, fz_root, n);
		abort();
	}
}

#endif
