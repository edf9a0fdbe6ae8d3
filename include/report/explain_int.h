/* Shared by src/report/explain.c (reading) and explain_judge.c (verdicts). */
#ifndef SSHFIX_EXPLAIN_INT_H
#define SSHFIX_EXPLAIN_INT_H

#include "report/explain.h"
#include "util.h"

/* What the lines say, gathered before any verdict. */
struct facts {
	char	*resolve, *connect, *connect_why, *negotiate, *hk_changed,
		*hk_unknown, *keygen, *hk_failed, *banner_drop, *startups,
		*drop, *toomany, *unprot, *unprot_path, *noident, *nosig,
		*denied, *pw_reject, *methods, *authed;
	int	 banner, offered, accepted, tried;
	struct sbuf offers;
};

/* Add to CL the cases F shows. */
void	explain_judge(struct client_log *, struct facts *);
/* "Unable to negotiate ...": the case it shows, its detail and next
 * step (allocated; explain_algs.c). */
const char *explain_negotiate(const struct client_log *, const char *line,
	    char **detail, char **next);

#endif
