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
#include "target/keys/hostkeys.h"
#include "target/logs/logscan.h"
#include "target/binary/pkgowner.h"
#include "safefs.h"
#include "mounts.h"
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

static void
read_osinfo(struct target *t)
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

static int
same_as_host_root(int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat("/", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Group lists cost a group index: only when the config asks about groups. */
static int
config_names_groups(const struct cfg *c)
{
	size_t i;
	int j;

	for (i = 0; i < c->nents; i++)
		if (c->ents[i].kw == KW_ALLOWGROUPS ||
		    c->ents[i].kw == KW_DENYGROUPS)
			return 1;
	for (i = 0; i < c->nmatches; i++)
		for (j = 0; j < c->matches[i]->argc; j++)
			if (strcasecmp(c->matches[i]->argv[j], "group") == 0)
				return 1;
	return 0;
}

/*
 * A rescue disk's device nodes inert for sshfix (mounts.h), once a run:
 * then T's root fd is opened again, on the nodev mount. Not root, or a
 * kernel that refuses: as before, O_NONBLOCK and the type on the fd.
 */
static int
inert_devices(struct target *t)
{
	static int done;

	if (done || mounts_inert_devices(t->rootdir) == -1)
		return 0;
	done = 1;
	close(t->rootfd);
	t->rootfd = open(t->rootdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->rootfd == -1) {
		err_set("%s: %s", t->rootdir, strerror(errno));
		return -1;
	}
	return 0;
}

int
target_open(struct target *t, const char *rootdir)
{
	return target_open_overlay(t, rootdir, NULL);
}

int
target_open_overlay(struct target *t, const char *rootdir,
    const struct cfg_overlay *ov)
{
	memset(t, 0, sizeof(*t));
	t->dpkg = (struct budget)DPKG_BUDGET;
	t->keys = (struct budget)BUDGET("authorized keys files", KEYS_MAX,
	    SIZE_MAX, KEYS_MAX_BYTES);
	t->overlay = ov;
	t->homes_fd = -1;
	t->rootdir = rootdir;
	t->now = time(NULL);
	t->log_since = -1;
	t->rootfd = open(rootdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->rootfd == -1) {
		err_set("%s: %s", rootdir, strerror(errno));
		return -1;
	}
	t->live = same_as_host_root(t->rootfd);
	if (!t->live && inert_devices(t) == -1)
		return -1;
	read_osinfo(t);
	if (accounts_open(&t->acc, t->rootfd, &t->unread) == -1)
		goto fail;
	if (cfg_load_overlay(&t->cfg, t->rootfd, SSHD_CONFIG, ov,
	    &t->unread) == -1)
		goto fail;
	t->cfg_groups = config_names_groups(&t->cfg);
	target_match_server(t);
	t->strict_modes = cfg_flag(cfg_effective(&t->cfg, KW_STRICTMODES, NULL,
	    NULL), 1);
	return 0;
fail:
	unread_free(&t->unread);
	accounts_close(&t->acc);
	close(t->rootfd);
	t->rootfd = -1;
	return -1;
}

void
target_close(struct target *t)
{
	if (t->hostkeys != NULL) {
		hostkeys_free(t->hostkeys);
		free(t->hostkeys);
		t->hostkeys = NULL;
	}
	free(t->release_str);
	t->release_str = NULL;
	if (t->logs != NULL) {
		logs_free(t->logs);
		free(t->logs);
		t->logs = NULL;
	}
	free(t->srv_laddr);
	t->srv_laddr = NULL;
	t->release = 0;
	if (t->homes_fd != -1)
		close(t->homes_fd);
	free(t->homes_path);
	t->homes_fd = -1;
	t->homes_path = NULL;
	cfg_free(&t->cfg);
	accounts_close(&t->acc);
	unread_free(&t->unread);
	while (t->nnotes > 0)
		free(t->notes[--t->nnotes]);
	free(t->notes);
	t->notes = NULL;
	if (t->rootfd != -1)
		close(t->rootfd);
	t->rootfd = -1;
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
