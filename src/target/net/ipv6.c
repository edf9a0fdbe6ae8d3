#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "incglob.h"
#include "target/bootcmd.h"
#include "target/net/ipv6.h"
#include "safefs.h"
#include "util.h"

struct sysctl_state {
	const char *key;	/* dotted: net.ipv6.conf.all.disable_ipv6 */
	int	 value;		/* -1 unset */
	char	*where;
};

/* sysctl.d accepts the dotted and the slashed spelling of a key. */
static int
key_is(const char *want, const char *k, size_t n)
{
	size_t i;

	if (strlen(want) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (k[i] != want[i] && !(want[i] == '.' && k[i] == '/'))
			return 0;
	return 1;
}

/* sysctl.d(5): "key = value"; '#' and ';' comments; '-' prefix. */
static void
scan_sysctl(struct target *t, struct budget *b, const char *path,
    struct sysctl_state *s)
{
	char *data, *line, *save = NULL, *eq;
	size_t len, lineno = 0;

	if (budget_load(b, t->rootfd, path, &t->unread, &data, &len) == -1)
		return;
	for (line = strtok_r(data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *k = line, *ke;

		lineno++;
		k += strspn(k, " \t-");
		if (*k == '#' || *k == ';' || (eq = strchr(k, '=')) == NULL)
			continue;
		for (ke = eq; ke > k && (ke[-1] == ' ' || ke[-1] == '\t'); )
			ke--;
		if (!key_is(s->key, k, (size_t)(ke - k)))
			continue;
		s->value = atoi(eq + 1 + strspn(eq + 1, " \t"));
		free(s->where);
		s->where = xasprintf("%s: %s", path, line);
	}
	free(data);
}

static int
cmp_base(const void *a, const void *b)
{
	const char *x = strrchr(*(char *const *)a, '/');
	const char *y = strrchr(*(char *const *)b, '/');

	return strcmp(x, y);
}

/* systemd-sysctl order: files by name across dirs, /etc first on ties. */
static void
sysctl_files(struct target *t, struct sysctl_state *s)
{
	static const char *dirs[] = { "/etc/sysctl.d", "/run/sysctl.d",
	    "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d" };
	struct budget b = BUDGET("the sysctl.d files and /etc/sysctl.conf",
	    GLOB_FILE_MAX, GLOB_MAX_FILES, GLOB_MAX_BYTES);
	char **all = NULL, **p, *pat;
	size_t nall = 0, n, i, j;

	for (i = 0; i < ARRAY_LEN(dirs); i++) {
		pat = xasprintf("%s/*.conf", dirs[i]);
		if (incglob(t->rootfd, pat, &p, &n, &t->unread) == 0) {
			for (j = 0; j < n; j++) {
				size_t k;

				for (k = 0; k < nall; k++)
					if (cmp_base(&all[k], &p[j]) == 0)
						break;
				if (k < nall) {
					free(p[j]);
					continue;
				}
				all = xreallocarray(all, nall + 1,
				    sizeof(*all));
				all[nall++] = p[j];
			}
			free(p);
		}
		free(pat);
	}
	sort(all, nall, sizeof(*all), cmp_base);
	for (i = 0; i < nall && !b.hit; i++)
		scan_sysctl(t, &b, all[i], s);
	incglob_free(all, nall);
	scan_sysctl(t, &b, "/etc/sysctl.conf", s);
	budget_note(&b, &t->unread);
}

/* The boot's command line turns IPv6 off (ipv6.disable=N, N not 0,
   the last one): where. *UNSURE (allocated): why the command line could
   not be followed, when it could not. */
static char *
grub_disables(struct target *t, char **unsure)
{
	struct bootcmd bc;
	const char *v;
	char buf[BOOTCMD_MAX + 1], *r = NULL, *end;
	long n;

	*unsure = NULL;
	bootcmd_read(t, &bc);
	v = bootcmd_last(&bc, "ipv6.disable", buf, sizeof(buf));
	/* The kernel's kstrtoint(v, 0): a value it cannot read is left. */
	errno = 0;
	n = v != NULL ? strtol(v, &end, 0) : 0;
	if (v != NULL && *v != '\0' && *end == '\0' && errno == 0 && n != 0)
		r = xasprintf("the kernel command line of /etc/default/grub "
		    "and its grub.d: ipv6.disable=%s", v);
	else if (bc.unsure || bc.bls)
		*unsure = xasprintf("the kernel command line: %s", bc.unsure ?
		    bc.why : "GRUB_ENABLE_BLSCFG=true: the boot entries hold "
		    "it");
	bootcmd_free(&bc);
	return r;
}

static char *
live_disables(void)
{
	char buf[8] = "";
	int fd;

	if (access("/proc/net/if_inet6", F_OK) == -1 && errno == ENOENT)
		return xstrdup("the running kernel has no IPv6 "
		    "(/proc/net/if_inet6 missing)");
	fd = open("/proc/sys/net/ipv6/conf/all/disable_ipv6",
	    O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return NULL;
	if (read(fd, buf, sizeof(buf) - 1) > 0 && buf[0] == '1') {
		close(fd);
		return xstrdup("the running kernel: "
		    "net.ipv6.conf.all.disable_ipv6 = 1");
	}
	close(fd);
	return NULL;
}

int
ipv6_disabled(struct target *t, char **why)
{
	struct sysctl_state s = { "net.ipv6.conf.all.disable_ipv6", -1,
	    NULL };

	char *unsure;

	*why = NULL;
	if (t->live && (*why = live_disables()) != NULL)
		return 1;
	if ((*why = grub_disables(t, &unsure)) != NULL)
		return 1;
	sysctl_files(t, &s);
	if (s.value == 1) {
		free(unsure);
		*why = s.where;
		return 1;
	}
	free(s.where);
	/* The running kernel answers for itself. */
	if (unsure != NULL && !t->live) {
		*why = unsure;
		return -1;
	}
	free(unsure);
	return 0;
}

int
target_sysctl(struct target *t, const char *key, char **where)
{
	struct sysctl_state s = { key, -1, NULL };

	sysctl_files(t, &s);
	if (where != NULL)
		*where = s.where;
	else
		free(s.where);
	return s.value;
}

int
listen_family(const char *v)
{
	unsigned char buf[16];
	char host[256];
	const char *end;
	size_t n;

	if (v[0] == '[') {
		end = strchr(v, ']');
		n = end ? (size_t)(end - v - 1) : 0;
		v++;
	} else if (strchr(v, ':') != NULL && strchr(v, ':') ==
	    strrchr(v, ':')) {
		n = (size_t)(strchr(v, ':') - v);	/* host:port */
	} else
		n = strlen(v);
	if (n == 0 || n >= sizeof(host))
		return 0;
	memcpy(host, v, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, buf) == 1)
		return 4;
	if (inet_pton(AF_INET6, host, buf) == 1)
		return 6;
	return 0;
}
