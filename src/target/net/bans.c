/*
 * Bans that survive a reboot (include/target/net/bans.h). sshguard's
 * configuration is a shell file its start script sources: only plain
 * NAME=VALUE lines are read (quotes removed); a value that needs a shell
 * is not followed. fail2ban's is an INI file read in layers; only its
 * dbfile is taken, and a value that needs interpolation is not followed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "budget.h"
#include "incglob.h"
#include "os/f2bdb.h"
#include "safefs.h"
#include "target/net/bans.h"
#include "target/net/firewall.h"
#include "util.h"

static const char *const sg_confs[] = {
	"/etc/sshguard/sshguard.conf",	/* Debian, Ubuntu */
	"/etc/sshguard.conf",		/* upstream, Fedora */
};

/* The blacklist's lines that cover ADDR. */
static void
sg_list(struct target *t, const char *file, const char *addr, int p4,
    int p6, struct ban **out, size_t *n)
{
	char *data, a[INET6_ADDRSTRLEN + 1];
	const char *s, *e;
	size_t len, line = 0;
	long long ts;
	int svc, kind;
	struct ban *b;

	if (sfs_read_file(t->rootfd, file, BAN_FILE_MAX, &data, &len,
	    NULL) == -1) {
		if (errno != ENOENT)
			unread_note(&t->unread, file, errno);
		return;
	}
	if (memchr(data, '\0', len) != NULL) {
		/* sshguard reads on past a NUL byte; sshfix would not */
		unread_note_why(&t->unread, file, "holds a NUL byte");
		free(data);
		return;
	}
	for (s = data; *s != '\0'; s = *e ? e + 1 : e) {
		char l[128];
		size_t ll;

		e = s + strcspn(s, "\n");
		if (++line > BAN_MAX_LINES) {
			unread_note_why(&t->unread, file, "has more lines than "
			    "sshfix reads");
			break;
		}
		/* sshguard's own reading: "%lld|%d|%d|%46s", else ignored */
		ll = (size_t)(e - s);
		if (ll > 0 && s[ll - 1] == '\r')
			ll--;
		if (ll >= sizeof(l))
			continue;
		memcpy(l, s, ll);
		l[ll] = '\0';
		if (sscanf(l, "%lld|%d|%d|%46s", &ts, &svc, &kind, a) != 4 ||
		    (kind != 4 && kind != 6) ||
		    !addr_in_net(addr, a, kind == 4 ? p4 : p6))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		b = &(*out)[(*n)++];
		b->by = "sshguard";
		b->file = xstrdup(file);
		b->line = line;
		b->text = xstrdup(l);
		b->addr = xstrdup(a);
		b->prefix = kind == 4 ? p4 : p6;
		b->since = (time_t)ts;
		b->until = -1;
	}
	free(data);
}

static int
int_or(const char *v, int def)
{
	char *end;
	long x;

	if (v == NULL)
		return def;
	x = strtol(v, &end, 10);
	return end != v && *end == '\0' && x >= 0 && x <= 128 ? (int)x : def;
}

/* sshguard's blacklist, when sshguard.service starts at boot. */
static void
sshguard(struct target *t, const char *addr, struct ban **out, size_t *n)
{
	char *conf = NULL, *file, *v4, *v6, *colon;
	size_t len, i;

	if (!fw_unit_enabled(t, "sshguard.service"))
		return;
	for (i = 0; i < ARRAY_LEN(sg_confs) && conf == NULL; i++)
		if (sfs_read_file(t->rootfd, sg_confs[i], SMALL_FILE_MAX, &conf,
		    &len, NULL) == -1 && errno != ENOENT)
			unread_note(&t->unread, sg_confs[i], errno);
	if (conf == NULL)
		return;
	/* BLACKLIST_FILE is "THRESHOLD:FILE" (sshg-blocker -b), or FILE. */
	if ((file = shell_var(conf, "BLACKLIST_FILE")) != NULL) {
		colon = strchr(file, ':');
		v4 = shell_var(conf, "IPV4_SUBNET");
		v6 = shell_var(conf, "IPV6_SUBNET");
		if (*(colon ? colon + 1 : file) == '/')
			sg_list(t, colon ? colon + 1 : file, addr,
			    int_or(v4, 32), int_or(v6, 128), out, n);
		free(v4);
		free(v6);
		free(file);
	}
	free(conf);
}

/* fail2ban's dbfile as its configuration sets it (configparser). */
struct f2bconf {
	char	*def;		/* [DEFAULT] */
	char	*defn;		/* [Definition], which wins */
	const char *why;	/* set: a file sshfix does not follow */
};

