/*
 * privsep: sshd exits at start when its privilege separation user is
 * not in passwd, or when its chroot directory is missing, not a
 * directory, not owned by root or group/world-writable (sshd.c main,
 * also under -t). The directory is the target distribution's: Debian
 * /run/sshd, made by systemd (RuntimeDirectory) or the init script each
 * time sshd starts, so checked only on the running system and only for
 * its mode (a missing one is made on the next start); RHEL and Fedora
 * /var/empty/sshd. Elsewhere the directory is not judged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixes/fault.h"
#include "safefs.h"
#include "target/accounts/sysusers.h"
#include "util.h"

#define PRIVSEP_USER	"sshd"	/* Debian, RHEL and upstream alike */
#define RHEL_ID		74	/* uid and gid in RHEL's openssh.spec */
#define SYS_UID_MAX	999	/* systemd-sysusers allocates down from it */

enum { K_USER, K_DIR_MISSING, K_DIR_NOTDIR, K_DIR_MODE };

static void
check_user(struct target *t, struct plan *p)
{
	struct finding *f;
	struct account a;
	int r = accounts_getpwnam(&t->acc, PRIVSEP_USER, &a);

	if (r == 0)
		account_free(&a);
	if (r != 1)
		return;
	f = plan_add_finding(p, &fault_privsep, SEV_ERROR, PRIVSEP_USER);
	finding_set_message(f, "the privilege separation user %s is not in "
	    "/etc/passwd, so sshd exits at start", PRIVSEP_USER);
	finding_set_logline(f, "Privilege separation user %s does not exist",
	    PRIVSEP_USER);
	finding_add_evidence(f, "passwd", "no line for %s", PRIVSEP_USER);
	f->kind = K_USER;
}

static void
check_dir(struct target *t, struct plan *p)
{
	const char *dir = t->os.privsep_dir;
	struct finding *f;
	struct stat st;
	int fd;

	if (dir == NULL || (t->os.family == OS_DEBIAN && !t->live))
		return;
	/* Looked at only: whatever is there (a FIFO too) is judged. */
	fd = sfs_open(t->rootfd, dir, O_PATH, &st);
	if (fd != -1)
		close(fd);
	else if (errno != ENOENT || t->os.family == OS_DEBIAN) {
		if (errno != ENOENT)
			unread_note(&t->unread, dir, errno);
		return;
	}
	if (fd != -1 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
	    (st.st_mode & 022) == 0)
		return;
	f = plan_add_finding(p, &fault_privsep, SEV_ERROR, dir);
	f->path = xstrdup(dir);
	if (fd == -1 || !S_ISDIR(st.st_mode)) {
		f->kind = fd == -1 ? K_DIR_MISSING : K_DIR_NOTDIR;
		finding_set_message(f, "the privilege separation directory %s "
		    "is %s, so sshd exits at start", dir, fd == -1 ?
		    "missing" : "not a directory");
		finding_set_logline(f, "Missing privilege separation "
		    "directory: %s", dir);
		finding_add_evidence(f, "path", "%s", dir);
		return;
	}
	f->kind = K_DIR_MODE;
	f->st = st;
	finding_set_message(f, "the privilege separation directory %s is not "
	    "root's alone, so sshd exits at start", dir);
	finding_set_logline(f, "%s must be owned by root and not group or "
	    "world-writable.", dir);
	finding_add_evidence(f, "mode", "%04o", (unsigned)(st.st_mode & 07777));
	finding_add_evidence(f, "owner", "%u:%u", (unsigned)st.st_uid,
	    (unsigned)st.st_gid);
}

static int
detect(struct target *t, struct plan *p)
{
	check_user(t, p);
	check_dir(t, p);
	return 0;
}

static int
exists(struct target *t, const char *path)
{
	struct stat st;

	return sfs_lstat(t->rootfd, path, &st) == 0;
}

/*
 * UID is free for NAME as systemd-sysusers sees it: no account has it,
 * and no group other than NAME's has it as its gid. -1 on error.
 */
