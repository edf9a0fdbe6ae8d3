/*
 * The firewall a target loads at boot (include/target/net/firewall.h).
 * Every file is read through the root's fd (safefs), never through the
 * rescue machine's /etc: an include nft would follow is followed here,
 * inside the root, and put in place, so that the loader never opens a
 * file itself.
 */
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "budget.h"
#include "incglob.h"
#include "safefs.h"
#include "target/net/firewall.h"
#include "util.h"

/*
 * The units that load a firewall at boot and the file each loads: for
 * nftables.service the file its ExecStart names (nft -f FILE), else
 * FILE; the units of fail2ban, sshguard, ufw and firewalld sshfix does
 * not judge yet (loader -1): enabled, they are a "cannot tell".
 */
static const struct unit {
	const char	*unit;
	int		 loader;	/* enum fwj_loader, -1: not judged */
	const char	*file;
	int		 live;		/* 1: not judged on the running system
					   only (what persists is read
					   elsewhere: fixes/address_banned.c) */
} units[] = {
	{ "nftables.service", FWJ_NFT, "/etc/nftables.conf", 0 },	/* Debian */
	{ "netfilter-persistent.service", FWJ_IPT4, "/etc/iptables/rules.v4", 0 },
	{ "netfilter-persistent.service", FWJ_IPT6, "/etc/iptables/rules.v6", 0 },
	{ "iptables.service", FWJ_IPT4, "/etc/sysconfig/iptables", 0 },
	{ "ip6tables.service", FWJ_IPT6, "/etc/sysconfig/ip6tables", 0 },
	{ "ufw.service", -1, "/etc/ufw/ufw.conf", 0 },
	{ "firewalld.service", -1, "/etc/firewalld/firewalld.conf", 0 },
	{ "fail2ban.service", -1, "/etc/fail2ban/jail.conf", 1 },
	{ "sshguard.service", -1, "/etc/sshguard/sshguard.conf", 1 },
};

/* The targets whose wants enable a firewall's unit. */
static const char *const wants[] = {
	"sysinit.target.wants", "basic.target.wants",
	"network-pre.target.wants", "network.target.wants",
	"multi-user.target.wants",
};

static const char *const unitdirs[] = {
	"/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system",
};

/* Is UNIT masked (a link to /dev/null in /etc/systemd/system)? */
static int
masked(struct target *t, const char *unit)
{
	char path[PATH_MAX], to[16];
	const char *leaf;
	ssize_t n;
	int d, r = 0;

	snprintf(path, sizeof(path), "/etc/systemd/system/%s", unit);
	if ((d = sfs_open_parent(t->rootfd, path, &leaf)) == -1)
		return 0;
	n = readlinkat(d, leaf, to, sizeof(to) - 1);
	if (n > 0) {
		to[n] = '\0';
		r = strcmp(to, "/dev/null") == 0;
	}
	close(d);
	return r;
}

int
fw_unit_enabled(struct target *t, const char *unit)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	if (masked(t, unit))
		return 0;
	for (i = 0; i < ARRAY_LEN(wants); i++) {
		snprintf(path, sizeof(path), "/etc/systemd/system/%s/%s",
		    wants[i], unit);
		if (sfs_lstat(t->rootfd, path, &st) == 0)
			return 1;
	}
	return 0;
}

/* The file of "ExecStart=... -f FILE" in TEXT (the last ExecStart). */
static char *
execstart_file(const char *text)
{
	const char *s, *e, *f;
	char *file = NULL;
	size_t len;

	for (s = text; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		if (strncmp(s, "ExecStart=", 10) != 0)
			continue;
		free(file);
		file = NULL;
		for (f = s + 10; f < e; f++)
			if ((f[0] == '-' && f[1] == 'f' && f[2] == ' ') ||
			    strncmp(f, "--file ", 7) == 0) {
				f += f[1] == 'f' ? 3 : 7;
				len = strcspn(f, " \t\n");
				if (f + len <= e && len > 0 && *f == '/')
					file = xstrndup(f, len);
				break;
			}
	}
	return file;
}

