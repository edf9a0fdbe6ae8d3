/*
 * hosts_access(5) rules for daemon sshd with the client unknown: a table
 * of one-rule files and what each says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "target/net/hostsaccess.h"

struct wcase {
	const char	*text;
	size_t		 n;		/* rules */
	enum tri	 daemon, everyone;
	int		 options;
	size_t		 line, nlines;
};

static const struct wcase cases[] = {
	{ "sshd: ALL\n", 1, TRI_YES, TRI_YES, 0, 0, 1 },
	{ "ALL: ALL\n", 1, TRI_YES, TRI_YES, 0, 0, 1 },
	{ "SSHD , in.ftpd :ALL\n", 1, TRI_YES, TRI_YES, 0, 0, 1 },
	{ "in.ftpd: ALL\n", 1, TRI_NO, TRI_YES, 0, 0, 1 },
	{ "ALL EXCEPT sshd: ALL\n", 1, TRI_NO, TRI_YES, 0, 0, 1 },
	{ "ALL EXCEPT in.ftpd: ALL\n", 1, TRI_YES, TRI_YES, 0, 0, 1 },
	/* a EXCEPT b EXCEPT c is a EXCEPT (b EXCEPT c) */
	{ "ALL EXCEPT in.ftpd EXCEPT sshd: ALL\n", 1, TRI_YES, TRI_YES, 0, 0,
	    1 },
	{ "ALL EXCEPT ALL EXCEPT sshd: ALL\n", 1, TRI_YES, TRI_YES, 0, 0,
	    1 },
	{ "ALL EXCEPT ALL EXCEPT in.ftpd: ALL\n", 1, TRI_NO, TRI_YES, 0, 0,
	    1 },
	{ "sshd@10.0.0.1: ALL\n", 1, TRI_MAYBE, TRI_YES, 0, 0, 1 },
	{ "sshd: ALL EXCEPT 10.0.0.1\n", 1, TRI_YES, TRI_MAYBE, 0, 0, 1 },
	{ "sshd: LOCAL\n", 1, TRI_YES, TRI_MAYBE, 0, 0, 1 },
	{ "sshd: [::1]: deny\n", 1, TRI_YES, TRI_MAYBE, 1, 0, 1 },
	{ "sshd: ALL: allow\n", 1, TRI_YES, TRI_YES, 1, 0, 1 },
	{ "# c\n\n  \nsshd: \\\nALL\n", 1, TRI_YES, TRI_YES, 0, 3, 2 },
	{ "sshd: ALL", 0, 0, 0, 0, 0, 0 },		/* no newline */
	{ "sshd ALL\n", 0, 0, 0, 0, 0, 0 },		/* no ':' */
	{ "#sshd: ALL\n", 0, 0, 0, 0, 0, 0 },
	{ "sshd: \\\nALL", 0, 0, 0, 0, 0, 0 },		/* continued, cut */
	{ "sshd\0x: ALL\n", 1, TRI_MAYBE, TRI_MAYBE, 1, 0, 1 },
};

static void
test_table(void **state)
{
	struct wrap_rules rs;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wcase *c = &cases[i];

		len = strlen(c->text);
		if (strcmp(c->text, "sshd") == 0)	/* the NUL case */
			len = sizeof("sshd\0x: ALL\n") - 1;
		wrap_rules_parse(c->text, len, "sshd", &rs);
		assert_int_equal(rs.n, c->n);
		if (c->n == 1) {
			assert_int_equal(rs.r[0].daemon, c->daemon);
			assert_int_equal(rs.r[0].everyone, c->everyone);
			assert_int_equal(rs.r[0].options, c->options);
			assert_int_equal(rs.r[0].line, c->line);
			assert_int_equal(rs.r[0].nlines, c->nlines);
		}
		wrap_rules_free(&rs);
	}
}

static void
test_long_line(void **state)
{
	char buf[3000];
	struct wrap_rules rs;

	(void)state;
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "sshd: ALL", 9);
	buf[sizeof(buf) - 1] = '\n';
	wrap_rules_parse(buf, sizeof(buf), "sshd", &rs);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].options, 1);	/* cannot tell */
	wrap_rules_free(&rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
