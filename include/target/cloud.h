/*
 * The image's own agents that change sshd's files at a boot: cloud-init
 * (src/target/cloudinit.c) and the clouds' guest agents. Read from the
 * target root only; src/plan/cloudwarn.c (plan/cloudwarn.h) says which
 * actions they undo.
 */
#ifndef SSHFIX_CLOUD_H
#define SSHFIX_CLOUD_H

#include "target/target.h"

enum cloud_run {
	RUN_NEVER,		/* disabled, or not in any module list */
	RUN_NEW_INSTANCE,	/* per-instance, has run for this one */
	RUN_NEXT_BOOT,		/* has not run for this instance, or always */
};

/* A cloud-config key: its value and where it was set (file:line). */
struct cloud_key {
	int	 val;		/* 1 true, 0 false, -1 unset or other */
	char	*where;		/* NULL: cloud-init's default */
};

struct cloudinit {
	int		 present;	/* installed, not disabled */
	struct cloud_key pwauth;	/* ssh_pwauth (-1: unchanged) */
	struct cloud_key deletekeys;	/* ssh_deletekeys (default true) */
	struct cloud_key disable_root;	/* disable_root (default true) */
	char		*genkeytypes;	/* ssh_genkeytypes, "rsa ecdsa
					   ed25519" by default */
	enum cloud_run	 pw_run;	/* the set_passwords module */
	enum cloud_run	 ssh_run;	/* the ssh module */
	char		*pw_file;	/* the file set_passwords rewrites */
	struct {			/* system_info: default_user: name: */
		char	*name;		/* NULL: not set */
		char	*where;		/* file:line */
	} default_user;
};

/* Read ROOT/etc/cloud and ROOT/var/lib/cloud. Never fails: what cannot
 * be read counts as absent. */
void	cloudinit_read(struct target *, struct cloudinit *);
void	cloudinit_free(struct cloudinit *);

#endif
