/*
 * Key fingerprints as ssh-keygen -l and ssh -v print them (key-offered
 * compares them with what the client's log shows): known answers from
 * OpenSSH 9.2's ssh-keygen -lf, and what is not base64.
 */
#include "fixture.h"
#include "target/keys/keyparse.h"

static void
expect_fp(const char *b64, const char *want)
{
	char *fp = pubkey_fingerprint(b64, strlen(b64));

	if (want == NULL)
		assert_null(fp);
	else
		assert_string_equal(fp, want);
	free(fp);
}

static void
test_keyfp_known(void **state)
{
	(void)state;
	expect_fp("AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0"
	    "dh2l9GKJl", "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU");
	expect_fp("AAAAB3NzaC1yc2EAAAADAQABAAAAgQDNU3LDt64EQQVbAB1jwLDjJ5VIWtT"
	    "k9rC7PcFoEULC13mocssTIXx3A6d7EUXJBmTUlSi/2EJgKDUEl/FIoaO2SJ2Nr7m/"
	    "TQEA5aQJzVCBEMH9RwDvKi5/R/EiavDh9WWxCngcl4SQOMnsI+dFOTFEK+KILTaw9"
	    "uhQInp8r2NeYw==",
	    "SHA256:t0Jsbp5h4cEwbTy34ptCMe60JbsKHTKwiI6kzkGy2Y4");
}

static void
test_keyfp_not_base64(void **state)
{
	(void)state;
	expect_fp("AAAA*not-base64", NULL);
	expect_fp("AAAAC3N", NULL);	/* not a multiple of 4 */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyfp_known),
		cmocka_unit_test(test_keyfp_not_base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
