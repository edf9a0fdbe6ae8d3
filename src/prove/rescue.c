/*
 * The disk's files over the rescue machine's paths, for the proof under
 * --root (rescue.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "prove/rescue.h"
#include "safefs.h"
#include "util.h"

/*
 * A mount is bound from the namespace that holds it: the prover's is a
 * new one, so each is first cloned here (open_tree, Linux 5.2) into a
 * detached tree, which the prover moves into place (move_mount).
 */
#ifndef __NR_open_tree
#define __NR_open_tree		428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount		429
#endif
#define TREE_CLONE		1		/* OPEN_TREE_CLONE */
#define TREE_RECURSIVE		0x8000		/* AT_RECURSIVE */
#define MOVE_FROM_FD		0x00000004	/* MOVE_MOUNT_F_EMPTY_PATH */

static const struct {
	const char	*path;
	int		 dir;
} mounted[RESCUE_MOUNTS] = {
	{ "/etc/ssh", 1 }, { "/etc/passwd", 0 }, { "/etc/shadow", 0 },
	{ "/etc/group", 0 }, { "/etc/gshadow", 0 }, { "/etc/hosts.allow", 0 },
	{ "/etc/hosts.deny", 0 }, { "/home", 1 }, { "/root", 1 },
};

/* Keywords that make sshd run a program. */
static const char *const runs[] = { "authorizedkeyscommand",
	"authorizedprincipalscommand", "sshdsessionpath", "sshdauthpath" };
/* Keywords whose values are files sshd reads before a login. */
static const char *const reads[] = { "authorizedkeysfile",
	"authorizedprincipalsfile", "banner", "hostkey", "hostcertificate",
	"revokedkeys", "trustedusercakeys", "hostkeyagent", "modulifile" };

/* Is PATH inside what is mounted? A relative one is under a home. */
static int
inside(const char *p)
{
	if (p[0] != '/')
		return 1;
	if (strstr(p, "/..") != NULL)
		return 0;
	return strncmp(p, "/etc/ssh/", 9) == 0 ||
	    strncmp(p, "/home/", 6) == 0 || strncmp(p, "/root/", 6) == 0;
}

static int
listed(const char *kw, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(kw, v[i]) == 0)
			return 1;
	return 0;
}

char *
rescue_refusal(struct target *t)
{
	const struct cfg *c = &t->cfg;
	size_t i;
	int j;

	for (i = 0; i < c->nfiles; i++)
		if (strncmp(c->files[i].path, "/etc/ssh/", 9) != 0)
			return xasprintf("the configuration includes %s, "
			    "outside /etc/ssh", c->files[i].path);
	for (i = 0; i < c->nents; i++) {
		const struct cfg_entry *e = &c->ents[i];
		char *w, *r;

		if (listed(e->keyword, runs, ARRAY_LEN(runs)) &&
		    e->argc > 0 && strcasecmp(e->argv[0], "none") != 0) {
			w = cfg_where(c, e->file, e->line);
			r = xasprintf("the configuration names %s (%s): "
			    "sshfix never runs what a disk names", e->keyword,
			    w);
			free(w);
			return r;
		}
		if (!listed(e->keyword, reads, ARRAY_LEN(reads)))
			continue;
		for (j = 0; j < e->argc; j++) {
			if (strcasecmp(e->argv[j], "none") == 0 ||
			    inside(e->argv[j]))
				continue;
			w = cfg_where(c, e->file, e->line);
			r = xasprintf("%s %s (%s) is outside what the proof "
			    "mounts (/etc/ssh, /home, /root)", e->keyword,
			    e->argv[j], w);
			free(w);
			return r;
		}
	}
	return NULL;
}

int
rescue_open(struct target *t, struct rescue *r)
{
	struct stat st, here;
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < RESCUE_MOUNTS; i++) {
		struct rescue_mount *m = &r->m[r->n];

		m->path = mounted[i].path;
		m->dir = mounted[i].dir;
		m->fd = sfs_open(t->rootfd, m->path, O_PATH |
		    (m->dir ? O_DIRECTORY : 0), &st);
		if (m->fd == -1 && errno != ENOENT) {
			err_set("%s: %s", m->path, file_strerror(errno));
			rescue_close(r);
			return -1;
		}
		if (m->fd != -1 && (m->dir ? !S_ISDIR(st.st_mode) :
		    !S_ISREG(st.st_mode))) {
			err_set("%s: %s", m->path, file_kind(st.st_mode));
			close(m->fd);
			rescue_close(r);
			return -1;
		}
		/* Where to mount it, here: the rescue machine's own. */
		if (lstat(m->path, &here) == -1 || (m->dir ?
		    !S_ISDIR(here.st_mode) : !S_ISREG(here.st_mode))) {
			if (m->fd == -1) {	/* nothing on either side */
				continue;
			}
			err_set("this machine has no %s %s to mount the disk's "
			    "over", m->dir ? "directory" : "file", m->path);
			close(m->fd);
			rescue_close(r);
			return -1;
		}
		m->stand_in = m->fd == -1;
		if (m->fd != -1) {
			int tree = (int)syscall(__NR_open_tree, m->fd, "",
			    TREE_CLONE | O_CLOEXEC | AT_EMPTY_PATH |
			    TREE_RECURSIVE);

			close(m->fd);
			m->fd = tree;
			if (tree == -1) {
				err_set("%s: cannot clone the mount "
				    "(open_tree, Linux 5.2): %s", m->path,
				    strerror(errno));
				rescue_close(r);
				return -1;
			}
		}
		r->n++;
	}
	return 0;
}

int
rescue_mount(const struct rescue *r)
{
	unsigned long ro = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_NOEXEC;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct rescue_mount *m = &r->m[i];

		if (m->stand_in && m->dir) {
			if (mount("tmpfs", m->path, "tmpfs", MS_RDONLY |
			    MS_NOSUID | MS_NODEV | MS_NOEXEC,
			    "mode=0755,size=16k") == -1)
				return -1;
			continue;
		}
		if (m->stand_in) {
			if (mount("/dev/null", m->path, NULL, MS_BIND,
			    NULL) == -1)
				return -1;
		} else if (syscall(__NR_move_mount, m->fd, "", AT_FDCWD,
		    m->path, MOVE_FROM_FD) == -1)
			return -1;
		/* /dev/null stays a device that opens: no nodev on it. */
		if (mount(NULL, m->path, NULL, m->stand_in ? ro & ~MS_NODEV :
		    ro, NULL) == -1)
			return -1;
	}
	return 0;
}

void
rescue_close(struct rescue *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->m[i].fd != -1)
			close(r->m[i].fd);
	r->n = 0;
}

int
rescue_home_ok(struct target *t, const char *user)
{
	struct account a;
	int ok;

	if (accounts_getpwnam(&t->acc, user, &a) != 0)
		return 1;	/* no such account: sshd says so itself */
	ok = a.home != NULL && strstr(a.home, "/..") == NULL &&
	    (strcmp(a.home, "/root") == 0 || (strncmp(a.home, "/home/", 6) ==
	    0 && a.home[6] != '\0'));
	account_free(&a);
	return ok;
}
