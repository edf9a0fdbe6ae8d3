/*
 * Key fingerprints as ssh-keygen -l and ssh -v print them (key-offered
 * compares them with what the client's log shows), and RSA modulus bits
 * (RequiredRSASize): known answers from
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

/* RSA modulus bits as ssh-keygen -l prints them (RequiredRSASize). */
static void
test_keyfp_rsa_bits(void **state)
{
	static const char k1024[] = "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDNU3LDt64"
	    "EQQVbAB1jwLDjJ5VIWtTk9rC7PcFoEULC13mocssTIXx3A6d7EUXJBmTUlSi/2EJg"
	    "KDUEl/FIoaO2SJ2Nr7m/TQEA5aQJzVCBEMH9RwDvKi5/R/EiavDh9WWxCngcl4SQO"
	    "MnsI+dFOTFEK+KILTaw9uhQInp8r2NeYw==";
	static const char k3000[] =
	    "AAAAB3NzaC1yc2EAAAADAQABAAABeACd5zGRIfF8Wbu5cH1uoYLXfDi+0FdS"
	    "3Jy3gVVQstPGSh+ViGCliYVgnVvV6IMgmVQu0Gi4jlNsZ8CFAZNxPIDCl9F3"
	    "R0iyF0rukMgk2JjTzKMKgJvoiUzgX4whkza3eazN6LKVFU0TCR/KPtJj6LlR"
	    "66dDS3ozjC5fienFUQ5rf2m5xtWuBxceB9kQRjHGm/5QanH7tNFl8hdUYIhG"
	    "c1XOsahk0+XP7l9UTWJ3zpkmJu7vkF4XwVb/hzDsF6MIpPH2oOpVteoVy6GG"
	    "VKkhsAIYPnnU9c43bp9KqxtFGV/3UdYCl8qnB4jaEaBUNuErQKH7Ob9L5gQh"
	    "mQrLebiUX/QG59mxVB21AF0DeLRPEMPkrUR0LREaETzjP6eqARSjaVX9JZlO"
	    "h4XRVV6Gpp4hmA80PN6N7t7O0Oe5P9azb60ZdmyeO2bp/EdTjRwSkYcDIW7s"
	    "k/0RpY6Vua1N6ut3xRuII0RT/Pe6M86BNxP0WQ+4JF8jiqNDomk=";
	static const char ed[] = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOo"
	    "qKLsabgH5C9okWi0dh2l9GKJl";

	(void)state;
	assert_int_equal(pubkey_rsa_bits(k1024, strlen(k1024)), 1024);
	assert_int_equal(pubkey_rsa_bits(k3000, strlen(k3000)), 3000);
	assert_int_equal(pubkey_rsa_bits(ed, strlen(ed)), -1);
	/* cut short inside the modulus */
	assert_int_equal(pubkey_rsa_bits(k1024, 40), -1);
	assert_int_equal(pubkey_rsa_bits("AAAA*", 5), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyfp_known),
		cmocka_unit_test(test_keyfp_not_base64),
		cmocka_unit_test(test_keyfp_rsa_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
