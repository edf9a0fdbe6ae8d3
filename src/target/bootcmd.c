/*
 * The kernel command line of the target's GRUB configuration:
 * include/target/bootcmd.h.
 *
 * MUST: the files are read through safefs within a budget; a symlink is
 * never followed (and makes the answer unsure); the shell is never run;
 * the value never grows past BOOTCMD_MAX (a file that doubles it on each
 * line is unsure, not a terabyte).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "incglob.h"
#include "target/bootcmd.h"
#include "target/release.h"
#include "util.h"

#define V_LINUX		"GRUB_CMDLINE_LINUX"
#define V_DEFAULT	"GRUB_CMDLINE_LINUX_DEFAULT"
#define V_BLS		"GRUB_ENABLE_BLSCFG"

struct vars {
	struct sbuf	 v[2];		/* LINUX, DEFAULT */
	struct bootcmd	*bc;
};

static void
unsure(struct bootcmd *bc, const char *file, size_t lineno,
    const char *what)
{
	if (bc->unsure)
		return;
	bc->unsure = 1;
	if (lineno > 0)
		snprintf(bc->why, sizeof(bc->why), "%s:%zu: %s", file, lineno,
		    what);
	else
		snprintf(bc->why, sizeof(bc->why), "%s: %s", file, what);
}

/* A shell name's length at P (up to E): 0 when none starts there. */
static size_t
name_len(const char *p, const char *e)
{
	size_t k = 0;

	if (p >= e || !(isalpha((unsigned char)*p) || *p == '_'))
		return 0;
	while (p + k < e && (isalnum((unsigned char)p[k]) || p[k] == '_'))
		k++;
	return k;
}

/* Which variable NAME (LEN bytes) is: 0, 1, or -1 neither. */
static int
var_of(const char *name, size_t len)
{
	if (len == strlen(V_LINUX) && strncmp(name, V_LINUX, len) == 0)
		return 0;
	if (len == strlen(V_DEFAULT) && strncmp(name, V_DEFAULT, len) == 0)
		return 1;
	return -1;
}

/*
 * The word at *P (up to E) after "NAME=", as sh reads it: quotes, and
 * "$VAR" and "${VAR}" of the two variables, into OUT (OUT NULL: the
 * word of another variable, skipped; command substitutions in it are
 * let be, as they cannot change the two). *PP is left after the word.
 * 0, or -1 with WHAT set when it is something sshfix does not follow.
 */
static int
word(struct vars *vs, const char **pp, const char *e, struct sbuf *out,
    const char **what)
{
	const char *p = *pp, *n;
	char q = 0;
	size_t k;
	int i, braced;

	for (; p < e; p++) {
		if (q == '\'' || q == '`') {
			if (*p == q)
				q = 0;
			else if (out != NULL)
				sbuf_addc(out, *p);
			continue;
		}
		if (q == 0 && (*p == ' ' || *p == '\t'))
			break;
		if (q == 0 && strchr(";&|<>()", *p) != NULL) {
			*what = "a shell operator on the line";
			return -1;
		}
		if (q == '"' && *p == '`' && out != NULL) {
			*what = "a command substitution";
			return -1;
		}
		if (*p == '"' || (q == 0 && (*p == '\'' || *p == '`'))) {
			if (*p == '`' && out != NULL) {
				*what = "a command substitution";
				return -1;
			}
			q = q == *p ? 0 : *p;
			continue;
		}
		if (*p == '\\') {
			*what = "a backslash";
			return -1;
		}
		if (*p != '$' || out == NULL) {
			if (*p == '$' && p + 1 < e && p[1] == '(') {
				*what = "a command substitution";
				return -1;
			}
			if (out != NULL)
				sbuf_addc(out, *p);
			continue;
		}
		n = p + 1;
		braced = n < e && *n == '{';
		n += braced;
		k = name_len(n, e);
		if ((i = var_of(n, k)) == -1 || (braced &&
		    (n + k >= e || n[k] != '}'))) {
			*what = n < e && *n == '(' ? "a command substitution" :
			    "an expansion sshfix does not follow";
			return -1;
		}
		if (vs->v[i].len > 0)
			sbuf_add(out, vs->v[i].s, vs->v[i].len);
		if (out->len > BOOTCMD_MAX) {
			*what = "longer than a kernel command line";
			return -1;
		}
		/* On the name's last byte, or on the brace. */
		p = n + k - (braced ? 0 : 1);
	}
	if (q != 0) {
		*what = "a quote not closed on its line";
		return -1;
	}
	if (out != NULL && out->len > BOOTCMD_MAX) {
		*what = "longer than a kernel command line";
		return -1;
	}
	*pp = p;
	return 0;
}

