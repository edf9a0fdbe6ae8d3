/*
 * src/target/accounts/: the account databases of the target -- passwd
 * (accounts.c), group and the indexes over passwd (groups.c), shadow
 * (shadow.c) -- read with fgetpwent, fgetgrent and fgetspent from the
 * root's own files, never the host's NSS. Uses the base only.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/accounts/accounts.h"
#include "budget.h"
#include "safefs.h"
#include "util.h"

#define PASSWD	"/etc/passwd"

FILE *
accounts_fopen(int rootfd, const char *path)
{
	struct stat st;
	FILE *fp;
	int fd;

	fd = sfs_open(rootfd, path, O_RDONLY, &st);
	if (fd == -1)
		return NULL;
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)ACC_MAX_FILE) {
		close(fd);
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		return NULL;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return NULL;
	}
	/*
	 * fgetpwent asks the stream for its position at every line; once it
	 * has seeked, stdio knows it and answers without an lseek(2) each.
	 */
	fseeko(fp, 0, SEEK_SET);
	return fp;
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 10)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * The shape of a line of each account file: the one rule every line of
 * passwd, group and shadow must follow (fgetpwent and friends skip a line
 * that breaks it silently, and sshfix would judge a system sshd sees
 * differently).
 */
static const struct acc_format {
	const char	*path;
	const char	*form;		/* for the error message */
	unsigned	 nfields;
	unsigned	 numeric;	/* bit i: field i is a number */
	unsigned	 may_be_empty;	/* bit i: that number may be empty */
} formats[] = {
	[ACC_PASSWD] = { "/etc/passwd", "name:password:uid:gid:gecos:home:"
	    "shell", 7, 1u << 2 | 1u << 3, 0 },
	[ACC_GROUP] = { "/etc/group", "name:password:gid:members", 4,
	    1u << 2, 0 },
	[ACC_SHADOW] = { "/etc/shadow", "name:password:lastchg:min:max:warn:"
	    "inactive:expire:flag", 9, 0x1fcu, 0x1fcu },
};

int
accounts_line_valid(enum acc_file which, const char *line, size_t n)
{
	const struct acc_format *fm = &formats[which];
	const char *f = line, *end = line + n, *colon;
	unsigned k;

	/*
	 * A NUL ends a C string mid-entry: garbage, not an entry. Other
	 * control bytes are an attacker's data in a name or a home, which
	 * glibc and sshd take as they are: kept, and escaped on output.
	 */
	if (memchr(line, '\0', n) != NULL)
		return 0;
	for (k = 0; k < fm->nfields; k++, f = colon + 1) {
		colon = memchr(f, ':', (size_t)(end - f));
		if ((colon == NULL) != (k == fm->nfields - 1))
			return 0;	/* too few or too many fields */
		if (colon == NULL)
			colon = end;
		if (k == 0 && colon == f)
			return 0;	/* no name */
		/* NIS compat lines ("+user::::::") may leave numbers empty. */
		if (!((fm->numeric >> k) & 1) || line[0] == '+' ||
		    line[0] == '-' ||
		    (colon == f && ((fm->may_be_empty >> k) & 1)))
			continue;
		if (!all_digits(f, (size_t)(colon - f)))
			return 0;
	}
	return 1;
}

/*
 * One line of FP, without its end, into *BUF (grown as needed): its
 * length; -1 at the end of the file; -2 when longer than ACC_MAX_LINE
 * (glibc would take it whole: one line of a sparse file is the file).
 */
static ssize_t
read_line(FILE *fp, char **buf, size_t *cap)
{
	size_t n = 0;
	int c = EOF;

	while ((c = getc_unlocked(fp)) != EOF && c != '\n') {
		if (n == ACC_MAX_LINE)
			return -2;
		if (n + 1 >= *cap) {
			*cap = *cap ? *cap * 2 : 256;
			*buf = xreallocarray(*buf, *cap, 1);
		}
		(*buf)[n++] = (char)c;
	}
	if (c == EOF && n == 0)
		return -1;
	if (*buf == NULL) {
		*cap = 1;
		*buf = xcalloc(1, 1);
	}
	(*buf)[n] = '\0';
	return (ssize_t)n;
}

/* A file over a budget: passwd is an error, the others unread. */
static int
over_budget(struct accounts *a, enum acc_file which, const char *why)
{
	const struct acc_format *fm = &formats[which];
	char *full;

	if (which == ACC_PASSWD) {
		err_set("%s: %s: cannot tell", fm->path, why);
		return -1;
	}
	a->refused[which] = 1;
	full = xasprintf("%s: cannot tell", why);
	unread_note_why(a->unread, fm->path, full);
	free(full);
	return 0;
}

/* passwd past ACC_MAX_ENTRIES: the accounts after are not examined. */
static void
cut_passwd(struct accounts *a)
{
	char *why = xasprintf("more than %d accounts (sshfix's budget); the "
	    "rest were not examined: cannot tell", ACC_MAX_ENTRIES);

	unread_note_why(a->unread, formats[ACC_PASSWD].path, why);
	free(why);
}

static int
over_entries(struct accounts *a, enum acc_file which)
{
	char *why = xasprintf("more than %d entries (sshfix's budget)",
	    ACC_MAX_ENTRIES);
	int r = over_budget(a, which, why);

	free(why);
	return r;
}

