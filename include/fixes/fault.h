/*
 * One fault sshfix knows: a stable id, what sshd logs for it, a detector
 * that only reads the target, and a planner that turns a finding into
 * actions. Each lives in fixes/<id>.c; fixes/registry.c lists them.
 */
#ifndef SSHFIX_FAULT_H
#define SSHFIX_FAULT_H

#include "plan/plan.h"
#include "target/target.h"

struct login;

/*
 * Whole-system checks use detect. Checks of accounts use begin, account
 * and finish: diagnose() streams the accounts once and hands every
 * account's facts, read once, to each of them in turn.
 */
struct fault {
	const char	*id;
	const char	*summary;
	/* Add findings to the plan; -1 (err_set) if the target is unreadable. */
	int		(*detect)(struct target *, struct plan *);
	void		*(*begin)(struct target *);
	void		(*account)(struct target *, struct plan *,
			    const struct login *, void *state);
	void		(*finish)(struct target *, struct plan *, void *state);
	/* Add the repair actions of one of its own findings. */
	void		(*plan)(struct target *, struct plan *, struct finding *);
};

extern const struct fault *const faults[];
extern const struct fault fault_home_perms, fault_sshdir_perms,
    fault_hostkey_perms, fault_hostkey_missing, fault_address_family,
    fault_auth_lockout, fault_config_invalid, fault_listen_address,
    fault_port_in_use, fault_max_auth_tries, fault_source_penalty,
    fault_privsep, fault_sshd_binary, fault_pam_module, fault_tcp_wrappers,
    fault_key_refused, fault_chroot_perms, fault_auth_methods,
    fault_account_state, fault_root_login, fault_access_list;

const struct fault *fault_lookup(const char *id);

/* Run every detector, then every planner: the whole dry run. */
int	diagnose(struct target *, struct plan *);
/* The same for one fault only (tests). */
int	diagnose_one(struct target *, const struct fault *, struct plan *);

#endif
