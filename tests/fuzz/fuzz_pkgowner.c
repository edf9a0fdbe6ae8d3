/*
 * dpkg file lists: the input is a temp root's
 * /var/lib/dpkg/info/openssh-server.list, then (after "%%%" lines)
 * libpam-modules:amd64.list and a third list, NAME.list, whose NAME is
 * that part's first line; searched by dpkg_owner for sshd and a PAM
 * module as sshd-binary and pam-module do, and turned into the reinstall
 * step. The owner is a package whose list names the file in one of the
 * directories asked (/usr-merged twins alike); one is found whenever a
 * list does; a package name goes into a command only when it is plain.
 */
#include "target/load.h"
#include "fuzz.h"

#include "fixes/fault.h"
#include "target/binary/pkgowner.h"
#include "plan/reinstall.h"

#define INFO	"var/lib/dpkg/info/"
#define NAME_MAX_LEN	200

static const char *const dirs[] = { "etc", "etc/ssh", "var", "var/lib",
    "var/lib/dpkg", "var/lib/dpkg/info", NULL };
static const char *const fixed[] = { "openssh-server",
    "libpam-modules:amd64" };
static struct target t;
static char third[NAME_MAX_LEN + 16];	/* the last NAME.list written */

static void
setup(void)
{
	fz_root_init(dirs);
	fz_puts("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	fz_puts("etc/ssh/sshd_config", "");
	fz_puts("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	if (target_open(&t, fz_root) == -1 || t.os.family != OS_DEBIAN)
		abort();
}

/* Does LIST hold the line DIR/NAME, or its /usr-merged twin? */
static int
names(const uint8_t *list, size_t len, const char *dir, const char *name)
{
	char want[2][PATH_MAX];
	const char *d = strncmp(dir, "/usr/", 5) == 0 ? dir + 4 : dir;
	const uint8_t *p, *e, *end = list + len;
	size_t i, n;

	snprintf(want[0], sizeof(want[0]), "%s/%s", d, name);
	snprintf(want[1], sizeof(want[1]), "/usr%s/%s", d, name);
	for (p = list; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		for (i = 0; i < 2; i++)
			if ((size_t)(e - p) == (n = strlen(want[i])) &&
			    memcmp(p, want[i], n) == 0)
				return 1;
	}
	return 0;
}

/* The third list's name from its part's first line ("" if unusable). */
static const uint8_t *
third_name(const uint8_t *part, size_t len, char *out)
{
	const uint8_t *nl = memchr(part, '\n', len);
	size_t n = nl != NULL ? (size_t)(nl - part) : len;

	out[0] = '\0';
	if (n == 0 || n > NAME_MAX_LEN || memchr(part, '/', n) != NULL ||
	    memchr(part, '\0', n) != NULL)
		return nl != NULL ? nl + 1 : part + len;
	memcpy(out, part, n);
	out[n] = '\0';
	if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0 ||
	    strcmp(out, fixed[0]) == 0 || strcmp(out, fixed[1]) == 0)
		out[0] = '\0';
	return nl != NULL ? nl + 1 : part + len;
}

struct lists {
	const char	*pkg[3];
	const uint8_t	*data[3];
	size_t		 len[3];
	size_t		 n;
};

static void
put_lists(const uint8_t *data, size_t size, struct lists *l, char *name)
{
	const uint8_t *part[3], *body;
	size_t len[3], n, i;
	char rel[sizeof(third) + 32];

	n = fz_split(data, size, part, len, 3);
	for (i = 0; i < 2; i++) {
		l->pkg[i] = fixed[i];
		l->data[i] = i < n ? part[i] : data;	/* empty */
		l->len[i] = i < n ? len[i] : 0;
		snprintf(rel, sizeof(rel), INFO "%s.list", fixed[i]);
		fz_put(rel, l->data[i], l->len[i], 0644);
	}
	l->n = 2;
	if (third[0] != '\0') {
		snprintf(rel, sizeof(rel), INFO "%s", third);
		if (unlinkat(fz_rootfd, rel, 0) == -1)
			fz_die(rel);
		third[0] = '\0';
	}
	if (n < 3)
		return;
	body = third_name(part[2], len[2], name);
	if (name[0] == '\0')
		return;
	snprintf(third, sizeof(third), "%s.list", name);
	snprintf(rel, sizeof(rel), INFO "%s", third);
	l->pkg[2] = name;
	l->data[2] = body;
	l->len[2] = len[2] - (size_t)(body - part[2]);
	l->n = 3;
	fz_put(rel, l->data[2], l->len[2], 0644);
}

/* dpkg_owner's answer for NAME in DIR, checked against the lists. */
static void
owner_ok(const struct lists *l, const char *dir, const char *name)
{
	const char *dv[] = { dir, NULL };
	struct budget b = DPKG_BUDGET;
	struct unread_list unread = { NULL, 0 };
	char *pkg = dpkg_owner(fz_rootfd, name, dv, &b, &unread);
	size_t i;
	int any = 0;

	unread_free(&unread);	/* the input is far below the budget */

	for (i = 0; i < l->n; i++)
		any |= names(l->data[i], l->len[i], dir, name);
	if ((pkg != NULL) != any)
		abort();
	for (i = 0; pkg != NULL && i < l->n; i++)
		if (strcmp(pkg, l->pkg[i]) == 0 && names(l->data[i],
		    l->len[i], dir, name))
			break;
	if (pkg != NULL && i == l->n)
		abort();
	free(pkg);
}

/* The reinstall step names a package as one shell word, or not at all. */
static void
reinstall_ok(void)
{
	static const char unsafe[] = "so no command is given";
	struct plan p = { NULL, 0 };
	struct finding *f;
	const char *s;
	size_t i, n;

	/* A run's budget and lookups, for each input. */
	t.dpkg = (struct budget)DPKG_BUDGET;
	t.pkg_lookups = 0;
	unread_free(&t.unread);
	f = plan_add_finding(&p, &fault_sshd_binary, SEV_ERROR,
	    "/usr/sbin/sshd");
	reinstall_lookup_path(&t, f, "/usr/sbin/sshd");
	plan_reinstall(&t, f, "/usr/sbin/sshd");
	for (i = 0; i < f->nact; i++) {
		const char *text = f->act[i].text, *q;
		size_t len;

		if (text == NULL)
			abort();
		/* No command at all (plan_add_unsafe): nothing to paste. */
		len = strlen(text);
		if (strstr(text, "--reinstall ") == NULL ||
		    (len > sizeof(unsafe) && strcmp(text + len -
		    (sizeof(unsafe) - 1), unsafe) == 0))
			continue;
		/*
		 * The command ends the text, its last word the package:
		 * found from the end, since the name said before the
		 * command (or inside its quotes) may hold any words.
		 */
		if (len > 1 && text[len - 1] == '\'')
			q = memrchr(text, '\'', len - 1);
		else
			q = (q = strrchr(text, ' ')) != NULL ? q + 1 : NULL;
		if (q == NULL || q - text < 12 ||
		    memcmp(q - 12, "--reinstall ", 12) != 0)
			abort();
		s = q;
		/* One shell word (sh_cmd): as it is, or in single quotes. */
		if (s[0] == '\'')
			n = strcspn(s + 1, "'") + 2;
		else
			n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+:/-@%=,");
		if (n > strlen(s) || s[n] != '\0' || n <= 2 * (s[0] ==
		    '\'') || s[0] == '-')
			abort();
	}
	plan_free(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lists l;
	char name[NAME_MAX_LEN + 1];

	if (fz_rootfd == -1)
		setup();
	put_lists(data, size, &l, name);
	owner_ok(&l, "/usr/sbin", "sshd");
	owner_ok(&l, "/lib/x86_64-linux-gnu/security", "pam_unix.so");
	owner_ok(&l, "/usr/lib/x86_64-linux-gnu", "libcrypto.so.3");
	if (!dpkg_has(fz_rootfd, "openssh-server"))
		abort();
	reinstall_ok();
	fz_fd_check();
	return 0;
}
