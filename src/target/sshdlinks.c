/* What the target's sshd links: see include/target/sshdlinks.h. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/binary/elfread.h"
#include "target/release.h"
#include "target/sshdlinks.h"
#include "safefs.h"
#include "util.h"

/* Does PROG link LIB...? TRI_MAYBE: not read (or not wholly). */
static enum tri
links(struct target *t, const char *prog, const char *lib)
{
	struct elf_info ei;
	struct stat st;
	enum tri r = TRI_MAYBE;
	size_t j;
	int fd;

	if ((fd = sfs_open(t->rootfd, prog, O_RDONLY, &st)) == -1)
		return TRI_MAYBE;
	if (S_ISREG(st.st_mode) && elf_read(fd, st.st_size, &ei) == 0) {
		if (!ei.cut)
			r = TRI_NO;
		for (j = 0; j < ei.nneeded; j++)
			if (strncmp(ei.needed[j], lib, strlen(lib)) == 0)
				r = TRI_YES;
		elf_free(&ei);
	}
	close(fd);
	return r;
}

enum tri
sshd_links(struct target *t, const char *lib)
{
	const char *progs[1 + HELPER__COUNT + HELPER_NSESSION_BINS];
	size_t i, n = 0;
	enum tri r = TRI_MAYBE, one;
	int known;

	progs[n++] = "/usr/sbin/sshd";
	for (i = 0; i < HELPER__COUNT; i++)
		if ((progs[n] = release_helper(t, (enum sshd_helper)i,
		    &known)) != NULL)
			n++;
	for (i = 0; !known && helper_session_bins[i] != NULL; i++)
		progs[n++] = helper_session_bins[i];
	for (i = 0; r != TRI_YES && i < n; i++)
		if ((one = links(t, progs[i], lib)) != TRI_MAYBE)
			r = one == TRI_YES || r == TRI_MAYBE ? one : r;
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
