/*
 * src/target/: the model of the target system, read, never changed. Its
 * top files are what every sub-model uses: the target itself (target.c:
 * its root, os-release, notes, the match context of an account), the
 * rules that differ by release (release.c), the sshd that judges it
 * (judge.c; validate.c and flatten.c: sshd -t on the flattened config),
 * cloud-init (cloudinit.c). Below them: config/, accounts/, binary/
 * (they need no target); above them: keys/, net/, logs/, then login/;
 * load.c opens a target with all of them. The model uses the base and
 * src/os/ only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "budget.h"
#include "target/binary/pkgowner.h"
#include "safefs.h"
#include "target/target.h"
#include "util.h"

static void
copy_value(char *dst, size_t cap, const char *v, size_t n)
{
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* Is WORD a word of the space-separated LIST? */
int
os_word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' ||
		    p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

void
osinfo_parse(struct osinfo *os, const char *text)
{
	const char *p = text, *nl, *eq;

	memset(os, 0, sizeof(*os));
	for (; *p != '\0'; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq == NULL)
			continue;
#define KEY(k) ((size_t)(eq - p) == strlen(k) && strncmp(p, k, strlen(k)) == 0)
		if (KEY("ID"))
			copy_value(os->id, sizeof(os->id), eq + 1,
			    (size_t)(nl - eq - 1));
		else if (KEY("ID_LIKE"))
			copy_value(os->id_like, sizeof(os->id_like), eq + 1,
			    (size_t)(nl - eq - 1));
		else if (KEY("VERSION_ID"))
			copy_value(os->version_id, sizeof(os->version_id),
			    eq + 1, (size_t)(nl - eq - 1));
		else if (KEY("PRETTY_NAME"))
			copy_value(os->pretty, sizeof(os->pretty), eq + 1,
			    (size_t)(nl - eq - 1));
#undef KEY
	}
	if (strcmp(os->id, "debian") == 0 ||
	    os_word_in("debian", os->id_like) ||
	    os_word_in("ubuntu", os->id_like)) {
		os->family = OS_DEBIAN;
		os->privsep_dir = "/run/sshd";
	} else if (strcmp(os->id, "fedora") == 0 || strcmp(os->id, "rhel") ==
	    0 || os_word_in("rhel", os->id_like) || os_word_in("fedora",
	    os->id_like)) {
		os->family = OS_RHEL;
		os->privsep_dir = "/var/empty/sshd";
	}
}

void
osinfo_read(struct target *t)
{
	static const char *paths[] = { "/etc/os-release",
	    "/usr/lib/os-release" };
	char *data;
	size_t len, i;

	memset(&t->os, 0, sizeof(t->os));
	for (i = 0; i < ARRAY_LEN(paths); i++) {
		if (sfs_read_file(t->rootfd, paths[i], OSRELEASE_MAX, &data, &len,
		    NULL) == 0) {
			osinfo_parse(&t->os, data);
			free(data);
			return;
		}
		unread_note(&t->unread, paths[i], errno);
	}
}

void
target_note(struct target *t, const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	t->notes = xreallocarray(t->notes, t->nnotes + 1, sizeof(*t->notes));
	t->notes[t->nnotes++] = sbuf_take(&b);
}

int
target_incomplete(const struct target *t)
{
	return t->unread.n > 0;
}

void
target_match_ctx(struct target *t, const struct account *a,
    struct match_ctx *ctx)
{
	ctx->user = a->name;
	ctx->groups = t->cfg_groups ? accounts_user_groups(&t->acc, a) : NULL;
	target_ctx_from(t, ctx, t->from ? t->from[0] : NULL);
}

/* UseDNS (global only; default no since OpenSSH 6.8). */
static int
use_dns(const struct target *t)
{
	size_t i;

	for (i = 0; i < t->cfg.nents; i++) {
		const struct cfg_entry *e = &t->cfg.ents[i];

		if (e->match == NULL && strcasecmp(e->keyword, "usedns") == 0)
			return cfg_flag(e, 0);
	}
	return 0;
}

void
target_ctx_from(const struct target *t, struct match_ctx *ctx,
    const char *addr)
{
	ctx->addr = addr;
	/* Under UseDNS yes the name comes from DNS: unknowable. */
	ctx->host = addr != NULL && !use_dns(t) ? addr : NULL;
	ctx->lport = t->srv_lport;
	ctx->laddr = t->srv_laddr;
	ctx->rdomain = t->srv_rdomain;
	ctx->version = t->srv_version;
}

void
target_addr_ctx(const struct target *t, struct match_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	target_ctx_from(t, ctx, t->from ? t->from[0] : NULL);
}

char *
owner_str(struct target *t, uid_t uid, gid_t gid)
{
	const char *u = accounts_uid_name(&t->acc, uid);
	const struct group_ent *g = accounts_getgrgid(&t->acc, gid);

	if (u != NULL)
		return g ? xasprintf("%s:%s", u, g->name) :
		    xasprintf("%s:%u", u, (unsigned)gid);
	return g ? xasprintf("%u:%s", (unsigned)uid, g->name) :
	    xasprintf("%u:%u", (unsigned)uid, (unsigned)gid);
}
