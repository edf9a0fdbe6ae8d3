/*
 * rtnetlink requests (include/os/rtnl.h), built by hand: each is one
 * message of fixed shape into a buffer of fixed size, and the kernel's
 * acknowledgement is read back.
 */
#include <errno.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "os/rtnl.h"

#define RTNL_BUF	1024

struct req {
	struct nlmsghdr	*h;
	char		 buf[RTNL_BUF];
};

/* Start a request of TYPE with FLAGS and a body of LEN bytes. */
static void *
req_init(struct req *r, int type, int flags, size_t len)
{
	memset(r->buf, 0, sizeof(r->buf));
	r->h = (struct nlmsghdr *)(void *)r->buf;
	r->h->nlmsg_len = (unsigned)NLMSG_LENGTH(len);
	r->h->nlmsg_type = (unsigned short)type;
	r->h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	r->h->nlmsg_seq = 1;
	return NLMSG_DATA(r->h);
}

/* An attribute TYPE of LEN bytes at the end; NULL if it does not fit. */
static struct rtattr *
attr(struct req *r, int type, const void *data, size_t len)
{
	size_t at = NLMSG_ALIGN(r->h->nlmsg_len);
	struct rtattr *a;

	if (at + RTA_SPACE(len) > sizeof(r->buf))
		return NULL;
	a = (struct rtattr *)(void *)(r->buf + at);
	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len > 0)
		memcpy(RTA_DATA(a), data, len);
	r->h->nlmsg_len = (unsigned)(at + RTA_ALIGN(a->rta_len));
	return a;
}

/* Close a nest that began with A. */
static void
nest_end(struct req *r, struct rtattr *a)
{
	a->rta_len = (unsigned short)(r->buf + r->h->nlmsg_len - (char *)a);
}

/* Send R and read its acknowledgement: 0, or -1 (errno). */
static int
talk(int nl, struct req *r)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	char ack[RTNL_BUF];
	struct nlmsghdr *h = (struct nlmsghdr *)(void *)ack;
	struct nlmsgerr *e;
	ssize_t n;

	if (sendto(nl, r->buf, r->h->nlmsg_len, 0, (struct sockaddr *)&k,
	    sizeof(k)) != (ssize_t)r->h->nlmsg_len)
		return -1;
	do
		n = recv(nl, ack, sizeof(ack), 0);
	while (n == -1 && errno == EINTR);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(*e)) || h->nlmsg_type != NLMSG_ERROR) {
		errno = EPROTO;
		return -1;
	}
	e = NLMSG_DATA(h);
	if (e->error != 0) {
		errno = -e->error;
		return -1;
	}
	return 0;
}

int
rtnl_open(void)
{
	struct timeval tv = { 2, 0 };
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (nl != -1 && setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1) {
		close(nl);
		return -1;
	}
	return nl;
}

int
rtnl_up(int nl, int ifindex)
{
	struct req r;
	struct ifinfomsg *i = req_init(&r, RTM_NEWLINK, 0, sizeof(*i));

	i->ifi_family = AF_UNSPEC;
	i->ifi_index = ifindex;
	i->ifi_flags = IFF_UP;
	i->ifi_change = IFF_UP;
	return talk(nl, &r);
}

int
rtnl_veth(int nl, const char *name, const char *peer, int peer_ns)
{
	struct req r;
	struct ifinfomsg *i = req_init(&r, RTM_NEWLINK, NLM_F_CREATE |
	    NLM_F_EXCL, sizeof(*i)), pi = { .ifi_family = AF_UNSPEC };
	struct rtattr *info, *data, *pa;
	int ok;

	i->ifi_family = AF_UNSPEC;
	ok = attr(&r, IFLA_IFNAME, name, strlen(name) + 1) != NULL &&
	    (info = attr(&r, IFLA_LINKINFO, NULL, 0)) != NULL &&
	    attr(&r, IFLA_INFO_KIND, "veth", 5) != NULL &&
	    (data = attr(&r, IFLA_INFO_DATA, NULL, 0)) != NULL &&
	    (pa = attr(&r, VETH_INFO_PEER, &pi, sizeof(pi))) != NULL &&
	    attr(&r, IFLA_IFNAME, peer, strlen(peer) + 1) != NULL &&
	    attr(&r, IFLA_NET_NS_FD, &peer_ns, sizeof(peer_ns)) != NULL;
	if (!ok) {
		errno = EMSGSIZE;
		return -1;
	}
	nest_end(&r, pa);
	nest_end(&r, data);
	nest_end(&r, info);
	return talk(nl, &r);
}

int
rtnl_route(int nl, int ifindex, int fam)
{
	struct req r;
	struct rtmsg *m = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, sizeof(*m));
	int oif = ifindex;

	m->rtm_family = fam == 4 ? AF_INET : AF_INET6;
	m->rtm_table = RT_TABLE_MAIN;
	m->rtm_protocol = RTPROT_BOOT;
	m->rtm_scope = fam == 4 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	m->rtm_type = RTN_UNICAST;
	if (attr(&r, RTA_OIF, &oif, sizeof(oif)) == NULL) {
		errno = EMSGSIZE;
		return -1;
	}
	return talk(nl, &r);
}

int
rtnl_addr(int nl, int ifindex, int fam, const void *local)
{
	struct req r;
	struct ifaddrmsg *a = req_init(&r, RTM_NEWADDR, NLM_F_CREATE |
	    NLM_F_EXCL, sizeof(*a));
	size_t len = fam == 4 ? 4 : 16;
	unsigned flags = IFA_F_NODAD;

	a->ifa_family = fam == 4 ? AF_INET : AF_INET6;
	a->ifa_prefixlen = (unsigned char)(len * 8);
	a->ifa_flags = IFA_F_NODAD;
	a->ifa_scope = RT_SCOPE_UNIVERSE;
	a->ifa_index = (unsigned)ifindex;
	if (attr(&r, IFA_LOCAL, local, len) == NULL ||
	    attr(&r, IFA_ADDRESS, local, len) == NULL ||
	    attr(&r, IFA_FLAGS, &flags, sizeof(flags)) == NULL) {
		errno = EMSGSIZE;
		return -1;
	}
	return talk(nl, &r);
}
