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
#include <stdarg.h>
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
 * FILE (ufw: its user rules, the last of what it loads); the units of
 * fail2ban and sshguard sshfix does not judge on the running system yet
 * (loader -1): enabled, they are a "cannot tell". firewalld is read
 * elsewhere (target/net/firewalld.c).
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
	{ "ufw.service", FWJ_IPT4_N, "/etc/ufw/user.rules", 0 },
	{ "ufw.service", FWJ_IPT6_N, "/etc/ufw/user6.rules", 0 },
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
	int			 whole_lines;	/* a file whose last line has
					   no newline is refused (ufw) */
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
	/* iptables-legacy-restore refuses a last COMMIT with no newline
	   after it, where this machine's loader may take it: ufw would then
	   load its policies without the file's rules */
	if (fl->whole_lines && len > 0 && data[len - 1] != '\n') {
		free(data);
		fl->err = "a file of it does not end in a newline, which some "
		    "iptables-restore refuse (ufw then loads its policies "
		    "without it)";
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

/*
 * ufw: what its ufw-init (ufw 0.36, ufw-init-functions' ufw_start) loads
 * when /etc/ufw/ufw.conf says ENABLED=yes, with iptables-restore -n, in
 * its order: its own chains, the jumps to them and the policy chains it
 * makes from /etc/default/ufw; before.rules, after.rules; the user chains
 * and user.rules, hooked into the before chains; the built-in chains'
 * policies last. With IPV6 other than yes, IPv6 gets a policy of DROP and
 * the loopback alone. Its lines of sshfix's making map to
 * /etc/default/ufw: to the line of the setting they come of, else line 0.
 */
static const char *const ufw_primary[] = { "before-logging", "before",
	"after", "after-logging", "reject", "track" };
static const char *const ufw_dirs[] = { "input", "output", "forward" };
static const char *const ufw_user[] = { "user-input", "user-output",
	"user-forward", "user-logging-input", "user-logging-output",
	"user-logging-forward", "user-limit", "user-limit-accept" };

/*
 * The settings ufw-init takes from the shell files it sources, in its
 * order (/etc/default/ufw, then /etc/ufw/ufw.conf: the last one wins),
 * read only where each line is one sshfix can read as the shell would:
 * blank, a comment, or NAME=WORD, NAME="WORD" or NAME='WORD' and perhaps
 * a comment after it. Anything else (export, a ';', a '$', a backslash,
 * a second file sourced, a NUL byte, a carriage return) is shell sshfix
 * does not follow.
 */
enum { UFW_ENABLED, UFW_IPV6, UFW_IN, UFW_OUT, UFW_FWD, UFW_NVARS };
static const char *const ufw_vars[UFW_NVARS] = { "ENABLED", "IPV6",
	"DEFAULT_INPUT_POLICY", "DEFAULT_OUTPUT_POLICY",
	"DEFAULT_FORWARD_POLICY" };

struct ufw_env {
	char	 val[UFW_NVARS][16];
	size_t	 file[UFW_NVARS];	/* index into the ruleset's files */
	size_t	 line[UFW_NVARS];	/* 1-based; 0: not set */
};

/* One line S..E: 0 (read into ENV when it sets a setting), or -1. */
static int
ufw_env_line(const char *s, const char *e, size_t file, size_t line,
    struct ufw_env *env)
{
	const char *n, *v, *ve;
	size_t i, nl;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (s == e || *s == '#')
		return 0;
	for (n = s; n < e && (isalnum((unsigned char)*n) || *n == '_'); n++)
		;
	if (n == s || n == e || *n != '=' || isdigit((unsigned char)*s))
		return -1;
	nl = (size_t)(n - s);
	v = n + 1;
	if (v < e && (*v == '"' || *v == '\'')) {
		if ((ve = memchr(v + 1, *v, (size_t)(e - v - 1))) == NULL)
			return -1;
		for (n = v + 1; n < ve; n++)
			if (*v == '"' && strchr("$`\\", *n) != NULL)
				return -1;
		v++;
		n = ve + 1;
	} else {
		for (ve = v; ve < e && (isalnum((unsigned char)*ve) ||
		    strchr("_./:,+-@%", *ve) != NULL); ve++)
			;
		n = ve;
	}
	if (n < e && *n != ' ' && *n != '\t')
		return -1;
	while (n < e && (*n == ' ' || *n == '\t'))
		n++;
	if (n < e && *n != '#')
		return -1;
	for (i = 0; i < UFW_NVARS; i++)
		if (strlen(ufw_vars[i]) == nl && strncmp(s, ufw_vars[i], nl) ==
		    0) {
			snprintf(env->val[i], sizeof(env->val[i]), "%.*s",
			    (int)(ve - v), v);
			env->file[i] = file;
			env->line[i] = line;
		}
	return 0;
}

/* PATH (the ruleset's file FILE) into ENV: 0; 1 when it is not there;
   -1 with *WHY (allocated). */
static int
ufw_env_read(struct target *t, const char *path, size_t file,
    struct ufw_env *env, char **why)
{
	const char *s, *e, *end;
	size_t len, line = 0;
	char *data;
	int r = 0;

	if (sfs_read_file(t->rootfd, path, SMALL_FILE_MAX, &data, &len,
	    NULL) == -1) {
		int err = errno;

		if (err == ENOENT)
			return 1;
		*why = xasprintf("%s cannot be read: %s", path, strerror(err));
		return -1;
	}
	if (memchr(data, '\0', len) != NULL || memchr(data, '\r', len) !=
	    NULL) {
		*why = xasprintf("%s holds a NUL byte or a carriage return, "
		    "which sshfix does not read as the shell would", path);
		free(data);
		return -1;
	}
	end = data + len;
	for (s = data; s < end && r == 0; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL)
			e = end;
		if (ufw_env_line(s, e, file, ++line, env) == -1) {
			*why = xasprintf("%s line %zu is shell sshfix does not "
			    "follow (ufw-init sources the file)", path, line);
			r = -1;
		}
	}
	free(data);
	return r;
}

