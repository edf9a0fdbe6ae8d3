/*
 * cloud-init on the target: the few cloud-config keys that change sshd's
 * files at a boot, and whether the modules that apply them will run.
 * The YAML is hostile data, read by hand and only as far as needed:
 * top-level "key: value" lines and the "- item" lists under a key; all
 * else is passed over. Later files win, as cloud-init merges them:
 * cloud.cfg, every cloud.cfg.d/NAME.cfg in order, then the instance's user data.
 * What this models (cloud-init 22.4, cc_set_passwords.py, cc_ssh.py,
 * ssh_util.update_ssh_config): set_passwords and ssh run once per
 * instance (a semaphore in /var/lib/cloud/instances/ID/sem/) unless a
 * module list says "always" or "once".
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "target/cloud.h"
#include "incglob.h"
#include "safefs.h"
#include "util.h"

#define DEF_KEYTYPES	"rsa ecdsa ed25519"

/* The three module lists, as " name=freq " words (the last definition). */
struct mods {
	char	*list[3];
};

static const char *const mod_keys[3] = { "cloud_init_modules",
	"cloud_config_modules", "cloud_final_modules" };

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	if (e - s >= 2 && (*s == '"' || *s == '\'') && e[-1] == *s) {
		e[-1] = '\0';
		s++;
	}
	return s;
}

/* YAML 1.1 booleans as cloud-init reads them; -1 for anything else. */
static int
yaml_bool(const char *v)
{
	static const char *const t[] = { "true", "yes", "on", "1" };
	static const char *const f[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < ARRAY_LEN(t); i++) {
		if (strcasecmp(v, t[i]) == 0)
			return 1;
		if (strcasecmp(v, f[i]) == 0)
			return 0;
	}
	return -1;
}

static void
set_key(struct cloud_key *k, const char *v, const char *file, size_t ln)
{
	k->val = yaml_bool(v);
	free(k->where);
	k->where = xasprintf("%s:%zu", file, ln);
}

/* A comment starts with '#' at the start or after white space. */
static void
strip_comment(char *s)
{
	char *h;

	for (h = s; (h = strchr(h, '#')) != NULL; h++)
		if (h == s || h[-1] == ' ' || h[-1] == '\t') {
			*h = '\0';
			return;
		}
}

/* One "- NAME" or "- [NAME, FREQ]" item as " name=freq " into B. */
static void
add_module(struct sbuf *b, char *item)
{
	char *name = item, *freq = "", *c;

	if (*item == '[') {
		name = item + 1;
		if ((c = strchr(name, ']')) != NULL)
			*c = '\0';
		if ((c = strchr(name, ',')) != NULL) {
			*c = '\0';
			freq = trim(c + 1);
			if ((c = strchr(freq, ',')) != NULL)
				*c = '\0';
			freq = trim(freq);
		}
		name = trim(name);
	}
	for (c = name; *c != '\0'; c++)
		if (*c == '-')
			*c = '_';
	sbuf_addf(b, " %s=%s ", name, freq);
}

/* A flow list "[a, b]" or a scalar, as space-separated words. */
static char *
words(char *v)
{
	struct sbuf b = { 0 };
	char *w;

	if (*v == '[')
		v++;
	for (w = strtok(v, ",]"); w != NULL; w = strtok(NULL, ",]"))
		if (*(w = trim(w)) != '\0')
			sbuf_addf(&b, "%s%s", b.s ? " " : "", w);
	return b.s ? sbuf_take(&b) : xstrdup("");
}

/*
 * system_info: default_user: name: NAME (the account cloud-init makes
 * and gives the instance's key). LINE is indented by IND under
 * system_info; *DU is default_user's indent while inside it, else 0.
 */
static void
default_user(struct cloudinit *c, size_t *du, size_t ind, char *line,
    const char *file, size_t ln)
{
	if (*du != 0 && ind <= *du)
		*du = 0;
	if (*du == 0 && strcmp(line, "default_user:") == 0)
		*du = ind;
	else if (*du != 0 && strncmp(line, "name:", 5) == 0 &&
	    *(line = trim(line + 5)) != '\0') {
		free(c->default_user.name);
		free(c->default_user.where);
		c->default_user.name = xstrdup(line);
		c->default_user.where = xasprintf("%s:%zu", file, ln);
	}
}

