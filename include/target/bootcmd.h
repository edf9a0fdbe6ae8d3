/*
 * The kernel command line a target on a disk boots with, as far as its
 * GRUB configuration says: GRUB_CMDLINE_LINUX, then
 * GRUB_CMDLINE_LINUX_DEFAULT (the order grub-mkconfig's 10_linux puts
 * them in), each as the shell that sources /etc/default/grub (and, on
 * Debian and Ubuntu, whose grub-mkconfig sources them after it, the
 * drop-ins of /etc/default/grub.d, *.cfg) leaves it: a later assignment
 * replaces the value unless it names the variable itself
 * ("$GRUB_CMDLINE_LINUX ..."), which appends.
 *
 * What it cannot follow makes it unsure, never silent: a file that
 * exists and cannot be read (a symlink, a FIFO, over its budget; also
 * noted in the target's unread list), a line that is not a comment or
 * one assignment (an if, a function, a file sourced, unset, a line
 * continued), another expansion, a command substitution or a shell
 * operator in the value, a value longer than any command line, quotes
 * left inside it, drop-ins on a system not known to read them or not.
 * Other boot loaders' entries (grub.cfg, BLS entries, grubenv,
 * /etc/kernel/cmdline) are not read.
 */
#ifndef SSHFIX_BOOTCMD_H
#define SSHFIX_BOOTCMD_H

#include "target/target.h"

/* Longer than any kernel's command line (x86: 2048 bytes). */
#define BOOTCMD_MAX	4096

struct bootcmd {
	char	*words;		/* the command line, at most BOOTCMD_MAX */
	int	 unsure;	/* 1: something above was not followed */
	int	 bls;		/* GRUB_ENABLE_BLSCFG=true: the boot entries
				   (/boot/loader/entries) hold the command
				   line, which sshfix does not read */
	char	 why[192];	/* unsure: the first thing, with its file */
};

void	bootcmd_read(struct target *, struct bootcmd *);
/* The value of the last KEY=VALUE word (KEY without '=') before a "--",
   copied into BUF (LEN bytes: BOOTCMD_MAX + 1 holds any), or NULL. */
const char *bootcmd_last(const struct bootcmd *, const char *key,
	    char *buf, size_t len);
void	bootcmd_free(struct bootcmd *);

#endif
