/* Account files under a root: fgetpwent and friends, never the host. */
#include "fixture.h"
#include "target/accounts/accounts.h"
#include "target/accounts/sysusers.h"

static int
open_root(struct fx *fx, struct accounts *a)
{
	int fd = open(fx->root, O_RDONLY | O_DIRECTORY);

	assert_true(fd >= 0);
	return accounts_open(a, fd, NULL) == 0 ? fd : (close(fd), -1);
}

static void
test_lookup(void **state)
{
	struct fx fx;
	struct accounts a;
	struct account acc;
	int fd;

	(void)state;
	fx_init(&fx);
	fd = open_root(&fx, &a);
	assert_true(fd >= 0);
	assert_int_equal(accounts_getpwnam(&a, "alice", &acc), 0);
	assert_int_equal(acc.uid, 1000);
	assert_string_equal(acc.home, "/home/alice");
	account_free(&acc);
	assert_int_equal(accounts_getpwnam(&a, "mallory", &acc), 1);
	assert_int_equal(accounts_getpwuid(&a, 1001, &acc), 0);
	assert_string_equal(acc.name, "bob");
	account_free(&acc);
	accounts_close(&a);
	close(fd);
	fx_cleanup(&fx);
}

static void
test_malformed_passwd(void **state)
{
	static const char *bad[] = {
		"carol:x:1002\n",			/* missing fields */
		"carol:x:abc:1002::/home/c:/bin/sh\n",	/* uid not a number */
		"carol:x:1002:1002::/home/c:/bin/sh:extra\n",
		":x:1002:1002::/home/c:/bin/sh\n",	/* no name */
	};
	struct fx fx;
	struct accounts a;
	char text[512];
	size_t i;

	(void)state;
	fx_init(&fx);
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		snprintf(text, sizeof(text), "root:x:0:0::/root:/bin/sh\n%s",
		    bad[i]);
		fx_write(&fx, "/etc/passwd", text, 0644, 0, 0);
		assert_int_equal(open_root(&fx, &a), -1);
		assert_non_null(strstr(err_get(), "/etc/passwd line 2"));
	}
	/* Comments, blank lines, CRLF and NIS lines are fine. */
	fx_write(&fx, "/etc/passwd", "# c\n\nroot:x:0:0::/root:/bin/sh\r\n"
	    "+@netgroup::::::\n", 0644, 0, 0);
	i = (size_t)open_root(&fx, &a);
	assert_true((int)i >= 0);
	accounts_close(&a);
	close((int)i);
	fx_cleanup(&fx);
}

/*
 * Budgets (budget.h ACC_*): a passwd over ACC_MAX_FILE, or with a line
 * over ACC_MAX_LINE (one line of NULs is the whole of a sparse file), is
 * an error before a line is kept; a group or shadow over one is noted
 * and not read again. Sizes are checked on st_size: nothing is read.
 */
