/*
 * ELF reader for the sshd binary and the libraries it needs.
 *
 * MUST: the file is hostile. Nothing is mapped; each structure is read
 * with pread into a buffer of known size, every offset + size is checked
 * against the file size without overflow, and every count is capped
 * (elfread.h). A string is accepted only with its NUL inside the string
 * table and inside the file.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/binary/elfread.h"
#include "util.h"

struct ef {
	int		 fd;
	uint64_t	 size;
	int		 is64, be;
	uint64_t	 phoff;
	uint64_t	 phentsize, phnum;
	size_t		 bytes;		/* read so far */
};

struct load {
	uint64_t	 vaddr, off, filesz;
};

static uint64_t
get(const struct ef *e, const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[e->be ? n - 1 - i : i] << (8 * i);
	return v;
}

/* A word of the file's class: 4 or 8 bytes. */
#define WORD(e, p)	get((e), (p), (e)->is64 ? 8 : 4)

/* Is [off, off + len) inside the file? */
static int
inside(const struct ef *e, uint64_t off, uint64_t len)
{
	return off <= e->size && len <= e->size - off;
}

static int
readat(struct ef *e, void *buf, size_t len, uint64_t off)
{
	ssize_t r;

	if (!inside(e, off, len)) {
		errno = EINVAL;
		return -1;
	}
	r = pread(e->fd, buf, len, (off_t)off);
	if (r == -1)
		return -1;
	e->bytes += (size_t)r;
	if ((size_t)r != len) {
		errno = EINVAL;	/* shrank under us */
		return -1;
	}
	return 0;
}

static int
read_ident(struct ef *e, struct elf_info *ei)
{
	unsigned char h[sizeof(Elf64_Ehdr)];

	memset(h, 0, sizeof(h));
	if (readat(e, h, EI_NIDENT, 0) == -1)
		return -1;
	if (memcmp(h, ELFMAG, SELFMAG) != 0 ||
	    (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64) ||
	    (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)) {
		errno = EINVAL;
		return -1;
	}
	e->is64 = h[EI_CLASS] == ELFCLASS64;
	e->be = h[EI_DATA] == ELFDATA2MSB;
	if (readat(e, h, e->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr),
	    0) == -1)
		return -1;
	ei->cls = h[EI_CLASS];
	ei->data = h[EI_DATA];
	ei->machine = (unsigned int)get(e, h + offsetof(Elf64_Ehdr,
	    e_machine), 2);
	if (e->is64) {
		e->phoff = get(e, h + offsetof(Elf64_Ehdr, e_phoff), 8);
		e->phentsize = get(e, h + offsetof(Elf64_Ehdr, e_phentsize), 2);
		e->phnum = get(e, h + offsetof(Elf64_Ehdr, e_phnum), 2);
	} else {
		e->phoff = get(e, h + offsetof(Elf32_Ehdr, e_phoff), 4);
		e->phentsize = get(e, h + offsetof(Elf32_Ehdr, e_phentsize), 2);
		e->phnum = get(e, h + offsetof(Elf32_Ehdr, e_phnum), 2);
	}
	return 0;
}

/* A NUL-terminated string at OFF, at most MAX bytes with the NUL. */
static int
read_str(struct ef *e, uint64_t off, uint64_t max, char **out)
{
	char buf[ELF_MAX_STR];
	size_t len;
	ssize_t r;

	if (max > sizeof(buf))
		max = sizeof(buf);
	if (off >= e->size) {
		errno = EINVAL;
		return -1;
	}
	if (max > e->size - off)
		max = e->size - off;
	if ((r = pread(e->fd, buf, (size_t)max, (off_t)off)) == -1)
		return -1;
	e->bytes += (size_t)r;
	len = strnlen(buf, (size_t)r);
	if (len == (size_t)r) {
		errno = EINVAL;
		return -1;
	}
	*out = xstrndup(buf, len);
	return 0;
}

struct dyn {
	uint64_t	 strtab, strsz;
	int		 has_strtab, has_strsz;
	uint64_t	 needed[ELF_MAX_NEEDED];
	size_t		 nneeded;
	uint64_t	 runpath, rpath;
	int		 has_runpath, has_rpath;
	int		 cut;		/* an entry past a cap */
};

static int
scan_dynamic(struct ef *e, uint64_t off, uint64_t filesz, struct dyn *d)
{
	size_t esz = e->is64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn), n, i;
	unsigned char *buf;
	uint64_t tag, val;
	int past;

	n = (size_t)(filesz / esz < ELF_MAX_DYN ? filesz / esz : ELF_MAX_DYN);
	buf = xcalloc(n ? n : 1, esz);
	if (readat(e, buf, n * esz, off) == -1) {
		free(buf);
		return -1;
	}
	/* Entries past ELF_MAX_DYN, unless DT_NULL ends them first. */
	past = filesz / esz > ELF_MAX_DYN;
	for (i = 0; i < n; i++) {
		tag = WORD(e, buf + i * esz);
		val = WORD(e, buf + i * esz + esz / 2);
		if (tag == DT_NULL) {
			past = 0;
			break;
		}
		if (tag == DT_NEEDED && d->nneeded == ELF_MAX_NEEDED)
			d->cut = 1;
		else if (tag == DT_NEEDED)
			d->needed[d->nneeded++] = val;
		else if (tag == DT_STRTAB)
			d->strtab = val, d->has_strtab = 1;
		else if (tag == DT_STRSZ)
			d->strsz = val, d->has_strsz = 1;
		else if (tag == DT_RUNPATH)
			d->runpath = val, d->has_runpath = 1;
		else if (tag == DT_RPATH)
			d->rpath = val, d->has_rpath = 1;
	}
	d->cut |= past;
	free(buf);
	return 0;
}

