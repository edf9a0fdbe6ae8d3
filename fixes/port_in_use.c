/*
 * port-in-use (running system only): another program listens where sshd
 * must bind, so sshd logs "Bind to port P on ADDR failed: Address already
 * in use." (and "Cannot bind any address." when that was its only one).
 * sshd's own sockets, and systemd's (pid 1: socket activation), are not a
 * fault. Only a person can choose between stopping the program and moving
 * sshd to another Port.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fixes/fault.h"
#include "target/net/listen.h"
#include "util.h"

static void
report(struct target *t, struct plan *p, const struct listen *l,
    const struct socklisten *s, pid_t pid, const char *comm)
{
	char *where = listen_str(l);
	struct finding *f = plan_add_finding(p, &fault_port_in_use, SEV_ERROR,
	    where);

	(void)t;
	finding_add_evidence(f, "listener", "%s (pid %ld), socket inode %lu",
	    comm, (long)pid, s->inode);
	if (l->entry != NULL)
		finding_add_evidence(f, "config", "ListenAddress %s", l->value);
	finding_set_message(f, "%s (pid %ld) already listens on port %d, so "
	    "sshd cannot bind %s", comm, (long)pid, s->port, where);
	finding_set_logline(f, "Bind to port %d on %s failed: Address already "
	    "in use.", l->port, l->value);
	f->aux = xasprintf("%s (pid %ld)", comm, (long)pid);
	free(where);
}

static int
detect(struct target *t, struct plan *p)
{
	struct socklisten *s;
	struct listen *l;
	size_t ns, n, i, j;
	pid_t hint, pid;
	char comm[64];

	if (!t->live)
		return 0;
	if (sockets_listening(&s, &ns) == -1) {
		target_note(t, "cannot tell whether sshd's ports are free: %s",
		    err_get());
		return 0;
	}
	n = listen_effective(&t->cfg, &l);
	hint = sshd_pidfile_pid(&t->cfg);
	for (i = 0; i < n; i++)
		for (j = 0; j < ns; j++) {
			if (!socket_conflicts(&s[j], &l[i]))
				continue;
			pid = socket_owner(s[j].inode, hint, comm,
			    sizeof(comm));
			if (pid == -1)
				target_note(t, "port %d is held by a process "
				    "sshfix cannot see (socket inode %lu)",
				    s[j].port, s[j].inode);
			else if (pid != 1 && !pid_is_sshd(pid))
				report(t, p, &l[i], &s[j], pid, comm);
			break;
		}
	free(l);
	free(s);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	(void)t;
	(void)p;
	plan_add_manual(f, "%s holds the port sshd needs: stop it (or make it "
	    "listen elsewhere), or give sshd another Port in %s", f->aux,
	    SSHD_CONFIG);
}

const struct fault fault_port_in_use = {
	.id = "port-in-use",
	.summary = "another program listens on sshd's port",
	.detect = detect,
	.plan = plan,
};
