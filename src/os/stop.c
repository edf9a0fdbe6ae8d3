/* Signals that ask a change to stop: see include/os/stop.h. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "os/stop.h"
#include "util.h"

static volatile sig_atomic_t caught;
static int held;	/* the first change is under way */

static void
on_signal(int sig)
{
	if (caught == 0)
		caught = sig;
}

void
stop_catch(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

int
stop_requested(void)
{
	return caught;
}

static const char *
sig_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" :
	    "SIGHUP";
}

int
stop_check(void)
{
	if (caught == 0)
		return 0;
	err_set("interrupted by %s", sig_name(caught));
	return -1;
}

int
stop_reading(void)
{
	if (caught == 0 || held)
		return 0;
	errno = EINTR;	/* not a stale one err_io would count */
	err_set("interrupted by %s before any change; nothing was changed",
	    sig_name(caught));
	return -1;
}

void
stop_hold(void)
{
	held = 1;
}
