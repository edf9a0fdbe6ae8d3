/*
 * Open a target: its root (live or a rescue mount made nodev for
 * sshfix), os-release, accounts and sshd configuration, the server side
 * of a connection; close it with what the sub-models cached in it. The
 * one file of src/target/ above the sub-models: nothing in the model
 * calls it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "budget.h"
#include "mounts.h"
#include "safefs.h"
#include "target/binary/pkgowner.h"
#include "target/keys/hostkeys.h"
#include "target/load.h"
#include "target/login/people.h"
#include "target/login/revoked.h"
#include "target/logs/logscan.h"
#include "target/net/match_server.h"
#include "target/target.h"
#include "util.h"

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

/*
 * A --root with neither etc/passwd nor etc/ssh is no system: most often
 * the disk was never mounted there (an empty /mnt).
 */
static int
looks_like_a_root(struct target *t)
{
	struct stat st;

	if (sfs_lstat(t->rootfd, "/etc/passwd", &st) == 0 || errno != ENOENT ||
	    sfs_lstat(t->rootfd, "/etc/ssh", &st) == 0 || errno != ENOENT)
		return 1;
	err_set("--root %s: no etc/passwd and no etc/ssh there: is the disk "
	    "mounted at %s? (lsblk -f shows the disks; then mount "
	    "/dev/DEVICE %s)", t->rootdir, t->rootdir, t->rootdir);
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
	if (!t->live && !looks_like_a_root(t))
		goto fail;
	osinfo_read(t);
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
	size_t h;

	if (t->hostkeys != NULL) {
		hostkeys_free(t->hostkeys);
		free(t->hostkeys);
		t->hostkeys = NULL;
	}
	free(t->release_str);
	t->release_str = NULL;
	for (h = 0; h < HELPER__COUNT; h++) {
		free(t->helpers[h]);
		t->helpers[h] = NULL;
	}
	t->helpers_read = 0;
	revoked_free(t);
	if (t->logs != NULL) {
		logs_free(t->logs);
		free(t->logs);
		t->logs = NULL;
	}
	people_free(t->people);
	t->people = NULL;
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