static const char *
skip_ws(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* One option line S..E (not indented past its section) into C: the
   value of dbfile in [DEFAULT] or [Definition]; 1 when it was dbfile. */
static int
f2b_option(const char *s, const char *e, int sect, struct f2bconf *c)
{
	const char *d, *v, *k;
	char **slot, *val;
	size_t kl;

	/* configparser: OPTION = VALUE or OPTION: VALUE, the option's name
	   folded to lower case, an inline comment after " ;" */
	for (d = s; d < e && *d != '=' && *d != ':'; d++)
		;
	if (d == e)
		return 0;
	for (k = d; k > s && (k[-1] == ' ' || k[-1] == '\t'); k--)
		;
	kl = (size_t)(k - s);
	if (kl != 6 || strncasecmp(s, "dbfile", 6) != 0)
		return 0;
	v = skip_ws(d + 1, e);
	for (k = v; k < e; k++)
		if (*k == ';' && (k[-1] == ' ' || k[-1] == '\t'))
			break;
	while (k > v && (k[-1] == ' ' || k[-1] == '\t'))
		k--;
	val = xstrndup(v, (size_t)(k - v));
	slot = sect == 1 ? &c->def : &c->defn;
	free(*slot);
	*slot = val;
	if (strchr(val, '%') != NULL)
		c->why = "gives fail2ban's dbfile as a value sshfix does not "
		    "follow";
	return 1;
}

/*
 * fail2ban's configuration TEXT read as its configparser reads it, for
 * dbfile: sections "[NAME]" (text after the closing bracket ignored),
 * comments, options whose names fold to lower case. What sshfix does not
 * follow sets C->why: an [INCLUDES] line, a value continued on an
 * indented line, a NUL byte.
 */
static void
f2b_conf(const char *text, size_t len, struct f2bconf *c)
{
	const char *s, *e, *t, *end = text + len, *rb;
	int sect = 0, last = 0;	/* 1 [DEFAULT], 3 [Definition], 2 [INCLUDES] */

	if (memchr(text, '\0', len) != NULL) {
		c->why = "holds a NUL byte";
		return;
	}
	for (s = text; s < end && c->why == NULL; s = e + (e < end)) {
		e = memchr(s, '\n', (size_t)(end - s));
		if (e == NULL)
			e = end;
		t = skip_ws(s, e);
		if (t == e || (e - t == 1 && *t == '\r') || *t == '#' ||
		    *t == ';')
			continue;
		if (t > s && last) {
			/* a continuation line: of dbfile, not followed */
			if (last == 1)
				c->why = "continues fail2ban's dbfile on "
				    "another line, which sshfix does not "
				    "follow";
			continue;
		}
		last = 0;
		if (*t == '[') {
			for (rb = e; rb > t && rb[-1] != ']'; rb--)
				;
			if (rb - t < 3) {
				sect = 0;
				continue;
			}
			sect = (rb - t == 9 && strncmp(t, "[DEFAULT]", 9) == 0) ?
			    1 : (rb - t == 12 &&
			    strncmp(t, "[Definition]", 12) == 0) ? 3 :
			    (rb - t == 10 && strncmp(t, "[INCLUDES]", 10) == 0) ?
			    2 : 0;
			continue;
		}
		if (sect == 2) {
			c->why = "includes other files ([INCLUDES]), which "
			    "sshfix does not follow";
			continue;
		}
		if (sect == 1 || sect == 3)
			last = f2b_option(t, e[-1] == '\r' ? e - 1 : e,
			    sect == 1 ? 1 : 3, c) ? 1 : 2;
		else
			last = 2;
	}
}

/*
 * fail2ban's dbfile as fail2ban reads it (fail2ban.conf, fail2ban.d
 * (.conf), fail2ban.local, fail2ban.d (.local); in [Definition], else in
 * [DEFAULT], the last one winning): allocated; NULL when it keeps none,
 * or when it cannot be told (noted).
 */
static char *
f2b_dbfile(struct target *t)
{
	static const char *const pat[] = {
		"/etc/fail2ban/fail2ban.conf", "/etc/fail2ban/fail2ban.d/*.conf",
		"/etc/fail2ban/fail2ban.local", "/etc/fail2ban/fail2ban.d/*.local",
	};
	struct f2bconf c = { NULL, NULL, NULL };
	char *text, **p, *val;
	size_t i, j, n, len;

	for (i = 0; i < ARRAY_LEN(pat); i++) {
		if (incglob(t->rootfd, pat[i], &p, &n, &t->unread) == -1)
			continue;
		for (j = 0; j < n; j++) {
			if (sfs_read_file(t->rootfd, p[j], SMALL_FILE_MAX,
			    &text, &len, NULL) == -1) {
				if (errno != ENOENT)
					unread_note(&t->unread, p[j], errno);
				continue;
			}
			f2b_conf(text, len, &c);
			free(text);
			if (c.why != NULL) {
				unread_note_why(&t->unread, p[j], c.why);
				break;
			}
		}
		incglob_free(p, n);
		if (c.why != NULL)
			break;
	}
	val = c.defn ? c.defn : c.def;
	if (c.why == NULL && val != NULL && *val != '/' &&
	    strcasecmp(val, "none") != 0 && strcmp(val, ":memory:") != 0) {
		unread_note_why(&t->unread, "/etc/fail2ban/fail2ban.conf",
		    "gives fail2ban's dbfile as a path that is not absolute");
		c.why = "relative";
	}
	if (c.why != NULL || (val != NULL && (strcasecmp(val, "none") == 0 ||
	    strcmp(val, ":memory:") == 0))) {
		free(c.def);
		free(c.defn);
		return NULL;
	}
	val = xstrdup(val ? val : "/var/lib/fail2ban/fail2ban.sqlite3");
	free(c.def);
	free(c.defn);
	return val;
}

/*
 * fail2ban's database FILE, as one sshfix can judge, staged: an fd, or
 * -1 (noted, unless there is none). A journal beside it (an interrupted
 * write SQLite rolls back, or a WAL with changes of its own) means the
 * file alone is not what fail2ban reads.
 */
static int
f2b_open(struct target *t, const char *file)
{
	const char *side;
	size_t len;
	char *d;
	int fd;

	if (sfs_read_file(t->rootfd, file, F2B_DB_MAX, &d, &len, NULL) == -1) {
		if (errno != ENOENT)
			unread_note_why(&t->unread, file, errno == EFBIG ?
			    "is larger than sshfix reads" : strerror(errno));
		return -1;
	}
	if ((side = f2b_sidecar(t->rootfd, file)) != NULL) {
		unread_note_why(&t->unread, file, strcmp(side, "-journal") ==
		    0 ? "has a journal beside it (an interrupted write SQLite "
		    "would roll back first)" : "has a write-ahead log beside "
		    "it");
		free(d);
		return -1;
	}
	/* bytes 18 and 19 of the header: 2 in WAL mode */
	if (len >= 100 && (d[18] == 2 || d[19] == 2)) {
		unread_note_why(&t->unread, file, "is in WAL mode, which "
		    "sshfix does not read");
		free(d);
		return -1;
	}
	if ((fd = f2b_stage(d, len)) == -1)
		unread_note_why(&t->unread, file, err_get());
	free(d);
	return fd;
}

/* fail2ban's bans of ADDR it restores at start, when fail2ban.service
   starts at boot. */
static void
fail2ban(struct target *t, const char *addr, struct ban **out, size_t *n)
{
	struct f2b_ban fb[F2B_ROWS_MAX];
	char *file;
	struct ban *b;
	long long end;
	int fd, k, i;

	if (!fw_unit_enabled(t, "fail2ban.service") ||
	    (file = f2b_dbfile(t)) == NULL)
		return;
	if ((fd = f2b_open(t, file)) == -1) {
		free(file);
		return;
	}
	k = f2b_ask(fd, time(NULL), addr, fb);
	close(fd);
	if (k == -1) {
		unread_note_why(&t->unread, file, err_get());
		free(file);
		return;
	}
	for (i = 0; i < k; i++) {
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		b = &(*out)[(*n)++];
		b->by = "fail2ban";
		b->file = xstrdup(file);
		b->line = 0;
		b->text = xstrdup(fb[i].jail);
		b->addr = xstrdup(fb[i].ip);
		b->prefix = -1;
		b->since = (time_t)fb[i].since;
		if (fb[i].bantime == -1)
			b->until = -1;
		else if (fb[i].bantime < -1 ||
		    __builtin_add_overflow(fb[i].since, fb[i].bantime, &end))
			b->until = 0;
		else
			b->until = (time_t)end;
	}
	free(file);
}

size_t
bans_of(struct target *t, const char *addr, struct ban **out)
{
	size_t n = 0;

	*out = NULL;
	sshguard(t, addr, out, &n);
	fail2ban(t, addr, out, &n);
	return n;
}

void
bans_free(struct ban *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(b[i].file);
		free(b[i].text);
		free(b[i].addr);
	}
	free(b);
}
