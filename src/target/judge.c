/*
 * Choosing the sshd that judges the configuration, and remembering its
 * clean verdicts so that a healthy root's dry run spawns nothing.
 *
 * MUST: the cache only ever says "valid"; its key covers the judge's
 * binary (device, inode, size, mtime) and every file of the config, so
 * any change to either asks sshd again. Its directory is root's, 0700,
 * opened without following symlinks.
 */
#include <errno.h>
#include <fcntl.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "budget.h"
#include "target/judge.h"
#include "safefs.h"
#include "util.h"
#include "target/validate.h"

#define CACHE_DIR	"/run/sshfix"
#define CACHE_SUB	"config-ok"

static int
is_sshd_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') ||
	    (c != '\0' && strchr("._+~- ", c) != NULL);	/* not the NUL */
}

char *
sshd_version_in(const char *d, size_t len)
{
	static const char tag[] = "OpenSSH_";
	const char *p = d, *end = d + len, *best = NULL, *q;
	size_t bestn = 0, n;
	int pattern;

	while ((p = memmem(p, (size_t)(end - p), tag, sizeof(tag) - 1))) {
		q = p + sizeof(tag) - 1;
		if (q < end && *q >= '0' && *q <= '9') {
			for (n = 0; q + n < end && n < 48 && is_sshd_char(q[n]);)
				n++;
			/* compat.c's patterns ("OpenSSH_2.5.0p1*,...") are
			   no version: 7.4p1's longest string is one. */
			pattern = q + n < end && (q[n] == '*' || q[n] == ',');
			while (n > 0 && q[n - 1] == ' ')
				n--;
			if (!pattern && n > bestn) {
				best = p;
				bestn = n;
			}
		}
		p = q;
	}
	return best ? xstrndup(best, bestn + sizeof(tag) - 1) : NULL;
}

char *
sshd_version(int fd)
{
	char *d, *v;
	size_t len;

	if (sfs_read_fd(fd, SSHD_MAX, &d, &len) == -1)
		return NULL;
	v = sshd_version_in(d, len);
	free(d);
	return v;
}

/* Test seam: SSHFIX_TEST_NO_HOST_SSHD=1 plays a host without sshd. */
static int
host_sshd(char **version)
{
	int fd;

	*version = NULL;
	if (getenv("SSHFIX_TEST_NO_HOST_SSHD") != NULL)
		return 0;
	fd = open(SSHD_PATH, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || access(SSHD_PATH, X_OK) == -1) {
		if (fd != -1)
			close(fd);
		return 0;
	}
	*version = sshd_version(fd);
	close(fd);
	return 1;
}

/* ROOT/usr/sbin/sshd: 1 if it could run chrooted (ROOT/tmp, /dev exist). */
static int
target_sshd(struct target *t, char **version)
{
	struct stat st, tmp;
	int fd;

	*version = NULL;
	fd = sfs_open(t->rootfd, SSHD_PATH, O_RDONLY, &st);
	if (fd == -1)
		return 0;
	*version = sshd_version(fd);
	close(fd);
	return S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0 &&
	    sfs_lstat(t->rootfd, "/tmp", &tmp) == 0 && S_ISDIR(tmp.st_mode) &&
	    sfs_lstat(t->rootfd, "/dev", &tmp) == 0 && S_ISDIR(tmp.st_mode);
}

static void
use_host_or_table(struct judge *j, const char *why, const char *tver)
{
	char *hver;

	if (host_sshd(&hver)) {
		j->kind = JUDGE_HOST;
		j->desc = xasprintf("the host's %s (%s)", SSHD_PATH,
		    hver ? hver : "version unknown");
		j->note = xasprintf("%s; the target's sshd is %s, the host's "
		    "%s: a keyword or value one accepts and the other does "
		    "not is judged as the host's sshd sees it", why,
		    tver ? tver : "of unknown version",
		    hver ? hver : "of unknown version");
	} else {
		j->kind = JUDGE_TABLE;
		j->desc = xstrdup("sshfix's keyword table (OpenSSH 9.2)");
		j->note = xasprintf("%s, and this host has no %s: only "
		    "unknown keywords, byte order marks and lone backslashes "
		    "were checked, not values (install openssh-server)", why,
		    SSHD_PATH);
	}
	free(hver);
}

static int no_target_exec;

void
judge_no_target_exec(void)
{
	no_target_exec = 1;
}

