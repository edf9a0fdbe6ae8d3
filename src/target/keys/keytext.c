/*
 * The text of an authorized_keys line: [options] type base64 [comment],
 * and the number of such lines sshd would parse in a file.
 */
#include <string.h>

#include "target/keys/keytext.h"
#include "util.h"

static int
is_b64(const char *s, size_t n)
{
	size_t i;

	if (n < 16)
		return 0;
	for (i = 0; i < n; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789+/=", s[i]) == NULL || s[i] == '\0')
			return 0;
	return 1;
}

static int
is_keytype(const char *s, size_t n)
{
	static const char *types[] = { "ssh-rsa", "ssh-dss", "ssh-ed25519",
	    "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
	    "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-ed448" };
	size_t i;

	for (i = 0; i < ARRAY_LEN(types); i++)
		if (strlen(types[i]) == n && memcmp(types[i], s, n) == 0)
			return 1;
	/* Certificates: "<type>-cert-v01@openssh.com". */
	return n > 21 && memcmp(s + n - 21, "-cert-v01@openssh.com", 21) == 0;
}

/*
 * A key line is "type base64" after optional options. Options may hold
 * quoted spaces, so try each word as the type, as sshd effectively does.
 */
int
authkeys_line_split(const char *line, size_t len, struct keyline_parts *kp)
{
	const char *p = line, *end = line + len, *w, *b;
	int quoted = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p == '#')
		return 0;
	kp->opts = p;
	while (p < end) {
		w = p;
		while (p < end && (quoted || (*p != ' ' && *p != '\t'))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		if (is_keytype(w, (size_t)(p - w))) {
			kp->optlen = (size_t)(w - kp->opts);
			kp->type = w;
			kp->typelen = (size_t)(p - w);
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			b = p;
			while (p < end && *p != ' ' && *p != '\t' &&
			    *p != '\r')
				p++;
			kp->b64 = b;
			kp->b64len = (size_t)(p - b);
			kp->rest = p;
			return is_b64(b, (size_t)(p - b));
		}
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
	}
	return 0;
}

int
authkeys_line_valid(const char *line, size_t len)
{
	struct keyline_parts kp;

	return authkeys_line_split(line, len, &kp);
}

int
authkeys_count(const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;
	int n = 0;

	/* A BOM on line 1 hides that line's key from sshd. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		nl = memchr(p, '\n', len);
		p = nl ? nl + 1 : end;
	}
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n += authkeys_line_valid(p, (size_t)(nl - p));
		if (nl == end)
			break;
	}
	return n;
}
