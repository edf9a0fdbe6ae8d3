/*
 * OpenSSH's wildcard patterns (src/target/config/match.c).
 */
#ifndef SSHFIX_MATCH_H
#define SSHFIX_MATCH_H

/* S against one PATTERN of "*" and "?": 1 if it matches. */
int	match_pattern(const char *s, const char *pattern);
/* OpenSSH match_pattern_list: 1 match, -1 negated match, 0 none. */
int	match_pattern_list(const char *s, const char *list, int dolower);

#endif