static int
check_lines(struct accounts *a, enum acc_file which, FILE *fp)
{
	const struct acc_format *fm = &formats[which];
	char *line = NULL, *why;
	size_t cap = 0, lineno = 0, entries = 0;
	ssize_t n;
	int r = 0;

	while (r == 0 && (n = read_line(fp, &line, &cap)) != -1) {
		lineno++;
		if (n == -2) {
			why = xasprintf("line %zu longer than %u bytes "
			    "(sshfix's budget)", lineno, ACC_MAX_LINE);
			r = over_budget(a, which, why);
			free(why);
			break;
		}
		while (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (n == 0 || line[strspn(line, " \t")] == '#')
			continue;
		if (!accounts_line_valid(which, line, (size_t)n)) {
			err_set("%s line %zu: malformed entry (want %s)",
			    fm->path, lineno, fm->form);
			r = -1;
		} else if (++entries > ACC_MAX_ENTRIES) {
			if (which == ACC_PASSWD)
				cut_passwd(a);
			else
				r = over_entries(a, which);
			break;
		}
	}
	if (r == 0 && ferror(fp)) {
		err_set("%s: %s", fm->path, strerror(errno));
		r = -1;
	}
	free(line);
	return r;
}

/*
 * Check every line of an account file: a line that is not an entry is an
 * error naming the file and the line. Blank lines and comments pass.
 * A missing file is 0 (for passwd, the caller's error).
 */
static int
check_file(struct accounts *a, enum acc_file which)
{
	const struct acc_format *fm = &formats[which];
	char *why;
	FILE *fp;
	int r;

	if ((fp = accounts_fopen(a->rootfd, fm->path)) == NULL) {
		if (errno == EFBIG) {
			why = xasprintf("larger than %llu MiB (sshfix's "
			    "budget); not read", ACC_MAX_FILE / MiB);
			r = over_budget(a, which, why);
			free(why);
			return r;
		}
		if (which != ACC_PASSWD) {
			unread_note(a->unread, fm->path, errno);
			return 0;
		}
		err_set("%s: %s", fm->path, file_strerror(errno));
		return -1;
	}
	r = check_lines(a, which, fp);
	fclose(fp);
	return r;
}

int
accounts_open(struct accounts *a, int rootfd, struct unread_list *unread)
{
	memset(a, 0, sizeof(*a));
	a->rootfd = rootfd;
	a->unread = unread;
	if (check_file(a, ACC_PASSWD) == -1 ||
	    check_file(a, ACC_GROUP) == -1 ||
	    check_file(a, ACC_SHADOW) == -1)
		return -1;
	return 0;
}

void
account_copy(struct account *dst, const struct passwd *pw)
{
	dst->name = xstrdup(pw->pw_name);
	dst->uid = pw->pw_uid;
	dst->gid = pw->pw_gid;
	dst->home = xstrdup(pw->pw_dir ? pw->pw_dir : "");
	dst->shell = xstrdup(pw->pw_shell ? pw->pw_shell : "");
	dst->passwd = xstrdup(pw->pw_passwd ? pw->pw_passwd : "");
}

void
account_dup(struct account *dst, const struct account *src)
{
	dst->name = xstrdup(src->name);
	dst->uid = src->uid;
	dst->gid = src->gid;
	dst->home = xstrdup(src->home);
	dst->shell = xstrdup(src->shell);
	dst->passwd = xstrdup(src->passwd);
}

void
account_free(struct account *acc)
{
	free(acc->name);
	free(acc->home);
	free(acc->shell);
	free(acc->passwd);
	memset(acc, 0, sizeof(*acc));
}

FILE *
accounts_file(struct accounts *a, enum acc_file which)
{
	if (a->refused[which]) {
		errno = EFBIG;
		return NULL;
	}
	return accounts_fopen(a->rootfd, formats[which].path);
}

int
accounts_foreach(struct accounts *a, int (*cb)(const struct passwd *, void *),
    void *arg)
{
	struct passwd *pw;
	size_t n = 0;
	FILE *fp;
	int r = 0;

	if ((fp = accounts_file(a, ACC_PASSWD)) == NULL) {
		err_set("%s: %s", PASSWD, file_strerror(errno));
		return -1;
	}
	/* The entries check_file saw, never more (cut_passwd). */
	while (r == 0 && n++ < ACC_MAX_ENTRIES &&
	    (pw = fgetpwent(fp)) != NULL) {
		if (pw->pw_name[0] == '+' || pw->pw_name[0] == '-')
			continue;	/* NIS compat: not a local account */
		r = cb(pw, arg);
	}
	fclose(fp);
	return r;
}

struct find {
	const char	*name;
	uid_t		 uid;
	struct account	*out;
};

static int
find_name(const struct passwd *pw, void *arg)
{
	struct find *f = arg;

	if (strcmp(pw->pw_name, f->name) != 0)
		return 0;
	account_copy(f->out, pw);
	return 1;
}

static int
find_uid(const struct passwd *pw, void *arg)
{
	struct find *f = arg;

	if (pw->pw_uid != f->uid)
		return 0;
	account_copy(f->out, pw);
	return 1;
}

int
accounts_getpwnam(struct accounts *a, const char *name, struct account *out)
{
	struct find f = { name, 0, out };
	int r = accounts_foreach(a, find_name, &f);

	return r == 1 ? 0 : r == 0 ? 1 : -1;
}

int
accounts_getpwuid(struct accounts *a, uid_t uid, struct account *out)
{
	struct find f = { NULL, uid, out };
	int r = accounts_foreach(a, find_uid, &f);

	return r == 1 ? 0 : r == 0 ? 1 : -1;
}