static void
test_budgets(void **state)
{
	struct unread_list ul = { 0 };
	struct accounts a;
	struct fx fx;
	int fd;

	(void)state;
	fx_init(&fx);
	fd = open(fx.root, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	fx_grow(&fx, "/etc/passwd", (off_t)ACC_MAX_FILE + 1);
	assert_int_equal(accounts_open(&a, fd, &ul), -1);
	assert_non_null(strstr(err_get(), "/etc/passwd: larger than 64 MiB"));
	fx_grow(&fx, "/etc/passwd", (off_t)ACC_MAX_LINE * 2);
	assert_int_equal(accounts_open(&a, fd, &ul), -1);
	assert_non_null(strstr(err_get(), "longer than 1048576 bytes"));
	close(fd);
	fx_cleanup(&fx);
	fx_init(&fx);	/* a fresh root, passwd whole again */
	fd = open(fx.root, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	fx_grow(&fx, "/etc/group", (off_t)ACC_MAX_LINE * 2);
	fx_grow(&fx, "/etc/shadow", (off_t)ACC_MAX_FILE + 1);
	assert_int_equal(accounts_open(&a, fd, &ul), 0);
	assert_int_equal(ul.n, 2);
	assert_string_equal(ul.v[0].path, "/etc/group");
	assert_non_null(strstr(ul.v[0].why, "longer than"));
	assert_string_equal(ul.v[1].path, "/etc/shadow");
	assert_non_null(strstr(ul.v[1].why, "larger than 64 MiB"));
	/* Not read again: no group is found, the hash is unknown. */
	assert_null(accounts_getgrnam(&a, "users"));
	assert_null(accounts_file(&a, ACC_SHADOW));
	assert_int_equal(errno, EFBIG);
	accounts_close(&a);
	unread_free(&ul);
	close(fd);
	fx_cleanup(&fx);
}

/* One rule for a line of passwd, group and shadow. */
static void
test_line_valid(void **state)
{
	static const struct {
		enum acc_file	 which;
		const char	*line;
		size_t		 len;	/* 0: strlen */
		int		 valid;
	} c[] = {
		{ ACC_PASSWD, "root:x:0:0:root:/root:/bin/bash", 0, 1 },
		{ ACC_PASSWD, "carol:x:1002", 0, 0 },
		/* Control bytes are data (escaped on output); a NUL is not. */
		{ ACC_PASSWD, "c\033[2J:x:1:1:\001\002:/home/c\n:/bin/sh", 0,
		    1 },
		{ ACC_PASSWD, "c:x:1:1:\0:/home/c:/bin/sh", 27, 0 },
		{ ACC_PASSWD, "+@netgroup::::::", 0, 1 },
		{ ACC_GROUP, "users:x:100:alice,bob", 0, 1 },
		{ ACC_GROUP, "nobody:x:65534:", 0, 1 },
		{ ACC_GROUP, "users:x:notanumber:alice", 0, 0 },
		{ ACC_GROUP, "users:x:", 0, 0 },		/* 3 fields */
		{ ACC_GROUP, "users:x", 0, 0 },			/* 2 fields */
		{ ACC_GROUP, "users:x:100:alice:bob", 0, 0 },	/* 5 fields */
		{ ACC_GROUP, ":x:100:", 0, 0 },			/* no name */
		{ ACC_GROUP, "users:x::alice", 0, 0 },		/* empty gid */
		{ ACC_GROUP, "users:x:-1:", 0, 0 },
		{ ACC_GROUP, "users:x:12345678901:", 0, 0 },	/* too long */
		{ ACC_GROUP, "users:x:100:al\0ce", 17, 0 },	/* a NUL */
		{ ACC_GROUP, "\x7f\xff\xfe:x:1:", 0, 1 },	/* bytes: data */
		{ ACC_GROUP, "caf\xc3\xa9:x:1:", 0, 1 },	/* UTF-8 name */
		{ ACC_GROUP, "+:::", 0, 1 },			/* NIS */
		{ ACC_GROUP, "+", 0, 0 },
		{ ACC_SHADOW, "root:*:19000:0:99999:7:::", 0, 1 },
		{ ACC_SHADOW, "alice:!:19000::::::", 0, 1 },
		{ ACC_SHADOW, "alice:!:19000::::::1", 0, 1 },
		{ ACC_SHADOW, "alice:!:19000::::::x", 0, 0 },
		{ ACC_SHADOW, "alice:!:soon:0:99999:7:::", 0, 0 },
		{ ACC_SHADOW, "alice:!:19000:0:99999:7::", 0, 0 }, /* 8 */
		{ ACC_SHADOW, "alice:!:19000:0:99999:7::::", 0, 0 }, /* 10 */
		{ ACC_SHADOW, "alice", 0, 0 },
		{ ACC_SHADOW, ":!:19000::::::", 0, 0 },
		{ ACC_SHADOW, "+::::::::", 0, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(c); i++) {
		size_t n = c[i].len ? c[i].len : strlen(c[i].line);

		if (accounts_line_valid(c[i].which, c[i].line, n) !=
		    c[i].valid)
			fail_msg("case %zu \"%s\": want %s", i, c[i].line,
			    c[i].valid ? "valid" : "invalid");
	}
}

/* A bad group or shadow line stops sshfix as a bad passwd line does. */
static void
test_malformed_group_shadow(void **state)
{
	static const struct {
		const char *file, *text, *want;
	} bad[] = {
		{ "/etc/group", "root:x:0:\nusers:x:notanumber:alice\n",
		    "/etc/group line 2: " },
		{ "/etc/group", "root:x:0:\n\nusers:x\n",
		    "/etc/group line 3: " },
		{ "/etc/group", "root:x:0:\n\x01\x02\xff\xfe:\x03\n",
		    "/etc/group line 2: " },
		{ "/etc/shadow", "root:*:19000::::::\nalice:!:19000\n",
		    "/etc/shadow line 2: " },
		{ "/etc/shadow", "# c\nroot:*:x::::::\n",
		    "/etc/shadow line 2: " },
	};
	struct fx fx;
	struct accounts a;
	size_t i;
	int fd;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		fx_init(&fx);
		fx_write(&fx, bad[i].file, bad[i].text, 0640, 0, 0);
		assert_int_equal(open_root(&fx, &a), -1);
		if (strstr(err_get(), bad[i].want) == NULL)
			fail_msg("case %zu: \"%s\"", i, err_get());
		fx_cleanup(&fx);
	}
	/* Comments, blank lines, CRLF and NIS lines are fine. */
	fx_init(&fx);
	fx_write(&fx, "/etc/group", "# c\n\nroot:x:0:\r\n+:::\n", 0644, 0,
	    0);
	fx_write(&fx, "/etc/shadow", "\nroot:*:19000::::::\r\n", 0640, 0, 0);
	fd = open_root(&fx, &a);
	assert_true(fd >= 0);
	accounts_close(&a);
	close(fd);
	/* A missing group or shadow is no error (passwd alone is enough). */
	fx_unlink(&fx, "/etc/group");
	fx_unlink(&fx, "/etc/shadow");
	fd = open_root(&fx, &a);
	assert_true(fd >= 0);
	accounts_close(&a);
	close(fd);
	fx_cleanup(&fx);
}

/* What could not be read: failures only, each path once. */
static void
test_unread_note(void **state)
{
	struct unread_list l = { 0 };

	(void)state;
	unread_note(&l, "/etc/shadow", ENOENT);	/* missing: a fact */
	unread_note(&l, "/etc/shadow", ENOTDIR);
	unread_note(&l, "/etc/shadow", EINVAL);	/* not a regular file */
	unread_note(&l, "/home/a/.ssh/authorized_keys", ELOOP);
	unread_note(&l, "/etc/shadow", 0);
	assert_int_equal(l.n, 0);
	unread_note(&l, "/etc/shadow", EACCES);
	unread_note(&l, "/etc/shadow", EIO);	/* once per path */
	unread_note(&l, "/root/.ssh/authorized_keys", EIO);
	unread_note(NULL, "/etc/group", EACCES);	/* no list: ignored */
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].path, "/etc/shadow");
	assert_int_equal(l.v[0].err, EACCES);
	assert_string_equal(l.v[1].path, "/root/.ssh/authorized_keys");
	assert_int_equal(l.v[1].err, EIO);
	unread_free(&l);
	assert_int_equal(l.n, 0);
}

