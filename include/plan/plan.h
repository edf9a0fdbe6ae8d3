/*
 * A plan is plain data: findings (what sshd refuses and why, with
 * evidence) and, for each, the actions that would repair it. Detectors
 * build it; the report prints it; only the executor carries it out.
 */
#ifndef SSHFIX_PLAN_H
#define SSHFIX_PLAN_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

enum severity {
	SEV_WARNING,	/* sshd runs; something it loads is refused */
	SEV_ERROR,	/* a login (or sshd itself) fails */
};

enum act_type {
	ACT_CHMOD,	/* path: old_mode -> new_mode */
	ACT_CHOWN,	/* path: old owner -> new owner */
	ACT_KEYGEN_ALL,	/* ssh-keygen -A -f ROOT */
	ACT_KEYGEN,	/* ssh-keygen -t keytype -f path */
	ACT_UNLINK,	/* remove a corrupt key (the snapshot keeps it) */
	ACT_EDIT_LINE,	/* path:line old_text -> marker + new_text;
			   old_text NULL: insert marker + new_text
			   before line (the file's line count: append) */
	ACT_ADD_KEY,	/* append text to user's authorized keys at path */
	ACT_JOIN_KEY,	/* authorized keys path: the old_text lines from
			   line on -> the one line new_text */
	ACT_MKDIR,	/* create directory path (new_mode, root:root) */
	ACT_ADD_ACCOUNT, /* append entry[i] to the account files, locked */
	ACT_COPY,	/* the regular file from -> path, which must not
			   exist: new_mode, root:root */
	ACT_RELABEL,	/* path's SELinux label old_text ("": none) ->
			   new_text, through its fd */
	ACT_UNBAN,	/* path: fail2ban's database; its bips row of
			   jail old_text and ip text removed (the ban of
			   the person's address user) */
	ACT_MANUAL,	/* a step only the person can take: text */
};

/* The account files ACT_ADD_ACCOUNT writes, in the order it writes them. */
enum acct_file { ACCT_PASSWD, ACCT_GROUP, ACCT_SHADOW, ACCT_GSHADOW,
	ACCT_NFILES };
extern const char *const acct_paths[ACCT_NFILES];
/* The keys ssh-keygen -A makes (ACT_KEYGEN_ALL). */
#define NDEFAULT_HOST_KEYS	3
extern const char *const default_host_keys[NDEFAULT_HOST_KEYS];

struct action {
	enum act_type	 type;
	char		*path;
	mode_t		 old_mode, new_mode;
	uid_t		 old_uid, new_uid;
	gid_t		 old_gid, new_gid;
	char		*keytype;
	size_t		 line;		/* 0-based, ACT_EDIT_LINE, ACT_JOIN_KEY */
	size_t		 keyspan;	/* ACT_JOIN_KEY: the lines joined */
	char		*old_text;
	char		*new_text;
	char		*text;		/* ACT_MANUAL note, ACT_ADD_KEY key */
	char		*from;		/* ACT_COPY source, in the target */
	char		*user;		/* ACT_ADD_KEY owner, ACT_ADD_ACCOUNT name */
	char		*entry[ACCT_NFILES]; /* ACT_ADD_ACCOUNT lines, or NULL */
	int		 temporary;	/* undo with --rollback once in */
};

struct evidence {
	char	*key;
	char	*value;
};

/*
 * What the image's own agents (cloud-init, a cloud guest agent) will do
 * at a boot to something an action changes: the fix may be undone.
 */
struct boot_undo {
	char	*by;		/* "cloud-init", "google-guest-agent", ... */
	int	 next_boot;	/* 1: the next boot; 0: a new instance's first */
	char	*what;		/* what it does */
	char	*keep;		/* what to set to keep the fix */
};

struct fault;
struct cfg_entry;

struct finding {
	const struct fault *fault;
	enum severity	 sev;
	char		*subject;	/* a path, an account, a keyword */
	char		*message;	/* why sshd refuses it */
	char		*logline;	/* what sshd logs */
	struct evidence	*ev;
	size_t		 nev;
	struct action	*act;
	size_t		 nact;
	struct boot_undo *undo;		/* src/plan/cloudwarn.c */
	size_t		 nundo;

	/* Facts the fault's planner works from. */
	char		*path;
	struct stat	 st;
	char		*user;
	uid_t		 user_uid;
	gid_t		 user_gid;
	const struct cfg_entry *entry;
	int		 kind;
	char		*aux;		/* fault-specific: a key type */
};

struct plan {
	struct finding	*f;
	size_t		 n;
};

struct finding *plan_add_finding(struct plan *, const struct fault *,
	    enum severity, const char *subject);
void	finding_set_message(struct finding *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	finding_set_logline(struct finding *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	finding_add_evidence(struct finding *, const char *key,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
/* A boot_undo for F, unless one with the same BY and WHAT is there. */
void	finding_add_undo(struct finding *, const char *by, int next_boot,
	    const char *keep, const char *what, ...)
	    __attribute__((format(printf, 5, 6)));

struct action *finding_add_action(struct finding *, enum act_type,
	    const char *path);
void	plan_add_chmod(struct finding *, const char *path, mode_t from,
	    mode_t to);
void	plan_add_chown(struct finding *, const char *path, uid_t, gid_t,
	    uid_t, gid_t);
/* PATH's security.selinux OLD ("" when it has none) -> NEW. */
void	plan_add_relabel(struct finding *, const char *path, const char *old,
	    const char *new_label);
void	plan_add_edit(struct finding *, const char *path, size_t line,
	    const char *old_text, const char *new_text, int temporary);
/* Remove fail2ban's row of JAIL and IP (which bans FROM, the person's
   address) from its database DB (ACT_UNBAN). */
void	plan_add_unban(struct finding *, const char *db, const char *jail,
	    const char *ip, const char *from);
void	plan_add_manual(struct finding *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * The manual step FMT when a word of its command, BAD, is not shell-safe
 * (sh_cmd() refused it): the step and the word are named, and no command
 * is given.
 */
void	plan_add_unsafe(struct finding *, const char *bad, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/* Does any action of the plan already touch PATH in this way? */
int	plan_has_action(const struct plan *, enum act_type, const char *path);
/* Is the same line edit (PATH, LINE, NEW_TEXT) already planned? */
int	plan_has_edit(const struct plan *, const char *path, size_t line,
	    const char *new_text);

void	plan_free(struct plan *);
/* Is a finding of P one that stands alone (no sshd to judge)? */
int	plan_alone(const struct plan *);

/* The marker line kept above every edited config line (OLD_TEXT NULL:
   above an added one). */
char	*edit_marker(const char *path, const char *old_text, time_t now);

/* Has the plan anything sshfix can carry out itself? */
int	plan_is_automatic(const struct finding *);
/*
 * Every file action A may write (NULL-terminated, free_strv): what the
 * JSON plan lists and the snapshot must hold. ssh-keygen -A's keys are
 * all named: it writes those missing.
 */
char	**action_writes(const struct action *a);

/*
 * Is F a finding of the fault with id ID ("access-list", "hostkey-perms":
 * the ids are public and stable)? The plan knows a fault by its id, never
 * by its descriptor (fixes/, a layer above).
 */
int	finding_is(const struct finding *, const char *id);

#endif
