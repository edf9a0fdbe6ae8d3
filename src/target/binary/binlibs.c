/*
 * src/target/binary/: the sshd binary and what it loads -- its ELF headers
 * (elfread.c), libraries (binlibs.c, ldconf.c), PAM stack (pamstack.c),
 * the package that owns a file (pkgowner.c). Uses the base only.
 *
 * The libraries a program needs, looked up as ld.so does (elf/dl-load.c
 * _dl_map_object): a name with a '/' is a path; otherwise DT_RPATH of
 * the object and of the program (when the object has no DT_RUNPATH),
 * DT_RUNPATH of the object, the ld.so.conf directories (what ld.so.cache
 * holds), then the default directories. A candidate of another ELF
 * class or machine is skipped, as ld.so skips it. A name once found
 * satisfies every later reference, as a loaded soname does. Within
 * budget.h's ELF_* budget: objects, lookups and header bytes in all;
 * what it leaves is not looked up, and the diagnosis is incomplete.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "budget.h"
#include "target/binary/binlibs.h"
#include "target/binary/elfread.h"
#include "safefs.h"
#include "util.h"

static const char *const default_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
	"/lib/i386-linux-gnu", "/usr/lib/i386-linux-gnu",
	"/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
	"/lib64", "/usr/lib64", "/lib", "/usr/lib", NULL,
};

struct obj {
	char		*path;
	struct elf_info	 ei;
};

struct walk {
	int			 rootfd;
	const struct ldconf	*conf;
	struct unread_list	*unread;
	struct elf_info		 prog;	/* class, machine, DT_RPATH */
	char			*prog_dir;
	struct obj		*o;
	size_t			 n;
	char			**seen;	/* names looked up */
	size_t			 nseen;
	struct sbuf		 searched;
	int			 unsure;
	int			 probing;	/* any class: the program */
	size_t			 probes;	/* names and paths looked up */
	unsigned long long	 bytes;		/* header bytes read */
	int			 cut;		/* the budget left some */
};

enum { FOUND, ABSENT, UNSURE };

/* An object whose DT_NEEDED list the caps cut: its libraries unknown. */
static void
note_cut(struct walk *w, const char *path)
{
	char *why = xasprintf("more than %d DT_NEEDED or %d dynamic entries "
	    "(sshfix's budget); the rest were not read: cannot tell",
	    ELF_MAX_NEEDED, ELF_MAX_DYN);

	unread_note_why(w->unread, path, why);
	free(why);
}

/* One more lookup within the budget; else the walk is cut. */
static int
probe(struct walk *w)
{
	if (w->probes >= ELF_MAX_PROBES || w->bytes > ELF_MAX_BYTES) {
		w->cut = 1;
		return -1;
	}
	w->probes++;
	return 0;
}

/*
 * The program is an ELF file (its magic says so) that elf_read refused:
 * malformed, or past elfread's caps. Not judged, and said: its libraries
 * are unknown, which is no verdict.
 */
static void
unparsed(struct walk *w, int fd, const struct stat *st, const char *path)
{
	struct elf_info ei;

	if (elf_ident(fd, st->st_size, &ei) == -1)
		return;		/* a script, not an ELF file */
	unread_note_why(w->unread, path, "an ELF file sshfix cannot parse "
	    "(malformed, or past its budget); its libraries were not looked "
	    "up: cannot tell");
	errno = EINVAL;
}

