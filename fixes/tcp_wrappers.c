/*
 * tcp-wrappers: an sshd linked with libwrap (RHEL 7's 7.4, Debian's
 * sshd to this day) asks hosts_access(5) about every connection, as
 * daemon "sshd": the first rule of /etc/hosts.allow that matches grants
 * it, else the first of /etc/hosts.deny that matches refuses it. A
 * hosts.deny rule that matches sshd and every client (ALL, sshd,
 * "ALL: ALL"), with no hosts.allow rule that could match sshd, refuses
 * everyone: sshd closes each connection before the SSH banner. A rule
 * whose effect cannot be told (options, daemon@host, long lines) ends
 * the evaluation with a note, never a finding. The repair comments out
 * the refusing line.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/sshdlinks.h"
#include "fixes/fault.h"
#include "target/net/hostsaccess.h"
#include "safefs.h"
#include "util.h"

#define ALLOW	"/etc/hosts.allow"
#define DENY	"/etc/hosts.deny"

static int
links_libwrap(struct target *t)
{
	return sshd_links(t, "libwrap.so") == TRI_YES;
}

static void
cannot_tell(struct target *t, const char *file, const struct wrap_rule *r,
    const char *what)
{
	target_note(t, "%s line %zu (\"%s\") %s; sshfix cannot tell whether "
	    "it refuses your client (sshd is linked with libwrap)", file,
	    r->line + 1, r->text, what);
}

/* Could hosts.allow grant sshd to some client? Then no finding. */
static int
allow_may_grant(struct target *t)
{
	struct wrap_rules rs;
	size_t i;
	int may = 0;

	wrap_rules_load(t->rootfd, ALLOW, "sshd", &rs, &t->unread);
	for (i = 0; !may && i < rs.n; i++) {
		if (rs.r[i].daemon == TRI_NO)
			continue;
		may = 1;
		if (rs.r[i].options)
			cannot_tell(t, ALLOW, &rs.r[i], "has options");
	}
	wrap_rules_free(&rs);
	return may;
}

static void
add(struct target *t, struct plan *p, const struct wrap_rule *r)
{
	struct finding *f = plan_add_finding(p, &fault_tcp_wrappers,
	    SEV_ERROR, DENY);

	(void)t;
	finding_set_message(f, "%s line %zu (\"%s\") refuses sshd to every "
	    "client, and no rule of %s lets one in: sshd is linked with "
	    "libwrap and closes each connection before the SSH banner", DENY,
	    r->line + 1, r->text, ALLOW);
	finding_set_logline(f, "Connection refused by tcp wrapper (LogLevel "
	    "DEBUG) / libwrap, to syslog: refused connect from ADDR");
	finding_add_evidence(f, "rule", "%s:%zu", DENY, r->line + 1);
	f->path = xstrdup(DENY);
	f->kind = (int)r->line;
	if (r->nlines == 1)
		f->aux = xstrdup(r->text);
}

static int
detect(struct target *t, struct plan *p)
{
	struct wrap_rules rs;
	size_t i, found = 0;

	if (!links_libwrap(t) || allow_may_grant(t))
		return 0;
	wrap_rules_load(t->rootfd, DENY, "sshd", &rs, &t->unread);
	for (i = 0; i < rs.n; i++) {
		const struct wrap_rule *r = &rs.r[i];

		if (r->daemon == TRI_NO)
			continue;
		if (r->options) {
			cannot_tell(t, DENY, r, "has options");
			break;
		}
		if (r->daemon == TRI_YES && r->everyone == TRI_YES) {
			add(t, p, r);
			found++;
		} else if (found == 0)
			cannot_tell(t, DENY, r, r->daemon == TRI_MAYBE ?
			    "may name sshd" : "refuses some clients");
	}
	wrap_rules_free(&rs);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	char *new;

	(void)t;
	(void)p;
	if (f->aux == NULL) {
		plan_add_manual(f, "comment out the rule that starts on line "
		    "%d of %s (it continues over several lines)", f->kind + 1,
		    f->path);
		return;
	}
	new = xasprintf("#%s", f->aux);
	plan_add_edit(f, f->path, (size_t)f->kind, f->aux, new, 0);
	free(new);
}

const struct fault fault_tcp_wrappers = {
	.id = "tcp-wrappers",
	.summary = "hosts.deny refuses sshd (linked with libwrap) to everyone",
	.detect = detect,
	.plan = plan,
};
