/*
 * The asking side of os/fwjudge.h: the ruleset in a pipe, sshfix's own
 * binary (through its fd, as the SELinux helper) in the netadmin
 * sandbox, its answers read back. Where no user namespace can be made,
 * no judgement: the ruleset is never loaded into a namespace the
 * machine's own root owns.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/fwjudge.h"
#include "os/runprog.h"
#include "os/sandbox.h"
#include "util.h"

#define FWJ_MS	25000	/* the helper's rounds: fwjudge_helper.c */

static const char *const loaders[] = {
	[FWJ_NFT] = "nft",
	[FWJ_IPT4] = "iptables-restore",
	[FWJ_IPT6] = "ip6tables-restore",
	[FWJ_IPT4_N] = "iptables-restore -n",
	[FWJ_IPT6_N] = "ip6tables-restore -n",
};

int
fwj_loader_family(enum fwj_loader l)
{
	return l == FWJ_NFT ? 0 : l == FWJ_IPT4 || l == FWJ_IPT4_N ? 4 : 6;
}

const char *
fwj_loader_name(enum fwj_loader l)
{
	return loaders[l];
}

const char *
fwj_verdict_name(enum fwj_verdict v)
{
	return v == FWJ_ACCEPT ? "accept" : v == FWJ_DROP ? "drop" : "reject";
}

/* One family's four arguments into A (each allocated). */
static void
fam_args(const struct fwj_family *f, char **a)
{
	char c[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	struct sbuf b = { 0 };
	int af = f->fam == 4 ? AF_INET : AF_INET6;
	size_t i;

	inet_ntop(af, f->client, c, sizeof(c));
	inet_ntop(af, f->server, s, sizeof(s));
	for (i = 0; i < f->nports; i++)
		sbuf_addf(&b, "%s%d", i ? "," : "", f->ports[i]);
	a[0] = xstrdup(f->fam == 4 ? "4" : "6");
	a[1] = xstrdup(c);
	a[2] = xstrdup(s);
	a[3] = sbuf_take(&b);
}

/* "fw= FAM PORT VERDICT LINE" into F's verdicts, once per port (GOT:
   which have been answered); LINES: the ruleset's line count. */
static int
answer(const char *line, size_t len, struct fwj_family *f, size_t n,
    unsigned char got[][FWJ_MAX_PORTS], size_t lines)
{
	char l[80], v[16];
	int fam, port;
	size_t i, j, at;

	if (len >= sizeof(l))
		return -1;
	memcpy(l, line, len);
	l[len] = '\0';
	if (sscanf(l, "fw= %d %d %15s %zu", &fam, &port, v, &at) != 4 ||
	    at > lines)
		return -1;
	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].nports; j++) {
			if (f[i].fam != fam || f[i].ports[j] != port)
				continue;
			if (got[i][j]++)
				return -1;
			if (strcmp(v, "accept") == 0)
				f[i].verdict[j] = FWJ_ACCEPT;
			else if (strcmp(v, "drop") == 0)
				f[i].verdict[j] = FWJ_DROP;
			else if (strcmp(v, "reject") == 0)
				f[i].verdict[j] = FWJ_REJECT;
			else
				return -1;
			f[i].line[j] = at;
			return 0;
		}
	return -1;
}

/* The helper's output OUT into F; 0, or -1 (err_set, *LOADERR). Exactly
   one ready line and one answer per port, or no judgement. */
static int
answers(const char *out, const char *loader, struct fwj_family *f,
    size_t n, char **loaderr, size_t lines)
{
	unsigned char got[2][FWJ_MAX_PORTS];
	const char *s = out, *e;
	size_t len, i, j, ll = strlen(loader);
	int ready = 0;

	memset(got, 0, sizeof(got));
	for (; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		len = (size_t)(e - s);
		if (len >= 4 && strncmp(s, "fw! ", 4) == 0) {
			/* "LOADER: what it said": the loader's own words. */
			if (len > 6 + ll && strncmp(s + 4, loader, ll) == 0 &&
			    s[4 + ll] == ':')
				*loaderr = xstrndup(s + 6 + ll, len - 6 - ll);
			err_set("%.*s", (int)(len - 4), s + 4);
			return -1;
		}
		if (len == 9 && strncmp(s, "fw. ready", 9) == 0) {
			if (ready++) {
				err_set("the firewall helper said it was ready "
				    "twice");
				return -1;
			}
		} else if (ready && answer(s, len, f, n, got, lines) == -1) {
			err_set("the firewall helper said: %.*s", (int)len, s);
			return -1;
		}
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < f[i].nports; j++)
			if (!got[i][j]) {
				err_set("the firewall helper gave no answer for "
				    "port %d%s%.*s", f[i].ports[j], *out ? ": " :
				    "", (int)strcspn(out, "\n"), out);
				return -1;
			}
	return 0;
}

int
fwj_ask(enum fwj_loader loader, const char *ifname, const char *ruleset,
    size_t len, struct fwj_family *f, size_t n, char **loaderr)
{
#ifdef SELABEL_HELPER_PATH
	char self[] = SELABEL_HELPER_PATH;
#else
	char self[] = "/proc/self/exe";
#endif
	char *argv[4 + 8 + 1] = { self, FWJ_HELPER_ARG,
	    (char *)loaders[loader], (char *)ifname };
	struct sandbox sb = { "/", NULL, -1, -1, 0, 1, 0 };
	char *out = NULL;
	const char *p;
	size_t i, k = 4, lines = 0;
	int in, exe, r, ret = -1;

	*loaderr = NULL;
	if (n == 0 || n > 2) {
		err_set("nothing to judge");
		return -1;
	}
	for (p = ruleset, lines = 1; p < ruleset + len; p++)
		lines += *p == '\n';
	if ((in = pipe_filled(ruleset, len)) == -1) {
		err_set("cannot hand the ruleset over: %s", strerror(errno));
		return -1;
	}
	if ((exe = open(self, O_PATH | O_CLOEXEC)) == -1) {
		close(in);
		err_set("cannot open sshfix's own binary (%s): %s", self,
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++, k += 4)
		fam_args(&f[i], argv + k);
	argv[k] = NULL;
	sb.in = in;
	sb.exe = exe > 2 ? exe : 0;
	r = runprog_sandbox(&sb, argv, FWJ_MS, &out);
	close(exe);
	close(in);
	if (r == -1)
		;	/* err_set: it could not run, or ran out of time */
	else if (sandbox_refused(r))
		err_set("no user namespace can be made here, and a ruleset "
		    "is loaded only in one (%.*s)", (int)strcspn(out ? out :
		    "", "\n"), out ? out : "");
	else if ((ret = answers(out ? out : "", loaders[loader], f, n,
	    loaderr, lines)) == 0 && r != 0)
		ret = (err_set("the firewall helper exited %d", r), -1);
	for (i = 4; i < k; i++)
		free(argv[i]);
	free(out);
	return ret;
}
