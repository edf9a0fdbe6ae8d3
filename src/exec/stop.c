/* Signals that ask a change to stop: see include/stop.h. */
#include <signal.h>
#include <string.h>

#include "stop.h"
#include "util.h"

static volatile sig_atomic_t caught;

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

int
stop_check(void)
{
	if (caught == 0)
		return 0;
	err_set("interrupted by %s", caught == SIGINT ? "SIGINT" :
	    caught == SIGTERM ? "SIGTERM" : "SIGHUP");
	return -1;
}
