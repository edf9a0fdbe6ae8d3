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

#endif
