/* Snapshot writer/reader, manifests, and hostile archives. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>

#include <signal.h>
#include <sys/wait.h>

#include "os/lock.h"
#include "fixture.h"
#include "exec/service.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshot_int.h"
#include "os/stop.h"

static struct fx fx;
static int rfd = -1, sdfd = -1;
static char rid[ROOTID_LEN + 1];

static void
new_snap(struct snapshot *s)
{
	snapshot_init(s, "apply");
	memcpy(s->rootid, rid, sizeof(rid));
}

static int
setup(void **state)
{
	(void)state;
	fx_init(&fx);
	rfd = open(fx.root, O_RDONLY | O_DIRECTORY);
	sdfd = snapdir_open(rfd, NULL, 1);
	if (rfd < 0 || sdfd < 0 || rootid_get(rfd, 1, rid) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(sdfd);
	close(rfd);
	fx_cleanup(&fx);
	return 0;
}

/* Every entry of the root but sshfix's own files, as text. */
static char *
tree(void)
{
	char cmd[PATH_MAX + 200], *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len), *p;
	int c;

	snprintf(cmd, sizeof(cmd), "cd %s && find . -path ./var/lib -prune "
	    "-o -printf '%%p %%m %%U:%%G %%s %%T@\\n' | sort && find . -path "
	    "./var/lib -prune -o -type f -exec sha256sum {} + | sort",
	    fx.root);
	p = popen(cmd, "r");
	while ((c = fgetc(p)) != EOF)
		fputc(c, out);
	pclose(p);
	fclose(out);
	return buf;
}

/* The tree is as BEFORE says; frees BEFORE. */
static void
same_tree(char *before)
{
	char *now = tree();

	assert_string_equal(before, now);
	free(now);
	free(before);
}

static void
test_write_restore(void **state)
{
	struct snapshot s, l;
	char *before, *after, **changed;

	(void)state;
	before = tree();
	new_snap(&s);
	snapshot_add_finding(&s, "home-perms", "/root");
	snapshot_add_path(&s, "/root", 1);
	snapshot_add_path(&s, "/etc/ssh/sshd_config", 1);
	snapshot_add_path(&s, "/etc/ssh", 1);
	snapshot_add_path(&s, "/etc/ssh/new", 0);
	assert_int_equal(snapshot_write(rfd, sdfd, &s), 0);
	/* The change. */
	fx_chmod(&fx, "/root", 0755);
	fx_write(&fx, "/etc/ssh/sshd_config", "PasswordAuthentication yes\n",
	    0600, 0, 0);
	fx_write(&fx, "/etc/ssh/new", "new\n", 0644, 0, 0);
	assert_int_equal(snapshot_write_after(rfd, sdfd, &s), 0);
	assert_int_equal(snapshot_set_state(sdfd, &s, "applied"), 0);
	changed = snapshot_changed(rfd, sdfd, &s);
	assert_non_null(changed);
	assert_null(changed[0]);
	free(changed);
	/* Read back: the newest applied one. */
	assert_int_equal(snapshot_load(sdfd, NULL, &l), 0);
	assert_string_equal(l.id, s.id);
	assert_string_equal(l.state, "applied");
	assert_int_equal(l.npaths, 4);
	assert_string_equal(l.findings[0], "home-perms /root");
	assert_int_equal(snapshot_restore(rfd, sdfd, &l, rid), 0);
	after = tree();
	assert_string_equal(before, after);
	free(before);
	free(after);
	snapshot_free(&l);
	snapshot_free(&s);
}

static void
test_changed_since(void **state)
{
	struct snapshot s;
	char **changed;

	(void)state;
	new_snap(&s);
	snapshot_add_path(&s, "/root/.ssh/authorized_keys", 1);
	snapshot_add_path(&s, "/root/.ssh/gone", 0);
	assert_int_equal(snapshot_write(rfd, sdfd, &s), 0);
	assert_int_equal(snapshot_write_after(rfd, sdfd, &s), 0);
	fx_write(&fx, "/root/.ssh/authorized_keys", FX_KEY "\n" FX_KEY "\n",
	    0600, 0, 0);		/* ssh-copy-id ran */
	fx_write(&fx, "/root/.ssh/gone", "", 0600, 0, 0);
	changed = snapshot_changed(rfd, sdfd, &s);
	assert_non_null(changed);
	assert_string_equal(changed[0], "/root/.ssh/authorized_keys");
	assert_string_equal(changed[1], "/root/.ssh/gone");
	assert_null(changed[2]);
	for (size_t i = 0; changed[i] != NULL; i++)
		free(changed[i]);
	free(changed);
	snapshot_free(&s);
}

