/*
 * Enough of a private key file, parsed in process, to tell a key sshd
 * loads from a truncated or corrupt one without spawning ssh-keygen on
 * every dry run (sshkey.c sshkey_private_deserialize, and the PEM forms
 * libcrypto reads). Anything it cannot judge is KP_UNKNOWN: ask
 * ssh-keygen.
 */
#ifndef SSHFIX_KEYPARSE_H
#define SSHFIX_KEYPARSE_H

#include <stddef.h>

enum kp_result {
	KP_OK,
	KP_CORRUPT,	/* cut short or inconsistent */
	KP_ENCRYPTED,	/* a passphrase: sshd cannot load it */
	KP_SMALL,	/* RSA under 1024 bits: "Invalid key length" */
	KP_UNKNOWN,	/* a form this parser does not read */
};

struct keyinfo {
	char	type[32];	/* ssh-rsa, ssh-ed25519, ... when known */
	unsigned int bits;	/* RSA modulus bits */
};

enum kp_result keyparse(const char *data, size_t len, struct keyinfo *);

/*
 * Would sshkey_read accept the base64 blob B64 (LEN bytes) of a public
 * key of TYPE? 1 yes (or a certificate, not modelled), 0 no: cut short,
 * corrupt, another type inside, or bytes left over.
 */
int	pubkey_blob_ok(const char *type, const char *b64, size_t len);
/*
 * The fingerprint ssh-keygen -l and ssh -v print for the public key blob
 * B64 (LEN bytes): "SHA256:" and the unpadded base64 of its SHA-256
 * (malloc'd), or NULL if B64 is not base64.
 */
char	*pubkey_fingerprint(const char *b64, size_t len);
/* The modulus bits of the RSA key (or RSA certificate's key) in the
   public key blob B64 (LEN bytes); -1 if it is none or cannot be read. */
int	pubkey_rsa_bits(const char *b64, size_t len);
/* The name sshd logs for a key type ("ED25519", "RSA", "ECDSA-SK" ...). */
const char *key_log_type(const char *type);
/* The type string a public key blob starts with, into TYPE (SIZE
   bytes); -1 if B64 is not base64 or holds none. */
int	pubkey_blob_type(const char *b64, size_t len, char *type,
	    size_t size);

#endif
