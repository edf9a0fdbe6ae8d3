#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "target/keys/hostkeys.h"
#include "target/keys/keyparse.h"
#include "target/release.h"
#include "os/runprog.h"
#include "os/sandbox.h"
#include "safefs.h"
#include "util.h"
#include "target/validate.h"


#define KEYGEN_LOAD_MS	10000

static const struct {
	const char *path;
	const char *type;
} defaults[] = {
	{ "/etc/ssh/ssh_host_rsa_key", "rsa" },
	{ "/etc/ssh/ssh_host_ecdsa_key", "ecdsa" },
	{ "/etc/ssh/ssh_host_ed25519_key", "ed25519" },
};

static const char *
type_from_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (strstr(base, "ed25519"))
		return "ed25519";
	if (strstr(base, "ecdsa"))
		return "ecdsa";
	if (strstr(base, "rsa"))
		return "rsa";
	if (strstr(base, "dsa"))
		return "dsa";
	return "ed25519";
}

int
hostkey_perm_ok(struct target *t, const struct stat *st)
{
	const struct group_ent *g;

	/* sshd only judges keys owned by its own uid. */
	if (st->st_uid != 0 || (st->st_mode & 077) == 0)
		return 1;
	if (release_has(t, REL_SSH_KEYS_GROUP) == TRI_YES && (st->st_mode & 077) == 040 &&
	    (g = accounts_getgrgid(&t->acc, st->st_gid)) != NULL &&
	    strcmp(g->name, "ssh_keys") == 0)
		return 1;
	return 0;
}

static int
looks_private(const char *data, size_t len)
{
	const char *p = memmem(data, len, "-----BEGIN ", 11);

	return p != NULL && memmem(p, len - (size_t)(p - data),
	    "PRIVATE KEY-----", 16) != NULL;
}

/*
 * Does ssh-keygen load it? It reads the same way sshd does (sshkey.c).
 * Fed through a pipe: the file's own mode is hostkey-perms' business,
 * and the path is not opened again. A rescue disk's bytes may be an
 * attacker's: then it runs in the sandbox (a crafted key must not reach
 * the rescue machine through a flaw of ssh-keygen's); a LIVE system's
 * own keys need none (and its boot unit allows no namespace). Killed at
 * a deadline either way (a passphrase KDF with a billion rounds).
 * 1 yes, 0 no, -1 cannot tell.
 */
static int
keygen_loads(const char *data, size_t len, int live)
{
	char *argv[] = { KEYGEN_PATH, "-y", "-P", "", "-f", "/dev/stdin",
	    NULL };
	struct sandbox sb = { "/", NULL, -1, -1, 0, 0, 0 };
	int p[2], r;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	/* Written before the spawn: a key the pipe cannot hold is not judged. */
	if (fcntl(p[1], F_SETFL, O_NONBLOCK) == -1 ||
	    write(p[1], data, len) != (ssize_t)len) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	sb.in = p[0];
	r = live ? -1 : runprog_sandbox(&sb, argv, KEYGEN_LOAD_MS, NULL);
	/* Where no sandbox can be made: the host's ssh-keygen, as before. */
	if (live || sandbox_refused(r))
		r = runprog_stdin(argv, p[0], KEYGEN_LOAD_MS, NULL);
	close(p[0]);
	return r == -1 ? -1 : r == 0;
}

/*
 * A key that looks like a private key but that sshd would refuse:
 * judged in process, and by ssh-keygen only when in doubt (a spawn costs
 * milliseconds on every dry run).
 */
static void
judge(struct hostkey *k, const char *data, size_t len, int live)
{
	static const char *const why[] = {
		[KP_CORRUPT] = "truncated or corrupt",
		[KP_ENCRYPTED] = "protected by a passphrase",
		[KP_SMALL] = "an RSA key under 1024 bits",
	};
	/* sshd's reason where it does not vary with the damage. */
	static const char *const said[] = {
		[KP_ENCRYPTED] = "incorrect passphrase supplied to decrypt "
		    "private key",
		[KP_SMALL] = "Invalid key length",
	};
	struct keyinfo ki;
	enum kp_result r = keyparse(data, len, &ki);
	int loads;

	if (r == KP_OK || (loads = keygen_loads(data, len, live)) == 1) {
		/* OpenSSH's own format names the type; PEM its label. */
		k->dsa = r == KP_OK ? strcmp(ki.type, "ssh-dss") == 0 :
		    memmem(data, len, "-----BEGIN DSA PRIVATE KEY-----\n",
		    32) != NULL;
		return;
	}
	if (loads == -1 && r == KP_UNKNOWN)
		return;		/* no judge: never a guess */
	k->state = HK_CORRUPT;
	k->why = r == KP_UNKNOWN ? "not loadable by ssh-keygen" : why[r];
	k->said = r == KP_UNKNOWN ? NULL : said[r];
}

