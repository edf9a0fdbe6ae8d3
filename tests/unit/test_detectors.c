/*
 * Each detector on a clean tree (no finding), a broken tree (the finding
 * and its plan), and the states the fault model says sshd accepts.
 */
#include "fixture.h"

static struct fx fx;

static int
setup(void **state)
{
	(void)state;
	fx_init(&fx);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fx_cleanup(&fx);
	return 0;
}

static size_t
detect(const struct fault *f, const char **users, struct plan *p)
{
	fx_diagnose(&fx, f, users, p);
	return count_id(p, f->id);
}

static void
test_clean_tree(void **state)
{
	struct plan p;
	size_t i;

	(void)state;
	for (i = 0; faults[i] != NULL; i++) {
		assert_int_equal(detect(faults[i], NULL, &p), 0);
		plan_free(&p);
	}
	fx_diagnose(&fx, NULL, NULL, &p);
	assert_int_equal(p.n, 0);
	plan_free(&p);
}

static void
test_home_perms(void **state)
{
	struct plan p;
	const struct action *a;

	(void)state;
	fx_chmod(&fx, "/root", 0777);
	assert_int_equal(detect(&fault_home_perms, NULL, &p), 1);
	assert_string_equal(p.f[0].subject, "/root");
	a = find_action(&p, ACT_CHMOD, "/root");
	assert_non_null(a);
	assert_int_equal(a->old_mode, 0777);
	assert_int_equal(a->new_mode, 0755);
	assert_non_null(strstr(p.f[0].logline,
	    "bad ownership or modes for directory /root"));
	plan_free(&p);
}

static void
test_home_perms_group(void **state)
{
	struct plan p;
	const struct action *a;

	(void)state;
	/* Debian: 0775 with the user's private group is accepted. */
	fx_chmod(&fx, "/home/alice", 0775);
	assert_int_equal(detect(&fault_home_perms, NULL, &p), 0);
	plan_free(&p);
	/* ... with a shared group it is not: drop group write only. */
	fx_chown(&fx, "/home/alice", 1000, 100);
	assert_int_equal(detect(&fault_home_perms, NULL, &p), 1);
	a = find_action(&p, ACT_CHMOD, "/home/alice");
	assert_int_equal(a->new_mode, 0755);
	plan_free(&p);
	/* RHEL: no group write at all. */
	fx_chown(&fx, "/home/alice", 1000, 1000);
	fx_rhel(&fx);
	assert_int_equal(detect(&fault_home_perms, NULL, &p), 1);
	plan_free(&p);
}

static void
test_home_perms_owner_and_parent(void **state)
{
	struct plan p;
	const struct action *a;

	(void)state;
	fx_chmod(&fx, "/home", 0777);	/* sshd never checks the parent */
	assert_int_equal(detect(&fault_home_perms, NULL, &p), 0);
	plan_free(&p);
	/* Owned by a uid no account has (a restored backup): chown. */
	fx_chown(&fx, "/home/alice", 1005, 1000);
	assert_int_equal(detect(&fault_home_perms, NULL, &p), 1);
	a = find_action(&p, ACT_CHOWN, "/home/alice");
	assert_non_null(a);
	assert_int_equal(a->new_uid, 1000);
	assert_null(find_action(&p, ACT_CHMOD, NULL));
	plan_free(&p);
	/* Owned by another account (bob): never taken from it; advice. */
	fx_chown(&fx, "/home/alice", 1001, 1000);
	assert_int_equal(detect(&fault_home_perms, NULL, &p), 1);
	assert_null(find_action(&p, ACT_CHOWN, NULL));
	assert_non_null(find_action(&p, ACT_MANUAL, NULL));
	plan_free(&p);
}

static void
test_home_perms_strictmodes_no(void **state)
{
	struct plan p;

	(void)state;
	fx_chmod(&fx, "/root", 0777);
	fx_write(&fx, "/etc/ssh/sshd_config.d/0.conf", "StrictModes no\n",
	    0644, 0, 0);
	assert_int_equal(detect(&fault_home_perms, NULL, &p), 0);
	plan_free(&p);
}

