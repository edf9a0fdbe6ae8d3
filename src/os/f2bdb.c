/*
 * fail2ban's database: see include/os/f2bdb.h. The helper is sshfix
 * itself (/proc/self/exe) with F2B_HELPER_ARG; libsqlite3 is loaded with
 * dlopen there only, so a run that never meets a fail2ban database never
 * loads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "budget.h"
#include "os/f2bdb.h"
#include "os/runprog.h"
#include "os/sandbox.h"
#include "os/tmpdir.h"
#include "safefs.h"
#include "util.h"

#define F2B_MS		10000
#define READY		"f2b. ready"

#if defined(HAVE_SQLITE) && !defined(SSHFIX_STATIC)
#include <dlfcn.h>
#include <sqlite3.h>

/* libsqlite3's own prototypes (sqlite3.h), checked by the compiler. */
static __typeof__(sqlite3_open_v2) *p_open;
static __typeof__(sqlite3_close) *p_close;
static __typeof__(sqlite3_db_config) *p_config;
static __typeof__(sqlite3_limit) *p_limit;
static __typeof__(sqlite3_exec) *p_exec;
static __typeof__(sqlite3_prepare_v2) *p_prepare;
static __typeof__(sqlite3_bind_text) *p_bind_text;
static __typeof__(sqlite3_bind_int64) *p_bind_int64;
static __typeof__(sqlite3_step) *p_step;
static __typeof__(sqlite3_column_type) *p_coltype;
static __typeof__(sqlite3_column_text) *p_coltext;
static __typeof__(sqlite3_column_int64) *p_colint;
static __typeof__(sqlite3_column_double) *p_coldouble;
static __typeof__(sqlite3_finalize) *p_finalize;
static __typeof__(sqlite3_errmsg) *p_errmsg;
static __typeof__(sqlite3_changes) *p_changes;
static __typeof__(sqlite3_malloc64) *p_malloc64;
static __typeof__(sqlite3_deserialize) *p_deserialize;
static __typeof__(sqlite3_serialize) *p_serialize;

#define SYM(p, name)	((p) = (__typeof__(p))dlsym(lib, name)) == NULL

static const char *
load(void)
{
	void *lib = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL)
		return "libsqlite3.so.0 is not installed";
	if (SYM(p_open, "sqlite3_open_v2") || SYM(p_close, "sqlite3_close") ||
	    SYM(p_config, "sqlite3_db_config") ||
	    SYM(p_limit, "sqlite3_limit") || SYM(p_exec, "sqlite3_exec") ||
	    SYM(p_prepare, "sqlite3_prepare_v2") ||
	    SYM(p_bind_text, "sqlite3_bind_text") ||
	    SYM(p_bind_int64, "sqlite3_bind_int64") ||
	    SYM(p_step, "sqlite3_step") ||
	    SYM(p_coltype, "sqlite3_column_type") ||
	    SYM(p_coltext, "sqlite3_column_text") ||
	    SYM(p_colint, "sqlite3_column_int64") ||
	    SYM(p_coldouble, "sqlite3_column_double") ||
	    SYM(p_finalize, "sqlite3_finalize") ||
	    SYM(p_errmsg, "sqlite3_errmsg") ||
	    SYM(p_changes, "sqlite3_changes") ||
	    SYM(p_malloc64, "sqlite3_malloc64") ||
	    SYM(p_deserialize, "sqlite3_deserialize") ||
	    SYM(p_serialize, "sqlite3_serialize"))
		return "libsqlite3.so.0 lacks a function sshfix calls (it is "
		    "older than 3.36, or built without deserialize)";
	return NULL;
}

/* Printable ASCII, no space or tab: what a field of an answer may be. */
static int
plain(const unsigned char *s, size_t max)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= max || s[i] <= 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

/* The database on stdin (a regular file, at most F2B_DB_MAX bytes) into
   memory libsqlite3 may own: its size, or -1. */
