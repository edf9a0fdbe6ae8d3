/*
 * cloud-init reader: the input is a temp root's /etc/cloud/cloud.cfg,
 * then (after "%%%" lines) /etc/cloud/cloud.cfg.d/90-fuzz.cfg, the user
 * data of instance i-fuzz, /var/lib/cloud/data/instance-id, and the
 * guest agents' /etc/waagent.conf and /etc/default/instance_configs.cfg
 * (the same bytes); read by cloudinit_read, then by cloud_warn over a
 * plan whose actions cloud-init and the agents undo, as a diagnosis
 * does. A key's "where" names a file and a line that sets it.
 */
#include "target/load.h"
#include "fuzz.h"

#include "plan/cloudwarn.h"
#include "target/cloud.h"
#include "fixes/fault.h"

#define NPARTS	5
#define UDATA	"var/lib/cloud/instances/i-fuzz/cloud-config.txt"

static const char *const dirs[] = { "etc", "etc/ssh", "etc/ssh/sshd_config.d",
    "etc/cloud", "etc/cloud/cloud.cfg.d", "etc/default", "var", "var/lib",
    "var/lib/cloud", "var/lib/cloud/data", "var/lib/cloud/sem",
    "var/lib/cloud/instances", "var/lib/cloud/instances/i-fuzz",
    "var/lib/cloud/instances/i-fuzz/sem", NULL };
/* Where the parts go; the three cloud-config files first. */
static const char *const files[NPARTS] = { "etc/cloud/cloud.cfg",
    "etc/cloud/cloud.cfg.d/90-fuzz.cfg", UDATA,
    "var/lib/cloud/data/instance-id", "etc/waagent.conf" };
static struct target t;

static void
setup(void)
{
	fz_root_init(dirs);
	fz_puts("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	fz_puts("etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf"
	    "\nPasswordAuthentication no\n");
	/* ssh has run for i-fuzz; set_passwords, if "once", never again. */
	fz_puts("var/lib/cloud/instances/i-fuzz/sem/config_ssh", "");
	fz_puts("var/lib/cloud/sem/config_set_passwords.once", "");
	if (target_open(&t, fz_root) == -1)
		abort();
}

/* KEY's "where" is NULL or FILE:LINE of a part, and that line names it. */
static void
where_ok(const struct cloud_key *k, const char *key, const uint8_t **part,
    const size_t *len, size_t n)
{
	const uint8_t *p, *e, *end;
	size_t i, fl, ln;
	char *colon;

	if (k->val < -1 || k->val > 1)
		abort();
	if (k->where == NULL)
		return;
	if ((colon = strrchr(k->where, ':')) == NULL)
		abort();
	ln = strtoul(colon + 1, NULL, 10);
	fl = (size_t)(colon - k->where);
	for (i = 0; i < 3; i++)
		if (fl == strlen(files[i]) + 1 && memcmp(k->where + 1,
		    files[i], fl - 1) == 0)
			break;
	if (k->where[0] != '/' || i == 3 || i >= n || ln == 0)
		abort();
	for (p = part[i], end = p + len[i]; --ln > 0; p = e + 1)
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			abort();
	e = memchr(p, '\n', (size_t)(end - p));
	if (memmem(p, (size_t)((e ? e : end) - p), key, strlen(key)) == NULL)
		abort();
}

static void
plan_make(struct plan *p)
{
	struct finding *f;

	f = plan_add_finding(p, &fault_auth_lockout, SEV_ERROR, "alice");
	plan_add_edit(f, "/etc/ssh/sshd_config.d/50-cloud-init.conf", 0,
	    "PasswordAuthentication no", "PasswordAuthentication yes", 1);
	plan_add_edit(f, SSHD_CONFIG, 1, "PasswordAuthentication no",
	    "PasswordAuthentication yes", 1);
	f = plan_add_finding(p, &fault_hostkey_missing, SEV_ERROR,
	    "/etc/ssh/ssh_host_ed25519_key");
	finding_add_action(f, ACT_KEYGEN_ALL, "/etc/ssh");
	f = plan_add_finding(p, &fault_root_login, SEV_ERROR, "root");
	plan_add_edit(f, SSHD_CONFIG, 1, NULL, "PermitRootLogin yes", 1);
}

static void
undo_ok(const struct plan *p)
{
	const struct boot_undo *u;
	size_t i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->f[i].nundo; j++) {
			u = &p->f[i].undo[j];
			if (u->by == NULL || u->what == NULL || u->keep == NULL)
				abort();
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *part[NPARTS];
	size_t len[NPARTS], n, i;
	struct cloudinit c;
	struct plan p = { NULL, 0 };

	if (fz_rootfd == -1)
		setup();
	n = fz_split(data, size, part, len, NPARTS);
	for (i = 0; i < NPARTS; i++)
		fz_put(files[i], i < n ? part[i] : NULL, i < n ? len[i] : 0,
		    0644);
	fz_put("etc/default/instance_configs.cfg", n == NPARTS ? part[4] :
	    NULL, n == NPARTS ? len[4] : 0, 0644);
	cloudinit_read(&t, &c);
	if (!c.present || c.genkeytypes == NULL ||
	    strchr(c.genkeytypes, '\n') != NULL || c.pw_file == NULL ||
	    strcmp(c.pw_file, "/etc/ssh/sshd_config.d/50-cloud-init.conf") !=
	    0 || c.pw_run > RUN_NEXT_BOOT || c.ssh_run > RUN_NEXT_BOOT)
		abort();
	where_ok(&c.pwauth, "ssh_pwauth", part, len, n);
	where_ok(&c.deletekeys, "ssh_deletekeys", part, len, n);
	where_ok(&c.disable_root, "disable_root", part, len, n);
	cloudinit_free(&c);
	plan_make(&p);
	cloud_warn(&t, &p);
	undo_ok(&p);
	plan_free(&p);
	fz_fd_check();
	return 0;
}