static void
test_sshdir_perms(void **state)
{
	struct plan p;
	const struct action *a;

	(void)state;
	fx_chmod(&fx, "/home/alice/.ssh", 01777);	/* sticky gives nothing */
	assert_int_equal(detect(&fault_sshdir_perms, NULL, &p), 1);
	a = find_action(&p, ACT_CHMOD, "/home/alice/.ssh");
	assert_int_equal(a->new_mode, 0700);
	plan_free(&p);
	fx_chmod(&fx, "/home/alice/.ssh", 0700);
	fx_chmod(&fx, "/home/alice/.ssh/authorized_keys", 0620);
	fx_chown(&fx, "/home/alice/.ssh/authorized_keys", 1000, 100);
	assert_int_equal(detect(&fault_sshdir_perms, NULL, &p), 1);
	a = find_action(&p, ACT_CHMOD, "/home/alice/.ssh/authorized_keys");
	assert_int_equal(a->new_mode, 0600);
	plan_free(&p);
}

static void
test_sshdir_accepted_states(void **state)
{
	struct plan p;

	(void)state;
	/* Root-owned and readable, 0444, a private group: all accepted. */
	fx_chown(&fx, "/home/alice/.ssh", 0, 0);
	fx_chmod(&fx, "/home/alice/.ssh", 0755);
	fx_chmod(&fx, "/home/alice/.ssh/authorized_keys", 0444);
	assert_int_equal(detect(&fault_sshdir_perms, NULL, &p), 0);
	plan_free(&p);
	fx_chown(&fx, "/home/alice/.ssh", 1000, 1000);
	fx_chmod(&fx, "/home/alice/.ssh", 0770);
	fx_chmod(&fx, "/home/alice/.ssh/authorized_keys", 0660);
	assert_int_equal(detect(&fault_sshdir_perms, NULL, &p), 0);
	plan_free(&p);
}

static void
test_sshdir_unreadable(void **state)
{
	struct plan p;
	const struct action *a;

	(void)state;
	fx_chmod(&fx, "/home/alice/.ssh", 0600);	/* no search bit */
	assert_int_equal(detect(&fault_sshdir_perms, NULL, &p), 1);
	assert_non_null(strstr(p.f[0].logline, "Permission denied"));
	a = find_action(&p, ACT_CHMOD, "/home/alice/.ssh");
	assert_int_equal(a->new_mode, 0700);
	plan_free(&p);
}

static void
test_hostkey_perms(void **state)
{
	struct plan p;
	const struct action *a;

	(void)state;
	fx_chmod(&fx, "/etc/ssh/ssh_host_ed25519_key", 0644);
	assert_int_equal(detect(&fault_hostkey_perms, NULL, &p), 1);
	assert_int_equal(p.f[0].sev, SEV_WARNING);	/* others still load */
	a = find_action(&p, ACT_CHMOD, "/etc/ssh/ssh_host_ed25519_key");
	assert_int_equal(a->new_mode, 0600);
	plan_free(&p);
	fx_chmod(&fx, "/etc/ssh/ssh_host_rsa_key", 0777);
	fx_chmod(&fx, "/etc/ssh/ssh_host_ecdsa_key", 0777);
	fx_chmod(&fx, "/etc/ssh/ssh_host_rsa_key.pub", 0777);
	/* Two causes, 0644 and 0777: one finding each, both keys of 0777
	 * in one ("2 host keys") with a chmod for each. */
	assert_int_equal(detect(&fault_hostkey_perms, NULL, &p), 2);
	assert_int_equal(p.f[0].sev, SEV_ERROR);
	assert_string_equal(p.f[0].subject, "2 host keys");
	assert_string_equal(p.f[1].subject, "/etc/ssh/ssh_host_ed25519_key");
	assert_non_null(find_action(&p, ACT_CHMOD, "/etc/ssh/ssh_host_rsa_key"));
	assert_non_null(find_action(&p, ACT_CHMOD,
	    "/etc/ssh/ssh_host_ecdsa_key"));
	a = find_action(&p, ACT_CHMOD, "/etc/ssh/ssh_host_rsa_key.pub");
	assert_non_null(a);
	assert_int_equal(a->new_mode, 0644);
	plan_free(&p);
}

