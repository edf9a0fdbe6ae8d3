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

/* Keys with one cause: the same mode and owner. */
static int
same_cause(const struct hostkey *a, const struct hostkey *b)
{
	return a->state == HK_BADPERM && b->state == HK_BADPERM &&
	    (a->st.st_mode & 07777) == (b->st.st_mode & 07777) &&
	    a->st.st_uid == b->st.st_uid && a->st.st_gid == b->st.st_gid;
}

/* The finding of the keys of key I's cause: I is the first of them. */
static void
add_cause(struct target *t, struct plan *p, const struct hostkeys *h,
    size_t i, int usable)
{
	const struct hostkey *k = &h->k[i];
	struct finding *f;
	struct sbuf paths = { 0 }, lines = { 0 };
	size_t j, n = 0;
	char m[8], *owner, *subj;

	for (j = i; j < h->n; j++) {
		if (!same_cause(&h->k[j], k))
			continue;
		sbuf_addf(&paths, "%s%s", n++ ? ", " : "", h->k[j].path);
		/* Every release from 7.4 to 10.0, at every LogLevel: a
		 * line for each key, then the exit. */
		sbuf_addf(&lines, "%sPermissions 0%3.3o for '%s' are too "
		    "open.", lines.len ? " / " : "",
		    (unsigned)(k->st.st_mode & 07777), h->k[j].path);
	}
	if (!usable)
		sbuf_adds(&lines, " / sshd: no hostkeys available -- exiting.");
	subj = n > 1 ? xasprintf("%zu host keys", n) : xstrdup(k->path);
	f = plan_add_finding(p, &fault_hostkey_perms,
	    usable ? SEV_WARNING : SEV_ERROR, subj);
	free(subj);
	mode_str(k->st.st_mode, m);
	owner = owner_str(t, k->st.st_uid, k->st.st_gid);
	if (n > 1)
		finding_set_message(f, "%zu private host keys are readable "
		    "by others (%s %s): %s; sshd will not load them%s", n, m,
		    owner, paths.s, usable ? "" : ", and no other key is "
		    "usable: sshd exits at start");
	else
		finding_set_message(f, "private host key %s is readable by "
		    "others (%s %s); sshd will not load it%s", k->path, m,
		    owner, usable ? "" : ", and no other key is usable: sshd "
		    "exits at start");
	finding_set_logline(f, "%s", lines.s);
	sbuf_free(&lines);
	/* One member each: a JSON object has no repeated key. */
	finding_add_evidence(f, n > 1 ? "paths" : "path", "%s", paths.s);
	finding_add_evidence(f, "mode", "%s", m);
	finding_add_evidence(f, "owner", "%s", owner);
	for (j = i; j < h->n; j++)
		if (same_cause(&h->k[j], k) && h->k[j].from_config)
			sbuf_addf(&lines, "%s%s:%zu", lines.len ? ", " : "",
			    t->cfg.files[h->k[j].file].path, h->k[j].line + 1);
	if (lines.len > 0)
		finding_add_evidence(f, "config", "%s", lines.s);
	sbuf_free(&lines);
	sbuf_free(&paths);
	free(owner);
	f->path = xstrdup(k->path);
	f->st = k->st;
}

/*
 * One finding for each cause: three keys 0777 root:root are one block
 * ("3 private host keys ..."), with a chmod for each in its plan, not
 * three blocks that scroll a console's first screen away.
 */
static int
detect(struct target *t, struct plan *p)
{
	const struct hostkeys *h = hostkeys_get(t);
	int usable = hostkeys_usable(h, 0);
	size_t i, j;

	for (i = 0; i < h->n; i++) {
		if (h->k[i].state != HK_BADPERM)
			continue;
		for (j = 0; j < i && !same_cause(&h->k[j], &h->k[i]); j++)
			;
		if (j == i)	/* else in the finding of key j */
			add_cause(t, p, h, i, usable);
	}
	return 0;
}

/* The chmod of one key, and of its .pub when that is not 0644. */
static void
plan_key(struct target *t, struct finding *f, const struct hostkey *k)
{
	const struct group_ent *g = accounts_getgrgid(&t->acc, k->st.st_gid);
	char *pub = xasprintf("%s.pub", k->path);
	struct stat st;
	mode_t want = 0600;

	/* Keep RHEL's layout where the target's sshd accepts it. */
	if (release_has(t, REL_SSH_KEYS_GROUP) == TRI_YES && g != NULL &&
	    strcmp(g->name, "ssh_keys") == 0)
		want = 0640;
	plan_add_chmod(f, k->path, k->st.st_mode, want);
	if (sfs_lstat(t->rootfd, pub, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == 0 && (st.st_mode & 07777) != 0644)
		plan_add_chmod(f, pub, st.st_mode, 0644);
	free(pub);
}

/* Every key of F's cause: the first is F's own path. */
static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	const struct hostkeys *h = hostkeys_get(t);
	const struct hostkey *first = NULL;
	size_t i;

	(void)p;
	for (i = 0; i < h->n && first == NULL; i++)
		if (h->k[i].state == HK_BADPERM &&
		    strcmp(h->k[i].path, f->path) == 0)
			first = &h->k[i];
	if (first == NULL)
		return;
	for (i = 0; i < h->n; i++)
		if (same_cause(&h->k[i], first))
			plan_key(t, f, &h->k[i]);
}

const struct fault fault_hostkey_perms = {
	.id = "hostkey-perms",
	.summary = "a private host key sshd ignores because others can read it",
	.detect = detect,
	.plan = plan,
};