/* The file offset of virtual address VA, through the PT_LOAD segments. */
static int
va_to_off(const struct load *l, size_t n, uint64_t va, uint64_t *off,
    uint64_t *room)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (va >= l[i].vaddr && va - l[i].vaddr < l[i].filesz) {
			*off = l[i].off + (va - l[i].vaddr);
			*room = l[i].filesz - (va - l[i].vaddr);
			return 0;
		}
	errno = EINVAL;
	return -1;
}

static int
dyn_str(struct ef *e, const struct dyn *d, uint64_t stroff,
    uint64_t tab, uint64_t room, char **out)
{
	if (stroff >= d->strsz || stroff >= room || tab > UINT64_MAX - stroff) {
		errno = EINVAL;
		return -1;
	}
	return read_str(e, tab + stroff, d->strsz - stroff < room - stroff ?
	    d->strsz - stroff : room - stroff, out);
}

static int
read_strings(struct ef *e, const struct load *l, size_t nl,
    const struct dyn *d, struct elf_info *ei)
{
	uint64_t tab, room;
	size_t i;

	ei->cut = d->cut;
	if (d->nneeded == 0 && !d->has_runpath && !d->has_rpath)
		return 0;
	/* Its table past the cap: the object's needs are unknown, not
	   "none", and not "no ELF file" either. */
	if ((!d->has_strtab || !d->has_strsz) && d->cut)
		return 0;
	if (!d->has_strtab || !d->has_strsz) {
		errno = EINVAL;
		return -1;
	}
	if (va_to_off(l, nl, d->strtab, &tab, &room) == -1)
		return -1;
	ei->needed = xcalloc(d->nneeded ? d->nneeded : 1, sizeof(char *));
	for (i = 0; i < d->nneeded; i++) {
		if (dyn_str(e, d, d->needed[i], tab, room, &ei->needed[i]) == -1)
			return -1;
		ei->nneeded++;
	}
	if (d->has_runpath &&
	    dyn_str(e, d, d->runpath, tab, room, &ei->runpath) == -1)
		return -1;
	if (d->has_rpath &&
	    dyn_str(e, d, d->rpath, tab, room, &ei->rpath) == -1)
		return -1;
	return 0;
}

static int
read_segments(struct ef *e, struct elf_info *ei)
{
	size_t psz = e->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr), i, nl = 0;
	uint64_t type, off, va, filesz, dynoff = 0, dynsz = 0;
	unsigned char *ph;
	struct load *l;
	struct dyn *d;
	int r = -1, has_dyn = 0;

	if (e->phnum == 0)
		return 0;
	if (e->phentsize < psz || e->phnum > ELF_MAX_PHNUM) {
		errno = EINVAL;
		return -1;
	}
	ph = xcalloc((size_t)e->phnum, (size_t)e->phentsize);
	l = xcalloc((size_t)e->phnum, sizeof(*l));
	d = xcalloc(1, sizeof(*d));
	if (readat(e, ph, (size_t)(e->phnum * e->phentsize), e->phoff) == -1)
		goto out;
	for (i = 0; i < e->phnum; i++) {
		unsigned char *p = ph + i * e->phentsize;

		type = get(e, p, 4);
		off = e->is64 ? get(e, p + 8, 8) : get(e, p + 4, 4);
		va = e->is64 ? get(e, p + 16, 8) : get(e, p + 8, 4);
		filesz = e->is64 ? get(e, p + 32, 8) : get(e, p + 16, 4);
		if (type == PT_LOAD) {
			if (!inside(e, off, filesz)) {
				errno = EINVAL;
				goto out;
			}
			l[nl++] = (struct load){ va, off, filesz };
		} else if (type == PT_DYNAMIC && !has_dyn) {
			dynoff = off, dynsz = filesz, has_dyn = 1;
		} else if (type == PT_INTERP && ei->interp == NULL) {
			if (read_str(e, off, filesz, &ei->interp) == -1)
				goto out;
		}
	}
	if (has_dyn && (scan_dynamic(e, dynoff, dynsz, d) == -1 ||
	    read_strings(e, l, nl, d, ei) == -1))
		goto out;
	r = 0;
out:
	free(ph);
	free(l);
	free(d);
	return r;
}

static int
open_ef(struct ef *e, int fd, off_t size, struct elf_info *ei)
{
	memset(ei, 0, sizeof(*ei));
	memset(e, 0, sizeof(*e));
	if (size < 0) {
		errno = EINVAL;
		return -1;
	}
	e->fd = fd;
	e->size = (uint64_t)size;
	return read_ident(e, ei);
}

int
elf_ident(int fd, off_t size, struct elf_info *ei)
{
	struct ef e;

	return open_ef(&e, fd, size, ei);
}

int
elf_read(int fd, off_t size, struct elf_info *ei)
{
	struct ef e;
	int saved;

	if (open_ef(&e, fd, size, ei) == -1)
		return -1;
	if (read_segments(&e, ei) == -1) {
		saved = errno;
		elf_free(ei);
		errno = saved;
		return -1;
	}
	ei->bytes = e.bytes;
	return 0;
}

void
elf_free(struct elf_info *ei)
{
	size_t i;

	for (i = 0; i < ei->nneeded; i++)
		free(ei->needed[i]);
	free(ei->needed);
	free(ei->interp);
	free(ei->runpath);
	free(ei->rpath);
	memset(ei, 0, sizeof(*ei));
}
