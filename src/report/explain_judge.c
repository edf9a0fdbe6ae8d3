/*
 * --explain's verdicts: from what a client log's lines say (struct
 * facts, gathered by explain.c) to the cases it shows, each with the
 * next step and the sshfix faults that can cause it on the server.
 */
#include <stdlib.h>
#include <string.h>

#include "report/explain.h"
#include "report/explain_int.h"
#include "shquote.h"
#include "util.h"

static const struct xkind kinds[] = {
	{ "authenticated", XS_NONE, "the login worked", { NULL } },
	{ "resolve-failed", XS_CLIENT, "the host name does not resolve",
	    { NULL } },
	{ "connection-refused", XS_SERVER, "connection refused: nothing "
	    "listens on that address and port", { "sshd-binary",
	    "config-invalid", "hostkey-missing", "hostkey-perms", "privsep",
	    "listen-address", "port-in-use", "address-family", "host-firewall",
	    NULL } },
	{ "connection-timeout", XS_NETWORK, "no answer: the connection "
	    "timed out", { "listen-address", "host-firewall", "address-banned",
	    NULL } },
	{ "unreachable", XS_NETWORK, "no route to the server", { NULL } },
	{ "hostkey-changed", XS_CLIENT, "host key verification failed: the "
	    "server's host key changed", { "hostkey-missing", NULL } },
	{ "hostkey-unknown", XS_CLIENT, "host key verification failed: the "
	    "server's host key is not known and checking is strict",
	    { NULL } },
	{ "no-hostkey-type", XS_SERVER, "no mutual host key type",
	    { "hostkey-missing", NULL } },
	{ "hostkey-type-refused", XS_CLIENT, "no mutual host key type: the "
	    "client refuses the server's", { NULL } },
	{ "no-kex", XS_CLIENT, "no mutual algorithm: the client refuses the "
	    "server's", { NULL } },
	{ "old-algorithms", XS_SERVER, "no mutual algorithm: the server "
	    "offers only old ones", { NULL } },
	{ "max-startups", XS_SERVER, "sshd dropped the connection: "
	    "MaxStartups throttling", { NULL } },
	{ "dropped-before-banner", XS_SERVER, "sshd closed the connection "
	    "before its banner", { "source-penalty", "tcp-wrappers", "privsep",
	    NULL } },
	{ "dropped-in-kex", XS_SERVER, "sshd closed the connection during "
	    "key exchange", { "hostkey-missing", "hostkey-perms", "privsep",
	    NULL } },
	{ "too-many-keys", XS_CLIENT, "too many authentication failures: "
	    "the client offered too many keys", { "max-auth-tries", NULL } },
	{ "unprotected-key", XS_CLIENT, "the client ignored its private key: "
	    "the file is open to others", { NULL } },
	{ "identity-missing", XS_CLIENT, "the identity file given does not "
	    "exist", { NULL } },
	{ "no-mutual-signature", XS_CLIENT, "the key cannot sign with an "
	    "algorithm the server accepts", { NULL } },
	{ "denied-keys-offered", XS_SERVER, "Permission denied with keys "
	    "offered: the server refused them", { "key-offered", "key-refused",
	    "home-perms", "sshdir-perms", "auth-lockout", "account-state",
	    "access-list", "root-login", "auth-methods", "chroot-perms",
	    NULL } },
	{ "denied-no-key", XS_CLIENT, "Permission denied and no key was "
	    "offered", { NULL } },
	{ "password-disabled", XS_SERVER, "the server takes no password",
	    { "auth-lockout", "auth-methods", NULL } },
	{ "password-rejected", XS_SERVER, "the password was asked for and "
	    "refused", { "root-login", "account-state", "access-list",
	    "auth-lockout", "pam-module", NULL } },
};

const char *
xside_name(enum xside s)
{
	static const char *const names[] = { "client", "server", "network",
	    "none" };

	return names[s];
}

static const struct xkind *
kind(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].id, id) == 0)
			return &kinds[i];
	abort();
}


static void
add(struct client_log *cl, const char *id, const char *line, char *detail,
    char *next)
{
	struct xcase *c;

	cl->c = xreallocarray(cl->c, cl->n + 1, sizeof(*cl->c));
	c = &cl->c[cl->n++];
	c->kind = kind(id);
	c->line = xstrdup(line);
	c->detail = detail;
	c->next = next;
	c->cmd = NULL;
}

/* The case just added names CMD to paste: on a line of its own. */
static void
with_cmd(struct client_log *cl, char *cmd)
{
	cl->c[cl->n - 1].cmd = cmd;
}

