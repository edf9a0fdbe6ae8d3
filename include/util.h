/*
 * Small helpers shared by every module: allocation that cannot return NULL,
 * a growable string buffer, and the one-line error message that main prints.
 * Library code never prints or exits; it sets the error and returns -1.
 */
#ifndef SSHFIX_UTIL_H
#define SSHFIX_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define SSHFIX_VERSION "0.1.0"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * V (N elements of SIZE) with room for element N: its room doubles when
 * N is a power of two, so that a million appends are not a million
 * reallocations (each a copy under some allocators: quadratic).
 */
void	*xgrowarray(void *v, size_t n, size_t size);

/* Record the reason the current operation failed (one line, no newline). */
void	 err_set(const char *, ...) __attribute__((format(printf, 1, 2)));
const char *err_get(void);
/* The last err_set came of a failing disk: ENOSPC, EIO or EDQUOT. */
int	 err_io(void);
/*
 * Refuse one of sshfix's own files (its lock, a file of the snapshot
 * store) that is not what sshfix makes there: err_set "PATH: WHY", errno
 * EUCLEAN, -1. err_refused gives PATH and WHY back (either may be NULL)
 * while that error is the last one (an err_set after it clears it): 1,
 * else 0.
 */
int	 err_refuse(const char *path, const char *why);
int	 err_refused(const char **path, const char **why);
/* "a FIFO", "a symbolic link", ... for a st_mode. */
const char *file_kind(unsigned int mode);
/*
 * Why ST cannot be one of sshfix's own files: not a regular file, or
 * larger than MAX bytes (on st_size, before a byte is read). -1 with the
 * reason in WHY ("a FIFO, not a regular file; refused"), else 0.
 */
struct stat;
int	 file_refusal(const struct stat *st, unsigned long long max,
	    char *why, size_t len);

struct sbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

void	 sbuf_add(struct sbuf *, const char *, size_t);
void	 sbuf_adds(struct sbuf *, const char *);
void	 sbuf_addc(struct sbuf *, char);
void	 sbuf_addf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 sbuf_vaddf(struct sbuf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
char	*sbuf_take(struct sbuf *);	/* NUL-terminated; buffer reset */
/* The N bytes at P in base64 (RFC 4648), '='-padded if PAD. */
void	 sbuf_add_base64(struct sbuf *, const void *p, size_t n, int pad);
void	 sbuf_free(struct sbuf *);

/* qsort and bsearch that accept an empty (NULL) array. */
void	 sort(void *, size_t, size_t, int (*)(const void *, const void *));
void	*search(const void *key, const void *, size_t, size_t,
	    int (*)(const void *, const void *));

/*
 * The first element of sorted BASE not less than KEY (n if none);
 * CMP(key, element).
 */
/* Does WORD stand in the LEN bytes at S as a word of its own (no letter
   or digit either side)? */
int	 has_word(const char *s, size_t len, const char *word);
/* VALUE of a NAME=VALUE line of the shell file TEXT (the last; blanks
   around it and one pair of quotes taken off), allocated, or NULL. A
   value that needs a shell is taken as written. */
char	*shell_var(const char *text, const char *name);
/* Does ADDR lie within NET/PREFIX (both numeric, one family; PREFIX out
   of range: the whole address)? */
int	 addr_in_net(const char *addr, const char *net, int prefix);
/*
 * Does ROW, an address as fail2ban's IPAddr reads a ban's (brackets
 * around it, a /PREFIX or a /MASK, an IPv4-mapped IPv6 address as IPv4),
 * cover ADDR (numeric)? 1, 0 (not, or ROW is no address: a raw id), or
 * -1: a form sshfix does not take (a mask that is no prefix, two slashes).
 */
int	 ip_row_covers(const char *row, const char *addr);
size_t	 lower_bound(const void *key, const void *base, size_t n, size_t size,
	    int (*cmp)(const void *, const void *));

/*
 * What a diagnosis could not read: a path that exists but failed (EACCES
 * when not root, EIO ...), so the verdict rests on a partial view. A
 * missing file (ENOENT, ENOTDIR) or one that is not regular (EINVAL) is a
 * fact, not a failure, and a user's symlink (ELOOP) is refused on purpose:
 * unread_note ignores those, and a path noted twice. LIST may be NULL.
 */
struct unread {
	char	*path;
	int	 err;
	char	*why;		/* a budget's line, or NULL: err says */
};

struct unread_list {
	struct unread	*v;
	size_t		 n;
};

void	 unread_note(struct unread_list *list, const char *path, int err);
/*
 * WHAT was not read in full because a budget (budget.h) stopped it: WHY
 * says what was left ("more than 256 files ... in all; the rest were not
 * read"). Always noted, once per WHAT.
 */
void	 unread_note_why(struct unread_list *list, const char *what,
	    const char *why);
/* One line for an entry: "could not read PATH: ERROR" or "WHAT: WHY". */
char	*unread_line(const struct unread *);
/* What an entry's error is, in words (unread_line's ERROR). */
const char *unread_error(const struct unread *);
/* strerror, and ENXIO as safefs means it: a FIFO, socket or device. */
const char *file_strerror(int err);
void	 unread_free(struct unread_list *);

/* Milliseconds of CLOCK_MONOTONIC: for deadlines. */
long	 mono_ms(void);

/* "0755" style text for a mode's permission bits. */
void	 mode_str(unsigned int mode, char out[8]);
/* A size as du -h shows it ("512B", "4.0K", "12K", "3.1M"). */
void	 human_size(unsigned long long, char out[16]);

/* Free a NULL-terminated vector of strings and the vector (NULL: nothing). */
void	free_strv(char **);

#endif
