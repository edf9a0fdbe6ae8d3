/*
 * address-family: sshd cannot listen where the person connects.
 * AddressFamily inet6 with IPv6 disabled binds nothing usable ("Cannot
 * bind any address." or, with IPv6 off by sysctl, [::] that serves no IPv4
 * client); a literal ListenAddress of the other family is fatal at start
 * ("bad addr or host"); with IPv6 disabled, IPv6-only ListenAddress lines
 * bind nothing. When whether the boot turns IPv6 off cannot be told (a
 * kernel command line sshfix does not follow) and sshd needs IPv6, a
 * warning says so.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan/remedy.h"
#include "fixes/fault.h"
#include "target/net/ipv6.h"
#include "util.h"

enum { K_INET6_NO_V6 = 1, K_WRONG_FAMILY, K_V6_LISTEN_NO_V6, K_UNSURE };

static struct finding *
add(struct target *t, struct plan *p, const struct cfg_entry *e, int kind)
{
	char *where = cfg_where(&t->cfg, e->file, e->line);
	struct finding *f = plan_add_finding(p, &fault_address_family,
	    SEV_ERROR, where);

	finding_add_evidence(f, "config", "%s", where);
	finding_add_evidence(f, "line", "%s %s", e->keyword,
	    e->argc ? e->argv[0] : "");
	f->entry = e;
	f->kind = kind;
	free(where);
	return f;
}

static int
family_of(const char *af)
{
	if (strcasecmp(af, "inet") == 0)
		return 4;
	if (strcasecmp(af, "inet6") == 0)
		return 6;
	return 0;
}

static void
check_listens(struct target *t, struct plan *p, int af, int no_v6)
{
	const struct cfg_entry **l;
	size_t n, i, usable = 0;
	struct finding *f;

	n = cfg_collect(&t->cfg, KW_LISTENADDRESS, NULL, &l);
	for (i = 0; i < n; i++) {
		int fam = l[i]->argc ? listen_family(l[i]->argv[0]) : 0;

		if (af != 0 && fam != 0 && fam != af) {
			f = add(t, p, l[i], K_WRONG_FAMILY);
			finding_set_message(f, "ListenAddress %s is not an %s "
			    "address but AddressFamily is %s; sshd refuses to "
			    "start", l[i]->argv[0], af == 4 ? "IPv4" : "IPv6",
			    af == 4 ? "inet" : "inet6");
			finding_set_logline(f, "bad addr or host: %s (Address "
			    "family for hostname not supported)",
			    l[i]->argv[0]);
		} else if (fam != 6 || !no_v6)
			usable++;
	}
	/* IPv6 literals with IPv6 off: fatal only if nothing else binds. */
	for (i = 0; af == 0 && no_v6 && usable == 0 && i < n; i++) {
		if (listen_family(l[i]->argv[0]) != 6)
			continue;
		f = add(t, p, l[i], K_V6_LISTEN_NO_V6);
		finding_set_message(f, "ListenAddress %s is IPv6, which is "
		    "disabled; sshd binds nothing", l[i]->argv[0]);
		finding_set_logline(f, "Bind to port 22 on %s failed: Cannot "
		    "assign requested address. / Cannot bind any address.",
		    l[i]->argv[0]);
	}
	free(l);
}

/* Every ListenAddress of sshd's is an IPv6 literal (and there is one). */
static int
v6_only(struct target *t)
{
	const struct cfg_entry **l;
	size_t n, i;
	int only;

	n = cfg_collect(&t->cfg, KW_LISTENADDRESS, NULL, &l);
	for (i = 0, only = n > 0; i < n; i++)
		if (l[i]->argc == 0 || listen_family(l[i]->argv[0]) != 6)
			only = 0;
	free(l);
	return only;
}

static int
detect(struct target *t, struct plan *p)
{
	const struct cfg_entry *e = cfg_effective(&t->cfg, KW_ADDRESSFAMILY,
	    NULL, NULL);
	int af = e && e->argc ? family_of(e->argv[0]) : 0;
	char *why = NULL;
	int no_v6 = ipv6_disabled(t, &why);
	struct finding *f;

	if (no_v6 == -1 && (af == 6 || v6_only(t))) {
		f = plan_add_finding(p, &fault_address_family, SEV_WARNING,
		    "the kernel command line");
		f->kind = K_UNSURE;
		finding_set_message(f, "cannot tell whether the boot turns "
		    "IPv6 off (%s), and sshd listens on IPv6 only (%s): if it "
		    "does, sshd binds nothing an IPv4 client can reach", why,
		    af == 6 ? "AddressFamily inet6" : "its ListenAddress "
		    "lines");
		finding_add_evidence(f, "ipv6", "%s", why);
	}
	if (af == 6 && no_v6 == 1) {
		f = add(t, p, e, K_INET6_NO_V6);
		finding_set_message(f, "AddressFamily inet6 but IPv6 is "
		    "disabled (%s): sshd listens on no address an IPv4 client "
		    "can reach", why);
		finding_set_logline(f, "Cannot bind any address.");
		finding_add_evidence(f, "ipv6", "%s", why);
		/* Once the family is inet, IPv6 literals become fatal. */
		af = 4;
	}
	check_listens(t, p, af, no_v6 == 1);
	free(why);
	return 0;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	const struct cfg_entry *e = f->entry;
	char *old;

	(void)p;
	if (f->kind == K_UNSURE) {
		plan_add_manual(f, "look at the kernel command line the server "
		    "boots with (its grub.cfg or /boot/loader/entries; "
		    "/proc/cmdline once it runs): with ipv6.disable=1 there, "
		    "set AddressFamily any (or inet)");
		return;
	}
	if (f->kind != K_INET6_NO_V6) {
		plan_comment_out(t, f, e);
		return;
	}
	old = cfg_line_text(&t->cfg, e->file, e->line);
	plan_add_edit(f, t->cfg.files[e->file].path, e->line, old,
	    "AddressFamily inet", 0);
	free(old);
}

const struct fault fault_address_family = {
	.id = "address-family",
	.summary = "sshd listens on an address family the host cannot serve",
	.detect = detect,
	.plan = plan,
};
