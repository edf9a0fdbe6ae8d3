/*
 * OpenSSH certificates (cert.h), read as sshkey.c cert_parse reads them:
 * the key type, a nonce, the key's own fields, then serial, type, key
 * id, principals, validity, critical options, extensions, reserved, the
 * signature key and the signature. MUST: never read past a length the
 * blob does not hold; bound the principals as sshd does.
 */
#include <stdlib.h>
#include <string.h>

#include "target/keys/cert.h"
#include "target/keys/wire.h"
#include "util.h"

#define CERT_SUFFIX	"-cert-v01@openssh.com"

int
cert_type(const char *type)
{
	size_t n = strlen(type), s = strlen(CERT_SUFFIX);

	return n > s && strcmp(type + n - s, CERT_SUFFIX) == 0;
}

int
cert_type_line(const char *line)
{
	char type[64];
	size_t n = strcspn(line, " \t");

	if (n == 0 || n >= sizeof(type))
		return 0;
	memcpy(type, line, n);
	type[n] = '\0';
	return cert_type(type);
}

/* How many strings the key of plain type T holds after its name. */
static int
key_fields(const char *t)
{
	static const struct { const char *type; int n; } f[] = {
		{ "ssh-ed25519", 1 }, { "ssh-rsa", 2 }, { "ssh-dss", 4 },
		{ "sk-ssh-ed25519@openssh.com", 2 },
		{ "ecdsa-sha2-nistp256", 2 }, { "ecdsa-sha2-nistp384", 2 },
		{ "ecdsa-sha2-nistp521", 2 },
		{ "sk-ecdsa-sha2-nistp256@openssh.com", 3 },
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(t, f[i].type) == 0)
			return f[i].n;
	return -1;
}

/* A wire string as a C string (malloc'd); NULL if it holds a NUL. */
static char *
cstr(const struct wire *s)
{
	return memchr(s->p, '\0', s->n) == NULL ?
	    xstrndup((const char *)s->p, s->n) : NULL;
}

static int
copy(const struct wire *s, char *out, size_t size)
{
	if (s->n == 0 || s->n >= size || memchr(s->p, '\0', s->n) != NULL)
		return -1;
	memcpy(out, s->p, s->n);
	out[s->n] = '\0';
	return 0;
}

static char *
b64(const unsigned char *p, size_t n)
{
	struct sbuf b = { 0 };

	sbuf_add_base64(&b, p, n, 1);
	return sbuf_take(&b);
}

/* The plain type of certificate type T: "ssh-rsa-cert-v01@..." -> ssh-rsa. */
static int
plain_type(const char *t, char *out, size_t size)
{
	size_t n = strlen(t) - strlen(CERT_SUFFIX);
	const char *sk = strncmp(t, "sk-", 3) == 0 ? "@openssh.com" : "";

	if (n + strlen(sk) >= size)
		return -1;
	memcpy(out, t, n);
	memcpy(out + n, sk, strlen(sk) + 1);
	return 0;
}

/* The key alone, as a plain key line holds it: its type, its fields. */
static char *
plain_blob(const char *type, const unsigned char *p, size_t n)
{
	struct sbuf b = { 0 };
	size_t tl = strlen(type);
	char len[4] = { (char)(tl >> 24), (char)(tl >> 16), (char)(tl >> 8),
	    (char)tl };
	char *r;

	sbuf_add(&b, len, 4);
	sbuf_add(&b, type, tl);
	sbuf_add(&b, (const char *)p, n);
	r = b64((const unsigned char *)b.s, b.len);
	sbuf_free(&b);
	return r;
}

static int
principals(struct wire s, struct sshcert *c)
{
	struct wire p;

	while (s.n > 0) {
		if (c->nprincipals >= CERT_MAX_PRINCIPALS ||
		    wire_str(&s, &p) == -1)
			return -1;
		c->principals = xreallocarray(c->principals,
		    c->nprincipals + 2, sizeof(char *));
		if ((c->principals[c->nprincipals] = cstr(&p)) == NULL)
			return -1;
		c->principals[++c->nprincipals] = NULL;
	}
	return 0;
}

