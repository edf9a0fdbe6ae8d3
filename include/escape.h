/*
 * What sshfix prints of bytes it did not write itself (user names, paths,
 * config values, os-release, sshd's messages): on a rescue disk these are
 * an attacker's. Every text line, --oneline and syslog message goes
 * through vis_str(); JSON through utf8_valid() (see json_string()).
 */
#ifndef SSHFIX_ESCAPE_H
#define SSHFIX_ESCAPE_H

#include <stdarg.h>
#include <stdio.h>

/*
 * A malloc'd copy of S in vis(3) C style (VIS_CSTYLE | VIS_OCTAL |
 * VIS_TAB | VIS_NL, in the C locale): printable ASCII and space stay as
 * they are; a backslash becomes \\, a newline \n, a tab \t, ESC \033 and
 * every byte from 0x80 \ooo. The result is printable ASCII only, and no
 * two strings give the same result. NULL gives "(null)".
 */
char	*vis_str(const char *s);

/* The bytes vis_str() encoded S from (malloc'd), or NULL if S is not
 * a vis encoding. */
char	*unvis_str(const char *s);

/* printf FMT, then vis_str() of the whole result (malloc'd). */
char	*vis_asprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* One line to FP: vis_asprintf(FMT, ...) followed by "\n". */
void	 vis_line(FILE *fp, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * syslog(PRIO, "%s", vis_asprintf(FMT, ...)): the one place sshfix calls
 * syslog(3), so that no foreign byte reaches the log raw.
 */
void	 log_msg(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * 1 if S is well-formed UTF-8 (RFC 3629: no overlong form, no surrogate,
 * nothing above U+10FFFF, no truncated sequence), else 0.
 */
int	 utf8_valid(const char *s);

#endif
