/*
 * Client-address patterns as sshd matches them (OpenSSH addrmatch.c and
 * match.c): "Match Address", the user@host words of AllowUsers and
 * DenyUsers, and the from= option of authorized_keys.
 */
#ifndef SSHFIX_ADDRMATCH_H
#define SSHFIX_ADDRMATCH_H

/*
 * ADDR against a comma-separated LIST of CIDR blocks, addresses and
 * wildcards, each optionally negated with "!". 1: a positive match; 0:
 * none (or ADDR is not an address); -1: a negated match; -2: the list is
 * invalid (an empty word, a CIDR block with host bits set or a bad mask
 * length). ADDR NULL checks the list only (0 or -2).
 */
int	addr_match_list(const char *addr, const char *list);

/*
 * match_host_and_ip: 1 if HOST or IPADDR matches PATTERNS and neither is
 * refused by a negated word; 0 otherwise; -1 for an invalid list.
 */
int	match_host_and_ip(const char *host, const char *ipaddr,
	    const char *patterns);

/*
 * An AllowUsers/DenyUsers word: "user" or "user@host-or-address-list"
 * (split at the last "@"). 1 match, 0 none, -1 invalid.
 */
int	match_user(const char *user, const char *host, const char *ipaddr,
	    const char *pattern);

/* Does PATTERN's host part ("user@HOST") exist? */
int	match_user_has_host(const char *pattern);

/*
 * The address as sshd names a client (getnameinfo NI_NUMERICHOST, an
 * IPv4-mapped IPv6 address as IPv4) into OUT; -1 if S is not a numeric
 * IPv4 or IPv6 address.
 */
int	addr_canonical(const char *s, char *out, size_t outlen);

#endif
