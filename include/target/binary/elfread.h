/*
 * The dynamic-linking facts of an ELF file, read from an open fd with
 * pread: what ld.so would need to start it. The file is hostile input:
 * every offset and size is checked against the file size and capped.
 */
#ifndef SSHFIX_ELFREAD_H
#define SSHFIX_ELFREAD_H

#include <stddef.h>
#include <sys/types.h>

#include "budget.h"	/* ELF_MAX_PHNUM, ELF_MAX_DYN, ELF_MAX_NEEDED,
			   ELF_MAX_STR */

struct elf_info {
	int	 cls;		/* ELFCLASS32 or ELFCLASS64 */
	int	 data;		/* ELFDATA2LSB or ELFDATA2MSB */
	unsigned int machine;	/* e_machine */
	char	*interp;	/* PT_INTERP, or NULL */
	char	**needed;	/* DT_NEEDED, in order */
	size_t	 nneeded;
	char	*runpath;	/* DT_RUNPATH, or NULL */
	char	*rpath;		/* DT_RPATH, or NULL */
	int	 cut;		/* DT_NEEDED or dynamic entries past the
				   caps were not read: the list is partial */
	size_t	 bytes;		/* read from the file (pread) */
};

/*
 * Read FD (SIZE bytes long). Returns 0, or -1 with errno EINVAL (not an
 * ELF file or malformed: an offset past the end, a string without its
 * NUL ...) or the error of pread. A file without a dynamic section is
 * valid: no needed libraries. Nothing to free on -1.
 */
int	elf_read(int fd, off_t size, struct elf_info *);
/* Only the identification: class, data and machine. */
int	elf_ident(int fd, off_t size, struct elf_info *);
void	elf_free(struct elf_info *);

#endif
