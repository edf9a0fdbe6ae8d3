/*
 * What one pass learns about one account, shared by every detector that
 * looks at accounts, so that each account's files are read once: its
 * home, and for each effective authorized keys file the file itself, the
 * directories between it and the home, and how many keys sshd would read.
 * Walks from the home's fd one component at a time with O_NOFOLLOW.
 */
#ifndef SSHFIX_LOGIN_H
#define SSHFIX_LOGIN_H

#include <sys/stat.h>

#include "target/keys/keylines.h"
#include "target/target.h"

struct ldir {
	char		*path;
	struct stat	 st;
};

struct keyfile {
	char		*path;		/* absolute inside the root */
	int		 in_home;
	int		 err;		/* 0 found (st valid), else errno */
	struct stat	 st;		/* the file itself, not followed */
	int		 nkeys;		/* -1: not readable by us (unknown) */
	int		 read_err;	/* why, noted in target->unread; 0
					   for a user's symlink (refused) */
	struct ldir	*dirs;		/* below the home, file's first */
	size_t		 ndirs;
	struct keylines	 kl;		/* lines sshd refuses or limits, when
					   read (nkeys != -1) */
	char		*real;		/* reached through a symlink: the file
					   sshd reads, inside the root */
	struct stat	 real_st;	/* real's, from the fd read */
	struct ldir	*rdirs;		/* real's directories, each checked
					   to hold the one below it: up to
					   the home (included) or "/" */
	size_t		 nrdirs;
	char		*refused;	/* why sshd takes no key from that
					   link (StrictModes on the real path,
					   unreadable by the user), or NULL */
};

struct login {
	const struct account *a;
	struct match_ctx ctx;
	int		 home_err;	/* 0: home_st is the home directory */
	struct stat	 home_st;
	struct keyfile	*kf;
	int		 nkf;		/* -1: AuthorizedKeysFile bad %-token */
};

int	login_load(struct target *, const struct account *, struct login *);
void	login_free(struct login *);

#endif
