/*
 * Text wrapped at the report's width (report.h report_wrap): shared by
 * the report and the access table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report/report.h"

#define WIDTH	78

/*
 * Does the quote at Q in S open a single-quoted word, as sh_cmd() writes
 * them: at the start of a word (or after "("), and closed later?
 */
static int
opens_word(const char *s, const char *q)
{
	return (q == s || q[-1] == ' ' || q[-1] == '(') &&
	    strchr(q + 1, '\'') != NULL;
}

/*
 * Print TEXT wrapped at WIDTH, the first line indented by IND spaces and
 * the others by HANG. TEXT is vis-encoded first: a newline in a foreign
 * string never starts a line. A line never breaks inside a single-quoted
 * word: pasted, the break would be part of the word.
 */
void
report_wrap(FILE *fp, int ind, int hang, const char *text)
{
	char *vis = vis_str(text);
	const char *p = vis;
	int col, quoted;

	while (*p != '\0') {
		const char *brk = NULL, *q = p;

		col = ind;
		quoted = 0;
		while (*q != '\0' && *q != '\n' && (col < WIDTH || !brk)) {
			if (*q == '\'')
				quoted = !quoted && opens_word(vis, q);
			else if (*q == ' ' && !quoted)
				brk = q;
			q++;
			col++;
		}
		if (*q == '\0' || *q == '\n' || brk == NULL)
			brk = q;
		fprintf(fp, "%*s%.*s\n", ind, "", (int)(brk - p), p);
		ind = hang;
		p = brk;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	free(vis);
}

/* report_wrap() of the formatted text. */
void
report_wrapf(FILE *fp, int ind, int hang, const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	report_wrap(fp, ind, hang, b.s != NULL ? b.s : "");
	sbuf_free(&b);
}