static void
test_hostkey_perms_rhel_and_owner(void **state)
{
	struct plan p;

	(void)state;
	fx_rhel(&fx);
	fx_chown(&fx, "/etc/ssh/ssh_host_ed25519_key", 0, 998);
	fx_chmod(&fx, "/etc/ssh/ssh_host_ed25519_key", 0640);
	assert_int_equal(detect(&fault_hostkey_perms, NULL, &p), 0);
	plan_free(&p);
	fx_debian(&fx);
	assert_int_equal(detect(&fault_hostkey_perms, NULL, &p), 1);
	plan_free(&p);
	/* sshd only judges keys owned by its own uid. */
	fx_chown(&fx, "/etc/ssh/ssh_host_ed25519_key", 1000, 1000);
	fx_chmod(&fx, "/etc/ssh/ssh_host_ed25519_key", 0644);
	assert_int_equal(detect(&fault_hostkey_perms, NULL, &p), 0);
	plan_free(&p);
}

static void
test_hostkey_missing(void **state)
{
	static const char *k[] = { "rsa", "ecdsa", "ed25519" };
	struct plan p;
	char path[128];
	size_t i;

	(void)state;
	fx_unlink(&fx, "/etc/ssh/ssh_host_rsa_key");
	assert_int_equal(detect(&fault_hostkey_missing, NULL, &p), 0);
	plan_free(&p);
	for (i = 1; i < 3; i++) {
		snprintf(path, sizeof(path), "/etc/ssh/ssh_host_%s_key", k[i]);
		fx_unlink(&fx, path);
	}
	assert_int_equal(detect(&fault_hostkey_missing, NULL, &p), 3);
	assert_int_equal(p.f[0].sev, SEV_ERROR);
	assert_non_null(find_action(&p, ACT_KEYGEN_ALL, NULL));
	plan_free(&p);
}

static void
test_hostkey_corrupt_and_configured(void **state)
{
	struct plan p;
	const struct action *a;

	(void)state;
	fx_write(&fx, "/etc/ssh/sshd_config.d/k.conf",
	    "HostKey /etc/ssh/ssh_host_ed25519_key\n"
	    "HostKey /etc/ssh/extra_rsa_key\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/ssh_host_ed25519_key", "garbage\n", 0600, 0,
	    0);
	assert_int_equal(detect(&fault_hostkey_missing, NULL, &p), 2);
	assert_non_null(find_action(&p, ACT_UNLINK,
	    "/etc/ssh/ssh_host_ed25519_key"));
	/* Regenerated on its own: ssh-keygen -A would run too early. */
	assert_null(find_action(&p, ACT_KEYGEN_ALL, NULL));
	a = find_action(&p, ACT_KEYGEN, "/etc/ssh/ssh_host_ed25519_key");
	assert_non_null(a);
	assert_string_equal(a->keytype, "ed25519");
	a = find_action(&p, ACT_KEYGEN, "/etc/ssh/extra_rsa_key");
	assert_non_null(a);
	assert_string_equal(a->keytype, "rsa");
	plan_free(&p);
}

static void
test_hostkeys_all_bad_modes_not_missing(void **state)
{
	struct plan p;

	(void)state;
	fx_chmod(&fx, "/etc/ssh/ssh_host_rsa_key", 0777);
	fx_chmod(&fx, "/etc/ssh/ssh_host_ecdsa_key", 0777);
	fx_chmod(&fx, "/etc/ssh/ssh_host_ed25519_key", 0777);
	assert_int_equal(detect(&fault_hostkey_missing, NULL, &p), 0);
	plan_free(&p);
}

static void
test_address_family(void **state)
{
	struct plan p;
	const struct action *a;

	(void)state;
	fx_write(&fx, "/etc/ssh/sshd_config.d/v6.conf", "# v6 only\n"
	    "AddressFamily inet6\nListenAddress [::]:22\n", 0644, 0, 0);
	assert_int_equal(detect(&fault_address_family, NULL, &p), 0);
	plan_free(&p);
	fx_write(&fx, "/etc/sysctl.d/10-v6.conf",
	    "net.ipv6.conf.all.disable_ipv6 = 1\n", 0644, 0, 0);
	assert_int_equal(detect(&fault_address_family, NULL, &p), 2);
	a = find_action(&p, ACT_EDIT_LINE, "/etc/ssh/sshd_config.d/v6.conf");
	assert_int_equal(a->line, 1);
	assert_string_equal(a->old_text, "AddressFamily inet6");
	assert_string_equal(a->new_text, "AddressFamily inet");
	plan_free(&p);
	/* A later sysctl file turning it back on wins. */
	fx_write(&fx, "/etc/sysctl.d/20-v6.conf",
	    "net/ipv6/conf/all/disable_ipv6=0\n", 0644, 0, 0);
	assert_int_equal(detect(&fault_address_family, NULL, &p), 0);
	plan_free(&p);
}