/* Line LINENO of FILE (P up to E): a comment, or one assignment. */
static void
line(struct vars *vs, const char *file, size_t lineno, const char *p,
    const char *e)
{
	struct sbuf nv = { 0 };
	const char *what = NULL, *v;
	size_t k;
	int i;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p == e || *p == '#')
		return;
	if (e - p > 7 && strncmp(p, "export", 6) == 0 &&
	    (p[6] == ' ' || p[6] == '\t'))
		for (p += 7; p < e && (*p == ' ' || *p == '\t'); p++)
			;
	/* Anything else sh would run (an if, a function, a file sourced,
	   unset, eval, a line continued) is not followed. */
	k = name_len(p, e);
	if (k == 0 || p + k >= e || p[k] != '=') {
		unsure(vs->bc, file, lineno, "a command, not an assignment");
		return;
	}
	i = var_of(p, k);
	v = p + k + 1;
	if (word(vs, &v, e, i == -1 ? NULL : &nv, &what) == -1) {
		unsure(vs->bc, file, lineno, what);
		sbuf_free(&nv);
		return;
	}
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	if (v < e && *v != '#') {
		unsure(vs->bc, file, lineno, "more on the line than the "
		    "assignment");
		sbuf_free(&nv);
		return;
	}
	if (i == -1) {
		/* RHEL 8 and later: the boot entries hold the command line
		   once this is on, and /etc/default/grub may not be it. */
		if (k == strlen(V_BLS) && strncmp(p, V_BLS, k) == 0)
			vs->bc->bls = strncmp(p + k + 1, "true", 4) == 0 ||
			    strncmp(p + k + 1, "\"true\"", 6) == 0;
		return;
	}
	sbuf_free(&vs->v[i]);
	vs->v[i] = nv;
}

static void
file_lines(struct target *t, struct budget *b, struct vars *vs,
    const char *file)
{
	char *d, *p, *e;
	size_t len, lineno = 0;

	if (budget_load(b, t->rootfd, file, &t->unread, &d, &len) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return;
		if (errno == ELOOP) {
			unread_note_why(&t->unread, file, "a symlink: sshfix "
			    "does not follow it (the boot would)");
			unsure(vs->bc, file, 0, "a symlink, not followed");
		} else
			unsure(vs->bc, file, 0, "not read");
		return;
	}
	if (memchr(d, '\0', len) != NULL)
		unsure(vs->bc, file, 0, "a NUL byte");
	for (p = d; p < d + len; p = e + 1) {
		e = memchr(p, '\n', (size_t)(d + len - p));
		if (e == NULL)
			e = d + len;
		line(vs, file, ++lineno, p, e);
		if (e == d + len)
			break;
	}
	free(d);
}

void
bootcmd_read(struct target *t, struct bootcmd *bc)
{
	struct budget b = BUDGET("/etc/default/grub and its grub.d",
	    GLOB_FILE_MAX, GLOB_MAX_FILES, GLOB_MAX_BYTES);
	struct vars vs;
	struct sbuf w = { 0 };
	char **p = NULL;
	size_t n = 0, i;
	enum tri d;

	memset(bc, 0, sizeof(*bc));
	memset(&vs, 0, sizeof(vs));
	vs.bc = bc;
	file_lines(t, &b, &vs, "/etc/default/grub");
	/* A system sshfix does not know might read the drop-ins. */
	d = t->os.family == OS_OTHER ? TRI_MAYBE :
	    release_has(t, REL_GRUB_DROPINS);
	if (incglob(t->rootfd, "/etc/default/grub.d/*.cfg", &p, &n,
	    &t->unread) == -1)
		unsure(bc, "/etc/default/grub.d", 0, "not listed");
	else if (n > 0 && d == TRI_MAYBE)
		unsure(bc, "/etc/default/grub.d", 0, "drop-ins, on a system "
		    "sshfix does not know reads them or not");
	for (i = 0; i < n && d == TRI_YES; i++)
		file_lines(t, &b, &vs, p[i]);
	incglob_free(p, n);
	if (b.hit || b.toobig > 0)
		unsure(bc, "/etc/default/grub.d", 0, "over sshfix's budget");
	budget_note(&b, &t->unread);
	for (i = 0; i < 2; i++) {
		if (vs.v[i].len > 0) {
			if (w.len > 0)
				sbuf_addc(&w, ' ');
			sbuf_add(&w, vs.v[i].s, vs.v[i].len);
		}
		sbuf_free(&vs.v[i]);
	}
	bc->words = w.len > 0 ? sbuf_take(&w) : xstrdup("");
	/* The kernel splits at any space, and takes quotes its own way
	   (and GRUB's script before it): not followed. */
	if (strpbrk(bc->words, "\"'") != NULL)
		unsure(bc, "/etc/default/grub", 0, "quotes inside the "
		    "command line");
}

const char *
bootcmd_last(const struct bootcmd *bc, const char *key, char *buf,
    size_t len)
{
	const char *p = bc->words, *r = NULL;
	size_t k = strlen(key), n;

	for (;;) {
		while (*p != '\0' && isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		for (n = 0; p[n] != '\0' && !isspace((unsigned char)p[n]); n++)
			;
		/* The kernel leaves what follows "--" to init. */
		if (n == 2 && strncmp(p, "--", 2) == 0)
			break;
		if (n > k && strncmp(p, key, k) == 0 && p[k] == '=' &&
		    n - k - 1 < len) {
			memcpy(buf, p + k + 1, n - k - 1);
			buf[n - k - 1] = '\0';
			r = buf;
		}
		p += n;
	}
	return r;
}

void
bootcmd_free(struct bootcmd *bc)
{
	free(bc->words);
	bc->words = NULL;
}
