/*
 * The repairs of access-list findings (src/plan/access_repair.c), the
 * planner of the access-list detector (fixes/access_list.c). The lists
 * themselves, as sshd applies them, are the model's
 * (target/login/access.h).
 */
#ifndef SSHFIX_ACCESSLIST_H
#define SSHFIX_ACCESSLIST_H

struct target;
struct plan;
struct finding;

/* finding->kind: the list (L_*, target/login/access.h), | K_MAYBE when
   the address decides, | K_NOGROUP when the account is in no group at
   all. */
#define K_MAYBE		0x10
#define K_NOGROUP	0x20

/* The repair of an access-list finding. */
void	access_plan(struct target *, struct plan *, struct finding *);

#endif