static void
inspect(struct target *t, struct hostkey *k)
{
	char *data;
	size_t len;
	int fd = sfs_open(t->rootfd, k->path, O_RDONLY, &k->st);

	if (fd == -1) {
		/*
		 * ENXIO: a FIFO, socket or device, never opened. Not a
		 * regular file, and more: sshd's own open(2) of a FIFO
		 * blocks at its start. Judged as not regular, and said.
		 */
		k->state = errno == ENOENT ? HK_MISSING :
		    errno == ELOOP ? HK_UNSAFE : errno == ENOTDIR ||
		    errno == EINVAL || errno == ENXIO ? HK_NOTREG :
		    HK_UNREADABLE;
		unread_note(&t->unread, k->path, errno);
		if (errno == ENXIO)
			(void)sfs_lstat(t->rootfd, k->path, &k->st);
		return;
	}
	if (!S_ISREG(k->st.st_mode))
		k->state = HK_NOTREG;
	else if (k->st.st_size == 0)
		k->state = HK_EMPTY;
	else if (sfs_read_fd(fd, HOSTKEY_MAX_FILE, &data, &len) == -1) {
		/* Too large is not a key; a failed read says nothing. */
		k->state = errno == EFBIG ? HK_CORRUPT : HK_UNREADABLE;
		if (k->state == HK_UNREADABLE)
			unread_note(&t->unread, k->path, errno);
	} else {
		k->state = looks_private(data, len) ? HK_OK : HK_CORRUPT;
		if (k->state == HK_OK)
			judge(k, data, len, t->live);
		explicit_bzero(data, len);
		free(data);
		if (k->state == HK_OK && !hostkey_perm_ok(t, &k->st))
			k->state = HK_BADPERM;
	}
	close(fd);
}

static void
add_key(struct hostkeys *h, const char *path, const char *type, int def,
    const struct cfg_entry *e)
{
	struct hostkey *k;

	h->k = xreallocarray(h->k, h->n + 1, sizeof(*h->k));
	k = &h->k[h->n++];
	memset(k, 0, sizeof(*k));
	k->path = xstrdup(path);
	k->type = type;
	k->is_default = def;
	k->from_config = !def;
	k->entry = e;
	k->file = e ? e->file : 0;
	k->line = e ? e->line : 0;
}

/* More HostKey lines than HOSTKEYS_MAX: the first are read, the rest
   said (each key may be put to ssh-keygen). */
static void
too_many(struct target *t, size_t *n)
{
	char *why = xasprintf("more than %d keys (sshfix's budget); the rest "
	    "were not read: cannot tell", HOSTKEYS_MAX);

	unread_note_why(&t->unread, "HostKey", why);
	free(why);
	*n = HOSTKEYS_MAX;
}

int
hostkeys_scan(struct target *t, struct hostkeys *h)
{
	const struct cfg_entry **e;
	size_t n, i;

	memset(h, 0, sizeof(*h));
	n = cfg_collect(&t->cfg, KW_HOSTKEY, NULL, &e);
	if (n > HOSTKEYS_MAX)
		too_many(t, &n);
	for (i = 0; i < n; i++)
		if (e[i]->argc >= 1)
			add_key(h, e[i]->argv[0], type_from_name(e[i]->argv[0]),
			    0, e[i]);
	free(e);
	h->configured = h->n > 0;
	for (i = 0; !h->configured && i < ARRAY_LEN(defaults); i++)
		add_key(h, defaults[i].path, defaults[i].type, 1, NULL);
	for (i = 0; i < h->n; i++) {
		size_t j;

		/* The defaults are also what ssh-keygen -A writes. */
		for (j = 0; j < ARRAY_LEN(defaults); j++)
			if (strcmp(h->k[i].path, defaults[j].path) == 0)
				h->k[i].is_default = 1;
		inspect(t, &h->k[i]);
		/* Read sshd's version only when a DSA key is there. */
		if (h->k[i].dsa && (h->k[i].state == HK_OK ||
		    h->k[i].state == HK_BADPERM) &&
		    release_has(t, REL_DSA_HOSTKEY_LOADED) == TRI_NO)
			h->k[i].state = HK_UNSUPPORTED;
	}
	return 0;
}

const struct hostkeys *
hostkeys_get(struct target *t)
{
	if (t->hostkeys == NULL) {
		t->hostkeys = xcalloc(1, sizeof(*t->hostkeys));
		hostkeys_scan(t, t->hostkeys);
	}
	return t->hostkeys;
}

int
hostkeys_usable(const struct hostkeys *h, int count_badperm)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->k[i].state == HK_OK || h->k[i].state == HK_UNSAFE ||
		    h->k[i].state == HK_UNREADABLE ||
		    (count_badperm && h->k[i].state == HK_BADPERM))
			return 1;
	return 0;
}

void
hostkeys_free(struct hostkeys *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->k[i].path);
	free(h->k);
	memset(h, 0, sizeof(*h));
}
