/*
 * Which installed package ships a file, from the target's own package
 * database. Debian only: ROOT/var/lib/dpkg/info/PKG.list names every
 * path of PKG. The rpm database cannot be read without librpm.
 */
#ifndef SSHFIX_PKGOWNER_H
#define SSHFIX_PKGOWNER_H

#include "budget.h"

struct unread_list;

/* The run's budget for the lists (budget.h). */
#define DPKG_INFO	"/var/lib/dpkg/info"
#define DPKG_BUDGET	BUDGET(DPKG_INFO "/*.list", DPKG_LIST_MAX,	\
	    DPKG_MAX_LISTS, DPKG_MAX_BYTES)

/*
 * The package whose list holds NAME in one of DIRS (NULL-terminated;
 * /usr-merged twins match: /lib/x and /usr/lib/x are one file), or NULL.
 * NAME alone (no DIRS): any directory. Returns an allocated string. The
 * lists are read within B (budget.h's DPKG_*, one for the run: each
 * asking reads them all): when none was the owner and one was left
 * unread, UNREAD says so.
 */
char	*dpkg_owner(int rootfd, const char *name, const char *const *dirs,
	    struct budget *b,
	    struct unread_list *unread);
/* Does the target's dpkg database list package PKG as installed? */
int	dpkg_has(int rootfd, const char *pkg);
/*
 * Does /var/lib/dpkg/status say PKG is installed (its Status ends
 * "installed")? 1 yes, 0 no (absent, removed, config-files), -1 no
 * status file that can be read.
 */
int	dpkg_status_installed(int rootfd, const char *pkg);
/* Does the target say openssh-server is installed (dpkg, or a unit)? */
int	sshd_installed(int rootfd);

#endif
