/*
 * The words of the commands a person pastes: sh_quote() and sh_cmd() on
 * tables of named cases, and every byte through both.
 */
#include "fixture.h"
#include "escape.h"
#include "shquote.h"

/* The tables' formats are sh_cmd()'s, checked by the cases. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

struct qcase {
	const char	*name;
	const char	*in;
	const char	*want;		/* NULL: not shell-safe */
};

static const struct qcase quote_cases[] = {
	{ "plain name", "alice", "alice" },
	{ "every plain character", "aZ09_@%+=:,./-", "aZ09_@%+=:,./-" },
	{ "leading dash (an option: sh_cmd's to refuse)", "-x", "-x" },
	{ "empty", "", "''" },
	{ "space", "a b", "'a b'" },
	{ "two spaces", "a  b", "'a  b'" },
	{ "command substitution", "$(touch /tmp/x)", "'$(touch /tmp/x)'" },
	{ "backticks", "`id`", "'`id`'" },
	{ "semicolon", "a;id", "'a;id'" },
	{ "pipe", "a|id", "'a|id'" },
	{ "and", "a&&id", "'a&&id'" },
	{ "redirect", "a>f", "'a>f'" },
	{ "double quotes", "a\"$(id)\"", "'a\"$(id)\"'" },
	{ "glob", "a*?[b]", "'a*?[b]'" },
	{ "tilde", "~root", "'~root'" },
	{ "comment", "#x", "'#x'" },
	{ "history", "a!b", "'a!b'" },
	{ "variable", "${IFS}$HOME", "'${IFS}$HOME'" },
	{ "braces", "{a,b}", "'{a,b}'" },
	{ "DEL", "a\177", NULL },
	{ "single quote", "a'b", NULL },
	{ "lone single quote", "'", NULL },
	{ "backslash", "a\\b", NULL },
	{ "newline", "a\nid", NULL },
	{ "carriage return", "a\rid", NULL },
	{ "tab", "a\tb", NULL },
	{ "escape", "a\033[2J", NULL },
	{ "UTF-8", "caf\xc3\xa9", NULL },
	{ "not UTF-8", "x\xffy", NULL },
	{ "NULL", NULL, NULL },
};

static void
test_quote_table(void **state)
{
	size_t i;
	char *q;

	(void)state;
	for (i = 0; i < ARRAY_LEN(quote_cases); i++) {
		const struct qcase *c = &quote_cases[i];

		q = sh_quote(c->in);
		if (c->want == NULL && q != NULL)
			fail_msg("%s: \"%s\", want not shell-safe", c->name, q);
		if (c->want != NULL && (q == NULL || strcmp(q, c->want) != 0))
			fail_msg("%s: \"%s\", want \"%s\"", c->name,
			    q ? q : "(not shell-safe)", c->want);
		free(q);
	}
}

/* What a POSIX shell makes of Q: one word in single quotes, or plain. */
static char *
unquote(const char *q)
{
	size_t n = strlen(q);

	if (q[0] != '\'')
		return xstrdup(q);
	assert_true(n >= 2 && q[n - 1] == '\'');
	assert_null(memchr(q + 1, '\'', n - 2));
	return xstrndup(q + 1, n - 2);
}

/*
 * Every byte, inside a word and starting it: refused, or a word that the
 * text report prints as it is and the shell reads back as the input.
 */
static void
test_quote_every_byte(void **state)
{
	char in[4], *q, *v, *back;
	int c, pos;

	(void)state;
	for (c = 1; c < 256; c++)
		for (pos = 0; pos < 2; pos++) {
			snprintf(in, sizeof(in), pos ? "a%cb" : "%cb", c);
			if ((q = sh_quote(in)) == NULL) {
				assert_true(c < ' ' || c > '~' || c == '\\' ||
				    c == '\'');
				continue;
			}
			v = vis_str(q);
			assert_string_equal(v, q);
			back = unquote(q);
			assert_string_equal(back, in);
			if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
			    "QRSTUVWXYZ0123456789_@%+=:,./-", c) == NULL)
				assert_int_equal(q[0], '\'');
			free(v);
			free(back);
			free(q);
		}
}

struct ccase {
	const char	*name;
	const char	*fmt;
	const char	*a, *b, *c;
	const char	*want;		/* NULL: refused */
	int		 bad;		/* refused: the argument (1-3) named */
};

