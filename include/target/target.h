/*
 * The system being diagnosed: a root directory (/ or a rescue mount),
 * its distribution's rules, its sshd configuration and its accounts.
 * Everything is read under the root; nothing of the host's /etc is used.
 */
#ifndef SSHFIX_TARGET_H
#define SSHFIX_TARGET_H

#include <sys/stat.h>
#include <time.h>

#include "target/accounts/accounts.h"
#include "target/binary/helpers.h"
#include "target/config/config.h"
#include "util.h"

struct hostkeys;
struct revoked;
struct logset;
struct people;

struct osinfo {
	char	id[64];
	char	id_like[256];
	char	version_id[64];
	char	pretty[128];
	/* Its sshd's patches: release_has() (release.c's patch table). */
	enum { OS_OTHER, OS_DEBIAN, OS_RHEL } family;	/* Fedora too */
	const char *privsep_dir;	/* sshd's chroot, NULL: unknown */
};

/* Is WORD a word of the space-separated LIST (ID_LIKE)? */
int	os_word_in(const char *word, const char *list);

struct target {
	const char	*rootdir;
	int		 rootfd;
	int		 live;		/* the root is this running system */
	struct osinfo	 os;
	struct cfg	 cfg;
	struct accounts	 acc;
	const char	**users;	/* --user, NULL-terminated or NULL */
	char		**new_keys;	/* --authorized-key lines, or NULL */
	char		**offered;	/* --explain: "TYPE SHA256:FP" of the
					   keys the client offered, NULL-
					   terminated, or NULL (not owned) */
	int		 allow_root_pw;	/* --allow-root-password */
	int		 no_pw_route;	/* --no-password-route */
	const char	**from;		/* --from addresses (canonical),
					   NULL-terminated, or NULL */
	time_t		 now;
	int		 cfg_groups;	/* the config names groups at all */
	int		 strict_modes;	/* effective StrictModes */
	int		 pam_linked;	/* sshd links libpam: 0 not read
					   yet, else 1 + enum tri
					   (sshd_uses_pam) */
	struct hostkeys	*hostkeys;	/* scanned once, see hostkeys_get */
	struct revoked	*revoked;	/* RevokedKeys files read, see
					   login/revoked.h */
	int		 release;	/* sshd's MAJOR*1000+MINOR, 0 not
					   read yet, -1 unknown (release.h) */
	char		*release_str;	/* "OpenSSH_10.0p2", or NULL */
	char		*helpers[HELPER__COUNT];	/* sshd-session, sshd-auth paths in
					   the binary (binary/helpers.h) */
	int		 helpers_read;	/* the binary was read for them */
	/* The server side of a connection, for Match (match_server.c). */
	int		 srv_lport;	/* 0: unknown */
	char		*srv_laddr;	/* NULL: unknown */
	const char	*srv_rdomain;	/* NULL: unknown */
	const char	*srv_version;	/* NULL: unknown */
	int		 homes_fd;	/* cached parent of the last home */
	int		 homes_err;	/* why homes_fd is -1 */
	char		*homes_path;
	struct unread_list unread;	/* what could not be read: the
					   diagnosis is incomplete */
	char		**notes;	/* what a detector could not judge */
	size_t		 nnotes;
	const struct cfg_overlay *overlay; /* --preflight: one file's bytes
					   read instead of the root's */
	time_t		 log_since;	/* --since, -1: the default window */
	struct logset	*logs;		/* sshd's log lines, see target_logs */
	struct people	*people;	/* who may log in, see target_people */
	unsigned	 pkg_lookups;	/* dpkg asked who owns a file
					   (reinstall.c, DPKG_MAX_LOOKUPS) */
	struct budget	 keys;		/* authorized keys read in all */
	struct budget	 dpkg;		/* dpkg lists read in all (pkgowner.h) */
};

#define SSHD_CONFIG	"/etc/ssh/sshd_config"

/* Could the diagnosis read everything it needed? */
int	target_incomplete(const struct target *);
/* A note for the report: something a detector cannot judge. */
void	target_note(struct target *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Read ROOT/etc/os-release (else /usr/lib/os-release) into t->os. */
void	osinfo_read(struct target *);
/* Parse os-release text (exposed for tests). */
void	osinfo_parse(struct osinfo *, const char *text);

/*
 * The match context of an account (user + group names, the first --from
 * address); free ctx.groups. A check whose verdict depends on the client
 * address judges each of t->from in turn (target_ctx_from).
 */
void	target_match_ctx(struct target *, const struct account *,
	    struct match_ctx *);
/* CTX for the client address ADDR (NULL: unknown), host per UseDNS. */
void	target_ctx_from(const struct target *, struct match_ctx *,
	    const char *addr);
/* A context that knows only the --from address: for global notes. */
void	target_addr_ctx(const struct target *, struct match_ctx *);

/* "user:group" names of an owner for messages. */
char	*owner_str(struct target *, uid_t, gid_t);

#endif