static long long
slurp(unsigned char **out)
{
	unsigned char *buf;
	struct stat st;
	ssize_t n;
	off_t off = 0;

	if (fstat(0, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < 512 || (unsigned long long)st.st_size > F2B_DB_MAX ||
	    (buf = p_malloc64((sqlite3_uint64)st.st_size)) == NULL)
		return -1;
	while (off < st.st_size) {
		if ((n = pread(0, buf + off, (size_t)(st.st_size - off),
		    off)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;	/* the buffer goes with the process */
		off += n;
	}
	*out = buf;
	return (long long)off;
}

/*
 * The database in memory, as SQLite's guidance for untrusted files asks:
 * defensive, no trigger or view run, no schema trusted, bounded; WRITE:
 * it may be changed (the copy is sshfix's own).
 */
static sqlite3 *
open_db(int write)
{
	unsigned char *buf;
	long long len;
	sqlite3 *db = NULL;
	int ok;

	if ((len = slurp(&buf)) == -1) {
		printf("f2b! the copy of the database cannot be read\n");
		return NULL;
	}
	if (p_open(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		printf("f2b! libsqlite3 cannot open a database\n");
		return NULL;
	}
	ok = p_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL) ==
	    SQLITE_OK &&
	    p_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL) ==
	    SQLITE_OK &&
	    p_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL) ==
	    SQLITE_OK &&
	    p_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL) ==
	    SQLITE_OK;
	if (!ok) {
		printf("f2b! libsqlite3 is too old to read a database "
		    "defensively\n");
		p_close(db);
		return NULL;
	}
	(void)p_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
	(void)p_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	(void)p_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	if (p_deserialize(db, "main", buf, len, len,
	    SQLITE_DESERIALIZE_FREEONCLOSE | (write ?
	    SQLITE_DESERIALIZE_RESIZEABLE : SQLITE_DESERIALIZE_READONLY)) !=
	    SQLITE_OK ||
	    p_exec(db, "PRAGMA cell_size_check=ON; PRAGMA mmap_size=0; "
	    "PRAGMA temp_store=MEMORY;", NULL, NULL, NULL) != SQLITE_OK) {
		printf("f2b! %s\n", p_errmsg(db));
		p_close(db);
		return NULL;
	}
	return db;
}

