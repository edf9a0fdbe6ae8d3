/*
 * Private key files read only to judge them: the openssh-key-v1
 * container (PROTOCOL.key) and RSA in PEM (PKCS#1) or unencrypted
 * PKCS#8. MUST: never read past a length the data does not hold; wipe
 * every decoded buffer; return KP_UNKNOWN for what it does not model.
 */
#include <sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/keys/keyparse.h"
#include "util.h"

#define RSA_MIN_BITS	1024	/* sshkey.c SSH_RSA_MINIMUM_MODULUS_SIZE */

struct cur {
	const unsigned char *p;
	size_t		 n;
};

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

/* Base64 between BEGIN and END, whitespace ignored; -1 if malformed. */
static int
unb64(const char *s, size_t len, unsigned char *out, size_t *outlen)
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

static int
take(struct cur *c, size_t k, const unsigned char **out)
{
	if (c->n < k)
		return -1;
	if (out != NULL)
		*out = c->p;
	c->p += k;
	c->n -= k;
	return 0;
}

static int
u32(struct cur *c, uint32_t *v)
{
	const unsigned char *b;

	if (take(c, 4, &b) == -1)
		return -1;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	return 0;
}

static int
str(struct cur *c, struct cur *s)
{
	uint32_t l;

	if (u32(c, &l) == -1 || take(c, l, &s->p) == -1)
		return -1;
	s->n = l;
	return 0;
}

static int
streq(const struct cur *s, const char *lit)
{
	return s->n == strlen(lit) && memcmp(s->p, lit, s->n) == 0;
}

static unsigned int
bitlen(const unsigned char *p, size_t n)
{
	unsigned int b;

	while (n > 0 && *p == 0) {
		p++;
		n--;
	}
	if (n == 0)
		return 0;
	for (b = 8; b > 0 && !(*p & 1u << (b - 1)); b--)
		;
	return (unsigned int)(n - 1) * 8 + b;
}

/* Skip COUNT ssh strings (mpints and blobs alike). */
static int
skip(struct cur *c, int count, struct cur *last)
{
	struct cur s;

	while (count-- > 0)
		if (str(c, &s) == -1)
			return -1;
	if (last != NULL)
		*last = s;
	return 0;
}

/* The key inside the private section, after its type string. */
static enum kp_result
v1_key(struct cur *c, struct keyinfo *ki)
{
	struct cur n, t = { (const unsigned char *)ki->type,
	    strlen(ki->type) };

	if (streq(&t, "ssh-ed25519")) {
		if (skip(c, 2, &n) == -1 || n.n != 64)
			return KP_CORRUPT;
	} else if (streq(&t, "ssh-rsa")) {
		if (str(c, &n) == -1 || skip(c, 5, NULL) == -1)
			return KP_CORRUPT;
		ki->bits = bitlen(n.p, n.n);
		if (ki->bits < RSA_MIN_BITS)
			return KP_SMALL;
	} else if (strncmp(ki->type, "ecdsa-sha2-nistp", 16) == 0) {
		if (skip(c, 3, NULL) == -1)
			return KP_CORRUPT;
	} else if (streq(&t, "ssh-dss")) {
		if (skip(c, 5, NULL) == -1)
			return KP_CORRUPT;
	} else
		return KP_UNKNOWN;
	if (skip(c, 1, NULL) == -1)	/* comment */
		return KP_CORRUPT;
	return KP_OK;
}

static enum kp_result
openssh_v1(const unsigned char *b, size_t len, struct keyinfo *ki)
{
	static const char magic[] = "openssh-key-v1";
	struct cur c = { b, len }, cipher, kdf, s, priv;
	uint32_t nkeys, ck1, ck2;
	enum kp_result r;
	size_t i;

	if (take(&c, sizeof(magic), NULL) == -1 ||
	    memcmp(b, magic, sizeof(magic)) != 0)
		return KP_CORRUPT;
	if (str(&c, &cipher) == -1 || str(&c, &kdf) == -1 ||
	    str(&c, &s) == -1 || u32(&c, &nkeys) == -1 || nkeys != 1 ||
	    str(&c, &s) == -1 || str(&c, &priv) == -1 || c.n != 0)
		return KP_CORRUPT;
	if (!streq(&cipher, "none"))
		return KP_ENCRYPTED;
	if (!streq(&kdf, "none") || priv.n % 8 != 0)
		return KP_CORRUPT;
	if (u32(&priv, &ck1) == -1 || u32(&priv, &ck2) == -1 || ck1 != ck2 ||
	    str(&priv, &s) == -1 || s.n == 0 || s.n >= sizeof(ki->type))
		return KP_CORRUPT;
	memcpy(ki->type, s.p, s.n);
	ki->type[s.n] = '\0';
	if ((r = v1_key(&priv, ki)) == KP_CORRUPT)
		return KP_CORRUPT;
	/* Padding is 1, 2, 3, ... (sshkey.c private2_check_padding). */
	for (i = 0; i < priv.n; i++)
		if (priv.p[i] != (unsigned char)(i + 1))
			return KP_CORRUPT;
	return r;
}