/* The file nftables.service loads: from its unit, else DEF. */
static char *
nft_file(struct target *t, const char *unit, const char *def)
{
	char path[PATH_MAX], *data, *file = NULL;
	size_t i, len;

	for (i = 0; i < ARRAY_LEN(unitdirs) && file == NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", unitdirs[i], unit);
		if (sfs_read_file(t->rootfd, path, UNIT_MAX_BYTES, &data, &len,
		    NULL) == -1)
			continue;
		file = execstart_file(data);
		free(data);
		if (file == NULL)
			break;
	}
	return file != NULL ? file : xstrdup(def);
}

/* The ruleset being put together. */
struct flat {
	struct target		*t;
	struct fw_ruleset	*r;
	struct sbuf		 b;
	size_t			 cap;
	size_t			 includes;	/* statements followed */
	const char		*err;	/* static text, or NULL */
};

static void
add_line(struct flat *fl, size_t file, size_t line, const char *s,
    size_t len)
{
	struct fw_ruleset *r = fl->r;

	if (r->nlines == fl->cap) {
		fl->cap = fl->cap ? 2 * fl->cap : 256;
		r->lfile = xreallocarray(r->lfile, fl->cap, sizeof(size_t));
		r->lline = xreallocarray(r->lline, fl->cap, sizeof(size_t));
	}
	r->lfile[r->nlines] = file;
	r->lline[r->nlines++] = line;
	sbuf_add(&fl->b, s, len);
	sbuf_addc(&fl->b, '\n');
}

/*
 * An include line: its pattern (allocated), or NULL; *BAD when the line
 * holds more than the include (nft takes "include "a"; table ..." on one
 * line: sshfix does not split it). nft's own rule: a relative name is
 * looked for in its include path, /etc.
 */
static char *
include_of(const char *s, size_t len, int *bad)
{
	const char *e = s + len, *q, *t;

	*bad = 0;
	while (s < e && isspace((unsigned char)*s))
		s++;
	if ((size_t)(e - s) < 8 || strncmp(s, "include", 7) != 0 ||
	    !isspace((unsigned char)s[7]))
		return NULL;
	for (s += 8; s < e && isspace((unsigned char)*s); s++)
		;
	if (s == e || *s != '"' || (q = memchr(s + 1, '"', (size_t)(e - s -
	    1))) == NULL)
		return NULL;
	for (t = q + 1; t < e && (isspace((unsigned char)*t) || *t == ';');
	    t++)
		;
	if (t < e && *t != '#') {
		*bad = 1;
		return NULL;
	}
	if (s[1] == '/')
		return xstrndup(s + 1, (size_t)(q - s - 1));
	return xasprintf("/etc/%.*s", (int)(q - s - 1), s + 1);
}

static void flatten(struct flat *, const char *path, int depth);

/* Every file PATTERN names, in glob's order, in place. */
static void
include(struct flat *fl, const char *pattern, int depth)
{
	char **paths = NULL;
	size_t n = 0, i, unread = fl->t->unread.n;

	if (++fl->includes > FW_INCLUDES_MAX) {
		fl->err = "more include statements than sshfix follows";
		return;
	}
	if (incglob(fl->t->rootfd, pattern, &paths, &n, &fl->t->unread) ==
	    -1 || fl->t->unread.n != unread) {
		/* a directory it could not list, a glob over its budget */
		fl->err = "an include's files cannot all be listed";
		incglob_free(paths, n);
		return;
	}
	if (n == 0 && strpbrk(pattern, "*?[") == NULL) {
		/* nft refuses a missing file it was told to include. */
		fl->err = "an include names a file that cannot be read";
		incglob_free(paths, n);
		return;
	}
	for (i = 0; i < n && fl->err == NULL; i++)
		flatten(fl, paths[i], depth + 1);
	incglob_free(paths, n);
}