/* fail2ban's schema version: 4 and later keep "bips"; -1: none. */
static long long
version(sqlite3 *db)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (p_prepare(db, "SELECT version FROM fail2banDb LIMIT 1", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	if (p_step(st) == SQLITE_ROW &&
	    p_coltype(st, 0) == SQLITE_INTEGER)
		v = p_colint(st, 0);
	p_finalize(st);
	return v;
}

/* Column I as whole seconds (an integer, or a real: fail2ban's
   bantime.rndtime and factor make reals), rounded up; -1: neither. */
static int
seconds(sqlite3_stmt *st, int i, long long *out)
{
	double d;

	if (p_coltype(st, i) == SQLITE_INTEGER) {
		*out = p_colint(st, i);
		return 0;
	}
	if (p_coltype(st, i) != SQLITE_FLOAT)
		return -1;
	d = p_coldouble(st, i);
	if (!(d > -9e18 && d < 9e18))
		return -1;
	*out = (long long)d;
	if ((double)*out < d)
		(*out)++;
	return 0;
}

static int
ask(sqlite3 *db, long long now, const char *addr)
{
	/* fail2ban's restore (Fail2BanDb._getCurrentBans): a row of bips
	   while timeofban + bantime lies ahead, or bantime -1 or below
	   (persistent; -2: unknown, the jail's own). Every such row is
	   read: its address is compared as fail2ban reads it (IPAddr). */
	static const char q[] = "SELECT jail, ip, timeofban, bantime "
	    "FROM bips WHERE bantime <= -1 OR timeofban + bantime > ?1";
	sqlite3_stmt *st;
	const unsigned char *jail, *ip;
	long long since, bt;
	int r, n = 0, c, type;

	if (p_prepare(db, q, -1, &st, NULL) != SQLITE_OK) {
		printf("f2b! %s\n", p_errmsg(db));
		return -1;
	}
	(void)p_bind_int64(st, 1, now);
	while ((r = p_step(st)) == SQLITE_ROW) {
		/* the type first: reading a column as text converts it */
		if ((type = p_coltype(st, 1)) == SQLITE_NULL)
			continue;	/* fail2ban passes over it too */
		ip = p_coltext(st, 1);
		if (type != SQLITE_TEXT || ip == NULL ||
		    (c = ip_row_covers((const char *)ip, addr)) == -1) {
			printf("f2b~ a row sshfix cannot take\n");
			continue;
		}
		if (c == 0)
			continue;
		jail = p_coltext(st, 0);
		if (!plain(jail, F2B_JAIL_MAX) || !plain(ip, F2B_IP_MAX) ||
		    seconds(st, 2, &since) == -1 || seconds(st, 3, &bt) == -1) {
			printf("f2b~ a row sshfix cannot take\n");
			continue;
		}
		if (++n > F2B_ROWS_MAX) {
			printf("f2b~ more rows than sshfix takes\n");
			break;
		}
		printf("f2b= %s\t%s\t%lld\t%lld\n", jail, ip, since, bt);
	}
	p_finalize(st);
	if (r != SQLITE_DONE && r != SQLITE_ROW) {
		printf("f2b! %s\n", p_errmsg(db));
		return -1;
	}
	return n;
}

/* The row of JAIL and IP removed, the database written back to stdin:
   how many went, or -1. */
static int
unban(sqlite3 *db, const char *jail, const char *ip)
{
	sqlite3_stmt *st;
	unsigned char *img;
	sqlite3_int64 size = 0;
	size_t off = 0;
	ssize_t w;
	int r, n;

	if (p_prepare(db, "DELETE FROM bips WHERE jail = ?1 AND ip = ?2", -1,
	    &st, NULL) != SQLITE_OK) {
		printf("f2b! %s\n", p_errmsg(db));
		return -1;
	}
	(void)p_bind_text(st, 1, jail, -1, SQLITE_STATIC);
	(void)p_bind_text(st, 2, ip, -1, SQLITE_STATIC);
	r = p_step(st);
	p_finalize(st);
	if (r != SQLITE_DONE) {
		printf("f2b! %s\n", p_errmsg(db));
		return -1;
	}
	n = p_changes(db);
	if ((img = p_serialize(db, "main", &size,
	    SQLITE_SERIALIZE_NOCOPY)) == NULL || size <= 0) {
		printf("f2b! the changed database cannot be had\n");
		return -1;
	}
	while (off < (size_t)size) {
		if ((w = pwrite(0, img + off, (size_t)size - off,
		    (off_t)off)) == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			printf("f2b! the changed database cannot be written\n");
			return -1;
		}
		off += (size_t)w;
	}
	if (ftruncate(0, (off_t)size) == -1) {
		printf("f2b! the changed database cannot be written\n");
		return -1;
	}
	return n;
}

int
f2b_helper(int argc, char *argv[])
{
	const char *why;
	long long now = 0, v;
	sqlite3 *db;
	char *end;
	int fd, write, n;

	/* libsqlite3 reports on stderr: only the answers go out. */
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) != -1) {
		(void)dup2(fd, STDERR_FILENO);
		close(fd);
	}
	if (argc != 5 || (strcmp(argv[2], "list") != 0 &&
	    strcmp(argv[2], "unban") != 0)) {
		printf("f2b! usage: %s list NOW ADDR | unban JAIL IP\n",
		    F2B_HELPER_ARG);
		return 1;
	}
	write = strcmp(argv[2], "unban") == 0;
	if (!write && ((now = strtoll(argv[3], &end, 10)) <= 0 ||
	    *end != '\0')) {
		printf("f2b! a time sshfix cannot take\n");
		return 1;
	}
	if ((why = load()) != NULL) {
		printf("f2b! %s\n", why);
		return 2;
	}
	if ((db = open_db(write)) == NULL)
		return 3;
	if ((v = version(db)) < 4) {
		if (v == -1)
			printf("f2b! not a database fail2ban wrote\n");
		else
			printf("f2b! its schema is version %lld, of fail2ban "
			    "before 0.11, which sshfix does not read\n", v);
		p_close(db);
		return 3;
	}
	printf("%s\n", READY);
	n = write ? unban(db, argv[3], argv[4]) : ask(db, now, argv[4]);
	p_close(db);
	if (n == -1)
		return 3;
	if (write)
		printf("f2b. removed %d\n", n);
	printf("f2b. done\n");
	return fflush(stdout) == EOF ? 1 : 0;
}
#else
int
f2b_helper(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	printf("f2b! %s\n",
#ifdef SSHFIX_STATIC
	    "a static sshfix cannot load libsqlite3"
#else
	    "sshfix was built without libsqlite3's headers"
#endif
	    );
	return 2;
}
#endif

