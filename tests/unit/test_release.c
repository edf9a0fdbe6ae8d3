/*
 * The table of rules that differ by OpenSSH release: version parsing,
 * the lookup at the table's edges, and the target's version read once
 * from ROOT/usr/sbin/sshd (unknown: TRI_MAYBE, never a guess).
 */
#include "target/load.h"
#include "fixture.h"

#include "target/release.h"

static void
test_parse(void **state)
{
	int ma = -1, mi = -1;

	(void)state;
	assert_int_equal(release_parse("OpenSSH_10.0p2", &ma, &mi), 0);
	assert_int_equal(ma, 10);
	assert_int_equal(mi, 0);
	assert_int_equal(release_parse("OpenSSH_9.2p1 Debian-2+deb12u3",
	    &ma, &mi), 0);
	assert_int_equal(ma, 9);
	assert_int_equal(mi, 2);
	assert_int_equal(release_parse("OpenSSH_7.4p1", &ma, &mi), 0);
	assert_int_equal(ma, 7);
	assert_int_equal(mi, 4);
	assert_int_equal(release_parse("OpenSSH_10.5", &ma, &mi), 0);
	assert_int_equal(mi, 5);
	assert_int_equal(release_parse(NULL, &ma, &mi), -1);
	assert_int_equal(release_parse("", &ma, &mi), -1);
	assert_int_equal(release_parse("garbage", &ma, &mi), -1);
	assert_int_equal(release_parse("OpenSSH_", &ma, &mi), -1);
	assert_int_equal(release_parse("OpenSSH_10", &ma, &mi), -1);
	assert_int_equal(release_parse("OpenSSH_10.", &ma, &mi), -1);
	assert_int_equal(release_parse("OpenSSH_.5", &ma, &mi), -1);
	assert_int_equal(release_parse("OpenSSH_-1.2", &ma, &mi), -1);
	assert_int_equal(release_parse("OpenSSH_99999999999.1", &ma, &mi), -1);
	assert_int_equal(release_parse("openssh_9.2", &ma, &mi), -1);
}

static void
test_table(void **state)
{
	/* DSA host keys: loaded up to 9.6, gone from 10.0, 9.7-9.9 unknown;
	   no kex with a DSA key alone: measured 7.4-9.6 only. */
	static const struct {
		enum release_rule r;
		int ma, mi;
		enum tri want;
	} c[] = {
		{ REL_DSA_HOSTKEY_LOADED, 7, 4, TRI_YES },
		{ REL_DSA_HOSTKEY_LOADED, 9, 2, TRI_YES },
		{ REL_DSA_HOSTKEY_LOADED, 9, 6, TRI_YES },
		{ REL_DSA_HOSTKEY_LOADED, 9, 7, TRI_MAYBE },
		{ REL_DSA_HOSTKEY_LOADED, 9, 9, TRI_MAYBE },
		{ REL_DSA_HOSTKEY_LOADED, 10, 0, TRI_NO },
		{ REL_DSA_HOSTKEY_LOADED, 10, 5, TRI_NO },
		{ REL_DSA_HOSTKEY_LOADED, 11, 0, TRI_NO },
		{ REL_DSA_NO_DEFAULT_KEX, 7, 3, TRI_MAYBE },
		{ REL_DSA_NO_DEFAULT_KEX, 7, 4, TRI_YES },
		{ REL_DSA_NO_DEFAULT_KEX, 9, 6, TRI_YES },
		{ REL_DSA_NO_DEFAULT_KEX, 10, 0, TRI_MAYBE },
		{ REL_PK_DEFAULT_LIST, 8, 9, TRI_MAYBE },
		{ REL_PK_DEFAULT_LIST, 9, 2, TRI_YES },
		{ REL_PK_DEFAULT_LIST, 10, 0, TRI_YES },
		{ REL_PK_DEFAULT_LIST, 10, 5, TRI_MAYBE },
		{ REL_DSA_USERKEY, 9, 1, TRI_MAYBE },
		{ REL_DSA_USERKEY, 9, 2, TRI_YES },
		{ REL_DSA_USERKEY, 9, 6, TRI_MAYBE },
		{ REL_DSA_USERKEY, 10, 0, TRI_NO },
		{ REL_SIGALGS_ALL, 9, 2, TRI_YES },
		{ REL_SIGALGS_ALL, 9, 3, TRI_MAYBE },
		{ REL_SIGALGS_ALL, 10, 0, TRI_NO },
		{ REL__COUNT, 9, 2, TRI_MAYBE },
	};
	enum release_rule r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(c); i++)
		assert_int_equal(release_rule_at(c[i].r, c[i].ma, c[i].mi),
		    c[i].want);
	/* Every rule has one row, with evidence. */
	assert_non_null(release_row(REL_DSA_HOSTKEY_LOADED));
	assert_non_null(release_row(REL_DSA_HOSTKEY_LOADED)->evidence);
	for (r = 0; r < REL__COUNT; r++)
		assert_non_null(release_evidence(r));
	assert_null(release_row(REL__COUNT));
	assert_null(release_evidence(REL__COUNT));
	/* Patch rules are no version rows. */
	assert_null(release_row(REL_PRIVATE_GROUP_WRITE));
}