static int
sysusers_uid_free(struct target *t, uid_t uid, const char *name)
{
	const struct group_ent *g;
	struct account acc;
	int r = accounts_getpwuid(&t->acc, uid, &acc);

	if (r == 0)
		account_free(&acc);
	if (r != 1)
		return r == 0 ? 0 : -1;
	g = accounts_getgrgid(&t->acc, (gid_t)uid);
	return g == NULL || strcmp(g->name, name) == 0;
}

/* "123" or "123:..." into *V; 0, or -1 when not a number. */
static int
id_number(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return (end == s || errno != 0 || (*end != '\0' && *end != ':') ||
	    *v >= 65535) ? -1 : 0;
}

/*
 * As the package's sysusers.d line makes it (Debian 13: "u sshd
 * -:nogroup "sshd user" /run/sshd"), as systemd-sysusers would: the
 * line's uid, or else the named group's gid when free as a uid, or else
 * the first free one down from 999; the named group, or a group of the
 * account's own name (made with the same id when missing); home "/" and
 * shell /usr/sbin/nologin unless the line gives them; shadow "!*".
 * -1 when the line asks for what this does not do (ids from a file's
 * owner, a group that does not exist).
 */
static int
plan_sysusers(struct target *t, const struct sysuser *su, struct action *a,
    long days)
{
	const char *gname = PRIVSEP_USER, *colon;
	const struct group_ent *g;
	unsigned long v;
	uid_t uid = 0;
	int found = 0, r = 1;

	if (su->id != NULL && su->id[0] == '/')
		return -1;
	colon = su->id != NULL ? strchr(su->id, ':') : NULL;
	if (colon != NULL)
		gname = colon + 1;
	g = id_number(gname, &v) == 0 ? accounts_getgrgid(&t->acc, (gid_t)v) :
	    accounts_getgrnam(&t->acc, gname);
	if (g == NULL && colon != NULL)
		return -1;
	if (su->id != NULL && su->id[0] != '-') {
		if (id_number(su->id, &v) == -1 ||
		    sysusers_uid_free(t, (uid_t)v, PRIVSEP_USER) != 1)
			return -1;
		uid = (uid_t)v;
		found = 1;
	} else if (g != NULL &&
	    (r = sysusers_uid_free(t, (uid_t)g->gid, PRIVSEP_USER)) == 1) {
		uid = (uid_t)g->gid;
		found = 1;
	}
	for (v = SYS_UID_MAX; !found && r != -1 && v >= 1; v--)
		if ((r = sysusers_uid_free(t, (uid_t)v, PRIVSEP_USER)) == 1) {
			uid = (uid_t)v;
			found = 1;
		}
	if (!found)
		return -1;
	a->entry[ACCT_PASSWD] = xasprintf("%s:x:%u:%u:%s:%s:%s", PRIVSEP_USER,
	    (unsigned)uid, (unsigned)(g != NULL ? g->gid : uid),
	    su->gecos ? su->gecos : "", su->home ? su->home : "/",
	    su->shell ? su->shell : "/usr/sbin/nologin");
	if (g == NULL) {
		a->entry[ACCT_GROUP] = xasprintf("%s:x:%u:", PRIVSEP_USER,
		    (unsigned)uid);
		if (exists(t, acct_paths[ACCT_GSHADOW]))
			a->entry[ACCT_GSHADOW] = xasprintf("%s:!*::",
			    PRIVSEP_USER);
	}
	if (exists(t, acct_paths[ACCT_SHADOW]))
		a->entry[ACCT_SHADOW] = xasprintf("%s:!*:%ld::::::",
		    PRIVSEP_USER, days);
	return 0;
}

/* Debian's adduser --system: the first free uid from 100, nogroup. */
static int
plan_debian(struct target *t, struct action *a, long days)
{
	struct account acc;
	uid_t uid;
	int r = 0;

	for (uid = 100; uid < 1000; uid++) {
		if ((r = accounts_getpwuid(&t->acc, uid, &acc)) != 0)
			break;
		account_free(&acc);
	}
	if (r != 1)
		return -1;
	a->entry[ACCT_PASSWD] = xasprintf("%s:x:%u:65534::/run/sshd:"
	    "/usr/sbin/nologin", PRIVSEP_USER, (unsigned)uid);
	if (exists(t, acct_paths[ACCT_SHADOW]))
		a->entry[ACCT_SHADOW] = xasprintf("%s:*:%ld:0:99999:7:::",
		    PRIVSEP_USER, days);
	return 0;
}

