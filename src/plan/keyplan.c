/*
 * The repairs that let an account's keys in (plan/keyplan.h): shared by
 * auth-lockout and key-offered.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "plan/keyplan.h"
#include "safefs.h"
#include "shquote.h"
#include "target/keys/cert.h"
#include "target/login/access.h"
#include "target/login/logins.h"
#include "target/login/revoked.h"
#include "util.h"

void
plan_set_value(struct target *t, struct finding *f, const struct cfg_entry *e,
    const char *text, int temporary)
{
	char *old, *new;

	if (e == NULL) {
		plan_add_edit(f, SSHD_CONFIG, 0, NULL, text, temporary);
		return;
	}
	old = cfg_line_text(&t->cfg, e->file, e->line);
	/* The line keeps its indentation (a Match block's body). */
	new = xasprintf("%.*s%s", (int)strspn(old, " \t"), old, text);
	plan_add_edit(f, t->cfg.files[e->file].path, e->line, old, new,
	    temporary);
	free(new);
	free(old);
}

/* Let A's keys in: PubkeyAuthentication, and prohibit-password for root. */
void
plan_open_keys(struct target *t, struct finding *f, const struct account *a,
    const struct match_ctx *ctx)
{
	const struct cfg_entry *prl = cfg_effective(&t->cfg,
	    KW_PERMITROOTLOGIN, ctx, NULL);
	const struct cfg_entry *pk = cfg_effective(&t->cfg, KW_PUBKEYAUTH,
	    ctx, NULL);

	if (!cfg_flag(pk, 1))
		plan_set_value(t, f, pk, "PubkeyAuthentication yes", 0);
	if (a->uid == 0 && permit_root_refuses_keys(permit_root_value(prl)))
		plan_set_value(t, f, prl, "PermitRootLogin prohibit-password", 0);
}

/*
 * Is the key of LINE ("TYPE BASE64 [COMMENT]") one sshd refuses for CTX
 * whatever file holds it (RevokedKeys)? *WHY then says so.
 */
static int
key_unusable(struct target *t, const struct match_ctx *ctx, const char *line,
    char **why)
{
	size_t a = strcspn(line, " \t"), b;
	const char *path, *err;
	char *b64, *type;
	int r;

	if (cert_type_line(line)) {
		*why = xstrdup("it is a certificate, which sshd matches only "
		    "through its CA (TrustedUserCAKeys or a cert-authority "
		    "line), never as a line of an authorized keys file");
		return 1;
	}
	type = xstrndup(line, a);
	a += strspn(line + a, " \t");
	b = strcspn(line + a, " \t\r\n");
	b64 = xstrndup(line + a, b);
	r = key_revoked(t, ctx, type, b64, &path);
	free(b64);
	free(type);
	if (r == REV_LISTED)
		*why = xasprintf("RevokedKeys %s lists it", path);
	else if (r == REV_ALL)
		*why = xasprintf("RevokedKeys names %s, which %s: sshd takes "
		    "no key at all", path, revoked_all_why(t, path, &err));
	return r == REV_LISTED || r == REV_ALL;
}

void
plan_add_keys(struct target *t, struct finding *f, const struct account *a,
    const struct match_ctx *ctx, const char *const *keys_in)
{
	struct action *act;
	struct sbuf keys = { 0 };
	struct stat st;
	char **paths;
	size_t i;

	if (authkeys_paths(t, a, ctx, &paths) <= 0) {
		plan_add_manual(f, "AuthorizedKeysFile for %s names no usable "
		    "file; fix it before a key can be installed", a->name);
		free_strv(paths);
		return;
	}
	/* sshd follows a user's link there; sshfix never writes through
	   one (the executor would refuse it): the person decides. */
	if ((sfs_lstat(t->rootfd, paths[0], &st) == 0 && S_ISLNK(st.st_mode)) ||
	    (errno == ELOOP)) {
		const char *bad = NULL;
		char *cmd = sh_cmd(&bad, "ls -l %s%s",
		    sh_root_prefix(t->rootdir, t->live), paths[0]);

		if (cmd == NULL)
			plan_add_unsafe(f, bad, "add the key by hand to the file "
			    "the link at %s leads to", paths[0]);
		else
			plan_add_manual(f, "%s is reached through a symbolic "
			    "link, and sshfix writes through none: add the key "
			    "to the file it leads to by hand (%s shows it), or "
			    "put a plain file in the link's place", paths[0],
			    cmd);
		free(cmd);
		free_strv(paths);
		plan_open_keys(t, f, a, ctx);
		return;
	}
	for (i = 0; keys_in[i] != NULL; i++) {
		char *why = NULL;

		if (key_unusable(t, ctx, keys_in[i], &why)) {
			plan_add_manual(f, "the key \"%.40s...\" is not installed: "
			    "%s, and sshd would refuse it", keys_in[i], why);
			free(why);
			continue;
		}
		sbuf_addf(&keys, "%s\n", keys_in[i]);
	}
	if (keys.len == 0) {
		free_strv(paths);
		return;
	}
	act = finding_add_action(f, ACT_ADD_KEY, paths[0]);
	act->user = xstrdup(a->name);
	act->new_uid = a->uid;
	act->new_gid = a->gid;
	act->text = sbuf_take(&keys);
	free_strv(paths);
	plan_open_keys(t, f, a, ctx);
}