static void
flatten(struct flat *fl, const char *path, int depth)
{
	struct fw_ruleset *r = fl->r;
	const char *s, *e;
	char *data, *inc;
	size_t len, file, line = 0;
	int bad;

	if (depth > FW_INCLUDE_DEPTH || r->nfiles >= FW_FILES_MAX) {
		fl->err = "includes nest too deep, or name too many files";
		return;
	}
	if (sfs_read_file(fl->t->rootfd, path, FW_RULESET_MAX, &data, &len,
	    NULL) == -1) {
		unread_note(&fl->t->unread, path, errno);
		fl->err = "a file of it cannot be read";
		return;
	}
	/* iptables-restore reads on past a NUL byte (fgets); sshfix would
	   stop at it. */
	if (memchr(data, '\0', len) != NULL) {
		free(data);
		fl->err = "a file of it holds a NUL byte";
		return;
	}
	file = r->nfiles;
	r->files = xreallocarray(r->files, ++r->nfiles, sizeof(char *));
	r->files[file] = xstrdup(path);
	for (s = data; *s != '\0' && fl->err == NULL; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		line++;
		if (r->loader == FWJ_NFT && (inc = include_of(s, (size_t)(e -
		    s), &bad)) != NULL) {
			add_line(fl, file, line, "", 0);
			include(fl, inc, depth);
			free(inc);
		} else if (r->loader == FWJ_NFT && (bad || has_word(s,
		    (size_t)(e - s), "include")))
			fl->err = "an include sshfix cannot follow";
		else
			add_line(fl, file, line, s, (size_t)(e - s));
		if (fl->b.len > FW_RULESET_MAX)
			fl->err = "the ruleset is larger than sshfix reads";
	}
	free(data);
}

/* Read the ruleset of U (its file FILE) into R. */
static void
ruleset(struct target *t, const struct unit *u, char *file,
    struct fw_ruleset *r)
{
	struct flat fl = { t, r, { 0 }, 0, 0, NULL };

	memset(r, 0, sizeof(*r));
	r->unit = u->unit;
	r->loader = u->loader == -1 ? FWJ_NFT : (enum fwj_loader)u->loader;
	r->file = file;
	if (u->loader == -1) {
		r->why = u->live ? xasprintf("%s is enabled, and sshfix does "
		    "not read the addresses it blocks now (only those it "
		    "blocks again at start)", u->unit) : xasprintf("%s is "
		    "enabled, and sshfix does not judge its rules yet",
		    u->unit);
		return;
	}
	flatten(&fl, file, 0);
	if (fl.err != NULL) {
		r->why = xstrdup(fl.err);
		sbuf_free(&fl.b);
		return;
	}
	r->len = fl.b.len;
	r->text = sbuf_take(&fl.b);
}

size_t
fw_rulesets(struct target *t, struct fw_ruleset **out)
{
	struct fw_ruleset *r = NULL;
	size_t n = 0, i;
	char *file;

	for (i = 0; i < ARRAY_LEN(units); i++) {
		if ((units[i].live && !t->live) || !fw_unit_enabled(t, units[i].unit))
			continue;
		file = units[i].loader == FWJ_NFT ? nft_file(t, units[i].unit,
		    units[i].file) : xstrdup(units[i].file);
		/* netfilter-persistent loads what exists of its files. */
		if (units[i].loader != -1 && units[i].loader != FWJ_NFT &&
		    sfs_stat(t->rootfd, file, NULL) == -1 && errno == ENOENT) {
			free(file);
			continue;
		}
		r = xreallocarray(r, n + 1, sizeof(*r));
		ruleset(t, &units[i], file, &r[n++]);
	}
	*out = r;
	return n;
}

char *
fw_where(const struct fw_ruleset *r, size_t line)
{
	if (line == 0 || line > r->nlines)
		return xstrdup(r->file);
	return xasprintf("%s:%zu", r->files[r->lfile[line - 1]],
	    r->lline[line - 1]);
}

char *
fw_complaint(const struct fw_ruleset *r, const char *msg)
{
	static const char *const marks[] = { "/dev/stdin:", "line: ",
	    "line " };
	const char *p, *rest;
	char *where, *s;
	unsigned long line;
	size_t i;

	for (i = 0; i < ARRAY_LEN(marks); i++) {
		if ((p = strstr(msg, marks[i])) == NULL ||
		    !isdigit((unsigned char)p[strlen(marks[i])]))
			continue;
		line = strtoul(p + strlen(marks[i]), (char **)&rest, 10);
		where = fw_where(r, (size_t)line);
		s = xasprintf("%.*s%s%s", (int)(p - msg), msg, where, rest);
		free(where);
		return s;
	}
	return xstrdup(msg);
}

void
fw_rulesets_free(struct fw_ruleset *r, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(r[i].file);
		free(r[i].text);
		free(r[i].why);
		for (j = 0; j < r[i].nfiles; j++)
			free(r[i].files[j]);
		free(r[i].files);
		free(r[i].lfile);
		free(r[i].lline);
	}
	free(r);
}
