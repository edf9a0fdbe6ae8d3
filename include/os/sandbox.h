/*
 * The one sandbox for every program that reads what a target holds: the
 * target's own sshd judging its configuration (on a rescue disk an
 * attacker's program), and the host's sshd or ssh-keygen when they parse
 * the target's bytes. What a hostile disk can and cannot make it do is
 * README.md's "Threat model".
 */
#ifndef SSHFIX_SANDBOX_H
#define SSHFIX_SANDBOX_H

#include <sys/types.h>

/*
 * Who the sandboxed program is. Inside: nobody (65534), which every
 * passwd has, so that a program that looks itself up (ssh-keygen) runs.
 * On the machine: where the kernel allows a user namespace, one uid no
 * distribution allocates (the largest positive 32-bit id but one), which
 * owns nothing and runs nothing else; else nobody itself.
 */
#define SANDBOX_ID	65534
#define SANDBOX_HOST_ID	2147483646
/* The processes a netadmin sandbox may run at once: its helper and the
   ruleset loader it starts. */
#define SBX_NETADMIN_PROCS	4

struct sandbox {
	const char	*root;	/* its /: the target's root, or "/" */
	const char	*tmp;	/* a host directory mounted read-only at its
				   /tmp, its files handed to the program's
				   uid; NULL: an empty tmpfs */
	int		 in;	/* its stdin (a pipe: handed to its uid);
				   -1: /dev/null */
	int		 out;	/* its stdout and stderr */
	int		 exe;	/* 0: ARGV[0] is run; else an fd (above 2,
				   O_PATH) of the host's program to run
				   instead, through the fd: sshfix's own
				   helper, which may lie in a directory the
				   sandbox's uid cannot enter (/root) */
	int		 netadmin;	/* 1: for sshfix's firewall helper
				   (os/fwjudge.h) only: it keeps, in its own
				   user namespace and nowhere else, the
				   capabilities to make network namespaces
				   there and administer them (NET_ADMIN,
				   SYS_ADMIN, NET_BIND_SERVICE, as ambient
				   ones), may start SBX_NETADMIN_PROCS processes, and
				   sets the seccomp filter itself once its
				   namespaces are made (sandbox_filter);
				   refused where no user namespace can be
				   made */
	int		 in_rw;		/* 1: IN is a regular file (an unlinked
				   copy of sshfix's own) the program may
				   rewrite, and files as large as
				   SBX_IN_FSIZE are allowed it (else none):
				   for a helper that changes a copy sshfix
				   reads back (os/f2bdb.h); it has no other
				   file to write, and memfd_create is among
				   the calls the filter refuses */
};
#define SBX_IN_FSIZE	(64ull * 1024 * 1024)

/*
 * Start ARGV[0] (absolute inside SB->root) in the sandbox: new pid, ipc,
 * uts, mount and network namespaces; every mount under the root
 * read-only, nosuid and nodev; a /dev holding only null; the uid and gid
 * SANDBOX_ID (SANDBOX_HOST_ID on the machine, in a user namespace of its
 * own, where the kernel allows one) with no capability, no_new_privs, no other fd, a session keyring
 * of its own, limits on address space, CPU, file size (0), processes (no
 * fork) and open files, and a seccomp filter refusing the system calls
 * that reach beyond it. Returns its pid (the init of its pid namespace:
 * killing it ends everything it started), or -1 (err_set). It exits 126
 * when a step of the sandbox failed, 127 when exec did.
 */
/* The environment of every program sshfix runs: PATH and LC_ALL=C. */
extern char *const prog_env[];

pid_t	sandbox_spawn(const struct sandbox *, char *const argv[]);
/* The seccomp filter the sandbox sets (netadmin: the program's to set). */
int	sandbox_filter(void);

#endif
