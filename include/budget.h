/*
 * Every bound on what sshfix reads from the target, in one table.
 *
 * The target's files may all have been written by an attacker who wants
 * sshfix to hang, to grow without bound or to give a false all-clear.
 * Each number is far above what a real system holds (the comment says
 * what a real one has), so that no real system meets it; when a target
 * does, the rest is not read, the diagnosis is incomplete (exit 2, never
 * "no faults") and one line says what was left and why (budget_note).
 * Bounds marked "cut" are not budgets: what they leave out is not needed
 * (an older log line, a longer message) and nothing is said.
 */
#ifndef SSHFIX_BUDGET_H
#define SSHFIX_BUDGET_H

#include <stddef.h>

#define MiB	(1024ull * 1024)
#define GiB	(1024ull * 1024 * 1024)

/*
 * sshd_config and its Includes. One file: a real sshd_config is ~4 KB.
 * In all, counted over every file read (the same file included twice
 * counts twice), in the model and again in the copy sshd -t judges: a
 * real configuration is the main file and a handful of drop-ins (cloud
 * images 1-5), under 64 KB. Without a total, a fan-out of 4 small files
 * a level, each including the next level by a glob, costs 4^depth
 * files: 16 levels from ~1 KB on disk would be billions of reads.
 */
#define CFG_MAX_FILE	(4u * 1024 * 1024)	/* one file */
#define CFG_MAX_LINE	(64u * 1024)		/* one line */
#define CFG_MAX_DEPTH	16	/* sshd's SERVCONF_MAX_DEPTH: an error */
#define CFG_MAX_FILES	256	/* files read in all */
#define CFG_MAX_BYTES	(8 * MiB)	/* bytes read in all: two files
					   of the largest size */

/*
 * One glob (Include, ld.so.conf include, sysctl.d, cloud.cfg.d,
 * interfaces.d ...): directory entries listed. Such a directory holds a
 * handful of files; a pattern of stars over /usr would list the disk.
 */
#define GLOB_MAX_ENTRIES	65536

/*
 * Small configuration files found by a glob, per reader (network
 * configuration, sysctl.d, cloud.cfg.d): a real system has 1-30 of
 * each, a few KB in all.
 */
#define GLOB_FILE_MAX	(1u * 1024 * 1024)	/* one file */
#define GLOB_MAX_FILES	1024
#define GLOB_MAX_BYTES	(16 * MiB)

/*
 * passwd, group and shadow. The largest real ones (shared hosting,
 * campus login servers) hold ~100,000 accounts, ~6 MB; sshfix's own
 * benchmark runs 100,000. A line: a group of 100,000 members of 10
 * bytes. A passwd over these is not read at all (exit 2: cannot tell);
 * a group or shadow over them is unread (incomplete); over
 * ACC_MAX_ENTRIES accounts, the rest are not examined (incomplete).
 */
#define ACC_MAX_FILE	(64 * MiB)
#define ACC_MAX_LINE	(1u * 1024 * 1024)
#define ACC_MAX_ENTRIES	1000000

/*
 * authorized_keys. One file: over it, its owner and mode are judged but
 * its keys not counted (a GitLab-style file of every user's key can be
 * tens of MB: it is taken as "has keys", as before). Files per account:
 * OpenSSH 7.4's MAX_AUTHKEYS_FILES. Bytes read in all: 100,000 accounts
 * with a few keys each read ~200 MB; past this the remaining files are
 * not read and the diagnosis is incomplete.
 */
#define KEYS_MAX		(4u * 1024 * 1024)
#define KEYS_MAX_FILES		256
#define KEYS_MAX_BYTES		(1 * GiB)

/* Host keys: one file (a 16384-bit RSA key is ~12 KB); how many: 7.4's
   MAX_HOSTKEYS (a real sshd has 3-4). */
#define HOSTKEY_MAX_FILE	(1u * 1024 * 1024)
#define HOSTKEYS_MAX		256

