/*
 * ELF reader and library lookup: the input is a temp root's
 * /usr/sbin/sshd, then (after "%%%" lines) /lib/libfuzz.so.1 and
 * /etc/ld.so.conf, checked by bincheck_run as a diagnosis does; the
 * first part is also read alone by elf_read.
 */
#include "fuzz.h"

#include "target/binary/binlibs.h"
#include "target/binary/elfread.h"
#include "util.h"

static const char *const dirs[] = { "etc", "lib", "usr", "usr/sbin", NULL };
static const char *const files[] = { "usr/sbin/sshd", "lib/libfuzz.so.1",
    "etc/ld.so.conf" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *part[3];
	size_t len[3], n, i;
	struct unread_list unread = { NULL, 0 };
	struct bincheck bc;
	struct ldconf lc;
	struct elf_info ei;
	struct stat st;
	int fd;

	if (fz_rootfd == -1)
		fz_root_init(dirs);
	n = fz_split(data, size, part, len, 3);
	for (i = 0; i < 3; i++)
		fz_put(files[i], i < n ? part[i] : NULL, i < n ? len[i] : 0,
		    0755);
	fd = openat(fz_rootfd, files[0], O_RDONLY | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1)
		abort();
	if (elf_read(fd, st.st_size, &ei) == 0)
		elf_free(&ei);
	close(fd);
	ldconf_load(fz_rootfd, &lc, &unread);
	if (bincheck_run(fz_rootfd, &lc, "/usr/sbin/sshd", &bc, &unread) == 0)
		bincheck_free(&bc);
	ldconf_free(&lc);
	unread_free(&unread);
	fz_fd_check();
	return 0;
}
