/*
 * Account readers: the input is passwd, then (after a "%%%" line) group,
 * then shadow of a temp root; accounts_open checks passwd, then every
 * lookup runs for the accounts found, more than ACCOUNTS_STREAMED times
 * so that both the streamed and the indexed paths are taken.
 */
#include "fuzz.h"

#include "target/accounts/accounts.h"

#define NAMES	12

static const char *const dirs[] = { "etc", NULL };

struct seen {
	struct account	a[NAMES];
	size_t		n;
};

static int
collect(const struct passwd *pw, void *arg)
{
	struct seen *s = arg;

	if (s->n == NAMES)
		return 1;
	account_copy(&s->a[s->n++], pw);
	return 0;
}

static void
lookups(struct accounts *acc, const struct account *a)
{
	struct account b;
	const struct group_ent *g;
	unsigned count;
	int unknown;

	if (accounts_getpwnam(acc, a->name, &b) == 0)
		account_free(&b);
	if (accounts_getpwuid(acc, a->uid, &b) == 0)
		account_free(&b);
	(void)accounts_uid_name(acc, a->uid);
	if ((g = accounts_getgrgid(acc, a->gid)) != NULL)
		(void)accounts_getgrnam(acc, g->name);
	(void)accounts_getgrnam(acc, a->name);
	free(accounts_user_groups(acc, a));
	(void)accounts_primary_only(acc, a->gid, a->uid, &count);
	free(accounts_password_hash(acc, a, &unknown));
	(void)password_usable(a->passwd);
	(void)shell_allows_login(a->shell);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *files[] = { "etc/passwd", "etc/group",
	    "etc/shadow" };
	const uint8_t *part[3];
	size_t len[3], n, i, round;
	struct accounts acc;
	struct seen s = { .n = 0 };

	fz_root_init(dirs);
	n = fz_split(data, size, part, len, 3);
	for (i = 0; i < 3; i++)
		fz_put(files[i], i < n ? part[i] : data, i < n ? len[i] : 0,
		    0644);
	if (accounts_open(&acc, fz_rootfd, NULL) == 0) {
		(void)accounts_foreach(&acc, collect, &s);
		for (round = 0; round <= ACCOUNTS_STREAMED && s.n > 0; round++)
			lookups(&acc, &s.a[round % s.n]);
		for (i = 0; i < s.n; i++)
			account_free(&s.a[i]);
	}
	accounts_close(&acc);
	fz_fd_check();
	return 0;
}