/* Distribution patches follow os-release, not the sshd version. */
static void
test_patches(void **state)
{
	static const struct {
		const char *osr;
		enum tri group, sshkeys;
	} c[] = {
		{ "ID=debian\nVERSION_ID=\"12\"\n", TRI_YES, TRI_NO },
		{ "ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\n",
		    TRI_YES, TRI_NO },
		{ "ID=raspbian\nID_LIKE=debian\n", TRI_YES, TRI_NO },
		{ "ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", TRI_YES,
		    TRI_NO },
		{ "ID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\n",
		    TRI_NO, TRI_YES },
		{ "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"
		    "VERSION_ID=\"9.3\"\n", TRI_NO, TRI_YES },
		{ "ID=\"rhel\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"8.9\"\n",
		    TRI_NO, TRI_YES },
		{ "ID=\"rhel\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"10.0\"\n",
		    TRI_NO, TRI_NO },
		{ "ID=fedora\nVERSION_ID=37\n", TRI_NO, TRI_YES },
		{ "ID=fedora\nVERSION_ID=38\n", TRI_NO, TRI_NO },
		{ "ID=arch\n", TRI_NO, TRI_NO },
		{ "ID=\"debianish\"\nID_LIKE=\"notdebian\"\n", TRI_NO, TRI_NO },
		{ "", TRI_NO, TRI_NO },
	};
	struct osinfo os;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(c); i++) {
		osinfo_parse(&os, c[i].osr);
		assert_int_equal(release_patch_at(REL_PRIVATE_GROUP_WRITE,
		    &os), c[i].group);
		assert_int_equal(release_patch_at(REL_SSH_KEYS_GROUP, &os),
		    c[i].sshkeys);
	}
	assert_int_equal(release_patch_at(REL_KW_INCLUDE, &os), TRI_MAYBE);
}

/* Keywords a release does not know, and the names it accepts. */
static void
test_keywords(void **state)
{
	const struct release_kw *k;

	(void)state;
	assert_non_null(k = release_keyword("Include"));
	assert_int_equal(release_rule_at(k->rule, 7, 4), TRI_NO);
	assert_int_equal(release_rule_at(k->rule, 8, 0), TRI_NO);
	assert_int_equal(release_rule_at(k->rule, 8, 2), TRI_YES);
	assert_int_equal(release_rule_at(k->rule, 10, 0), TRI_YES);
	assert_non_null(k = release_keyword("PUBKEYACCEPTEDALGORITHMS"));
	assert_string_equal(k->older, "PubkeyAcceptedKeyTypes");
	assert_int_equal(release_rule_at(k->rule, 8, 0), TRI_NO);
	assert_int_equal(release_rule_at(k->rule, 8, 9), TRI_YES);
	assert_non_null(k = release_keyword("PerSourcePenalties"));
	assert_int_equal(release_rule_at(k->rule, 9, 6), TRI_NO);
	assert_int_equal(release_rule_at(k->rule, 10, 0), TRI_YES);
	assert_non_null(k = release_keyword("ChannelTimeout"));
	assert_int_equal(release_rule_at(k->rule, 9, 0), TRI_MAYBE);
	/* Known to every release, or an old name: no row. */
	assert_null(release_keyword("PubkeyAcceptedKeyTypes"));
	assert_null(release_keyword("KbdInteractiveAuthentication"));
	assert_null(release_keyword("PasswordAuthentication"));
}