/* Open PATH if it is an ELF object ld.so would take for this program. */
static int
try_path(struct walk *w, const char *path, struct obj *out)
{
	struct stat st;
	int fd, r;

	if (probe(w) == -1)
		return UNSURE;
	if ((fd = sfs_open(w->rootfd, path, O_RDONLY, &st)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return ABSENT;
		unread_note(w->unread, path, errno);
		return UNSURE;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return ABSENT;
	}
	r = elf_read(fd, st.st_size, &out->ei);
	if (r == -1 && errno == EINVAL && w->probing)
		unparsed(w, fd, &st, path);
	close(fd);
	if (r == -1)
		return errno == EINVAL ? ABSENT : UNSURE;
	w->bytes += out->ei.bytes;
	if (!w->probing && (out->ei.cls != w->prog.cls ||
	    out->ei.machine != w->prog.machine)) {
		elf_free(&out->ei);
		return ABSENT;
	}
	if (out->ei.cut)
		note_cut(w, path);
	out->path = xstrdup(path);
	return FOUND;
}

/* $ORIGIN is the object's directory; other tokens cannot be known. */
static char *
expand(const char *dir, const char *origin)
{
	const char *o;

	if ((o = strstr(dir, "$ORIGIN")) == NULL &&
	    (o = strstr(dir, "${ORIGIN}")) == NULL)
		return strchr(dir, '$') ? NULL : xstrdup(dir);
	if (o != dir || strchr(o + 1, '$') != NULL)
		return NULL;
	return xasprintf("%s%s", origin, dir + (dir[1] == '{' ? 9 : 7));
}

static int
in_dir(struct walk *w, const char *dir, const char *name, struct obj *out)
{
	char *path;
	int r;

	if (dir[0] != '/')	/* relative to sshd's cwd: cannot know */
		return UNSURE;
	if (w->searched.len > 0)
		sbuf_addc(&w->searched, ':');
	sbuf_adds(&w->searched, dir);
	path = xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, name);
	r = try_path(w, path, out);
	free(path);
	return r;
}

/* Each directory of a ':' separated run path. */
static int
in_list(struct walk *w, const char *list, const char *origin,
    const char *name, struct obj *out)
{
	char *copy, *p, *d, *dir;
	int r = ABSENT, one;

	if (list == NULL)
		return ABSENT;
	copy = xstrdup(list);
	for (p = copy; r != FOUND && (d = strsep(&p, ":")) != NULL;) {
		if (*d == '\0')
			continue;
		if ((dir = expand(d, origin)) == NULL) {
			w->unsure = 1;
			continue;
		}
		one = in_dir(w, dir, name, out);
		free(dir);
		if (one == UNSURE)
			w->unsure = 1;
		else if (one == FOUND)
			r = FOUND;
	}
	free(copy);
	return r;
}

static int
in_conf(const struct ldconf *c, const char *dir)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->dirs[i], dir) == 0)
			return 1;
	return 0;
}

static int
lookup(struct walk *w, const struct obj *by, const char *name,
    struct obj *out)
{
	char *origin = xstrndup(by->path, (size_t)(strrchr(by->path, '/') -
	    by->path));
	int r = ABSENT, one;
	size_t i;

	if (by->ei.runpath == NULL) {
		r = in_list(w, by->ei.rpath, origin, name, out);
		if (r != FOUND && w->prog.runpath == NULL)
			r = in_list(w, w->prog.rpath, w->prog_dir, name, out);
	}
	if (r != FOUND)
		r = in_list(w, by->ei.runpath, origin, name, out);
	for (i = 0; r != FOUND && i < w->conf->n; i++)
		if ((one = in_dir(w, w->conf->dirs[i], name, out)) != ABSENT)
			r = one;
	for (i = 0; r != FOUND && default_dirs[i] != NULL; i++)
		if (!in_conf(w->conf, default_dirs[i]) &&
		    (one = in_dir(w, default_dirs[i], name, out)) != ABSENT)
			r = one;
	/* A directory of ld.so.conf not read may hold it. */
	if (r == ABSENT && w->conf->partial)
		w->unsure = 1;
	free(origin);
	return r;
}

static void
add_missing(struct bincheck *bc, const char *name, const char *by,
    const char *searched)
{
	struct libmiss *m;

	bc->miss = xreallocarray(bc->miss, bc->nmiss + 1, sizeof(*bc->miss));
	m = &bc->miss[bc->nmiss++];
	m->name = xstrdup(name);
	m->by = xstrdup(by);
	m->searched = xstrdup(searched);
}

static int
seen(struct walk *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nseen; i++)
		if (strcmp(w->seen[i], name) == 0)
			return 1;
	w->seen = xreallocarray(w->seen, w->nseen + 1, sizeof(char *));
	w->seen[w->nseen++] = xstrdup(name);
	return 0;
}