static void
test_groups(void **state)
{
	struct fx fx;
	struct accounts a;
	struct account acc;
	const char **g;
	unsigned n;
	int fd;

	(void)state;
	fx_init(&fx);
	fd = open_root(&fx, &a);
	assert_int_equal(accounts_getpwnam(&a, "alice", &acc), 0);
	/* Streamed (first lookups) and indexed (later) agree: file order. */
	for (n = 0; n < 2 * ACCOUNTS_STREAMED; n++) {
		g = accounts_user_groups(&a, &acc);
		assert_string_equal(g[0], "alice");
		assert_string_equal(g[1], "users");
		assert_string_equal(g[2], "admins");
		assert_null(g[3]);
		free(g);
	}
	assert_true(a.groups_loaded);
	assert_string_equal(accounts_getgrgid(&a, 998)->name, "ssh_keys");
	assert_null(accounts_getgrgid(&a, 4242));
	assert_int_equal(accounts_getgrnam(&a, "users")->gid, 100);
	for (int i = 0; i < 2 * ACCOUNTS_STREAMED; i++) {
		assert_int_equal(accounts_primary_only(&a, 1000, 1000, &n), 1);
		assert_int_equal(n, 1);
		assert_int_equal(accounts_primary_only(&a, 1000, 1001, &n), 0);
		assert_int_equal(accounts_primary_only(&a, 100, 1000, &n), 1);
		assert_int_equal(n, 0);
	}
	assert_true(a.pgids_loaded);
	account_free(&acc);
	accounts_close(&a);
	close(fd);
	fx_cleanup(&fx);
}

