/*
 * hostkey-perms: a private host key owned by root (sshd's uid) that
 * others may read: sshd ignores it (sshkey_perm_ok). RHEL 7-9 accept
 * root:ssh_keys 0640, which is left alone. A key owned by another uid is
 * not judged by sshd, so not by us either.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixes/fault.h"
#include "target/keys/hostkeys.h"
#include "target/release.h"
#include "safefs.h"
#include "util.h"

static int
detect(struct target *t, struct plan *p)
{
	const struct hostkeys *h = hostkeys_get(t);
	struct finding *f;
	int usable;
	size_t i;
	char m[8], *owner;

	usable = hostkeys_usable(h, 0);
	for (i = 0; i < h->n; i++) {
		struct hostkey *k = &h->k[i];

		if (k->state != HK_BADPERM)
			continue;
		f = plan_add_finding(p, &fault_hostkey_perms,
		    usable ? SEV_WARNING : SEV_ERROR, k->path);
		mode_str(k->st.st_mode, m);
		owner = owner_str(t, k->st.st_uid, k->st.st_gid);
		finding_set_message(f, "private host key %s is readable by "
		    "others (%s %s); sshd will not load it%s", k->path, m,
		    owner, usable ? "" : ", and no other key is usable: sshd "
		    "exits at start");
		/* Every release from 7.4 to 10.0, at every LogLevel. */
		finding_set_logline(f, "Permissions 0%3.3o for '%s' are too "
		    "open.%s", (unsigned)(k->st.st_mode & 07777), k->path,
		    usable ? "" : " / sshd: no hostkeys available -- exiting.");
		finding_add_evidence(f, "path", "%s", k->path);
		finding_add_evidence(f, "mode", "%s", m);
		finding_add_evidence(f, "owner", "%s", owner);
		if (k->from_config)
			finding_add_evidence(f, "config", "%s:%zu",
			    t->cfg.files[k->file].path, k->line + 1);
		free(owner);
		f->path = xstrdup(k->path);
		f->st = k->st;
	}
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	const struct group_ent *g = accounts_getgrgid(&t->acc, f->st.st_gid);
	char *pub = xasprintf("%s.pub", f->path);
	struct stat st;
	mode_t want = 0600;

	(void)p;
	/* Keep RHEL's layout where the target's sshd accepts it. */
	if (release_has(t, REL_SSH_KEYS_GROUP) == TRI_YES && g != NULL &&
	    strcmp(g->name, "ssh_keys") == 0)
		want = 0640;
	plan_add_chmod(f, f->path, f->st.st_mode, want);
	if (sfs_lstat(t->rootfd, pub, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == 0 && (st.st_mode & 07777) != 0644)
		plan_add_chmod(f, pub, st.st_mode, 0644);
	free(pub);
}

const struct fault fault_hostkey_perms = {
	.id = "hostkey-perms",
	.summary = "a private host key sshd ignores because others can read it",
	.detect = detect,
	.plan = plan,
};
