/*
 * The sandbox's seccomp filter (include/os/sandbox_int.h).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "os/sandbox_int.h"
#include "util.h"

/*
 * A seccomp filter: the system calls that reach beyond a process's own
 * files and memory (other processes, the kernel's keyrings, namespaces,
 * mounts, modules, BPF, io_uring, Unix sockets; memory files, memory
 * beyond its address-space limit) fail with EPERM. sshd -t makes none
 * of them. Where the architecture is not one listed here, none is set
 * (the rest of the sandbox stands without it).
 */
#if defined(__x86_64__)
#define SBX_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SBX_ARCH	AUDIT_ARCH_AARCH64
#endif

#ifdef SBX_ARCH
static const int denied[] = {
	SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev,
	SYS_keyctl, SYS_add_key, SYS_request_key, SYS_bpf,
	SYS_perf_event_open, SYS_userfaultfd, SYS_unshare, SYS_setns,
	SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_kexec_load,
	SYS_init_module, SYS_finit_module, SYS_delete_module, SYS_reboot,
	SYS_swapon, SYS_swapoff, SYS_acct, SYS_quotactl, SYS_personality,
	SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
	SYS_open_tree, SYS_move_mount, SYS_fsopen, SYS_fsconfig,
	SYS_fsmount, SYS_fspick, SYS_pidfd_getfd, SYS_name_to_handle_at,
	SYS_open_by_handle_at, SYS_memfd_create,
};

int
sandbox_filter(void)
{
	struct sock_filter f[4 + 2 * ARRAY_LEN(denied) + 5];
	struct sock_fprog prog = { 0, f };
	size_t i, n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SBX_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	for (i = 0; i < ARRAY_LEN(denied); i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
		    BPF_K, (unsigned)denied[i], 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		    SECCOMP_RET_ERRNO | EPERM);
	}
	/* socket(AF_UNIX): a socket of the machine's is reachable by path
	   even on a read-only mount (a bus, a daemon's control socket). */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SYS_socket, 0, 3);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, args[0]));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AF_UNIX, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ERRNO | EPERM);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)n;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}
#else
int
sandbox_filter(void)
{
	return 0;
}
#endif
