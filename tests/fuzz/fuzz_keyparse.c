/*
 * Private key parser: the input is a key file's contents, judged in
 * process as hostkeys.c does before it asks ssh-keygen. The decoded body
 * is wiped and freed; the result must be one of the enum's values.
 */
#include "fuzz.h"

#include "target/keys/keyparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keyinfo ki;
	enum kp_result r = keyparse((const char *)data, size, &ki);

	if (r > KP_UNKNOWN || memchr(ki.type, '\0', sizeof(ki.type)) == NULL)
		abort();
	return 0;
}
