/*
 * The helper paths compiled into sshd: see include/target/binary/helpers.h.
 *
 * MUST: the binary is hostile. The scan stays inside D[0..LEN), takes a
 * string only whole between two NULs (or the start), printable, and caps
 * its length.
 */
#include <string.h>

#include "budget.h"
#include "target/binary/helpers.h"
#include "util.h"

const char *const helper_session_bins[HELPER_NSESSION_BINS + 1] = {
	"/usr/lib/openssh/sshd-session", "/usr/libexec/openssh/sshd-session",
	NULL,
};

static const char *const names[HELPER__COUNT] = {
	[HELPER_SESSION] = "sshd-session",
	[HELPER_AUTH] = "sshd-auth",
};
static const char *const keywords[HELPER__COUNT] = {
	[HELPER_SESSION] = "SshdSessionPath",
	[HELPER_AUTH] = "SshdAuthPath",
};

const char *
helper_name(enum sshd_helper h)
{
	return names[h];
}

const char *
helper_keyword(enum sshd_helper h)
{
	return keywords[h];
}

/* Is S[0..N) a path ending "/NAME", and nothing else? */
static int
is_path_to(const char *s, size_t n, const char *name)
{
	size_t k = strlen(name), i;

	if (n < k + 1 || n >= HELPER_PATH_MAX || s[0] != '/' ||
	    s[n - k - 1] != '/' || memcmp(s + n - k, name, k) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return 0;
	return 1;
}

void
helper_paths_in(const char *d, size_t len, char *paths[HELPER__COUNT])
{
	const char *p = d, *end = d + len, *nul;
	size_t h;

	for (h = 0; h < HELPER__COUNT; h++)
		paths[h] = NULL;
	while (p < end && (nul = memchr(p, '\0', (size_t)(end - p)))) {
		for (h = 0; h < HELPER__COUNT; h++) {
			if (paths[h] != NULL)
				continue;
			if (is_path_to(p, (size_t)(nul - p), names[h]))
				paths[h] = xstrndup(p, (size_t)(nul - p));
		}
		p = nul + 1;
	}
}