/* RHEL's openssh.spec: uid and gid 74, group sshd. */
static int
plan_rhel(struct target *t, struct action *a, long days)
{
	const struct group_ent *g = accounts_getgrnam(&t->acc, PRIVSEP_USER);
	struct account acc;
	gid_t gid = g ? g->gid : RHEL_ID;
	int r = accounts_getpwuid(&t->acc, RHEL_ID, &acc);

	if (r == 0)
		account_free(&acc);
	if (r != 1 || (g == NULL && accounts_getgrgid(&t->acc, RHEL_ID)))
		return -1;
	a->entry[ACCT_PASSWD] = xasprintf("%s:x:%u:%u:Privilege-separated "
	    "SSH:/usr/share/empty.sshd:/sbin/nologin", PRIVSEP_USER,
	    (unsigned)RHEL_ID, (unsigned)gid);
	if (g == NULL) {
		a->entry[ACCT_GROUP] = xasprintf("%s:x:%u:", PRIVSEP_USER,
		    (unsigned)RHEL_ID);
		if (exists(t, acct_paths[ACCT_GSHADOW]))
			a->entry[ACCT_GSHADOW] = xasprintf("%s:!::",
			    PRIVSEP_USER);
	}
	if (exists(t, acct_paths[ACCT_SHADOW]))
		a->entry[ACCT_SHADOW] = xasprintf("%s:!!:%ld::::::",
		    PRIVSEP_USER, days);
	return 0;
}

static void
plan_user(struct target *t, struct finding *f)
{
	struct action a = { 0 }, *n;
	long days = (long)(t->now / 86400);
	struct sysuser su;
	int r = sysusers_find(t->rootfd, PRIVSEP_USER, &su);

	/* The package's sysusers.d line first: what made the account. */
	if (r == 1)
		r = plan_sysusers(t, &su, &a, days);
	else if (r == 0)
		r = t->os.family == OS_DEBIAN ? plan_debian(t, &a, days) :
		    t->os.family == OS_RHEL ? plan_rhel(t, &a, days) : -1;
	if (r == -1) {
		for (r = 0; r < ACCT_NFILES; r++)
			free(a.entry[r]);
		if (su.file != NULL)
			plan_add_manual(f, "add the system account %s as "
			    "%s says: systemd-sysusers%s%s %s", PRIVSEP_USER,
			    su.file, t->live ? "" : " --root=",
			    t->live ? "" : t->rootdir, strrchr(su.file, '/') + 1);
		else
			plan_add_manual(f, "add the system account %s (no "
			    "login shell) as %s does", PRIVSEP_USER,
			    t->os.pretty[0] ? t->os.pretty : "your "
			    "distribution");
		sysuser_free(&su);
		return;
	}
	sysuser_free(&su);
	n = finding_add_action(f, ACT_ADD_ACCOUNT, acct_paths[ACCT_PASSWD]);
	memcpy(n->entry, a.entry, sizeof(n->entry));
	n->user = xstrdup(PRIVSEP_USER);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	struct action *a;

	(void)p;
	if (f->kind == K_USER)
		plan_user(t, f);
	else if (f->kind == K_DIR_NOTDIR)
		plan_add_manual(f, "%s is not a directory: move it away",
		    f->path);
	else if (f->kind == K_DIR_MISSING) {
		a = finding_add_action(f, ACT_MKDIR, f->path);
		a->new_mode = t->os.family == OS_RHEL ? 0711 : 0755;
	} else {
		if (f->st.st_uid != 0)
			plan_add_chown(f, f->path, f->st.st_uid, f->st.st_gid,
			    0, f->st.st_gid);
		if (f->st.st_mode & 022)
			plan_add_chmod(f, f->path, f->st.st_mode & 07777,
			    f->st.st_mode & 07755);
	}
}

const struct fault fault_privsep = {
	.id = "privsep",
	.summary = "sshd's privilege separation user or directory is "
	    "missing or unsafe",
	.detect = detect,
	.plan = plan,
};
