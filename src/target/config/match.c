/*
 * OpenSSH's wildcard patterns (match.c): "*" and "?", and comma lists of
 * them with "!" negation. Below both the evaluation of Match blocks and
 * client-address matching; uses nothing of the model.
 */
#include <ctype.h>
#include <string.h>

#include "target/config/match.h"

int
match_pattern(const char *s, const char *p)
{
	for (;;) {
		if (*p == '\0')
			return *s == '\0';
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return 1;
			for (; *s != '\0'; s++)
				if (match_pattern(s, p))
					return 1;
			return 0;
		}
		if (*s == '\0')
			return 0;
		if (*p != '?' && *p != *s)
			return 0;
		s++;
		p++;
	}
}

int
match_pattern_list(const char *s, const char *list, int dolower)
{
	char sub[1024], low[1024];
	const char *p = list, *e;
	size_t n, i;
	int neg, positive = 0;

	for (i = 0; i < sizeof(low) - 1 && s[i] != '\0'; i++)
		low[i] = dolower ? (char)tolower((unsigned char)s[i]) : s[i];
	low[i] = '\0';
	for (;;) {
		e = strchrnul(p, ',');
		neg = *p == '!';
		if (neg)
			p++;
		n = (size_t)(e - p);
		if (n < sizeof(sub)) {
			memcpy(sub, p, n);
			sub[n] = '\0';
			if (match_pattern(low, sub)) {
				if (neg)
					return -1;
				positive = 1;
			}
		}
		if (*e == '\0')
			break;
		p = e + 1;
	}
	return positive;
}