/* The needed libraries of object I. */
static void
needs(struct walk *w, size_t i, struct bincheck *bc)
{
	struct obj found;
	const char *name;
	size_t j;
	int r;

	for (j = 0; j < w->o[i].ei.nneeded; j++) {
		name = w->o[i].ei.needed[j];
		if (seen(w, name))
			continue;
		if (w->n >= ELF_MAX_OBJECTS || probe(w) == -1) {
			w->cut = 1;
			break;
		}
		if (strncmp(name, "libwrap.so", 10) == 0)
			bc->libwrap = 1;
		memset(&found, 0, sizeof(found));
		w->unsure = 0;
		sbuf_free(&w->searched);
		if (strchr(name, '/') != NULL)
			r = name[0] == '/' ? try_path(w, name, &found) : UNSURE;
		else
			r = lookup(w, &w->o[i], name, &found);
		if (r == FOUND) {
			w->o = xreallocarray(w->o, w->n + 1, sizeof(*w->o));
			w->o[w->n++] = found;
		} else if (r == ABSENT && !w->unsure)
			add_missing(bc, name, w->o[i].path,
			    w->searched.s ? w->searched.s : "");
	}
}

static void
walk_free(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->o[i].path);
		elf_free(&w->o[i].ei);
	}
	free(w->o);
	for (i = 0; i < w->nseen; i++)
		free(w->seen[i]);
	free(w->seen);
	free(w->prog_dir);
	sbuf_free(&w->searched);
}

static int
load_program(struct walk *w, const char *path, struct bincheck *bc)
{
	struct obj prog;
	int r;

	memset(&prog, 0, sizeof(prog));
	w->probing = 1;
	r = try_path(w, path, &prog);
	w->probing = 0;
	if (r == UNSURE)
		return -1;
	if (r == ABSENT)
		return 0;
	bc->present = 1;
	w->o = xcalloc(1, sizeof(*w->o));
	w->o[w->n++] = prog;
	w->prog.cls = prog.ei.cls;
	w->prog.machine = prog.ei.machine;
	w->prog.rpath = prog.ei.rpath;
	w->prog.runpath = prog.ei.runpath;
	w->prog_dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	return 0;
}

/* Is the program's PT_INTERP there? Only looked at (O_PATH): a FIFO or
   device there is never opened, and is said. */
static void
loader(struct walk *w, struct bincheck *bc, const char *path)
{
	const char *interp = w->o[0].ei.interp;
	struct stat st;
	int fd = sfs_open(w->rootfd, interp, O_PATH, &st);

	if (fd != -1) {
		close(fd);
		if (!S_ISREG(st.st_mode))
			unread_note(w->unread, interp, ENXIO);
	} else if (errno == ENOENT || errno == ENOTDIR)
		add_missing(bc, interp, path, "");
	else
		unread_note(w->unread, interp, errno);
	if (strrchr(interp, '/') != NULL)
		(void)seen(w, strrchr(interp, '/') + 1);
}

static void
note_walk_cut(struct walk *w, const char *path)
{
	char *what = xasprintf("the libraries of %s", path);
	char *why = xasprintf("more than %d objects, %d lookups or %llu MiB of "
	    "ELF headers (sshfix's budget); the rest were not looked up: "
	    "cannot tell", ELF_MAX_OBJECTS, ELF_MAX_PROBES,
	    ELF_MAX_BYTES / MiB);

	unread_note_why(w->unread, what, why);
	free(what);
	free(why);
}

int
bincheck_run(int rootfd, const struct ldconf *conf, const char *path,
    struct bincheck *bc, struct unread_list *unread)
{
	struct walk w;
	struct stat st;
	size_t i;

	memset(bc, 0, sizeof(*bc));
	memset(&w, 0, sizeof(w));
	w.rootfd = rootfd;
	w.conf = conf;
	w.unread = unread;
	if (sfs_lstat(rootfd, path, &st) == -1)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	/*
	 * The machine is the program's own. A file that is there but no
	 * ELF object (a script, a truncated file) is not judged here.
	 */
	if (load_program(&w, path, bc) == -1 || !bc->present) {
		bc->present = 1;
		walk_free(&w);
		return 0;
	}
	/* The loader is loaded first; its name satisfies DT_NEEDED. */
	if (w.o[0].ei.interp != NULL)
		loader(&w, bc, path);
	for (i = 0; i < w.n; i++)
		needs(&w, i, bc);
	bc->nobjects = w.n;
	if (w.cut)
		note_walk_cut(&w, path);
	w.prog.rpath = w.prog.runpath = NULL;	/* owned by w.o[0] */
	walk_free(&w);
	return 0;
}

void
bincheck_free(struct bincheck *bc)
{
	size_t i;

	for (i = 0; i < bc->nmiss; i++) {
		free(bc->miss[i].name);
		free(bc->miss[i].by);
		free(bc->miss[i].searched);
	}
	free(bc->miss);
	memset(bc, 0, sizeof(*bc));
}
