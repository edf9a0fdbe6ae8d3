/*
 * The server side of a connection, for Match LocalPort, LocalAddress,
 * RDomain and Version (src/target/net/match_server.c).
 */
#ifndef SSHFIX_MATCH_SERVER_H
#define SSHFIX_MATCH_SERVER_H

#include "target/target.h"

/* Fill T's srv_ fields (LocalPort, LocalAddress, RDomain, Version). */
void	target_match_server(struct target *);

#endif