/* "[host]:port" as known_hosts names it (the port only when not 22). */
static char *
known_name(const struct client_log *cl)
{
	const char *h = cl->host != NULL ? cl->host : "HOST";

	if (cl->port != NULL && strcmp(cl->port, "22") != 0)
		return xasprintf("[%s]:%s", h, cl->port);
	return xstrdup(h);
}

static int
has_method(const char *list, const char *m)
{
	const char *p = list;
	size_t n = strlen(m);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, m, n) == 0 && (p[n] == ',' || p[n] == '\0' ||
		    p[n] == ')'))
			return 1;
		p = strchr(p, ',');
		p = p != NULL ? p + 1 : NULL;
	}
	return 0;
}

/* The server closed the connection before authentication. */
static int
judge_drop(struct client_log *cl, struct facts *f)
{
	if (f->startups != NULL)
		add(cl, "max-startups", f->startups, xstrdup("sshd refused "
		    "the connection because too many were still "
		    "unauthenticated (MaxStartups); sshfix has no check for "
		    "this"), xstrdup("retry later; on the server, sshd logs "
		    "\"drop connection #N from ... past MaxStartups\": find "
		    "who holds the connections, or raise MaxStartups"));
	else if (f->banner_drop != NULL || (f->drop != NULL && !f->banner))
		add(cl, "dropped-before-banner", f->banner_drop != NULL ?
		    f->banner_drop : f->drop, xstrdup("sshd accepted the "
		    "connection and closed it at once: a PerSourcePenalties "
		    "penalty (OpenSSH 9.8 and later), hosts.deny (tcp wrappers), "
		    "MaxStartups, its per-connection process exiting (the "
		    "privilege separation directory, /run/sshd, gone while "
		    "sshd runs: \"Missing privilege separation directory\"), "
		    "or something in between (a load balancer, fail2ban)"),
		    xstrdup("run sshfix on the server: it checks "
		    "source-penalty, tcp-wrappers and privsep; sshd's log "
		    "names the drop (a Debian sshd makes /run/sshd again when "
		    "it restarts)"));
	else if (f->drop != NULL && !f->hk_failed && f->denied == NULL &&
	    f->authed == NULL && f->methods == NULL)
		add(cl, "dropped-in-kex", f->drop, xstrdup("sshd closed the "
		    "connection during key exchange: it has no host key it can "
		    "use (\"No supported key exchange algorithms\": a DSA-only "
		    "server), or its privilege-separated child died"),
		    xstrdup("run sshfix on the server: hostkey-missing, "
		    "hostkey-perms and privsep"));
	else
		return 0;
	return 1;
}

/* A connect that failed neither refused nor timed out: the route. */
static void
judge_unreachable(struct client_log *cl, struct facts *f)
{
	const char *a = cl->addr != NULL ? cl->addr : cl->host != NULL ?
	    cl->host : "HOST";
	const char *port = cl->port != NULL && strcmp(cl->port, "22") != 0 ?
	    cl->port : NULL;

	if (strstr(f->connect_why, "No route to host") != NULL)
		add(cl, "unreachable", f->connect, xstrdup("the client "
		    "cannot reach the server: No route to host: the client's "
		    "route leads nowhere, or the server's firewall rejects the "
		    "port (firewalld's default answer, which ssh shows as "
		    "this)"), xasprintf("check the client's route (ip route "
		    "get %s); if that host answers on other ports, open the "
		    "port in its firewall (firewall-cmd --permanent %s%s%s, "
		    "then firewall-cmd --reload)", a, port == NULL ?
		    "--add-service=ssh" : "--add-port=", port != NULL ? port :
		    "", port != NULL ? "/tcp" : ""));
	else if (strstr(f->connect_why, "Permission denied") != NULL)
		/* EACCES from connect: an ICMPv6 "administratively
		   prohibited" (firewalld's reject over IPv6), or a local
		   rule refusing the packet; never sshd, never a login */
		add(cl, "unreachable", f->connect, xstrdup("a firewall "
		    "refused the connection before sshd saw it: \"Permission "
		    "denied\" from connect is the kernel's word for an ICMPv6 "
		    "\"administratively prohibited\" (firewalld's reject over "
		    "IPv6) or for a rule on the client itself; no login was "
		    "tried"), xasprintf("run sshfix on the server (host-"
		    "firewall); open the port in its firewall (firewall-cmd "
		    "--permanent %s%s%s, then firewall-cmd --reload); check "
		    "the client's own firewall (nft list ruleset) for %s", port
		    == NULL ? "--add-service=ssh" : "--add-port=", port != NULL ?
		    port : "", port != NULL ? "/tcp" : "", a));
	else if (strstr(f->connect_why, "Network is unreachable") != NULL)
		add(cl, "unreachable", f->connect, xstrdup("the client "
		    "has no route to that network at all: the cause is on the "
		    "client, the server was never tried"), xasprintf("check "
		    "the client's own network: its link and default route (ip "
		    "route get %s), or an IPv6 address on a client without "
		    "IPv6", a));
	else
		add(cl, "unreachable", f->connect, xasprintf("the "
		    "client cannot reach the server: %s", f->connect_why),
		    xstrdup("check the client's network and route to the "
		    "server"));
}

