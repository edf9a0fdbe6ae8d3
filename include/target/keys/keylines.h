/*
 * The lines of an authorized keys file sshd will not use, or will use
 * only on a condition (auth2-pubkey.c check_authkeys_file, sshkey_read,
 * auth-options.c): read once, with the file, by login.c. Judging them
 * against the client address and the clock is key-refused's job.
 */
#ifndef SSHFIX_KEYLINES_H
#define SSHFIX_KEYLINES_H

#include <stddef.h>
#include <time.h>

enum keyline_kind {
	KL_WRAPPED,	/* a key cut over several lines; joined it is valid */
	KL_BADKEY,	/* a key type whose base64 sshd cannot read */
	KL_FROM,	/* from="patterns": only from those clients */
	KL_EXPIRY,	/* expiry-time="...": refused after it */
	KL_KEY,		/* a key sshd can parse (not a CA's): its type judged */
	KL_OPTS,	/* its options, as written: their names judged */
	KL_CA,		/* a cert-authority line: the CA's key */
};

struct keyline {
	enum keyline_kind kind;
	size_t		 line;		/* 0-based, the first line */
	size_t		 nlines;	/* KL_WRAPPED: lines joined */
	char		*text;		/* KL_WRAPPED the joined line, KL_FROM
					   the patterns, KL_EXPIRY the value,
					   KL_KEY and KL_CA the key's
					   base64,
					   KL_OPTS the options */
	char		*comment;	/* KL_KEY: the comment, or NULL */
	char		*command;	/* KL_KEY: its command= option, as
					   sshd dequotes it, KL_CA: its
					   principals= option, or NULL */
	char		*old;		/* KL_WRAPPED: the lines, "\n"-joined */
	int		 rfc4716;	/* KL_WRAPPED: an RFC 4716 block
					   (PuTTYgen, ssh-keygen -e) that
					   text is the OpenSSH line of */
	char		 type[48];	/* the key type */
	time_t		 when;		/* KL_EXPIRY, as sshd reads it */
};

struct keylines {
	struct keyline	*v;
	size_t		 n;
	int		 nvalid;	/* keys sshd can parse at all */
};

/*
 * The next option of an options string (KL_OPTS text) at *P: its name
 * into NAME (SIZE), *VALUED when a ="..." value follows. 1 for an
 * option, 0 at the end, -1 when sshd's parser would stop there (an
 * unterminated quote, a value without quotes, a name too long).
 */
int	keyopts_next(const char **p, char *name, size_t size, int *valued);

/* Scan authorized_keys text into KL (appending). */
void	keylines_scan(const char *data, size_t len, struct keylines *kl);
void	keylines_free(struct keylines *);

/*
 * sshd's parse_absolute_time: YYYYMMDD[HHMM[SS]][Z], local time unless
 * Z. -1 if malformed.
 */
int	keylines_time(const char *s, time_t *out);

#endif
