/*
 * Snapshot reader: the input is parsed as a meta entry's text, and
 * written as ID.tar into a temp snapshot directory (sealed as it is, with
 * an empty before-manifest, so that the checks behind the seal are
 * reached), then loaded the way --list and --rollback load it, and checked
 * whole as a restore does before it changes anything (snapshot_check);
 * nothing is restored. ID is the one the input's meta claims, so inputs
 * grown from a real snapshot get past the meta check.
 */
#include <ctype.h>

#include "fuzz.h"

#include "snapshot/snapshot_int.h"

static const char *const dirs[] = { "snapshots", NULL };

static void
meta_id(const uint8_t *data, size_t size, char *id, size_t cap)
{
	const uint8_t *p = memmem(data, size, "\nid ", 4), *end = data + size;
	size_t n = 0;

	snprintf(id, cap, "fuzz");
	if (p == NULL)
		return;
	for (p += 4; p < end && n + 1 < cap && (isalnum(*p) || *p == '-' ||
	    *p == '_' || (*p == '.' && n > 0)); p++)
		id[n++] = (char)*p;
	if (n > 0)
		id[n] = '\0';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot s, *all;
	char id[40], tar[56], mtree[64], *text;
	size_t n, i;
	int sdfd;

	fz_root_init(dirs);
	text = strndup((const char *)data, size);
	if (text == NULL)
		abort();
	snapshot_init(&s, "apply");
	(void)snap_parse_meta(&s, text);
	snapshot_free(&s);
	free(text);

	meta_id(data, size, id, sizeof(id));
	snprintf(tar, sizeof(tar), "snapshots/%s.tar", id);
	snprintf(mtree, sizeof(mtree), "snapshots/%s.before.mtree", id);
	fz_put(tar, data, size, 0600);
	if ((sdfd = openat(fz_rootfd, "snapshots", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		abort();
	fz_put(mtree, "#mtree\n", 7, 0600);
	snapshot_init(&s, "apply");
	snprintf(s.id, sizeof(s.id), "%s", id);
	(void)seal_write(sdfd, &s, 0);
	snapshot_free(&s);
	if (snapshot_load(sdfd, id, &s) == 0) {
		(void)snapshot_check(sdfd, &s, NULL);
		snapshot_free(&s);
	}
	if (snapshot_list(sdfd, &all, &n) == 0) {
		for (i = 0; i < n; i++)
			snapshot_free(&all[i]);
		free(all);
	}
	close(sdfd);
	if (unlinkat(fz_rootfd, tar, 0) == -1 ||
	    unlinkat(fz_rootfd, mtree, 0) == -1)
		abort();
	snprintf(tar, sizeof(tar), "snapshots/%s.seal", id);
	(void)unlinkat(fz_rootfd, tar, 0);
	fz_fd_check();
	return 0;
}
