/*
 * Shell words for the commands a person pastes into a root shell.
 * MUST: a word from the target reaches a printed command only through
 * sh_quote(), as it is or in single quotes; a word that vis_str() would
 * print otherwise, or that holds a single quote, is refused, and so is
 * one that would start a word with '-'.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "shquote.h"
#include "util.h"

#define SH_PLAIN	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789_@%+=:,./-"

char *
sh_quote(const char *word)
{
	char *v;
	int same;

	if (word == NULL || strchr(word, '\'') != NULL)
		return NULL;
	/* What the text report prints is vis_str() of the line. */
	v = vis_str(word);
	same = strcmp(v, word) == 0;
	free(v);
	if (!same)
		return NULL;
	if (word[0] != '\0' && strspn(word, SH_PLAIN) == strlen(word))
		return xstrdup(word);
	return xasprintf("'%s'", word);
}

/*
 * A command is built a unit at a time: a run of the format's plain
 * characters (SH_PLAIN) and arguments, quoted as one by sh_quote(). A
 * quoted word so starts after a space or after a shell character of
 * sshfix's own ("ROOT/home/x y/upload" is '/mnt/home/x y/upload', not
 * /mnt'/home/x y'/upload), and the text report keeps it on one line. Any
 * other character of the format (space ; ( " ' * ...) is copied.
 */
struct cmdbuf {
	struct sbuf	 out;		/* the command so far */
	struct sbuf	 unit;		/* the unit being collected */
	int		 args;		/* arguments in it */
	const char	*last;		/* the last argument */
};

/* Add the unit to the command; -1 if sh_quote() refuses it, which its
 * checked arguments and plain text never make it do. */
static int
flush_unit(struct cmdbuf *c)
{
	char *q;

	if (c->args > 0) {
		if ((q = sh_quote(c->unit.s != NULL ? c->unit.s : "")) ==
		    NULL)
			return -1;
		sbuf_adds(&c->out, q);
		free(q);
	} else if (c->unit.len > 0)
		sbuf_add(&c->out, c->unit.s, c->unit.len);
	c->unit.len = 0;
	c->args = 0;
	return 0;
}

/* Add argument W to the unit; -1 if it is not shell-safe. */
static int
add_arg(struct cmdbuf *c, const char *w)
{
	char *q;

	if (w[0] == '-' && c->unit.len == 0 && (c->out.len == 0 ||
	    c->out.s[c->out.len - 1] == ' '))
		return -1;	/* an option to the command */
	if ((q = sh_quote(w)) == NULL)
		return -1;
	free(q);
	sbuf_adds(&c->unit, w);
	c->args++;
	c->last = w;
	return 0;
}

/* The next part of FMT at *P into C; -1 if an argument is refused. */
static int
add_part(struct cmdbuf *c, const char **p, va_list *ap, const char **bad)
{
	const char *f = *p;

	if (*f == '%' && f[1] == 's') {
		*bad = va_arg(*ap, const char *);
		*p = f + 1;
		return add_arg(c, *bad);
	}
	if (*f == '%') {
		if (f[1] != '%')
			abort();	/* sshfix's own format: only %s, %% */
		*p = f + 1;
		sbuf_addc(&c->unit, '%');
	} else if (strchr(SH_PLAIN, *f) != NULL)
		sbuf_addc(&c->unit, *f);
	else {
		*bad = c->last;
		if (flush_unit(c) == -1)
			return -1;
		sbuf_addc(&c->out, *f);
	}
	return 0;
}

char *
sh_vcmd(const char **bad, const char *fmt, va_list ap)
{
	struct cmdbuf c = { { 0 }, { 0 }, 0, NULL };
	const char *p;
	va_list cp;
	int r = 0;

	va_copy(cp, ap);
	for (p = fmt; r == 0 && *p != '\0'; p++)
		r = add_part(&c, &p, &cp, bad);
	va_end(cp);
	if (r == 0 && flush_unit(&c) == -1) {
		*bad = c.last;
		r = -1;
	}
	if (r == -1) {
		sbuf_free(&c.out);
		sbuf_free(&c.unit);
		return NULL;
	}
	*bad = NULL;
	sbuf_free(&c.unit);
	return sbuf_take(&c.out);
}

char *
sh_cmd(const char **bad, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = sh_vcmd(bad, fmt, ap);
	va_end(ap);
	return s;
}

char *
sh_word(const char *value, const char *placeholder)
{
	const char *bad;
	char *w = sh_cmd(&bad, "%s", value);

	return w != NULL ? w : xstrdup(placeholder);
}

char *
sh_rootcmd(const char **bad, const char *root, const char *prog,
    const char *fmt, ...)
{
	va_list ap;
	char *head, *args, *s;

	va_start(ap, fmt);
	args = sh_vcmd(bad, fmt, ap);
	va_end(ap);
	if (args == NULL)
		return NULL;
	head = root == NULL ? xstrdup(prog) : sh_cmd(bad, "%s --root %s",
	    prog, sh_root(root));
	if (head == NULL) {
		free(args);
		return NULL;
	}
	s = xasprintf("%s %s", head, args);
	free(head);
	free(args);
	return s;
}

const char *
sh_root(const char *rootdir)
{
	char *q;

	if (rootdir == NULL || rootdir[0] != '/' ||
	    (q = sh_quote(rootdir)) == NULL)
		return "ROOT";
	free(q);
	return rootdir;
}

const char *
sh_root_prefix(const char *rootdir, int live)
{
	return live || strcmp(rootdir, "/") == 0 ? "" : sh_root(rootdir);
}
