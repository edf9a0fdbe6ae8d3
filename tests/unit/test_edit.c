/* Config edits keep every other byte; flattening keeps sshd's reading. */
#include "target/load.h"
#include "fixture.h"
#include "exec/edit.h"
#include "target/validate.h"

static char *
apply1(const char *text, size_t line, const char *old, const char *new,
    int *rc)
{
	struct finding f = { 0 };
	const struct action *v[1];
	struct sbuf out = { 0 };
	char *r;

	plan_add_edit(&f, "/etc/ssh/sshd_config", line, old, new, 0);
	v[0] = &f.act[0];
	*rc = edit_apply("/etc/ssh/sshd_config", text, strlen(text), v, 1,
	    1795000000, &out);
	r = out.s ? sbuf_take(&out) : NULL;
	sbuf_free(&out);
	free(f.act[0].path);
	free(f.act[0].old_text);
	free(f.act[0].new_text);
	free(f.act);
	return r;
}

static void
test_replace_keeps_bytes(void **state)
{
	int rc;
	char *r = apply1("# top\n\tInclude x\n  AddressFamily   inet6  # c\n"
	    "Port 22\n", 2, "  AddressFamily   inet6  # c",
	    "AddressFamily inet", &rc);

	(void)state;
	assert_int_equal(rc, 0);
	assert_string_equal(r, "# top\n\tInclude x\n"
	    "# sshfix 2026-11-18: was \"  AddressFamily   inet6  # c\"\n"
	    "AddressFamily inet\nPort 22\n");
	free(r);
}

static void
test_crlf_and_no_final_newline(void **state)
{
	int rc;
	char *r;

	(void)state;
	r = apply1("A b\r\nPasswordAuthentication no\r\nC d\r\n", 1,
	    "PasswordAuthentication no", "PasswordAuthentication yes", &rc);
	assert_string_equal(r, "A b\r\n# sshfix 2026-11-18: was "
	    "\"PasswordAuthentication no\"\r\nPasswordAuthentication yes\r\n"
	    "C d\r\n");
	free(r);
	r = apply1("A b\nPasswordAuthentication no", 1,
	    "PasswordAuthentication no", "PasswordAuthentication yes", &rc);
	assert_string_equal(r, "A b\n# sshfix 2026-11-18: was "
	    "\"PasswordAuthentication no\"\nPasswordAuthentication yes");
	free(r);
}

static void
test_insert(void **state)
{
	int rc;
	char *r;

	(void)state;
	r = apply1("Include a\r\nPort 22\r\n", 0, NULL, "PermitRootLogin yes",
	    &rc);
	assert_string_equal(r, "# sshfix 2026-11-18: added\r\n"
	    "PermitRootLogin yes\r\nInclude a\r\nPort 22\r\n");
	free(r);
	r = apply1("", 0, NULL, "PasswordAuthentication yes", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(r, "# sshfix 2026-11-18: added\n"
	    "PasswordAuthentication yes\n");
	free(r);
}

/* The line count as the line: appended after the last line. */
static void
test_append(void **state)
{
	int rc;
	char *r;

	(void)state;
	r = apply1("Include a\r\nPort 22\r\n", 2, NULL, "Match User alice",
	    &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(r, "Include a\r\nPort 22\r\n"
	    "# sshfix 2026-11-18: added\r\nMatch User alice\r\n");
	free(r);
	/* A last line without an end of line gets one. */
	r = apply1("Include a\nPort 22", 2, NULL, "Match User alice", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(r, "Include a\nPort 22\n"
	    "# sshfix 2026-11-18: added\nMatch User alice\n");
	free(r);
	/* Beyond the end is still refused. */
	r = apply1("Port 22\n", 2, NULL, "Match User alice", &rc);
	assert_int_equal(rc, -1);
	free(r);
}

static void
test_changed_line_refused(void **state)
{
	int rc;
	char *r = apply1("Port 22\nAddressFamily any\n", 1, "AddressFamily "
	    "inet6", "AddressFamily inet", &rc);

	(void)state;
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err_get(), "line 2: no longer reads"));
	free(r);
	r = apply1("Port 22\n", 5, "AddressFamily inet6", "x", &rc);
	assert_int_equal(rc, -1);
	free(r);
}

static void
test_flatten(void **state)
{
	struct fx fx;
	struct target t;
	struct sbuf out = { 0 };
	struct edited_file ed = { "/etc/ssh/sshd_config.d/b.conf",
	    "PasswordAuthentication yes\n", 27 };

	(void)state;
	fx_init(&fx);
	fx_write(&fx, "/etc/ssh/sshd_config",
	    "Include sshd_config.d/*.conf\nPort 22\nMatch User alice\n"
	    "Include /etc/ssh/m.inc\nX11Forwarding no\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/sshd_config.d/a.conf",
	    "Match User bob\nPasswordAuthentication no\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/sshd_config.d/b.conf", "old\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/m.inc", "Match Group admins\nBanner none\n",
	    0644, 0, 0);
	assert_int_equal(target_open(&t, fx.root), 0);
	assert_int_equal(validate_flatten(&t, &ed, 1, &out), 0);
	/*
	 * Matches opened in included files end with them; one in a file
	 * included inside a Match block holds only under it too (sshd -T
	 * -C user=root: the Banner of "Match Group root" there is not
	 * root's), so both conditions go on its line.
	 */
	assert_string_equal(out.s,
	    "Match User bob\nPasswordAuthentication no\nMatch all\n"
	    "PasswordAuthentication yes\n"
	    "Port 22\nMatch User alice\n"
	    "Match User alice Group admins\nBanner none\nMatch User alice\n"
	    "X11Forwarding no\n");
	sbuf_free(&out);
	target_close(&t);
	fx_cleanup(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_keeps_bytes),
		cmocka_unit_test(test_crlf_and_no_final_newline),
		cmocka_unit_test(test_insert),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_changed_line_refused),
		cmocka_unit_test(test_flatten),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