/* One DER element of type TAG; its contents in *IN. */
static int
der(struct cur *c, unsigned char tag, struct cur *in)
{
	const unsigned char *b;
	size_t l = 0, k;

	if (take(c, 2, &b) == -1 || b[0] != tag)
		return -1;
	if (b[1] < 0x80)
		l = b[1];
	else {
		k = b[1] & 0x7f;
		if (k == 0 || k > 4 || take(c, k, &b) == -1)
			return -1;
		while (k-- > 0)
			l = l << 8 | *b++;
	}
	in->n = l;
	return take(c, l, &in->p);
}

/* RSAPrivateKey (PKCS#1): version, n, e, d, p, q, dp, dq, qinv. */
static enum kp_result
pkcs1(struct cur c, struct keyinfo *ki)
{
	struct cur seq, n, x;
	int i;

	snprintf(ki->type, sizeof(ki->type), "ssh-rsa");
	if (der(&c, 0x30, &seq) == -1 || der(&seq, 0x02, &x) == -1 ||
	    der(&seq, 0x02, &n) == -1)
		return KP_CORRUPT;
	for (i = 0; i < 7; i++)
		if (der(&seq, 0x02, &x) == -1)
			return KP_CORRUPT;
	ki->bits = bitlen(n.p, n.n);
	return ki->bits < RSA_MIN_BITS ? KP_SMALL : KP_OK;
}

/* PrivateKeyInfo (PKCS#8): only RSA is judged here. */
static enum kp_result
pkcs8(struct cur c, struct keyinfo *ki)
{
	static const unsigned char rsa_oid[] = { 0x2a, 0x86, 0x48, 0x86,
	    0xf7, 0x0d, 0x01, 0x01, 0x01 };
	struct cur seq, alg, oid, x;

	if (der(&c, 0x30, &seq) == -1 || der(&seq, 0x02, &x) == -1 ||
	    der(&seq, 0x30, &alg) == -1 || der(&alg, 0x06, &oid) == -1 ||
	    der(&seq, 0x04, &x) == -1)
		return KP_CORRUPT;
	if (oid.n != sizeof(rsa_oid) || memcmp(oid.p, rsa_oid, oid.n) != 0)
		return KP_UNKNOWN;
	return pkcs1(x, ki);
}

/* In the order decode() knows them. */
static const char *const forms[] = {
	"OPENSSH PRIVATE KEY", "RSA PRIVATE KEY", "PRIVATE KEY",
};

static enum kp_result
decode(int form, const char *body, size_t len, struct keyinfo *ki)
{
	unsigned char *b = xmalloc(len / 4 * 3 + 3);
	size_t n;
	enum kp_result r = KP_CORRUPT;

	if (unb64(body, len, b, &n) == 0) {
		struct cur c = { b, n };

		r = form == 0 ? openssh_v1(b, n, ki) : form == 1 ?
		    pkcs1(c, ki) : pkcs8(c, ki);
	}
	explicit_bzero(b, len / 4 * 3 + 3);
	free(b);
	return r;
}

enum kp_result
keyparse(const char *data, size_t len, struct keyinfo *ki)
{
	char begin[64], end[64];
	const char *b, *e;
	size_t i;

	memset(ki, 0, sizeof(*ki));
	for (i = 0; i < ARRAY_LEN(forms); i++) {
		snprintf(begin, sizeof(begin), "-----BEGIN %s-----\n",
		    forms[i]);
		snprintf(end, sizeof(end), "-----END %s-----", forms[i]);
		if ((b = memmem(data, len, begin, strlen(begin))) == NULL)
			continue;
		b += strlen(begin);
		if ((e = memmem(b, len - (size_t)(b - data), end,
		    strlen(end))) == NULL)
			return KP_CORRUPT;
		/* PEM headers (Proc-Type: 4,ENCRYPTED) mean a passphrase. */
		if (memchr(b, ':', (size_t)(e - b)) != NULL)
			return i == 1 ? KP_ENCRYPTED : KP_CORRUPT;
		return decode((int)i, b, (size_t)(e - b), ki);
	}
	return KP_UNKNOWN;
}

