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
 * method sshfix cannot check). *off |= a method of it is off for CTX;
 * WHY (if empty) gets the first method that cannot.
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

#endif
