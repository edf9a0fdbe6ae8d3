/*
 * The sshd_config model: every file (main and included) kept byte for byte
 * so that fixes can edit one line and leave the rest untouched, and the
 * directives in the order sshd reads them, each tagged with the file, the
 * line and the Match blocks it sits in.
 */
#ifndef SSHFIX_CONFIG_H
#define SSHFIX_CONFIG_H

#include <stddef.h>
#include <sys/types.h>

#include "budget.h"

enum kw {
	KW_UNKNOWN = 0,		/* sshd: "Bad configuration option" */
	KW_OTHER,		/* valid, not modelled */
	KW_INCLUDE,
	KW_MATCH,
	KW_PORT,
	KW_LISTENADDRESS,
	KW_ADDRESSFAMILY,
	KW_HOSTKEY,
	KW_PERMITROOTLOGIN,
	KW_PASSWORDAUTH,
	KW_PUBKEYAUTH,
	KW_KBDINTERACTIVE,
	KW_USEPAM,
	KW_AUTHKEYSFILE,
	KW_AUTHKEYSCMD,
	KW_STRICTMODES,
	KW_ALLOWUSERS,
	KW_DENYUSERS,
	KW_ALLOWGROUPS,
	KW_DENYGROUPS,
	KW_PERMITEMPTY,
	KW_AUTHMETHODS,
	KW_PIDFILE,
	KW_CHROOTDIR,
	KW_MAXAUTHTRIES,
	KW_TRUSTEDUSERCA,
	KW_PRINCFILE,
	KW_PRINCCMD,
	KW_GSSAPIAUTH,
	KW_PUBKEYALGS,		/* PubkeyAcceptedAlgorithms (7.4: ...KeyTypes) */
	KW_PENALTIES,		/* PerSourcePenalties (9.8+) */
	KW_PENALTYEXEMPT,	/* PerSourcePenaltyExemptList (9.8+) */
	KW_REVOKEDKEYS,
	KW_CIPHERS,
	KW_MACS,
	KW_KEXALGS,
	KW_HOSTKEYALGS,
	KW_SESSIONPATH,		/* SshdSessionPath (9.8+) */
	KW_AUTHPATH,		/* SshdAuthPath (10.0+) */
	KW_CASIGALGS,		/* CASignatureAlgorithms */
	KW_RSASIZE,		/* RequiredRSASize (9.1+) */
	KW__COUNT
};

/* How repeated values combine (servconf.c). */
enum kw_merge {
	MERGE_FIRST,		/* first value wins */
	MERGE_ACCUMULATE,	/* every line adds */
	MERGE_FIRST_LINE,	/* first whole line wins */
};

struct kw_info {
	const char	*name;
	enum kw		 kw;
	enum kw_merge	 merge;
};

const struct kw_info *kw_lookup(const char *name);
const struct kw_info *kw_table(size_t *n);
const char	*kw_name(enum kw);
enum kw_merge	 kw_merge(enum kw);

struct cfg_line {
	size_t	 off;		/* offset of the line in the file data */
	size_t	 len;		/* bytes including the end of line */
};

struct cfg_file {
	char		*path;	/* absolute path inside the target root */
	char		*data;	/* every byte of the file */
	size_t		 size;
	struct cfg_line	*lines;
	size_t		 nlines;
};

/* A Match line; PARENT is the Match around the Include that read it. */
struct cfg_match {
	const struct cfg_match *parent;
	size_t	 file;
	size_t	 line;		/* 0-based index into the file's lines */
	int	 argc;
	char	**argv;
	/*
	 * "Match all" outside any other Match: a block, whose values
	 * replace the global ones for every connection (sshd's
	 * copy_set_server_options), and, at start, lines sshd reads as
	 * global ones (first value wins), since it is active then.
	 */
	int	 all_global;
};

struct cfg_entry {
	enum kw	 kw;
	char	*keyword;	/* as written */
	int	 argc;
	char	**argv;
	size_t	 file;
	size_t	 line;		/* 0-based */
	const struct cfg_match *match;	/* NULL: global */
};

struct cfg {
	struct cfg_file	 *files;
	size_t		  nfiles;
	struct cfg_entry *ents;
	size_t		  nents;
	struct cfg_match **matches;
	size_t		  nmatches;
	int		  missing;	/* the main file does not exist */
	int		  partial;	/* a budget left files unread */
};