/* T opened on a root whose usr/sbin/sshd is SSHD (LEN bytes; NULL: none),
 * its path in P. */
static void
target_with(struct fx *fx, struct target *t, const char *sshd, size_t len,
    char *p)
{
	int fd;

	fx_init(fx);
	fx_mkdir(fx, "/usr", 0755, 0, 0);
	fx_mkdir(fx, "/usr/sbin", 0755, 0, 0);
	fx_path(fx, "/usr/sbin/sshd", p);
	if (sshd != NULL) {
		fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0755);
		assert_true(fd != -1);
		assert_int_equal(write(fd, sshd, len), (ssize_t)len);
		close(fd);
	}
	assert_int_equal(target_open(t, fx->root), 0);
}

/* SSHD: bytes of ROOT/usr/sbin/sshd, or NULL for none. */
static enum tri
target_rule(const char *sshd, size_t len, const char **text)
{
	struct fx fx;
	struct target t;
	char p[PATH_MAX];
	enum tri r;

	target_with(&fx, &t, sshd, len, p);
	r = release_has(&t, REL_DSA_HOSTKEY_LOADED);
	/* Cached: the binary is not read again. */
	if (sshd != NULL)
		assert_int_equal(unlink(p), 0);
	assert_int_equal(release_has(&t, REL_DSA_HOSTKEY_LOADED), r);
	static char buf[64];

	*text = NULL;
	if (release_text(&t) != NULL) {
		snprintf(buf, sizeof(buf), "%s", release_text(&t));
		*text = buf;
	}
	target_close(&t);
	fx_cleanup(&fx);
	return r;
}

/* Integer values as each release reads them: 7.4 with atoi ("many" is 0),
 * 8.0 and later refuse what is not a non-negative number, a release the
 * table does not know answers only for plain numbers. */
static void
test_int(void **state)
{
	static const char v74[] = "\177ELF\0OpenSSH_7.4p1\0";
	static const char v92[] = "\177ELF\0OpenSSH_9.2p1 Debian-2+deb12u3\0";
	static const char v76[] = "\177ELF\0OpenSSH_7.6p1\0";
	static const struct {
		const char *sshd;
		size_t len;
		const char *arg;
		int r;
		long v;
	} c[] = {
		{ v74, sizeof(v74), "many", 1, 0 },
		{ v74, sizeof(v74), "3x", 1, 3 },
		{ v74, sizeof(v74), "-1", 1, -1 },
		{ v74, sizeof(v74), "6", 1, 6 },
		{ v92, sizeof(v92), "many", 0, 0 },
		{ v92, sizeof(v92), "3x", 0, 0 },
		{ v92, sizeof(v92), "-1", 0, 0 },
		{ v92, sizeof(v92), "99999999999", 0, 0 },
		{ v92, sizeof(v92), "0", 1, 0 },
		{ v92, sizeof(v92), "6", 1, 6 },
		{ v76, sizeof(v76), "many", -1, 0 },
		{ v76, sizeof(v76), "-1", -1, 0 },
		{ v76, sizeof(v76), "0", 1, 0 },
		{ NULL, 0, "many", -1, 0 },
		{ NULL, 0, "2", 1, 2 },
	};
	struct fx fx;
	struct target t;
	char p[PATH_MAX];
	size_t i;
	long v;
	int r;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		target_with(&fx, &t, c[i].sshd, c[i].len, p);
		v = 12345;
		r = release_int(&t, c[i].arg, &v);
		assert_int_equal(r, c[i].r);
		if (r == 1)
			assert_int_equal(v, c[i].v);
		target_close(&t);
		fx_cleanup(&fx);
	}
}

