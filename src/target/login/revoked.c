/*
 * RevokedKeys: see include/target/login/revoked.h. Each file in effect is
 * read once per target (t->revoked) through safefs, at most REVOKED_MAX
 * bytes, and each line compared by its key's base64 (sshkey_in_file reads
 * "TYPE BASE64 [COMMENT]" lines; "#" and blank lines skipped).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/login/revoked.h"
#include "safefs.h"
#include "util.h"

#define REVOKED_MAX	(4u * 1024 * 1024)
#define REVOKED_FILES	16	/* distinct files read, at most */

struct revoked {
	struct revfile {
		char	*path;
		char	*data;	/* NUL-terminated, or NULL */
		int	 state;	/* REV_NO: read; REV_ALL, REV_UNKNOWN */
	}	 v[REVOKED_FILES];
	size_t	 n;
};

/* "SSHKRL\n\0": ssh-keygen -k's binary format. */
static const char krl_magic[] = "SSHKRL\n";

static const struct revfile *
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
		r->state = REV_UNKNOWN;
		free(r->data);
		r->data = NULL;
	} else
		r->state = REV_NO;
	free(abs);
	return r;
}

/* Does one line "TYPE BASE64 [COMMENT]" hold B64? */
static int
line_has(const char *s, size_t n, const char *b64)
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
		if (line_has(s, (size_t)(nl - s), b64))
			return 1;
	}
	return 0;
}

int
key_revoked(struct target *t, const struct match_ctx *ctx, const char *b64,
    const char **path)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_REVOKEDKEYS,
	    ctx, NULL);
	const struct revfile *r;
	int i, unknown = 0;

	*path = NULL;
	if (e == NULL || e->argc == 0 || strcasecmp(e->argv[0], "none") == 0)
		return REV_NO;
	for (i = 0; i < e->argc; i++) {
		if ((r = revfile(t, e->argv[i])) == NULL) {
			unknown = 1;
			*path = e->argv[i];
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

void
revoked_free(struct target *t)
{
	size_t i;

	if (t->revoked == NULL)
		return;
	for (i = 0; i < t->revoked->n; i++) {
		free(t->revoked->v[i].path);
		free(t->revoked->v[i].data);
	}
	free(t->revoked);
	t->revoked = NULL;
}