static void
test_passwords(void **state)
{
	struct fx fx;
	struct accounts a;
	struct account acc;
	char *h;
	int fd, unknown;

	(void)state;
	fx_init(&fx);
	fx_write(&fx, "/etc/shadow", "alice:" FX_HASH ":19000::::::\n"
	    "bob:!" FX_HASH ":19000::::::\n", 0640, 0, 0);
	fd = open_root(&fx, &a);
	assert_int_equal(accounts_getpwnam(&a, "alice", &acc), 0);
	h = accounts_password_hash(&a, &acc, &unknown);
	assert_int_equal(unknown, 0);
	assert_true(password_usable(h));
	free(h);
	account_free(&acc);
	assert_int_equal(accounts_getpwnam(&a, "bob", &acc), 0);
	h = accounts_password_hash(&a, &acc, &unknown);
	assert_false(password_usable(h));
	free(h);
	account_free(&acc);
	assert_int_equal(accounts_getpwnam(&a, "root", &acc), 0);
	h = accounts_password_hash(&a, &acc, &unknown);
	assert_null(h);		/* no shadow line for root here */
	account_free(&acc);
	assert_false(password_usable(""));
	assert_false(password_usable("*"));
	assert_false(password_usable("!!"));
	assert_true(password_usable("abcdefghijklm"));	/* DES */
	assert_true(shell_allows_login("/bin/bash"));
	assert_true(shell_allows_login(""));
	assert_false(shell_allows_login("/usr/sbin/nologin"));
	assert_false(shell_allows_login("/bin/false"));
	accounts_close(&a);
	close(fd);
	fx_cleanup(&fx);
}

/* Past 8 lookups shadow is indexed: answers must not change. */
static void
test_shadow_index(void **state)
{
	struct fx fx;
	struct accounts a;
	struct account acc = { .passwd = "x" };
	char text[8192], name[32], *h;
	size_t n = 0;
	int fd, i, unknown;

	(void)state;
	fx_init(&fx);
	n += (size_t)snprintf(text, sizeof(text), "dup:" FX_HASH ":1::::::\n"
	    "dup:!:1::::::\n");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "u%02d:%s:1::::::\n", i, i % 2 ? "!" : FX_HASH);
	fx_write(&fx, "/etc/shadow", text, 0640, 0, 0);
	fd = open_root(&fx, &a);
	for (i = 39; i >= 0; i--) {
		snprintf(name, sizeof(name), "u%02d", i);
		acc.name = name;
		h = accounts_password_hash(&a, &acc, &unknown);
		assert_int_equal(password_usable(h), i % 2 == 0);
		free(h);
	}
	assert_true(a.shadow_loaded);
	acc.name = "dup";		/* the first line wins */
	h = accounts_password_hash(&a, &acc, &unknown);
	assert_true(password_usable(h));
	free(h);
	acc.name = "nobody";
	assert_null(accounts_password_hash(&a, &acc, &unknown));
	assert_string_equal(accounts_uid_name(&a, 1001), "bob");
	assert_null(accounts_uid_name(&a, 4242));
	accounts_close(&a);
	close(fd);
	fx_cleanup(&fx);
}

/*
 * Another account with the same home: streamed for the first lookups,
 * indexed after; both give the first such account in passwd order.
 */
