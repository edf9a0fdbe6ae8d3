/*
 * Warn before a fix is undone at a boot: the plan's actions against what
 * cloud-init and the clouds' guest agents on the target will do.
 *   - set_passwords with ssh_pwauth false rewrites every
 *     PasswordAuthentication line of the file it owns (pw_file) to "no":
 *     a password route in that file is closed again. A route elsewhere
 *     (a Match block in sshd_config beside the Include of
 *     sshd_config.d) outlives it: a Match block wins over the global
 *     line of 50-cloud-init.conf.
 *   - ssh with ssh_deletekeys removes every host key and makes new ones
 *     of ssh_genkeytypes; the Google guest agent (set_host_keys) and the
 *     Azure agent (Provisioning.RegenerateSshHostKeyPair) on a new
 *     instance too.
 *   - ssh with disable_root writes the instance's metadata keys into
 *     root's authorized_keys behind a command that refuses the login.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "budget.h"
#include "plan/cloudwarn.h"
#include "plan/plan.h"
#include "target/cloud.h"
#include "safefs.h"
#include "util.h"

#define KEEP_FILE	"/etc/cloud/cloud.cfg.d/99-sshfix.cfg"

/* Where to set KEY to keep the fix: where it is set, or a file of ours. */
static char *
keep(const struct cloud_key *k, const char *key, const char *value)
{
	if (k->where != NULL && strstr(k->where, "/cloud-config.txt:") != NULL)
		return xasprintf("take %s out of the instance's user data (set "
		    "in the cloud's console) or set it to %s there", key,
		    value);
	if (k->where != NULL)
		return xasprintf("set %s: %s at %s", key, value, k->where);
	return xasprintf("set %s: %s in %s", key, value, KEEP_FILE);
}

/* Does the edit A set KEYWORD (case-insensitive) to a value? */
static const char *
edit_sets(const struct action *a, const char *keyword)
{
	const char *s = a->new_text;
	size_t n = strlen(keyword);

	if (a->type != ACT_EDIT_LINE || s == NULL)
		return NULL;
	s += strspn(s, " \t");
	if (strncasecmp(s, keyword, n) != 0 || (s[n] != ' ' && s[n] != '\t'))
		return NULL;
	return s + n + strspn(s + n, " \t");
}

static int
hostkey_fix(const struct finding *f)
{
	size_t i;

	if (!finding_is(f, "hostkey-perms") &&
	    !finding_is(f, "hostkey-missing"))
		return 0;
	for (i = 0; i < f->nact; i++)
		if (f->act[i].type != ACT_MANUAL)
			return 1;
	return 0;
}

/* Does the plan of F let root in (a key for it, PermitRootLogin)? */
static int
root_fix(const struct finding *f)
{
	const char *v;
	size_t i;

	for (i = 0; i < f->nact; i++) {
		if (f->act[i].type == ACT_ADD_KEY && f->act[i].new_uid == 0)
			return 1;
		if ((v = edit_sets(&f->act[i], "PermitRootLogin")) != NULL &&
		    strncasecmp(v, "no", 2) != 0)
			return 1;
	}
	return 0;
}

/* The ssh module, when K (true by default) is on, will WHAT. */
static void
ssh_module_warn(struct finding *f, const struct cloudinit *c,
    const struct cloud_key *k, const char *key, const char *what)
{
	char *keep_it;

	if (k->val == 0 || c->ssh_run == RUN_NEVER)
		return;
	keep_it = keep(k, key, "false");
	finding_add_undo(f, "cloud-init", c->ssh_run == RUN_NEXT_BOOT, keep_it,
	    "%s (%s) makes cloud-init's ssh module %s", key, k->where ?
	    k->where : "true by default", what);
	free(keep_it);
}

