/*
 * src/target/keys/: keys -- their blobs (keyparse.c), the text of a key
 * line (keytext.c), each line of an authorized_keys file (keylines.c),
 * algorithms by release (keyalgs.c), host keys (hostkeys.c), keys given
 * with --authorized-key (newkeys.c). Uses the top of src/target/ and
 * what is below it.
 *
 * MUST: read only the bytes given; a line is judged as sshd's
 * check_authkeys_file would read it (one line, "\r" ignored by the
 * base64 decoder). Nothing here decides a verdict that depends on the
 * client or the clock: that is stored for key-refused.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "target/keys/keytext.h"
#include "target/keys/keylines.h"
#include "target/keys/keyparse.h"
#include "util.h"

#define JOIN_MAX	8	/* lines one wrapped key may span */
#define RFC4716_MAX	64	/* lines one RFC 4716 block may span */

static const char rfc_begin[] = "---- BEGIN SSH2 PUBLIC KEY ----";
static const char rfc_end[] = "---- END SSH2 PUBLIC KEY ----";

struct span {
	const char	*p;
	size_t		 n;
};

static struct keyline *
add(struct keylines *kl, enum keyline_kind kind, size_t line,
    const struct keyline_parts *kp)
{
	struct keyline *k;

	kl->v = xreallocarray(kl->v, kl->n + 1, sizeof(*kl->v));
	k = &kl->v[kl->n++];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->line = line;
	k->nlines = 1;
	if (kp->typelen < sizeof(k->type))
		memcpy(k->type, kp->type, kp->typelen);
	return k;
}

/*
 * Option NAME (auth-options.c opt_match, opt_dequote): 1 when present,
 * with *value its dequoted value (NULL for a flag), 0 when absent or the
 * options are unterminated (sshd refuses the line).
 */
static int
opt_find(const char *p, size_t len, const char *name, char **value)
{
	const char *end = p + len, *w;
	size_t nl = strlen(name);
	struct sbuf b = { 0 };
	int want;

	*value = NULL;
	while (p < end && *p != ' ' && *p != '\t') {
		w = p;
		while (p < end && *p != '=' && *p != ',' && *p != ' ')
			p++;
		want = (size_t)(p - w) == nl && strncasecmp(w, name, nl) == 0;
		if (p < end && *p == '=' && p + 1 < end && p[1] == '"') {
			for (p += 2; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end && p[1] == '"')
					p++;
				if (want)
					sbuf_addc(&b, *p);
			}
			if (p == end) {
				sbuf_free(&b);
				return 0;	/* unterminated: sshd refuses */
			}
			p++;
			if (want) {
				*value = sbuf_take(&b);
				return 1;
			}
		} else if (want)
			return 1;
		if (p < end && *p == ',')
			p++;
		else
			break;
	}
	return 0;
}

int
keyopts_next(const char **pp, char *name, size_t size, int *valued)
{
	const char *p = *pp, *w;

	*valued = 0;
	if (*p == '\0' || *p == ' ' || *p == '\t')
		return 0;
	for (w = p; *p != '\0' && *p != '=' && *p != ',' && *p != ' ' &&
	    *p != '\t'; p++)
		;
	if ((size_t)(p - w) >= size || p == w)
		return -1;
	memcpy(name, w, (size_t)(p - w));
	name[p - w] = '\0';
	if (*p == '=') {
		if (p[1] != '"')
			return -1;
		for (p += 2; *p != '\0' && *p != '"'; p++)
			if (*p == '\\' && p[1] == '"')
				p++;
		if (*p != '"')
			return -1;
		p++;
		*valued = 1;
	}
	/* A comma before the key is accepted (the key follows, not the
	   end of the line sshd's "unexpected end-of-options" means). */
	if (*p == ',')
		p++;
	else if (*p != '\0' && *p != ' ' && *p != '\t')
		return -1;
	*pp = p;
	return 1;
}

static char *
opt_value(const char *p, size_t len, const char *name)
{
	char *v;

	return opt_find(p, len, name, &v) ? v : NULL;
}

