#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/login/logins.h"
#include "util.h"

struct each {
	struct target	*t;
	int		(*cb)(struct target *, const struct account *, void *);
	void		*arg;
};

static int
each_login(const struct passwd *pw, void *arg)
{
	struct each *e = arg;
	struct account a;
	int r;

	if (pw->pw_uid != 0 && !shell_allows_login(pw->pw_shell))
		return 0;
	account_copy(&a, pw);
	r = e->cb(e->t, &a, e->arg);
	account_free(&a);
	return r;
}

int
logins_foreach(struct target *t,
    int (*cb)(struct target *, const struct account *, void *), void *arg)
{
	struct each e = { t, cb, arg };
	struct account a;
	size_t i;
	int r;

	if (t->users == NULL)
		return accounts_foreach(&t->acc, each_login, &e);
	for (i = 0; t->users[i] != NULL; i++) {
		r = accounts_getpwnam(&t->acc, t->users[i], &a);
		if (r == 1)
			err_set("user %s: no such account in %s/etc/passwd",
			    t->users[i], strcmp(t->rootdir, "/") == 0 ? "" :
			    t->rootdir);
		if (r != 0)
			return -1;
		r = cb(t, &a, arg);
		account_free(&a);
		if (r != 0)
			return r;
	}
	return 0;
}

int
user_in_gid(struct target *t, const struct account *a, gid_t gid)
{
	const struct group_ent *g;
	size_t i;

	if (a->gid == gid)
		return 1;
	if ((g = accounts_getgrgid(&t->acc, gid)) == NULL)
		return 0;
	for (i = 0; g->mem[i] != NULL; i++)
		if (strcmp(g->mem[i], a->name) == 0)
			return 1;
	return 0;
}

int
user_may(struct target *t, const struct account *a, const struct stat *st,
    int want)
{
	mode_t perm = (mode_t)want;

	if (a->uid == 0)
		return 1;
	if (st->st_uid == a->uid)
		return ((st->st_mode >> 6) & perm) == perm;
	if (user_in_gid(t, a, st->st_gid))
		return ((st->st_mode >> 3) & perm) == perm;
	return (st->st_mode & perm) == perm;
}

/* %h %u %U %% as in sshd's expand_authorized_keys(); -1 on others. */
char *
expand_user_tokens(const char *s, const struct account *a)
{
	struct sbuf b = { 0 };

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			sbuf_addc(&b, *s);
			continue;
		}
		switch (*++s) {
		case 'h':
			sbuf_adds(&b, a->home);
			break;
		case 'u':
			sbuf_adds(&b, a->name);
			break;
		case 'U':
			sbuf_addf(&b, "%u", (unsigned)a->uid);
			break;
		case '%':
			sbuf_addc(&b, '%');
			break;
		default:
			sbuf_free(&b);
			return NULL;
		}
	}
	return sbuf_take(&b);
}

int
authkeys_paths(struct target *t, const struct account *a,
    const struct match_ctx *ctx, char ***paths)
{
	static char *defaults[] = { ".ssh/authorized_keys",
	    ".ssh/authorized_keys2" };
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_AUTHKEYSFILE,
	    ctx, NULL);
	char **src = e ? e->argv : defaults;
	int n = e ? e->argc : 2, i, k = 0;

	*paths = xcalloc((size_t)n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		char *x;

		if (strcasecmp(src[i], "none") == 0)
			continue;
		if ((x = expand_user_tokens(src[i], a)) == NULL) {
			free_strv(*paths);
			*paths = NULL;
			return -1;
		}
		if (x[0] != '/') {
			char *abs = xasprintf("%s/%s", a->home, x);

			free(x);
			x = abs;
		}
		(*paths)[k++] = x;
	}
	return k;
}

int
path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}