static void
cloudinit_warn(struct finding *f, const struct cloudinit *c)
{
	const char *v;
	char *k;
	size_t i;

	for (i = 0; i < f->nact; i++) {
		v = edit_sets(&f->act[i], "PasswordAuthentication");
		if (v == NULL || strncasecmp(v, "yes", 3) != 0 ||
		    c->pwauth.val != 0 || c->pw_run == RUN_NEVER ||
		    strcmp(f->act[i].path, c->pw_file) != 0)
			continue;
		k = keep(&c->pwauth, "ssh_pwauth", "unchanged");
		finding_add_undo(f, "cloud-init", c->pw_run == RUN_NEXT_BOOT,
		    k, "ssh_pwauth: false (%s) makes cloud-init's "
		    "set_passwords rewrite every PasswordAuthentication line "
		    "of %s to \"no\": the password login this opens is closed "
		    "again", c->pwauth.where, c->pw_file);
		free(k);
	}
	if (hostkey_fix(f)) {
		k = xasprintf("delete every host key and make new ones of the "
		    "types %s (ssh_genkeytypes): a HostKey of another type is "
		    "missing again, and clients see a changed host key "
		    "(ssh-keygen -R HOST)", c->genkeytypes);
		ssh_module_warn(f, c, &c->deletekeys, "ssh_deletekeys", k);
		free(k);
	}
	if (root_fix(f))
		ssh_module_warn(f, c, &c->disable_root, "disable_root",
		    "write the instance's metadata keys into root's "
		    "authorized_keys behind a command that refuses the login "
		    "(\"Please login as the user ... rather than the user "
		    "root\")");
}

/* The value of the last "NAME=" (or "NAME = ") line of DATA, or NULL. */
static const char *
conf_value(const char *data, const char *name)
{
	const char *l, *v, *last = NULL;
	size_t n = strlen(name);

	for (l = data; l != NULL; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		l += strspn(l, " \t");
		if (strncasecmp(l, name, n) != 0)
			continue;
		v = l + n + strspn(l + n, " \t");
		if (*v == '=')
			last = v + 1 + strspn(v + 1, " \t");
	}
	return last;
}

static int
conf_flag(const char *data, const char *name, int dflt)
{
	const char *v = conf_value(data, name);

	return v == NULL || *v == '\0' || *v == '\n' ? dflt :
	    strchr("yYtT1", *v) != NULL;
}

static int
conf_is(const char *data, const char *name, const char *word)
{
	const char *v = conf_value(data, name);

	return v != NULL && strncasecmp(v, word, strlen(word)) == 0;
}

static char *
read_conf(struct target *t, const char *path)
{
	char *data;
	size_t len;

	if (sfs_read_file(t->rootfd, path, AGENT_MAX, &data, &len,
	    NULL) == 0)
		return data;
	unread_note(&t->unread, path, errno);
	return NULL;
}

static int
exists(struct target *t, const char *path)
{
	struct stat st;

	return sfs_lstat(t->rootfd, path, &st) == 0;
}

/* The guest agents that make new host keys on a new instance. */
static void
agents_warn(struct target *t, struct plan *p, const struct cloudinit *c)
{
	char *g, *w;
	int google, azure = 0;
	size_t i;

	g = read_conf(t, "/etc/default/instance_configs.cfg");
	google = g != NULL || exists(t,
	    "/lib/systemd/system/google-guest-agent.service") || exists(t,
	    "/usr/lib/systemd/system/google-guest-agent.service");
	google = google && conf_flag(g ? g : "", "set_host_keys", 1);
	if ((w = read_conf(t, "/etc/waagent.conf")) != NULL) {
		/* "auto" (the default) leaves provisioning to cloud-init
		 * where it is installed. */
		azure = conf_flag(w, "Provisioning.RegenerateSshHostKeyPair",
		    0) && conf_flag(w, "Provisioning.Enabled", 1) &&
		    (conf_is(w, "Provisioning.Agent", "waagent") ||
		    (!c->present && (conf_value(w, "Provisioning.Agent") ==
		    NULL || conf_is(w, "Provisioning.Agent", "auto"))));
	}
	for (i = 0; i < p->n; i++) {
		if (!hostkey_fix(&p->f[i]))
			continue;
		if (google)
			finding_add_undo(&p->f[i], "google-guest-agent", 0,
			    "set set_host_keys = false under [InstanceSetup] "
			    "in /etc/default/instance_configs.cfg", "the Google "
			    "guest agent makes new host keys for a new "
			    "instance: clients see a changed host key");
		if (azure)
			finding_add_undo(&p->f[i], "walinuxagent", 0,
			    "set Provisioning.RegenerateSshHostKeyPair=n in "
			    "/etc/waagent.conf", "the Azure agent deletes the "
			    "host keys and makes a new one when it provisions "
			    "a new instance (Provisioning.RegenerateSshHostKeyPair"
			    "=y): clients see a changed host key");
	}
	free(g);
	free(w);
}

void
cloud_warn(struct target *t, struct plan *p)
{
	struct cloudinit c;
	size_t i;

	if (p->n == 0)
		return;
	cloudinit_read(t, &c);
	if (c.present)
		for (i = 0; i < p->n; i++)
			cloudinit_warn(&p->f[i], &c);
	agents_warn(t, p, &c);
	cloudinit_free(&c);
}
