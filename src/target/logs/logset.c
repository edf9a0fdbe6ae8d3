/*
 * A set of sshd log lines: what the text logs (logscan.c) and the
 * journal (journal.c) both append to. Below both; uses only the base.
 */
#include <stdlib.h>
#include <string.h>

#include "target/logs/logset.h"
#include "util.h"

void
log_add(struct logset *ls, time_t when, const char *file, char *msg,
    long pid)
{
	ls->v = xgrowarray(ls->v, ls->n, sizeof(*ls->v));
	memset(&ls->v[ls->n], 0, sizeof(*ls->v));
	ls->v[ls->n].when = when;
	ls->v[ls->n].file = file;
	ls->v[ls->n].msg = msg;
	ls->v[ls->n++].pid = pid;
}

void
logs_free(struct logset *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		free(ls->v[i].msg);
	free(ls->v);
	for (i = 0; i < ls->nfiles; i++)
		free(ls->files[i]);
	free(ls->files);
	memset(ls, 0, sizeof(*ls));
}