/* Limits (budget.h): a larger file or line is refused as not a plausible
   config; more files or bytes in all than CFG_MAX_FILES, CFG_MAX_BYTES
   are not read (the diagnosis is incomplete). */

/*
 * Read MAIN (a path inside the root) and its Includes; every file, and
 * every directory an Include glob lists, is opened through safefs from
 * ROOTFD. A missing main file is not an
 * error (cfg->missing is set): sshd would refuse to start, which is a
 * finding, not a reason for sshfix to give up. On error (-1), the
 * half-read config is freed: there is nothing for the caller to free.
 * An Include directory that exists but cannot be listed is noted in
 * UNREAD (may be NULL), and so are files left unread by the budget
 * (cfg->partial).
 */
struct unread_list;
int	cfg_load(struct cfg *, int rootfd,
	    const char *main, struct unread_list *unread);

/*
 * "When reading PATH inside the root, use these bytes instead"
 * (--preflight). A PATH that does not exist yet is read only where an
 * Include glob would pick that name up.
 */
struct cfg_overlay {
	const char	*path;	/* absolute inside the root */
	const char	*data;
	size_t		 len;
};
/* cfg_load with OV (may be NULL) laid over the root. */
int	cfg_load_overlay(struct cfg *, int rootfd, const char *main,
	    const struct cfg_overlay *ov, struct unread_list *unread);
/* Parse one in-memory file (tests, and re-parsing an edited buffer). */
int	cfg_load_buffer(struct cfg *, const char *path, const char *data,
	    size_t len);
void	cfg_free(struct cfg *);

/* "FILE:LINE" of an entry, 1-based, for evidence and messages. */
char	*cfg_where(const struct cfg *, size_t file, size_t line);
/* The text of a line without its end of line. */
char	*cfg_line_text(const struct cfg *, size_t file, size_t line);

/* Split a directive the way sshd does (exposed for tests). */
int	cfg_split_line(const char *line, size_t len, char **keyword,
	    int *argc, char ***argv);
void	cfg_free_argv(int argc, char **argv);

/*
 * Effective values. A match context describes one login: the user, the
 * names of their groups, and the client's address when the person named
 * it (--from), and what the server side can be known by (the one port
 * or address sshd listens on, no routing domain, its release).
 * Criteria sshfix cannot know (Host and Address without --from, a
 * LocalPort of a server with several ports ...) make a block "maybe";
 * such blocks are not applied, but reported.
 */
struct match_ctx {
	const char	 *user;
	const char	**groups;	/* primary first; NULL-terminated */
	const char	 *addr;		/* client address (--from), or NULL */
	const char	 *host;		/* its name as sshd sees it: the
					   address under UseDNS no; NULL */
	/* What the server side knows; 0/NULL: unknown (target_ctx_from). */
	int		  lport;	/* the one port sshd listens on */
	const char	 *laddr;	/* the one address it listens on */
	const char	 *rdomain;	/* "" when none is configured */
	const char	 *version;	/* sshd's release ("OpenSSH_10.0p2") */
};

enum tri { TRI_NO = 0, TRI_YES = 1, TRI_MAYBE = 2 };

enum tri cfg_match_eval(const struct cfg_match *, const struct match_ctx *);
/*
 * Does this Match line depend on something sshfix cannot know for CTX
 * (may be NULL): Host and Address unless CTX names them, LocalPort ...?
 */
int	cfg_match_unknowable(const struct cfg_match *,
	    const struct match_ctx *);
/* "Match Address 10.0.0.0/8" as written, for notes. */
char	*cfg_match_text(const struct cfg_match *);

/*
 * The entry that decides KW for CTX (NULL ctx: the global value), or NULL
 * for the default. *maybe (optional) is set to the first entry of a
 * "maybe" Match block that could override it.
 */
const struct cfg_entry *cfg_effective(const struct cfg *, enum kw,
	    const struct match_ctx *, const struct cfg_entry **maybe);

/*
 * Every entry of an accumulating keyword that applies to CTX, in order.
 * Returns the count; *out is allocated.
 */
size_t	cfg_collect(const struct cfg *, enum kw, const struct match_ctx *,
	    const struct cfg_entry ***out);

/* "yes"/"no" style flag; DEFAULT when the entry is NULL. */
int	cfg_flag(const struct cfg_entry *, int def);


#endif