/* Before any authentication: the connection, host key, algorithms. */
static int
judge_connection(struct client_log *cl, struct facts *f)
{
	const char *id;
	char *kh, *detail, *next;

	if (f->resolve != NULL)
		add(cl, "resolve-failed", f->resolve, xstrdup("the client "
		    "could not find the server's address"), xstrdup("check "
		    "the name (or use the address), and /etc/hosts or DNS on "
		    "the client"));
	else if (f->connect != NULL && strstr(f->connect_why, "refused")) {
		add(cl, "connection-refused", f->connect, xasprintf("the "
		    "server answered, but no sshd listens on port %s: sshd is "
		    "down (it did not start, e.g. \"no hostkeys available\"), "
		    "listens elsewhere, or the port is wrong",
		    cl->port != NULL ? cl->port : "22"), xstrdup("check the "
		    "port (ssh -p); sshfix says why sshd does not start or "
		    "listen: run it on the server's console, or on its disk "
		    "from a rescue VM:"));
		with_cmd(cl, xstrdup("sshfix --root /mnt"));
	} else if (f->connect != NULL && strstr(f->connect_why, "timed out"))
		add(cl, "connection-timeout", f->connect, xstrdup("nothing "
		    "answered: a firewall or security group drops the "
		    "connection, the address is wrong, or the machine is down"),
		    xstrdup("check the address and that the machine runs (its "
		    "serial console); sshfix judges the server's own firewall "
		    "and the bans a blocker restores (run it with --from and "
		    "your address), but a cloud firewall is not on the disk: "
		    "check the port in the cloud's console (an AWS security "
		    "group, an Azure network security group, a Google Cloud "
		    "VPC firewall rule)"));
	else if (f->connect != NULL)
		judge_unreachable(cl, f);
	else if (f->hk_failed != NULL && f->hk_changed != NULL) {
		kh = f->keygen != NULL ? xstrdup(f->keygen) : known_name(cl);
		add(cl, "hostkey-changed", f->hk_failed, xstrdup("the "
		    "server's host key is not the one the client remembers: "
		    "expected after its host keys were regenerated (sshfix's "
		    "hostkey-missing repair, a reinstall, cloud-init's "
		    "ssh_deletekeys on a new instance); otherwise someone may "
		    "be in between"), xstrdup("compare the new key's "
		    "fingerprint on the server's console (ssh-keygen -lf "
		    "/etc/ssh/ssh_host_ed25519_key.pub), then remove the old "
		    "one:"));
		with_cmd(cl, xasprintf("%s%s%s", f->keygen != NULL ? "" :
		    "ssh-keygen -R \"", kh, f->keygen != NULL ? "" : "\""));
		free(kh);
	} else if (f->hk_failed != NULL)
		add(cl, "hostkey-unknown", f->hk_failed, xstrdup("the client "
		    "knows no host key for this server and checks strictly"),
		    xstrdup("get the server's fingerprint from its console "
		    "and add it to known_hosts, or connect once with "
		    "-o StrictHostKeyChecking=accept-new"));
	else if (f->negotiate != NULL) {
		id = explain_negotiate(cl, f->negotiate, &detail, &next);
		add(cl, id, f->negotiate, detail, next);
	}	else
		return judge_drop(cl, f);
	return 1;
}