static void
test_modes(void **state)
{
	struct stat st;
	struct snapshot s;
	char p[PATH_MAX + 64];
	int n;

	(void)state;
	new_snap(&s);
	snapshot_add_path(&s, "/etc/ssh/ssh_host_rsa_key", 1);
	assert_int_equal(snapshot_write(rfd, sdfd, &s), 0);
	assert_int_equal(fstat(sdfd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	n = snprintf(p, sizeof(p), "%s%s/%s.tar", fx.root, SNAPSHOT_DIR, s.id);
	assert_true(n > 0 && (size_t)n < sizeof(p));
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	snapshot_free(&s);
}

static void
snap_file(const char *id, const char *suffix, char p[PATH_MAX + 64])
{
	assert_true(snprintf(p, PATH_MAX + 64, "%s%s/%s.%s", fx.root,
	    SNAPSHOT_DIR, id, suffix) < PATH_MAX + 64);
}

/*
 * Seal snapshot ID as it is now (an empty before-manifest if it has
 * none), so that what is tested is the check behind the seal.
 */
static void
seal_as_is(const char *id)
{
	struct snapshot s;
	char p[PATH_MAX + 64];
	FILE *f;

	snap_file(id, "before.mtree", p);
	if (access(p, F_OK) == -1) {
		assert_non_null(f = fopen(p, "w"));
		fputs("#mtree\n", f);
		fclose(f);
	}
	memset(&s, 0, sizeof(s));
	snprintf(s.id, sizeof(s.id), "%s", id);
	snap_file(id, "after.mtree", p);
	assert_int_equal(seal_write(sdfd, &s, access(p, F_OK) == 0), 0);
}

/* Write ID.tar by hand: the meta lists LISTED, entry NAME follows. */
static void
hostile(const char *id, const char *listed, const char *name, unsigned type)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	char meta[256], p[PATH_MAX + 64];
	int n;

	n = snprintf(meta, sizeof(meta), "sshfix-snapshot 1\nid %s\ncreated 1\n"
	    "kind apply\nof -\npath present %s\n", id, listed);
	assert_true(snprintf(p, sizeof(p), "%s%s/%s.tar", fx.root,
	    SNAPSHOT_DIR, id) < (int)sizeof(p));
	archive_write_set_format_pax(a);
	assert_int_equal(archive_write_open_filename(a, p), ARCHIVE_OK);
	archive_entry_set_pathname(e, "sshfix-meta");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_size(e, n);
	archive_write_header(a, e);
	archive_write_data(a, meta, (size_t)n);
	archive_entry_clear(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, 0666);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, "/etc/shadow");
	archive_entry_set_size(e, type == AE_IFREG ? 5 : 0);
	archive_write_header(a, e);
	if (type == AE_IFREG)
		archive_write_data(a, "evil\n", 5);
	archive_write_close(a);
	archive_write_free(a);
	archive_entry_free(e);
	seal_as_is(id);
}

static void
test_hostile_archives(void **state)
{
	static const struct {
		const char *listed;
		const char *name;
		unsigned type;
	} bad[] = {
		/* The meta itself names the ".." path: still refused. */
		{ "/etc/../etc/passwd", "files/etc/../etc/passwd", AE_IFREG },
		{ "/home/../../../etc/passwd", "files/home/../../../etc/passwd",
		    AE_IFREG },
		{ "/etc/passwd", "/etc/passwd", AE_IFREG },
		{ "/etc/passwd", "files/etc/passwd", AE_IFLNK },
		{ "/etc/passwd", "files/etc/shadow", AE_IFREG },
		{ "/etc/./passwd", "files/etc/./passwd", AE_IFREG },
	};
	struct snapshot s;
	char *before = tree(), *after, id[32];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		snprintf(id, sizeof(id), "20990101T00000%zuZ", i);
		hostile(id, bad[i].listed, bad[i].name, bad[i].type);
		assert_int_equal(snapshot_load(sdfd, id, &s), 0);
		assert_int_equal(snapshot_restore(rfd, sdfd, &s, NULL), -1);
		assert_non_null(strstr(err_get(), "refused"));
		assert_null(strstr(err_get(), "seal"));
		snapshot_free(&s);
	}
	after = tree();
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(snapshot_load(sdfd, "../../etc", &s), -1);
}