static void
test_target(void **state)
{
	static const char v10[] = "\177ELF\0OpenSSH_10.0\0ss\0OpenSSH_10.0p2\0%s";
	static const char v92[] = "\177ELF\0OpenSSH_9.2p1 Debian-2+deb12u3\0";
	static const char junk[] = "\177ELF\0OpenSSH_x\0";
	/* 7.4p1's compat.c patterns are longer than its version. */
	static const char v74[] = "\177ELF\0OpenSSH_7.4\0OpenSSH_7.4p1\0"
	    "OpenSSH_2.5.0p1*,OpenSSH_2.5.1p1*\0OpenSSH_6.6.1*\0";
	const char *text;

	(void)state;
	assert_int_equal(target_rule(v10, sizeof(v10), &text), TRI_NO);
	/* The longest version string, not one cut at a NUL. */
	assert_string_equal(text, "OpenSSH_10.0p2");
	assert_int_equal(target_rule(v92, sizeof(v92), &text), TRI_YES);
	assert_string_equal(text, "OpenSSH_9.2p1 Debian-2+deb12u3");
	assert_int_equal(target_rule(v74, sizeof(v74), &text), TRI_YES);
	assert_string_equal(text, "OpenSSH_7.4p1");
	assert_int_equal(target_rule(junk, sizeof(junk), &text), TRI_MAYBE);
	assert_null(text);
	assert_int_equal(target_rule(NULL, 0, &text), TRI_MAYBE);
	assert_null(text);
}

/* One case of helper_paths_in: BYTES (N) -> SESSION, AUTH (NULL: none). */
static void
helpers_are(const char *bytes, size_t n, const char *session,
    const char *auth)
{
	char *p[HELPER__COUNT];

	helper_paths_in(bytes, n, p);
	if (session == NULL)
		assert_null(p[HELPER_SESSION]);
	else
		assert_string_equal(p[HELPER_SESSION], session);
	if (auth == NULL)
		assert_null(p[HELPER_AUTH]);
	else
		assert_string_equal(p[HELPER_AUTH], auth);
	free(p[HELPER_SESSION]);
	free(p[HELPER_AUTH]);
}

#define HELPERS(s, a, b)	helpers_are(s, sizeof(s) - 1, a, b)

/* The helper paths compiled into sshd: whole strings between NULs only. */
static void
test_helpers(void **state)
{
	char *big;
	size_t n = HELPER_PATH_MAX + 64;

	(void)state;
	HELPERS("\177ELF\0sshd-session\0/usr/lib/openssh/sshd-session\0"
	    "/usr/lib/openssh/sshd-auth\0", "/usr/lib/openssh/sshd-session",
	    "/usr/lib/openssh/sshd-auth");
	/* 9.8/9.9: sshd-session only; before 9.8: neither. */
	HELPERS("x\0/usr/libexec/openssh/sshd-session\0",
	    "/usr/libexec/openssh/sshd-session", NULL);
	HELPERS("\177ELF\0OpenSSH_9.6p1\0sshd-session\0%s/sshd-auth\0",
	    NULL, NULL);
	/* At the very start; not without a closing NUL. */
	HELPERS("/a/sshd-auth\0", NULL, "/a/sshd-auth");
	HELPERS("\0/a/sshd-auth", NULL, NULL);
	/* Part of a longer string, another name, a space, a high byte. */
	HELPERS("\0x/a/sshd-auth\0/a/sshd-sessions\0/a/notsshd-auth\0"
	    "/a b/sshd-session\0/\xe9/sshd-session\0", NULL, NULL);
	/* The first of two. */
	HELPERS("\0/one/sshd-auth\0/two/sshd-auth\0", NULL, "/one/sshd-auth");
	HELPERS("\0/sshd-auth\0", NULL, "/sshd-auth");
	/* Longer than HELPER_PATH_MAX: not a path sshfix takes. */
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'a', n);
	big[0] = '\0';
	big[1] = '/';
	memcpy(big + n - 12, "/sshd-auth", 10);
	big[n - 2] = '\0';
	big[n - 1] = '\0';
	helpers_are(big, n, NULL, NULL);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_patches),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_int),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
