/*
 * AllowUsers, DenyUsers, AllowGroups and DenyGroups as sshd applies them
 * (auth.c allowed_user): shared by the access-list detector
 * (fixes/access_list.c) and its repairs (src/plan/access_repair.c).
 */
#ifndef SSHFIX_ACCESSLIST_H
#define SSHFIX_ACCESSLIST_H

#include "target/config/config.h"

struct target;
struct plan;
struct finding;

/* The lists in the order sshd applies them. */
enum { L_DENY_USERS, L_ALLOW_USERS, L_DENY_GROUPS, L_ALLOW_GROUPS, L_N };
/* finding->kind: the list, | K_MAYBE when the address decides, |
   K_NOGROUP when the account is in no group at all. */
#define K_MAYBE		0x10
#define K_NOGROUP	0x20

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

/* The repair of an access-list finding. */
void	access_plan(struct target *, struct plan *, struct finding *);

#endif
