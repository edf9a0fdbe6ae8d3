/*
 * sshd's entries in the target's systemd journal (ROOT/var/log/journal,
 * ROOT/run/log/journal), read with libsystemd's sd-journal, the library
 * made for that format. Debian 12 and later, Raspberry Pi OS and Fedora
 * install no syslog daemon: the journal is the only log there.
 *
 * The journal files are hostile data like every other file of the
 * target: each directory and file is opened through safefs or openat
 * with O_NOFOLLOW, and only the opened fds are handed to the library
 * (sd_journal_open_files_fd; sd_journal_open_directory would follow a
 * symlink planted in the root). Reading is bounded: newest entries
 * first, back to the window's start, at most JOURNAL_MAX entries.
 *
 * libsystemd is loaded with dlopen, and only when a journal file exists:
 * a dry run on a target without a journal costs what it did before, and
 * sshfix runs on a rescue system without libsystemd. The static build
 * (SSHFIX_STATIC) and a build without libsystemd's headers have no
 * journal reader: they say so in a note.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/logs/logscan.h"
#include "target/logs/logset.h"
#include "safefs.h"
#include "shquote.h"
#include "target/target.h"
#include "util.h"

/* The persistent journal, and the volatile one of a running system. */
static const char *const journal_dirs[] = {
	"/var/log/journal", "/run/log/journal",
};

/* Files handed to the library: the newest JOURNAL_FILES (budget.h); an
   older file beyond them holds nothing of the window. */

struct jfiles {
	int		 fd[JOURNAL_FILES];
	size_t		 n;
	const char	*dir;	/* the first directory that had files */
};

/* A journal file seen: in which directory, and when last written. */
struct cand {
	struct sfs_file	 f;	/* first: sorted by sfs_file_cmp */
	int		 dfd;
};

struct cands {
	int		 dirs[JOURNAL_DIRS];
	size_t		 ndirs;
	struct cand	*v;
	size_t		 n;
};

static int
is_journal(const char *name, const struct stat *st, const void *arg)
{
	size_t l = strlen(name);

	(void)arg;
	return st->st_size > 0 &&
	    ((l > 8 && strcmp(name + l - 8, ".journal") == 0) ||
	    (l > 9 && strcmp(name + l - 9, ".journal~") == 0));
}

/* The journal files of directory DFD (taken over). */
static void
add_dir(struct cands *c, int dfd)
{
	struct sfs_file *f;
	size_t i, n;

	if (c->ndirs == JOURNAL_DIRS) {
		close(dfd);
		return;
	}
	c->dirs[c->ndirs++] = dfd;
	n = sfs_list(dfd, is_journal, NULL, JOURNAL_NAMES - c->n, &f);
	c->v = xreallocarray(c->v, c->n + n + 1, sizeof(*c->v));
	for (i = 0; i < n; i++) {
		c->v[c->n].f = f[i];
		c->v[c->n++].dfd = dfd;
	}
	free(f);
}

/* Open the newest candidates; the checks are made again on the fd. */
static void
open_newest(struct cands *c, struct jfiles *jf)
{
	struct stat st;
	size_t i;
	int fd;

	if (c->n > 0)
		qsort(c->v, c->n, sizeof(*c->v), sfs_file_cmp);
	for (i = 0; i < c->n && jf->n < JOURNAL_FILES; i++) {
		fd = openat(c->v[i].dfd, c->v[i].f.name, O_RDONLY |
		    O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd == -1)
			continue;
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
		    st.st_size == 0) {
			close(fd);
			continue;
		}
		jf->fd[jf->n++] = fd;
	}
	for (i = 0; i < c->n; i++)
		free(c->v[i].f.name);
	free(c->v);
	while (c->ndirs > 0)
		close(c->dirs[--c->ndirs]);
}

/* Every journal file under the root: DIR/MACHINE-ID/NAME.journal[~]
   (and DIR/NAME.journal, as journalctl --directory accepts). */