/* A refusal that came with the keys the client offered. */
static void
judge_denied(struct client_log *cl, struct facts *f)
{
	char *u = sh_word(cl->user != NULL ? cl->user : "USER", "USER");

	if (f->accepted > 0 && f->unprot == NULL)
		add(cl, "denied-no-key", f->denied, xstrdup("the server "
		    "accepted a key, but the client could not sign with it "
		    "(a wrong passphrase, an agent or token refusing)"),
		    xstrdup("check the key's passphrase or the agent "
		    "(ssh-add -l)"));
	else if (f->offered > f->accepted) {
		add(cl, "denied-keys-offered", f->denied, xasprintf("the "
		    "client offered %d key%s (%s) and the server refused %s: "
		    "the cause is on the server", f->offered, f->offered > 1 ?
		    "s" : "", f->offers.s, f->offered > 1 ? "them" : "it"),
		    xasprintf("run sshfix on the server (sshfix --user %s) and "
		    "look at the faults named here, sshd's log says which "
		    "refused the key; from a rescue VM, its disk at /mnt:",
		    u));
		with_cmd(cl, xasprintf("sshfix --root /mnt --user %s", u));
	} else if (f->unprot == NULL && f->noident == NULL)
		add(cl, "denied-no-key", f->denied, xstrdup(f->tried > 0 ?
		    "the client had no key to offer: none of the files it "
		    "tried exists or loads" : "the client offered no key"),
		    xstrdup("give the right key with -i FILE (and "
		    "-o IdentitiesOnly=yes), or load it into the agent "
		    "(ssh-add FILE); check IdentityFile and IdentitiesOnly in "
		    "~/.ssh/config"));
	if (f->methods != NULL && !has_method(f->methods, "password") &&
	    !has_method(f->methods, "keyboard-interactive") &&
	    f->offered == 0)
		add(cl, "password-disabled", f->denied, xasprintf("the server "
		    "accepts only %s: no password (PasswordAuthentication no, "
		    "as cloud images set it)", f->methods), xstrdup("log in "
		    "with a key; if the account has none, sshfix on the "
		    "server (auth-lockout) installs one with --authorized-key "
		    "or opens a temporary password route"));
	free(u);
}

/* chmod 600 of the key file the client named, or of KEYFILE. */
static char *
keyfile_chmod(const struct facts *f)
{
	char *w = sh_word(f->unprot_path ? f->unprot_path : "KEYFILE",
	    "KEYFILE"), *s = xasprintf("chmod 600 %s", w);

	free(w);
	return s;
}

static void
judge_auth(struct client_log *cl, struct facts *f)
{
	if (f->unprot != NULL)
		add(cl, "unprotected-key", f->unprot, xasprintf("the client "
		    "ignores %s because others can read it", f->unprot_path ?
		    f->unprot_path : "its private key"), keyfile_chmod(f));
	if (f->noident != NULL)
		add(cl, "identity-missing", f->noident, xstrdup("the "
		    "identity file given with -i or IdentityFile is not "
		    "there"), xstrdup("give the path of the private key "
		    "(not the .pub) with -i"));
	if (f->nosig != NULL)
		add(cl, "no-mutual-signature", f->nosig, xstrdup("an RSA key "
		    "whose client or server allows no RSA signature algorithm "
		    "in common (ssh-rsa, SHA-1, is off since 8.8)"),
		    xstrdup("use an ed25519 key; or, for one old server, "
		    "-o PubkeyAcceptedAlgorithms=+ssh-rsa"));
	if (f->toomany != NULL)
		add(cl, "too-many-keys", f->toomany, xasprintf("the client "
		    "offered %d key%s before the right one and sshd stopped "
		    "at MaxAuthTries", f->offered, f->offered == 1 ? "" : "s"),
		    xstrdup("offer only the right key: -o IdentitiesOnly=yes "
		    "-i FILE (the agent's keys go first otherwise); sshfix's "
		    "max-auth-tries names a MaxAuthTries too low"));
	else if (f->pw_reject != NULL && f->denied != NULL)
		add(cl, "password-rejected", f->pw_reject, xstrdup("the "
		    "server asked for the password and refused it: a wrong "
		    "password, or an account sshd refuses with any password "
		    "(root under PermitRootLogin prohibit-password, a locked "
		    "or expired account, DenyUsers): sshd still asks"),
		    xasprintf("check the password on the console; run sshfix "
		    "on the server with --user %s", cl->user != NULL ?
		    cl->user : "USER"));
	else if (f->denied != NULL)
		judge_denied(cl, f);
}

void
explain_judge(struct client_log *cl, struct facts *f)
{
	if (judge_connection(cl, f))
		return;
	judge_auth(cl, f);
	if (f->authed != NULL && f->denied == NULL)
		add(cl, "authenticated", f->authed, xstrdup("the client "
		    "logged in"), xstrdup("nothing to do"));
}

