/*
 * The table of rules that differ by OpenSSH release, and the target's
 * release. Add a row only with a measurement behind it: the evidence
 * column says which builds were run and what they logged
 * (fault-model.md section 7 and its DSA subsection).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "budget.h"
#include "target/binary/helpers.h"
#include "target/judge.h"
#include "target/release.h"
#include "safefs.h"
#include "util.h"
#include "target/validate.h"

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
	{ REL_DSA_IN_LIST_FATAL, "dsa-in-list-fatal",
	    "9.6", "10.0", NULL, NULL,
	    "sshd -t -f on a HostKey line and one list line: upstream 10.0p2 "
	    "fails 'line 2: Bad key types '+ssh-dss'.' for +ssh-dss, and for "
	    "ssh-ed25519,ssh-dss, in PubkeyAcceptedAlgorithms (and "
	    "...KeyTypes), HostKeyAlgorithms, HostbasedAcceptedAlgorithms "
	    "and CASignatureAlgorithms; -ssh-dss passes. 8.0p1-9.6p1 and "
	    "Debian's 9.2p1 pass them all (7.4p1 here is built without "
	    "OpenSSL, so it knows no DSA at all: not a release property)." },
	/* Keywords: sshd -t -f on a HostKey line and one line with the
	   keyword, on 7.4p1, 8.0p1, 8.9p1, 9.6p1, 10.0p2 and Debian's
	   9.2p1; "Bad configuration option: K" where it is unknown.
	   KbdInteractiveAuthentication and ChallengeResponseAuthentication
	   pass on all of them: no row. */
	{ REL_KW_FROM_80, "keywords-from-8.0",
	    "7.4", "8.0", NULL, NULL,
	    "CASignatureAlgorithms, ExposeAuthInfo, RDomain: 7.4p1 'Bad "
	    "configuration option'; 8.0p1 and later pass." },
	{ REL_KW_INCLUDE, "keyword-include",
	    "8.1", "8.2", NULL, NULL,
	    "Include: 7.4p1 and 8.0p1 'Bad configuration option: Include'; "
	    "8.9p1 and later pass; the 8.2 release notes add it." },
	{ REL_KW_RENAMED_85, "keywords-renamed-8.5",
	    "8.4", "8.5", NULL, NULL,
	    "PubkeyAcceptedAlgorithms, HostbasedAcceptedAlgorithms: 7.4p1 "
	    "and 8.0p1 'Bad configuration option'; 8.9p1 and later pass; "
	    "their old names PubkeyAcceptedKeyTypes and "
	    "HostbasedAcceptedKeyTypes pass on every build; the 8.5 release "
	    "notes rename them." },
	{ REL_KW_FROM_89, "keywords-from-8.9",
	    "8.0", "8.9", NULL, NULL,
	    "PerSourceMaxStartups, PerSourceNetBlockSize, ModuliFile, "
	    "LogVerbose, SecurityKeyProvider, PubkeyAuthOptions: 7.4p1, "
	    "8.0p1 'Bad configuration option'; 8.9p1 and later pass; "
	    "8.1-8.8 not measured." },
	{ REL_KW_FROM_92, "keywords-from-9.2",
	    "8.9", "9.2", NULL, NULL,
	    "RequiredRSASize, ChannelTimeout, UnusedConnectionTimeout: 8.9p1 "
	    "and older 'Bad configuration option'; Debian's 9.2p1 and "
	    "later pass; 9.0-9.1 not measured." },
	{ REL_KW_PERSOURCEPENALTIES, "keywords-persourcepenalties",
	    "9.7", "9.8", NULL, NULL,
	    "PerSourcePenalties, PerSourcePenaltyExemptList: 7.4p1-9.6p1 "
	    "and Debian's 9.2p1 'Bad configuration option'; 10.0p2 passes; "
	    "the 9.8 release notes add them." },
	{ REL_KW_FROM_100, "keywords-from-10.0",
	    "9.6", "10.0", NULL, NULL,
	    "SshdSessionPath, SshdAuthPath, RefuseConnection: 9.6p1 and older 'Bad "
	    "configuration option'; 10.0p2 passes; 9.7-9.9 not measured." },
	/* authorized_keys options: auth-options.c of each release read,
	   and the differential test's key lines judged by the real sshd. */
	{ REL_KEYOPT_FROM_80, "keyoptions-from-8.0",
	    "7.4", "8.0", NULL, NULL,
	    "expiry-time=, permitlisten=: not in 7.4p1's auth-options.c (a "
	    "line with one is 'Bad options' and skipped); 8.0p1 and later "
	    "parse them; 7.5-7.9 not measured." },
	{ REL_KEYOPT_FROM_89, "keyoptions-from-8.9",
	    "8.0", "8.9", NULL, NULL,
	    "[no-]touch-required, [no-]verify-required: not in 8.0p1's "
	    "auth-options.c ('unknown key option': the line is skipped); "
	    "8.9p1 and later parse them; 8.1-8.8 not measured." },
	{ REL_CA_SHA1_REFUSED, "ca-sha1-refused",
	    "8.0", "8.9", NULL, NULL,
	    "Debian's 9.2p1 and upstream 10.0p2 with a user certificate its "
	    "CA signed as ssh-rsa (ssh-keygen -s -t ssh-rsa): "
	    "'userauth_pubkey: certificate signature algorithm ssh-rsa: "
	    "signature algorithm not supported [preauth]'; the same CA "
	    "signing rsa-sha2-512 logs in (tests/e2e/t_cert.sh). The "
	    "default list (myproposal.h SSH_ALLOWED_CA_SIGALGS) holds "
	    "ssh-rsa in 8.0p1, not in 8.9p1, 9.6p1, 10.0p2 (8.2's release "
	    "notes drop it); 7.4p1 has no CASignatureAlgorithms." },
	{ REL_AUTHMETHODS_ANY_FIRST, "authmethods-any-first",
	    "8.0", "8.9", "9.6", "9.7",
	    "AuthenticationMethods any after a list already read: 8.9p1, "
	    "9.6p1 and Debian's 9.2p1 exit '\"any\" must appear alone in "
	    "AuthenticationMethods' (at start after a global list; for a "
	    "connection after a list of a Match block it matches, the "
	    "\"any\" line matching or not: differential cases); 7.4p1 "
	    "and 8.0p1 skip the line (servconf.c reads it only while no "
	    "list is set), 10.0p2 too (ChangeLog: bz3657, before "
	    "openssh-9.7); 8.1-8.8 not measured." },
	{ REL_AUTHMETHODS_ANY_KEPT, "authmethods-any-kept",
	    NULL, "0.0", "7.4", "8.0",
	    "7.4p1: a Match block's 'AuthenticationMethods any' refuses "
	    "every login it applies to ('Unknown authentication method "
	    "\"any\" in list': only the start normalises it); 8.0p1 "
	    "(auth2.c normalises \"any\") and later let them in: "
	    "differential cases; 7.5-7.9 not measured." },
	{ REL_INT_ATOI, "int-atoi",
	    NULL, "0.0", "7.4", "8.0",
	    "sshd -t -f on a HostKey line and 'MaxAuthTries V': 7.4p1 passes "
	    "many, 3x, -1 and 0, and with 'MaxAuthTries many' refuses every "
	    "login ('maximum authentication attempts exceeded', the "
	    "differential test's seeds 352 and 357); 8.0p1 to 10.0p2 fail "
	    "'line 2: [MaxAuthTries] integer value invalid.' (many, 3x) and "
	    "'... too small.' (-1). 7.5-7.9 not measured." },
};

