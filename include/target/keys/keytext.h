/*
 * The text of an authorized_keys line as sshd reads it: where its
 * options, key type and base64 are, and how many keys a file holds.
 */
#ifndef SSHFIX_KEYTEXT_H
#define SSHFIX_KEYTEXT_H

#include <stddef.h>

/* Keys sshd would parse in authorized_keys text. */
int	authkeys_count(const char *data, size_t len);
/* One key line: [options] type base64 [comment]. */
int	authkeys_line_valid(const char *line, size_t len);

/* Where the parts of a key line are; optlen 0: no options. */
struct keyline_parts {
	const char	*opts, *type, *b64, *rest;
	size_t		 optlen, typelen, b64len;
};
/* authkeys_line_valid, and where it found the parts (set when 1). */
int	authkeys_line_split(const char *line, size_t len,
	    struct keyline_parts *);

#endif