/*
 * The dpkg database, read only when a finding needs a package name. A
 * real Debian has ~1,500 .list files, ~20 MB in all; the largest lists
 * (texlive's) are a few MB. The size is checked on st_size before
 * reading: hundreds of sparse lists would otherwise take hours.
 */
#define DPKG_LIST_MAX		(16u * 1024 * 1024)	/* one list */
#define DPKG_MAX_LISTS		16384
#define DPKG_MAX_BYTES		(256 * MiB)
#define DPKG_STATUS_MAX		(64u * 1024 * 1024)	/* real: ~5 MB */
/*
 * Who owns a missing file is asked of the lists at most this often a run:
 * each asking reads them all (up to DPKG_MAX_BYTES), and an sshd whose
 * libraries are all gone has as many missing files as DT_NEEDED entries.
 * A broken sshd misses one to three; past these, the packages are not
 * named (a note), the files still are.
 */
#define DPKG_MAX_LOOKUPS	8

/*
 * PAM: /etc/pam.d/sshd and what it includes. A real stack is ~10 files
 * of ~1 KB (Debian's common-*), 20 modules.
 */
#define PAM_MAX_FILE	(1024u * 1024)
#define PAM_MAX_DEPTH	16	/* nesting: a real one nests 2-3 */
#define PAM_MAX_FILES	64	/* includes read in all */
#define PAM_MAX_BYTES	(4 * MiB)
#define PAM_MAX_MODS	1024

/*
 * sysusers.d: the conf files of its four directories (a real system has
 * ~20 files of a few hundred bytes each).
 */
#define SYSUSERS_MAX_FILE	(256u * 1024)
#define SYSUSERS_MAX_FILES	256

/*
 * ELF: sshd, its loader and its libraries, from their headers (pread,
 * never the whole file). Per object: a real one has ~10 program headers,
 * ~40 dynamic entries, ~10 DT_NEEDED. Objects: a real sshd needs ~15,
 * with ~300 library lookups (opens) and ~100 KB of headers read.
 */
#define ELF_MAX_PHNUM	512	/* program headers */
#define ELF_MAX_DYN	4096	/* dynamic entries */
#define ELF_MAX_NEEDED	256	/* DT_NEEDED entries */
#define ELF_MAX_STR	4096	/* one string, NUL included */
#define ELF_MAX_OBJECTS	512
#define ELF_MAX_PROBES	16384	/* names looked up and paths tried */
#define ELF_MAX_BYTES	(64 * MiB)	/* header bytes read in all */
#define SSHD_MAX	(64u * 1024 * 1024)	/* the version string: all
						   of sshd (real: ~1 MB) */
#define HELPER_PATH_MAX	4096	/* a helper path compiled into sshd */

/* ld.so.conf and its includes: real ones are ~5 files, ~10 dirs. */
#define LDCONF_MAX_FILE	 (256u * 1024)
#define LDCONF_MAX_DEPTH 8
#define LDCONF_MAX_FILES 64
#define LDCONF_MAX_DIRS	 256

/* tcp_wrappers' hosts.allow and hosts.deny: real ones are a few lines. */
#define WRAP_MAX_FILE	(1024u * 1024)
#define WRAP_MAX_RULES	4096
#define WRAP_MAX_WORDS	256	/* cut: tcpd's own list of a line */

/* SELinux: the policy's file_contexts and each file beside it (RHEL 9's:
   ~600 KB), and the files whose labels one run asks about. */
#define SELINUX_FC_MAX	(16u * 1024 * 1024)
#define SELINUX_Q_MAX	128

/*
 * The host firewall a target loads at boot (target/net/firewall.c): a
 * real ruleset is a few KB (a large one, with address sets, some hundred
 * KB); nft nests includes 16 deep at most. A unit file is a few KB.
 */
#define FW_RULESET_MAX	(1024 * 1024)	/* all its files, includes in
					   place: one pipe's worth */
