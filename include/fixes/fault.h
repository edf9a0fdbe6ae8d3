/*
 * The faults sshfix knows (struct fault: plan/detector.h). Each lives in
 * fixes/<id>.c; fixes/registry.c lists them and runs them.
 */
#ifndef SSHFIX_FAULT_H
#define SSHFIX_FAULT_H

#include "plan/detector.h"
#include "plan/plan.h"
#include "target/target.h"

extern const struct fault *const faults[];
extern const struct fault fault_home_perms, fault_sshdir_perms,
    fault_hostkey_perms, fault_hostkey_missing, fault_address_family,
    fault_auth_lockout, fault_config_invalid, fault_listen_address,
    fault_port_in_use, fault_max_auth_tries, fault_source_penalty,
    fault_privsep, fault_sshd_binary, fault_pam_module, fault_tcp_wrappers,
    fault_key_refused, fault_chroot_perms, fault_auth_methods,
    fault_account_state, fault_root_login, fault_access_list,
    fault_sshd_absent, fault_key_offered, fault_algorithms,
    fault_cert_offered, fault_selinux_label, fault_host_firewall,
    fault_address_banned;

const struct fault *fault_lookup(const char *id);

/* Run every detector, then every planner: the whole dry run. */
int	diagnose(struct target *, struct plan *);
/* The same for one fault only (tests). */
int	diagnose_one(struct target *, const struct fault *, struct plan *);

#endif
