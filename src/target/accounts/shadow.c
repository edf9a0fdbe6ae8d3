/*
 * ROOT/etc/shadow: an account's password hash and expiry, read with
 * fgetspent and, past a few lookups, through an index of names to file
 * offsets (the hashes stay on disk); what a hash and a shell allow.
 */
#include <errno.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/accounts/accounts.h"
#include "target/accounts/shadow.h"
#include "util.h"

struct spoff {
	char		*name;
	long		 off;
};

static int
cmp_spname(const void *a, const void *b)
{
	return strcmp(((const struct spoff *)a)->name,
	    ((const struct spoff *)b)->name);
}

/* By name, then by line: duplicates resolve to the first line. */
static int
cmp_spoff(const void *a, const void *b)
{
	const struct spoff *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->off < y->off ? -1 : x->off > y->off);
}

/* Many lookups: index names to file offsets once (hashes stay on disk). */
static void
index_shadow(struct accounts *a, FILE *fp)
{
	struct spwd *sp;
	long off = ftell(fp);

	a->shadow_loaded = 1;
	while ((sp = fgetspent(fp)) != NULL) {
		a->shadow = xgrowarray(a->shadow, a->nshadow,
		    sizeof(*a->shadow));
		a->shadow[a->nshadow].name = xstrdup(sp->sp_namp);
		a->shadow[a->nshadow].off = off;
		a->nshadow++;
		off = ftell(fp);
	}
	sort(a->shadow, a->nshadow, sizeof(*a->shadow), cmp_spoff);
}

char *
accounts_password_hash(struct accounts *a, const struct account *acc,
    int *unknown)
{
	long expire;

	return accounts_shadow(a, acc, &expire, unknown);
}

char *
accounts_shadow(struct accounts *a, const struct account *acc,
    long *expire, int *unknown)
{
	struct spoff key = { .name = acc->name }, *hit;
	struct spwd *sp;
	char *hash = NULL;
	FILE *fp;

	*unknown = 0;
	*expire = -1;
	if (strcmp(acc->passwd, "x") != 0)
		return xstrdup(acc->passwd);
	if ((fp = accounts_file(a, ACC_SHADOW)) == NULL) {
		*unknown = errno != ENOENT;
		unread_note(a->unread, "/etc/shadow", errno);
		return NULL;
	}
	if (!a->shadow_loaded && ++a->shadow_lookups > 8) {
		index_shadow(a, fp);
		rewind(fp);
	}
	if (a->shadow_loaded) {
		hit = search(&key, a->shadow, a->nshadow, sizeof(key),
		    cmp_spname);
		while (hit != NULL && hit > a->shadow &&
		    strcmp(hit[-1].name, acc->name) == 0)
			hit--;
		if (hit == NULL || fseek(fp, hit->off, SEEK_SET) == -1) {
			fclose(fp);
			return NULL;
		}
	}
	while ((sp = fgetspent(fp)) != NULL) {
		if (strcmp(sp->sp_namp, acc->name) == 0) {
			hash = xstrdup(sp->sp_pwdp ? sp->sp_pwdp : "");
			*expire = sp->sp_expire;
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
shadow_free(struct accounts *a)
{
	size_t i;

	for (i = 0; i < a->nshadow; i++)
		free(a->shadow[i].name);
	free(a->shadow);
	a->shadow = NULL;
	a->nshadow = 0;
}