static void
parse(struct cloudinit *c, struct mods *m, const char *file, char *data)
{
	struct sbuf items = { 0 };
	char *line, *next, *colon, *k, *v;
	int list = -1;		/* 0-2 a module list, 3 ssh_genkeytypes */
	int sysinfo = 0;	/* under system_info: */
	size_t ln = 0, du = 0;

	for (line = data; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		ln++;
		strip_comment(line);
		if (*trim(line) == '\0')
			continue;
		if (*line == ' ' || *line == '\t' || *line == '-') {
			size_t ind = strspn(line, " \t");

			v = trim(line);
			if (sysinfo && ind > 0)
				default_user(c, &du, ind, v, file, ln);
			if (list >= 0 && *v == '-') {
				v = trim(v + 1);
				if (list == 3)
					sbuf_addf(&items, "%s%s", items.s ?
					    " " : "", v);
				else
					add_module(&items, v);
			}
			continue;
		}
		if (list >= 0) {
			free(list == 3 ? c->genkeytypes : m->list[list]);
			*(list == 3 ? &c->genkeytypes : &m->list[list]) =
			    items.s ? sbuf_take(&items) : xstrdup("");
		}
		list = -1;
		if ((colon = strchr(line, ':')) == NULL)
			continue;
		*colon = '\0';
		k = trim(line);
		v = trim(colon + 1);
		sysinfo = strcmp(k, "system_info") == 0;
		du = 0;
		if (strcmp(k, "ssh_pwauth") == 0)
			set_key(&c->pwauth, v, file, ln);
		else if (strcmp(k, "ssh_deletekeys") == 0)
			set_key(&c->deletekeys, v, file, ln);
		else if (strcmp(k, "disable_root") == 0)
			set_key(&c->disable_root, v, file, ln);
		else if (strcmp(k, "ssh_genkeytypes") == 0 && *v != '\0') {
			free(c->genkeytypes);
			c->genkeytypes = words(v);
		} else if (strcmp(k, "ssh_genkeytypes") == 0)
			list = 3;
		for (size_t i = 0; i < 3; i++)
			if (strcmp(k, mod_keys[i]) == 0 && *v == '\0')
				list = (int)i;
	}
	if (list >= 0) {
		free(list == 3 ? c->genkeytypes : m->list[list]);
		*(list == 3 ? &c->genkeytypes : &m->list[list]) =
		    items.s ? sbuf_take(&items) : xstrdup("");
	}
	sbuf_free(&items);
}

static void
parse_file(struct target *t, struct budget *b, struct cloudinit *c,
    struct mods *m, const char *path)
{
	char *data;
	size_t len;

	if (budget_load(b, t->rootfd, path, &t->unread, &data, &len) == -1)
		return;
	parse(c, m, path, data);
	free(data);
}

/* The instance ID cloud-init last ran for, if it is a plain name. */
static char *
instance_id(struct target *t)
{
	char *data, *id;
	size_t len;

	if (sfs_read_file(t->rootfd, "/var/lib/cloud/data/instance-id", 256,
	    &data, &len, NULL) == -1) {
		if (errno != EFBIG)	/* longer: no plain name, by design */
			unread_note(&t->unread,
			    "/var/lib/cloud/data/instance-id", errno);
		return NULL;
	}
	id = xstrdup(trim(data));
	free(data);
	if (id[0] == '\0' || id[0] == '.' || id[strspn(id,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	    "._-")] != '\0') {
		free(id);
		return NULL;
	}
	return id;
}

/* When module NAME will run next (IID: the last instance, or NULL). */
static enum cloud_run
module_run(struct target *t, const struct mods *m, const char *iid,
    const char *name)
{
	char word[64], *w = NULL, *path;
	struct stat st;
	int listed = 0, any = 0, r;
	size_t i;

	snprintf(word, sizeof(word), " %s=", name);
	for (i = 0; i < 3; i++) {
		any |= m->list[i] != NULL;
		if (m->list[i] != NULL && (w = strstr(m->list[i], word)) !=
		    NULL) {
			listed = 1;
			break;
		}
	}
	if (any && !listed)
		return RUN_NEVER;
	w = listed ? w + strlen(word) : "";
	if (strncmp(w, "always", 6) == 0)
		return RUN_NEXT_BOOT;
	if (strncmp(w, "once ", 5) == 0 || strncmp(w, "once\0", 5) == 0) {
		path = xasprintf("/var/lib/cloud/sem/config_%s.once", name);
		r = sfs_lstat(t->rootfd, path, &st);
		free(path);
		return r == 0 ? RUN_NEVER : RUN_NEXT_BOOT;
	}
	if (iid == NULL)
		return RUN_NEXT_BOOT;
	path = xasprintf("/var/lib/cloud/instances/%s/sem/config_%s", iid,
	    name);
	r = sfs_lstat(t->rootfd, path, &st);
	free(path);
	return r == 0 ? RUN_NEW_INSTANCE : RUN_NEXT_BOOT;
}

