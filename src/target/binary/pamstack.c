/*
 * PAM configuration as Linux-PAM reads it (libpam/pam_handlers.c
 * _pam_parse_conf_file, pam_misc.c _pam_StrTok):
 *   [-]type control module [args]    type: auth account session password
 *   @include FILE                    every line of FILE
 *   type include|substack FILE       the lines of FILE of that type
 * '#' starts a comment, a trailing '\' continues the line, a control in
 * brackets may hold blanks. A relative FILE is in /etc/pam.d. A missing
 * module is "PAM unable to dlopen" (not logged on a '-type' line) and
 * then fails as PAM_MODULE_UNKNOWN, which its control turns into a stack
 * failure (required, requisite, or [module_unknown= or default= bad,
 * die, ok, done]) or not (optional, sufficient ...), '-' or not.
 * Read within budget.h's PAM_* budget: what it leaves makes the
 * diagnosis incomplete (an include bomb must not hide a missing module).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "budget.h"
#include "target/binary/pamstack.h"
#include "safefs.h"
#include "util.h"

const char *const pam_module_dirs[] = {
	"/lib/x86_64-linux-gnu/security", "/usr/lib/x86_64-linux-gnu/security",
	"/usr/lib64/security", "/lib64/security", NULL,
};

static const char *const types[] = {
	"auth", "account", "session", "password", NULL,
};

struct ctx {
	int			 rootfd;
	struct pam_stack	*st;
	struct unread_list	*unread;
	struct budget		 b;	/* files and bytes in all */
	int			 deep;	/* an include past PAM_MAX_DEPTH */
	int			 many;	/* a module past PAM_MAX_MODS */
};

static void parse(struct ctx *, const char *, char *, size_t, const char *,
    int);

/* The next token; a '[' token runs to its ']'. NULL at the end. */
static char *
token(char **p)
{
	char *s = *p + strspn(*p, " \t\r"), *e;

	if (*s == '\0')
		return NULL;
	if (*s == '[' && (e = strchr(s, ']')) != NULL)
		e++;
	else
		e = s + strcspn(s, " \t\r");
	*p = *e != '\0' ? e + 1 : e;
	*e = '\0';
	return s;
}

/* Does a missing module with this control fail its stack? */
static int
control_fatal(const char *c)
{
	const char *v, *keys[] = { "module_unknown=", "default=" };
	size_t i, n;

	if (strcasecmp(c, "required") == 0 || strcasecmp(c, "requisite") == 0)
		return 1;
	if (c[0] != '[')
		return 0;
	for (i = 0; i < ARRAY_LEN(keys); i++) {
		for (v = c; (v = strstr(v, keys[i])) != NULL; v++)
			if (v[-1] == '[' || v[-1] == ' ' || v[-1] == '\t')
				break;
		if (v == NULL)
			continue;
		v += strlen(keys[i]);
		n = strcspn(v, " \t]");
		return (n == 3 && strncmp(v, "bad", 3) == 0) ||
		    (n == 3 && strncmp(v, "die", 3) == 0) ||
		    (n == 2 && strncmp(v, "ok", 2) == 0) ||
		    (n == 4 && strncmp(v, "done", 4) == 0);
	}
	return 0;
}

static void
include_file(struct ctx *c, const char *name, const char *type, int depth)
{
	char *path, *data;
	size_t len;

	if (name[0] == '\0')
		return;
	if (depth >= PAM_MAX_DEPTH) {
		c->deep = 1;
		return;
	}
	path = name[0] == '/' ? xstrdup(name) : xasprintf("/etc/pam.d/%s",
	    name);
	if (budget_load(&c->b, c->rootfd, path, c->unread, &data, &len) == 0) {
		parse(c, path, data, len, type, depth + 1);
		free(data);
	}
	free(path);
}

static void
add_mod(struct ctx *c, const char *file, size_t line, const char *type,
    int silent, const char *control, const char *module)
{
	struct pam_mod *m;

	if (c->st->n >= PAM_MAX_MODS) {
		c->many = 1;
		return;
	}
	c->st->m = xreallocarray(c->st->m, c->st->n + 1, sizeof(*m));
	m = &c->st->m[c->st->n++];
	m->module = xstrdup(module);
	m->type = xstrdup(type);
	m->control = xstrdup(control);
	m->file = xstrdup(file);
	m->line = line;
	m->silent = silent;
	m->fatal = control_fatal(control);
}

