/*
 * The target's sshd_config flattened into one file the way its sshd reads
 * it: Includes resolved inside the root (globs sorted, depth and size
 * bounded as the model's), edited files replaced by their new text, and
 * the lines a judge rejected left out (src/target/flatten.c).
 */
#ifndef SSHFIX_FLATTEN_H
#define SSHFIX_FLATTEN_H

#include <stddef.h>

#include "budget.h"
#include "target/config/config.h"
#include "target/judge.h"
#include "target/target.h"
#include "target/validate.h"
#include "util.h"

/* Where each line of the flattened file came from. */
struct origin {
	char	*path;
	size_t	 line;		/* 1-based */
};

struct flat {
	struct target		 *t;
	const struct edited_file *ed;
	size_t			  ned;
	struct sbuf		 *out;
	struct origin		 *map;
	size_t			  nmap;
	const struct cfg_error	 *mask;	/* lines left out of the copy */
	size_t			  nmask;
	struct budget		  budget;	/* as the model's (config.c) */
};

/* Flatten F->t's SSHD_CONFIG into F->out, mapping each line (F->map). */
int	flatten(struct flat *);
/* Is PATH:LINE one of F's masked lines? */
int	flat_masked(const struct flat *, const char *path, size_t line);
/* Free F's map. */
void	flat_free(struct flat *);

#endif