static void
test_address_family_listen(void **state)
{
	struct plan p;

	(void)state;
	fx_write(&fx, "/etc/ssh/sshd_config.d/l.conf", "AddressFamily inet\n"
	    "ListenAddress 127.0.0.1:22\nListenAddress ::1\n"
	    "ListenAddress myhost\n", 0644, 0, 0);
	assert_int_equal(detect(&fault_address_family, NULL, &p), 1);
	assert_string_equal(p.f[0].act[0].new_text, "#ListenAddress ::1");
	plan_free(&p);
}

static void
test_auth_lockout(void **state)
{
	const char *alice[] = { "alice", NULL };
	struct plan p;
	const struct action *a;

	(void)state;
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	/* root still has a key: not every account is locked out. */
	assert_int_equal(detect(&fault_auth_lockout, NULL, &p), 0);
	plan_free(&p);
	assert_int_equal(detect(&fault_auth_lockout, alice, &p), 1);
	a = find_action(&p, ACT_MANUAL, NULL);
	assert_non_null(strstr(a->text, "passwd alice"));
	plan_free(&p);
	fx_unlink(&fx, "/root/.ssh/authorized_keys");
	assert_int_equal(detect(&fault_auth_lockout, NULL, &p), 1);
	assert_string_equal(p.f[0].subject, "all accounts");
	plan_free(&p);
}

static void
test_auth_lockout_password_route(void **state)
{
	const char *alice[] = { "alice", NULL };
	struct plan p;
	const struct action *a;

	(void)state;
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	fx_write(&fx, "/etc/shadow", "alice:" FX_HASH ":19000::::::\n", 0640,
	    0, 0);
	/* Password login on by default: alice can log in. */
	assert_int_equal(detect(&fault_auth_lockout, alice, &p), 0);
	plan_free(&p);
	fx_write(&fx, "/etc/ssh/sshd_config.d/50-cloud-init.conf",
	    "PasswordAuthentication no\n", 0644, 0, 0);
	assert_int_equal(detect(&fault_auth_lockout, alice, &p), 1);
	/* For alice alone: a Match block after the main file's last line. */
	assert_int_equal(p.f[0].nact, 3);
	a = &p.f[0].act[0];
	assert_string_equal(a->path, "/etc/ssh/sshd_config");
	assert_null(a->old_text);
	assert_int_equal(a->line, 3);	/* the fixture's main file */
	assert_string_equal(a->new_text, "Match User alice");
	assert_true(a->temporary);
	a = &p.f[0].act[1];
	assert_int_equal(a->line, p.f[0].act[0].line);
	assert_string_equal(a->new_text, "\tPasswordAuthentication yes");
	assert_true(a->temporary);
	plan_free(&p);
	/* An earlier Match block for alice wins over a later one: edited. */
	fx_write(&fx, "/etc/ssh/sshd_config.d/60-users.conf",
	    "Match Group alice\n PasswordAuthentication no\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/sshd_config.d/50-cloud-init.conf",
	    "PasswordAuthentication yes\n", 0644, 0, 0);
	assert_int_equal(detect(&fault_auth_lockout, alice, &p), 1);
	a = find_action(&p, ACT_EDIT_LINE, NULL);
	assert_string_equal(a->path, "/etc/ssh/sshd_config.d/60-users.conf");
	assert_string_equal(a->old_text, " PasswordAuthentication no");
	assert_string_equal(a->new_text, " PasswordAuthentication yes");
	assert_true(a->temporary);
	plan_free(&p);
	fx_unlink(&fx, "/etc/ssh/sshd_config.d/60-users.conf");
	fx_write(&fx, "/etc/ssh/sshd_config.d/50-cloud-init.conf",
	    "PasswordAuthentication no\n", 0644, 0, 0);
	/* keyboard-interactive through PAM also takes the password. */
	fx_write(&fx, "/etc/ssh/sshd_config.d/40-kbd.conf",
	    "KbdInteractiveAuthentication yes\n", 0644, 0, 0);
	assert_int_equal(detect(&fault_auth_lockout, alice, &p), 0);
	plan_free(&p);
}

