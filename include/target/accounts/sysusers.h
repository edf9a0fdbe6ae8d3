/*
 * The target's sysusers.d(5): how systemd-sysusers would create a system
 * account, for a repair that re-adds one the way its package did.
 */
#ifndef SSHFIX_TARGET_SYSUSERS_H
#define SSHFIX_TARGET_SYSUSERS_H

/* A "u" line; an unset field ("-") is NULL. */
struct sysuser {
	char	*id;	/* "-" unset: NULL; else "UID", "UID:GROUP", "-:GROUP"
			   or a path */
	char	*gecos;
	char	*home;
	char	*shell;
	char	*file;	/* where it was found */
};

/*
 * The first "u" (or "u!") line for NAME in the target's sysusers.d, read
 * in systemd-sysusers' order: files named *.conf in /etc/sysusers.d,
 * /run/sysusers.d, /usr/local/lib/sysusers.d and /usr/lib/sysusers.d, a
 * name in an earlier directory hiding the same name in a later one, all
 * in name order. 1 found, 0 not, -1 a file could not be read (errno).
 */
int	sysusers_find(int rootfd, const char *name, struct sysuser *);
void	sysuser_free(struct sysuser *);

#endif
