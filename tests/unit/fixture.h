/*
 * Fake roots for unit tests: a healthy Debian-like system (root and alice
 * log in with keys) built under a temp dir, and helpers to break it.
 */
#ifndef SSHFIX_TEST_FIXTURE_H
#define SSHFIX_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/load.h"
#include "fixes/fault.h"
#include "plan/plan.h"
#include "target/target.h"
#include "util.h"

#define FX static __attribute__((unused))

#define FX_KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test@fixture"
/* A whole ed25519 key (made for these tests only): it must parse. */
#define FX_PRIV "-----BEGIN OPENSSH PRIVATE KEY-----\n" \
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n" \
    "QyNTUxOQAAACBf/+KoQynVlLViEYy2ffR0rPl0OLFznsm8uQ9w9HAaXwAAAIhs/O2HbPzt\n" \
    "hwAAAAtzc2gtZWQyNTUxOQAAACBf/+KoQynVlLViEYy2ffR0rPl0OLFznsm8uQ9w9HAaXw\n" \
    "AAAEBGfHiiIoDyp8dMaTbw+Hogm4NxgwAvBNNmkEkU2Ocbi1//4qhDKdWUtWIRjLZ99HSs\n" \
    "+XQ4sXOeyby5D3D0cBpfAAAAAAECAwQF\n" \
    "-----END OPENSSH PRIVATE KEY-----\n"
#define FX_HASH "$6$salt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab./"

struct fx {
	char	root[PATH_MAX];
};

FX void
fx_path(struct fx *fx, const char *rel, char out[PATH_MAX])
{
	int n = snprintf(out, PATH_MAX, "%s%s", fx->root, rel);

	assert_true(n > 0 && n < PATH_MAX);
}

/* A directory fd of the fixture's root, as the target's rootfd. */
FX int
fx_rootfd(struct fx *fx)
{
	int fd = open(fx->root, O_RDONLY | O_DIRECTORY);

	assert_true(fd >= 0);
	return fd;
}

FX void
fx_mkdir(struct fx *fx, const char *rel, mode_t mode, uid_t u, gid_t g)
{
	char p[PATH_MAX];

	fx_path(fx, rel, p);
	assert_true(mkdir(p, mode) == 0 || errno == EEXIST);
	assert_int_equal(chmod(p, mode), 0);
	assert_int_equal(chown(p, u, g), 0);
}

FX void
fx_write(struct fx *fx, const char *rel, const char *text, mode_t mode,
    uid_t u, gid_t g)
{
	char p[PATH_MAX];
	FILE *fp;

	fx_path(fx, rel, p);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(p, mode), 0);
	assert_int_equal(chown(p, u, g), 0);
}

FX void
fx_chmod(struct fx *fx, const char *rel, mode_t mode)
{
	char p[PATH_MAX];

	fx_path(fx, rel, p);
	assert_int_equal(chmod(p, mode), 0);
}

/* Grow (or cut) REL to SIZE bytes: sparse, its tail NULs. */
FX void
fx_grow(struct fx *fx, const char *rel, off_t size)
{
	char p[PATH_MAX];

	fx_path(fx, rel, p);
	assert_int_equal(truncate(p, size), 0);
}

FX void
fx_chown(struct fx *fx, const char *rel, uid_t u, gid_t g)
{
	char p[PATH_MAX];

	fx_path(fx, rel, p);
	assert_int_equal(lchown(p, u, g), 0);
}

FX void
fx_unlink(struct fx *fx, const char *rel)
{
	char p[PATH_MAX];

	fx_path(fx, rel, p);
	assert_int_equal(unlink(p), 0);
}

FX void
fx_symlink(struct fx *fx, const char *target, const char *rel, uid_t u)
{
	char p[PATH_MAX];

	fx_path(fx, rel, p);
	assert_int_equal(symlink(target, p), 0);
	assert_int_equal(lchown(p, u, u), 0);
}

FX void
fx_debian(struct fx *fx)
{
	fx_write(fx, "/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12\"\n"
	    "ID=debian\nVERSION_ID=\"12\"\n", 0644, 0, 0);
}

FX void
fx_rhel(struct fx *fx)
{
	fx_write(fx, "/etc/os-release", "ID=\"rocky\"\nID_LIKE=\"rhel centos "
	    "fedora\"\nVERSION_ID=\"9.3\"\n", 0644, 0, 0);
}

