/*
 * Bans that survive a reboot (include/target/net/bans.h). sshguard's
 * configuration is a shell file its start script sources: only plain
 * NAME=VALUE lines are read (quotes removed); a value that needs a shell
 * is not followed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "safefs.h"
#include "target/net/bans.h"
#include "target/net/firewall.h"
#include "util.h"

static const char *const sg_confs[] = {
	"/etc/sshguard/sshguard.conf",	/* Debian, Ubuntu */
	"/etc/sshguard.conf",		/* upstream, Fedora */
};

/* VALUE of NAME=VALUE in TEXT (the last), allocated, or NULL. */
static char *
shell_var(const char *text, const char *name)
{
	const char *s, *e, *v;
	size_t nl = strlen(name), len;
	char *val = NULL;

	for (s = text; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if ((size_t)(e - s) <= nl || strncmp(s, name, nl) != 0 ||
		    s[nl] != '=')
			continue;
		v = s + nl + 1;
		len = (size_t)(e - v);
		while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
		    v[len - 1] == '\r'))
			len--;
		if (len >= 2 && (*v == '"' || *v == '\'') && v[len - 1] == *v) {
			v++;
			len -= 2;
		}
		free(val);
		val = xstrndup(v, len);
	}
	return val;
}

int
addr_in_net(const char *addr, const char *net, int prefix)
{
	unsigned char a[16], n[16];
	int af = strchr(addr, ':') ? AF_INET6 : AF_INET, bits, i;

	if ((strchr(net, ':') != NULL) != (af == AF_INET6) ||
	    inet_pton(af, addr, a) != 1 || inet_pton(af, net, n) != 1)
		return 0;
	bits = af == AF_INET ? 32 : 128;
	if (prefix < 0 || prefix > bits)
		prefix = bits;
	for (i = 0; i < prefix / 8; i++)
		if (a[i] != n[i])
			return 0;
	if (prefix % 8 != 0 && ((a[i] ^ n[i]) & (0xff00 >> (prefix % 8))))
		return 0;
	return 1;
}

/* The blacklist's lines that cover ADDR. */
static void
sg_list(struct target *t, const char *file, const char *addr, int p4,
    int p6, struct ban **out, size_t *n)
{
	char *data, a[INET6_ADDRSTRLEN + 1];
	const char *s, *e;
	size_t len, line = 0;
	long long ts;
	int svc, kind;
	struct ban *b;

	if (sfs_read_file(t->rootfd, file, BAN_FILE_MAX, &data, &len,
	    NULL) == -1) {
		if (errno != ENOENT)
			unread_note(&t->unread, file, errno);
		return;
	}
	if (memchr(data, '\0', len) != NULL) {
		/* sshguard reads on past a NUL byte; sshfix would not */
		unread_note_why(&t->unread, file, "holds a NUL byte");
		free(data);
		return;
	}
	for (s = data; *s != '\0'; s = *e ? e + 1 : e) {
		char l[128];
		size_t ll;

		e = s + strcspn(s, "\n");
		if (++line > BAN_MAX_LINES) {
			unread_note_why(&t->unread, file, "has more lines than "
			    "sshfix reads");
			break;
		}
		/* sshguard's own reading: "%lld|%d|%d|%46s", else ignored */
		ll = (size_t)(e - s);
		if (ll > 0 && s[ll - 1] == '\r')
			ll--;
		if (ll >= sizeof(l))
			continue;
		memcpy(l, s, ll);
		l[ll] = '\0';
		if (sscanf(l, "%lld|%d|%d|%46s", &ts, &svc, &kind, a) != 4 ||
		    (kind != 4 && kind != 6) ||
		    !addr_in_net(addr, a, kind == 4 ? p4 : p6))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		b = &(*out)[(*n)++];
		b->by = "sshguard";
		b->file = xstrdup(file);
		b->line = line;
		b->text = xstrdup(l);
		b->addr = xstrdup(a);
		b->prefix = kind == 4 ? p4 : p6;
		b->since = (time_t)ts;
	}
	free(data);
}

static int
int_or(const char *v, int def)
{
	char *end;
	long x;

	if (v == NULL)
		return def;
	x = strtol(v, &end, 10);
	return end != v && *end == '\0' && x >= 0 && x <= 128 ? (int)x : def;
}

/* sshguard's blacklist, when sshguard.service starts at boot. */
static void
sshguard(struct target *t, const char *addr, struct ban **out, size_t *n)
{
	char *conf = NULL, *file, *v4, *v6, *colon;
	size_t len, i;

	if (!fw_unit_enabled(t, "sshguard.service"))
		return;
	for (i = 0; i < ARRAY_LEN(sg_confs) && conf == NULL; i++)
		if (sfs_read_file(t->rootfd, sg_confs[i], SMALL_FILE_MAX, &conf,
		    &len, NULL) == -1 && errno != ENOENT)
			unread_note(&t->unread, sg_confs[i], errno);
	if (conf == NULL)
		return;
	/* BLACKLIST_FILE is "THRESHOLD:FILE" (sshg-blocker -b), or FILE. */
	if ((file = shell_var(conf, "BLACKLIST_FILE")) != NULL) {
		colon = strchr(file, ':');
		v4 = shell_var(conf, "IPV4_SUBNET");
		v6 = shell_var(conf, "IPV6_SUBNET");
		if (*(colon ? colon + 1 : file) == '/')
			sg_list(t, colon ? colon + 1 : file, addr,
			    int_or(v4, 32), int_or(v6, 128), out, n);
		free(v4);
		free(v6);
		free(file);
	}
	free(conf);
}

size_t
bans_of(struct target *t, const char *addr, struct ban **out)
{
	size_t n = 0;

	*out = NULL;
	sshguard(t, addr, out, &n);
	return n;
}

void
bans_free(struct ban *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(b[i].file);
		free(b[i].text);
		free(b[i].addr);
	}
	free(b);
}
