/*
 * The ELF reader on hostile input: a small valid image of each class,
 * then the same image broken one field at a time. Every broken image
 * must fail with EINVAL, never read outside the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "target/binary/elfread.h"

#define VA	0x1000u
#define STRS	"\0libcrypto.so.3\0libc.so.6\0$ORIGIN/../lib"
#define STRSZ	(sizeof(STRS))	/* 41, the last NUL included */

/* Offsets of the 64-bit image. */
enum { PH = 64, INTERP = 232, DYN = 256, STR = 400, SIZE = 464 };

struct img {
	unsigned char	b[SIZE];
	size_t		len;
};

static void
dyn64(struct img *m, int i, uint64_t tag, uint64_t val)
{
	Elf64_Dyn d = { .d_tag = (Elf64_Sxword)tag, .d_un.d_val = val };

	memcpy(m->b + DYN + i * sizeof(d), &d, sizeof(d));
}

static void
phdr64(struct img *m, int i, uint32_t type, uint64_t off, uint64_t va,
    uint64_t sz)
{
	Elf64_Phdr p = { .p_type = type, .p_offset = off, .p_vaddr = va,
	    .p_filesz = sz, .p_memsz = sz };

	memcpy(m->b + PH + i * sizeof(p), &p, sizeof(p));
}

static Elf64_Ehdr *
ehdr64(struct img *m)
{
	return (Elf64_Ehdr *)(void *)m->b;
}

static void
build64(struct img *m)
{
	Elf64_Ehdr h;

	memset(m, 0, sizeof(*m));
	memset(&h, 0, sizeof(h));
	memcpy(h.e_ident, ELFMAG, SELFMAG);
	h.e_ident[EI_CLASS] = ELFCLASS64;
	h.e_ident[EI_DATA] = ELFDATA2LSB;
	h.e_ident[EI_VERSION] = EV_CURRENT;
	h.e_type = ET_DYN;
	h.e_machine = EM_X86_64;
	h.e_phoff = PH;
	h.e_phentsize = sizeof(Elf64_Phdr);
	h.e_phnum = 3;
	memcpy(m->b, &h, sizeof(h));
	phdr64(m, 0, PT_LOAD, 0, VA, SIZE);
	phdr64(m, 1, PT_INTERP, INTERP, VA + INTERP, 13);
	phdr64(m, 2, PT_DYNAMIC, DYN, VA + DYN, 6 * sizeof(Elf64_Dyn));
	memcpy(m->b + INTERP, "/lib64/ld.so", 13);
	dyn64(m, 0, DT_NEEDED, 1);
	dyn64(m, 1, DT_NEEDED, 16);
	dyn64(m, 2, DT_RUNPATH, 26);
	dyn64(m, 3, DT_STRTAB, VA + STR);
	dyn64(m, 4, DT_STRSZ, STRSZ);
	dyn64(m, 5, DT_NULL, 0);
	memcpy(m->b + STR, STRS, STRSZ);
	m->len = SIZE;
}

/* elf_read on LEN bytes; returns its result, errno kept. */
static int
read_buf(const void *b, size_t len, struct elf_info *ei)
{
	int fd = memfd_create("elf", MFD_CLOEXEC), r, saved;

	assert_true(fd != -1);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	errno = 0;
	r = elf_read(fd, (off_t)len, ei);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

static int
read_img(const struct img *m, struct elf_info *ei)
{
	return read_buf(m->b, m->len, ei);
}

static void
expect_einval(const struct img *m)
{
	struct elf_info ei;

	assert_int_equal(read_img(m, &ei), -1);
	assert_int_equal(errno, EINVAL);
}

static void
test_valid64(void **state)
{
	struct elf_info ei;
	struct img m;

	(void)state;
	build64(&m);
	assert_int_equal(read_img(&m, &ei), 0);
	assert_int_equal(ei.cls, ELFCLASS64);
	assert_int_equal(ei.machine, EM_X86_64);
	assert_string_equal(ei.interp, "/lib64/ld.so");
	assert_int_equal(ei.nneeded, 2);
	assert_string_equal(ei.needed[0], "libcrypto.so.3");
	assert_string_equal(ei.needed[1], "libc.so.6");
	assert_string_equal(ei.runpath, "$ORIGIN/../lib");
	assert_null(ei.rpath);
	elf_free(&ei);
}

static void
test_truncated(void **state)
{
	size_t cut[] = { 0, 3, EI_NIDENT, sizeof(Elf64_Ehdr) - 1, PH + 10,
	    DYN + 8, STR + 5 };
	struct img m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		build64(&m);
		m.len = cut[i];
		expect_einval(&m);
	}
}

static void
test_not_elf(void **state)
{
	struct img m;

	(void)state;
	build64(&m);
	m.b[1] = 'X';
	expect_einval(&m);
	build64(&m);
	m.b[EI_CLASS] = 7;
	expect_einval(&m);
	build64(&m);
	m.b[EI_DATA] = 0;
	expect_einval(&m);
}