/* Keywords some releases do not know, and the name those accept. */
static const struct release_kw keywords[] = {
	{ "casignaturealgorithms", REL_KW_FROM_80, NULL },
	{ "exposeauthinfo", REL_KW_FROM_80, NULL },
	{ "rdomain", REL_KW_FROM_80, NULL },
	{ "include", REL_KW_INCLUDE, NULL },
	{ "pubkeyacceptedalgorithms", REL_KW_RENAMED_85,
	    "PubkeyAcceptedKeyTypes" },
	{ "hostbasedacceptedalgorithms", REL_KW_RENAMED_85,
	    "HostbasedAcceptedKeyTypes" },
	{ "persourcemaxstartups", REL_KW_FROM_89, NULL },
	{ "persourcenetblocksize", REL_KW_FROM_89, NULL },
	{ "modulifile", REL_KW_FROM_89, NULL },
	{ "logverbose", REL_KW_FROM_89, NULL },
	{ "securitykeyprovider", REL_KW_FROM_89, NULL },
	{ "pubkeyauthoptions", REL_KW_FROM_89, NULL },
	{ "requiredrsasize", REL_KW_FROM_92, NULL },
	{ "channeltimeout", REL_KW_FROM_92, NULL },
	{ "unusedconnectiontimeout", REL_KW_FROM_92, NULL },
	{ "persourcepenalties", REL_KW_PERSOURCEPENALTIES, NULL },
	{ "persourcepenaltyexemptlist", REL_KW_PERSOURCEPENALTIES, NULL },
	{ "sshdauthpath", REL_KW_FROM_100, NULL },
	{ "sshdsessionpath", REL_KW_FROM_100, NULL },
	{ "refuseconnection", REL_KW_FROM_100, NULL },
};