/*
 * The public key blob of an authorized_keys line, as sshkey_read checks
 * it: base64 that decodes, a type string equal to the line's, and for the
 * plain key types exactly the fields sshkey_from_blob reads, nothing
 * left over. Certificates are judged by their type string only.
 */
static int
blob_fields(struct cur *c, const char *type)
{
	struct cur s;

	if (strcmp(type, "ssh-ed25519") == 0)
		return str(c, &s) == 0 && s.n == 32 ? 0 : -1;
	if (strcmp(type, "sk-ssh-ed25519@openssh.com") == 0)
		return str(c, &s) == 0 && s.n == 32 ? skip(c, 1, NULL) : -1;
	if (strcmp(type, "ssh-rsa") == 0)
		return skip(c, 2, NULL);
	if (strcmp(type, "ssh-dss") == 0)
		return skip(c, 4, NULL);
	if (strncmp(type, "ecdsa-sha2-", 11) == 0)
		return str(c, &s) == 0 && streq(&s, type + 11) ?
		    skip(c, 1, NULL) : -1;
	if (strncmp(type, "sk-ecdsa-sha2-", 14) == 0)
		return str(c, &s) == 0 && s.n == 8 &&
		    memcmp(s.p, type + 14, 8) == 0 ? skip(c, 2, NULL) : -1;
	return 1;	/* a certificate: not modelled */
}

/*
 * Decode B64 into a buffer (free it) and read the blob's first string,
 * its key type, into *S; *C is what follows. NULL if either fails.
 */
static unsigned char *
blob_open(const char *b64, size_t len, struct cur *c, struct cur *s)
{
	unsigned char *b = xmalloc(len / 4 * 3 + 3);
	size_t n;

	if (unb64(b64, len, b, &n) == 0) {
		c->p = b;
		c->n = n;
		if (str(c, s) == 0)
			return b;
	}
	free(b);
	return NULL;
}

int
pubkey_blob_ok(const char *type, const char *b64, size_t len)
{
	struct cur c = { 0 }, s;
	unsigned char *b = blob_open(b64, len, &c, &s);
	int r = -1;

	if (b != NULL && streq(&s, type))
		r = blob_fields(&c, type);
	free(b);
	return r == 1 || (r == 0 && c.n == 0);
}

char *
pubkey_fingerprint(const char *b64, size_t len)
{
	unsigned char *b = xmalloc(len / 4 * 3 + 3);
	uint8_t d[SHA256_DIGEST_LENGTH];
	struct sbuf s = { 0 };
	SHA2_CTX ctx;
	size_t n;

	if (unb64(b64, len, b, &n) == -1) {
		free(b);
		return NULL;
	}
	SHA256Init(&ctx);
	SHA256Update(&ctx, b, n);
	SHA256Final(d, &ctx);
	free(b);
	sbuf_adds(&s, "SHA256:");
	sbuf_add_base64(&s, d, sizeof(d), 0);
	return sbuf_take(&s);
}

int
pubkey_blob_type(const char *b64, size_t len, char *type, size_t size)
{
	struct cur c = { 0 }, s;
	unsigned char *b = blob_open(b64, len, &c, &s);
	int r = -1;

	if (b != NULL && s.n > 0 && s.n < size &&
	    memchr(s.p, '\0', s.n) == NULL) {
		memcpy(type, s.p, s.n);
		type[s.n] = '\0';
		r = 0;
	}
	free(b);
	return r;
}

const char *
key_log_type(const char *type)
{
	static const struct { const char *prefix, *name; } m[] = {
		{ "ssh-ed25519", "ED25519" }, { "ssh-rsa", "RSA" },
		{ "ecdsa-sha2-", "ECDSA" }, { "ssh-dss", "DSA" },
		{ "sk-ssh-ed25519", "ED25519-SK" }, { "sk-ecdsa-", "ECDSA-SK" },
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strncmp(type, m[i].prefix, strlen(m[i].prefix)) == 0)
			return m[i].name;
	return type;
}
