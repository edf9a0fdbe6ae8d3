/*
 * src/target/logs/: sshd's own lines as evidence -- the text logs
 * (logscan.c), the journal (journal.c), the set both fill (logset.c).
 * Uses the top of src/target/ and what is below it.
 *
 * Reading the target's sshd lines. The logs are hostile data: every file
 * is opened through safefs (no symlink out of the root), read from its
 * end and bounded (LOG_TAIL bytes; a .gz file stops after GZ_MAX bytes
 * of content), and a line is only ever kept as a copy.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "target/logs/logscan.h"
#include "target/logs/logset.h"
#include "safefs.h"
#include "target/target.h"
#include "util.h"

/* The syslog files. */
static const char *const logbases[] = { "auth.log", "secure", "messages" };

/* The last MAX bytes of a gzip stream on FD. */
static char *
gz_tail(int fd, size_t max, size_t *len)
{
	gzFile gz;
	char *buf = xmalloc(2 * max + 1);
	size_t n = 0, total = 0;
	int r;

	if ((gz = gzdopen(fd, "rb")) == NULL) {
		free(buf);
		close(fd);
		return NULL;
	}
	while (total < GZ_MAX && (r = gzread(gz, buf + n,
	    (unsigned)(2 * max - n))) > 0) {
		n += (size_t)r;
		total += (size_t)r;
		if (n == 2 * max) {
			memmove(buf, buf + max, max);
			n = max;
		}
	}
	gzclose(gz);		/* closes fd */
	if (n > max) {
		memmove(buf, buf + n - max, max);
		n = max;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The last MAX bytes of PATH in the root (a .gz file: of its content),
   NUL-terminated, and its mtime; or NULL. */
static char *
log_tail(struct target *t, const char *path, size_t max, size_t *len,
    time_t *mtime)
{
	struct stat st;
	char *data = NULL;
	size_t l = strlen(path);
	int fd;

	fd = sfs_open(t->rootfd, path, O_RDONLY, &st);
	if (fd == -1)
		return NULL;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;		/* a directory: no log, a fact */
		return NULL;
	}
	*mtime = st.st_mtime;
	if (l > 3 && strcmp(path + l - 3, ".gz") == 0)
		return gz_tail(fd, max, len);
	if ((st.st_size <= (off_t)max ||
	    lseek(fd, st.st_size - (off_t)max, SEEK_SET) != -1) &&
	    sfs_read_fd(fd, max, &data, len) == -1)
		data = NULL;
	close(fd);
	return data;
}

/* "2026-11-22T17:00:01.123456+01:00 " (rsyslog's default since Debian
   12, journalctl -o short-iso): the time, and *END past it. */
static time_t
iso_time(const char *s, const char **end)
{
	struct tm tm = { 0 };
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	time_t w;
	int off = 0, c;

	if (p == NULL)
		return -1;
	if (*p == '.')
		while (isdigit((unsigned char)*++p))
			;
	/* +01:00, or +0100 as journalctl -o short-iso writes it */
	if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2])) {
		c = p[3] == ':' ? 4 : 3;
		if (!isdigit((unsigned char)p[c]) ||
		    !isdigit((unsigned char)p[c + 1]))
			return -1;
		off = ((p[1] - '0') * 10 + p[2] - '0') * 3600 +
		    ((p[c] - '0') * 10 + p[c + 1] - '0') * 60;
		if (*p == '-')
			off = -off;
		p += c + 2;
	} else if (*p == 'Z')
		p++;
	w = timegm(&tm) - off;
	*end = p;
	return w;
}

/* "Nov 22 17:00:01 " (syslog's traditional format, no year: the year
   that puts it at most a day after the file's newest line). */
static time_t
bsd_time(const char *s, const char **end, time_t ref)
{
	struct tm tm = { 0 }, now;
	const char *p = strptime(s, "%b %e %H:%M:%S", &tm);
	time_t w;

	if (p == NULL || gmtime_r(&ref, &now) == NULL)
		return -1;
	tm.tm_year = now.tm_year;
	if ((w = timegm(&tm)) > ref + 24 * 3600) {
		tm.tm_year--;
		w = timegm(&tm);
	}
	*end = p;
	return w;
}

/* sshd's tag: "sshd[PID]:", "sshd-session[PID]:", "sshd-auth[PID]:",
   "sshd:". The message after it (and *PID, 0 if not said), or NULL. */
