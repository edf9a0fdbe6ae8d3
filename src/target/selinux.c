/*
 * SELinux on the target: include/target/selinux.h.
 *
 * MUST: the policy's files are the disk's bytes; they are copied (regular
 * files only, within SELINUX_FC_MAX each, never through a symlink a user
 * owns) into a 0700 directory of sshfix's own and parsed only by the
 * sandboxed helper (os/selabel.c). Labels are read through an fd opened
 * inside the root, never by a path string.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "budget.h"
#include "os/tmpdir.h"
#include "safefs.h"
#include "target/bootcmd.h"
#include "target/release.h"
#include "target/selinux.h"
#include "util.h"

#define SE_CONFIG	"/etc/selinux/config"
#define SE_XATTR	"security.selinux"

/* "KEY=value" of the config's line LINE (LEN bytes) into VAL: 1 if KEY. */
static int
config_value(const char *line, size_t len, const char *key, char *val,
    size_t vlen)
{
	size_t k = strlen(key), n;

	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (len <= k || strncmp(line, key, k) != 0 || line[k] != '=')
		return 0;
	line += k + 1;
	len -= k + 1;
	while (len > 0 && strchr(" \t\r", line[len - 1]) != NULL)
		len--;
	n = len < vlen - 1 ? len : vlen - 1;
	memcpy(val, line, n);
	val[n] = '\0';
	return 1;
}

/* A policy name sshfix takes as a path component. */
static int
type_ok(const char *s)
{
	return s[0] != '\0' && s[0] != '.' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-.") == strlen(s);
}

/* The running kernel's mode: selinuxfs, if SELinux is on at all. */
static void
live_mode(struct se_config *c)
{
	char b[4] = "";
	int fd = open("/sys/fs/selinux/enforce", O_RDONLY | O_CLOEXEC);

	if (fd == -1) {
		if (errno != ENOENT) {
			c->state = SE_UNKNOWN;
			snprintf(c->why, sizeof(c->why), "/sys/fs/selinux/"
			    "enforce: %s", strerror(errno));
		} else
			c->state = SE_OFF;
		return;
	}
	if (read(fd, b, sizeof(b) - 1) < 1)
		b[0] = '?';
	close(fd);
	c->state = b[0] == '1' ? SE_ENFORCING : b[0] == '0' ? SE_PERMISSIVE :
	    SE_UNKNOWN;
	if (c->state == SE_UNKNOWN)
		snprintf(c->why, sizeof(c->why), "/sys/fs/selinux/enforce "
		    "says neither 0 nor 1");
}

/* The kernel's kstrtoul(S, 0) reads S as 0 (another value, or none:
   the kernel leaves SELinux as it was). */
static int
num_is_zero(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	return *s >= '0' && *s <= '9' && *end == '\0' && errno == 0 &&
	    v == 0;
}

/* Does the comma list L name WORD? */
static int
list_has(const char *l, const char *word)
{
	size_t n = strlen(word), k;

	for (; *l != '\0'; l += k + (l[k] == ',')) {
		k = strcspn(l, ",");
		if (k == n && strncmp(l, word, n) == 0)
			return 1;
	}
	return 0;
}

/* On at boot by the config: does the boot turn it on at all? */
static void
boot_mode(struct target *t, struct se_config *c)
{
	char dir[PATH_MAX], v[BOOTCMD_MAX + 1];
	struct bootcmd bc;
	const char *sel, *sec, *lsm;
	int on;

	/*
	 * The kernel: the last selinux= wins, and selinux=0 turns it off.
	 * Where the kernel does not start SELinux by itself (opt-in), a
	 * security=selinux or an lsm= list naming it does. An lsm= list
	 * without it is not taken for "off": kernels before 5.1 ignore
	 * lsm= (RHEL 7 and 8's among them).
	 */
	bootcmd_read(t, &bc);
	sel = bootcmd_last(&bc, "selinux", v, sizeof(v));
	on = sel == NULL || !num_is_zero(sel);
	if (on && release_has(t, REL_SELINUX_OPT_IN) == TRI_YES) {
		sec = bootcmd_last(&bc, "security", v, sizeof(v));
		on = sec != NULL && strcmp(sec, "selinux") == 0;
		lsm = on ? NULL : bootcmd_last(&bc, "lsm", v, sizeof(v));
		on = on || (lsm != NULL && list_has(lsm, "selinux"));
	}
	if (!on && (bc.unsure || bc.bls)) {
		c->state = SE_UNKNOWN;
		snprintf(c->why, sizeof(c->why), "whether the boot starts "
		    "SELinux: %.120s", bc.unsure ? bc.why :
		    "GRUB_ENABLE_BLSCFG=true: the boot entries hold the "
		    "command line");
		bootcmd_free(&bc);
		return;
	}
	bootcmd_free(&bc);
	if (!on) {
		c->state = SE_OFF;
		return;
	}
	/* No policy: permissive boots without one; enforcing does not
	   boot at all. */
	snprintf(dir, sizeof(dir), "/etc/selinux/%s", c->type);
	if (sfs_stat(t->rootfd, dir, NULL) == -1 && errno == ENOENT) {
		if (c->state == SE_PERMISSIVE) {
			c->state = SE_OFF;
			return;
		}
		c->state = SE_UNKNOWN;
		snprintf(c->why, sizeof(c->why), "SELINUX=enforcing and no "
		    "policy %.64s in /etc/selinux", c->type);
	}
}

