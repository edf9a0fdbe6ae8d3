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

#include "target/accounts/accounts.h"
#include "target/accounts/shadow.h"
#include "safefs.h"
#include "util.h"

struct pgid {
	gid_t		gid;
	uid_t		uid;
	unsigned	count;
	int		mixed;
};

struct gmember {
	const char	*name;
	size_t		 group;		/* index into groups */
	size_t		 order;		/* that group's line */
};

struct homename {
	char		*home;
	uid_t		 uid;
	size_t		 order;
	char		*name;
};

struct uidname {
	uid_t		 uid;
	size_t		 order;
	char		*name;
};

/* By member name, then in the group file's line order (as glibc lists). */
static int
cmp_member(const void *a, const void *b)
{
	const struct gmember *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

/* One (member, group) pair per membership, sorted by member name. */
static void
index_members(struct accounts *a)
{
	size_t i, j;

	for (i = 0; i < a->ngroups; i++)
		for (j = 0; a->groups[i].mem[j] != NULL; j++) {
			a->members = xgrowarray(a->members, a->nmembers,
			    sizeof(*a->members));
			a->members[a->nmembers].name = a->groups[i].mem[j];
			a->members[a->nmembers].group = i;
			a->members[a->nmembers].order = a->groups[i].order;
			a->nmembers++;
		}
	sort(a->members, a->nmembers, sizeof(*a->members), cmp_member);
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
copy_group(struct group_ent *g, const struct group *gr, size_t order)
{
	size_t n, i;

	g->name = xstrdup(gr->gr_name);
	g->gid = gr->gr_gid;
	g->order = order;
	for (n = 0; gr->gr_mem[n] != NULL; n++)
		;
	g->mem = xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		g->mem[i] = xstrdup(gr->gr_mem[i]);
}

static void
load_groups(struct accounts *a)
{
	struct group *gr;
	FILE *fp;

	a->groups_loaded = 1;
	if ((fp = accounts_file(a, ACC_GROUP)) == NULL)
		return;		/* no groups: every lookup fails, as in sshd */
	while ((gr = fgetgrent(fp)) != NULL) {
		a->groups = xgrowarray(a->groups, a->ngroups,
		    sizeof(*a->groups));
		copy_group(&a->groups[a->ngroups], gr, a->ngroups);
		a->ngroups++;
	}
	fclose(fp);
	sort(a->groups, a->ngroups, sizeof(*a->groups), cmp_group);
	index_members(a);
}


static const char *
intern(struct accounts *a, const char *s)
{
	a->names = xgrowarray(a->names, a->nnames, sizeof(*a->names));
	return a->names[a->nnames++] = xstrdup(s);
}

/* Stream /etc/group for the first group with this gid (or name). */
static const struct group_ent *
stream_group(struct accounts *a, gid_t gid, const char *name)
{
	struct group *gr;
	struct group_ent *hit = NULL;
	FILE *fp;
	size_t i;

	for (i = 0; i < a->ngcache; i++)
		if (name ? strcmp(a->gcache[i].name, name) == 0 :
		    a->gcache[i].gid == gid)
			return &a->gcache[i];
	if ((fp = accounts_file(a, ACC_GROUP)) == NULL)
		return NULL;
	while ((gr = fgetgrent(fp)) != NULL) {
		if (name ? strcmp(gr->gr_name, name) != 0 : gr->gr_gid != gid)
			continue;
		if (a->ngcache < ACCOUNTS_STREAMED) {
			hit = &a->gcache[a->ngcache++];
			copy_group(hit, gr, 0);
		}
		break;
	}
	fclose(fp);
	return hit;
}

static int
key_gid(const void *key, const void *elem)
{
	gid_t k = *(const gid_t *)key, g = ((const struct group_ent *)elem)->gid;

	return k < g ? -1 : k > g;
}

const struct group_ent *
accounts_getgrgid(struct accounts *a, gid_t gid)
{
	size_t lo;

	if (!a->groups_loaded && ++a->group_lookups <= ACCOUNTS_STREAMED)
		return stream_group(a, gid, NULL);
	if (!a->groups_loaded)
		load_groups(a);
	lo = lower_bound(&gid, a->groups, a->ngroups, sizeof(*a->groups),
	    key_gid);
	return lo < a->ngroups && a->groups[lo].gid == gid ?
	    &a->groups[lo] : NULL;
}

const struct group_ent *
accounts_getgrnam(struct accounts *a, const char *name)
{
	size_t i;

	if (!a->groups_loaded && ++a->group_lookups <= ACCOUNTS_STREAMED)
		return stream_group(a, 0, name);
	if (!a->groups_loaded)
		load_groups(a);
	for (i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].name, name) == 0)
			return &a->groups[i];
	return NULL;
}

