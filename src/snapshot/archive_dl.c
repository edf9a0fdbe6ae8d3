/*
 * libarchive, loaded when a snapshot is first written or read. A dry run
 * never needs it, and linking it would load libxml2, ICU and libstdc++
 * into every run (3 ms and 3.5 MB before main). Each function below has
 * the prototype archive.h declares (the compiler checks it) and forwards
 * to the library's own. Only the snapshot module calls these.
 *
 * make static (SSHFIX_STATIC) links libarchive in instead: a rescue
 * system may have no libarchive, or one too old, and a static binary
 * cannot dlopen. There the library is always ready.
 */
#include "snapshot/snapshot_int.h"

#ifdef SSHFIX_STATIC

int
snap_lib_ready(void)
{
	return 0;
}

#else

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

#define LIBARCHIVE	"libarchive.so.13"

static void *lib;

int
snap_lib_ready(void)
{
	if (lib == NULL && (lib = dlopen(LIBARCHIVE, RTLD_NOW | RTLD_LOCAL))
	    == NULL) {
		err_set("cannot load %s, needed for snapshots (install "
		    "libarchive13 or libarchive): %s", LIBARCHIVE, dlerror());
		return -1;
	}
	return 0;
}

static void *
sym(const char *name)
{
	void *p;

	if (snap_lib_ready() == -1 || (p = dlsym(lib, name)) == NULL) {
		/* A libarchive without a function archive.h declares. */
		fprintf(stderr, "sshfix: %s: no %s\n", LIBARCHIVE, name);
		abort();
	}
	return p;
}

#define F(ret, name, params, args)					\
ret name params								\
{									\
	static __typeof__(&name) fn;					\
	if (fn == NULL)							\
		fn = (__typeof__(&name))sym(#name);			\
	return fn args;							\
}
#define V(name, params, args)						\
void name params							\
{									\
	static __typeof__(&name) fn;					\
	if (fn == NULL)							\
		fn = (__typeof__(&name))sym(#name);			\
	fn args;							\
}

typedef struct archive A;
typedef struct archive_entry E;

F(A *, archive_write_new, (void), ())
F(int, archive_write_set_format_pax, (A *a), (a))
F(int, archive_write_set_format_mtree, (A *a), (a))
F(int, archive_write_set_options, (A *a, const char *o), (a, o))
F(int, archive_write_open_fd, (A *a, int fd), (a, fd))
F(int, archive_write_open_filename, (A *a, const char *f), (a, f))
F(int, archive_write_header, (A *a, E *e), (a, e))
F(la_ssize_t, archive_write_data, (A *a, const void *b, size_t n), (a, b, n))
F(int, archive_write_close, (A *a), (a))
F(int, archive_write_free, (A *a), (a))
F(A *, archive_read_new, (void), ())
F(A *, archive_read_disk_new, (void), ())
F(int, archive_read_disk_set_behavior, (A *a, int f), (a, f))
F(int, archive_read_disk_entry_from_file, (A *a, E *e, int fd,
    const struct stat *st), (a, e, fd, st))
F(int, archive_read_support_format_tar, (A *a), (a))
F(int, archive_read_support_format_mtree, (A *a), (a))
F(int, archive_read_set_format_option, (A *a, const char *m, const char *o,
    const char *v), (a, m, o, v))
F(int, archive_read_open_fd, (A *a, int fd, size_t bs), (a, fd, bs))
F(int, archive_read_next_header, (A *a, E **e), (a, e))
F(la_ssize_t, archive_read_data, (A *a, void *b, size_t n), (a, b, n))
F(int, archive_read_free, (A *a), (a))
F(const char *, archive_error_string, (A *a), (a))
F(int, archive_errno, (A *a), (a))
F(E *, archive_entry_new, (void), ())
V(archive_entry_free, (E *e), (e))
F(E *, archive_entry_clear, (E *e), (e))
F(const char *, archive_entry_pathname, (E *e), (e))
F(const char *, archive_entry_hardlink, (E *e), (e))
F(const char *, archive_entry_symlink, (E *e), (e))
V(archive_entry_set_pathname, (E *e, const char *p), (e, p))
V(archive_entry_copy_pathname, (E *e, const char *p), (e, p))
V(archive_entry_set_symlink, (E *e, const char *p), (e, p))
V(archive_entry_set_filetype, (E *e, unsigned int t), (e, t))
V(archive_entry_set_perm, (E *e, mode_t m), (e, m))
V(archive_entry_set_size, (E *e, la_int64_t s), (e, s))
V(archive_entry_set_mtime, (E *e, time_t t, long n), (e, t, n))
F(__LA_MODE_T, archive_entry_filetype, (E *e), (e))
F(__LA_MODE_T, archive_entry_perm, (E *e), (e))
F(__LA_MODE_T, archive_entry_mode, (E *e), (e))
F(la_int64_t, archive_entry_uid, (E *e), (e))
F(la_int64_t, archive_entry_gid, (E *e), (e))
F(la_int64_t, archive_entry_size, (E *e), (e))
F(time_t, archive_entry_mtime, (E *e), (e))
F(long, archive_entry_mtime_nsec, (E *e), (e))
V(archive_entry_xattr_add_entry, (E *e, const char *n, const void *v,
    size_t l), (e, n, v, l))
F(int, archive_entry_xattr_reset, (E *e), (e))
F(int, archive_entry_xattr_next, (E *e, const char **n, const void **v,
    size_t *l), (e, n, v, l))

#endif /* SSHFIX_STATIC */
