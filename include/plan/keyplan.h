/*
 * The repairs that let an account's keys in, shared by auth-lockout and
 * key-offered (src/plan/keyplan.c).
 */
#ifndef SSHFIX_KEYPLAN_H
#define SSHFIX_KEYPLAN_H

#include "plan/plan.h"
#include "target/target.h"

/*
 * Set E's keyword to TEXT where it takes effect: at the deciding line E,
 * or, when only the default applies (E NULL), as a new first line of the
 * main file (before any Include, so that it wins).
 */
void	plan_set_value(struct target *, struct finding *,
	    const struct cfg_entry *e, const char *text, int temporary);
/* Let A's keys in: PubkeyAuthentication, and prohibit-password for root. */
void	plan_open_keys(struct target *, struct finding *,
	    const struct account *a, const struct match_ctx *);
/* Install KEYS (lines, NULL-terminated) for A in its first keys file,
   and let them in (plan_open_keys). */
void	plan_add_keys(struct target *, struct finding *,
	    const struct account *a, const struct match_ctx *,
	    const char *const *keys);

#endif