void
selinux_config(struct target *t, struct se_config *c)
{
	char *d = NULL, mode[32] = "", *s, *e;
	size_t len;

	memset(c, 0, sizeof(*c));
	if (sfs_read_file(t->rootfd, SE_CONFIG, SMALL_FILE_MAX, &d, &len,
	    NULL) == -1) {
		if (errno == ENOENT)
			return;		/* no SELinux */
		c->state = SE_UNKNOWN;
		snprintf(c->why, sizeof(c->why), "%s: %s", SE_CONFIG,
		    strerror(errno));
		return;
	}
	for (s = d; s < d + len; s = e + 1) {
		e = s + strcspn(s, "\n");
		if (*s == '#')
			continue;
		(void)config_value(s, (size_t)(e - s), "SELINUX", mode,
		    sizeof(mode));
		(void)config_value(s, (size_t)(e - s), "SELINUXTYPE", c->type,
		    sizeof(c->type));
		if (*e == '\0')
			break;
	}
	free(d);
	if (strcasecmp(mode, "enforcing") == 0)
		c->state = SE_ENFORCING;
	else if (strcasecmp(mode, "permissive") == 0)
		c->state = SE_PERMISSIVE;
	else if (strcasecmp(mode, "disabled") == 0 || mode[0] == '\0')
		return;		/* libselinux: no SELINUX= is disabled */
	else {
		c->state = SE_UNKNOWN;
		snprintf(c->why, sizeof(c->why), "%s: SELINUX=%.32s is none "
		    "of enforcing, permissive, disabled", SE_CONFIG, mode);
		return;
	}
	if (c->type[0] == '\0')
		snprintf(c->type, sizeof(c->type), "targeted");
	if (!type_ok(c->type)) {
		c->state = SE_UNKNOWN;
		snprintf(c->why, sizeof(c->why), "%s: SELINUXTYPE=%.32s is not "
		    "a policy name", SE_CONFIG, c->type);
		return;
	}
	if (t->live)
		live_mode(c);
	else
		boot_mode(t, c);
}

/* ROOT/DIR/NAME into OUT/NAME: 0; 1 when absent and OPTIONAL; -1. */
static int
copy_one(struct target *t, const char *dir, const char *name,
    const char *out, int optional)
{
	char src[PATH_MAX], *d = NULL;
	size_t len;
	int r;

	snprintf(src, sizeof(src), "%s/%s", dir, name);
	if (sfs_read_file(t->rootfd, src, SELINUX_FC_MAX, &d, &len,
	    NULL) == -1) {
		if (errno == ENOENT && optional)
			return 1;
		err_set("%s: %s", src, errno == EFBIG ? "larger than sshfix "
		    "reads" : strerror(errno));
		return -1;
	}
	r = tmpdir_put(out, name, d, len);
	free(d);
	return r;
}

int
selinux_expected(struct target *t, const char *type, struct selabel_q *q,
    size_t n)
{
	static const char *const extra[] = { "file_contexts.homedirs",
	    "file_contexts.local", "file_contexts.subs",
	    "file_contexts.subs_dist" };
	char tmp[TMPDIR_MAX], dir[PATH_MAX];
	size_t i;
	int r = -1;

	if (n > SELINUX_Q_MAX) {
		err_set("more than %d files to judge", SELINUX_Q_MAX);
		return -1;
	}
	snprintf(dir, sizeof(dir), "/etc/selinux/%s/contexts/files", type);
	if (tmpdir_make(tmp, "selabel") == -1)
		return -1;
	if (copy_one(t, dir, "file_contexts", tmp, 0) == -1)
		goto out;
	for (i = 0; i < ARRAY_LEN(extra); i++)
		if (copy_one(t, dir, extra[i], tmp, 1) == -1)
			goto out;
	if (tmpdir_share(tmp) == -1)
		goto out;
	r = selabel_ask(tmp, q, n);
out:
	tmpdir_remove(tmp);
	return r;
}

int
selinux_label(struct target *t, const char *path, char *buf, size_t len)
{
	char proc[64];
	ssize_t n;
	int fd, e;

	if ((fd = sfs_open(t->rootfd, path, O_PATH | O_NOFOLLOW, NULL)) == -1)
		return -1;
	/* fgetxattr refuses an O_PATH fd; its /proc link reaches the same
	   inode (libselinux's own way). */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = getxattr(proc, SE_XATTR, buf, len - 1);
	e = errno;
	close(fd);
	if (n == -1) {
		errno = e;
		return e == ENODATA ? 1 : -1;
	}
	buf[n] = '\0';
	/* The kernel's value ends in a NUL of its own. */
	return 0;
}

int
selinux_with_type(const char *ctx, const char *type, char *buf, size_t len)
{
	const char *s = ctx, *e;
	size_t i;
	int n;

	for (i = 0; i < 2 && s != NULL; i++)
		if ((s = strchr(s, ':')) != NULL)
			s++;
	if (s == NULL || *s == ':' || *s == '\0')
		return -1;
	e = s + strcspn(s, ":");
	n = snprintf(buf, len, "%.*s%s%s", (int)(s - ctx), ctx, type, e);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

void
selinux_type(const char *ctx, char *buf, size_t len)
{
	const char *s = ctx;
	size_t i, n;

	buf[0] = '\0';
	for (i = 0; i < 2 && s != NULL; i++)
		if ((s = strchr(s, ':')) != NULL)
			s++;
	if (s == NULL)
		return;
	n = strcspn(s, ":");
	if (n == 0 || n >= len)
		return;
	memcpy(buf, s, n);
	buf[n] = '\0';
}