static int
key_ok(const char *line, size_t len, struct keyline_parts *kp)
{
	char type[48];

	if (!authkeys_line_split(line, len, kp) || kp->typelen >= sizeof(type))
		return 0;
	memcpy(type, kp->type, kp->typelen);
	type[kp->typelen] = '\0';
	return pubkey_blob_ok(type, kp->b64, kp->b64len);
}

static size_t
trim(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' ||
	    p[n - 1] == '\t'))
		n--;
	return n;
}

/*
 * Line I ends inside its base64: does it, joined with the next lines,
 * make a key sshd would read? The number of lines joined, or 0.
 */
static size_t
try_join(const struct span *l, size_t i, size_t nl, struct keylines *kl,
    const struct keyline_parts *first)
{
	struct sbuf j = { 0 }, old = { 0 };
	struct keyline_parts kp;
	struct keyline *k;
	size_t m;

	sbuf_add(&j, l[i].p, trim(l[i].p, l[i].n));
	sbuf_add(&old, l[i].p, l[i].n);
	for (m = 1; m < JOIN_MAX && i + m < nl; m++) {
		sbuf_add(&j, l[i + m].p, trim(l[i + m].p, l[i + m].n));
		sbuf_addc(&old, '\n');
		sbuf_add(&old, l[i + m].p, l[i + m].n);
		if (key_ok(j.s, j.len, &kp)) {
			k = add(kl, KL_WRAPPED, i, first);
			k->nlines = m + 1;
			k->text = sbuf_take(&j);
			k->old = sbuf_take(&old);
			return m + 1;
		}
	}
	sbuf_free(&j);
	sbuf_free(&old);
	return 0;
}

static int
is_line(const struct span *l, const char *lit)
{
	size_t n = strlen(lit);

	return trim(l->p, l->n) == n && memcmp(l->p, lit, n) == 0;
}

/* "Comment: value" of an RFC 4716 header, quotes taken off (malloc'd). */
static char *
rfc_comment(const char *p, size_t n)
{
	const char *v;

	if (n < 8 || strncasecmp(p, "Comment:", 8) != 0)
		return NULL;
	v = p + 8;
	n -= 8;
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	return n > 0 && memchr(v, '\n', n) == NULL ? xstrndup(v, n) : NULL;
}

/*
 * An RFC 4716 block at line I (PuTTYgen's "Save public key", ssh-keygen
 * -e): sshd reads none of its lines. The OpenSSH line it holds becomes a
 * KL_WRAPPED entry, so that key-refused converts it as it joins a wrapped
 * key. The number of lines of the block, or 0.
 */
static size_t
try_rfc4716(const struct span *l, size_t i, size_t nl, struct keylines *kl)
{
	struct sbuf b64 = { 0 }, old = { 0 };
	struct keyline_parts kp = { 0 };
	struct keyline *k;
	char type[48], *comment = NULL;
	size_t m, n, done = 0;
	int cont = 0;

	sbuf_add(&old, l[i].p, l[i].n);
	for (m = 1; m < RFC4716_MAX && i + m < nl && !done; m++) {
		const char *p = l[i + m].p;

		n = trim(p, l[i + m].n);
		sbuf_addc(&old, '\n');
		sbuf_add(&old, p, l[i + m].n);
		if (is_line(&l[i + m], rfc_end))
			done = m + 1;
		else if (cont || (b64.len == 0 && memchr(p, ':', n))) {
			if (!cont && comment == NULL)
				comment = rfc_comment(p, n);
			cont = n > 0 && p[n - 1] == '\\';
		} else
			sbuf_add(&b64, p, n);
	}
	if (done == 0 || b64.len == 0 || pubkey_blob_type(b64.s, b64.len,
	    type, sizeof(type)) == -1 || !pubkey_blob_ok(type, b64.s,
	    b64.len)) {
		sbuf_free(&b64);
		sbuf_free(&old);
		free(comment);
		return 0;
	}
	kp.type = type;
	kp.typelen = strlen(type);
	k = add(kl, KL_WRAPPED, i, &kp);
	k->nlines = done;
	k->rfc4716 = 1;
	k->text = xasprintf("%s %s%s%s", type, b64.s, comment ? " " : "",
	    comment ? comment : "");
	k->old = sbuf_take(&old);
	sbuf_free(&b64);
	free(comment);
	return done;
}

