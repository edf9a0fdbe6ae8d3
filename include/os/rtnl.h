/*
 * The few rtnetlink requests sshfix's firewall helper makes in network
 * namespaces of its own (os/fwjudge.h): a link up, a veth pair, an
 * address with its peer. Each request is acknowledged before it returns.
 */
#ifndef SSHFIX_RTNL_H
#define SSHFIX_RTNL_H

/* A NETLINK_ROUTE socket of the current network namespace, or -1. */
int	rtnl_open(void);
/* Set link IFINDEX up: 0, or -1 (errno). */
int	rtnl_up(int nl, int ifindex);
/* A veth pair: NAME here, PEER in the network namespace PEER_NS (an fd of
   /proc/PID/ns/net): 0, or -1 (errno). */
int	rtnl_veth(int nl, const char *name, const char *peer, int peer_ns);
/* LOCAL (FAM 4 or 6, network order) on IFINDEX, host-sized, never
   duplicate-address-detected: 0, or -1 (errno). */
int	rtnl_addr(int nl, int ifindex, int fam, const void *local);
/* FAM's default route: every address on-link through IFINDEX (ip route
   add default dev IF): 0, or -1 (errno). */
int	rtnl_route(int nl, int ifindex, int fam);

#endif
