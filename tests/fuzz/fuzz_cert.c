/*
 * Certificate parser: the input is the base64 of a certificate given
 * with --authorized-key. Every field it returns is bounded: a type that
 * is a certificate's, at most CERT_MAX_PRINCIPALS principals, NUL-free
 * strings; cut short or left over is -1.
 */
#include "fuzz.h"

#include "target/keys/cert.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sshcert c;
	size_t i;

	if (cert_parse((const char *)data, size, &c) == -1)
		return 0;
	if (!cert_type(c.type) || c.nprincipals > CERT_MAX_PRINCIPALS ||
	    c.plain_b64 == NULL || c.ca_b64 == NULL || c.key_id == NULL)
		abort();
	for (i = 0; i < c.nprincipals; i++)
		if (c.principals[i] == NULL)
			abort();
	cert_free(&c);
	return 0;
}