/* The critical options: source-address kept, any unknown one named. */
static int
critical(struct wire s, struct sshcert *c)
{
	struct wire name, data, v;

	while (s.n > 0) {
		if (wire_str(&s, &name) == -1 || wire_str(&s, &data) == -1)
			return -1;
		if (wire_streq(&name, "source-address")) {
			if (c->source_address != NULL ||
			    wire_str(&data, &v) == -1 || data.n != 0 ||
			    (c->source_address = cstr(&v)) == NULL)
				return -1;
		} else if (!wire_streq(&name, "force-command") &&
		    !wire_streq(&name, "verify-required") &&
		    c->bad_critical == NULL &&
		    (c->bad_critical = cstr(&name)) == NULL)
			return -1;
	}
	return 0;
}

static int
parse(struct wire *w, struct sshcert *c)
{
	struct wire t, s, ca, sig, crit, prin;
	const unsigned char *k0;
	int n;

	if (wire_str(w, &t) == -1 || copy(&t, c->type, sizeof(c->type)) ||
	    !cert_type(c->type) ||
	    plain_type(c->type, c->plain, sizeof(c->plain)) == -1 ||
	    (n = key_fields(c->plain)) == -1 ||
	    wire_str(w, &s) == -1)		/* nonce */
		return -1;
	k0 = w->p;
	if (wire_skip(w, n, NULL) == -1)
		return -1;
	c->plain_b64 = plain_blob(c->plain, k0, (size_t)(w->p - k0));
	if (wire_u64(w, &c->serial) == -1 || wire_u32(w, &c->kind) == -1 ||
	    wire_str(w, &s) == -1 || (c->key_id = cstr(&s)) == NULL ||
	    wire_str(w, &prin) == -1 || principals(prin, c) == -1 ||
	    wire_u64(w, &c->valid_after) == -1 ||
	    wire_u64(w, &c->valid_before) == -1 ||
	    wire_str(w, &crit) == -1 || critical(crit, c) == -1 ||
	    wire_skip(w, 2, NULL) == -1 ||	/* extensions, reserved */
	    wire_str(w, &ca) == -1 || wire_str(w, &sig) == -1 || w->n != 0)
		return -1;
	if (c->kind != CERT_TYPE_USER && c->kind != CERT_TYPE_HOST)
		return -1;
	c->ca_b64 = b64(ca.p, ca.n);
	if (wire_str(&ca, &s) == -1 || copy(&s, c->ca_type,
	    sizeof(c->ca_type)) == -1 || wire_str(&sig, &s) == -1 ||
	    copy(&s, c->sig_alg, sizeof(c->sig_alg)) == -1)
		return -1;
	return 0;
}

int
cert_parse(const char *text, size_t len, struct sshcert *c)
{
	unsigned char *b = xmalloc(len / 4 * 3 + 3);
	struct wire w;
	size_t n;
	int r = -1;

	memset(c, 0, sizeof(*c));
	if (wire_unb64(text, len, b, &n) == 0) {
		w.p = b;
		w.n = n;
		r = parse(&w, c);
	}
	free(b);
	if (r == -1)
		cert_free(c);
	return r;
}

int
cert_parse_line(const char *line, struct sshcert *c, char **b64)
{
	size_t a = strcspn(line, " \t"), n;
	const char *p = line + a + strspn(line + a, " \t");

	n = strcspn(p, " \t\r\n");
	*b64 = xstrndup(p, n);
	if (cert_parse(*b64, n, c) == -1) {
		free(*b64);
		*b64 = NULL;
		return -1;
	}
	return 0;
}

void
cert_free(struct sshcert *c)
{
	free(c->plain_b64);
	free(c->key_id);
	free_strv(c->principals);
	free(c->source_address);
	free(c->bad_critical);
	free(c->ca_b64);
	memset(c, 0, sizeof(*c));
}