static const char *
sshd_msg(const char *p, long *pid)
{
	static const char *const tags[] = { "sshd", "sshd-session",
	    "sshd-auth" };
	const char *q;
	size_t i, n;

	while (*p == ' ')
		p++;
	p += strcspn(p, " ");	/* the host */
	while (*p == ' ')
		p++;
	for (i = 0; i < ARRAY_LEN(tags); i++) {
		n = strlen(tags[i]);
		if (strncmp(p, tags[i], n) != 0)
			continue;
		q = p + n;
		*pid = 0;
		if (*q == '[') {
			*pid = strtol(q + 1, NULL, 10);
			q += 1 + strspn(q + 1, "0123456789");
			if (*q++ != ']')
				continue;
		}
		if (q[0] == ':' && q[1] == ' ')
			return q + 2;
	}
	return NULL;
}

static void
scan(struct logset *ls, const char *file, char *data, size_t len,
    time_t mtime)
{
	char *s, *e, *end = data + len;
	const char *rest, *msg;
	time_t w;
	long pid;

	for (s = data; s < end; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL)
			e = end;
		*e = '\0';
		if (e > s && e[-1] == '\r')	/* sshd -E, copied logs */
			e[-1] = '\0';
		if (memmem(s, (size_t)(e - s), "sshd", 4) == NULL)
			continue;
		w = isdigit((unsigned char)*s) ? iso_time(s, &rest) :
		    bsd_time(s, &rest, mtime);
		if (w == -1 || (msg = sshd_msg(rest, &pid)) == NULL)
			continue;
		log_add(ls, w, file, xstrdup(msg), pid);
	}
}

