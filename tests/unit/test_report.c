/* What a person and a tool read: action lines, diffs, JSON. */
#include "fixture.h"
#include "report.h"

static void
test_describe_and_diff(void **state)
{
	struct target t = { .rootdir = "/", .live = 1 };
	struct finding f = { 0 };
	char *s;

	(void)state;
	t.now = 1795000000;	/* 2026-11-18 */
	plan_add_chmod(&f, "/root", 040777, 0755);
	plan_add_edit(&f, "/etc/ssh/sshd_config", 4, "AddressFamily inet6",
	    "AddressFamily inet", 0);
	s = action_describe(&t, &f.act[0]);
	assert_string_equal(s, "chmod 0777 -> 0755 /root");
	free(s);
	assert_null(action_diff(&t, &f.act[0]));
	s = action_diff(&t, &f.act[1]);
	assert_string_equal(s, "--- a/etc/ssh/sshd_config\n"
	    "+++ b/etc/ssh/sshd_config\n"
	    "@@ -5 +5,2 @@\n"
	    "-AddressFamily inet6\n"
	    "+# sshfix 2026-11-18: was \"AddressFamily inet6\"\n"
	    "+AddressFamily inet\n");
	free(s);
	for (size_t i = 0; i < f.nact; i++) {
		free(f.act[i].path);
		free(f.act[i].old_text);
		free(f.act[i].new_text);
	}
	free(f.act);
}

static void
test_json_escape(void **state)
{
	struct sbuf b = { 0 };

	(void)state;
	json_string(&b, "a\"b\\c\nd\te\x01");
	assert_string_equal(b.s, "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
	sbuf_free(&b);
}

static void
test_json_document(void **state)
{
	struct fx fx;
	struct target t;
	struct plan p = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fx_init(&fx);
	fx_chmod(&fx, "/root", 0777);
	assert_int_equal(target_open(&t, fx.root), 0);
	assert_int_equal(diagnose(&t, &p), 0);
	fp = open_memstream(&buf, &len);
	report_json(fp, &t, &p, &(struct run_info){ .mode = "dry-run" });
	fclose(fp);
	assert_non_null(strstr(buf, "\"findings\":[{\"id\":\"home-perms\","
	    "\"severity\":\"error\",\"subject\":\"/root\""));
	assert_non_null(strstr(buf, "\"actions\":[{\"type\":\"chmod\","
	    "\"path\":\"/root\",\"from\":\"0777\",\"to\":\"0755\""));
	assert_true(buf[len - 1] == '\n' && buf[len - 2] == '}');
	free(buf);
	plan_free(&p);
	target_close(&t);
	fx_cleanup(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe_and_diff),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
