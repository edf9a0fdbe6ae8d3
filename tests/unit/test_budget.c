/*
 * Budgets on what is read from the target (budget.h): counted on the
 * fd's size before a byte is read, sticky once hit, said in one line;
 * and two readers that live by them, the PAM stack and the dpkg lists.
 */
#include "fixture.h"
#include "budget.h"
#include "target/binary/pamstack.h"
#include "target/binary/pkgowner.h"

/* Files and bytes in all; once over, nothing more, a small file neither. */
static void
test_take(void **state)
{
	struct budget b = BUDGET("x", 100, 3, 1000);

	(void)state;
	assert_int_equal(budget_take(&b, 600), 0);
	assert_int_equal(budget_take(&b, 500), -1);	/* 1100 > 1000 */
	assert_true(b.hit);
	assert_int_equal(budget_take(&b, 1), -1);	/* sticky */
	assert_int_equal(b.files, 1);
	assert_int_equal(b.bytes, 600);
	b = (struct budget)BUDGET("x", 100, 2, 1000);
	assert_int_equal(budget_take(&b, 0), 0);
	assert_int_equal(budget_take(&b, 0), 0);
	assert_int_equal(budget_take(&b, 0), -1);	/* a third file */
}

/* One line, only when something was left. */
static void
test_note(void **state)
{
	struct unread_list ul = { 0 };
	struct budget b = BUDGET("the things", 1024, 2, 4096);

	(void)state;
	budget_note(&b, &ul);
	assert_int_equal(ul.n, 0);
	b.hit = 1;
	b.toobig = 3;
	budget_note(&b, &ul);
	budget_note(&b, &ul);
	assert_int_equal(ul.n, 1);
	assert_string_equal(ul.v[0].path, "the things");
	assert_string_equal(ul.v[0].why, "more than 2 files or 4.0K in all "
	    "(sshfix's budget); the rest were not read; 3 files larger than "
	    "1.0K (sshfix's budget) not read: cannot tell");
	unread_free(&ul);
}

/*
 * budget_read: the size decides before reading (a sparse 1 GB file is
 * refused at once), a FIFO is never opened, a file past the total is
 * not read.
 */
static void
test_read(void **state)
{
	struct budget b = BUDGET("x", 64, 10, 100);
	char p[PATH_MAX], *d = NULL;
	struct fx fx;
	size_t n;
	int r;

	(void)state;
	fx_init(&fx);
	r = fx_rootfd(&fx);
	fx_write(&fx, "/etc/a", "0123456789012345678901234567890123456789\n",
	    0644, 0, 0);
	fx_write(&fx, "/etc/big", "", 0644, 0, 0);
	fx_grow(&fx, "/etc/big", 1L << 30);
	fx_path(&fx, "/etc/fifo", p);
	assert_int_equal(mkfifo(p, 0644), 0);
	assert_int_equal(budget_read(&b, r, "/etc/big", &d, &n), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(b.toobig, 1);
	assert_int_equal(budget_read(&b, r, "/etc/fifo", &d, &n), -1);
	assert_int_equal(errno, ENXIO);
	assert_int_equal(budget_read(&b, r, "/etc/a", &d, &n), 0);
	assert_int_equal(n, 41);
	free(d);
	assert_int_equal(budget_read(&b, r, "/etc/a", &d, &n), 0);
	free(d);
	assert_int_equal(budget_read(&b, r, "/etc/a", &d, &n), 1);	/* 123 */
	assert_true(b.hit);
	assert_int_equal(b.bytes, 82);
	close(r);
	fx_cleanup(&fx);
}

/* 70 includes of a harmless file, then one of a missing module: the
   stack is left at 64 files and the line says so (never "no faults"). */
static void
test_pam_include_bomb(void **state)
{
	struct unread_list ul = { 0 };
	struct pam_stack st;
	struct sbuf top = { 0 };
	struct fx fx;
	int r, i;

	(void)state;
	fx_init(&fx);
	fx_mkdir(&fx, "/etc/pam.d", 0755, 0, 0);
	fx_write(&fx, "/etc/pam.d/ok", "auth optional pam_permit.so\n", 0644,
	    0, 0);
	fx_write(&fx, "/etc/pam.d/bad", "auth required pam_gone.so\n", 0644,
	    0, 0);
	for (i = 0; i < 70; i++)
		sbuf_adds(&top, "@include ok\n");
	sbuf_adds(&top, "@include bad\n");
	fx_write(&fx, "/etc/pam.d/sshd", top.s, 0644, 0, 0);
	r = fx_rootfd(&fx);
	pamstack_load(r, "sshd", &st, &ul);
	for (i = 0; i < (int)st.n; i++)
		assert_string_not_equal(st.m[i].module, "pam_gone.so");
	assert_int_equal(ul.n, 1);
	assert_string_equal(ul.v[0].path, "/etc/pam.d/sshd and its includes");
	assert_non_null(strstr(ul.v[0].why, "more than 64 files"));
	pamstack_free(&st);
	unread_free(&ul);
	sbuf_free(&top);
	close(r);
	fx_cleanup(&fx);
}

/* A list over DPKG_LIST_MAX is not read (its size says so): no owner,
   and said; when another list names the file, nothing is said. */
static void
test_dpkg_lists(void **state)
{
	struct budget b = DPKG_BUDGET;
	struct unread_list ul = { 0 };
	char *pkg;
	struct fx fx;
	int r;

	(void)state;
	fx_init(&fx);
	fx_mkdir(&fx, "/var", 0755, 0, 0);
	fx_mkdir(&fx, "/var/lib", 0755, 0, 0);
	fx_mkdir(&fx, "/var/lib/dpkg", 0755, 0, 0);
	fx_mkdir(&fx, "/var/lib/dpkg/info", 0755, 0, 0);
	fx_write(&fx, "/var/lib/dpkg/info/huge.list", "", 0644, 0, 0);
	fx_grow(&fx, "/var/lib/dpkg/info/huge.list", (off_t)DPKG_LIST_MAX + 1);
	r = fx_rootfd(&fx);
	assert_null(dpkg_owner(r, "sshd", NULL, &b, &ul));
	assert_int_equal(ul.n, 1);
	assert_string_equal(ul.v[0].path, "/var/lib/dpkg/info/*.list");
	assert_non_null(strstr(ul.v[0].why, "1 file larger than 16M"));
	unread_free(&ul);
	fx_write(&fx, "/var/lib/dpkg/info/openssh-server.list",
	    "/usr/sbin/sshd\n", 0644, 0, 0);
	b = (struct budget)DPKG_BUDGET;
	pkg = dpkg_owner(r, "sshd", NULL, &b, &ul);
	assert_string_equal(pkg, "openssh-server");
	assert_int_equal(ul.n, 0);
	free(pkg);
	close(r);
	fx_cleanup(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_note),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_pam_include_bomb),
		cmocka_unit_test(test_dpkg_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
