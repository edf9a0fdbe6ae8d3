/*
 * os-release reader: the input is parsed in memory by osinfo_parse and,
 * as a diagnosis reads it, as a temp root's /etc/os-release by
 * target_open; both must agree. The distribution patch rules are then
 * judged from it. Every field is a copy of bytes of the input, NUL
 * terminated in its array, and the family matches the sshd chroot.
 */
#include "target/load.h"
#include "fuzz.h"

#include "target/release.h"
#include "target/target.h"

static const char *const dirs[] = { "etc", "etc/ssh", NULL };

static void
field_ok(const char *f, size_t cap, const uint8_t *data, size_t size)
{
	size_t n;

	if (memchr(f, '\0', cap) == NULL || strchr(f, '\n') != NULL)
		abort();
	/* A value is cut or unquoted, never made up. */
	if ((n = strlen(f)) > 0 && memmem(data, size, f, n) == NULL)
		abort();
}

static void
check(const struct osinfo *os, const uint8_t *data, size_t size)
{
	enum tri a = release_patch_at(REL_PRIVATE_GROUP_WRITE, os);
	enum tri b = release_patch_at(REL_SSH_KEYS_GROUP, os);

	field_ok(os->id, sizeof(os->id), data, size);
	field_ok(os->id_like, sizeof(os->id_like), data, size);
	field_ok(os->version_id, sizeof(os->version_id), data, size);
	field_ok(os->pretty, sizeof(os->pretty), data, size);
	if ((os->family == OS_DEBIAN) != (os->privsep_dir != NULL &&
	    strcmp(os->privsep_dir, "/run/sshd") == 0) ||
	    (os->family == OS_RHEL) != (os->privsep_dir != NULL &&
	    strcmp(os->privsep_dir, "/var/empty/sshd") == 0) ||
	    (os->family == OS_OTHER) != (os->privsep_dir == NULL))
		abort();
	if (os->family == OS_DEBIAN && strcmp(os->id, "debian") != 0 &&
	    strstr(os->id_like, "debian") == NULL &&
	    strstr(os->id_like, "ubuntu") == NULL)
		abort();
	/* A patch rule answers for every distribution: never "maybe". */
	if ((a != TRI_NO && a != TRI_YES) || (b != TRI_NO && b != TRI_YES))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct osinfo os;
	struct target t;
	char *text;

	if (fz_rootfd == -1) {
		fz_root_init(dirs);
		fz_puts("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
		fz_puts("etc/ssh/sshd_config", "");
	}
	if ((text = strndup((const char *)data, size)) == NULL)
		abort();
	osinfo_parse(&os, text);
	check(&os, data, size);
	free(text);
	fz_put("etc/os-release", data, size, 0644);
	if (target_open(&t, fz_root) == -1)
		abort();
	check(&t.os, data, size);
	/* The file and the text are read alike (up to the first NUL);
	 * read_osinfo leaves out a file over 64 KiB. */
	if (size <= 65536 && (strcmp(t.os.id, os.id) != 0 || strcmp(t.os.id_like,
	    os.id_like) != 0 || strcmp(t.os.version_id, os.version_id) != 0 ||
	    strcmp(t.os.pretty, os.pretty) != 0 || t.os.family != os.family))
		abort();
	target_close(&t);
	fz_fd_check();
	return 0;
}
