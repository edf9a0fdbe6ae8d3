/*
 * The SSH wire format and base64 (wire.h). MUST: never read past a
 * length the cursor does not hold.
 */
#include <string.h>

#include "target/keys/wire.h"

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int
wire_unb64(const char *s, size_t len, unsigned char *out, size_t *outlen)
{
	uint32_t acc = 0;
	size_t i, n = 0, q = 0, pad = 0;
	int v;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n')
			continue;
		if (s[i] == '=') {
			pad++;
			acc <<= 6;
		} else if (pad > 0 || (v = b64val((unsigned char)s[i])) < 0)
			return -1;
		else
			acc = acc << 6 | (uint32_t)v;
		if (++q % 4 == 0) {
			out[n++] = acc >> 16;
			out[n++] = acc >> 8;
			out[n++] = acc;
			acc = 0;
		}
	}
	if (q % 4 != 0 || pad > 2)
		return -1;
	*outlen = n - pad;
	return 0;
}

int
wire_take(struct wire *c, size_t k, const unsigned char **out)
{
	if (c->n < k)
		return -1;
	if (out != NULL)
		*out = c->p;
	c->p += k;
	c->n -= k;
	return 0;
}

int
wire_u32(struct wire *c, uint32_t *v)
{
	const unsigned char *b;

	if (wire_take(c, 4, &b) == -1)
		return -1;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	return 0;
}

int
wire_u64(struct wire *c, uint64_t *v)
{
	uint32_t hi, lo;

	if (wire_u32(c, &hi) == -1 || wire_u32(c, &lo) == -1)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int
wire_str(struct wire *c, struct wire *s)
{
	uint32_t l;

	if (wire_u32(c, &l) == -1 || wire_take(c, l, &s->p) == -1)
		return -1;
	s->n = l;
	return 0;
}

int
wire_skip(struct wire *c, int count, struct wire *last)
{
	struct wire s = { 0 };

	while (count-- > 0)
		if (wire_str(c, &s) == -1)
			return -1;
	if (last != NULL)
		*last = s;
	return 0;
}

int
wire_streq(const struct wire *s, const char *lit)
{
	return s->n == strlen(lit) && memcmp(s->p, lit, s->n) == 0;
}
