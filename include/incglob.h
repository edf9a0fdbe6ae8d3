/*
 * glob(3) for Include patterns, run inside a target root: glob's directory
 * access is routed through safefs (GLOB_ALTDIRFUNC), so a pattern never
 * leaves the root and never follows a symlink a user planted.
 */
#ifndef SSHFIX_INCGLOB_H
#define SSHFIX_INCGLOB_H

#include <stddef.h>

/*
 * PATTERN is absolute inside the root. Results sorted bytewise. A
 * directory that exists but cannot be listed (glob would pass it over as
 * empty) is noted in UNREAD (may be NULL), and so is a glob that listed
 * more than GLOB_MAX_ENTRIES entries (budget.h): the rest are not seen.
 */
struct unread_list;
int	incglob(int rootfd, const char *pattern, char ***paths, size_t *n,
	    struct unread_list *unread);
void	incglob_free(char **, size_t);
/*
 * Add PATH (a file that may not exist yet: an overlay) to the sorted
 * results of PATTERN when glob would list it there and it is not yet.
 */
void	incglob_add(const char *pattern, const char *path, char ***paths,
	    size_t *n);

#endif
