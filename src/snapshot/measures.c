/*
 * The temporary measures an --apply left in place (a password login
 * opened for one account), read back from the snapshot store so that
 * every later dry run says what is still open and how to close it. Only
 * snapshots in state "applied" count: a rollback closes them. The state
 * files are read first, so that a store of rolled-back snapshots costs no
 * archive read.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report.h"
#include "shquote.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshot_int.h"
#include "util.h"

/*
 * PREFIX, then VALUE as a shell word, or PLACEHOLDER when VALUE is not
 * shell-safe (an id read from the target's store may be an attacker's).
 */
static void
add_word(struct sbuf *b, const char *prefix, const char *value,
    const char *placeholder)
{
	char *w = sh_word(value, placeholder);

	sbuf_addf(b, "%s%s", prefix, w);
	free(w);
}

char *
snapshot_rollback_cmd(const char *id, const char *rootdir,
    const char *snapdir)
{
	struct sbuf b = { 0 };

	add_word(&b, "sshfix --rollback ", id, "ID");
	if (rootdir != NULL && strcmp(rootdir, "/") != 0)
		add_word(&b, " --root ", rootdir, "ROOT");
	if (snapdir != NULL)
		add_word(&b, " --snapshot-dir ", snapdir, "DIR");
	return sbuf_take(&b);
}

static int
cmp_desc(const void *a, const void *b)
{
	return snapshot_id_cmp(*(char *const *)b, *(char *const *)a);
}

int
snapshot_open_measures(int rootfd, const char *rootdir, const char *snapdir,
    struct open_measure **out, size_t *nout)
{
	struct snapshot s;
	char **ids;
	size_t n = 0, i, j;
	int sdfd;

	*out = NULL;
	*nout = 0;
	/* None to say, unless the store is there and refused. */
	if ((sdfd = snapdir_open(rootfd, snapdir, 0)) == -1)
		return err_refused(NULL, NULL) ? -1 : 0;
	if ((ids = snap_ids_in_state(sdfd, "applied")) == NULL) {
		close(sdfd);
		return -1;
	}
	while (ids[n] != NULL)
		n++;
	sort(ids, n, sizeof(*ids), cmp_desc);
	for (i = 0; i < n; i++) {
		if (snapshot_load(sdfd, ids[i], &s) == -1)
			continue;
		for (j = 0; j < s.ntemps; j++) {
			struct open_measure *m;

			*out = xreallocarray(*out, *nout + 1, sizeof(**out));
			m = &(*out)[(*nout)++];
			m->snapshot = xstrdup(s.id);
			m->user = xstrdup(s.temp_users[j]);
			m->what = xstrdup(s.temps[j]);
			m->rollback = snapshot_rollback_cmd(s.id, rootdir,
			    snapdir);
		}
		snapshot_free(&s);
	}
	free_strv(ids);
	close(sdfd);
	return 0;
}
