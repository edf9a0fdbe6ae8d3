/*
 * The JSON of every --json document: its strings, and the envelope all
 * modes share (packaging/sshfix.schema.json describes it).
 *
 * MUST: every document is valid UTF-8 whatever bytes the target holds.
 * A string that is not UTF-8 is given in the vis(3) C style (ASCII), and
 * a member holding one gets a sibling "K_raw" with the bytes in base64,
 * so that nothing is lost and nothing is ambiguous.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "json.h"
#include "util.h"

/*
 * A JSON string, always valid UTF-8: a string that is valid UTF-8 keeps
 * its characters (", \\ and control characters escaped, DEL and U+2028,
 * U+2029 as \\u too); one that is not (a file name with byte 0xff, say)
 * is given whole in the vis(3) C style of vis_str(), which is ASCII.
 */
void
json_string(struct sbuf *b, const char *s)
{
	char *v = NULL;

	if (s != NULL && !utf8_valid(s))
		s = v = vis_str(s);
	sbuf_addc(b, '"');
	for (; s != NULL && *s != '\0'; s++) {
		const unsigned char *u = (const unsigned char *)s;
		unsigned char c = u[0];

		if (c == '"' || c == '\\')
			sbuf_addf(b, "\\%c", c);
		else if (c == '\n')
			sbuf_adds(b, "\\n");
		else if (c == '\t')
			sbuf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sbuf_addf(b, "\\u%04x", c);
		else if (c == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 ||
		    u[2] == 0xa9)) {
			/* U+2028, U+2029: line breaks to JavaScript */
			sbuf_addf(b, "\\u%04x", 0x2000 | (u[2] & 0x3f));
			s += 2;
		} else
			sbuf_addc(b, (char)c);
	}
	sbuf_addc(b, '"');
	free(v);
}

/* S's bytes in base64 (RFC 4648, padded), as a JSON string. */
static void
json_base64(struct sbuf *b, const char *s)
{
	sbuf_addc(b, '"');
	sbuf_add_base64(b, s, strlen(s), 1);
	sbuf_addc(b, '"');
}

/* ,"K_raw": the member that carries the bytes of K's value. */
static void
json_raw_key(struct sbuf *b, const char *k)
{
	char *raw = xasprintf("%s_raw", k);

	sbuf_addc(b, ',');
	json_string(b, raw);
	sbuf_addc(b, ':');
	free(raw);
}

void
json_kv(struct sbuf *b, const char *k, const char *v, int comma)
{
	if (comma)
		sbuf_addc(b, ',');
	json_string(b, k);
	sbuf_addc(b, ':');
	if (v == NULL) {
		sbuf_adds(b, "null");
		return;
	}
	json_string(b, v);
	if (!utf8_valid(v)) {
		json_raw_key(b, k);
		json_base64(b, v);
	}
}

void
json_strv(struct sbuf *b, const char *k, char *const *v, size_t n)
{
	size_t i, bad = 0;

	if (n == SIZE_MAX)	/* NULL-terminated (or V NULL: none) */
		for (n = 0; v != NULL && v[n] != NULL; n++)
			;
	sbuf_addc(b, ',');
	json_string(b, k);
	sbuf_adds(b, ":[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_addc(b, ',');
		json_string(b, v[i]);
		bad += !utf8_valid(v[i]);
	}
	sbuf_addc(b, ']');
	if (bad == 0)
		return;
	/* The same length: the bytes of each string not UTF-8, else null. */
	json_raw_key(b, k);
	sbuf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_addc(b, ',');
		if (utf8_valid(v[i]))
			sbuf_adds(b, "null");
		else
			json_base64(b, v[i]);
	}
	sbuf_addc(b, ']');
}

void
json_time(struct sbuf *b, const char *k, time_t when)
{
	char s[32];
	struct tm tm;

	if (gmtime_r(&when, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		json_kv(b, k, NULL, 1);
		return;
	}
	json_kv(b, k, s, 1);
}

void
json_begin(struct sbuf *b, const char *mode, const char *root)
{
	sbuf_addf(b, "{\"schema_version\":%d", JSON_SCHEMA_VERSION);
	json_kv(b, "version", SSHFIX_VERSION, 1);
	json_kv(b, "mode", mode, 1);
	json_kv(b, "root", root, 1);
	json_time(b, "time", time(NULL));
}

void
json_end(struct sbuf *b, const char *result, const char *error)
{
	json_kv(b, "result", result, 1);
	if (error == NULL)
		sbuf_adds(b, ",\"error\":null");
	else {
		sbuf_adds(b, ",\"error\":{");
		json_kv(b, "message", error, 0);
		sbuf_addc(b, '}');
	}
	sbuf_adds(b, "}\n");
}

void
json_put(FILE *fp, struct sbuf *b)
{
	if (b->s != NULL)
		fwrite(b->s, 1, b->len, fp);
	sbuf_free(b);
}

void
json_error_doc(FILE *fp, const char *root, const char *error)
{
	struct sbuf b = { 0 };

	json_begin(&b, "error", root);
	json_end(&b, "error", error);
	json_put(fp, &b);
}
