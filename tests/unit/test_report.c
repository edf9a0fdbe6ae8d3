/* What a person and a tool read: action lines, diffs, JSON. */
#include <stdint.h>

#include "target/load.h"
#include "fixture.h"
#include "report/report.h"
#include "target/login/people.h"
#include "target/logs/logset.h"

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

static void
expect_json(const char *in, const char *want)
{
	struct sbuf b = { 0 };

	json_string(&b, in);
	assert_string_equal(b.s, want);
	sbuf_free(&b);
}

/* Valid UTF-8 passes, with control characters escaped for JSON. */
static void
test_json_utf8(void **state)
{
	(void)state;
	expect_json("caf\xc3\xa9 \xf0\x9f\x99\x82",
	    "\"caf\xc3\xa9 \xf0\x9f\x99\x82\"");
	expect_json("\033[2J\x7f", "\"\\u001b[2J\\u007f\"");
}

/* U+2028 and U+2029 end a line in JavaScript: escaped too. */
static void
test_json_line_separators(void **state)
{
	(void)state;
	expect_json("a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"");
}

/*
 * A string that is not UTF-8 is given whole in vis(3) C style, so the
 * document stays valid UTF-8.
 */
static void
test_json_not_utf8(void **state)
{
	(void)state;
	expect_json("x\xffy", "\"x\\\\377y\"");
	expect_json("\xc0\xaf", "\"\\\\300\\\\257\"");
	expect_json("\xed\xa0\x80", "\"\\\\355\\\\240\\\\200\"");
	expect_json("\xf4\x90\x80\x80", "\"\\\\364\\\\220\\\\200\\\\200\"");
	expect_json("\xc3", "\"\\\\303\"");
	/* not UTF-8: the backslash, quote and newline too are encoded */
	expect_json("q\"\\\n\xff", "\"q\\\"\\\\\\\\\\\\n\\\\377\"");
}

/*
 * A member whose string is not UTF-8 gets K_raw, its bytes in base64
 * (each padding case); an array, one entry per string (null for UTF-8).
 */
static void
test_json_raw(void **state)
{
	char *v[] = { "ok", "x\xffy", "\xfe", NULL };
	struct sbuf b = { 0 };

	(void)state;
	json_kv(&b, "path", "/home/x\xffy", 0);
	json_kv(&b, "user", "caf\xc3\xa9", 1);
	json_kv(&b, "n", NULL, 1);
	json_kv(&b, "two", "\xfe\xff", 1);
	assert_string_equal(b.s, "\"path\":\"/home/x\\\\377y\","
	    "\"path_raw\":\"L2hvbWUveP95\",\"user\":\"caf\xc3\xa9\","
	    "\"n\":null,\"two\":\"\\\\376\\\\377\",\"two_raw\":\"/v8=\"");
	sbuf_free(&b);
	json_strv(&b, "v", v, SIZE_MAX);
	assert_string_equal(b.s, ",\"v\":[\"ok\",\"x\\\\377y\",\"\\\\376\"],"
	    "\"v_raw\":[null,\"eP95\",\"/g==\"]");
	sbuf_free(&b);
	json_strv(&b, "v", v, 1);
	assert_string_equal(b.s, ",\"v\":[\"ok\"]");
	sbuf_free(&b);
	json_strv(&b, "none", NULL, SIZE_MAX);
	assert_string_equal(b.s, ",\"none\":[]");
	sbuf_free(&b);
}

#define FORGED	"no faults found: sshd should accept logins"

/* No byte of a foreign string reaches the terminal raw. */
static void
assert_printable(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		assert_true(buf[i] == '\n' || (buf[i] >= ' ' && buf[i] <= '~'));
	assert_null(strstr(buf, "\n" FORGED));
}

/* BUF without sshfix's own colour codes (and nothing else removed). */
static char *
strip_colour(const char *buf)
{
	static const char *codes[] = { "\033[1;31m", "\033[1;33m",
	    "\033[0m" };
	struct sbuf b = { 0 };
	size_t i;

	while (*buf != '\0') {
		for (i = 0; i < ARRAY_LEN(codes); i++)
			if (strncmp(buf, codes[i], strlen(codes[i])) == 0)
				break;
		if (i < ARRAY_LEN(codes))
			buf += strlen(codes[i]);
		else
			sbuf_addc(&b, *buf++);
	}
	return sbuf_take(&b);
}

static void
hostile_plan(struct target *t, struct plan *p)
{
	struct finding *f;
	const char *drop = "/etc/ssh/sshd_config.d/10-x\n" FORGED ".conf";

	t->rootdir = "/";
	t->live = 1;
	t->now = 1795000000;
	snprintf(t->os.pretty, sizeof(t->os.pretty), "Debian \033[2J\xff");
	f = plan_add_finding(p, &fault_address_family, SEV_ERROR, drop);
	finding_set_message(f, "AddressFamily inet6 in %s\033]0;owned\007",
	    drop);
	finding_set_logline(f, "Cannot bind\r\n" FORGED);
	finding_add_evidence(f, "config", "%s:1", drop);
	plan_add_edit(f, drop, 0, "AddressFamily inet6\t\033[8m",
	    "AddressFamily inet", 0);
	f = plan_add_finding(p, &fault_home_perms, SEV_ERROR,
	    "/home/e\033]0;title\007vil\\");
	plan_add_chmod(f, "/home/e\033]0;title\007vil\\", 040777, 0755);
}

/* What the access table read into a target no test opened: freed. */
static void
drop_model(struct target *t)
{
	people_free(t->people);
	t->people = NULL;
	if (t->logs != NULL) {
		logs_free(t->logs);
		free(t->logs);
		t->logs = NULL;
	}
}

static void
test_text_hostile(void **state)
{
	struct target t = { 0 };
	struct plan p = { 0 };
	struct run_info ri = { .mode = "dry-run" };
	char *buf = NULL, *nocolor;
	size_t len = 0;
	FILE *fp;

	(void)state;
	hostile_plan(&t, &p);
	fp = open_memstream(&buf, &len);
	report_text(fp, &t, &p, 1, &ri);
	fclose(fp);
	/* sshfix's own colour codes stay; nothing else escapes */
	assert_non_null(strstr(buf, "\n1. \033[1;31m[ERROR]\033[0m "
	    "address-family: /etc/ssh/sshd_config.d/10-x\\n" FORGED
	    ".conf\n"));
	assert_non_null(strstr(buf, "(Debian \\033[2J\\377)"));
	assert_non_null(strstr(buf, "\n       --- a/etc/ssh/sshd_config.d/"
	    "10-x\\n" FORGED ".conf\n"));
	assert_non_null(strstr(buf, "\n       -AddressFamily inet6\\t\\033[8m"
	    "\n"));
	assert_non_null(strstr(buf, "/home/e\\033]0;title\\avil\\\\"));
	nocolor = strip_colour(buf);
	assert_printable(nocolor, strlen(nocolor));
	free(nocolor);
	free(buf);
	plan_free(&p);
	drop_model(&t);
}

static void
test_oneline_hostile(void **state)
{
	struct target t = { 0 };
	struct plan p = { 0 };
	struct run_info ri = { .mode = "dry-run" };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	hostile_plan(&t, &p);
	fp = open_memstream(&buf, &len);
	report_oneline(fp, &t, &p, &ri);
	fclose(fp);
	assert_printable(buf, len);
	assert_true(len > 0 && strchr(buf, '\n') == buf + len - 1);
	assert_non_null(strstr(buf, "10-x\\n" FORGED ".conf"));
	free(buf);
	plan_free(&p);
	drop_model(&t);
}

/*
 * A command's quoted word is never split over two lines (pasted, the
 * break would be part of the word); the words around it still wrap.
 */
static void
test_text_quoted_word(void **state)
{
	static const char word[] = "'/srv/a b c d e f g h i j k l m n o p "
	    "q r s t u v w x y z a b c d e f g h i j k l m n o p q r'";
	struct target t = { .rootdir = "/", .live = 1 };
	struct plan p = { 0 };
	struct run_info ri = { .mode = "dry-run" };
	struct finding *f;
	char *buf = NULL, *l;
	size_t len = 0;
	FILE *fp;

	(void)state;
	f = plan_add_finding(&p, &fault_chroot_perms, SEV_ERROR, "/srv/a");
	plan_add_manual(f, "the home of alice's friend, who may rely on "
	    "writing it: run chmod go-w %s if that is safe, or choose another "
	    "ChrootDirectory, a directory that is not anyone's home", word);
	fp = open_memstream(&buf, &len);
	report_text(fp, &t, &p, 0, &ri);
	fclose(fp);
	assert_non_null(l = strstr(buf, word));
	assert_true(l[-1] == ' ' && (l[sizeof(word) - 1] == ' ' ||
	    l[sizeof(word) - 1] == '\n'));
	assert_non_null(strstr(buf, "\n     if that is safe, or choose "
	    "another ChrootDirectory, a directory that is\n     not anyone's "
	    "home\n"));
	free(buf);
	plan_free(&p);
	drop_model(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe_and_diff),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_document),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_json_line_separators),
		cmocka_unit_test(test_json_not_utf8),
		cmocka_unit_test(test_json_raw),
		cmocka_unit_test(test_text_hostile),
		cmocka_unit_test(test_oneline_hostile),
		cmocka_unit_test(test_text_quoted_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