/* A line of the loading script's, from line LINE of the ruleset's file
   FILE (/etc/default/ufw, /etc/ufw/ufw.conf; LINE 0: its own). */
static void
ufw_line(struct flat *fl, size_t file, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
ufw_line(struct flat *fl, size_t file, size_t line, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	if (s == NULL) {
		fl->err = "out of memory";
		return;
	}
	add_line(fl, file, line, s, strlen(s));
	free(s);
}

/* A line of the script's own. */
#define UFW_OWN(fl, ...)	ufw_line((fl), 0, 0, __VA_ARGS__)

/*
 * Does ufw-init load PATH ([ -s PATH ]: there, not empty)? 1, 0; -1 (with
 * FL's error set) when it cannot be looked at: a link sshfix does not
 * follow, which the shell would.
 */
static int
ufw_has(struct flat *fl, const char *path)
{
	struct stat st;

	if (sfs_stat(fl->t->rootfd, path, &st) == 0)
		return st.st_size > 0;
	if (errno == ENOENT)
		return 0;
	unread_note(&fl->t->unread, path, errno);
	fl->err = "a file of it cannot be read";
	return -1;
}

/* The chains, jumps and policy chains ufw-init makes first (type ""
   or "6"), as one section. */
static void
ufw_frame(struct flat *fl, const char *ty, const struct ufw_env *env)
{
	size_t i, j, k;

	UFW_OWN(fl, "*filter");
	for (i = 0; i < ARRAY_LEN(ufw_primary); i++)
		for (j = 0; j < 3; j++)
			UFW_OWN(fl, ":ufw%s-%s-%s - [0:0]", ty,
			    ufw_primary[i], ufw_dirs[j]);
	for (j = 0; j < 3; j++)
		for (i = 0; i < ARRAY_LEN(ufw_primary); i++)
			UFW_OWN(fl, "-A %s -j ufw%s-%s-%s", j == 0 ?
			    "INPUT" : j == 1 ? "OUTPUT" : "FORWARD", ty,
			    ufw_primary[i], ufw_dirs[j]);
	for (j = 0; j < 3; j++) {
		k = UFW_IN + j;
		if (strcmp(env->val[k], "REJECT") == 0)
			ufw_line(fl, env->file[k], env->line[k],
			    "-A ufw%s-reject-%s -j REJECT", ty, ufw_dirs[j]);
		if (strcmp(env->val[k], "ACCEPT") == 0) {
			ufw_line(fl, env->file[k], env->line[k], "-A ufw%s-"
			    "track-%s -p tcp -m conntrack --ctstate NEW -j "
			    "ACCEPT", ty, ufw_dirs[j]);
			ufw_line(fl, env->file[k], env->line[k], "-A ufw%s-"
			    "track-%s -p udp -m conntrack --ctstate NEW -j "
			    "ACCEPT", ty, ufw_dirs[j]);
		}
	}
	UFW_OWN(fl, ":ufw%s-logging-deny - [0:0]", ty);
	UFW_OWN(fl, ":ufw%s-logging-allow - [0:0]", ty);
	for (j = 0; j < 3; j++)
		UFW_OWN(fl, ":ufw%s-skip-to-policy-%s - [0:0]", ty,
		    ufw_dirs[j]);
	for (j = 0; j < 3; j++)
		ufw_line(fl, env->file[UFW_IN + j], env->line[UFW_IN + j],
		    "-A ufw%s-skip-to-policy-%s -j %s", ty, ufw_dirs[j],
		    env->val[UFW_IN + j]);
	UFW_OWN(fl, "COMMIT");
}

/* Does the text since byte OFF declare CHAIN (":CHAIN ")? */
static int
declares(const struct flat *fl, size_t off, const char *chain)
{
	const char *s = fl->b.s + off, *e = fl->b.s + fl->b.len;
	size_t n = strlen(chain);

	const char *nl;

	for (; s < e; s = nl + 1) {
		if (*s == ':' && (size_t)(e - s) > n + 1 &&
		    strncmp(s + 1, chain, n) == 0 && s[n + 1] == ' ')
			return 1;
		if ((nl = memchr(s, '\n', (size_t)(e - s))) == NULL)
			break;
	}
	return 0;
}

/* user.rules (USER) between its chains (made only where before.rules and
   after.rules, from byte OFF, did not make ufw-user-input: ufw-init asks
   iptables -L) and the jumps to them; where its own rules end recorded
   in R. */
static void
ufw_user_rules(struct flat *fl, const char *ty, const char *user, size_t off)
{
	struct fw_ruleset *r = fl->r;
	size_t i, first, l, end = 0, commit = 0;
	char chain[32];
	const char *s;

	snprintf(chain, sizeof(chain), "ufw%s-user-input", ty);
	if (!declares(fl, off, chain)) {
		UFW_OWN(fl, "*filter");
		for (i = 0; i < ARRAY_LEN(ufw_user); i++)
			UFW_OWN(fl, ":ufw%s-%s - [0:0]", ty, ufw_user[i]);
		UFW_OWN(fl, "COMMIT");
	}
	first = r->nlines;
	off = fl->b.len;
	flatten(fl, user, 0);
	if (fl->err != NULL)
		return;
	/* the text added since, line by line: ufw's rules end at its
	   "### END RULES ###" (written once ufw has rules of the person's),
	   else at the COMMIT of its first table (the template's) */
	s = fl->b.s + off;
	for (l = first; l < r->nlines; l++) {
		if (strncmp(s, "### END RULES ###", 17) == 0 &&
		    (s[17] == '\n' || s[17] == '\r'))
			end = l + 1;
		if (commit == 0 && strncmp(s, "COMMIT", 6) == 0 &&
		    (s[6] == '\n' || s[6] == '\r' || s[6] == ' '))
			commit = l + 1;
		s += strcspn(s, "\n") + 1;
	}
	r->user_end = end != 0 ? end : commit;
	UFW_OWN(fl, "*filter");
	for (i = 0; i < 3; i++)
		UFW_OWN(fl, "-A ufw%s-before-%s -j ufw%s-user-%s", ty,
		    ufw_dirs[i], ty, ufw_dirs[i]);
	UFW_OWN(fl, "COMMIT");
}

/* A ufw file loaded when it is there and not empty: 0, or -1 (FL's error
   set). */
static int
ufw_load(struct flat *fl, const char *path)
{
	int has = ufw_has(fl, path);

	if (has == 1)
		flatten(fl, path, 0);
	return has == -1 || fl->err != NULL ? -1 : 0;
}

/*
 * ufw's ruleset for U's family into R: 1, or 0 when ufw loads none at
 * boot (ENABLED is not yes; ufw.conf or /etc/default/ufw missing:
 * ufw-init aborts).
 */
static int
ufw_ruleset(struct target *t, const struct unit *u, struct fw_ruleset *r)
{
	static const char *const inits[] = { "/etc/ufw/before.init",
	    "/etc/ufw/after.init" };
	struct flat fl = { t, r, { 0 }, 0, 0, NULL, 1 };
	const char *ty = fwj_loader_family(u->loader) == 6 ? "6" : "";
	struct ufw_env env;
	char path[PATH_MAX], *why = NULL;
	size_t i, k, off, v6f, v6l;
	struct stat st;
	int d, c;

	memset(r, 0, sizeof(*r));
	memset(&env, 0, sizeof(env));
	r->unit = u->unit;
	r->loader = u->loader;
	r->file = xstrdup(u->file);
	r->files = xcalloc(2, sizeof(char *));
	r->files[0] = xstrdup("/etc/default/ufw");
	r->files[1] = xstrdup("/etc/ufw/ufw.conf");
	r->nfiles = 2;
	/* ufw-init sources ufw.conf, then /etc/default/ufw and ufw.conf
	   again: the latter's settings win */
	if ((d = ufw_env_read(t, r->files[0], 0, &env, &why)) == 0)
		c = ufw_env_read(t, r->files[1], 1, &env, &why);
	else
		c = d;
	if (d == -1 || c == -1) {
		r->why = why;
		return 1;
	}
	if (d == 1 || c == 1 || (strcmp(env.val[UFW_ENABLED], "yes") != 0 &&
	    strcmp(env.val[UFW_ENABLED], "YES") != 0))
		return 0;
	for (i = 0; i < ARRAY_LEN(inits); i++) {
		if (sfs_stat(t->rootfd, inits[i], &st) == -1) {
			int err = errno;

			if (err == ENOENT)
				continue;
			r->why = xasprintf("%s cannot be looked at: %s",
			    inits[i], strerror(err));
			return 1;
		}
		if (S_ISREG(st.st_mode) && (st.st_mode & 0111)) {
			r->why = xasprintf("ufw runs %s at start, a script "
			    "sshfix does not run", inits[i]);
			return 1;
		}
	}
	v6f = env.file[UFW_IPV6];
	v6l = env.line[UFW_IPV6];
	for (k = UFW_IN; k <= UFW_FWD; k++)
		if (strcmp(env.val[k], "ACCEPT") != 0 &&
		    strcmp(env.val[k], "DROP") != 0 &&
		    strcmp(env.val[k], "REJECT") != 0)
			fl.err = "/etc/default/ufw gives a policy other than "
			    "ACCEPT, DROP or REJECT";
	if (*ty != '\0' && strcmp(env.val[UFW_IPV6], "yes") != 0 &&
	    strcmp(env.val[UFW_IPV6], "YES") != 0) {
		/* IPv6 off in ufw: it drops all of IPv6 but the loopback */
		fl.err = NULL;
		UFW_OWN(&fl, "*filter");
		ufw_line(&fl, v6f, v6l, ":INPUT DROP [0:0]");
		ufw_line(&fl, v6f, v6l, ":FORWARD DROP [0:0]");
		ufw_line(&fl, v6f, v6l, ":OUTPUT DROP [0:0]");
		UFW_OWN(&fl, "-A INPUT -i lo -j ACCEPT");
		UFW_OWN(&fl, "-A OUTPUT -o lo -j ACCEPT");
		UFW_OWN(&fl, "COMMIT");
	} else if (fl.err == NULL) {
		ufw_frame(&fl, ty, &env);
		off = fl.b.len;
		snprintf(path, sizeof(path), "/etc/ufw/before%s.rules", ty);
		if (fl.err == NULL)
			(void)ufw_load(&fl, path);
		snprintf(path, sizeof(path), "/etc/ufw/after%s.rules", ty);
		if (fl.err == NULL)
			(void)ufw_load(&fl, path);
		if (fl.err == NULL && ufw_has(&fl, u->file) == 1)
			ufw_user_rules(&fl, ty, u->file, off);
		/* the built-in chains' policies last (REJECT: DROP), in
		   ufw-init's order */
		UFW_OWN(&fl, "*filter");
		for (i = 0; i < 3; i++) {
			k = i == 0 ? UFW_IN : i == 1 ? UFW_FWD : UFW_OUT;
			ufw_line(&fl, env.file[k], env.line[k], ":%s %s [0:0]",
			    i == 0 ? "INPUT" : i == 1 ? "FORWARD" : "OUTPUT",
			    strcmp(env.val[k], "REJECT") == 0 ? "DROP" :
			    env.val[k]);
		}
		UFW_OWN(&fl, "COMMIT");
	}
	if (fl.err != NULL) {
		r->why = xstrdup(fl.err);
		sbuf_free(&fl.b);
		return 1;
	}
	r->len = fl.b.len;
	r->text = sbuf_take(&fl.b);
	return 1;
}

/* Read the ruleset of U (its file FILE) into R. */
static void
ruleset(struct target *t, const struct unit *u, char *file,
    struct fw_ruleset *r)
{
	struct flat fl = { t, r, { 0 }, 0, 0, NULL, 0 };

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

static void fw_rulesets_free_one(struct fw_ruleset *);

size_t
fw_rulesets(struct target *t, struct fw_ruleset **out)
{
	struct fw_ruleset *r = NULL;
	size_t n = 0, i;
	char *file;

	for (i = 0; i < ARRAY_LEN(units); i++) {
		if ((units[i].live && !t->live) || !fw_unit_enabled(t, units[i].unit))
			continue;
		if (units[i].loader == FWJ_IPT4_N ||
		    units[i].loader == FWJ_IPT6_N) {
			r = xreallocarray(r, n + 1, sizeof(*r));
			if (ufw_ruleset(t, &units[i], &r[n]))
				n++;
			else
				fw_rulesets_free_one(&r[n]);
			continue;
		}
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
	if (r->lline[line - 1] == 0)	/* the loading script's own */
		return xasprintf("%s (what %s makes of it)",
		    r->files[r->lfile[line - 1]], r->unit);
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

static void
fw_rulesets_free_one(struct fw_ruleset *r)
{
	size_t j;

	free(r->file);
	free(r->text);
	free(r->why);
	for (j = 0; j < r->nfiles; j++)
		free(r->files[j]);
	free(r->files);
	free(r->lfile);
	free(r->lline);
}

void
fw_rulesets_free(struct fw_ruleset *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fw_rulesets_free_one(&r[i]);
	free(r);
}
