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

#include "logins.h"
#include "report.h"
#include "snapshot.h"
#include "snapshot_int.h"
#include "util.h"

/* WORD as one shell word: quoted unless it is plainly safe. */
static void
shell_word(struct sbuf *b, const char *word)
{
	const char *c;

	if (word[0] != '\0' && strspn(word, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+,:=@%-") ==
	    strlen(word)) {
		sbuf_adds(b, word);
		return;
	}
	sbuf_addc(b, '\'');
	for (c = word; *c != '\0'; c++)
		if (*c == '\'')
			sbuf_adds(b, "'\\''");
		else
			sbuf_addc(b, *c);
	sbuf_addc(b, '\'');
}

char *
snapshot_rollback_cmd(const char *id, const char *rootdir,
    const char *snapdir)
{
	struct sbuf b = { 0 };

	sbuf_addf(&b, "sshfix --rollback %s", id);
	if (rootdir != NULL && strcmp(rootdir, "/") != 0) {
		sbuf_adds(&b, " --root ");
		shell_word(&b, rootdir);
	}
	if (snapdir != NULL) {
		sbuf_adds(&b, " --snapshot-dir ");
		shell_word(&b, snapdir);
	}
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
