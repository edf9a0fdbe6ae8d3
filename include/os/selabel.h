/*
 * The label SELinux's policy gives a path: libselinux's own lookup
 * (selabel_lookup_raw on the file_contexts backend, the answer restorecon
 * and setfiles act on), asked of a copy of a target's file_contexts.
 *
 * MUST: those files are the disk's bytes, and libselinux compiles their
 * regular expressions. They are parsed only by sshfix itself run again in
 * the sandbox of os/sandbox.h (SELABEL_HELPER_ARG), which loads libselinux
 * with dlopen: a crafted file can cost that process its CPU and memory
 * limits and its deadline, never the rescue machine. The keys are the
 * target's paths as strings for lookup only: nothing opens them.
 */
#ifndef SSHFIX_SELABEL_H
#define SSHFIX_SELABEL_H

#include <stddef.h>
#include <sys/types.h>

/* argv[1] of sshfix run as the helper; argv[2] the file_contexts. */
#define SELABEL_HELPER_ARG	"--selabel-lookup-helper"
/* At most this many questions in one batch. */
#define SELABEL_MAX_Q		128
/* A context longer than this is not one sshfix takes. */
#define SELABEL_CTX_MAX		256

struct selabel_q {
	const char	*path;		/* absolute, as the target sees it */
	mode_t		 mode;		/* S_IFREG, S_IFDIR ... */
	char		 ctx[SELABEL_CTX_MAX];	/* the answer; "" none */
};

/*
 * The helper's side: the file_contexts FC (with its .homedirs, .local,
 * .subs and .subs_dist beside it), one question a line
 * on stdin ("f PATH" or "d PATH"), one answer a line on stdout: the
 * context, "-" when no entry matches, or "?" when the lookup failed.
 * Returns the exit status: 0, 2 (no libselinux: its first line says so),
 * 3 (file_contexts would not load).
 */
int	selabel_helper(const char *fc);

/*
 * Answer Q[0..N) from the file_contexts copied into DIR (tmpdir_make,
 * then tmpdir_share): the helper in the sandbox (DIR is its /tmp); where
 * no sandbox can be made, the helper as a plain child. 0, or -1 (err_set:
 * why there is no answer).
 */
int	selabel_ask(const char *dir, struct selabel_q *q, size_t n);

#endif
