#ifndef SSHFIX_LOCK_H
#define SSHFIX_LOCK_H

/*
 * flock DIR/var/lib/sshfix/lock (never waiting: LOCK_NB): one sshfix at
 * a time per root. The lock must be a regular file: anything else (a
 * FIFO, a device, a link) is refused (err_refuse) and never opened.
 */
int	lock_root(int rootfd);
/* Another sshfix holds the root's lock now (it is changing it): 1, else
 * 0 (no lock too); -1 when the lock is refused as lock_root does. */
int	lock_busy(int rootfd);

#endif