/* "JAIL\tIP\tSINCE\tBANTIME" into B, checked again here: 0, or -1. */
static int
parse_row(const char *s, size_t len, const char *addr, struct f2b_ban *b)
{
	char line[256], *tab1, *tab2, *end;
	long long since, bt;
	size_t i;

	if (len >= sizeof(line))
		return -1;
	memcpy(line, s, len);
	line[len] = '\0';
	for (i = 0; i < len; i++)
		if (line[i] != '\t' && (line[i] <= 0x20 || line[i] > 0x7e))
			return -1;
	if ((tab1 = strchr(line, '\t')) == NULL ||
	    (tab2 = strchr(tab1 + 1, '\t')) == NULL)
		return -1;
	*tab1++ = '\0';
	*tab2++ = '\0';
	if (strlen(line) > F2B_JAIL_MAX || *line == '\0' ||
	    strlen(tab1) > F2B_IP_MAX || *tab1 == '\0' ||
	    ip_row_covers(tab1, addr) != 1)
		return -1;
	errno = 0;
	since = strtoll(tab2, &end, 10);
	if (errno != 0 || *end != '\t')
		return -1;
	bt = strtoll(end + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	snprintf(b->jail, sizeof(b->jail), "%s", line);
	snprintf(b->ip, sizeof(b->ip), "%s", tab1);
	b->since = since;
	b->bantime = bt;
	return 0;
}

/* The helper's output into B (NULL: an unban's) for ADDR: the count, or
   -1 (err_set). */
static int
answers(const char *out, const char *addr, struct f2b_ban *b)
{
	const char *s, *e;
	size_t len;
	int ready = 0, done = 0, n = 0, removed = -1;

	for (s = out; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		len = (size_t)(e - s);
		if (len >= 5 && strncmp(s, "f2b! ", 5) == 0) {
			err_set("%.*s", (int)(len - 5), s + 5);
			return -1;
		}
		if (len == strlen(READY) && strncmp(s, READY, len) == 0)
			ready = 1;
		else if (ready && len == 9 && strncmp(s, "f2b. done", 9) == 0)
			done = 1;
		else if (ready && !done && b == NULL && len > 13 && len < 20 &&
		    strncmp(s, "f2b. removed ", 13) == 0)
			removed = atoi(s + 13);
		else if (ready && len > 5 && strncmp(s, "f2b~ ", 5) == 0) {
			err_set("%.*s of its bips table", (int)(len - 5),
			    s + 5);
			return -1;
		} else if (ready && !done && b != NULL && len > 5 &&
		    strncmp(s, "f2b= ", 5) == 0) {
			if (n >= F2B_ROWS_MAX) {
				err_set("more than %d bans to take",
				    F2B_ROWS_MAX);
				return -1;
			}
			if (parse_row(s + 5, len - 5, addr, &b[n]) == -1) {
				err_set("an answer sshfix cannot take");
				return -1;
			}
			n++;
		}
	}
	if (!done) {
		err_set("the database gave no answer%s%.*s", *out ? ": " : "",
		    (int)strcspn(out, "\n"), out);
		return -1;
	}
	if (b == NULL && removed < 0) {
		err_set("the database did not say what it removed");
		return -1;
	}
	return b == NULL ? removed : n;
}

const char *
f2b_sidecar(int rootfd, const char *path)
{
	static const char *const side[] = { "-journal", "-wal" };
	char p[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_LEN(side); i++) {
		snprintf(p, sizeof(p), "%s%s", path, side[i]);
		if (sfs_lstat(rootfd, p, &st) == 0 || errno != ENOENT)
			return side[i];
	}
	return NULL;
}

int
f2b_stage(const char *data, size_t len)
{
	char dir[TMPDIR_MAX];
	const char *p = data;
	ssize_t w;
	int fd;

	if (tmpdir_make(dir, "fail2ban") == -1)
		return -1;
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	tmpdir_remove(dir);
	if (fd == -1) {
		err_set("a copy of the database: %s", strerror(errno));
		return -1;
	}
	while (len > 0) {
		if ((w = write(fd, p, len)) == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			err_set("a copy of the database: %s", w == 0 ?
			    "short write" : strerror(errno));
			close(fd);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return fd;
}

/* The helper on the copy at FD: MODE "list" (ARG the time, ADDR the
   address) or "unban" (ARG the jail, ADDR the row's ip); its answers for
   ADDR into OUT (NULL: an unban). */
static int
helper(int fd, const char *mode, const char *arg, const char *addr,
    struct f2b_ban *out)
{
#ifdef F2B_HELPER_PATH
	char self[] = F2B_HELPER_PATH;
#else
	char self[] = "/proc/self/exe";
#endif
	char m[8], x[F2B_JAIL_MAX + 1], a[F2B_IP_MAX + 1], *res = NULL;
	char *argv[] = { self, F2B_HELPER_ARG, m, x, a, NULL };
	struct sandbox sb = { "/", NULL, fd, -1, 0, 0, out == NULL };
	int r, n, exe;

	if (strlen(arg) >= sizeof(x) || strlen(addr) >= sizeof(a)) {
		err_set("a jail or an address too long to take");
		return -1;
	}
	snprintf(m, sizeof(m), "%s", mode);
	snprintf(x, sizeof(x), "%s", arg);
	snprintf(a, sizeof(a), "%s", addr);
	/* Run through an fd, as selabel_ask does (os/selabel.c). */
	if ((exe = open(self, O_PATH | O_CLOEXEC)) == -1) {
		err_set("cannot open sshfix's own binary (%s): %s", self,
		    strerror(errno));
		return -1;
	}
	sb.exe = exe > 2 ? exe : 0;
	r = runprog_sandbox(&sb, argv, F2B_MS, &res);
	close(exe);
	/* Where no sandbox can be made (a container), the database is not
	   read: a crafted one would be parsed by root. */
	if (sandbox_refused(r)) {
		free(res);
		err_set("no sandbox can be made here to read it in");
		return -1;
	}
	if (r == -1) {
		free(res);
		return -1;
	}
	n = answers(res ? res : "", addr, out);
	if (n != -1 && r != 0)
		n = (err_set("the database reader exited %d", r), -1);
	free(res);
	return n;
}

int
f2b_ask(int fd, time_t now, const char *addr, struct f2b_ban *out)
{
	char when[32];

	snprintf(when, sizeof(when), "%lld", (long long)now);
	return helper(fd, "list", when, addr, out);
}

int
f2b_unban(int fd, const char *jail, const char *ip)
{
	return helper(fd, "unban", jail, ip, NULL);
}
