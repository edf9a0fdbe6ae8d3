#ifndef SSHFIX_EDIT_H
#define SSHFIX_EDIT_H

#include <stddef.h>
#include <time.h>

#include "plan/plan.h"
#include "util.h"

/*
 * Apply the ACT_EDIT_LINE actions EDITS (all for one file) to its bytes:
 * each replaced line becomes the marker comment and the new text, each
 * with the line's own end of line (CRLF stays CRLF); inserts go before
 * their line. Every other byte is kept. Fails (err_set) if a line no
 * longer reads as planned.
 */
int	edit_apply(const char *path, const char *data, size_t len,
	    const struct action *const *edits, size_t n, time_t now,
	    struct sbuf *out);

#endif
