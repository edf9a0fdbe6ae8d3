/*
 * The ownership and mode test sshd applies with StrictModes (misc.c
 * safe_path: owner root or the user, not group- or world-writable), with
 * Debian's user-group-modes patch: group write is harmless when the group
 * holds nobody but the user.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "target/login/strictmodes.h"
#include "target/accounts/accounts.h"
#include "target/login/login.h"
#include "target/login/logins.h"
#include "target/release.h"
#include "target/target.h"

/* Debian's secure_permissions() group test. */
static int
debian_group_ok(struct target *t, const struct stat *st,
    const struct account *user)
{
	const struct group_ent *g = accounts_getgrgid(&t->acc, st->st_gid);
	const char *owner;
	unsigned members;
	int r;

	if (g == NULL)
		return 0;
	/* Every account with this primary group must be the user. */
	r = accounts_primary_only(&t->acc, g->gid, user->uid, &members);
	if (r != 1)
		return 0;
	if (g->mem[0] != NULL) {
		members++;
		if (g->mem[1] != NULL)
			return 0;
		owner = st->st_uid == user->uid ? user->name :
		    accounts_uid_name(&t->acc, st->st_uid);
		r = owner != NULL && strcmp(g->mem[0], owner) == 0;
		if (!r)
			return 0;
	}
	return members > 0;
}

int
strictmodes_ok(struct target *t, const struct stat *st,
    const struct account *user, const char **why)
{
	if (st->st_uid != 0 && st->st_uid != user->uid) {
		*why = "owned by another user";
		return 0;
	}
	if (st->st_mode & S_IWOTH) {
		*why = "world-writable";
		return 0;
	}
	if (st->st_mode & S_IWGRP) {
		int pg = release_has(t, REL_PRIVATE_GROUP_WRITE) == TRI_YES;

		if (pg && debian_group_ok(t, st, user))
			return 1;
		*why = pg ?
		    "group-writable by a group other users share" :
		    "group-writable";
		return 0;
	}
	return 1;
}

char *
home_of_other(struct target *t, const char *dir, uid_t uid)
{
	const char *name = accounts_home_other(&t->acc, dir, uid);

	return name != NULL ? xstrdup(name) : NULL;
}

/* One object: StrictModes (when on), then the user's own access. */
static char *
object_refusal(struct target *t, const struct account *a,
    const struct stat *st, const char *path, int dir)
{
	const char *why;

	if (t->strict_modes && !strictmodes_ok(t, st, a, &why))
		return xasprintf("bad ownership or modes for %s %s (%s)",
		    dir ? "directory" : "file", path, why);
	if (!user_may(t, a, st, dir ? 1 : 4))
		return xasprintf("%s is not %s by %s", path, dir ?
		    "searchable" : "readable", a->name);
	return NULL;
}

char *
keyfile_modes_refusal(struct target *t, const struct login *l,
    const struct keyfile *k)
{
	char *why;
	size_t j;

	if (k->refused != NULL)
		return xstrdup(k->refused);
	if (k->err != 0 || !S_ISREG(k->st.st_mode))
		return NULL;
	if ((why = object_refusal(t, l->a, &k->st, k->path, 0)) != NULL)
		return why;
	for (j = 0; j < k->ndirs; j++)
		if ((why = object_refusal(t, l->a, &k->dirs[j].st,
		    k->dirs[j].path, 1)) != NULL)
			return why;
	if (k->in_home && l->home_err == 0)
		return object_refusal(t, l->a, &l->home_st, l->a->home, 1);
	return NULL;
}