static const struct ccase cmd_cases[] = {
	{ "plain words", "usermod -U %s", "alice", NULL, NULL,
	    "usermod -U alice", 0 },
	{ "quoted word", "usermod -U %s", "a b", NULL, NULL,
	    "usermod -U 'a b'", 0 },
	{ "sshfix's own quoting kept", "usermod -p '*' %s", "a;b", NULL, NULL,
	    "usermod -p '*' 'a;b'", 0 },
	{ "root and path one word", "chmod 755 %s%s", "/mnt/r", "/srv/a b",
	    NULL, "chmod 755 '/mnt/r/srv/a b'", 0 },
	{ "plain text after an argument, in its quotes", "mkdir %s%s/upload",
	    "/mnt", "/h/$(id)", NULL, "mkdir '/mnt/h/$(id)/upload'", 0 },
	{ "user: in one word", "chown %s: %s", "a b", "/x", NULL,
	    "chown 'a b:' /x", 0 },
	{ "@HOST", "ssh-copy-id %s@HOST", "a|b", NULL, NULL,
	    "ssh-copy-id 'a|b@HOST'", 0 },
	{ "an option's value", "dnf --installroot=%s reinstall", "/a b", NULL,
	    NULL, "dnf '--installroot=/a b' reinstall", 0 },
	{ "inside $( ) and double quotes", "dnf \"$(rpm -qf %s)\"", "/l/a b",
	    NULL, NULL, "dnf \"$(rpm -qf '/l/a b')\"", 0 },
	{ "sshfix's ; between commands", "chown %s; chmod %s", "a&b", "c",
	    NULL, "chown 'a&b'; chmod c", 0 },
	{ "%% is a percent", "x %%%s", "a b", NULL, NULL, "x '%a b'", 0 },
	{ "empty whole word", "passwd %s", "", NULL, NULL, "passwd ''", 0 },
	{ "empty part of a word", "rm %s/etc/nologin", "", NULL, NULL,
	    "rm /etc/nologin", 0 },
	{ "leading dash starts a word", "passwd %s", "-x", NULL, NULL, NULL,
	    1 },
	{ "leading dash after plain text", "x=%s", "-y", NULL, NULL, "x=-y",
	    0 },
	{ "leading dash after an empty part", "rm %s%s", "", "-r", NULL,
	    NULL, 2 },
	{ "leading dash of a later word", "groupadd -g %s %s", "7", "-o",
	    NULL, NULL, 2 },
	{ "single quote", "passwd %s", "a'b", NULL, NULL, NULL, 1 },
	{ "backslash", "usermod -s %s %s", "/bin/sh", "a\\$(id)", NULL, NULL,
	    2 },
	{ "escape in a path", "chmod go-w %s%s", "/mnt", "/h/\033x", NULL,
	    NULL, 2 },
	{ "UTF-8 in the first of three", "x %s %s %s", "\xc3\xa9", "b", "c",
	    NULL, 1 },
};

static void
test_cmd_table(void **state)
{
	const char *bad;
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cmd_cases); i++) {
		const struct ccase *c = &cmd_cases[i];
		const char *args[] = { c->a, c->b, c->c };

		s = sh_cmd(&bad, c->fmt, c->a, c->b, c->c);
		if (c->want == NULL && (s != NULL || bad != args[c->bad - 1]))
			fail_msg("%s: \"%s\", want argument %d refused",
			    c->name, s ? s : "(refused)", c->bad);
		if (c->want != NULL && (s == NULL || bad != NULL ||
		    strcmp(s, c->want) != 0))
			fail_msg("%s: \"%s\", want \"%s\"", c->name,
			    s ? s : "(refused)", c->want);
		free(s);
	}
}

static void
test_rootcmd(void **state)
{
	const char *bad;
	char *s;

	(void)state;
	s = sh_rootcmd(&bad, "/mnt/r", "usermod", "-U %s", "alice");
	assert_string_equal(s, "usermod --root /mnt/r -U alice");
	free(s);
	s = sh_rootcmd(&bad, NULL, "chage", "-E -1 %s", "a b");
	assert_string_equal(s, "chage -E -1 'a b'");
	free(s);
	s = sh_rootcmd(&bad, "/mnt/my disk", "usermod", "-U %s", "x");
	assert_string_equal(s, "usermod --root '/mnt/my disk' -U x");
	free(s);
	/* The person's root, not shell-safe: the placeholder ROOT. */
	s = sh_rootcmd(&bad, "/mnt/donn\xc3\xa9" "es", "usermod", "-U %s", "x");
	assert_string_equal(s, "usermod --root ROOT -U x");
	free(s);
	assert_null(sh_rootcmd(&bad, "/mnt", "usermod", "-U %s", "a'b"));
	assert_string_equal(bad, "a'b");
	assert_string_equal(sh_root("/mnt/r"), "/mnt/r");
	assert_string_equal(sh_root("/mnt/a'b"), "ROOT");
	assert_string_equal(sh_root("mnt"), "ROOT");
	assert_string_equal(sh_root_prefix("/", 0), "");
	assert_string_equal(sh_root_prefix("/mnt", 1), "");
	assert_string_equal(sh_root_prefix("/mnt", 0), "/mnt");
}

static void
test_word(void **state)
{
	char *s;

	(void)state;
	s = sh_word("a b", "HOST");
	assert_string_equal(s, "'a b'");
	free(s);
	s = sh_word("-oProxyCommand=id", "HOST");
	assert_string_equal(s, "HOST");
	free(s);
	s = sh_word("a\nb", "USER");
	assert_string_equal(s, "USER");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_table),
		cmocka_unit_test(test_quote_every_byte),
		cmocka_unit_test(test_cmd_table),
		cmocka_unit_test(test_rootcmd),
		cmocka_unit_test(test_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