static void
test_auth_lockout_root_rules(void **state)
{
	const char *root[] = { "root", NULL };
	struct plan p;

	(void)state;
	fx_write(&fx, "/etc/ssh/sshd_config.d/1.conf", "PermitRootLogin no\n",
	    0644, 0, 0);
	assert_int_equal(detect(&fault_auth_lockout, root, &p), 1);
	/* Root has a key: prohibit-password is the repair. */
	assert_non_null(find_action(&p, ACT_EDIT_LINE, NULL));
	plan_free(&p);
	/*
	 * A root password is useless unless PermitRootLogin is yes, which is
	 * never planned unasked (--allow-root-password): advice only.
	 */
	fx_unlink(&fx, "/etc/ssh/sshd_config.d/1.conf");
	fx_unlink(&fx, "/root/.ssh/authorized_keys");
	fx_write(&fx, "/etc/shadow", "root:" FX_HASH ":19000::::::\n", 0640,
	    0, 0);
	assert_int_equal(detect(&fault_auth_lockout, root, &p), 1);
	assert_null(find_action(&p, ACT_EDIT_LINE, NULL));
	assert_non_null(find_action(&p, ACT_MANUAL, NULL));
	plan_free(&p);
}

static void
test_auth_lockout_unknown_sources(void **state)
{
	const char *alice[] = { "alice", NULL };
	struct plan p;

	(void)state;
	/*
	 * A user's symlink is followed as sshd follows it (as the user,
	 * inside the root): to nothing, no key; to her key, no alarm.
	 */
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	fx_symlink(&fx, "/etc/alice-keys", "/home/alice/.ssh/authorized_keys",
	    1000);
	assert_int_equal(detect(&fault_auth_lockout, alice, &p), 1);
	plan_free(&p);
	fx_write(&fx, "/etc/alice-keys", FX_KEY "\n", 0644, 1000, 1000);
	assert_int_equal(detect(&fault_auth_lockout, alice, &p), 0);
	plan_free(&p);
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	fx_write(&fx, "/etc/ssh/sshd_config.d/c.conf",
	    "AuthorizedKeysCommand /usr/bin/get-keys\n"
	    "AuthorizedKeysCommandUser nobody\n", 0644, 0, 0);
	assert_int_equal(detect(&fault_auth_lockout, alice, &p), 0);
	plan_free(&p);
}

/*
 * ~/.ssh itself a user's link, to root's: followed as sshd follows it, as
 * alice, who cannot pass root's 0700 home: no key for her (auth-lockout),
 * and nothing of root's is judged or changed for her.
 */
static void
test_sshdir_symlink_followed(void **state)
{
	const char *alice[] = { "alice", NULL };
	char p[PATH_MAX];
	struct plan pl;

	(void)state;
	fx_path(&fx, "/home/alice/.ssh", p);
	fx_unlink(&fx, "/home/alice/.ssh/authorized_keys");
	assert_int_equal(rmdir(p), 0);
	fx_symlink(&fx, "/root/.ssh", "/home/alice/.ssh", 1000);
	fx_chmod(&fx, "/root", 0700);
	fx_chmod(&fx, "/root/.ssh/authorized_keys", 0666);
	assert_int_equal(detect(&fault_sshdir_perms, alice, &pl), 0);
	plan_free(&pl);
	/* Root's key is not hers: sshd, as alice, cannot open it. */
	assert_int_equal(detect(&fault_auth_lockout, alice, &pl), 1);
	plan_free(&pl);
	fx_diagnose(&fx, NULL, alice, &pl);
	assert_null(find_action(&pl, ACT_CHMOD, "/root/.ssh/authorized_keys"));
	plan_free(&pl);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_clean_tree),
		T(test_home_perms),
		T(test_home_perms_group),
		T(test_home_perms_owner_and_parent),
		T(test_home_perms_strictmodes_no),
		T(test_sshdir_perms),
		T(test_sshdir_accepted_states),
		T(test_sshdir_unreadable),
		T(test_hostkey_perms),
		T(test_hostkey_perms_rhel_and_owner),
		T(test_hostkey_missing),
		T(test_hostkey_corrupt_and_configured),
		T(test_hostkeys_all_bad_modes_not_missing),
		T(test_address_family),
		T(test_address_family_listen),
		T(test_auth_lockout),
		T(test_auth_lockout_password_route),
		T(test_auth_lockout_root_rules),
		T(test_auth_lockout_unknown_sources),
		T(test_sshdir_symlink_followed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
