/* Path resolution inside a root: hostile symlinks, "..", fifos. */
#include <sys/sysmacros.h>

#include "fixture.h"
#include "safefs.h"

static void
test_plain(void **state)
{
	struct fx fx;
	struct stat st;
	char *d;
	size_t n;
	int r, fd;

	(void)state;
	fx_init(&fx);
	r = fx_rootfd(&fx);
	assert_int_equal(sfs_read_file(r, "/etc/passwd", 4096, &d, &n, &st),
	    0);
	assert_true(n > 0 && strncmp(d, "root:", 5) == 0);
	free(d);
	assert_int_equal(sfs_read_file(r, "etc//passwd", 4096, &d, &n, NULL),
	    0);
	free(d);
	assert_int_equal(sfs_read_file(r, "/etc/passwd", 8, &d, &n, NULL), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(sfs_read_file(r, "/etc/nope", 8, &d, &n, NULL), -1);
	assert_int_equal(errno, ENOENT);
	fd = sfs_open(r, "/", O_RDONLY | O_DIRECTORY, &st);
	assert_true(fd >= 0);
	close(fd);
	close(r);
	fx_cleanup(&fx);
}

/* A user's symlink in the middle of a path is never followed. */
static void
test_user_symlink_middle(void **state)
{
	struct fx fx;
	struct stat st;
	int r;

	(void)state;
	fx_init(&fx);
	fx_symlink(&fx, "/etc", "/home/alice/link", 1000);
	r = fx_rootfd(&fx);
	assert_int_equal(sfs_open(r, "/home/alice/link/shadow", O_RDONLY,
	    &st), -1);
	assert_int_equal(errno, ELOOP);
	close(r);
	fx_cleanup(&fx);
}

/* A user's symlink as the leaf: refused; lstat sees the link itself. */
static void
test_user_symlink_leaf(void **state)
{
	struct fx fx;
	struct stat st;
	char *d;
	size_t n;
	int r;

	(void)state;
	fx_init(&fx);
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	fx_symlink(&fx, "/etc/shadow", "/home/alice/.ssh/authorized_keys",
	    1000);
	r = fx_rootfd(&fx);
	assert_int_equal(sfs_read_file(r, "/home/alice/.ssh/authorized_keys",
	    4096, &d, &n, NULL), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(sfs_lstat(r, "/home/alice/.ssh/authorized_keys",
	    &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	close(r);
	fx_cleanup(&fx);
}

/* Root's absolute symlink resolves inside the root, not on the host. */
static void
test_root_symlink_stays_inside(void **state)
{
	struct fx fx;
	char *d;
	size_t n;
	int r;

	(void)state;
	fx_init(&fx);
	fx_mkdir(&fx, "/srv", 0755, 0, 0);
	fx_write(&fx, "/srv/hostname", "inside\n", 0644, 0, 0);
	fx_symlink(&fx, "/srv", "/etc/alias", 0);
	fx_symlink(&fx, "../srv/hostname", "/etc/rel", 0);
	fx_symlink(&fx, "/etc/hostname", "/etc/escape", 0);
	r = fx_rootfd(&fx);
	assert_int_equal(sfs_read_file(r, "/etc/alias/hostname", 64, &d, &n,
	    NULL), 0);
	assert_string_equal(d, "inside\n");
	free(d);
	assert_int_equal(sfs_read_file(r, "/etc/rel", 64, &d, &n, NULL), 0);
	assert_string_equal(d, "inside\n");
	free(d);
	/* /etc/hostname exists on the host, not in the root. */
	assert_int_equal(sfs_read_file(r, "/etc/escape", 64, &d, &n, NULL),
	    -1);
	assert_int_equal(errno, ENOENT);
	close(r);
	fx_cleanup(&fx);
}

/*
 * O_PATH (stat(2)-like questions: does the shell exist?) follows a leaf
 * link as any other: root's to its target, a dangling one is ENOENT, a
 * user's is ELOOP. It never answers with the link itself.
 */
static void
test_opath_leaf_link(void **state)
{
	struct fx fx;
	struct stat st;
	int r, fd;

	(void)state;
	fx_init(&fx);
	fx_mkdir(&fx, "/srv", 0755, 0, 0);
	fx_write(&fx, "/srv/sh", "#!\n", 0755, 0, 0);
	fx_symlink(&fx, "sh", "/srv/rootlink", 0);
	fx_symlink(&fx, "nothing", "/srv/dangling", 0);
	fx_symlink(&fx, "/srv/sh", "/home/alice/mylink", 1000);
	r = fx_rootfd(&fx);
	fd = sfs_open(r, "/srv/rootlink", O_PATH, &st);
	assert_true(fd >= 0);
	assert_true(S_ISREG(st.st_mode));
	close(fd);
	assert_int_equal(sfs_open(r, "/srv/dangling", O_PATH, &st), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sfs_open(r, "/home/alice/mylink", O_PATH, &st), -1);
	assert_int_equal(errno, ELOOP);
	close(r);
	fx_cleanup(&fx);
}

/*
 * The attack of issue 9: a root-owned link in a directory a user can
 * write (the user renames it into place as ~/.ssh) is not followed, nor
 * is any root-owned link met after the walk passed such a directory.
 */
static void
test_root_link_in_user_dir(void **state)
{
	struct fx fx;
	struct stat st;
	int r;

	(void)state;
	fx_init(&fx);
	fx_mkdir(&fx, "/etc/private", 0700, 0, 0);
	fx_write(&fx, "/etc/private/secret", "s\n", 0600, 0, 0);
	fx_symlink(&fx, "/etc/private", "/home/alice/dotssh", 0);
	r = fx_rootfd(&fx);
	assert_int_equal(sfs_open(r, "/home/alice/dotssh/secret", O_RDONLY,
	    &st), -1);
	assert_int_equal(errno, ELOOP);
	/* As the leaf too. */
	assert_int_equal(sfs_open(r, "/home/alice/dotssh", O_RDONLY |
	    O_DIRECTORY, &st), -1);
	assert_int_equal(errno, ELOOP);
	/* A root-owned directory under the user's: still untrusted. */
	fx_mkdir(&fx, "/home/alice/sub", 0755, 0, 0);
	fx_symlink(&fx, "/etc/private", "/home/alice/sub/link", 0);
	assert_int_equal(sfs_open(r, "/home/alice/sub/link/secret", O_RDONLY,
	    &st), -1);
	assert_int_equal(errno, ELOOP);
	/* A group-writable root-owned directory is writable by others. */
	fx_mkdir(&fx, "/srv", 0775, 0, 100);
	fx_symlink(&fx, "/etc/private", "/srv/link", 0);
	assert_int_equal(sfs_open(r, "/srv/link/secret", O_RDONLY, &st), -1);
	assert_int_equal(errno, ELOOP);
	/* The same link in a directory only root writes is followed. */
	fx_chmod(&fx, "/srv", 0755);
	r = (close(r), fx_rootfd(&fx));
	assert_int_not_equal(r = sfs_open(r, "/srv/link/secret", O_RDONLY,
	    &st), -1);
	close(r);
	fx_cleanup(&fx);
}

static void
test_dotdot_clamped(void **state)
{
	struct fx fx;
	char *d;
	size_t n;
	int r;

	(void)state;
	fx_init(&fx);
	r = fx_rootfd(&fx);
	assert_int_equal(sfs_read_file(r, "/../../../etc/passwd", 4096, &d,
	    &n, NULL), 0);
	assert_true(strncmp(d, "root:x:0:0:root:/root:/bin/bash", 31) == 0);
	free(d);
	assert_int_equal(sfs_read_file(r, "/home/../etc/../etc/passwd", 4096,
	    &d, &n, NULL), 0);
	free(d);
	close(r);
	fx_cleanup(&fx);
}

static void
test_fifo_no_hang(void **state)
{
	struct fx fx;
	char p[PATH_MAX], *d;
	size_t n;
	int r;

	(void)state;
	fx_init(&fx);
	fx_path(&fx, "/etc/fifo", p);
	assert_int_equal(mkfifo(p, 0644), 0);
	r = fx_rootfd(&fx);
	/* Never opened (ENXIO), so never blocked on, and never taken for a
	   missing file (EINVAL would be: the diagnosis is incomplete). */
	assert_int_equal(sfs_read_file(r, "/etc/fifo", 64, &d, &n, NULL), -1);
	assert_int_equal(errno, ENXIO);
	close(r);
	fx_cleanup(&fx);
}

/*
 * A FIFO, socket or device where a file belongs is never opened, even
 * without O_NONBLOCK from the caller (a FIFO would block in open(2), a
 * device act on it); O_PATH still reaches it, to judge it.
 */
static void
test_special_never_opened(void **state)
{
	struct fx fx;
	char p[PATH_MAX];
	struct stat st;
	int r, fd;

	(void)state;
	fx_init(&fx);
	fx_path(&fx, "/etc/fifo", p);
	assert_int_equal(mkfifo(p, 0644), 0);
	r = fx_rootfd(&fx);
	assert_int_equal(sfs_open(r, "/etc/fifo", O_RDONLY, &st), -1);
	assert_int_equal(errno, ENXIO);
	assert_int_equal(sfs_open(r, "/etc/fifo", O_RDONLY, NULL), -1);
	assert_int_equal(errno, ENXIO);
	fd = sfs_open(r, "/etc/fifo", O_PATH, &st);
	assert_true(fd >= 0 && S_ISFIFO(st.st_mode));
	close(fd);
	/* Nobody holds it open for reading: a writer finds no reader. */
	fd = open(p, O_WRONLY | O_NONBLOCK);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, ENXIO);
	fx_path(&fx, "/etc/null", p);
	if (mknod(p, S_IFCHR | 0644, makedev(1, 3)) == 0) {
		assert_int_equal(sfs_open(r, "/etc/null", O_RDONLY, &st), -1);
		assert_int_equal(errno, ENXIO);
	}
	close(r);
	fx_cleanup(&fx);
}

static void
test_open_parent(void **state)
{
	struct fx fx;
	const char *leaf;
	struct stat st;
	int r, d;

	(void)state;
	fx_init(&fx);
	r = fx_rootfd(&fx);
	d = sfs_open_parent(r, "/home/alice/.ssh", &leaf);
	assert_true(d >= 0);
	assert_string_equal(leaf, ".ssh");
	assert_int_equal(fstatat(d, leaf, &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISDIR(st.st_mode));
	close(d);
	assert_int_equal(sfs_open_parent(r, "/home/alice/..", &leaf), -1);
	assert_int_equal(sfs_open_parent(r, "/home/alice/", &leaf), -1);
	close(r);
	fx_cleanup(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_user_symlink_middle),
		cmocka_unit_test(test_user_symlink_leaf),
		cmocka_unit_test(test_root_symlink_stays_inside),
		cmocka_unit_test(test_opath_leaf_link),
		cmocka_unit_test(test_root_link_in_user_dir),
		cmocka_unit_test(test_dotdot_clamped),
		cmocka_unit_test(test_fifo_no_hang),
		cmocka_unit_test(test_special_never_opened),
		cmocka_unit_test(test_open_parent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
