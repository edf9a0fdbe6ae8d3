#include <stdlib.h>
#include <string.h>

#include "exec/edit.h"

/* Length of the line at P without its end of line; *eol gets that. */
static size_t
line_at(const char *p, const char *end, const char **eol, size_t *eollen)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

	*eollen = nl ? 1 : 0;
	if (nl && n > 0 && p[n - 1] == '\r') {
		n--;
		*eollen = 2;
	}
	*eol = p + n;
	return n;
}

static const char *
file_eol(const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);

	return nl && nl > data && nl[-1] == '\r' ? "\r\n" : "\n";
}

static void
put(struct sbuf *out, const char *text, const char *eol, size_t eollen)
{
	sbuf_adds(out, text);
	sbuf_add(out, eol, eollen);
}

/* Put an inserted line, with its marker, where OUT stands. */
static void
put_insert(struct sbuf *out, const struct action *a, const char *deflt,
    time_t now)
{
	char *m = edit_marker(a->path, NULL, now);

	/* A last line without an end of line gets one first. */
	if (out->len > 0 && out->s[out->len - 1] != '\n')
		sbuf_adds(out, deflt);
	put(out, m, deflt, strlen(deflt));
	put(out, a->new_text, deflt, strlen(deflt));
	free(m);
}

int
edit_apply(const char *path, const char *data, size_t len,
    const struct action *const *edits, size_t n, time_t now,
    struct sbuf *out)
{
	const char *p = data, *end = data + len, *eol = end, *deflt;
	size_t lineno = 0, used = 0, i, l, el = 0;

	deflt = file_eol(data, len);
	/* One round more than there are lines: inserts at the end. */
	for (;; lineno++) {
		int replaced = 0;

		l = p < end ? line_at(p, end, &eol, &el) : 0;
		for (i = 0; i < n; i++) {
			const struct action *a = edits[i];
			char *text, *m;

			if (a->line != lineno)
				continue;
			if (a->old_text == NULL) {
				put_insert(out, a, deflt, now);
				used++;
				continue;
			}
			text = xstrndup(p, l);
			if (p >= end || strcmp(text, a->old_text) != 0) {
				err_set("%s line %zu: no longer reads \"%s\" "
				    "(changed since the plan)", path, lineno + 1,
				    a->old_text);
				free(text);
				return -1;
			}
			free(text);
			m = edit_marker(a->path, a->old_text, now);
			put(out, m, el ? eol : deflt, el ? el : strlen(deflt));
			free(m);
			put(out, a->new_text, eol, el);
			replaced = 1;
			used++;
		}
		if (p >= end)
			break;
		if (!replaced)
			sbuf_add(out, p, l + el);
		p += l + el;
	}
	if (used != n) {
		err_set("%s: an edit is beyond the end of the file", path);
		return -1;
	}
	if (out->s == NULL)
		sbuf_add(out, "", 0);
	return 0;
}
