/*
 * The PAM modules a service loads: ROOT/etc/pam.d/SERVICE read the way
 * Linux-PAM's pam_handlers.c reads it (comments, backslash continuation,
 * "[...]" controls, "@include FILE", the include and substack controls,
 * a leading '-' on the type), and where each module would be found.
 */
#ifndef SSHFIX_PAMSTACK_H
#define SSHFIX_PAMSTACK_H

#include <stddef.h>

struct unread_list;

struct pam_mod {
	char	*module;	/* as written: pam_unix.so or a path */
	char	*type;		/* auth, account, session, password */
	char	*control;	/* as written */
	char	*file;		/* /etc/pam.d/... */
	size_t	 line;		/* 1-based, where the line starts */
	int	 silent;	/* '-type': libpam does not log it missing */
	int	 fatal;		/* missing, it fails its stack */
};

struct pam_stack {
	struct pam_mod	*m;
	size_t		 n;
	int		 exists;	/* ROOT/etc/pam.d/SERVICE exists */
};

void	pamstack_load(int rootfd, const char *service, struct pam_stack *,
	    struct unread_list *);
/* Parse a buffer of FILE (tests and the fuzzer); includes are read. */
void	pamstack_parse(int rootfd, const char *file, char *data, size_t len,
	    struct pam_stack *, struct unread_list *);
void	pamstack_free(struct pam_stack *);

/* The PAM module directories of Debian and RHEL, NULL-terminated. */
extern const char *const pam_module_dirs[];

#endif