static void
test_offsets_past_eof(void **state)
{
	struct img m;

	(void)state;
	build64(&m);
	ehdr64(&m)->e_phoff = SIZE - 8;
	expect_einval(&m);
	build64(&m);
	ehdr64(&m)->e_phoff = UINT64_MAX - 8;	/* wraps if added blindly */
	expect_einval(&m);
	build64(&m);
	phdr64(&m, 2, PT_DYNAMIC, SIZE - 16, VA, 0x100000);
	expect_einval(&m);
	build64(&m);
	phdr64(&m, 1, PT_INTERP, UINT64_MAX, VA, 13);
	expect_einval(&m);
	build64(&m);
	phdr64(&m, 0, PT_LOAD, 16, VA, UINT64_MAX);
	expect_einval(&m);
}

static void
test_huge_counts(void **state)
{
	struct img m;

	(void)state;
	build64(&m);
	ehdr64(&m)->e_phnum = 0xffff;
	expect_einval(&m);
	build64(&m);
	ehdr64(&m)->e_phentsize = 8;	/* smaller than a Phdr */
	expect_einval(&m);
	build64(&m);
	ehdr64(&m)->e_phentsize = 0xffff;	/* past the end */
	expect_einval(&m);
	build64(&m);
	dyn64(&m, 4, DT_STRSZ, UINT64_MAX);	/* capped by the segment */
	{
		struct elf_info ei;

		assert_int_equal(read_img(&m, &ei), 0);
		assert_string_equal(ei.needed[0], "libcrypto.so.3");
		elf_free(&ei);
	}
}

/* More program headers than the cap, all inside a large enough file. */
static void
test_phnum_cap(void **state)
{
	size_t n = ELF_MAX_PHNUM + 1, len = PH + n * sizeof(Elf64_Phdr);
	unsigned char *b = calloc(1, len);
	struct elf_info ei;
	struct img m;

	(void)state;
	assert_non_null(b);
	build64(&m);
	ehdr64(&m)->e_phnum = (Elf64_Half)n;
	memcpy(b, m.b, sizeof(Elf64_Ehdr));	/* PT_NULL headers follow */
	assert_int_equal(read_buf(b, len, &ei), -1);
	assert_int_equal(errno, EINVAL);
	ehdr64(&m)->e_phnum = (Elf64_Half)(n - 1);
	memcpy(b, m.b, sizeof(Elf64_Ehdr));
	assert_int_equal(read_buf(b, len, &ei), 0);
	elf_free(&ei);
	free(b);
}

static void
test_strtab_outside_load(void **state)
{
	struct img m;

	(void)state;
	build64(&m);
	dyn64(&m, 3, DT_STRTAB, 0x900000);
	expect_einval(&m);
	/* As a file offset it would be the table: it is an address. */
	build64(&m);
	dyn64(&m, 3, DT_STRTAB, STR);
	expect_einval(&m);
	build64(&m);
	dyn64(&m, 3, DT_STRTAB, VA - 1);
	expect_einval(&m);
	build64(&m);
	dyn64(&m, 4, DT_NULL, 0);	/* no DT_STRSZ */
	expect_einval(&m);
}

static void
test_string_without_nul(void **state)
{
	struct img m;

	(void)state;
	build64(&m);
	dyn64(&m, 4, DT_STRSZ, 10);	/* inside "libcrypto.so.3" */
	expect_einval(&m);
	build64(&m);
	dyn64(&m, 0, DT_NEEDED, STRSZ + 3);	/* past DT_STRSZ */
	expect_einval(&m);
	build64(&m);
	memset(m.b + STR, 'A', SIZE - STR);	/* runs to the end of file */
	expect_einval(&m);
	build64(&m);
	memcpy(m.b + INTERP, "/lib64/ld.so!", 13);	/* PT_INTERP unended */
	expect_einval(&m);
}

static void
test_no_dynamic(void **state)
{
	struct elf_info ei;
	struct img m;

	(void)state;
	build64(&m);
	ehdr64(&m)->e_phnum = 1;
	assert_int_equal(read_img(&m, &ei), 0);
	assert_int_equal(ei.nneeded, 0);
	assert_null(ei.interp);
	elf_free(&ei);
}

