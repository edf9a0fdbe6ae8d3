/* The one module that changes targets: hostile paths are refused. */
#include "fixture.h"
#include <sys/xattr.h>

#include "os/safewrite.h"

static struct fx fx;
static int rfd = -1;

static int
setup(void **state)
{
	(void)state;
	fx_init(&fx);
	rfd = open(fx.root, O_RDONLY | O_DIRECTORY);
	return rfd >= 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	close(rfd);
	fx_cleanup(&fx);
	return 0;
}

static mode_t
mode_of(const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	fx_path(&fx, rel, p);
	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

static void
test_chmod_chown(void **state)
{
	char p[PATH_MAX];
	struct stat st;

	(void)state;
	assert_int_equal(sfw_chmod(rfd, "/root", 0700, 0750), 0);
	assert_int_equal(mode_of("/root"), 0750);
	/* The plan said 0700: the object changed since, refuse. */
	assert_int_equal(sfw_chmod(rfd, "/root", 0700, 0755), -1);
	assert_non_null(strstr(err_get(), "changed since the plan"));
	assert_int_equal(sfw_chown(rfd, "/home/alice/.ssh", 1000, 1000, 0, 0),
	    0);
	fx_path(&fx, "/home/alice/.ssh", p);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(sfw_chown(rfd, "/home/alice/.ssh", 1000, 1000, 0, 0),
	    -1);
}

static void
test_symlink_middle_and_leaf(void **state)
{
	(void)state;
	fx_symlink(&fx, "/etc", "/home/alice/etc", 1000);
	assert_int_equal(sfw_chmod(rfd, "/home/alice/etc/shadow", 0640, 0666),
	    -1);
	assert_int_equal(mode_of("/etc/shadow"), 0640);
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	fx_symlink(&fx, "/etc/shadow", "/home/alice/.ssh/authorized_keys",
	    1000);
	assert_int_equal(sfw_chmod(rfd, "/home/alice/.ssh/authorized_keys",
	    0640, 0600), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(sfw_write_file(rfd, "/home/alice/.ssh/authorized_keys",
	    "x", 1, 0600, 1000, 1000, NULL, NULL), -1);
	assert_int_equal(mode_of("/etc/shadow"), 0640);
}

static void
test_hard_link(void **state)
{
	char a[PATH_MAX], b[PATH_MAX];

	(void)state;
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	fx_path(&fx, "/etc/shadow", a);
	fx_path(&fx, "/home/alice/.ssh/authorized_keys", b);
	assert_int_equal(link(a, b), 0);
	assert_int_equal(sfw_chmod(rfd, "/home/alice/.ssh/authorized_keys",
	    0640, 0600), -1);
	assert_int_equal(errno, EMLINK);
	/*
	 * In a directory only root writes (root's own ~/.ssh) too: the
	 * other name is still /etc/shadow. Neither its mode, owner nor
	 * content may change through this name.
	 */
	fx_unlink(&fx, "/root/.ssh/authorized_keys");
	fx_path(&fx, "/root/.ssh/authorized_keys", b);
	assert_int_equal(link(a, b), 0);
	assert_int_equal(sfw_chmod(rfd, "/root/.ssh/authorized_keys", 0640,
	    0600), -1);
	assert_int_equal(errno, EMLINK);
	assert_int_equal(sfw_chown(rfd, "/root/.ssh/authorized_keys", 0, 0,
	    1000, 1000), -1);
	assert_int_equal(errno, EMLINK);
	assert_int_equal(sfw_set_meta(rfd, "/root/.ssh/authorized_keys", 0644,
	    1000, 1000, NULL, NULL), -1);
	assert_int_equal(sfw_write_file(rfd, "/root/.ssh/authorized_keys",
	    "x", 1, 0600, 0, 0, NULL, NULL), -1);
	assert_int_equal(errno, EMLINK);
	{
		struct stat st;

		assert_int_equal(lstat(a, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0640);
		assert_int_equal(st.st_uid, 0);
		assert_int_equal(st.st_nlink, 3);
	}
}

static void
test_fifo(void **state)
{
	char p[PATH_MAX];

	(void)state;
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	fx_path(&fx, "/home/alice/.ssh/authorized_keys", p);
	assert_int_equal(mkfifo(p, 0666), 0);
	assert_int_equal(sfw_chmod(rfd, "/home/alice/.ssh/authorized_keys",
	    0666, 0600), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(sfw_write_file(rfd, "/home/alice/.ssh/authorized_keys",
	    "x", 1, 0600, 1000, 1000, NULL, NULL), -1);
}

static void
test_write_file(void **state)
{
	struct timespec mt = { 1700000000, 123456789 };
	char p[PATH_MAX], buf[64];
	struct stat st;
	FILE *fp;
	DIR *d;
	struct dirent *de;

	(void)state;
	assert_int_equal(sfw_write_file(rfd, "/etc/ssh/new.conf", "Port 22\n",
	    8, 0640, 1000, 100, &mt, NULL), 0);
	fx_path(&fx, "/etc/ssh/new.conf", p);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(st.st_gid, 100);
	assert_int_equal(st.st_mtim.tv_sec, mt.tv_sec);
	assert_int_equal(st.st_mtim.tv_nsec, mt.tv_nsec);
	fp = fopen(p, "r");
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "Port 22\n");
	/* No temporary file is left behind. */
	fx_path(&fx, "/etc/ssh", p);
	d = opendir(p);
	while ((de = readdir(d)) != NULL)
		assert_null(strstr(de->d_name, ".sshfix-"));
	closedir(d);
}

static void
test_mkdir_remove(void **state)
{
	(void)state;
	assert_int_equal(sfw_mkdir(rfd, "/home/bob", 0700, 1001, 1001), 0);
	assert_int_equal(mode_of("/home/bob"), 0700);
	assert_int_equal(sfw_mkdir(rfd, "/home/bob", 0700, 1001, 1001), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(sfw_mkdir_p(rfd, "/var/lib/sshfix/snapshots", 0700),
	    0);
	assert_int_equal(mode_of("/var"), 0755);
	assert_int_equal(mode_of("/var/lib/sshfix/snapshots"), 0700);
	assert_int_equal(sfw_remove(rfd, "/home/bob"), 0);
	assert_int_equal(sfw_remove(rfd, "/home/bob"), 0);	/* gone: ok */
	assert_int_equal(sfw_remove(rfd, "/home/alice"), -1);	/* not empty */
}

static int
exists(const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	fx_path(&fx, rel, p);
	return lstat(p, &st) == 0;
}

/*
 * A crash's scratch goes by name, and nothing else: temp files of one
 * tag only, regular files only; a staging tree whole, its links removed,
 * never followed.
 */
static void
test_scratch(void **state)
{
	char n[SFW_TEMP_MAX];

	(void)state;
	sfw_set_tag("20261122T101010Z");
	sfw_temp_name(n, sizeof(n), 3);
	assert_string_equal(n, ".sshfix-20261122T101010Z.3.tmp");
	fx_write(&fx, "/etc/ssh/.sshfix-20261122T101010Z.0.tmp", "x", 0600,
	    0, 0);
	fx_write(&fx, "/etc/ssh/.sshfix-20261122T101010Z-2.0.tmp", "x", 0600,
	    0, 0);	/* another snapshot's */
	fx_write(&fx, "/etc/ssh/.sshfix-20261122T101010Z.tmp", "x", 0600,
	    0, 0);	/* not a name sshfix makes */
	fx_mkdir(&fx, "/etc/ssh/.sshfix-20261122T101010Z.1.tmp", 0700, 0, 0);
	assert_int_equal(sfw_remove_temps(rfd, "/etc/ssh",
	    "20261122T101010Z"), 0);
	assert_false(exists("/etc/ssh/.sshfix-20261122T101010Z.0.tmp"));
	assert_true(exists("/etc/ssh/.sshfix-20261122T101010Z-2.0.tmp"));
	assert_true(exists("/etc/ssh/.sshfix-20261122T101010Z.tmp"));
	assert_true(exists("/etc/ssh/.sshfix-20261122T101010Z.1.tmp"));
	sfw_set_tag(NULL);

	fx_mkdir(&fx, "/etc/ssh/.sshfix-keygen", 0700, 0, 0);
	fx_mkdir(&fx, "/etc/ssh/.sshfix-keygen/etc", 0700, 0, 0);
	fx_write(&fx, "/etc/ssh/.sshfix-keygen/etc/k.XXXXXXXXXX", "k", 0600,
	    0, 0);
	fx_symlink(&fx, "/home/alice", "/etc/ssh/.sshfix-keygen/etc/l", 0);
	fx_symlink(&fx, "../../../home/alice",
	    "/etc/ssh/.sshfix-keygen/rel", 0);
	assert_int_equal(sfw_remove_tree(rfd, "/etc/ssh/.sshfix-keygen"), 0);
	assert_false(exists("/etc/ssh/.sshfix-keygen"));
	assert_true(exists("/home/alice/.ssh/authorized_keys"));
	assert_int_equal(sfw_remove_tree(rfd, "/etc/ssh/.sshfix-keygen"), 0);
	/* A link as the tree itself is removed, not followed. */
	fx_symlink(&fx, "/home/alice", "/etc/ssh/.sshfix-keygen", 0);
	assert_int_equal(sfw_remove_tree(rfd, "/etc/ssh/.sshfix-keygen"), 0);
	assert_true(exists("/home/alice/.ssh/authorized_keys"));
}

/* A relabel checks the label the plan saw; a restore of metadata sets
 * exactly the attributes kept, removing those added since. */
static void
test_relabel_xattrs(void **state)
{
	const char *k = "/home/alice/.ssh/authorized_keys";
	struct sfw_xattrs kept = { 0 };
	char p[PATH_MAX], v[64];
	struct stat st;
	ssize_t n;
	int fd;

	(void)state;
	fx_path(&fx, k, p);
	if (setxattr(p, "trusted.sshfix-test", "a", 1, 0) == -1) {
		skip();		/* no trusted xattrs here (not root?) */
		return;
	}
	/* No label yet: "" is what the plan saw. */
	assert_int_equal(sfw_relabel(rfd, k, "x_u:object_r:x_t:s0", "y"), -1);
	assert_non_null(strstr(err_get(), "changed since the plan"));
	assert_int_equal(sfw_relabel(rfd, k, "", "u:object_r:ssh_home_t:s0"),
	    0);
	n = getxattr(p, "security.selinux", v, sizeof(v));
	assert_int_equal(n, (ssize_t)sizeof("u:object_r:ssh_home_t:s0"));
	assert_string_equal(v, "u:object_r:ssh_home_t:s0");
	assert_int_equal(sfw_relabel(rfd, k, "", "z"), -1);
	/* Keep trusted.sshfix-test only; then add another and restore. */
	assert_int_equal(removexattr(p, "security.selinux"), 0);
	fd = open(p, O_RDONLY);
	assert_true(fd != -1);
	assert_int_equal(sfw_get_xattrs(fd, &kept), 0);
	close(fd);
	assert_int_equal(setxattr(p, "trusted.added", "b", 1, 0), 0);
	assert_int_equal(setxattr(p, "trusted.sshfix-test", "c", 1, 0), 0);
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(sfw_set_meta(rfd, k, st.st_mode, st.st_uid,
	    st.st_gid, NULL, &kept), 0);
	assert_int_equal(getxattr(p, "trusted.added", v, sizeof(v)), -1);
	assert_int_equal(getxattr(p, "trusted.sshfix-test", v, sizeof(v)), 1);
	assert_int_equal(v[0], 'a');
	sfw_xattrs_free(&kept);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_chmod_chown),
		T(test_symlink_middle_and_leaf),
		T(test_hard_link),
		T(test_fifo),
		T(test_write_file),
		T(test_mkdir_remove),
		T(test_scratch),
		T(test_relabel_xattrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