/* Time order; lines of one second keep the order they were read in. */
static int
by_time(const void *a, const void *b)
{
	const struct logrec *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The same process and message: the same event, or its repeat. */
static int
by_event(const void *a, const void *b)
{
	const struct logrec *x = *(const struct logrec *const *)a;
	const struct logrec *y = *(const struct logrec *const *)b;
	int c;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if ((c = strcmp(x->msg, y->msg)) != 0)
		return c;
	if (x->journal != y->journal)
		return x->journal - y->journal;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * A system with a syslog daemon and a journal (RHEL's secure and its
 * volatile journal, Debian with rsyslog) has each line twice. An event
 * is a process and a message: of the N text lines and M journal entries
 * of one event, min(N, M) text lines are the journal's copies and go.
 * Lines without a pid are kept.
 */
static void
dedup(struct logset *ls)
{
	struct logrec **ix;
	size_t i, j, k, nt, nj, n;

	for (i = 0; i < ls->n && !ls->v[i].journal; i++)
		;
	if (i == 0 || i == ls->n)	/* one kind only */
		return;
	ix = xcalloc(ls->n, sizeof(*ix));
	for (i = 0; i < ls->n; i++) {
		ls->v[i].seq = i;
		ix[i] = &ls->v[i];
	}
	qsort(ix, ls->n, sizeof(*ix), by_event);
	for (i = 0; i < ls->n; i = j) {
		nt = nj = 0;
		for (j = i; j < ls->n && ix[j]->pid == ix[i]->pid &&
		    strcmp(ix[j]->msg, ix[i]->msg) == 0; j++)
			ix[j]->journal ? nj++ : nt++;
		for (k = i; ix[i]->pid != 0 && k < i + nt && k < i + nj; k++) {
			free(ix[k]->msg);
			ix[k]->msg = NULL;
		}
	}
	free(ix);
	for (i = n = 0; i < ls->n; i++)
		if (ls->v[i].msg != NULL)
			ls->v[n++] = ls->v[i];
	ls->n = n;
}

/* Keep the lines from SINCE (-1: LOG_WINDOW before the newest) on. */
static void
window(struct logset *ls, time_t since)
{
	size_t i, n;

	if (ls->n == 0)
		return;
	for (i = 0; i < ls->n; i++)
		ls->v[i].seq = i;
	qsort(ls->v, ls->n, sizeof(*ls->v), by_time);
	if (since == -1)
		since = ls->v[ls->n - 1].when - LOG_WINDOW;
	for (i = 0; i < ls->n && ls->v[i].when < since; i++)
		free(ls->v[i].msg);
	n = ls->n - i;
	memmove(ls->v, ls->v + i, n * sizeof(*ls->v));
	ls->n = n;
}

/* Is NAME BASE, or a rotation of it: BASE.N, BASE.N.gz (logrotate),
   BASE-YYYYMMDD, BASE-YYYYMMDD.gz (dateext, RHEL's default)? 1: BASE,
   2: a rotation. */
static int
log_name(const char *name, const char *base)
{
	size_t l = strlen(base), d;
	const char *p = name + l;

	if (strncmp(name, base, l) != 0)
		return 0;
	if (*p == '\0')
		return 1;
	if (*p != '.' && *p != '-')
		return 0;
	d = strspn(p + 1, "0123456789");
	if (d == 0 || (*p == '-' && d != 8))
		return 0;
	p += 1 + d;
	return *p == '\0' || strcmp(p, ".gz") == 0 ? 2 : 0;
}

/* A syslog file or one of its rotations. */
static int
any_log(const char *name, const struct stat *st, const void *arg)
{
	size_t i;

	(void)st;
	(void)arg;
	for (i = 0; i < ARRAY_LEN(logbases); i++)
		if (log_name(name, logbases[i]) != 0)
			return 1;
	return 0;
}

/* Read /var/log/NAME into LS; the file's name is kept with LS. */
static void
read_log(struct target *t, struct logset *ls, const char *name)
{
	char *path, *data;
	size_t len;
	time_t mtime;

	path = xasprintf("/var/log/%s", name);
	if ((data = log_tail(t, path, LOG_TAIL, &len, &mtime)) == NULL) {
		/* A FIFO or device planted as a log, or a log that cannot
		   be read: its lines are unknown (source-penalty). */
		unread_note(&t->unread, path, errno);
		free(path);
		return;
	}
	ls->files = xreallocarray(ls->files, ls->nfiles + 1,
	    sizeof(*ls->files));
	ls->files[ls->nfiles++] = path;
	scan(ls, path, data, len, mtime);
	free(data);
}

/* Each syslog file, after the newest LOG_ROTATIONS of its rotations
   (oldest first); F: every such file of /var/log, newest first. */
static void
read_logs(struct target *t, struct logset *ls, const struct sfs_file *f,
    size_t n)
{
	size_t i, j, k, pick[LOG_ROTATIONS];

	for (i = 0; i < ARRAY_LEN(logbases); i++) {
		for (j = k = 0; j < n && k < LOG_ROTATIONS; j++)
			if (log_name(f[j].name, logbases[i]) == 2)
				pick[k++] = j;
		while (k > 0)
			read_log(t, ls, f[pick[--k]].name);
		read_log(t, ls, logbases[i]);
	}
}

const struct logset *
target_logs(struct target *t)
{
	struct logset *ls;
	struct sfs_file *f = NULL;
	struct stat st;
	size_t i, n = 0;
	int dfd;

	if (t->logs != NULL)
		return t->logs;
	ls = t->logs = xcalloc(1, sizeof(*ls));
	if ((dfd = sfs_open(t->rootfd, "/var/log", O_RDONLY | O_DIRECTORY,
	    &st)) != -1) {
		n = sfs_list(dfd, any_log, NULL, LOG_NAMES, &f);
		close(dfd);
		read_logs(t, ls, f, n);
		for (i = 0; i < n; i++)
			free(f[i].name);
		free(f);
	}
	journal_read(t, ls, t->log_since);
	dedup(ls);
	window(ls, t->log_since);
	return ls;
}

int
log_parse_since(const char *s, time_t now, time_t *out)
{
	struct tm tm = { 0 };
	const char *p;
	char *end;
	long n;

	if (isdigit((unsigned char)*s) && (n = strtol(s, &end, 10)) >= 0 &&
	    end[0] != '\0' && end[1] == '\0' && strchr("dhm", end[0])) {
		*out = now - n * (end[0] == 'd' ? 86400 : end[0] == 'h' ?
		    3600 : 60);
		return 0;
	}
	if ((p = strptime(s, "%Y-%m-%d", &tm)) == NULL)
		return -1;
	if (*p == ' ' || *p == 'T') {
		if ((p = strptime(p + 1, "%H:%M", &tm)) == NULL)
			return -1;
		if (*p == ':' && (p = strptime(p + 1, "%S", &tm)) == NULL)
			return -1;
	}
	if (*p != '\0')
		return -1;
	*out = timegm(&tm);
	return 0;
}
