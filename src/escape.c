/*
 * Escaping of foreign bytes at every output: vis(3) from libbsd for text
 * and the log, a strict UTF-8 check for JSON.
 */
#define LIBBSD_NETBSD_VIS
#include <bsd/vis.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "escape.h"
#include "util.h"

#define VIS_FLAGS	(VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL | \
			 VIS_NOLOCALE)

char *
vis_str(const char *s)
{
	size_t n;
	char *out;

	if (s == NULL)
		s = "(null)";
	n = strlen(s);
	/* strvis(3): at most four bytes out for each byte in, and a NUL. */
	out = xreallocarray(NULL, n + 1, 4);
	if (strvis(out, s, VIS_FLAGS) == -1) {
		/* Only if libbsd runs out of memory: '?' for each byte. */
		size_t i;

		for (i = 0; i < n; i++)
			out[i] = s[i] >= ' ' && s[i] <= '~' && s[i] != '\\' ?
			    s[i] : '?';
		out[n] = '\0';
	}
	return out;
}

static char *vis_vasprintf(const char *, va_list)
    __attribute__((format(printf, 1, 0)));

static char *
vis_vasprintf(const char *fmt, va_list ap)
{
	struct sbuf b = { 0 };
	char *s;

	sbuf_vaddf(&b, fmt, ap);
	s = vis_str(b.s ? b.s : "");
	sbuf_free(&b);
	return s;
}

char *
unvis_str(const char *s)
{
	char *out = xmalloc(strlen(s) + 1);

	if (strunvis(out, s) == -1) {
		free(out);
		return NULL;
	}
	return out;
}

char *
vis_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vis_vasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
vis_line(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vis_vasprintf(fmt, ap);
	va_end(ap);
	fprintf(fp, "%s\n", s);
	free(s);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vis_vasprintf(fmt, ap);
	va_end(ap);
	syslog(prio, "%s", s);
	free(s);
}

int
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned int c = *p, min;
		size_t n, i;

		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			c &= 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			c &= 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			c &= 0x07;
			min = 0x10000;
		} else
			return 0;	/* 0x80-0xc1 (overlong), 0xf5-0xff */
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;	/* also the NUL at the end */
			c = c << 6 | (p[i] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}
