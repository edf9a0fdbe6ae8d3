/*
 * Rules that differ by OpenSSH release, in ONE table (src/target/release.c),
 * each row measured against real sshd builds (see the evidence column and
 * fault-model.md). The target's sshd version is read from the binary once
 * per target and cached on struct target. A release the table has no
 * measurement for answers TRI_MAYBE: detectors must not claim a fault
 * then (they leave a note instead).
 */
#ifndef SSHFIX_RELEASE_H
#define SSHFIX_RELEASE_H

#include "target/binary/helpers.h"
#include "target/config/config.h"	/* enum tri */
#include "target/target.h"

enum release_rule {
	/* sshd loads a DSA (ssh-dss) host key. */
	REL_DSA_HOSTKEY_LOADED,
	/* ssh-dss is not in sshd's default HostKeyAlgorithms: with only a
	   DSA host key it starts but no key exchange succeeds. */
	REL_DSA_NO_DEFAULT_KEX,
	/* sshd's default PubkeyAcceptedAlgorithms is release_pk_default(). */
	REL_PK_DEFAULT_LIST,
	/* sshd can use a DSA (ssh-dss) user key when its list allows it. */
	REL_DSA_USERKEY,
	/* sshd's server-sig-algs names every algorithm, whatever its
	   PubkeyAcceptedAlgorithms: an OpenSSH client signs with an RSA key
	   as rsa-sha2-512 and is refused when only rsa-sha2-256 is allowed. */
	REL_SIGALGS_ALL,
	/* Any algorithm list naming ssh-dss (+ssh-dss, ^ssh-dss or in the
	   list) is fatal: sshd -t 'Bad key types'. */
	REL_DSA_IN_LIST_FATAL,
	/* sshd knows the keyword (else 'Bad configuration option: K' and it
	   does not start): see release_keyword(). */
	REL_KW_FROM_80,
	REL_KW_INCLUDE,
	REL_KW_RENAMED_85,
	REL_KW_FROM_89,
	REL_KW_FROM_92,
	REL_KW_PERSOURCEPENALTIES,
	REL_KW_FROM_100,
	/* authorized_keys options sshd knows (auth-options.c; an unknown
	   one and sshd skips the line): expiry-time and permitlisten; the
	   touch-required and verify-required flags. */
	REL_KEYOPT_FROM_80,
	REL_KEYOPT_FROM_89,
	/* The default CASignatureAlgorithms leaves out ssh-rsa (SHA-1)
	   and ssh-dss: a certificate a CA signed so is refused. */
	REL_CA_SHA1_REFUSED,
	/* AuthenticationMethods "any" read after a list (servconf.c before
	   bz3657): fatal '"any" must appear alone', at start after a global
	   list, for a connection after a list of a matching Match block. */
	REL_AUTHMETHODS_ANY_FIRST,
	/* "AuthenticationMethods any" of a matching Match block reaches
	   auth2.c as a method named "any": 'Unknown authentication method
	   "any" in list', and the login is refused. */
	REL_AUTHMETHODS_ANY_KEPT,
	/* An integer value is read with atoi(): "MaxAuthTries many" passes
	   sshd -t and is 0, "3x" is 3, "-1" is -1 (servconf.c parse_int
	   before strtonum: see release_int()). */
	REL_INT_ATOI,
	/*
	 * Distribution patches: answered from the target's os-release
	 * (release.c's second table), not from the sshd version.
	 */
	/* Debian/Ubuntu's user-group-modes: StrictModes lets a home, ~/.ssh
	   or key file be group-writable when the group is the user's
	   private group with no other member. */
	REL_PRIVATE_GROUP_WRITE,
	/* RHEL 7-9, Fedora before 38: a root:ssh_keys 0640 host key loads. */
	REL_SSH_KEYS_GROUP,
	/* Debian, Ubuntu: SELinux runs only when the kernel command line
	   asks for it (security=selinux); /etc/selinux/config alone does
	   not turn it on. */
	REL_SELINUX_OPT_IN,
	/* Debian, Ubuntu: grub-mkconfig sources the .cfg files of
	   /etc/default/grub.d after /etc/default/grub. */
	REL_GRUB_DROPINS,
	REL__COUNT
};

/*
 * One row. Versions are "MAJOR.MINOR" (the portable "pN" does not
 * matter); NULL leaves a column out. A release R:
 *   R <= no_to                  -> TRI_NO  (measured: the rule does not hold)
 *   yes_from <= R <= yes_to     -> TRI_YES (measured: it holds; "0.0" is
 *                                  every older release, yes_to NULL every
 *                                  later one)
 *   R >= no_from                -> TRI_NO  (measured: no longer holds)
 *   anything else               -> TRI_MAYBE (not measured: never guess)
 */
struct release_row {
	enum release_rule rule;
	const char	*name;		/* stable, for tests and messages */
	const char	*no_to;
	const char	*yes_from;
	const char	*yes_to;
	const char	*no_from;
	const char	*evidence;	/* where it was verified, and what sshd said */
};

/* "OpenSSH_10.0p2 ..." -> 10, 0; -1 if not that form. */
int	release_parse(const char *version, int *major, int *minor);
/* The table's answer for MAJOR.MINOR. */
enum tri release_rule_at(enum release_rule, int major, int minor);
/* The answer for the target's sshd (ROOT/usr/sbin/sshd). */
enum tri release_has(struct target *, enum release_rule);
/* The target's sshd version as the binary says it, or NULL (unknown). */
const char *release_text(struct target *);
/*
 * The path of helper H compiled into ROOT/usr/sbin/sshd (binary/helpers.h),
 * or NULL: none (an sshd older than 9.8), or the binary was not read
 * (*KNOWN 0).
 */
const char *release_helper(struct target *, enum sshd_helper, int *known);
const struct release_row *release_row(enum release_rule);
/* Any rule's evidence (version or patch table); NULL: no row. */
const char *release_evidence(enum release_rule);
/* A distribution patch rule's answer for OS (TRI_MAYBE: not one). */
enum tri release_patch_at(enum release_rule, const struct osinfo *);
/*
 * A keyword some releases do not know: its REL_KW_ rule and the older
 * name those releases accept (NULL: none). NULL if every release
 * sshfix knows accepts KEYWORD (any case).
 */
struct release_kw {
	const char	*keyword;	/* lower case */
	enum release_rule rule;
	const char	*older;		/* e.g. PubkeyAcceptedKeyTypes */
};
const struct release_kw *release_keyword(const char *keyword);
/*
 * The spelling of KEYWORD (canonical case) the target's release accepts:
 * the older name where the table says the release does not know it,
 * else KEYWORD itself (a release the table does not know: today's name).
 */
const char *release_kw_name(struct target *, const char *keyword);
/*
 * An integer keyword's value (ARG, one word) as the target's sshd reads
 * it: 1 with *V, 0 when that sshd refuses it at start (config-invalid
 * says so), -1 when its release is not in the table (not known).
 */
int	release_int(struct target *, const char *arg, long *v);
/* "sshfix's release table (OpenSSH_7.4p1)": who judged; free it. */
char	*release_judge_desc(struct target *);

/* The default PubkeyAcceptedAlgorithms where REL_PK_DEFAULT_LIST holds. */
const char *release_pk_default(void);

/*
 * The algorithms an OpenSSH client of RELEASE offers by default, each a
 * comma-separated list (release.c's third table): the clients people
 * connect with, 7.4 to 10.0, oldest first.
 */
struct client_defaults {
	const char	*release;
	const char	*kex, *ciphers, *macs, *hostkeys;
};
const struct client_defaults *release_clients(size_t *n);

#endif
