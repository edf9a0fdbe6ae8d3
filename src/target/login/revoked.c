/*
 * RevokedKeys: see include/target/login/revoked.h. Each file in effect is
 * read once per target (t->revoked) through safefs, at most REVOKED_MAX
 * bytes, and each line compared by its key's base64 (sshkey_in_file reads
 * "TYPE BASE64 [COMMENT]" lines; "#" and blank lines skipped). A KRL is
 * asked about each key once, by ssh-keygen -Q (krl.c), within a budget.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/login/krl.h"
#include "target/login/revoked.h"
#include "safefs.h"
#include "util.h"

#define REVOKED_MAX	(4u * 1024 * 1024)
#define REVOKED_FILES	16	/* distinct files read, at most */
#define KRL_SPAWNS	32	/* ssh-keygen -Q runs per target: a KRL
				   judged for more keys is "cannot tell" */
#define KRL_SEEN	KRL_SPAWNS	/* every answer is kept: a key is
				   never judged twice, nor two ways */

struct revoked {
	struct revfile {
		char	*path;
		char	*data;	/* NUL-terminated, or NULL */
		size_t	 len;
		int	 state;	/* REV_NO: read; REV_ALL, REV_UNKNOWN */
		int	 krl;	/* data is a KRL: ssh-keygen -Q judges */
		int	 bad_krl; /* ... that ssh-keygen cannot read */
		struct krlseen {
			char	*b64;
			int	 rev;
		}	 seen[KRL_SEEN];
		size_t	 nseen;
	}	 v[REVOKED_FILES];
	size_t	 n;
	unsigned spawns;	/* ssh-keygen -Q runs (KRL_SPAWNS) */
};

/* "SSHKRL\n\0": ssh-keygen -k's binary format. */
static const char krl_magic[] = "SSHKRL\n";

static struct revfile *
revfile(struct target *t, const char *path)
{
	struct revoked *rv;
	struct revfile *r;
	size_t i, len;
	char *abs;

	if (t->revoked == NULL)
		t->revoked = xcalloc(1, sizeof(*t->revoked));
	rv = t->revoked;
	for (i = 0; i < rv->n; i++)
		if (strcmp(rv->v[i].path, path) == 0)
			return &rv->v[i];
	if (rv->n == REVOKED_FILES)
		return NULL;
	r = &rv->v[rv->n++];
	r->path = xstrdup(path);
	/* sshd runs in "/": a relative path is from there. */
	abs = path[0] == '/' ? xstrdup(path) : xasprintf("/%s", path);
	if (sfs_read_file(t->rootfd, abs, REVOKED_MAX, &r->data, &len,
	    NULL) == -1) {
		r->state = errno == ENOENT ? REV_ALL : REV_UNKNOWN;
		r->data = NULL;
	} else if (len >= sizeof(krl_magic) - 1 &&
	    memcmp(r->data, krl_magic, sizeof(krl_magic) - 1) == 0) {
		r->state = REV_NO;
		r->krl = 1;
		r->len = len;
	} else
		r->state = REV_NO;
	free(abs);
	return r;
}

int
pubkey_line_has(const char *s, size_t n, const char *b64)
{
	size_t i = 0, start, blen = strlen(b64);

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] == '#')
		return 0;
	while (i < n && s[i] != ' ' && s[i] != '\t')	/* the type */
		i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	start = i;
	while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
		i++;
	return i - start == blen && memcmp(s + start, b64, blen) == 0;
}

/* The KRL's answer for TYPE B64, asked once per key. */
static int
krl_lists(struct target *t, struct revfile *r, const char *type,
    const char *b64)
{
	size_t i;
	int rev;

	for (i = 0; i < r->nseen; i++)
		if (strcmp(r->seen[i].b64, b64) == 0)
			return r->seen[i].rev;
	if (t->revoked->spawns >= KRL_SPAWNS)
		return REV_UNKNOWN;
	t->revoked->spawns++;
	rev = krl_check(r->data, r->len, type, b64, t->live);
	r->bad_krl |= rev == REV_ALL;
	if (r->nseen < KRL_SEEN) {
		r->seen[r->nseen].b64 = xstrdup(b64);
		r->seen[r->nseen++].rev = rev;
	}
	return rev;
}

static int
file_lists(const struct revfile *r, const char *b64)
{
	const char *s = r->data, *nl;

	if (r->data == NULL)
		return 0;
	for (; *s != '\0'; s = *nl ? nl + 1 : nl) {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s);
		if (pubkey_line_has(s, (size_t)(nl - s), b64))
			return 1;
	}
	return 0;
}

int
key_revoked(struct target *t, const struct match_ctx *ctx, const char *type,
    const char *b64, const char **path)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_REVOKEDKEYS,
	    ctx, NULL);
	struct revfile *r;
	int i, unknown = 0, k;

	*path = NULL;
	/*
	 * "none" is no list only where sshd clears it, in the global
	 * options (servconf.c CLEAR_ON_NONE); a Match block's value is
	 * copied as written: a file named "none" in "/" (7.4 to 10.0).
	 */
	if (e == NULL || e->argc == 0 || (e->match == NULL &&
	    strcasecmp(e->argv[0], "none") == 0))
		return REV_NO;
	for (i = 0; i < e->argc; i++) {
		if ((r = revfile(t, e->argv[i])) == NULL) {
			unknown = 1;
			*path = e->argv[i];
			continue;
		}
		if (r->krl) {
			k = krl_lists(t, r, type, b64);
			if (k == REV_LISTED || k == REV_ALL) {
				*path = r->path;
				return k;
			}
			if (k == REV_UNKNOWN && !unknown) {
				unknown = 1;
				*path = r->path;
			}
			continue;
		}
		if (r->state == REV_ALL || file_lists(r, b64)) {
			*path = r->path;
			return r->state == REV_ALL ? REV_ALL : REV_LISTED;
		}
		if (r->state == REV_UNKNOWN && !unknown) {
			unknown = 1;
			*path = r->path;
		}
	}
	return unknown ? REV_UNKNOWN : REV_NO;
}

const char *
revoked_all_why(const struct target *t, const char *path, const char **err)
{
	size_t i;

	*err = "No such file or directory";
	if (t->revoked != NULL)
		for (i = 0; i < t->revoked->n; i++)
			if (strcmp(t->revoked->v[i].path, path) == 0 &&
			    t->revoked->v[i].bad_krl) {
				*err = "invalid format";
				return "is a KRL that cannot be read "
				    "(ssh-keygen -Q: Invalid KRL file)";
			}
	return "does not exist";
}

void
revoked_free(struct target *t)
{
	size_t i, j;

	if (t->revoked == NULL)
		return;
	for (i = 0; i < t->revoked->n; i++) {
		free(t->revoked->v[i].path);
		free(t->revoked->v[i].data);
		for (j = 0; j < t->revoked->v[i].nseen; j++)
			free(t->revoked->v[i].seen[j].b64);
	}
	free(t->revoked);
	t->revoked = NULL;
}
