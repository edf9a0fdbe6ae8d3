/*
 * AuthenticationMethods as sshd evaluates it for one login (auth2.c): a
 * login gets in when every method of any one list succeeds; a list naming
 * a method turned off is skipped. Shared by the access table
 * (target/login/people.c) and auth-methods. Implemented in
 * src/target/login/methods.c.
 */
#ifndef SSHFIX_METHODS_H
#define SSHFIX_METHODS_H

#include "target/login/access.h"
#include "util.h"

enum { M_NO, M_YES, M_UNKNOWN };

/* Is METHOD turned off for CTX (NULL: globally)? Unknown ones are not. */
int	method_off(struct target *, const struct match_ctx *, const char *m);
/* Can the account (X) make METHOD, one word of a list, succeed? */
int	method_ok(const struct access *x, const char *m);
/*
 * One list ("publickey,password"): M_YES when every method can succeed
 * for X (X NULL: every method taken as possible), M_NO, or M_UNKNOWN (a
 * method sshfix cannot check). A list naming publickey N times needs N
 * different keys (X->key_distinct): sshd refuses a key used before.
 * *off |= a method of it is off for CTX; WHY (if empty) gets the first
 * method that cannot.
 */
int	methods_list_ok(struct target *, const struct match_ctx *,
	    const struct access *x, const char *list, int *off,
	    struct sbuf *why);

/*
 * The ways in the AuthenticationMethods in effect for L leaves the account
 * (X): -1 when no list applies (none set, "any", or a Match sshfix cannot
 * judge): the single methods decide. Else M_YES with WAYS the lists that
 * succeed ("publickey,password+publickey": "+" joins a list's methods),
 * M_NO (WAYS empty), or M_UNKNOWN (only a list sshfix cannot check could).
 * *E: the deciding entry.
 */
int	methods_ways(struct target *, const struct login *,
	    const struct access *x, struct sbuf *ways,
	    const struct cfg_entry **e);

/*
 * E is "AuthenticationMethods any" of a Match block: does this sshd take
 * "any" as a method's name (REL_AUTHMETHODS_ANY_KEPT) and refuse the
 * login? M_YES, M_NO or M_UNKNOWN (a release the table does not know).
 */
int	methods_any_kept(struct target *, const struct cfg_entry *e);
/*
 * Does sshd (a release before 9.7: REL_AUTHMETHODS_ANY_FIRST) close every
 * connection of CTX with '"any" must appear alone in
 * AuthenticationMethods'? For a connection it reads the Match blocks
 * again, global lines not applied: "any" on any line (matching or not)
 * after a matching block's list was taken is fatal. M_YES with *E the
 * "any" line, M_NO, or M_UNKNOWN (a release the table does not know, or a
 * Match sshfix cannot judge decides it).
 */
int	methods_any_dies(struct target *, const struct match_ctx *,
	    const struct cfg_entry **e);

/*
 * MaxAuthTries 0 (or less: 7.4 reads "many" as 0) for CTX: auth2.c
 * counts the first request ("none") against it and disconnects before
 * any key or password is tried. M_YES with *E the deciding line, M_NO,
 * or M_UNKNOWN (a Match block sshfix cannot judge could set it, or a
 * release the table does not know reads the value).
 */
int	methods_no_tries(struct target *, const struct match_ctx *,
	    const struct cfg_entry **e);

#endif