/* A 32-bit big-endian image: one PT_DYNAMIC with one DT_NEEDED. */
static void
test_32bit_big_endian(void **state)
{
	static const unsigned char img[] = {
		0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2MSB, 1, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 3, 0, EM_PPC, 0, 0, 0, 1,	/* type, machine, version */
		0, 0, 0, 0, 0, 0, 0, 52,	/* entry, phoff */
		0, 0, 0, 0, 0, 0, 0, 0,		/* shoff, flags */
		0, 52, 0, 32, 0, 2, 0, 0,	/* ehsize, phentsize, phnum */
		0, 0, 0, 0,
		/* 52: PT_LOAD 0..160 at va 0 */
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 160, 0, 0, 0, 160, 0, 0, 0, 5, 0, 0, 0, 4,
		/* 84: PT_DYNAMIC at 116, 32 bytes */
		0, 0, 0, 2, 0, 0, 0, 116, 0, 0, 0, 116, 0, 0, 0, 116,
		0, 0, 0, 32, 0, 0, 0, 32, 0, 0, 0, 6, 0, 0, 0, 4,
		/* 116: NEEDED 1, STRTAB 148, STRSZ 12, NULL */
		0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 148,
		0, 0, 0, 10, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0,
		/* 148: strings */
		0, 'l', 'i', 'b', 'w', 'r', 'a', 'p', '.', 's', 'o', 0,
	};
	struct elf_info ei;
	struct img m;

	(void)state;
	memset(&m, 0, sizeof(m));
	memcpy(m.b, img, sizeof(img));
	m.len = sizeof(img);
	assert_int_equal(read_img(&m, &ei), 0);
	assert_int_equal(ei.cls, ELFCLASS32);
	assert_int_equal(ei.data, ELFDATA2MSB);
	assert_int_equal(ei.machine, EM_PPC);
	assert_int_equal(ei.nneeded, 1);
	assert_string_equal(ei.needed[0], "libwrap.so");
	elf_free(&ei);
}

/*
 * N DT_NEEDED entries (all "libc.so.6") in an image of its own: past
 * ELF_MAX_NEEDED the list is cut, and ei.cut says so (binlibs makes the
 * diagnosis incomplete: a missing library past the cap is not "none").
 */
static int
read_needed(size_t n, struct elf_info *ei)
{
	size_t ndyn = n + 3, dyn = PH + 2 * sizeof(Elf64_Phdr);
	size_t str = dyn + ndyn * sizeof(Elf64_Dyn), len = str + STRSZ, i;
	unsigned char *b = calloc(1, len);
	struct img m;
	int r;

	assert_non_null(b);
	build64(&m);
	ehdr64(&m)->e_phnum = 2;
	memcpy(b, m.b, sizeof(Elf64_Ehdr));
	memset(&m, 0, sizeof(m));
	phdr64(&m, 0, PT_LOAD, 0, VA, len);
	phdr64(&m, 1, PT_DYNAMIC, dyn, VA + dyn, ndyn * sizeof(Elf64_Dyn));
	memcpy(b + PH, m.b + PH, 2 * sizeof(Elf64_Phdr));
	for (i = 0; i < ndyn; i++) {
		Elf64_Dyn d = { .d_tag = DT_NEEDED, .d_un.d_val = 16 };

		if (i == n)
			d = (Elf64_Dyn){ .d_tag = DT_STRTAB, .d_un.d_val =
			    VA + str };
		else if (i == n + 1)
			d = (Elf64_Dyn){ .d_tag = DT_STRSZ, .d_un.d_val = STRSZ };
		else if (i == n + 2)
			d = (Elf64_Dyn){ .d_tag = DT_NULL };
		memcpy(b + dyn + i * sizeof(d), &d, sizeof(d));
	}
	memcpy(b + str, STRS, STRSZ);
	r = read_buf(b, len, ei);
	free(b);
	return r;
}

static void
test_needed_cap(void **state)
{
	struct elf_info ei;

	(void)state;
	assert_int_equal(read_needed(ELF_MAX_NEEDED, &ei), 0);
	assert_int_equal(ei.nneeded, ELF_MAX_NEEDED);
	assert_int_equal(ei.cut, 0);
	assert_string_equal(ei.needed[ELF_MAX_NEEDED - 1], "libc.so.6");
	assert_true(ei.bytes > ELF_MAX_NEEDED * sizeof(Elf64_Dyn));
	elf_free(&ei);
	assert_int_equal(read_needed(ELF_MAX_NEEDED + 1, &ei), 0);
	assert_int_equal(ei.nneeded, ELF_MAX_NEEDED);
	assert_int_equal(ei.cut, 1);
	elf_free(&ei);
	/* Past ELF_MAX_DYN entries, with no DT_NULL before: cut too, even
	   with DT_STRTAB out of reach (never "not an ELF file"). */
	assert_int_equal(read_needed(ELF_MAX_DYN, &ei), 0);
	assert_int_equal(ei.cut, 1);
	elf_free(&ei);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid64),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_offsets_past_eof),
		cmocka_unit_test(test_huge_counts),
		cmocka_unit_test(test_phnum_cap),
		cmocka_unit_test(test_strtab_outside_load),
		cmocka_unit_test(test_string_without_nul),
		cmocka_unit_test(test_no_dynamic),
		cmocka_unit_test(test_32bit_big_endian),
		cmocka_unit_test(test_needed_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
