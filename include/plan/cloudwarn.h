/*
 * Before a fix is undone at a boot: the plan's actions against what the
 * image's own agents (cloud-init, the clouds' guest agents; read by
 * src/target/cloudinit.c, target/cloud.h) will do. Implemented in
 * src/plan/cloudwarn.c; the registry calls it after every planner.
 */
#ifndef SSHFIX_CLOUDWARN_H
#define SSHFIX_CLOUDWARN_H

struct target;
struct plan;

/* Attach to every finding the boot_undo its actions meet. */
void	cloud_warn(struct target *, struct plan *);

#endif
