/*
 * Which libraries the target's sshd links (DT_NEEDED of /usr/sbin/sshd
 * and of the helpers OpenSSH 9.8 and later exec, binary/helpers.h): libwrap
 * (tcp_wrappers), libpam (UsePAM is "Unsupported option" in a build
 * without it, and ignored). Read from the ELF files, never run.
 */
#ifndef SSHFIX_SSHDLINKS_H
#define SSHFIX_SSHDLINKS_H

#include "target/config/config.h"	/* enum tri */
#include "target/target.h"

/*
 * Does one of them link a library whose name starts with LIB ("libpam.so")?
 * TRI_MAYBE when none of them could be read.
 */
enum tri sshd_links(struct target *, const char *lib);

/*
 * Does sshd use PAM: UsePAM yes and a build with PAM (read once, kept in
 * T)? A build that cannot be read is taken to have it, as every
 * distribution builds it.
 */
int	sshd_uses_pam(struct target *);

#endif