/* The groups of ACC, primary first, from one pass over /etc/group. */
static const char **
stream_user_groups(struct accounts *a, const struct account *acc)
{
	const char **v = xcalloc(2, sizeof(*v));
	struct group *gr;
	size_t n = 1, i;
	FILE *fp;

	if ((fp = accounts_file(a, ACC_GROUP)) == NULL)
		return v;
	while ((gr = fgetgrent(fp)) != NULL) {
		int member = gr->gr_gid == acc->gid && v[0] == NULL;

		for (i = 0; !member && gr->gr_mem[i] != NULL; i++)
			member = strcmp(gr->gr_mem[i], acc->name) == 0;
		if (!member)
			continue;
		if (gr->gr_gid == acc->gid && v[0] == NULL) {
			v[0] = intern(a, gr->gr_name);
			continue;
		}
		v = xreallocarray(v, n + 2, sizeof(*v));
		v[n++] = intern(a, gr->gr_name);
		v[n] = NULL;
	}
	fclose(fp);
	if (v[0] == NULL) {		/* no primary group: close the gap */
		memmove(v, v + 1, n * sizeof(*v));
	}
	return v;
}

static int
key_member(const void *key, const void *elem)
{
	return strcmp(key, ((const struct gmember *)elem)->name);
}

const char **
accounts_user_groups(struct accounts *a, const struct account *acc)
{
	const struct group_ent *pg, *g;
	const char **v;
	size_t lo, end, n = 0;

	if (!a->groups_loaded && ++a->group_lookups <= ACCOUNTS_STREAMED)
		return stream_user_groups(a, acc);
	if (!a->groups_loaded)
		load_groups(a);
	/* The first membership of ACC in the sorted member index. */
	lo = lower_bound(acc->name, a->members, a->nmembers,
	    sizeof(*a->members), key_member);
	for (end = lo; end < a->nmembers &&
	    strcmp(a->members[end].name, acc->name) == 0; end++)
		;
	v = xcalloc(end - lo + 2, sizeof(*v));
	if ((pg = accounts_getgrgid(a, acc->gid)) != NULL)
		v[n++] = pg->name;
	for (; lo < end; lo++) {
		g = &a->groups[a->members[lo].group];
		if (g != pg && (n == 0 || strcmp(v[n - 1], g->name) != 0))
			v[n++] = g->name;
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

	a->pgids = xgrowarray(a->pgids, a->npgids, sizeof(*a->pgids));
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
	sort(a->pgids, a->npgids, sizeof(*a->pgids), cmp_pgid);
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

struct pgscan {
	gid_t		gid;
	uid_t		uid;
	unsigned	count;
	int		only;
};

static int
scan_pgid(const struct passwd *pw, void *arg)
{
	struct pgscan *s = arg;

	if (pw->pw_gid == s->gid) {
		s->count++;
		s->only &= pw->pw_uid == s->uid;
	}
	return 0;
}

int
accounts_primary_only(struct accounts *a, gid_t gid, uid_t uid,
    unsigned *count)
{
	struct pgid key = { .gid = gid }, *p;
	struct pgscan s = { gid, uid, 0, 1 };

	if (!a->pgids_loaded && ++a->pgid_lookups <= ACCOUNTS_STREAMED) {
		if (accounts_foreach(a, scan_pgid, &s) == -1)
			return -1;
		*count = s.count;
		return s.only;
	}
	if (!a->pgids_loaded && load_pgids(a) == -1)
		return -1;
	p = search(&key, a->pgids, a->npgids, sizeof(*p), cmp_pgid);
	if (p == NULL) {
		*count = 0;
		return 1;
	}
	*count = p->count;
	return !p->mixed && p->uid == uid;
}

static int
cmp_uid(const void *a, const void *b)
{
	const struct uidname *x = a, *y = b;

	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
add_uid(const struct passwd *pw, void *arg)
{
	struct accounts *a = arg;

	a->uids = xgrowarray(a->uids, a->nuids, sizeof(*a->uids));
	a->uids[a->nuids].uid = pw->pw_uid;
	a->uids[a->nuids].order = a->nuids;
	a->uids[a->nuids].name = xstrdup(pw->pw_name);
	a->nuids++;
	return 0;
}

static int
key_uid(const void *key, const void *elem)
{
	uid_t k = *(const uid_t *)key, u = ((const struct uidname *)elem)->uid;

	return k < u ? -1 : k > u;
}

const char *
accounts_uid_name(struct accounts *a, uid_t uid)
{
	struct account acc = { 0 };
	const char *name = NULL;
	size_t lo;

	if (!a->uids_loaded && ++a->uid_lookups <= ACCOUNTS_STREAMED) {
		if (accounts_getpwuid(a, uid, &acc) == 0)
			name = intern(a, acc.name);
		account_free(&acc);
		return name;
	}
	if (!a->uids_loaded) {
		a->uids_loaded = 1;
		if (accounts_foreach(a, add_uid, a) == -1)
			return NULL;
		sort(a->uids, a->nuids, sizeof(*a->uids), cmp_uid);
	}
	lo = lower_bound(&uid, a->uids, a->nuids, sizeof(*a->uids), key_uid);
	return lo < a->nuids && a->uids[lo].uid == uid ? a->uids[lo].name :
	    NULL;
}

struct homescan {
	const char	*home;
	uid_t		 uid;
	const char	*name;
};

static int
scan_home(const struct passwd *pw, void *arg)
{
	struct homescan *h = arg;

	if (pw->pw_uid == h->uid || pw->pw_dir == NULL ||
	    strcmp(pw->pw_dir, h->home) != 0)
		return 0;
	h->name = pw->pw_name;
	return 1;
}

static int
add_home(const struct passwd *pw, void *arg)
{
	struct accounts *a = arg;
	struct homename *h;

	if (pw->pw_dir == NULL)
		return 0;
	a->homes = xgrowarray(a->homes, a->nhomes, sizeof(*a->homes));
	h = &a->homes[a->nhomes];
	h->home = xstrdup(pw->pw_dir);
	h->uid = pw->pw_uid;
	h->order = a->nhomes++;
	h->name = xstrdup(pw->pw_name);
	return 0;
}

static int
cmp_home(const void *a, const void *b)
{
	const struct homename *x = a, *y = b;
	int c = strcmp(x->home, y->home);

	return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

static int
key_home(const void *key, const void *elem)
{
	return strcmp(key, ((const struct homename *)elem)->home);
}

const char *
accounts_home_other(struct accounts *a, const char *home, uid_t uid)
{
	struct homescan h = { .home = home, .uid = uid };
	size_t i;

	if (!a->homes_loaded && ++a->home_lookups <= ACCOUNTS_STREAMED)
		return accounts_foreach(a, scan_home, &h) == 1 ?
		    intern(a, h.name) : NULL;
	if (!a->homes_loaded) {
		a->homes_loaded = 1;
		if (accounts_foreach(a, add_home, a) == -1)
			return NULL;
		sort(a->homes, a->nhomes, sizeof(*a->homes), cmp_home);
	}
	for (i = lower_bound(home, a->homes, a->nhomes, sizeof(*a->homes),
	    key_home); i < a->nhomes && strcmp(a->homes[i].home, home) == 0;
	    i++)
		if (a->homes[i].uid != uid)
			return a->homes[i].name;
	return NULL;
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
	for (i = 0; i < a->ngcache; i++) {
		free(a->gcache[i].name);
		for (j = 0; a->gcache[i].mem[j] != NULL; j++)
			free(a->gcache[i].mem[j]);
		free(a->gcache[i].mem);
	}
	for (i = 0; i < a->nnames; i++)
		free(a->names[i]);
	free(a->names);
	free(a->members);
	free(a->pgids);
	for (i = 0; i < a->nuids; i++)
		free(a->uids[i].name);
	free(a->uids);
	for (i = 0; i < a->nhomes; i++) {
		free(a->homes[i].home);
		free(a->homes[i].name);
	}
	free(a->homes);
	shadow_free(a);
	memset(a, 0, sizeof(*a));
}
