#ifndef SSHFIX_SERVICE_H
#define SSHFIX_SERVICE_H

#include "target/target.h"

/*
 * Make the running system's sshd read the repaired configuration: reload
 * it when it runs (systemctl reload ssh/sshd, else SIGHUP to the pid in
 * its PidFile), start it when START (it was down because of a fault just
 * fixed). Only for the live root. *what says what was done.
 */
int	service_reload(struct target *, int start, char **what);

/*
 * What the service manager says about sshd (systemctl status), or where
 * its messages went; allocated.
 */
char	*service_status(void);

#endif
