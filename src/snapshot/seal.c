/*
 * A snapshot's seal and the root it belongs to.
 *
 * MUST: a snapshot is restored only when every file of it (ID.tar, the
 * manifests) hashes to the SHA-256 its seal recorded when it was written,
 * and when the meta entry names the root being restored. A truncated,
 * edited or foreign snapshot is refused before any byte is restored.
 *
 * The root's id is 128 random bits kept in ROOT/var/lib/sshfix/root-id,
 * made by the first --apply. It travels with the disk (a rescue mount, a
 * cloned VM), not with the host that mounts it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "os/lock.h"
#include "safefs.h"
#include "os/safewrite.h"
#include "snapshot/snapshot_int.h"
#include "os/stop.h"
#include "util.h"

#define ROOTID_PATH	"/var/lib/sshfix/root-id"
#define SEAL_MAGIC	"sshfix-seal 1\n"
#define ROOTID_MAX	64	/* 32 hex digits and a newline, with room */

static int
valid_id(const char *s)
{
	return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

int
rootid_get(int rootfd, int create, char out[ROOTID_LEN + 1])
{
	unsigned char rnd[16];
	char *data = NULL, why[160];
	struct stat st;
	size_t len, i;

	/* Judged before the open too: a FIFO or device is never opened. */
	if (sfs_lstat(rootfd, ROOTID_PATH, &st) == 0 &&
	    file_refusal(&st, ROOTID_MAX, why, sizeof(why)) == -1)
		return err_refuse(ROOTID_PATH, why);
	if (sfs_read_file(rootfd, ROOTID_PATH, ROOTID_MAX, &data, &len,
	    NULL) == 0) {
		snprintf(out, ROOTID_LEN + 1, "%.*s", (int)strcspn(data, "\n"),
		    data);
		free(data);
		if (valid_id(out))
			return 0;
		err_set("%s: not an sshfix root id; refused", ROOTID_PATH);
		return -1;
	}
	if (errno != ENOENT || !create) {
		err_set("%s: %s", ROOTID_PATH, errno == ENOENT ? "missing: no "
		    "snapshot was taken of this root" : strerror(errno));
		return -1;
	}
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		err_set("getrandom: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(out + 2 * i, 3, "%02x", rnd[i]);
	data = xasprintf("%s\n", out);
	/* Its temp file is named for it: lock_root removes one a crash
	 * left. */
	sfw_set_tag(ROOTID_TAG);
	i = (size_t)sfw_write_file(rootfd, ROOTID_PATH, data, strlen(data),
	    0600, 0, 0, NULL, NULL);
	sfw_set_tag(NULL);
	free(data);
	return i == 0 ? 0 : -1;
}

/*
 * SHA-256 of ID.SUFFIX in the snapshot directory, as hex. snap_open
 * bounds it on its st_size before the first byte is hashed; a signal
 * stops the hashing before a run's first change (stop_reading). -1 with
 * err_set; -2 when that error must stand as it is (the file refused, a
 * signal), not be taken for a file that does not match.
 */
static int
digest(int sdfd, const char *id, const char *suffix,
    char hex[SHA256_DIGEST_STRING_LENGTH])
{
	SHA2_CTX ctx;
	unsigned char buf[65536];
	ssize_t n;
	int fd = snap_open(sdfd, id, suffix);

	if (fd == -1)
		return errno == EUCLEAN ? -2 : -1;
	SHA256Init(&ctx);
	for (;;) {
		if (stop_reading() == -1) {
			close(fd);
			return -2;
		}
		if ((n = read(fd, buf, sizeof(buf))) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		SHA256Update(&ctx, buf, (size_t)n);
	}
	close(fd);
	if (n == -1) {
		err_set("snapshot %s: reading %s: %s", id, suffix,
		    strerror(errno));
		return -1;
	}
	SHA256End(&ctx, hex);
	return 0;
}

static const char *const sealed[] = { "tar", "before.mtree",
	"after.mtree" };

int
seal_write(int sdfd, const struct snapshot *s, int with_after)
{
	char hex[SHA256_DIGEST_STRING_LENGTH], name[64], tmp[80];
	struct sbuf b = { 0 };
	size_t i, n = with_after ? 3 : 2;
	int fd, r = -1;

	sbuf_adds(&b, SEAL_MAGIC);
	for (i = 0; i < n; i++) {
		if (digest(sdfd, s->id, sealed[i], hex) < 0)
			goto out;
		sbuf_addf(&b, "%s %s\n", sealed[i], hex);
	}
	snprintf(name, sizeof(name), "%s.seal", s->id);
	snprintf(tmp, sizeof(tmp), ".%s.seal.tmp", s->id);
	unlinkat(sdfd, tmp, 0);
	if ((fd = snap_create(sdfd, tmp)) == -1)
		goto out;
	if (write(fd, b.s, b.len) != (ssize_t)b.len) {
		err_set("snapshot %s: writing its seal: %s", s->id,
		    strerror(errno ? errno : EIO));
		close(fd);
		unlinkat(sdfd, tmp, 0);
		goto out;
	}
	if (snap_finish(sdfd, fd, tmp) == -1)
		goto out;
	if (renameat(sdfd, tmp, sdfd, name) == -1 || fsync(sdfd) == -1) {
		err_set("snapshot %s: sealing: %s", s->id, strerror(errno));
		goto out;
	}
	r = 0;
out:
	sbuf_free(&b);
	return r;
}

/* The recorded digest of SUFFIX in the seal TEXT, or NULL. */
static const char *
recorded(const char *text, const char *suffix)
{
	size_t n = strlen(suffix);
	const char *p;

	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p ? p + 1 : NULL)
		if (strncmp(p, suffix, n) == 0 && p[n] == ' ' &&
		    strspn(p + n + 1, "0123456789abcdef") == 64 &&
		    (p[n + 65] == '\n' || p[n + 65] == '\0'))
			return p + n + 1;
	return NULL;
}

int
seal_verify(int sdfd, const struct snapshot *s, const char *rootid)
{
	char hex[SHA256_DIGEST_STRING_LENGTH], *text = NULL;
	const char *want;
	struct stat st;
	size_t len, i;
	int fd, d = 0, r = -1;

	if ((fd = snap_open(sdfd, s->id, "seal")) == -1) {
		if (errno == ENOENT)
			err_set("snapshot %s has no seal: it cannot be "
			    "verified (made by sshfix 0.1?); refused", s->id);
		return -1;
	}
	i = (size_t)sfs_read_fd(fd, SNAP_SEAL_MAX, &text, &len);
	close(fd);
	if (i != 0 || strncmp(text, SEAL_MAGIC, strlen(SEAL_MAGIC)) != 0) {
		err_set("snapshot %s: damaged seal; refused", s->id);
		goto out;
	}
	for (i = 0; i < ARRAY_LEN(sealed); i++) {
		char name[96];

		want = recorded(text, sealed[i]);
		snprintf(name, sizeof(name), "%s.%s", s->id, sealed[i]);
		/* No after-manifest yet; an interrupted apply may have left
		 * one half-written, unsealed: its recovery never reads it. */
		if (want == NULL && i == 2 && (snapshot_interrupted(s) ||
		    (fstatat(sdfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1 &&
		    errno == ENOENT)))
			continue;
		if (want != NULL && (d = digest(sdfd, s->id, sealed[i],
		    hex)) == -2)
			goto out;
		if (want == NULL || d == -1 || strncmp(want, hex, 64) != 0) {
			err_set("snapshot %s: %s does not match its seal "
			    "(truncated or edited); nothing was restored",
			    s->id, name);
			goto out;
		}
	}
	if (rootid != NULL && strcmp(s->rootid, rootid) != 0) {
		err_set("snapshot %s was taken of another system (root id "
		    "%s, this root is %s); refused", s->id,
		    s->rootid[0] ? s->rootid : "none", rootid);
		goto out;
	}
	r = 0;
out:
	free(text);
	return r;
}