static void
find_files(struct target *t, struct jfiles *jf)
{
	struct cands c;
	struct dirent *de;
	struct stat st;
	size_t i, before;
	DIR *d;
	int dfd, sub;

	memset(jf, 0, sizeof(*jf));
	memset(&c, 0, sizeof(c));
	for (i = 0; i < ARRAY_LEN(journal_dirs); i++) {
		before = c.n;
		if ((dfd = sfs_open(t->rootfd, journal_dirs[i], O_RDONLY |
		    O_DIRECTORY, &st)) == -1)
			continue;
		add_dir(&c, dfd);
		if ((sub = openat(dfd, ".", O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) == -1)
			continue;
		if ((d = fdopendir(sub)) == NULL) {
			close(sub);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
			if (sub != -1)
				add_dir(&c, sub);
		}
		closedir(d);
		if (c.n > before && jf->dir == NULL)
			jf->dir = journal_dirs[i];
	}
	open_newest(&c, jf);
}

static void
close_files(struct jfiles *jf)
{
	while (jf->n > 0)
		close(jf->fd[--jf->n]);
}

/* The journal exists but cannot be read: say so, and how to read it. */
static void
journal_unread(struct target *t, const struct jfiles *jf, const char *why)
{
	const char *bad;
	char *cmd = sh_cmd(&bad, "journalctl -D %s%s -t sshd -t sshd-session",
	    sh_root_prefix(t->rootdir, 0), jf->dir);

	target_note(t, "sshd's lines in the journal under %s were not read: "
	    "%s; read them with: %s", jf->dir, why, cmd != NULL ? cmd :
	    "journalctl -D");
	free(cmd);
}

#if defined(SSHFIX_STATIC) || !defined(HAVE_SD_JOURNAL)

void
journal_read(struct target *t, struct logset *ls, time_t since)
{
	struct jfiles jf;

	(void)ls;
	(void)since;
	find_files(t, &jf);
	if (jf.n > 0)
		journal_unread(t, &jf, "this sshfix was built without libsystemd");
	close_files(&jf);
}

#else

#include <dlfcn.h>
#include <systemd/sd-journal.h>

#define LIBSYSTEMD	"libsystemd.so.0"

/* What sshd logs under: its own name, and the processes OpenSSH 9.8 and
   later split it into. */
static const char *const idents[] = {
	"SYSLOG_IDENTIFIER=sshd", "SYSLOG_IDENTIFIER=sshd-session",
	"SYSLOG_IDENTIFIER=sshd-auth",
};

/* The functions used, looked up once. */
static struct {
	__typeof__(&sd_journal_open_files_fd)		open_files_fd;
	__typeof__(&sd_journal_add_match)		add_match;
	__typeof__(&sd_journal_set_data_threshold)	set_threshold;
	__typeof__(&sd_journal_seek_tail)		seek_tail;
	__typeof__(&sd_journal_previous)		previous;
	__typeof__(&sd_journal_get_realtime_usec)	get_realtime;
	__typeof__(&sd_journal_get_data)		get_data;
	__typeof__(&sd_journal_close)			close;
} sd;

#define SYM(field, name)						\
	((sd.field = (__typeof__(sd.field))dlsym(lib, name)) != NULL)

static const char *
load(void)
{
	static void *lib;
	static const char *why;

	if (lib != NULL || why != NULL)
		return why;
	if ((lib = dlopen(LIBSYSTEMD, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return why = "cannot load " LIBSYSTEMD;
	if (!SYM(open_files_fd, "sd_journal_open_files_fd") ||
	    !SYM(add_match, "sd_journal_add_match") ||
	    !SYM(set_threshold, "sd_journal_set_data_threshold") ||
	    !SYM(seek_tail, "sd_journal_seek_tail") ||
	    !SYM(previous, "sd_journal_previous") ||
	    !SYM(get_realtime, "sd_journal_get_realtime_usec") ||
	    !SYM(get_data, "sd_journal_get_data") ||
	    !SYM(close, "sd_journal_close"))
		return why = LIBSYSTEMD " is too old (no sd_journal_open_files_fd)";
	return NULL;
}

/* The entry's MESSAGE, as a NUL-terminated copy, or NULL. */
static char *
message(sd_journal *j)
{
	const void *data;
	size_t len;

	if (sd.get_data(j, "MESSAGE", &data, &len) < 0 || len < 8)
		return NULL;
	return xstrndup((const char *)data + 8, len - 8);
}

/* The pid sshd logged with: SYSLOG_PID (syslog), _PID (its stderr). */
static long
pid(sd_journal *j)
{
	static const char *const fields[] = { "SYSLOG_PID", "_PID" };
	char buf[24];
	const void *data;
	size_t i, len, n;

	for (i = 0; i < ARRAY_LEN(fields); i++) {
		n = strlen(fields[i]) + 1;
		if (sd.get_data(j, fields[i], &data, &len) < 0 || len <= n ||
		    len - n >= sizeof(buf))
			continue;
		memcpy(buf, (const char *)data + n, len - n);
		buf[len - n] = '\0';
		return strtol(buf, NULL, 10);
	}
	return 0;
}

/* Newest first, back to SINCE (-1: LOG_WINDOW before the newest). */
static int
walk(sd_journal *j, struct logset *ls, const char *file, time_t since)
{
	size_t first = ls->n, i;
	uint64_t usec;
	char *msg;
	int r;

	for (i = 0; i < ARRAY_LEN(idents); i++)
		if ((r = sd.add_match(j, idents[i], 0)) < 0)
			return r;
	if ((r = sd.set_threshold(j, LOG_MSG_MAX)) < 0 ||
	    (r = sd.seek_tail(j)) < 0)
		return r;
	while (ls->n - first < JOURNAL_MAX && (r = sd.previous(j)) > 0) {
		if (sd.get_realtime(j, &usec) < 0)
			continue;
		if (since == -1)
			since = (time_t)(usec / 1000000) - LOG_WINDOW;
		if ((time_t)(usec / 1000000) < since)
			break;
		if ((msg = message(j)) == NULL)
			continue;
		log_add(ls, (time_t)(usec / 1000000), file, msg, pid(j));
		ls->v[ls->n - 1].journal = 1;
	}
	return r < 0 ? r : 0;
}

/*
 * The library is given copies of the fds. libsystemd 252 closes the fds
 * it was given (at sd_journal_close, and when the open fails); a release
 * that does not would leak them: a copy still open on its file after the
 * journal is closed is closed here.
 */
struct jopen {
	sd_journal	*j;
	int		 dup[JOURNAL_FILES];
	size_t		 n;
};

static void
jclose(struct jopen *o, const int *fd)
{
	struct stat a, b;
	size_t i;

	if (o->j != NULL)
		sd.close(o->j);
	o->j = NULL;
	for (i = 0; i < o->n; i++)
		if (o->dup[i] != -1 && fcntl(o->dup[i], F_GETFD) != -1 &&
		    fstat(o->dup[i], &a) == 0 && fstat(fd[i], &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			close(o->dup[i]);
	o->n = 0;
}

static int
jopen(struct jopen *o, const int *fd, size_t n)
{
	int r;

	o->j = NULL;
	for (o->n = 0; o->n < n; o->n++)
		if ((o->dup[o->n] = fcntl(fd[o->n], F_DUPFD_CLOEXEC, 0)) == -1) {
			r = -errno;
			jclose(o, fd);
			return r;
		}
	if ((r = sd.open_files_fd(&o->j, o->dup, (unsigned)n, 0)) < 0) {
		o->j = NULL;
		jclose(o, fd);
	}
	return r;
}

/* Close the files the library cannot open alone; how many. */
static size_t
drop_damaged(struct jfiles *jf)
{
	struct jopen o;
	size_t i, n, bad = 0;

	for (i = n = 0; i < jf->n; i++) {
		if (jopen(&o, &jf->fd[i], 1) < 0) {
			close(jf->fd[i]);
			bad++;
			continue;
		}
		jclose(&o, &jf->fd[i]);
		jf->fd[n++] = jf->fd[i];
	}
	jf->n = n;
	return bad;
}

void
journal_read(struct target *t, struct logset *ls, time_t since)
{
	struct jfiles jf;
	struct jopen o;
	const char *why;
	size_t bad;
	int r;

	find_files(t, &jf);
	if (jf.n == 0)
		return;
	if ((why = load()) != NULL) {
		journal_unread(t, &jf, why);
		close_files(&jf);
		return;
	}
	/* One damaged file (a crash leaves NAME.journal~) fails the whole
	   set: then each file is tried alone and the damaged ones left. */
	if (jopen(&o, jf.fd, jf.n) < 0) {
		bad = drop_damaged(&jf);
		if (jf.n == 0 || jopen(&o, jf.fd, jf.n) < 0) {
			journal_unread(t, &jf, "no journal file could be read");
			close_files(&jf);
			return;
		}
		target_note(t, "%zu damaged journal file%s under %s %s left "
		    "out", bad, bad == 1 ? "" : "s", jf.dir, bad == 1 ?
		    "was" : "were");
	}
	if ((r = walk(o.j, ls, jf.dir, since)) < 0)
		target_note(t, "the journal under %s was read only in part: "
		    "%s", jf.dir, strerror(-r));
	jclose(&o, jf.fd);
	close_files(&jf);
}

#endif
