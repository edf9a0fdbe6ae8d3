/*
 * Would the target's dynamic loader start a program? Its ELF file, its
 * PT_INTERP loader and every DT_NEEDED library, recursively, looked up
 * the way ld.so does (DT_RPATH, DT_RUNPATH, ld.so.conf with its include
 * globs, the default directories), all inside the target root, without
 * running anything.
 */
#ifndef SSHFIX_BINLIBS_H
#define SSHFIX_BINLIBS_H

#include <stddef.h>

struct unread_list;

/* The directories of ROOT/etc/ld.so.conf and its includes, in order. */
struct ldconf {
	char	**dirs;
	size_t	  n;
	int	  partial;	/* a budget left some unread */
};

void	ldconf_load(int rootfd, struct ldconf *, struct unread_list *);
void	ldconf_free(struct ldconf *);

struct libmiss {
	char	*name;		/* DT_NEEDED as written, or the loader path */
	char	*by;		/* the object that needs it */
	char	*searched;	/* "dir1:dir2..." ld.so would have looked in */
};

struct bincheck {
	int		 present;	/* the program file exists */
	struct libmiss	*miss;
	size_t		 nmiss;
	int		 libwrap;	/* links libwrap (tcp_wrappers) */
	size_t		 nobjects;	/* objects read, the program included */
};

/*
 * Check PATH (absolute inside the root). Returns 0 (the verdict is in
 * *bc), or -1 when the program file exists but could not be read: then
 * nothing can be said. A library that could not be looked up for sure
 * ($LIB in a run path, a symlink safefs refuses, an unreadable file) is
 * not reported missing.
 */
int	bincheck_run(int rootfd, const struct ldconf *, const char *path,
	    struct bincheck *, struct unread_list *);
void	bincheck_free(struct bincheck *);

#endif
