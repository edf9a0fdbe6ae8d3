/*
 * The faults sshfix knows, in the order they are reported: those that
 * stop sshd from starting first, then those that refuse a login.
 */
#include <stddef.h>
#include <string.h>

#include "fault.h"

const struct fault *const faults[] = {
	&fault_hostkey_perms,
	&fault_hostkey_missing,
	&fault_address_family,
	&fault_home_perms,
	&fault_sshdir_perms,
	&fault_auth_lockout,
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

int
diagnose(struct target *t, struct plan *p)
{
	size_t i;

	for (i = 0; faults[i] != NULL; i++)
		if (faults[i]->detect(t, p) == -1)
			return -1;
	for (i = 0; i < p->n; i++)
		p->f[i].fault->plan(t, p, &p->f[i]);
	return 0;
}
