/*
 * The SSH wire format (RFC 4251 section 5) as key blobs, private key
 * containers and certificates use it, read from a cursor that never
 * moves past the bytes it holds, and the base64 those blobs are written
 * in. Implemented in src/target/keys/wire.c.
 */
#ifndef SSHFIX_WIRE_H
#define SSHFIX_WIRE_H

#include <stddef.h>
#include <stdint.h>

struct wire {
	const unsigned char *p;
	size_t		 n;
};

/*
 * Decode base64 S (LEN bytes, whitespace ignored) into OUT (at least
 * LEN / 4 * 3 + 3 bytes); *OUTLEN the bytes written. -1 if malformed.
 */
int	wire_unb64(const char *s, size_t len, unsigned char *out,
	    size_t *outlen);
/* The next K bytes (*OUT, may be NULL); -1 if fewer are left. */
int	wire_take(struct wire *, size_t k, const unsigned char **out);
int	wire_u32(struct wire *, uint32_t *);
int	wire_u64(struct wire *, uint64_t *);
/* A string (uint32 length, bytes) into S, pointing into the cursor. */
int	wire_str(struct wire *, struct wire *s);
/* Skip COUNT strings (mpints and blobs alike); *LAST the last one. */
int	wire_skip(struct wire *, int count, struct wire *last);
/* Is S exactly the C string LIT? */
int	wire_streq(const struct wire *s, const char *lit);

#endif
