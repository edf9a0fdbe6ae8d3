/*
 * The target's accounts, read from ROOT/etc/passwd, group and shadow with
 * fgetpwent/fgetgrent/fgetspent: never the host's NSS. passwd is streamed,
 * not loaded; groups are indexed once, on first use.
 */
#ifndef SSHFIX_ACCOUNTS_H
#define SSHFIX_ACCOUNTS_H

#include <pwd.h>
#include <stdio.h>
#include <stddef.h>
#include <sys/types.h>

struct account {
	char	*name;
	uid_t	 uid;
	gid_t	 gid;
	char	*home;
	char	*shell;
	char	*passwd;	/* the passwd file's second field */
};

struct group_ent {
	char	*name;
	gid_t	 gid;
	char	**mem;		/* NULL-terminated */
	size_t	 order;		/* line order: duplicates resolve to the first */
};

/*
 * Lookups stream their file for the first few questions (a diagnosis of
 * one --user asks only those, and never holds a structure per line of a
 * million-line file); from the ninth on, the file is indexed once, so
 * that nothing is quadratic on hosts with many accounts.
 */
#define ACCOUNTS_STREAMED	8

struct unread_list;

enum acc_file { ACC_PASSWD, ACC_GROUP, ACC_SHADOW };

struct accounts {
	int		  rootfd;
	struct unread_list *unread;	/* where unreadable files are noted */
	struct group_ent  gcache[ACCOUNTS_STREAMED];	/* streamed groups */
	size_t		  ngcache;
	int		  group_lookups;
	int		  uid_lookups;
	int		  pgid_lookups;
	char		**names;	/* streamed names, freed at close */
	size_t		  nnames;
	struct group_ent *groups;	/* sorted by gid */
	size_t		  ngroups;
	int		  groups_loaded;
	struct gmember	 *members;	/* (member name, group), by name */
	size_t		  nmembers;
	struct pgid	 *pgids;	/* primary gid -> its users */
	size_t		  npgids;
	int		  pgids_loaded;
	struct uidname	 *uids;		/* uid -> first name */
	size_t		  nuids;
	int		  uids_loaded;
	struct homename	 *homes;	/* home -> its accounts */
	size_t		  nhomes;
	int		  homes_loaded;
	int		  home_lookups;
	struct spoff	 *shadow;	/* name -> offset in shadow */
	size_t		  nshadow;
	int		  shadow_lookups;
	int		  shadow_loaded;
	int		  refused[3];	/* over a budget: not read again */
};

/*
 * An account file under the root, for fgetpwent and friends; NULL+errno
 * (EFBIG: larger than ACC_MAX_FILE, budget.h).
 */
FILE	*accounts_fopen(int rootfd, const char *path);
/* The same for A's passwd, group or shadow: EFBIG when a budget of
   accounts_open left it unread. */
FILE	*accounts_file(struct accounts *a, enum acc_file);

/*
 * Check DIR/etc/passwd, group and shadow parse: a line that is not an
 * entry is an error naming the file and line (exit 2). passwd must exist
 * and be readable; a group or shadow that exists but cannot be read is
 * noted in UNREAD (may be NULL). Budgets (budget.h ACC_*): a passwd over
 * ACC_MAX_FILE or with a line over ACC_MAX_LINE is an error; a group or
 * shadow over one is noted in UNREAD and not read again; passwd's
 * entries past ACC_MAX_ENTRIES are noted and never streamed.
 */
int	accounts_open(struct accounts *, int rootfd,
	    struct unread_list *unread);

/*
 * One line (no newline) of an account file is an entry: the file's
 * number of fields, a name, digits where a number goes (NIS "+"/"-"
 * lines excepted; shadow's numbers may be empty), no NUL or control
 * character.
 */
int	accounts_line_valid(enum acc_file, const char *line, size_t n);
void	accounts_close(struct accounts *);

void	account_copy(struct account *, const struct passwd *);
void	account_dup(struct account *, const struct account *);
void	account_free(struct account *);

/* Stream passwd; CB returns non-zero to stop (that value is returned). */
int	accounts_foreach(struct accounts *,
	    int (*cb)(const struct passwd *, void *), void *);
/* 0 found, 1 not found, -1 error. */
int	accounts_getpwnam(struct accounts *, const char *, struct account *);
int	accounts_getpwuid(struct accounts *, uid_t, struct account *);
/* The name of UID (the first passwd line), or NULL. */
const char *accounts_uid_name(struct accounts *, uid_t);
/*
 * The first account (passwd order) whose home is HOME and whose uid is
 * not UID, or NULL: another account that logs in through that home.
 */
const char *accounts_home_other(struct accounts *, const char *home,
	    uid_t uid);

const struct group_ent *accounts_getgrgid(struct accounts *, gid_t);
const struct group_ent *accounts_getgrnam(struct accounts *, const char *);
/*
 * Names of the groups of an account, primary first, NULL-terminated;
 * free with free() (one allocation).
 */
const char **accounts_user_groups(struct accounts *, const struct account *);

/*
 * How many passwd entries have GID as primary group, and whether all of
 * them have uid UID (Debian's group-write rule).
 */
int	accounts_primary_only(struct accounts *, gid_t gid, uid_t uid,
	    unsigned *count);

/*
 * The password hash from shadow (or passwd); NULL if none. Caller frees.
 * *unknown is set when shadow exists but cannot be read.
 */
char	*accounts_password_hash(struct accounts *, const struct account *,
	    int *unknown);

/*
 * The same, and the shadow entry's expiry day (days since 1970; -1 when
 * none is set, or the hash is not in shadow).
 */
char	*accounts_shadow(struct accounts *, const struct account *,
	    long *expire, int *unknown);

/* A hash that could authenticate: not empty, not locked ("!", "*"). */
int	password_usable(const char *hash);

/* Login shells: not nologin/false. An empty field is /bin/sh. */
int	shell_allows_login(const char *shell);

#endif
