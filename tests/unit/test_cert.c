/*
 * OpenSSH certificates read as sshd reads them (cert.h): the fields of
 * certificates ssh-keygen 9.2 signed (ssh-keygen -s ca -I unit-id -n
 * alice,ops -z 42 -V 20250101000000Z:20300101000000Z -O
 * source-address=10.0.0.0/8 -O force-command=/bin/true u.pub, and -h for
 * a host certificate), their key and CA as plain key lines hold them,
 * and what is cut short, left over or not a certificate.
 */
#include "fixture.h"
#include "target/keys/cert.h"

static const char user_cert[] =
	"AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29tAAAAIPOHZJsh"
	"OkFFCT/DKx744dwdPEGdH2fzT7etiQPPqM+HAAAAIPY5VH8EuUJa9BQhY18x"
	"paqajyPIbx/gMzT9CDRUPzDSAAAAAAAAACoAAAABAAAAB3VuaXQtaWQAAAAQ"
	"AAAABWFsaWNlAAAAA29wcwAAAABndIWAAAAAAHDb2IAAAABGAAAADWZvcmNl"
	"LWNvbW1hbmQAAAANAAAACS9iaW4vdHJ1ZQAAAA5zb3VyY2UtYWRkcmVzcwAA"
	"AA4AAAAKMTAuMC4wLjAvOAAAAIIAAAAVcGVybWl0LVgxMS1mb3J3YXJkaW5n"
	"AAAAAAAAABdwZXJtaXQtYWdlbnQtZm9yd2FyZGluZwAAAAAAAAAWcGVybWl0"
	"LXBvcnQtZm9yd2FyZGluZwAAAAAAAAAKcGVybWl0LXB0eQAAAAAAAAAOcGVy"
	"bWl0LXVzZXItcmMAAAAAAAAAAAAAADMAAAALc3NoLWVkMjU1MTkAAAAgRPCt"
	"Qwyeja6LguYnk7YxiNSSDBAxwPxNnqsiPhlLNAMAAABTAAAAC3NzaC1lZDI1"
	"NTE5AAAAQMnCwIlnhe73fg7kd183Lwsc2y9tMyoWUfXg3sF4sv8Xaz5C4Mhg"
	"YJlHEi27aRHCh6OuunlqHSgWNBwFGc/QOQI=";

static const char host_cert[] =
	"AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29tAAAAINTrQORq"
	"qwmUta8fTDEhDFCJTfd8NDqztpONNddkbCdvAAAAIPY5VH8EuUJa9BQhY18x"
	"paqajyPIbx/gMzT9CDRUPzDSAAAAAAAAAAcAAAACAAAAB2hvc3QtaWQAAAAN"
	"AAAACWguZXhhbXBsZQAAAAAAAAAA//////////8AAAAAAAAAAAAAAAAAAAAz"
	"AAAAC3NzaC1lZDI1NTE5AAAAIETwrUMMno2ui4LmJ5O2MYjUkgwQMcD8TZ6r"
	"Ij4ZSzQDAAAAUwAAAAtzc2gtZWQyNTUxOQAAAED55EC5qZNaHIokeDeBSFt/"
	"0BInX6Niey+Zf8ay20VbUpI6TgcWdlUNxYNJvC+GCcMssoPJqotitcYs39jW"
	"My0P";

#define U_KEY	"AAAAC3NzaC1lZDI1NTE5AAAAIPY5VH8EuUJa9BQhY18xpaqajyPIbx/gMzT9CDRUPzDS"
#define CA_KEY	"AAAAC3NzaC1lZDI1NTE5AAAAIETwrUMMno2ui4LmJ5O2MYjUkgwQMcD8TZ6rIj4ZSzQD"

static void
test_cert_user(void **state)
{
	struct sshcert c;

	(void)state;
	assert_int_equal(cert_parse(user_cert, strlen(user_cert), &c), 0);
	assert_string_equal(c.type, "ssh-ed25519-cert-v01@openssh.com");
	assert_string_equal(c.plain, "ssh-ed25519");
	assert_string_equal(c.plain_b64, U_KEY);
	assert_int_equal(c.serial, 42);
	assert_int_equal(c.kind, CERT_TYPE_USER);
	assert_string_equal(c.key_id, "unit-id");
	assert_int_equal(c.nprincipals, 2);
	assert_string_equal(c.principals[0], "alice");
	assert_string_equal(c.principals[1], "ops");
	assert_null(c.principals[2]);
	assert_int_equal(c.valid_after, 1735689600);
	assert_int_equal(c.valid_before, 1893456000);
	assert_string_equal(c.source_address, "10.0.0.0/8");
	assert_null(c.bad_critical);	/* force-command is one sshd knows */
	assert_string_equal(c.ca_type, "ssh-ed25519");
	assert_string_equal(c.ca_b64, CA_KEY);
	assert_string_equal(c.sig_alg, "ssh-ed25519");
	cert_free(&c);
}

static void
test_cert_host(void **state)
{
	struct sshcert c;

	(void)state;
	assert_int_equal(cert_parse(host_cert, strlen(host_cert), &c), 0);
	assert_int_equal(c.kind, CERT_TYPE_HOST);
	assert_int_equal(c.nprincipals, 1);
	assert_string_equal(c.principals[0], "h.example");
	assert_int_equal(c.valid_after, 0);
	assert_true(c.valid_before == UINT64_MAX);
	assert_null(c.source_address);
	cert_free(&c);
}

static void
test_cert_bad(void **state)
{
	struct sshcert c;
	char *cut = strdup(user_cert);
	size_t n = strlen(cut);

	(void)state;
	/* Cut short by 8 base64 characters (6 bytes of the signature). */
	assert_int_equal(cert_parse(cut, n - 8, &c), -1);
	/* A plain key is not a certificate. */
	assert_int_equal(cert_parse(U_KEY, strlen(U_KEY), &c), -1);
	assert_int_equal(cert_parse("AAAA*", 5, &c), -1);
	assert_true(cert_type_line("ssh-ed25519-cert-v01@openssh.com AAAA"));
	assert_true(cert_type_line("sk-ssh-ed25519-cert-v01@openssh.com A"));
	assert_false(cert_type_line("ssh-ed25519 AAAA"));
	assert_false(cert_type_line("-cert-v01@openssh.com AAAA"));
	free(cut);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cert_user),
		cmocka_unit_test(test_cert_host),
		cmocka_unit_test(test_cert_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
