/* The escaping every output goes through: vis(3) C style, strict UTF-8. */
#include "fixture.h"
#include "escape.h"

static void
expect_vis(const char *in, const char *want)
{
	char *s = vis_str(in);

	assert_string_equal(s, want);
	free(s);
}

static void
test_vis_str(void **state)
{
	(void)state;
	expect_vis("", "");
	expect_vis("plain ASCII: a-z ~!\"'#$%*?", "plain ASCII: a-z ~!\"'#$%*?");
	expect_vis("\033[2J", "\\033[2J");
	expect_vis("\033]0;title\007", "\\033]0;title\\a");
	expect_vis("a\nno faults found", "a\\nno faults found");
	expect_vis("a\tb\rc", "a\\tb\\rc");
	expect_vis("back\\slash", "back\\\\slash");
	expect_vis("\x80\xff\xc3\xa9", "\\200\\377\\303\\251");
	expect_vis("\x7f\x01", "\\177\\001");
	expect_vis(NULL, "(null)");
}

/* Every byte out is printable ASCII, whatever came in. */
static void
test_vis_all_bytes(void **state)
{
	char in[256], *s;
	size_t i;

	(void)state;
	for (i = 1; i < 256; i++)
		in[i - 1] = (char)i;
	in[255] = '\0';
	s = vis_str(in);
	for (i = 0; s[i] != '\0'; i++)
		assert_true(s[i] >= ' ' && s[i] <= '~');
	free(s);
}

/* What log_msg() hands to syslog(3). */
static void
test_vis_asprintf(void **state)
{
	char *s;

	(void)state;
	s = vis_asprintf("changed: %s", "chmod 0777 -> 0755 /home/e\033]0;x"
	    "\007\nsshd[1]: Accepted");
	assert_string_equal(s, "changed: chmod 0777 -> 0755 /home/e\\033]0;x"
	    "\\a\\nsshd[1]: Accepted");
	free(s);
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid(""));
	assert_true(utf8_valid("ascii"));
	assert_true(utf8_valid("caf\xc3\xa9 \xf0\x9f\x99\x82 \xe2\x82\xac"));
	assert_true(utf8_valid("\xf4\x8f\xbf\xbf"));		/* U+10FFFF */
	assert_false(utf8_valid("x\xffy"));
	assert_false(utf8_valid("\x80"));			/* continuation */
	assert_false(utf8_valid("\xc0\xaf"));			/* overlong / */
	assert_false(utf8_valid("\xc1\xbf"));
	assert_false(utf8_valid("\xe0\x80\xaf"));
	assert_false(utf8_valid("\xf0\x80\x80\xaf"));
	assert_false(utf8_valid("\xed\xa0\x80"));		/* surrogate */
	assert_false(utf8_valid("\xed\xbf\xbf"));
	assert_false(utf8_valid("\xf4\x90\x80\x80"));		/* > U+10FFFF */
	assert_false(utf8_valid("\xf5\x80\x80\x80"));
	assert_false(utf8_valid("\xc3"));			/* truncated */
	assert_false(utf8_valid("\xe2\x82"));
	assert_false(utf8_valid("\xc3x"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vis_str),
		cmocka_unit_test(test_vis_all_bytes),
		cmocka_unit_test(test_vis_asprintf),
		cmocka_unit_test(test_utf8_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