void
judge_pick(struct target *t, struct judge *j)
{
	char *v;

	memset(j, 0, sizeof(*j));
	if (t->live) {
		if (host_sshd(&v)) {
			j->kind = JUDGE_HOST;
			j->desc = xasprintf("this system's own %s (%s)",
			    SSHD_PATH, v ? v : "version unknown");
		} else
			use_host_or_table(j, "this system has no sshd", NULL);
		free(v);
		return;
	}
	if (no_target_exec) {
		target_sshd(t, &v);
		use_host_or_table(j, "--no-target-exec: the target's own "
		    SSHD_PATH " was not run", v);
	} else if (target_sshd(t, &v)) {
		j->kind = JUDGE_TARGET;
		j->desc = xasprintf("the target's own %s (%s), chrooted",
		    SSHD_PATH, v ? v : "version unknown");
	} else
		use_host_or_table(j, "the target has no usable " SSHD_PATH,
		    v);
	free(v);
}

void
judge_fall_back(struct target *t, struct judge *j, const char *why)
{
	char *tver = NULL, *full, *w = xstrdup(why);
	struct stat st;
	int fd = sfs_open(t->rootfd, SSHD_PATH, O_RDONLY, &st);

	if (fd != -1) {
		tver = sshd_version(fd);
		close(fd);
	}
	judge_free(j);
	full = xasprintf("the target's %s could not run here (%s)",
	    SSHD_PATH, w);
	use_host_or_table(j, full, tver);
	free(w);
	free(full);
	free(tver);
}

void
judge_free(struct judge *j)
{
	free(j->desc);
	free(j->note);
	memset(j, 0, sizeof(*j));
}

static int
judge_binary(struct target *t, const struct judge *j, struct stat *st)
{
	if (j->kind == JUDGE_TARGET)
		return sfs_lstat(t->rootfd, SSHD_PATH, st);
	return stat(SSHD_PATH, st);
}

static int
cache_key(struct target *t, const struct judge *j,
    char hex[SHA256_DIGEST_STRING_LENGTH])
{
	SHA2_CTX ctx;
	struct stat st;
	char head[160];
	size_t i;

	if (j->kind == JUDGE_TABLE || judge_binary(t, j, &st) == -1)
		return -1;
	snprintf(head, sizeof(head), "%d %ju %ju %jd %jd.%09ld", j->kind,
	    (uintmax_t)st.st_dev, (uintmax_t)st.st_ino, (intmax_t)st.st_size,
	    (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	SHA256Init(&ctx);
	SHA256Update(&ctx, (const uint8_t *)head, strlen(head) + 1);
	for (i = 0; i < t->cfg.nfiles; i++) {
		const struct cfg_file *f = &t->cfg.files[i];

		snprintf(head, sizeof(head), "%zu", f->size);
		SHA256Update(&ctx, (const uint8_t *)f->path,
		    strlen(f->path) + 1);
		SHA256Update(&ctx, (const uint8_t *)head, strlen(head) + 1);
		SHA256Update(&ctx, (const uint8_t *)f->data, f->size);
	}
	SHA256End(&ctx, hex);
	return 0;
}

/* The cache directory, made if asked: root's, 0700, no symlink. */
static int
cache_dir(int create)
{
	struct stat st;
	int top, fd;

	if (create && mkdir(CACHE_DIR, 0700) == -1 && errno != EEXIST)
		return -1;
	top = open(CACHE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (top == -1)
		return -1;
	if (create && mkdirat(top, CACHE_SUB, 0700) == -1 && errno != EEXIST) {
		close(top);
		return -1;
	}
	fd = openat(top, CACHE_SUB, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd != -1 && (fstat(top, &st) == -1 || st.st_uid != 0 ||
	    (st.st_mode & 077) != 0 || fstat(fd, &st) == -1 ||
	    st.st_uid != 0 || (st.st_mode & 077) != 0)) {
		close(fd);
		fd = -1;
	}
	close(top);
	return fd;
}

int
judge_cache_hit(struct target *t, const struct judge *j)
{
	char hex[SHA256_DIGEST_STRING_LENGTH];
	struct stat st;
	int fd, hit;

	if (cache_key(t, j, hex) == -1 || (fd = cache_dir(0)) == -1)
		return 0;
	hit = fstatat(fd, hex, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode) && st.st_uid == 0;
	close(fd);
	return hit;
}

void
judge_cache_store(struct target *t, const struct judge *j)
{
	char hex[SHA256_DIGEST_STRING_LENGTH];
	int fd, f;

	if (cache_key(t, j, hex) == -1 || (fd = cache_dir(1)) == -1)
		return;
	f = openat(fd, hex, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (f != -1)
		close(f);
	close(fd);
}
