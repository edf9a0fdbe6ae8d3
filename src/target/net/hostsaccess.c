/*
 * hosts.allow / hosts.deny as tcp_wrappers 7.6 reads them (hosts_access.c
 * table_match, misc.c xgets and split_at): a '\' before the newline joins
 * lines; a line that starts with '#' or is blank is skipped, and so is a
 * last line without its newline and one of 2048 bytes or more;
 *   daemon_list : client_list [ : option ... ]
 * lists are split at blanks and commas, "EXCEPT" makes "a EXCEPT b", and
 * keywords and daemon names compare without case. The client is not
 * known here: only ALL matches every client; any other pattern matches
 * some (MAYBE). A daemon pattern with '@' (daemon@server) or a wildcard
 * cannot be told either.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "budget.h"
#include "target/net/hostsaccess.h"
#include "safefs.h"
#include "util.h"

#define WRAP_LINE	2048	/* tcpd's BUFLEN */

typedef enum tri (*elem_fn)(const char *, const char *);

static enum tri
daemon_elem(const char *w, const char *daemon)
{
	if (strcasecmp(w, "ALL") == 0)
		return TRI_YES;
	if (strpbrk(w, "@*?[") != NULL)
		return TRI_MAYBE;
	return strcasecmp(w, daemon) == 0 ? TRI_YES : TRI_NO;
}

static enum tri
client_elem(const char *w, const char *unused)
{
	(void)unused;
	return strcasecmp(w, "ALL") == 0 ? TRI_YES : TRI_MAYBE;
}

/* list_match: any of w[0..EXCEPT) and none of the rest. */
static enum tri
list_match(char **w, size_t n, elem_fn fn, const char *arg)
{
	enum tri any = TRI_NO, e, rest = TRI_NO;
	size_t i;

	for (i = 0; i < n && strcasecmp(w[i], "EXCEPT") != 0; i++)
		if ((e = fn(w[i], arg)) == TRI_YES || (e == TRI_MAYBE &&
		    any == TRI_NO))
			any = e;
	if (any == TRI_NO)
		return TRI_NO;
	if (i < n)
		rest = list_match(w + i + 1, n - i - 1, fn, arg);
	if (rest == TRI_YES)
		return TRI_NO;
	return any == TRI_YES && rest == TRI_NO ? TRI_YES : TRI_MAYBE;
}

static enum tri
eval_list(char *s, elem_fn fn, const char *arg)
{
	char *w[WRAP_MAX_WORDS], *tok, *save;
	size_t n = 0;

	for (tok = strtok_r(s, " \t,\r", &save); tok != NULL && n <
	    WRAP_MAX_WORDS; tok = strtok_r(NULL, " \t,\r", &save))
		w[n++] = tok;
	if (n == WRAP_MAX_WORDS)
		return TRI_MAYBE;
	return list_match(w, n, fn, arg);
}

/* The next ':' outside "[...]" (an IPv6 address), as split_at does. */
static char *
split_at(char *s)
{
	int brackets = 0;

	for (; *s != '\0'; s++) {
		if (*s == '[')
			brackets = 1;
		else if (*s == ']')
			brackets = 0;
		else if (*s == ':' && !brackets) {
			*s = '\0';
			return s + 1;
		}
	}
	return NULL;
}

static void
add_rule(struct wrap_rules *rs, char *logical, const char *first,
    size_t line, size_t nlines, const char *daemon)
{
	struct wrap_rule *r;
	char *clients = NULL, *opts = NULL;

	if (rs->n >= WRAP_MAX_RULES) {
		rs->cut = 1;
		return;
	}
	if (logical != NULL && (logical[0] == '#' ||
	    logical[strspn(logical, " \t\r")] == '\0'))
		return;
	if (logical != NULL && (clients = split_at(logical)) == NULL)
		return;		/* tcpd: "missing ':' separator" */
	if (clients != NULL)
		opts = split_at(clients);
	rs->r = xreallocarray(rs->r, rs->n + 1, sizeof(*rs->r));
	r = &rs->r[rs->n++];
	r->line = line;
	r->nlines = nlines;
	r->text = xstrdup(first);
	r->options = logical == NULL || opts != NULL;
	r->daemon = logical ? eval_list(logical, daemon_elem, daemon) :
	    TRI_MAYBE;
	r->everyone = logical ? eval_list(clients, client_elem, NULL) :
	    TRI_MAYBE;
}

void
wrap_rules_parse(const char *data, size_t len, const char *daemon,
    struct wrap_rules *rs)
{
	const char *p = data, *end = data + len, *nl;
	struct sbuf logical = { 0 };
	char *first = NULL;
	size_t line = 0, start = 0, n;

	memset(rs, 0, sizeof(*rs));
	for (; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;		/* tcpd: "missing newline" */
		n = (size_t)(nl - p);
		if (logical.len == 0) {
			start = line;
			free(first);
			first = xstrndup(p, n);
		}
		if (n > 0 && p[n - 1] == '\\') {
			sbuf_add(&logical, p, n - 1);
			continue;
		}
		sbuf_add(&logical, p, n);
		sbuf_addc(&logical, '\0');
		if (logical.len < WRAP_LINE && strlen(logical.s) ==
		    logical.len - 1)
			add_rule(rs, logical.s, first, start, line - start + 1,
			    daemon);
		else	/* tcpd reads it in pieces: cannot tell */
			add_rule(rs, NULL, first, start, line - start + 1,
			    daemon);
		logical.len = 0;
	}
	free(first);
	sbuf_free(&logical);
}

void
wrap_rules_load(int rootfd, const char *path, const char *daemon,
    struct wrap_rules *rs, struct unread_list *unread)
{
	char *data, *why;
	size_t len;

	memset(rs, 0, sizeof(*rs));
	if (sfs_read_file(rootfd, path, WRAP_MAX_FILE, &data, &len,
	    NULL) == -1) {
		unread_note(unread, path, errno);
		return;
	}
	wrap_rules_parse(data, len, daemon, rs);
	free(data);
	/* A rule past the budget may be the one that refuses sshd. */
	if (rs->cut) {
		why = xasprintf("more than %d rules (sshfix's budget); the "
		    "rest were not read: cannot tell", WRAP_MAX_RULES);
		unread_note_why(unread, path, why);
		free(why);
	}
}

void
wrap_rules_free(struct wrap_rules *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->r[i].text);
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}