#define FW_INCLUDE_DEPTH	16
#define FW_FILES_MAX	256
#define FW_INCLUDES_MAX	64	/* include statements: each a glob */
#define UNIT_MAX_BYTES	(64 * 1024)

/* A blocker's list of banned addresses (sshguard's blacklist): a line a
   ban, some 40 bytes; a busy server's holds tens of thousands. */
#define BAN_FILE_MAX	(16u * 1024 * 1024)
#define BAN_MAX_LINES	1000000
#define F2B_DB_MAX	(64u * 1024 * 1024)	/* fail2ban's database (it
						   purges bans after a day) */

/* Small single files: os-release, /etc/shells, cloud.cfg, the agent
   configuration cloudwarn reads, /etc/default/grub. */
#define SMALL_FILE_MAX	(1u * 1024 * 1024)
#define OSRELEASE_MAX	65536
#define AGENT_MAX	(256u * 1024)	/* cloud agent's own config */

/*
 * Logs (cut, not budgets: the newest lines are the ones that matter,
 * and a busy server's auth.log is hundreds of MB). Each text log is read
 * from its end; a .gz rotation is decompressed to at most GZ_MAX (a
 * gzip bomb stops there); the journal is read newest first.
 */
#define LOG_TAIL	(4 * 1024 * 1024)	/* bytes of each log */
#define LOG_ROTATIONS	2			/* rotations per log */
#define LOG_NAMES	4096			/* names of /var/log */
#define GZ_MAX		(64 * 1024 * 1024)	/* content of one .gz */
#define JOURNAL_MAX	100000			/* sshd entries */
#define LOG_MSG_MAX	4096			/* one journal message */
/* Journal files handed to the library, the newest: journald rotates a
   file at 1/8 of the size cap, so this spans more than a full default
   journal. Directories and names looked at. */
#define JOURNAL_FILES	128
#define JOURNAL_DIRS	32
#define JOURNAL_NAMES	8192

/*
 * A budget in use: how large one file may be, and how many files and
 * bytes a reader may take in all. Once the total is hit nothing more is
 * taken (a later small file would make the part read depend on the
 * order), and budget_note says so.
 */
struct budget {
	const char		*what;	/* "the Includes of /etc/..." */
	size_t			 max_file;
	size_t			 max_files;
	unsigned long long	 max_bytes;
	size_t			 files;
	unsigned long long	 bytes;
	size_t			 toobig;	/* files over max_file left */
	int			 hit;		/* the total was reached */
};

#define BUDGET(what, file, files, bytes)				\
	{ (what), (file), (files), (bytes), 0, 0, 0, 0 }

/* One more file of SIZE bytes: 0 counted, -1 over (hit set, not counted). */
int	budget_take(struct budget *, unsigned long long size);

struct unread_list;
/*
 * What B left unread, in one line of LIST (the diagnosis is incomplete):
 * "WHAT: more than N files or M in all (sshfix's budget); the rest were
 * not read: cannot tell", and the files over max_file it was told of.
 */
void	budget_note(const struct budget *, struct unread_list *);

/*
 * Read PATH (through safefs: a regular file only) within B: its size is
 * checked on the fd before a byte is read. 0 read (*data NUL-terminated),
 * 1 over B's total (nothing read), -1 errno: EFBIG over B's max_file (and
 * counted in toobig), EINVAL not regular, ENXIO a FIFO, socket or device
 * (never opened), or the open's error.
 */
int	budget_read(struct budget *, int rootfd, const char *path,
	    char **data, size_t *len);
/*
 * budget_read for readers that go on without the file: 0 read, -1 not,
 * and why is noted in LIST (an error there; a file over max_file or past
 * the total by budget_note, once, at the end). A missing file is no news.
 */
int	budget_load(struct budget *, int rootfd, const char *path,
	    struct unread_list *list, char **data, size_t *len);

#endif