static void
options(size_t i, const struct keyline_parts *kp, size_t restlen,
    struct keylines *kl)
{
	time_t when;
	char *v = NULL;

	/* A CA's line: the type judged is the certificate's. */
	if (kp->optlen > 0 && opt_find(kp->opts, kp->optlen,
	    "cert-authority", &v)) {
		struct keyline *k = add(kl, KL_CA, i, kp);

		k->text = xstrndup(kp->b64, kp->b64len);
		k->command = opt_value(kp->opts, kp->optlen, "principals");
	} else {
		struct keyline *k = add(kl, KL_KEY, i, kp);
		size_t n;

		const char *c = kp->rest;

		k->text = xstrndup(kp->b64, kp->b64len);
		n = trim(c, restlen);
		while (n > 0 && (*c == ' ' || *c == '\t')) {
			c++;
			n--;
		}
		if (n > 0)
			k->comment = xstrndup(c, n);
		if (kp->optlen > 0)
			k->command = opt_value(kp->opts, kp->optlen, "command");
	}
	free(v);
	if (kp->optlen == 0)
		return;
	add(kl, KL_OPTS, i, kp)->text = xstrndup(kp->opts, kp->optlen);
	if ((v = opt_value(kp->opts, kp->optlen, "from")) != NULL)
		add(kl, KL_FROM, i, kp)->text = v;
	if ((v = opt_value(kp->opts, kp->optlen, "expiry-time")) == NULL)
		return;
	if (keylines_time(v, &when) == -1) {
		free(v);	/* malformed: sshd's verdict not modelled */
		return;
	}
	add(kl, KL_EXPIRY, i, kp)->text = v;
	kl->v[kl->n - 1].when = when;
}

void
keylines_scan(const char *data, size_t len, struct keylines *kl)
{
	const char *p = data, *end = data + len, *nl;
	struct keyline_parts kp;
	struct span *l = NULL;
	size_t n = 0, i, first = 0, used;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		l = xreallocarray(l, n + 1, sizeof(*l));
		l[n].p = p;
		l[n++].n = (size_t)(nl - p);
		if (nl == end)
			break;
	}
	/* A BOM on line 1 hides that line's key from sshd. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		first = 1;
	for (i = first; i < n; i++) {
		if (is_line(&l[i], rfc_begin) &&
		    (used = try_rfc4716(l, i, n, kl)) > 0) {
			i += used - 1;
			continue;
		}
		if (!authkeys_line_split(l[i].p, l[i].n, &kp))
			continue;
		if (key_ok(l[i].p, l[i].n, &kp)) {
			kl->nvalid++;
			options(i, &kp, (size_t)(l[i].p + l[i].n - kp.rest),
			    kl);
			continue;
		}
		if (trim(kp.rest, (size_t)(l[i].p + l[i].n - kp.rest)) == 0 &&
		    (used = try_join(l, i, n, kl, &kp)) > 0) {
			i += used - 1;
			continue;
		}
		add(kl, KL_BADKEY, i, &kp);
	}
	free(l);
}

void
keylines_free(struct keylines *kl)
{
	size_t i;

	for (i = 0; i < kl->n; i++) {
		free(kl->v[i].text);
		free(kl->v[i].old);
		free(kl->v[i].comment);
		free(kl->v[i].command);
	}
	free(kl->v);
	memset(kl, 0, sizeof(*kl));
}

int
keylines_time(const char *s, time_t *out)
{
	size_t l = strlen(s), i;
	int utc = 0, f[6] = { 0 };
	struct tm tm;

	if (l > 1 && s[l - 1] == 'Z') {
		utc = 1;
		l--;
	}
	if (l != 8 && l != 12 && l != 14)
		return -1;
	for (i = 0; i < l; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		f[i < 4 ? 0 : (i - 2) / 2] = f[i < 4 ? 0 : (i - 2) / 2] * 10 +
		    (s[i] - '0');
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = f[0] - 1900;
	tm.tm_mon = f[1] - 1;
	tm.tm_mday = f[2];
	tm.tm_hour = f[3];
	tm.tm_min = f[4];
	tm.tm_sec = f[5];
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 ||
	    f[4] > 59 || f[5] > 61)
		return -1;
	*out = utc ? timegm(&tm) : mktime(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}
