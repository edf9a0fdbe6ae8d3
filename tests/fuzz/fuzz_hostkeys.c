/*
 * Host key reader: the input is the private key a HostKey line names in
 * a temp root, scanned by hostkeys_scan as a diagnosis does.
 */
#include "target/load.h"
#include "fuzz.h"

#include "target/keys/hostkeys.h"

static const char *const dirs[] = { "etc", "etc/ssh", NULL };
static struct target t;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostkeys h;

	if (fz_rootfd == -1) {
		fz_root_init(dirs);
		fz_puts("etc/passwd", "root:x:0:0::/root:/bin/sh\n");
		fz_puts("etc/ssh/sshd_config", "HostKey /etc/ssh/fuzz_key\n"
		    "HostKey /etc/ssh/ssh_host_ed25519_key\n");
		if (target_open(&t, fz_root) == -1)
			abort();
	}
	fz_put("etc/ssh/fuzz_key", data, size, 0600);
	fz_put("etc/ssh/ssh_host_ed25519_key", data, size, 0644);
	if (hostkeys_scan(&t, &h) == 0) {
		(void)hostkeys_usable(&h, 0);
		(void)hostkeys_usable(&h, 1);
		hostkeys_free(&h);
	}
	fz_fd_check();
	return 0;
}