/* A chmod needs only metadata: a 2 GB sparse file costs nothing. */
static void
test_metadata_only(void **state)
{
	struct snapshot s, l;
	struct stat st;
	char p[PATH_MAX + 64], *before;

	(void)state;
	fx_path(&fx, "/home/alice/.ssh/authorized_keys", p);
	assert_int_equal(truncate(p, 2LL << 30), 0);
	fx_chmod(&fx, "/home/alice/.ssh/authorized_keys", 0666);
	before = tree();
	new_snap(&s);
	snapshot_add_path(&s, "/home/alice/.ssh/authorized_keys", SNAP_META);
	assert_int_equal(snapshot_write(rfd, sdfd, &s), 0);
	snap_file(s.id, "tar", p);
	assert_int_equal(stat(p, &st), 0);
	assert_true(st.st_size < 64 * 1024);
	fx_chmod(&fx, "/home/alice/.ssh/authorized_keys", 0600);
	assert_int_equal(snapshot_write_after(rfd, sdfd, &s), 0);
	assert_int_equal(snapshot_load(sdfd, s.id, &l), 0);
	assert_int_equal(l.paths[0].content, 0);
	assert_int_equal(snapshot_restore(rfd, sdfd, &l, rid), 0);
	same_tree(before);
	/* Gone since: only metadata was kept, so nothing is restored. */
	fx_chmod(&fx, "/home/alice/.ssh/authorized_keys", 0600);
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	assert_int_equal(snapshot_restore(rfd, sdfd, &l, rid), -1);
	assert_non_null(strstr(err_get(), "only its metadata"));
	snapshot_free(&l);
	snapshot_free(&s);
}

/* A file sshfix rewrites is kept whole, up to SNAP_FILE_MAX. */
static void
test_content_bound(void **state)
{
	struct snapshot s;
	char p[PATH_MAX + 64];
	DIR *d;
	struct dirent *de;
	int n = 0;

	(void)state;
	fx_path(&fx, "/etc/ssh/sshd_config", p);
	assert_int_equal(truncate(p, SNAP_FILE_MAX + 1), 0);
	new_snap(&s);
	snapshot_add_path(&s, "/etc/ssh/sshd_config", SNAP_CONTENT);
	assert_int_equal(snapshot_write(rfd, sdfd, &s), -1);
	assert_non_null(strstr(err_get(), "refused"));
	/* Nothing is left behind in the snapshot directory. */
	assert_non_null(d = fdopendir(dup(sdfd)));
	rewinddir(d);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(n, 0);
	snapshot_free(&s);
}

/* A snapshot for the tests below: /root's mode and sshd_config. */
static void
two_paths(struct snapshot *s)
{
	new_snap(s);
	snapshot_add_path(s, "/root", SNAP_META);
	snapshot_add_path(s, "/etc/ssh/sshd_config", SNAP_CONTENT);
	assert_int_equal(snapshot_write(rfd, sdfd, s), 0);
	fx_chmod(&fx, "/root", 0777);
	fx_write(&fx, "/etc/ssh/sshd_config", "PermitRootLogin yes\n", 0644,
	    0, 0);
	assert_int_equal(snapshot_write_after(rfd, sdfd, s), 0);
}

/* Rewrite ID.tar keeping the meta and the entries KEEP says yes to. */
static void
rewrite_tar(const char *id, int (*keep)(struct archive_entry *))
{
	struct archive *in = archive_read_new(), *out = archive_write_new();
	struct archive_entry *e;
	char p[PATH_MAX + 64], q[PATH_MAX + 80], buf[65536];
	la_ssize_t n;
	int fd;

	snap_file(id, "tar", p);
	snprintf(q, sizeof(q), "%s.new", p);
	archive_read_support_format_tar(in);
	assert_true((fd = open(p, O_RDONLY)) >= 0);
	assert_int_equal(archive_read_open_fd(in, fd, 10240), ARCHIVE_OK);
	archive_write_set_format_pax(out);
	assert_int_equal(archive_write_open_filename(out, q), ARCHIVE_OK);
	while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), "sshfix-meta") != 0 &&
		    !keep(e))
			continue;
		archive_write_header(out, e);
		while ((n = archive_read_data(in, buf, sizeof(buf))) > 0)
			archive_write_data(out, buf, (size_t)n);
	}
	archive_read_free(in);
	close(fd);
	archive_write_close(out);
	archive_write_free(out);
	assert_int_equal(rename(q, p), 0);
	seal_as_is(id);
}

static int
drop_root(struct archive_entry *e)
{
	return strcmp(archive_entry_pathname(e), "files/root/") != 0 &&
	    strcmp(archive_entry_pathname(e), "files/root") != 0;
}

