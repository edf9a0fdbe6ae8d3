/*
 * The programs sshd execs for each connection, as the binary names them:
 * OpenSSH 9.8 split the per-connection code into sshd-session, 10.0 the
 * pre-authentication code into sshd-auth. Their paths are compiled in
 * (servconf.c's _PATH_SSHD_SESSION and _PATH_SSHD_AUTH, the build's
 * libexecdir: /usr/lib/openssh on Debian, /usr/libexec/openssh on RHEL)
 * and overridden by SshdSessionPath and SshdAuthPath. At start sshd
 * stats both and exits "P does not exist or is not executable" (sshd.c);
 * sshd -t stops before that check. An sshd older than 9.8 carries neither
 * string: no helper to check.
 */
#ifndef SSHFIX_HELPERS_H
#define SSHFIX_HELPERS_H

#include <stddef.h>

enum sshd_helper {
	HELPER_SESSION,		/* sshd-session (9.8 and later) */
	HELPER_AUTH,		/* sshd-auth (10.0 and later) */
	HELPER__COUNT
};

/*
 * Where distributions put sshd-session (NULL-terminated): asked when
 * sshd's binary could not be read for the paths compiled into it.
 */
#define HELPER_NSESSION_BINS	2
extern const char *const helper_session_bins[HELPER_NSESSION_BINS + 1];

/* "sshd-session", "sshd-auth". */
const char *helper_name(enum sshd_helper);
/* Its keyword: "SshdSessionPath", "SshdAuthPath". */
const char *helper_keyword(enum sshd_helper);

/*
 * The absolute path of each helper compiled into the sshd binary D (LEN
 * bytes; hostile): the first NUL-delimited string of printable path
 * characters, starting with '/', ending "/sshd-session" (or "/sshd-auth"),
 * at most HELPER_PATH_MAX bytes. PATHS[h] is NULL when there is none;
 * free them.
 */
void	helper_paths_in(const char *d, size_t len,
	    char *paths[HELPER__COUNT]);

#endif
