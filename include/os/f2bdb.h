/*
 * fail2ban's database: the bans each jail puts back when fail2ban starts
 * (fail2ban 0.11 and later: its "bips" table, one row an address and a
 * jail, restored while timeofban + bantime lies ahead or bantime is -1 or
 * below). Read with libsqlite3, the library fail2ban writes it with.
 *
 * MUST: the database is the disk's bytes, and SQLite's own documentation
 * counts a crafted database file as untrusted input. It is parsed only by
 * sshfix itself run again in the sandbox of os/sandbox.h (F2B_HELPER_ARG),
 * which loads libsqlite3 with dlopen and reads a copy handed over as its
 * stdin, an unlinked file no other process can open, into an in-memory
 * database with SQLite's defensive settings (no trigger, no view runs): a
 * crafted file can cost that process its CPU and memory limits and its
 * deadline, never the rescue machine. Where no sandbox can be made, the
 * database is not read.
 */
#ifndef SSHFIX_F2BDB_H
#define SSHFIX_F2BDB_H

#include <stddef.h>
#include <time.h>

/* argv[1] of sshfix run as the helper, the database on its stdin: then
   "list", the time it is judged at (seconds) and the address asked
   about; or "unban", the jail and the address as the row holds it. */
#define F2B_HELPER_ARG	"--fail2ban-helper"
/* At most this many bans are taken for one address. */
#define F2B_ROWS_MAX	64
/* A jail's name longer than this is not one sshfix takes. */
#define F2B_JAIL_MAX	64
#define F2B_IP_MAX	63

struct f2b_ban {
	char		 jail[F2B_JAIL_MAX + 1];
	char		 ip[F2B_IP_MAX + 1];	/* as the row holds it */
	long long	 since;		/* timeofban */
	long long	 bantime;	/* seconds, rounded up; -1 and below:
					   persistent (-2: the jail's own) */
};

/* The helper's side: the exit status (0; 2: no libsqlite3, or one too
   old; 3: not a database fail2ban 0.11 or later wrote). */
int	f2b_helper(int argc, char *argv[]);

/*
 * The file beside the database PATH (inside ROOTFD) that makes PATH alone
 * not what fail2ban reads: "-journal" (an interrupted write SQLite rolls
 * back first) or "-wal"; NULL when neither is there (anything but ENOENT
 * counts as there).
 */
const char *f2b_sidecar(int rootfd, const char *path);

/*
 * DATA (LEN bytes: a database read from the target) as an unlinked file
 * of sshfix's own: its fd (read and write), or -1 (err_set).
 */
int	f2b_stage(const char *data, size_t len);

/*
 * The bans of the database staged at FD that fail2ban would restore at
 * NOW and that cover ADDR (numeric; ip_row_covers): the count, into
 * OUT[F2B_ROWS_MAX]; -1 (err_set: why there is no answer).
 */
int	f2b_ask(int fd, time_t now, const char *addr, struct f2b_ban *out);

/*
 * Remove the row of JAIL and IP (as the row holds it) from the bips table
 * of the database staged at FD, rewriting FD, as fail2ban-client unbanip
 * removes it: the rows removed, or -1 (err_set). The helper may write FD
 * only, and only as much as F2B_DB_MAX (budget.h).
 */
int	f2b_unban(int fd, const char *jail, const char *ip);

#endif
