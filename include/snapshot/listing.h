/*
 * --list and --prune (src/snapshot/listing.c).
 */
#ifndef SSHFIX_LISTING_H
#define SSHFIX_LISTING_H

#include "run.h"
#include "target/target.h"

/* --list: the snapshots of the root, in text or JSON. */
enum outcome list_run(struct target *, const struct run_opts *);
/* Remove old snapshots: all but the KEEP newest and those still needed. */
enum outcome prune_run(struct target *, const struct run_opts *);

#endif