static int
setuid_config(struct archive_entry *e)
{
	if (strcmp(archive_entry_pathname(e), "files/etc/ssh/sshd_config") ==
	    0)
		archive_entry_set_perm(e, 04755);
	return 1;
}

/* Truncated, incomplete, foreign or edited: refused, nothing restored. */
static void
test_refused_whole(void **state)
{
	struct snapshot s, l;
	char p[PATH_MAX + 64], *after;
	struct stat st;

	(void)state;
	two_paths(&s);
	after = tree();
	assert_int_equal(snapshot_load(sdfd, s.id, &l), 0);
	/* Another root's id. */
	assert_int_equal(snapshot_restore(rfd, sdfd, &l,
	    "0123456789abcdef0123456789abcdef"), -1);
	assert_non_null(strstr(err_get(), "another system"));
	/* Truncated: the seal no longer matches. */
	snap_file(s.id, "tar", p);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(truncate(p, st.st_size / 2), 0);
	assert_int_equal(snapshot_restore(rfd, sdfd, &l, rid), -1);
	assert_non_null(strstr(err_get(), "does not match its seal"));
	snapshot_free(&l);
	snapshot_free(&s);
	/* A listed path missing from the archive, even when resealed. */
	two_paths(&s);
	free(after);
	after = tree();
	rewrite_tar(s.id, drop_root);
	assert_int_equal(snapshot_load(sdfd, s.id, &l), 0);
	assert_int_equal(snapshot_restore(rfd, sdfd, &l, rid), -1);
	assert_non_null(strstr(err_get(), "incomplete"));
	snapshot_free(&l);
	snapshot_free(&s);
	/* A set-id bit the before-manifest did not record. */
	same_tree(after);
	two_paths(&s);
	after = tree();
	rewrite_tar(s.id, setuid_config);
	assert_int_equal(snapshot_load(sdfd, s.id, &l), 0);
	assert_int_equal(snapshot_restore(rfd, sdfd, &l, rid), -1);
	assert_non_null(strstr(err_get(), "not what the manifest recorded"));
	fx_path(&fx, "/etc/ssh/sshd_config", p);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	same_tree(after);
	snapshot_free(&l);
	snapshot_free(&s);
}

/* Ids order by timestamp, then N as a number; forged ones still sort. */
static void
test_id_order(void **state)
{
	static const char *const asc[] = { "20231114T221319Z-12",
		"20231114T221320Z", "20231114T221320Z-2", "20231114T221320Z-9",
		"20231114T221320Z-10", "20231114T221320Z-11",
		"20231114T221320Z-100", "20231114T221320Z-T",
		"20231114T221321Z" };
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_LEN(asc); i++)
		for (j = 0; j < ARRAY_LEN(asc); j++) {
			int c = snapshot_id_cmp(asc[i], asc[j]);

			if ((i < j && c >= 0) || (i == j && c != 0) ||
			    (i > j && c <= 0))
				fail_msg("%s vs %s: %d", asc[i], asc[j], c);
		}
}

/* The root's lock as a FIFO: refused by name, never opened. */
static void
test_lock_fifo(void **state)
{
	const char *path, *why;
	char p[PATH_MAX];

	(void)state;
	fx_path(&fx, "/var/lib/sshfix/lock", p);
	assert_int_equal(unlink(p) == 0 || errno == ENOENT, 1);
	assert_int_equal(mkfifo(p, 0600), 0);
	alarm(10);
	assert_int_equal(lock_busy(rfd), -1);
	assert_int_equal(lock_root(rfd), -1);
	alarm(0);
	assert_int_equal(err_refused(&path, &why), 1);
	assert_string_equal(path, "/var/lib/sshfix/lock");
	assert_string_equal(why, "a FIFO, not a regular file; refused");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(lock_busy(rfd), 0);
}

/* A store file judged by its name: its id and bound. */
static void
test_store_names(void **state)
{
	char *id;

	(void)state;
	assert_int_equal(snap_file_max("20231114T221320Z.tar"),
	    SNAP_ARCHIVE_MAX);
	assert_int_equal(snap_file_max("20231114T221320Z-2.after.mtree"),
	    SNAP_MANIFEST_MAX);
	assert_int_equal(snap_file_max(".20231114T221320Z.state.tmp"),
	    SNAP_STATE_MAX);
	assert_int_equal(snap_file_max("20231114T221320Z.state.tmp"),
	    SIZE_MAX);
	assert_int_equal(snap_file_max("lock"), SIZE_MAX);
	assert_non_null(id = snap_file_id(".20231114T221320Z-3.seal.tmp"));
	assert_string_equal(id, "20231114T221320Z-3");
	free(id);
	assert_null(snap_file_id("20231114T221320Z.tar.old"));
}

