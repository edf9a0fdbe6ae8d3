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
#include "target/keys/wire.h"
#include "util.h"

#define RSA_MIN_BITS	1024	/* sshkey.c SSH_RSA_MINIMUM_MODULUS_SIZE */

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

/* The key inside the private section, after its type string. */
static enum kp_result
v1_key(struct wire *c, struct keyinfo *ki)
{
	struct wire n, t = { (const unsigned char *)ki->type,
	    strlen(ki->type) };

	if (wire_streq(&t, "ssh-ed25519")) {
		if (wire_skip(c, 2, &n) == -1 || n.n != 64)
			return KP_CORRUPT;
	} else if (wire_streq(&t, "ssh-rsa")) {
		if (wire_str(c, &n) == -1 || wire_skip(c, 5, NULL) == -1)
			return KP_CORRUPT;
		ki->bits = bitlen(n.p, n.n);
		if (ki->bits < RSA_MIN_BITS)
			return KP_SMALL;
	} else if (strncmp(ki->type, "ecdsa-sha2-nistp", 16) == 0) {
		if (wire_skip(c, 3, NULL) == -1)
			return KP_CORRUPT;
	} else if (wire_streq(&t, "ssh-dss")) {
		if (wire_skip(c, 5, NULL) == -1)
			return KP_CORRUPT;
	} else
		return KP_UNKNOWN;
	if (wire_skip(c, 1, NULL) == -1)	/* comment */
		return KP_CORRUPT;
	return KP_OK;
}

static enum kp_result
openssh_v1(const unsigned char *b, size_t len, struct keyinfo *ki)
{
	static const char magic[] = "openssh-key-v1";
	struct wire c = { b, len }, cipher, kdf, s, priv;
	uint32_t nkeys, ck1, ck2;
	enum kp_result r;
	size_t i;

	if (wire_take(&c, sizeof(magic), NULL) == -1 ||
	    memcmp(b, magic, sizeof(magic)) != 0)
		return KP_CORRUPT;
	if (wire_str(&c, &cipher) == -1 || wire_str(&c, &kdf) == -1 ||
	    wire_str(&c, &s) == -1 || wire_u32(&c, &nkeys) == -1 || nkeys != 1 ||
	    wire_str(&c, &s) == -1 || wire_str(&c, &priv) == -1 || c.n != 0)
		return KP_CORRUPT;
	if (!wire_streq(&cipher, "none"))
		return KP_ENCRYPTED;
	if (!wire_streq(&kdf, "none") || priv.n % 8 != 0)
		return KP_CORRUPT;
	if (wire_u32(&priv, &ck1) == -1 || wire_u32(&priv, &ck2) == -1 || ck1 != ck2 ||
	    wire_str(&priv, &s) == -1 || s.n == 0 || s.n >= sizeof(ki->type))
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
der(struct wire *c, unsigned char tag, struct wire *in)
{
	const unsigned char *b;
	size_t l = 0, k;

	if (wire_take(c, 2, &b) == -1 || b[0] != tag)
		return -1;
	if (b[1] < 0x80)
		l = b[1];
	else {
		k = b[1] & 0x7f;
		if (k == 0 || k > 4 || wire_take(c, k, &b) == -1)
			return -1;
		while (k-- > 0)
			l = l << 8 | *b++;
	}
	in->n = l;
	return wire_take(c, l, &in->p);
}

/* RSAPrivateKey (PKCS#1): version, n, e, d, p, q, dp, dq, qinv. */
static enum kp_result
pkcs1(struct wire c, struct keyinfo *ki)
{
	struct wire seq, n, x;
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
pkcs8(struct wire c, struct keyinfo *ki)
{
	static const unsigned char rsa_oid[] = { 0x2a, 0x86, 0x48, 0x86,
	    0xf7, 0x0d, 0x01, 0x01, 0x01 };
	struct wire seq, alg, oid, x;

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

	if (wire_unb64(body, len, b, &n) == 0) {
		struct wire c = { b, n };

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
blob_fields(struct wire *c, const char *type)
{
	struct wire s;

	if (strcmp(type, "ssh-ed25519") == 0)
		return wire_str(c, &s) == 0 && s.n == 32 ? 0 : -1;
	if (strcmp(type, "sk-ssh-ed25519@openssh.com") == 0)
		return wire_str(c, &s) == 0 && s.n == 32 ? wire_skip(c, 1, NULL) : -1;
	if (strcmp(type, "ssh-rsa") == 0)
		return wire_skip(c, 2, NULL);
	if (strcmp(type, "ssh-dss") == 0)
		return wire_skip(c, 4, NULL);
	if (strncmp(type, "ecdsa-sha2-", 11) == 0)
		return wire_str(c, &s) == 0 && wire_streq(&s, type + 11) ?
		    wire_skip(c, 1, NULL) : -1;
	if (strncmp(type, "sk-ecdsa-sha2-", 14) == 0)
		return wire_str(c, &s) == 0 && s.n == 8 &&
		    memcmp(s.p, type + 14, 8) == 0 ? wire_skip(c, 2, NULL) : -1;
	return 1;	/* a certificate: not modelled */
}

/*
 * Decode B64 into a buffer (free it) and read the blob's first string,
 * its key type, into *S; *C is what follows. NULL if either fails.
 */
static unsigned char *
blob_open(const char *b64, size_t len, struct wire *c, struct wire *s)
{
	unsigned char *b = xmalloc(len / 4 * 3 + 3);
	size_t n;

	if (wire_unb64(b64, len, b, &n) == 0) {
		c->p = b;
		c->n = n;
		if (wire_str(c, s) == 0)
			return b;
	}
	free(b);
	return NULL;
}

int
pubkey_blob_ok(const char *type, const char *b64, size_t len)
{
	struct wire c = { 0 }, s;
	unsigned char *b = blob_open(b64, len, &c, &s);
	int r = -1;

	if (b != NULL && wire_streq(&s, type))
		r = blob_fields(&c, type);
	free(b);
	return r == 1 || (r == 0 && c.n == 0);
}

int
pubkey_rsa_bits(const char *b64, size_t len)
{
	struct wire c = { 0 }, s, e, n;
	unsigned char *b = blob_open(b64, len, &c, &s);
	int bits = -1;

	/* ssh-rsa: e, n; its certificate: a nonce first */
	if (b != NULL && (wire_streq(&s, "ssh-rsa") ||
	    (wire_streq(&s, "ssh-rsa-cert-v01@openssh.com") &&
	    wire_skip(&c, 1, NULL) == 0)) && wire_str(&c, &e) == 0 &&
	    wire_str(&c, &n) == 0)
		bits = (int)bitlen(n.p, n.n);
	free(b);
	return bits;
}

char *
pubkey_fingerprint(const char *b64, size_t len)
{
	unsigned char *b = xmalloc(len / 4 * 3 + 3);
	uint8_t d[SHA256_DIGEST_LENGTH];
	struct sbuf s = { 0 };
	SHA2_CTX ctx;
	size_t n;

	if (wire_unb64(b64, len, b, &n) == -1) {
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
	struct wire c = { 0 }, s;
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
