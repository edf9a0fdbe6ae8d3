/* What the target's sshd links: see include/target/sshdlinks.h. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/binary/elfread.h"
#include "target/sshdlinks.h"
#include "safefs.h"

static const char *const progs[] = {
	"/usr/sbin/sshd", "/usr/lib/openssh/sshd-session",
	"/usr/libexec/openssh/sshd-session", NULL,
};

enum tri
sshd_links(struct target *t, const char *lib)
{
	struct elf_info ei;
	struct stat st;
	size_t i, j, n = strlen(lib);
	enum tri r = TRI_MAYBE;
	int fd;

	for (i = 0; r != TRI_YES && progs[i] != NULL; i++) {
		if ((fd = sfs_open(t->rootfd, progs[i], O_RDONLY, &st)) == -1)
			continue;
		if (S_ISREG(st.st_mode) && elf_read(fd, st.st_size, &ei) == 0) {
			if (r == TRI_MAYBE && !ei.cut)
				r = TRI_NO;
			for (j = 0; j < ei.nneeded; j++)
				if (strncmp(ei.needed[j], lib, n) == 0)
					r = TRI_YES;
			elf_free(&ei);
		}
		close(fd);
	}
	return r;
}

int
sshd_uses_pam(struct target *t)
{
	if (!cfg_flag(cfg_effective(&t->cfg, KW_USEPAM, NULL, NULL), 0))
		return 0;
	if (t->pam_linked == 0)
		t->pam_linked = 1 + (int)sshd_links(t, "libpam.so");
	return t->pam_linked - 1 != TRI_NO;
}
