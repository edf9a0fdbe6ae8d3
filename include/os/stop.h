/*
 * SIGINT, SIGTERM and SIGHUP (a person's Ctrl-C, a shutdown, the serial
 * console going away) while sshfix changes a system: recorded, never
 * acted on in the handler. The change stops at its next safe point and
 * puts everything back; a rollback, which is itself the way back, runs
 * to its end.
 */
#ifndef SSHFIX_STOP_H
#define SSHFIX_STOP_H

/* Catch the three signals from now on. */
void	stop_catch(void);
/* The first signal caught since stop_catch, or 0. */
int	stop_requested(void);
/* err_set the reason and return -1 if a signal came; else 0. */
int	stop_check(void);

/*
 * The loops that only read before a run's first change (hashing a
 * snapshot, reading its archive or manifests, listing the store) call
 * stop_reading: like stop_check, so that a signal stops the run there
 * with nothing changed, until stop_hold. A run calls stop_hold just
 * before its first change: from then on stop_reading returns 0, so that
 * putting things back, which reads the snapshot again, runs to its end.
 */
int	stop_reading(void);
void	stop_hold(void);

#endif
