/*
 * An OpenSSH certificate (PROTOCOL.certkeys) as a public key line holds
 * it: the fields sshd judges a user certificate by. Read from the blob
 * in process; the CA's signature is not verified (the person gave the
 * certificate; sshd verifies it). Implemented in src/target/keys/cert.c.
 */
#ifndef SSHFIX_CERT_H
#define SSHFIX_CERT_H

#include <stddef.h>
#include <stdint.h>

#define CERT_TYPE_USER	1
#define CERT_TYPE_HOST	2
#define CERT_MAX_PRINCIPALS 256	/* sshkey.c SSHKEY_CERT_MAX_PRINCIPALS */

struct sshcert {
	char		 type[64];	/* ssh-ed25519-cert-v01@openssh.com */
	char		 plain[48];	/* its key's type: ssh-ed25519 */
	char		*plain_b64;	/* its key as a plain key line holds it */
	uint64_t	 serial;
	uint32_t	 kind;		/* CERT_TYPE_USER or _HOST */
	char		*key_id;
	char		**principals;	/* NULL-terminated */
	size_t		 nprincipals;
	uint64_t	 valid_after, valid_before;
	char		*source_address;	/* critical option, or NULL */
	char		*bad_critical;	/* a critical option sshd refuses */
	char		 ca_type[48];	/* the signing key */
	char		*ca_b64;
	char		 sig_alg[48];	/* the CA's signature algorithm */
};

/* Is TYPE a certificate's key type ("...-cert-v01@openssh.com")? */
int	cert_type(const char *type);
/* Is the public key line LINE ("TYPE BASE64 [COMMENT]") a certificate? */
int	cert_type_line(const char *line);
/*
 * Parse the base64 blob B64 (LEN bytes) of a certificate into C (free
 * it with cert_free). -1 (and C empty) if it is not one sshd could read.
 */
int	cert_parse(const char *b64, size_t len, struct sshcert *c);
/* The same for a public key line "TYPE BASE64 [COMMENT]"; *B64 (free
   it) its base64. */
int	cert_parse_line(const char *line, struct sshcert *c, char **b64);
void	cert_free(struct sshcert *);

#endif