FX void
fx_init(struct fx *fx)
{
	static const char *keys[] = { "rsa", "ecdsa", "ed25519" };
	char p[128];
	size_t i;

	snprintf(fx->root, sizeof(fx->root), "%s/sshfix-unit.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(fx->root));
	assert_int_equal(chmod(fx->root, 0755), 0);
	fx_mkdir(fx, "/etc", 0755, 0, 0);
	fx_mkdir(fx, "/etc/ssh", 0755, 0, 0);
	fx_mkdir(fx, "/etc/ssh/sshd_config.d", 0755, 0, 0);
	fx_mkdir(fx, "/etc/sysctl.d", 0755, 0, 0);
	fx_mkdir(fx, "/home", 0755, 0, 0);
	fx_mkdir(fx, "/home/alice", 0755, 1000, 1000);
	fx_mkdir(fx, "/home/alice/.ssh", 0700, 1000, 1000);
	fx_mkdir(fx, "/root", 0700, 0, 0);
	fx_mkdir(fx, "/root/.ssh", 0700, 0, 0);
	fx_debian(fx);
	fx_write(fx, "/etc/passwd",
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	    "sshd:x:102:65534::/run/sshd:/usr/sbin/nologin\n"
	    "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
	    "bob:x:1001:1001:Bob:/home/bob:/bin/bash\n", 0644, 0, 0);
	fx_write(fx, "/etc/group", "root:x:0:\ndaemon:x:1:\n"
	    "users:x:100:alice,bob\nalice:x:1000:\nbob:x:1001:\n"
	    "ssh_keys:x:998:\nadmins:x:50:alice\n", 0644, 0, 0);
	fx_write(fx, "/etc/shadow", "root:*:19000::::::\n"
	    "alice:!:19000::::::\nbob:!:19000::::::\n", 0640, 0, 0);
	fx_write(fx, "/etc/ssh/sshd_config",
	    "Include /etc/ssh/sshd_config.d/*.conf\n"
	    "KbdInteractiveAuthentication no\nUsePAM yes\n", 0644, 0, 0);
	/* sshd's PAM service, as Debian ships it (UsePAM yes). */
	fx_mkdir(fx, "/etc/pam.d", 0755, 0, 0);
	fx_write(fx, "/etc/pam.d/sshd", "@include common-auth\n"
	    "account required pam_nologin.so\n@include common-account\n"
	    "@include common-session\n", 0644, 0, 0);
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "/etc/ssh/ssh_host_%s_key", keys[i]);
		fx_write(fx, p, FX_PRIV, 0600, 0, 0);
		snprintf(p, sizeof(p), "/etc/ssh/ssh_host_%s_key.pub", keys[i]);
		fx_write(fx, p, FX_KEY "\n", 0644, 0, 0);
	}
	fx_write(fx, "/home/alice/.ssh/authorized_keys", FX_KEY "\n", 0600,
	    1000, 1000);
	fx_write(fx, "/root/.ssh/authorized_keys", FX_KEY "\n", 0600, 0, 0);
}

FX int
fx_rm(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

FX void
fx_cleanup(struct fx *fx)
{
	nftw(fx->root, fx_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Run the whole diagnosis (or one fault's detector when FAULT is given)
 * on the fixture; USERS may be NULL.
 */
FX void
fx_diagnose(struct fx *fx, const struct fault *fault, const char **users,
    struct plan *p)
{
	struct target t;

	memset(p, 0, sizeof(*p));
	assert_int_equal(target_open(&t, fx->root), 0);
	t.users = users;
	if (fault == NULL)
		assert_int_equal(diagnose(&t, p), 0);
	else
		assert_int_equal(diagnose_one(&t, fault, p), 0);
	target_close(&t);
}

FX size_t
count_id(const struct plan *p, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->f[i].fault->id, id) == 0)
			n++;
	return n;
}

FX const struct action *
find_action(const struct plan *p, enum act_type type, const char *path)
{
	size_t i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->f[i].nact; j++)
			if (p->f[i].act[j].type == type && (path == NULL ||
			    (p->f[i].act[j].path != NULL &&
			    strcmp(p->f[i].act[j].path, path) == 0)))
				return &p->f[i].act[j];
	return NULL;
}

#endif