/*
 * The file set_passwords rewrites. cloud-init (22.4,
 * ssh_util._includes_dconf) writes 50-cloud-init.conf only when a line of
 * sshd_config starts with the exact bytes "Include " SSHD_CONFIG ".d/"
 * and "*.conf"; for any other shape (a relative Include of
 * sshd_config.d, another directory, leading blanks, "include", a comment)
 * it rewrites every PasswordAuthentication line of sshd_config itself,
 * Match blocks included, although sshd may read the drop-ins. The bytes
 * tested are those of the model the plan was made from (t->cfg, the
 * --preflight proposal included), not a second read with a bound of
 * its own.
 */
static char *
pw_file(const struct cfg *cfg)
{
	static const char inc[] = "Include " SSHD_CONFIG ".d/*.conf";
	const struct cfg_file *f;
	size_t i;

	if (cfg->nfiles == 0 || strcmp(cfg->files[0].path, SSHD_CONFIG) != 0)
		return xstrdup(SSHD_CONFIG);
	f = &cfg->files[0];
	for (i = 0; i < f->nlines; i++)
		if (f->lines[i].len >= sizeof(inc) - 1 && memcmp(f->data +
		    f->lines[i].off, inc, sizeof(inc) - 1) == 0)
			return xstrdup(SSHD_CONFIG ".d/50-cloud-init.conf");
	return xstrdup(SSHD_CONFIG);
}

void
cloudinit_read(struct target *t, struct cloudinit *c)
{
	struct budget b = BUDGET("cloud-init's configuration", GLOB_FILE_MAX,
	    GLOB_MAX_FILES, GLOB_MAX_BYTES);
	struct mods m = { { NULL } };
	struct stat st;
	char **paths = NULL, *iid, *ud;
	size_t n = 0, i;

	memset(c, 0, sizeof(*c));
	c->pwauth.val = -1;
	c->deletekeys.val = c->disable_root.val = 1;
	if (sfs_lstat(t->rootfd, "/etc/cloud/cloud.cfg", &st) == -1 ||
	    sfs_lstat(t->rootfd, "/etc/cloud/cloud-init.disabled", &st) == 0)
		return;
	c->present = 1;
	parse_file(t, &b, c, &m, "/etc/cloud/cloud.cfg");
	if (incglob(t->rootfd, "/etc/cloud/cloud.cfg.d/*.cfg", &paths, &n,
	    &t->unread) == 0) {
		for (i = 0; i < n && !b.hit; i++)
			parse_file(t, &b, c, &m, paths[i]);
		incglob_free(paths, n);
	}
	iid = instance_id(t);
	if (iid != NULL) {
		/* The user data the instance was given wins over the image. */
		ud = xasprintf("/var/lib/cloud/instances/%s/cloud-config.txt",
		    iid);
		parse_file(t, &b, c, &m, ud);
		free(ud);
	}
	budget_note(&b, &t->unread);
	if (c->genkeytypes == NULL)
		c->genkeytypes = xstrdup(DEF_KEYTYPES);
	c->pw_run = module_run(t, &m, iid, "set_passwords");
	c->ssh_run = module_run(t, &m, iid, "ssh");
	c->pw_file = pw_file(&t->cfg);
	free(iid);
	for (i = 0; i < 3; i++)
		free(m.list[i]);
}

void
cloudinit_free(struct cloudinit *c)
{
	free(c->pwauth.where);
	free(c->deletekeys.where);
	free(c->disable_root.where);
	free(c->genkeytypes);
	free(c->pw_file);
	free(c->default_user.name);
	free(c->default_user.where);
	memset(c, 0, sizeof(*c));
}