/*
 * Distribution patches, from the target's os-release: the first row of
 * the rule whose ID (ids: ID only; likes: ID or a word of ID_LIKE)
 * matches decides, TRI_YES when VERSION_ID's major number is within
 * [from, to] (0: open), else TRI_NO. No row matches: upstream (TRI_NO).
 */
struct patch_row {
	enum release_rule rule;
	const char	*name;
	const char	*ids;
	const char	*likes;
	int		 from, to;
	const char	*banner;	/* words the patched sshd's version
					   string carries ("OpenSSH_9.2p1
					   Debian-2+deb12u3"); NULL: none */
	const char	*evidence;
};

static const struct patch_row patches[] = {
	{ REL_PRIVATE_GROUP_WRITE, "private-group-write",
	    NULL, "debian ubuntu", 0, 0, "Debian Ubuntu Raspbian",
	    "The binary decides when its version string can be read: "
	    "Debian's 9.2p1 says 'OpenSSH_9.2p1 Debian-2+deb12u10'; upstream "
	    "7.4p1-10.0p2 installed on a Debian root refuse (tests/versions). "
	    "fault-model.md 7: home 0775, ~/.ssh 0770, keys 0660 in the "
	    "user's private group with no other member: Debian 12's 9.2p1 "
	    "logs in (Debian's user-group-modes patch, shipped by Ubuntu "
	    "too); upstream 7.4p1, 8.0p1, 8.9p1, 9.2p1, 9.6p1, 10.0p2, "
	    "10.5p1 refuse: 'Authentication refused: bad ownership or "
	    "modes'." },
	{ REL_SSH_KEYS_GROUP, "ssh-keys-group",
	    "fedora", NULL, 1, 37, NULL,
	    "Fedora's openssh carried the ssh_keys group patch until "
	    "Fedora 38 dropped it; upstream (fault-model.md 7, every build) "
	    "refuses a 0640 root:ssh_keys host key and exits." },
	{ REL_SSH_KEYS_GROUP, "ssh-keys-group",
	    NULL, "rhel", 7, 9, NULL,
	    "RHEL 7-9 and rebuilds (CentOS, Rocky, Alma: ID_LIKE rhel) "
	    "patch sshd to load root:ssh_keys 0640 host keys; upstream "
	    "refuses them (fault-model.md 7)." },
	{ REL_SELINUX_OPT_IN, "selinux-opt-in",
	    NULL, "debian ubuntu", 0, 0, NULL,
	    "Debian's and Ubuntu's kernels start AppArmor; SELinux runs only "
	    "after selinux-activate adds security=selinux to "
	    "GRUB_CMDLINE_LINUX in /etc/default/grub. Installing "
	    "policycoreutils alone writes /etc/selinux/config with "
	    "SELINUX=permissive (seen on Debian 12: no selinuxfs after it). "
	    "RHEL and Fedora start SELinux as the config says." },
	{ REL_GRUB_DROPINS, "grub-dropins",
	    NULL, "debian ubuntu", 0, 0, NULL,
	    "Debian's grub2 (a Debian patch, shipped by Ubuntu) makes "
	    "grub-mkconfig source /etc/default/grub.d/*.cfg after "
	    "/etc/default/grub; Ubuntu's cloud images keep their kernel "
	    "command line in grub.d/50-cloudimg-settings.cfg. Fedora's and "
	    "RHEL's grub2-mkconfig read /etc/default/grub only." },
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

/* Is OS's ID in IDS, or its ID or a word of its ID_LIKE in LIKES? */
static int
os_matches(const struct patch_row *r, const struct osinfo *os)
{
	const char *p, *e;
	char word[64];

	if (os->id[0] != '\0' && strchr(os->id, ' ') == NULL &&
	    ((r->ids != NULL && os_word_in(os->id, r->ids)) ||
	    (r->likes != NULL && os_word_in(os->id, r->likes))))
		return 1;
	if (r->likes == NULL)
		return 0;
	for (p = os->id_like; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchrnul(p, ' ');
		if (e == p || (size_t)(e - p) >= sizeof(word))
			continue;
		memcpy(word, p, (size_t)(e - p));
		word[e - p] = '\0';
		if (os_word_in(word, r->likes))
			return 1;
	}
	return 0;
}

/* A patch rule's answer for OS; -1 if RULE is not a patch rule. */
static int
patch_at(enum release_rule rule, const struct osinfo *os, enum tri *ans)
{
	const struct patch_row *r;
	int seen = 0, major = atoi(os->version_id);
	size_t i;

	for (i = 0; i < ARRAY_LEN(patches); i++) {
		r = &patches[i];
		if (r->rule != rule)
			continue;
		seen = 1;
		if (!os_matches(r, os))
			continue;
		*ans = major >= r->from && (r->to == 0 || major <= r->to) ?
		    TRI_YES : TRI_NO;
		return 0;
	}
	if (!seen)
		return -1;
	*ans = TRI_NO;	/* upstream: the distribution has no such patch */
	return 0;
}

enum tri
release_patch_at(enum release_rule rule, const struct osinfo *os)
{
	enum tri ans = TRI_MAYBE;

	(void)patch_at(rule, os, &ans);
	return ans;
}

const struct release_kw *
release_keyword(const char *keyword)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(keywords); i++)
		if (strcasecmp(keyword, keywords[i].keyword) == 0)
			return &keywords[i];
	return NULL;
}