static void
one_line(struct ctx *c, const char *file, size_t lineno, char *l,
    const char *want, int depth)
{
	char *type, *control, *module;
	int silent = 0;
	size_t i;

	if ((type = token(&l)) == NULL)
		return;
	if (strcasecmp(type, "@include") == 0) {
		if ((module = token(&l)) != NULL)
			include_file(c, module, want, depth);
		return;
	}
	if (type[0] == '-')
		type++, silent = 1;
	for (i = 0; types[i] != NULL; i++)
		if (strcasecmp(type, types[i]) == 0)
			break;
	if (types[i] == NULL || (want != NULL && strcmp(want, types[i]) != 0))
		return;
	if ((control = token(&l)) == NULL || (module = token(&l)) == NULL)
		return;
	if (strcasecmp(control, "include") == 0 ||
	    strcasecmp(control, "substack") == 0)
		include_file(c, module, types[i], depth);
	else
		add_mod(c, file, lineno, types[i], silent, control, module);
}

/*
 * WANT: the only type to take (include), or NULL (@include, the top).
 * DATA holds LEN bytes and a NUL; logical lines are joined in place.
 */
static void
parse(struct ctx *c, const char *file, char *data, size_t len,
    const char *want, int depth)
{
	char *l = data, *end = data + len, *nl, *e, *w, *start;
	size_t lineno = 1, first;

	while (l < end) {
		first = lineno;
		start = w = l;
		for (;;) {
			nl = memchr(l, '\n', (size_t)(end - l));
			e = nl != NULL ? nl : end;
			if ((e = memchr(l, '#', (size_t)(e - l))) == NULL)
				e = nl != NULL ? nl : end;
			memmove(w, l, (size_t)(e - l));
			w += e - l;
			l = nl != NULL ? nl + 1 : end;
			lineno++;
			if (nl == NULL || e != nl || w == start || w[-1] != '\\')
				break;
			w[-1] = ' ';
		}
		*w = '\0';
		one_line(c, file, first, start, want, depth);
	}
}

static void
ctx_init(struct ctx *c, int rootfd, struct pam_stack *st,
    struct unread_list *unread, const char *what)
{
	struct budget b = BUDGET(what, PAM_MAX_FILE, PAM_MAX_FILES,
	    PAM_MAX_BYTES);

	memset(c, 0, sizeof(*c));
	c->rootfd = rootfd;
	c->st = st;
	c->unread = unread;
	c->b = b;
}

/* What the budget left, in one line named after the top file. */
static void
ctx_done(struct ctx *c)
{
	char *why;

	budget_note(&c->b, c->unread);
	if (!c->deep && !c->many)
		return;
	why = c->deep ? xasprintf("includes nested more than %d deep (sshfix's "
	    "budget); the deeper ones were not read: cannot tell",
	    PAM_MAX_DEPTH) : xasprintf("more than %d module lines (sshfix's "
	    "budget); the rest were not read: cannot tell", PAM_MAX_MODS);
	unread_note_why(c->unread, c->b.what, why);
	free(why);
}

void
pamstack_parse(int rootfd, const char *file, char *data, size_t len,
    struct pam_stack *st, struct unread_list *unread)
{
	char *what = xasprintf("%s and its includes", file);
	struct ctx c;

	ctx_init(&c, rootfd, st, unread, what);
	parse(&c, file, data, len, NULL, 0);
	ctx_done(&c);
	free(what);
}

void
pamstack_load(int rootfd, const char *service, struct pam_stack *st,
    struct unread_list *unread)
{
	char *path = xasprintf("/etc/pam.d/%s", service), *data;
	char *what = xasprintf("%s and its includes", path);
	struct ctx c;
	size_t len;

	memset(st, 0, sizeof(*st));
	ctx_init(&c, rootfd, st, unread, what);
	if (budget_load(&c.b, rootfd, path, unread, &data, &len) == 0) {
		st->exists = 1;
		parse(&c, path, data, len, NULL, 0);
		free(data);
	}
	ctx_done(&c);
	free(what);
	free(path);
}

void
pamstack_free(struct pam_stack *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->m[i].module);
		free(st->m[i].type);
		free(st->m[i].control);
		free(st->m[i].file);
	}
	free(st->m);
	memset(st, 0, sizeof(*st));
}
