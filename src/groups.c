/*
 * Group lookups over ROOT/etc/group, indexed once by gid, and the
 * primary-gid index Debian's group-write rule needs. Built on first use:
 * a diagnosis that never meets a group-writable file never reads them.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts.h"
#include "safefs.h"
#include "util.h"

struct pgid {
	gid_t		gid;
	uid_t		uid;
	unsigned	count;
	int		mixed;
};

static FILE *
open_ro(int rootfd, const char *path)
{
	struct stat st;
	FILE *fp;
	int fd = sfs_open(rootfd, path, O_RDONLY | O_NONBLOCK, &st);

	if (fd == -1)
		return NULL;
	if (!S_ISREG(st.st_mode) || (fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return NULL;
	}
	return fp;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct group_ent *x = a, *y = b;

	if (x->gid != y->gid)
		return x->gid < y->gid ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void
load_groups(struct accounts *a)
{
	struct group *gr;
	FILE *fp;
	size_t n, i;

	a->groups_loaded = 1;
	if ((fp = open_ro(a->rootfd, "/etc/group")) == NULL)
		return;		/* no groups: every lookup fails, as in sshd */
	while ((gr = fgetgrent(fp)) != NULL) {
		struct group_ent *g;

		a->groups = xreallocarray(a->groups, a->ngroups + 1,
		    sizeof(*a->groups));
		g = &a->groups[a->ngroups++];
		g->name = xstrdup(gr->gr_name);
		g->gid = gr->gr_gid;
		g->order = a->ngroups - 1;
		for (n = 0; gr->gr_mem[n] != NULL; n++)
			;
		g->mem = xcalloc(n + 1, sizeof(char *));
		for (i = 0; i < n; i++)
			g->mem[i] = xstrdup(gr->gr_mem[i]);
	}
	fclose(fp);
	qsort(a->groups, a->ngroups, sizeof(*a->groups), cmp_group);
}

const struct group_ent *
accounts_getgrgid(struct accounts *a, gid_t gid)
{
	size_t lo = 0, hi;

	if (!a->groups_loaded)
		load_groups(a);
	hi = a->ngroups;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->groups[mid].gid < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->ngroups && a->groups[lo].gid == gid ?
	    &a->groups[lo] : NULL;
}

const struct group_ent *
accounts_getgrnam(struct accounts *a, const char *name)
{
	size_t i;

	if (!a->groups_loaded)
		load_groups(a);
	for (i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].name, name) == 0)
			return &a->groups[i];
	return NULL;
}

const char **
accounts_user_groups(struct accounts *a, const struct account *acc)
{
	const struct group_ent *pg;
	const char **v;
	size_t i, j, n = 0;

	if (!a->groups_loaded)
		load_groups(a);
	v = xcalloc(a->ngroups + 2, sizeof(*v));
	if ((pg = accounts_getgrgid(a, acc->gid)) != NULL)
		v[n++] = pg->name;
	for (i = 0; i < a->ngroups; i++) {
		if (&a->groups[i] == pg)
			continue;
		for (j = 0; a->groups[i].mem[j] != NULL; j++) {
			if (strcmp(a->groups[i].mem[j], acc->name) == 0) {
				v[n++] = a->groups[i].name;
				break;
			}
		}
	}
	return v;
}

static int
cmp_pgid(const void *a, const void *b)
{
	const struct pgid *x = a, *y = b;

	return x->gid < y->gid ? -1 : x->gid > y->gid;
}

static int
add_pgid(const struct passwd *pw, void *arg)
{
	struct accounts *a = arg;

	a->pgids = xreallocarray(a->pgids, a->npgids + 1, sizeof(*a->pgids));
	a->pgids[a->npgids].gid = pw->pw_gid;
	a->pgids[a->npgids].uid = pw->pw_uid;
	a->pgids[a->npgids].count = 1;
	a->pgids[a->npgids].mixed = 0;
	a->npgids++;
	return 0;
}

/* One pass over passwd, then fold entries per gid. */
static int
load_pgids(struct accounts *a)
{
	size_t i, o = 0;

	if (accounts_foreach(a, add_pgid, a) == -1)
		return -1;
	qsort(a->pgids, a->npgids, sizeof(*a->pgids), cmp_pgid);
	for (i = 0; i < a->npgids; i++) {
		if (o > 0 && a->pgids[o - 1].gid == a->pgids[i].gid) {
			a->pgids[o - 1].count++;
			if (a->pgids[o - 1].uid != a->pgids[i].uid)
				a->pgids[o - 1].mixed = 1;
		} else
			a->pgids[o++] = a->pgids[i];
	}
	a->npgids = o;
	a->pgids_loaded = 1;
	return 0;
}

int
accounts_primary_only(struct accounts *a, gid_t gid, uid_t uid,
    unsigned *count)
{
	struct pgid key = { .gid = gid }, *p;

	if (!a->pgids_loaded && load_pgids(a) == -1)
		return -1;
	p = bsearch(&key, a->pgids, a->npgids, sizeof(*p), cmp_pgid);
	if (p == NULL) {
		*count = 0;
		return 1;
	}
	*count = p->count;
	return !p->mixed && p->uid == uid;
}

char *
accounts_password_hash(struct accounts *a, const struct account *acc,
    int *unknown)
{
	struct spwd *sp;
	char *hash = NULL;
	FILE *fp;

	*unknown = 0;
	if (strcmp(acc->passwd, "x") != 0)
		return xstrdup(acc->passwd);
	if ((fp = open_ro(a->rootfd, "/etc/shadow")) == NULL) {
		*unknown = errno != ENOENT;
		return NULL;
	}
	while ((sp = fgetspent(fp)) != NULL) {
		if (strcmp(sp->sp_namp, acc->name) == 0) {
			hash = xstrdup(sp->sp_pwdp ? sp->sp_pwdp : "");
			break;
		}
	}
	fclose(fp);
	return hash;
}

int
password_usable(const char *hash)
{
	if (hash == NULL || hash[0] == '\0')
		return 0;
	if (hash[0] == '!' || hash[0] == '*')
		return 0;
	/* crypt(3) output: "$id$..." or 13-character DES. */
	return hash[0] == '$' || strlen(hash) == 13;
}

int
shell_allows_login(const char *shell)
{
	const char *base;

	if (shell == NULL || shell[0] == '\0')
		return 1;
	base = strrchr(shell, '/');
	base = base ? base + 1 : shell;
	return strcmp(base, "nologin") != 0 && strcmp(base, "false") != 0;
}

void
accounts_close(struct accounts *a)
{
	size_t i, j;

	for (i = 0; i < a->ngroups; i++) {
		free(a->groups[i].name);
		for (j = 0; a->groups[i].mem[j] != NULL; j++)
			free(a->groups[i].mem[j]);
		free(a->groups[i].mem);
	}
	free(a->groups);
	free(a->pgids);
	memset(a, 0, sizeof(*a));
}
