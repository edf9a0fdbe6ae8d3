/*
 * address-banned: a brute-force blocker bans the person's address (the
 * --from one) again every time it starts: sshguard, its blacklist
 * (BLACKLIST_FILE) read at start and every address in it blocked, for
 * every port; fail2ban, its database (the bans of each jail it puts back
 * at start while they last, for the ports that jail's action blocks).
 * sshd never sees the connection; the client waits ("Connection timed
 * out"). Only with --from: without the person's address, a list of
 * attackers is not a fault. The repair comments out sshguard's line
 * (sshguard passes over a line it cannot read), and removes fail2ban's row
 * from its database (src/exec/unban.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixes/fault.h"
#include "shquote.h"
#include "target/net/bans.h"
#include "util.h"

/* Has a finding of this fault already planned an edit of FILE:LINE? */
static int
line_reported(const struct plan *p, const char *file, size_t line)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].fault == &fault_address_banned &&
		    p->f[i].path != NULL && strcmp(p->f[i].path, file) == 0 &&
		    p->f[i].kind == (int)line - 1)
			return 1;
	return 0;
}

static void
utc(time_t when, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&when, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "an unknown time");
}

/* Has a finding of this fault already reported fail2ban's row AUX
   ("JAIL\tIP") of database FILE (a network's row banning two --from
   addresses: one finding, one removal)? */
static int
row_reported(const struct plan *p, const char *file, const char *aux)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].fault == &fault_address_banned &&
		    p->f[i].kind == -1 && p->f[i].path != NULL &&
		    strcmp(p->f[i].path, file) == 0 && p->f[i].aux != NULL &&
		    strcmp(p->f[i].aux, aux) == 0)
			return 1;
	return 0;
}

/* fail2ban's ban B of ADDR: a finding (f->aux: "JAIL\tIP" of its row). */
static void
f2b_finding(struct plan *p, const char *addr, const struct ban *b)
{
	struct finding *f;
	char since[32], until[64], *aux, *what;

	utc(b->since, since, sizeof(since));
	if (b->until == -1)
		snprintf(until, sizeof(until), "every time it starts (bantime "
		    "-1: for good)");
	else if (b->until == 0)
		snprintf(until, sizeof(until), "when it starts within the "
		    "jail's bantime");
	else {
		char u[32];

		utc(b->until, u, sizeof(u));
		snprintf(until, sizeof(until), "if it starts before %s", u);
	}
	aux = xasprintf("%s\t%s", b->text, b->addr);
	if (row_reported(p, b->file, aux)) {
		free(aux);
		return;
	}
	/* a row naming a network, or the address written another way */
	what = strcmp(b->addr, addr) == 0 ? xstrdup(addr) :
	    xasprintf("%s (which covers %s: removing it lifts the ban of "
	    "all it covers)", b->addr, addr);
	f = plan_add_finding(p, &fault_address_banned, SEV_ERROR, addr);
	finding_add_evidence(f, "fail2ban", "%s: jail %s, ip %s, banned %s",
	    b->file, b->text, b->addr, since);
	finding_set_message(f, "fail2ban's database (%s) holds a ban of %s in "
	    "jail \"%s\" (banned %s), which fail2ban puts back %s (sooner if "
	    "the jail's bantime is now shorter), for the ports that jail "
	    "blocks: the client waits and says "
	    "\"Connection timed out\", and sshd logs nothing", b->file,
	    what, b->text, since, until);
	f->path = xstrdup(b->file);
	f->kind = -1;
	f->aux = aux;
	free(what);
}

static int
detect(struct target *t, struct plan *p)
{
	struct finding *f;
	struct ban *b;
	char when[32];
	size_t n, i, k;

	for (k = 0; t->from != NULL && t->from[k] != NULL; k++) {
		n = bans_of(t, t->from[k], &b);
		for (i = 0; i < n; i++) {
			if (strcmp(b[i].by, "fail2ban") == 0) {
				f2b_finding(p, t->from[k], &b[i]);
				continue;
			}
			/* one line banning two --from addresses: one
			   finding, one edit */
			if (line_reported(p, b[i].file, b[i].line))
				continue;
			f = plan_add_finding(p, &fault_address_banned,
			    SEV_ERROR, t->from[k]);
			utc(b[i].since, when, sizeof(when));
			finding_add_evidence(f, b[i].by, "%s line %zu: %s",
			    b[i].file, b[i].line, b[i].text);
			finding_set_message(f, "%s blocks %s at every start "
			    "(%s line %zu: %s/%d, banned since %s), for every "
			    "port: the client waits and says \"Connection timed "
			    "out\", and sshd logs nothing", b[i].by, t->from[k],
			    b[i].file, b[i].line, b[i].addr, b[i].prefix, when);
			f->path = xstrdup(b[i].file);
			f->kind = (int)b[i].line - 1;
			f->aux = xstrdup(b[i].text);
		}
		bans_free(b, n);
	}
	return 0;
}

/*
 * fail2ban's ban (f->aux "JAIL\tADDR"). On a disk whose fail2ban is not
 * running, its row is removed from the database (as fail2ban-client
 * unbanip would); on the running system fail2ban holds the database and
 * the ban is in the kernel now: that is the person's command.
 */
static void
f2b_plan(struct target *t, struct finding *f)
{
	const char *bad, *ip;
	char *jail, *cmd;
	size_t jl;

	jl = strcspn(f->aux, "\t");
	jail = xstrndup(f->aux, jl);
	ip = f->aux + jl + (f->aux[jl] != '\0');
	if (!t->live)
		plan_add_unban(f, f->path, jail, ip, f->subject);
	else if ((cmd = sh_cmd(&bad, "fail2ban-client set %s unbanip %s",
	    jail, ip)) != NULL) {
		plan_add_manual(f, "%s (lifts the ban now and removes it from "
		    "the database)", cmd);
		free(cmd);
	} else
		plan_add_manual(f, "lift the ban with fail2ban-client set JAIL "
		    "unbanip ADDRESS (the jail's name is not shell-safe)");
	plan_add_manual(f, "add the address to the jail's ignoreip to keep "
	    "it from being banned again");
	free(jail);
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	char *new;

	(void)p;
	if (f->kind == -1) {
		f2b_plan(t, f);
		return;
	}
	new = xasprintf("#%s", f->aux);
	plan_add_edit(f, f->path, (size_t)f->kind, f->aux, new, 0);
	plan_add_manual(f, "sshguard drops the ban when it next starts (or "
	    "now: systemctl restart sshguard); add the address to its "
	    "WHITELIST_FILE to keep it from being banned again");
	free(new);
}

const struct fault fault_address_banned = {
	.id = "address-banned",
	.summary = "a brute-force blocker bans the person's address again "
	    "every time it starts",
	.detect = detect,
	.plan = plan,
};
