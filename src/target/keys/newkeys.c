#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/keys/cert.h"
#include "target/keys/keytext.h"
#include "target/keys/newkeys.h"
#include "safefs.h"
#include "util.h"

static char **
add_key(char **v, size_t *n, const char *line, size_t len)
{
	v = xreallocarray(v, *n + 2, sizeof(*v));
	v[(*n)++] = xstrndup(line, len);
	v[*n] = NULL;
	return v;
}

/* Not a certificate, or one whose fields can be read. */
static int
cert_ok(const char *p, size_t len)
{
	struct sshcert c;
	char *line = xstrndup(p, len), *b64;
	int ok = 1;

	if (cert_type_line(line)) {
		ok = cert_parse_line(line, &c, &b64) == 0;
		if (ok) {
			cert_free(&c);
			free(b64);
		}
	}
	free(line);
	return ok;
}

static char **
parse_lines(const char *arg, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;
	size_t n = 0, lineno = 0, l;
	char **v = NULL;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		lineno++;
		l = (size_t)(nl - p);
		while (l > 0 && (p[l - 1] == '\r' || p[l - 1] == ' '))
			l--;
		if (l > 0 && p[strspn(p, " \t")] != '#') {
			if (!authkeys_line_valid(p, l) || !cert_ok(p, l)) {
				err_set("%s line %zu: not a public key line%s",
				    arg, lineno, cert_ok(p, l) ? "" :
				    " (a certificate sshfix cannot read)");
				free_strv(v);
				return NULL;
			}
			v = add_key(v, &n, p, l);
		}
		if (nl == end)
			break;
	}
	if (v == NULL)
		err_set("%s: no public key found", arg);
	return v;
}

char **
newkeys_load(const char *arg)
{
	char *data, **v;
	size_t len;
	int fd;

	if (strchr(arg, '\n') == NULL && authkeys_line_valid(arg,
	    strlen(arg)))
		return parse_lines("--authorized-key", arg, strlen(arg));
	fd = open(arg, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		err_set("--authorized-key %s: neither a public key nor a "
		    "readable file (%s)", arg, strerror(errno));
		return NULL;
	}
	if (sfs_read_fd(fd, 1 << 20, &data, &len) == -1) {
		err_set("--authorized-key %s: %s", arg, strerror(errno));
		close(fd);
		return NULL;
	}
	close(fd);
	v = parse_lines(arg, data, len);
	free(data);
	return v;
}