/*
 * A FIFO in place of any file of a snapshot: refused by name when the
 * store is opened, and by snap_open on a store already open, without
 * blocking (alarm: a regression fails instead of hanging).
 */
static void
test_store_fifo(void **state)
{
	static const char *const sfx[] = { "state", "tar", "before.mtree",
		"after.mtree", "seal" };
	struct snapshot s;
	const char *path, *why;
	char p[PATH_MAX + 64], keep[PATH_MAX + 80];
	size_t i;

	(void)state;
	two_paths(&s);
	assert_int_equal(snapshot_set_state(sdfd, &s, "applied"), 0);
	alarm(10);
	for (i = 0; i < ARRAY_LEN(sfx); i++) {
		snap_file(s.id, sfx[i], p);
		snprintf(keep, sizeof(keep), "%s.keep", p);
		assert_int_equal(rename(p, keep), 0);
		assert_int_equal(mkfifo(p, 0600), 0);
		assert_int_equal(snapdir_open(rfd, NULL, 0), -1);
		assert_int_equal(err_refused(&path, &why), 1);
		assert_non_null(strstr(path, sfx[i]));
		assert_string_equal(why, "a FIFO, not a regular file; refused");
		assert_int_equal(snap_open(sdfd, s.id, sfx[i]), -1);
		assert_int_equal(errno, EUCLEAN);
		/* The check reads every sealed file (not the state). */
		if (i > 0)
			assert_int_equal(snapshot_check(sdfd, &s, rid), -1);
		assert_int_equal(unlink(p), 0);
		assert_int_equal(rename(keep, p), 0);
	}
	alarm(0);
	assert_int_equal(snapshot_check(sdfd, &s, rid), 0);
	snapshot_free(&s);
}

/*
 * A sparse archive past SNAP_ARCHIVE_MAX: refused on its st_size before
 * a byte is hashed (alarm: hashing 1 TiB would take minutes).
 */
static void
test_store_size(void **state)
{
	struct snapshot s;
	char p[PATH_MAX + 64];
	int fd;

	(void)state;
	two_paths(&s);
	snap_file(s.id, "tar", p);
	assert_int_equal(truncate(p, 1LL << 40), 0);
	alarm(10);
	assert_int_equal(snapshot_check(sdfd, &s, rid), -1);
	assert_non_null(strstr(err_get(), "1099511627776 bytes"));
	assert_int_equal(snapdir_open(rfd, NULL, 0), -1);
	assert_non_null(strstr(err_get(), ".tar: 1099511627776 bytes"));
	alarm(0);
	assert_int_equal(unlink(p), 0);
	/* Nor is one that large ever written. */
	assert_true((fd = snap_create(sdfd, p + strlen(p) -
	    strlen(s.id) - 4)) >= 0);
	assert_int_equal(ftruncate(fd, SNAP_ARCHIVE_MAX + 1LL), 0);
	assert_int_equal(snap_finish(sdfd, fd, p + strlen(p) - strlen(s.id) -
	    4), -1);
	assert_non_null(strstr(err_get(), "refused"));
	assert_int_equal(unlink(p), 0);
	snapshot_free(&s);
}

/*
 * A signal stops the reading before the first change (stop_reading);
 * after stop_hold the same check runs to its end. In a child: the
 * signal caught stays caught.
 */
static void
test_store_signal(void **state)
{
	struct snapshot s;
	int st;
	pid_t pid;

	(void)state;
	two_paths(&s);
	if ((pid = fork()) == 0) {
		stop_catch();
		raise(SIGTERM);
		if (snapshot_check(sdfd, &s, rid) != -1 ||
		    strstr(err_get(), "interrupted by SIGTERM") == NULL ||
		    snapdir_open(rfd, NULL, 0) != -1)
			_exit(1);
		stop_hold();
		_exit(snapshot_check(sdfd, &s, rid) == 0 ? 0 : 2);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	snapshot_free(&s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_write_restore),
		T(test_changed_since),
		T(test_modes),
		T(test_hostile_archives),
		T(test_metadata_only),
		T(test_content_bound),
		T(test_refused_whole),
		T(test_store_fifo),
		T(test_store_size),
		T(test_store_signal),
		T(test_lock_fifo),
		cmocka_unit_test(test_id_order),
		cmocka_unit_test(test_store_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