const char *
release_kw_name(struct target *t, const char *keyword)
{
	const struct release_kw *k = release_keyword(keyword);

	if (k != NULL && k->older != NULL &&
	    release_has(t, k->rule) == TRI_NO)
		return k->older;
	return keyword;
}

int
release_int(struct target *t, const char *arg, long *v)
{
	enum tri atoi_ = release_has(t, REL_INT_ATOI);
	char *ep;

	errno = 0;
	*v = strtol(arg, &ep, 10);
	if (atoi_ == TRI_YES) {
		if (errno != 0 || *v < INT_MIN || *v > INT_MAX)
			*v = (int)*v;	/* atoi: whatever int it makes */
		if (ep == arg)
			*v = 0;
		return 1;
	}
	if (atoi_ == TRI_MAYBE && (ep == arg || *ep != '\0' || *v < 0))
		return -1;	/* a release not measured: not known */
	return ep != arg && *ep == '\0' && errno == 0 && *v >= 0 &&
	    *v <= INT_MAX;
}

char *
release_judge_desc(struct target *t)
{
	const char *v = release_text(t);

	return xasprintf("sshfix's release table (%s)", v != NULL ? v :
	    "sshd version unknown: OpenSSH 9.2 assumed");
}

const char *
release_evidence(enum release_rule r)
{
	const struct release_row *row = release_row(r);
	size_t i;

	if (row != NULL)
		return row->evidence;
	for (i = 0; i < ARRAY_LEN(patches); i++)
		if (patches[i].rule == r)
			return patches[i].evidence;
	return NULL;
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

/*
 * The package database's word when the binary says nothing: dpkg's
 * status ("Package: openssh-server" ... "Version: 1:9.2p1-2+deb12u3")
 * as the version string that package's sshd prints ("OpenSSH_9.2p1
 * Debian-2+deb12u3"; a Debian package carries Debian's patches, Ubuntu's
 * too). rpm's database needs librpm: not read.
 */
static char *
dpkg_version(struct target *t)
{
	char *data, *st, *v, *end, *r = NULL;
	size_t len, n;

	if (sfs_read_file(t->rootfd, "/var/lib/dpkg/status", DPKG_STATUS_MAX,
	    &data, &len, NULL) == -1) {
		unread_note(&t->unread, "/var/lib/dpkg/status", errno);
		return NULL;
	}
	for (st = data; (st = strstr(st, "Package: openssh-server\n")) != NULL;
	    st++) {
		if (st != data && st[-1] != '\n')
			continue;
		end = strstr(st, "\n\n");
		v = strstr(st, "\nVersion: ");
		if (v == NULL || (end != NULL && v > end))
			break;
		v += 10;
		if ((n = strcspn(v, "\n")) == 0 || n > 64)
			break;
		v[n] = '\0';
		if (strchr(v, ':') != NULL)
			v = strchr(v, ':') + 1;
		n = strcspn(v, "-");
		r = xasprintf("OpenSSH_%.*s %s-%s", (int)n, v,
		    strstr(v + n, "ubuntu") ? "Ubuntu" : "Debian",
		    v[n] ? v + n + 1 : "");
		break;
	}
	free(data);
	return r;
}

/*
 * Read ROOT/usr/sbin/sshd once: its version (else the package
 * database's; t->release -1 unknown) and the helper paths compiled in.
 */
static void
load(struct target *t)
{
	struct stat st;
	char *d;
	size_t len;
	int fd, major, minor;

	if (t->release != 0)
		return;
	t->release = -1;
	fd = sfs_open(t->rootfd, SSHD_PATH, O_RDONLY | O_NONBLOCK, &st);
	if (fd != -1) {
		if (S_ISREG(st.st_mode) &&
		    sfs_read_fd(fd, SSHD_MAX, &d, &len) == 0) {
			t->release_str = sshd_version_in(d, len);
			helper_paths_in(d, len, t->helpers);
			t->helpers_read = 1;
			free(d);
		}
		close(fd);
	}
	if (t->release_str == NULL)
		t->release_str = dpkg_version(t);
	if (release_parse(t->release_str, &major, &minor) == 0)
		t->release = major * 1000 + minor;
}

/*
 * A patch whose sshd says so in its version string: with the target's
 * binary read, the binary decides (an upstream sshd built on a Debian
 * root has no Debian patch); -1 when it cannot.
 */
static int
patch_by_banner(struct target *t, enum release_rule rule, enum tri *ans)
{
	const char *v, *p, *e;
	char word[32];
	size_t i;

	for (i = 0; i < ARRAY_LEN(patches); i++)
		if (patches[i].rule == rule && patches[i].banner != NULL)
			break;
	if (i == ARRAY_LEN(patches))
		return -1;
	load(t);
	if ((v = t->release_str) == NULL || (p = strchr(v, ' ')) == NULL) {
		if (v == NULL)
			return -1;
		*ans = TRI_NO;	/* "OpenSSH_9.6p1": no vendor, upstream */
		return 0;
	}
	e = p + 1 + strcspn(p + 1, "-_ ");
	if ((size_t)(e - p - 1) >= sizeof(word))
		return -1;
	memcpy(word, p + 1, (size_t)(e - p - 1));
	word[e - p - 1] = '\0';
	*ans = os_word_in(word, patches[i].banner) ? TRI_YES : TRI_NO;
	return 0;
}

enum tri
release_has(struct target *t, enum release_rule rule)
{
	enum tri ans;

	if (patch_at(rule, &t->os, &ans) == 0) {
		(void)patch_by_banner(t, rule, &ans);
		return ans;
	}
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

const char *
release_helper(struct target *t, enum sshd_helper h, int *known)
{
	load(t);
	*known = t->helpers_read;
	return t->helpers[h];
}

/*
 * What OpenSSH clients offer by default (myproposal.h KEX_CLIENT_KEX,
 * KEX_CLIENT_ENCRYPT, KEX_CLIENT_MAC, KEX_DEFAULT_PK_ALG of each release,
 * built with OpenSSL): the algorithms fixes/algorithms.c checks an sshd's
 * lists against. The releases people connect with, 7.4 to 10.0.
 */
#define MACS_ALL "umac-64-etm@openssh.com,umac-128-etm@openssh.com," \
	"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com," \
	"hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com," \
	"hmac-sha2-256,hmac-sha2-512,hmac-sha1"
#define CIPHERS_6 "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr," \
	"aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com"
#define KEX_COMMON "curve25519-sha256,curve25519-sha256@libssh.org," \
	"ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521," \
	"diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512," \
	"diffie-hellman-group18-sha512,diffie-hellman-group14-sha256"
#define HK_ECDSA_CERT "ecdsa-sha2-nistp256-cert-v01@openssh.com," \
	"ecdsa-sha2-nistp384-cert-v01@openssh.com," \
	"ecdsa-sha2-nistp521-cert-v01@openssh.com"
#define HK_ECDSA "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521"
#define HK_89 "ssh-ed25519-cert-v01@openssh.com," HK_ECDSA_CERT "," \
	"sk-ssh-ed25519-cert-v01@openssh.com," \
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com," \
	"rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com," \
	"ssh-ed25519," HK_ECDSA ",sk-ssh-ed25519@openssh.com," \
	"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256"

static const struct client_defaults clients[] = {
	{ "7.4", KEX_COMMON ",diffie-hellman-group-exchange-sha1,"
	    "diffie-hellman-group14-sha1",
	    CIPHERS_6 ",aes128-cbc,aes192-cbc,aes256-cbc", MACS_ALL,
	    HK_ECDSA_CERT ",ssh-ed25519-cert-v01@openssh.com,"
	    "ssh-rsa-cert-v01@openssh.com," HK_ECDSA ",ssh-ed25519,"
	    "rsa-sha2-512,rsa-sha2-256,ssh-rsa" },
	{ "8.0", KEX_COMMON ",diffie-hellman-group14-sha1", CIPHERS_6,
	    MACS_ALL, HK_ECDSA_CERT ",ssh-ed25519-cert-v01@openssh.com,"
	    "rsa-sha2-512-cert-v01@openssh.com,"
	    "rsa-sha2-256-cert-v01@openssh.com,ssh-rsa-cert-v01@openssh.com,"
	    HK_ECDSA ",ssh-ed25519,rsa-sha2-512,rsa-sha2-256,ssh-rsa" },
	{ "8.9", KEX_COMMON ",sntrup761x25519-sha512@openssh.com", CIPHERS_6,
	    MACS_ALL, HK_89 },
	{ "9.6", KEX_COMMON ",sntrup761x25519-sha512@openssh.com", CIPHERS_6,
	    MACS_ALL, HK_89 },
	{ "10.0", KEX_COMMON ",mlkem768x25519-sha256,sntrup761x25519-sha512,"
	    "sntrup761x25519-sha512@openssh.com", CIPHERS_6, MACS_ALL,
	    HK_89 },
};

const struct client_defaults *
release_clients(size_t *n)
{
	*n = ARRAY_LEN(clients);
	return clients;
}
