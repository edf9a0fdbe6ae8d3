/*
 * The table of rules that differ by OpenSSH release, and the target's
 * release. Add a row only with a measurement behind it: the evidence
 * column says which builds were run and what they logged
 * (fault-model.md section 7 and its DSA subsection).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "judge.h"
#include "release.h"
#include "safefs.h"
#include "util.h"
#include "validate.h"

static const struct release_row table[] = {
	{ REL_DSA_HOSTKEY_LOADED, "dsa-hostkey-loaded",
	    NULL, "0.0", "9.6", "10.0",
	    "fault-model.md 7; upstream 10.0p2 (and 10.5p1): 'Unable to load "
	    "host key \"K\": unknown or unsupported key type', and with no "
	    "other key 'sshd: no hostkeys available -- exiting.'; 7.4p1 to "
	    "9.6p1 and Debian's 9.2p1 load it. 9.7-9.9 not measured." },
	{ REL_DSA_NO_DEFAULT_KEX, "dsa-no-default-kex",
	    NULL, "7.4", "9.6", NULL,
	    "fault-model.md 7; Debian's 9.2p1 with only a DSA host key "
	    "starts, and every connection ends 'No supported key exchange "
	    "algorithms [preauth]' (also with the client's "
	    "HostKeyAlgorithms=+ssh-dss); 7.4p1-9.6p1 the same." },
	{ REL_PK_DEFAULT_LIST, "pk-default-list",
	    NULL, "9.2", "10.0", NULL,
	    "sshd -T on Debian's 9.2p1 and upstream 10.0p2 prints this same "
	    "pubkeyacceptedalgorithms (no ssh-dss, no ssh-rsa); 9.6p1's "
	    "myproposal.h KEX_DEFAULT_PK_ALG is the same; others not "
	    "measured." },
	{ REL_DSA_USERKEY, "dsa-userkey",
	    NULL, "9.2", "9.2", "10.0",
	    "Debian's 9.2p1: a DSA user key logs in under "
	    "PubkeyAcceptedAlgorithms +ssh-dss (client +ssh-dss); upstream "
	    "10.0p2, also under PubkeyAcceptedAlgorithms *: 'userauth_pubkey: "
	    "unsupported public key algorithm: ssh-dss [preauth]' (VERBOSE), "
	    "and any list naming ssh-dss fails sshd -t 'Bad key types'." },
	{ REL_SIGALGS_ALL, "sigalgs-all",
	    NULL, "9.2", "9.2", "10.0",
	    "Debian's 9.2p1 with Debian 12's ssh and an RSA key: refused under "
	    "PubkeyAcceptedAlgorithms rsa-sha2-256 and under ssh-rsa (also "
	    "with the client's +ssh-rsa): 'userauth_pubkey: signature "
	    "algorithm rsa-sha2-512 not in PubkeyAcceptedAlgorithms "
	    "[preauth]'; logs in under rsa-sha2-512. Upstream 10.0p2: logs in "
	    "under rsa-sha2-256 too." },
};

/* REL_PK_DEFAULT_LIST's list, as sshd -T prints it. */
static const char pk_default[] =
	"ssh-ed25519-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp384-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp521-cert-v01@openssh.com,"
	"sk-ssh-ed25519-cert-v01@openssh.com,"
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	"rsa-sha2-512-cert-v01@openssh.com,"
	"rsa-sha2-256-cert-v01@openssh.com,"
	"ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
	"ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
	"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";

const char *
release_pk_default(void)
{
	return pk_default;
}

const struct release_row *
release_row(enum release_rule r)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(table); i++)
		if (table[i].rule == r)
			return &table[i];
	return NULL;
}

/* "10.0" or "9.6p1" -> 10000 / 9006; -1 if no MAJOR.MINOR. */
static int
num(const char *s)
{
	long v[2];
	char *end;
	int i;

	for (i = 0; i < 2; i++) {
		if (*s < '0' || *s > '9')
			return -1;
		v[i] = strtol(s, &end, 10);
		if (v[i] > 999 || (i == 0 && *end != '.'))
			return -1;
		s = end + 1;
	}
	return (int)(v[0] * 1000 + v[1]);
}

int
release_parse(const char *version, int *major, int *minor)
{
	static const char tag[] = "OpenSSH_";
	int v;

	if (version == NULL || strncmp(version, tag, sizeof(tag) - 1) != 0 ||
	    (v = num(version + sizeof(tag) - 1)) == -1)
		return -1;
	*major = v / 1000;
	*minor = v % 1000;
	return 0;
}

enum tri
release_rule_at(enum release_rule rule, int major, int minor)
{
	const struct release_row *r = release_row(rule);
	int v = major * 1000 + minor;

	if (r == NULL)
		return TRI_MAYBE;
	if (r->no_to != NULL && v <= num(r->no_to))
		return TRI_NO;
	if (r->yes_from != NULL && v >= num(r->yes_from) &&
	    (r->yes_to == NULL || v <= num(r->yes_to)))
		return TRI_YES;
	if (r->no_from != NULL && v >= num(r->no_from))
		return TRI_NO;
	return TRI_MAYBE;
}

/* Read ROOT/usr/sbin/sshd's version once: t->release -1 unknown. */
static void
load(struct target *t)
{
	struct stat st;
	int fd, major, minor;

	if (t->release != 0)
		return;
	t->release = -1;
	fd = sfs_open(t->rootfd, SSHD_PATH, O_RDONLY | O_NONBLOCK, &st);
	if (fd == -1)
		return;
	if (S_ISREG(st.st_mode))
		t->release_str = sshd_version(fd);
	close(fd);
	if (release_parse(t->release_str, &major, &minor) == 0)
		t->release = major * 1000 + minor;
}

enum tri
release_has(struct target *t, enum release_rule rule)
{
	load(t);
	if (t->release == -1)
		return TRI_MAYBE;
	return release_rule_at(rule, t->release / 1000, t->release % 1000);
}

const char *
release_text(struct target *t)
{
	load(t);
	return t->release_str;
}