static void
test_home_other(void **state)
{
	struct fx fx;
	struct accounts a;
	int fd, i;

	(void)state;
	fx_init(&fx);
	fx_write(&fx, "/etc/passwd",
	    "root:x:0:0::/root:/bin/bash\n"
	    "alice:x:1000:1000::/home/alice:/bin/bash\n"
	    "bob:x:1001:1001::/home/alice:/bin/bash\n"
	    "carol:x:1002:1002::/home/alice:/bin/bash\n"
	    "alias:x:1000:1000::/home/alice:/bin/bash\n"
	    "dave:x:1003:1003::/home/dave:/bin/bash\n", 0644, 0, 0);
	fd = open_root(&fx, &a);
	for (i = 0; i < 2 * ACCOUNTS_STREAMED; i++) {
		assert_string_equal(accounts_home_other(&a, "/home/alice",
		    1000), "bob");
		assert_string_equal(accounts_home_other(&a, "/home/alice",
		    1001), "alice");
		assert_null(accounts_home_other(&a, "/home/dave", 1003));
		assert_string_equal(accounts_home_other(&a, "/home/dave",
		    1000), "dave");
		assert_null(accounts_home_other(&a, "/home", 1000));
	}
	assert_true(a.homes_loaded);
	accounts_close(&a);
	close(fd);
	fx_cleanup(&fx);
}

/* sysusers.d lines as systemd-sysusers reads them. */
static void
test_sysusers(void **state)
{
	char fifo[PATH_MAX];
	struct fx fx;
	struct sysuser u;
	int fd;

	(void)state;
	fx_init(&fx);
	fd = open(fx.root, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(sysusers_find(fd, "sshd", &u), 0);
	fx_mkdir(&fx, "/usr", 0755, 0, 0);
	fx_mkdir(&fx, "/usr/lib", 0755, 0, 0);
	fx_mkdir(&fx, "/usr/lib/sysusers.d", 0755, 0, 0);
	fx_mkdir(&fx, "/etc/sysusers.d", 0755, 0, 0);
	/* Quotes kept whole with their escapes, "-" unset, u! a u line. */
	fx_write(&fx, "/usr/lib/sysusers.d/a.conf", "# u sshd 1\n"
	    "g sshd 5\n  u! sshd -:nogroup \"sshd \\\"user\\\"\" '/run/s d'\n"
	    "u sshd 7\n", 0644, 0, 0);
	assert_int_equal(sysusers_find(fd, "sshd", &u), 1);
	assert_string_equal(u.id, "-:nogroup");
	assert_string_equal(u.gecos, "sshd \"user\"");
	assert_string_equal(u.home, "/run/s d");
	assert_null(u.shell);
	assert_string_equal(u.file, "/usr/lib/sysusers.d/a.conf");
	sysuser_free(&u);
	/* A name in /etc hides it in /usr/lib; files in name order. */
	fx_write(&fx, "/etc/sysusers.d/a.conf", "u other 9\n", 0644, 0, 0);
	fx_write(&fx, "/usr/lib/sysusers.d/b.conf", "u sshd - - - /bin/sh\n",
	    0644, 0, 0);
	assert_int_equal(sysusers_find(fd, "sshd", &u), 1);
	assert_null(u.id);
	assert_null(u.gecos);
	assert_null(u.home);
	assert_string_equal(u.shell, "/bin/sh");
	assert_string_equal(u.file, "/usr/lib/sysusers.d/b.conf");
	sysuser_free(&u);
	/* A conf file that is a FIFO: cannot read, not "no line". */
	fx_path(&fx, "/usr/lib/sysusers.d/0.conf", fifo);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	assert_int_equal(sysusers_find(fd, "sshd", &u), -1);
	sysuser_free(&u);
	close(fd);
	fx_cleanup(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_malformed_passwd),
		cmocka_unit_test(test_line_valid),
		cmocka_unit_test(test_malformed_group_shadow),
		cmocka_unit_test(test_unread_note),
		cmocka_unit_test(test_budgets),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_passwords),
		cmocka_unit_test(test_shadow_index),
		cmocka_unit_test(test_home_other),
		cmocka_unit_test(test_sysusers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
