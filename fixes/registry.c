/*
 * The faults sshfix knows, in the order they are reported: those that
 * stop sshd from starting first, then those that refuse a login.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cloudwarn.h"
#include "fixes/fault.h"
#include "target/login/login.h"
#include "target/login/logins.h"

const struct fault *const faults[] = {
	&fault_sshd_absent,		/* alone: first */
	&fault_config_invalid,
	&fault_sshd_binary,
	&fault_hostkey_perms,
	&fault_hostkey_missing,
	&fault_privsep,
	&fault_address_family,
	&fault_listen_address,
	&fault_port_in_use,
	&fault_tcp_wrappers,
	&fault_algorithms,
	&fault_account_state,
	&fault_access_list,
	&fault_home_perms,
	&fault_sshdir_perms,
	&fault_selinux_label,
	&fault_host_firewall,
	&fault_address_banned,
	&fault_key_refused,
	&fault_key_offered,
	&fault_cert_offered,
	&fault_auth_lockout,
	&fault_auth_methods,
	&fault_root_login,
	&fault_pam_module,
	&fault_max_auth_tries,
	&fault_chroot_perms,
	&fault_source_penalty,
	NULL,
};

const struct fault *
fault_lookup(const char *id)
{
	size_t i;

	for (i = 0; faults[i] != NULL; i++)
		if (strcmp(faults[i]->id, id) == 0)
			return faults[i];
	return NULL;
}

#define MAX_FAULTS	32

struct pass {
	const struct fault *const *list;
	struct plan	*p;
	void		*state[MAX_FAULTS];
};

/* One account: its files read once, then every account check. */
static int
each_account(struct target *t, const struct account *a, void *arg)
{
	struct pass *ps = arg;
	struct login l;
	size_t i;

	login_load(t, a, &l);
	for (i = 0; ps->list[i] != NULL; i++)
		if (ps->list[i]->account != NULL)
			ps->list[i]->account(t, ps->p, &l, ps->state[i]);
	login_free(&l);
	return 0;
}

/* Whole-system checks, then one pass over the accounts, then plans. */
static int
run(struct target *t, struct plan *p, const struct fault *const *list)
{
	struct pass ps = { .list = list, .p = p };
	size_t i, from = p->n;
	int r = 0, accounts = 0;

	for (i = 0; list[i] != NULL; i++)
		if (i + 1 >= MAX_FAULTS)
			abort();	/* raise MAX_FAULTS with the registry */
	for (i = 0; list[i] != NULL; i++) {
		if (list[i]->detect != NULL && list[i]->detect(t, p) == -1)
			return -1;
		if (list[i]->alone && p->n > from)
			goto plan;	/* nothing else to judge */
		accounts |= list[i]->account != NULL;
	}
	for (i = 0; list[i] != NULL; i++)
		ps.state[i] = list[i]->begin ? list[i]->begin(t) : NULL;
	if (accounts)
		r = logins_foreach(t, each_account, &ps);
	for (i = 0; list[i] != NULL; i++)
		if (list[i]->finish != NULL)
			list[i]->finish(t, r == -1 ? NULL : p, ps.state[i]);
	if (r == -1)
		return -1;
plan:
	for (i = from; i < p->n; i++)
		p->f[i].fault->plan(t, p, &p->f[i]);
	return 0;
}

int
diagnose(struct target *t, struct plan *p)
{
	if (run(t, p, faults) == -1)
		return -1;
	/* What the image's agents undo at a boot (nothing read if clean). */
	cloud_warn(t, p);
	return 0;
}

int
diagnose_one(struct target *t, const struct fault *f, struct plan *p)
{
	const struct fault *const list[] = { f, NULL };

	return run(t, p, list);
}
