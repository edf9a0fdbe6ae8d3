/*
 * What one account can use to log in, as sshd would judge it: shared by
 * auth-lockout (no way in at all), auth-methods (AuthenticationMethods
 * asks for more than the account has), key-refused (the lines of its
 * authorized keys files sshd will not use), root-login, access-list
 * (AllowUsers, DenyUsers, AllowGroups, DenyGroups) and its repairs.
 * Implemented in src/target/login/access.c.
 */
#ifndef SSHFIX_ACCESS_H
#define SSHFIX_ACCESS_H

#include "target/login/login.h"
#include "util.h"

struct access {
	int	keys;		/* keys found, or a source we cannot read */
	int	bad_token;
	int	key_ok;		/* pubkey login can work */
	int	pw_ok;		/* password or keyboard-interactive can */
	int	pwd_ok;		/* the "password" method alone can */
	int	kbd_ok;		/* "keyboard-interactive" (PAM) can */
	int	pw_hash;	/* a usable password hash */
	const struct cfg_entry *pw_entry, *prl_entry, *pk_entry;
	const struct cfg_entry *pw_maybe;	/* a Match we cannot judge */
	const char *other;	/* a way in sshfix cannot check, or NULL */
	int	key_distinct;	/* different keys sshd would take, counted
				   when a list names publickey more than
				   once (sshd refuses a key used before);
				   -1 cannot tell (a command, a file not
				   read), 0 not counted */
	struct sbuf files;
};

/* How many words of the comma-separated LIST are METHOD. */
int	access_list_count(const char *list, const char *method);

/* Judge L's account; free X->files (sbuf_free) afterwards. */
void	auth_assess(struct target *, const struct login *, struct access *);

/*
 * Would a password alone (password or keyboard-interactive) satisfy the
 * AuthenticationMethods in effect for CTX? If not, *where (malloc'd) names
 * the deciding line.
 */
int	authmethods_password_alone(struct target *, const struct match_ctx *,
	    char **where);

/*
 * sshd's platform_locked_account when UsePAM is off (auth.c allowed_user):
 * LOCK_EXPIRED an account past its shadow expiry, LOCK_BANG a hash
 * starting with "!", else 0 (and always 0 under UsePAM yes: PAM judges).
 */
enum { LOCK_EXPIRED = 1, LOCK_BANG };
int	account_locked_nopam(struct target *, const struct account *);

/* The PermitRootLogin value of E, the deciding entry (NULL: default). */
const char *permit_root_value(const struct cfg_entry *e);
/* Does PermitRootLogin PRL refuse root's keys (no, forced-commands-only)? */
int	permit_root_refuses_keys(const char *prl);

/*
 * Under PermitRootLogin PRL, may a uid 0 account's keys (L) get in
 * because PRL is forced-commands-only and a key may carry command=?
 * (root-login; auth-lockout asks it too.)
 */
int	root_forced_keys_ok(struct target *, const struct login *,
	    const char *prl);

/* Why sshd refuses one line of an authorized keys file. */
enum { KR_WRAPPED, KR_BADKEY, KR_EXPIRED, KR_FROM, KR_FROM_UNKNOWN, KR_TYPE,
    KR_RSA512, KR_TYPE_UNKNOWN, KR_BADOPT, KR_REVOKED, KR_REVOKED_ALL,
    KR_REVOKED_UNKNOWN, KR_RSASIZE };

struct keyalg_why;

/* Would sshd take a key of TYPE for L (-1), or refuse it (KR_*)? */
int	keytype_verdict(struct target *, const struct login *,
	    const char *type, struct keyalg_why *);
/*
 * Would sshd refuse line K (KR_*), or use it (-1)? *addr: the first
 * --from address a from= refuses (KR_FROM), the option sshd does not
 * know (KR_BADOPT, when it is a name), the RevokedKeys file (KR_REVOKED:
 * it lists the key; KR_REVOKED_ALL: it does not exist, and every key is
 * refused; KR_REVOKED_UNKNOWN: a KRL sshfix cannot read), else NULL.
 */
int	keyline_verdict(struct target *, const struct login *,
	    const struct keyline *k, const char **addr, struct keyalg_why *);

/*
 * How many keys of an authorized keys file sshd would use for the login
 * (key-refused's verdict per line: not expired, from= not refusing every
 * --from, a type sshd accepts for the account), or
 * will use once sshfix re-joins a wrapped one.
 */
int	keyfile_usable(struct target *, const struct login *,
	    const struct keyfile *);
/* Does the account keep a key sshd would use now (no re-join)? */
int	login_keys_usable(struct target *, const struct login *);
/*
 * The same, and sure of it: 1 a key sshd certainly takes, 0 none, -1
 * only keys sshfix cannot judge: *WHY the first such line's verdict
 * (KR_TYPE_UNKNOWN: a release the table has no rule for; KR_FROM_UNKNOWN:
 * from= and no --from), *KF and *K where it is.
 */
int	login_keys_sure(struct target *, const struct login *, int *why,
	    const struct keyfile **kf, const struct keyline **k);

/* The access lists in the order sshd applies them. */
enum { L_DENY_USERS, L_ALLOW_USERS, L_DENY_GROUPS, L_ALLOW_GROUPS, L_N };

enum kw	access_kw(int list);
/* One AllowUsers/DenyUsers word for USER at CTX's address (MAYBE: the
   word has a host part and the address or its name is unknown). */
enum tri access_user_word(const char *user, const struct match_ctx *,
	    const char *word);
/* Does one AllowGroups/DenyGroups word match one of GROUPS? */
int	access_group_word(const char *const *groups, const char *word);
/*
 * Does LIST refuse CTX's user (YES), with *e the deciding entry (the last
 * for an Allow list) and *w the deciding word; MAYBE when a USER@HOST
 * word decides and the address is unknown.
 */
enum tri access_judge(const struct cfg *, int list,
	    const struct match_ctx *, const struct cfg_entry **e,
	    const char **w);

/* What one account meets in each list, over every --from address. */
struct access_lists {
	enum tri	 r[L_N];
	const struct cfg_entry *e[L_N];
	const char	*w[L_N];
	struct sbuf	 addrs[L_N];	/* the --from addresses it fails */
	const char	*host[L_N];	/* the first, as sshd logs it */
	int		 nogroup;	/* no group at all (ga_init) */
};

/*
 * Judge every list for BASE's account at each --from address (auth.c
 * allowed_user; an account in no group is refused at DenyGroups' place
 * whenever a group list is set); free with access_lists_free.
 */
void	access_lists(struct target *, const struct match_ctx *base,
	    struct access_lists *);
void	access_lists_free(struct access_lists *);
/* Why list L refuses, in sshd's words (its log line's end). */
const char *access_list_why(int l, int nogroup);
/* The first list that refuses (YES) for certain, else -1. */
int	access_lists_refused(const struct access_lists *);

#endif
