/*
 * authorized_keys reader: the input is counted in memory as sshd would
 * read it, loaded as an --authorized-key file, and read as alice's
 * ~/.ssh/authorized_keys by login_load from a temp root, each line
 * judged as the model judges it (keyfile_usable: types, from=, expiry,
 * key options).
 */
#include "target/load.h"
#include "target/keys/keytext.h"
#include "fuzz.h"

#include "target/login/access.h"
#include "target/login/login.h"
#include "target/login/logins.h"
#include "target/keys/newkeys.h"

static const char *const dirs[] = { "etc", "etc/ssh", "home", "home/alice",
    "home/alice/.ssh", NULL };
static struct target t;
static struct account alice;

static void
setup(void)
{
	struct passwd pw = { .pw_name = "alice", .pw_passwd = "x",
	    .pw_uid = 0, .pw_gid = 0, .pw_dir = "/home/alice",
	    .pw_shell = "/bin/sh" };

	fz_root_init(dirs);
	fz_puts("etc/passwd", "alice:x:0:0::/home/alice:/bin/sh\n");
	fz_puts("etc/ssh/sshd_config", "AuthorizedKeysFile "
	    ".ssh/authorized_keys /etc/ssh/keys/%u\n");
	if (target_open(&t, fz_root) == -1)
		abort();
	account_copy(&alice, &pw);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct login l;
	char path[PATH_MAX + 32], **keys, *arg;

	if (fz_rootfd == -1)
		setup();
	(void)authkeys_count((const char *)data, size);
	fz_put("home/alice/.ssh/authorized_keys", data, size, 0600);
	if (login_load(&t, &alice, &l) == 0) {
		for (int i = 0; i < l.nkf; i++)
			(void)keyfile_usable(&t, &l, &l.kf[i]);
		login_free(&l);
	}
	snprintf(path, sizeof(path), "%s/home/alice/.ssh/authorized_keys",
	    fz_root);
	free_strv(newkeys_load(path));
	/* One --authorized-key KEY argument (a C string: up to a NUL). */
	if ((arg = strndup((const char *)data, size)) == NULL)
		abort();
	if (arg[0] != '\0' && arg[0] != '/' && (keys = newkeys_load(arg)))
		free_strv(keys);
	free(arg);
	fz_fd_check();
	return 0;
}
