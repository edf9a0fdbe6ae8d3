/*
 * Commands sshfix prints for a person to paste into a root shell
 * (usermod, chage, chown, passwd, ssh-keygen ...). Their words come from
 * the target: account names, homes, shells, group names, paths, all an
 * attacker's on a disk from a compromised server. Every such word goes
 * through sh_quote(), by way of sh_cmd(); a word it refuses is "not
 * shell-safe", and the step is then named without a command.
 */
#ifndef SSHFIX_SHQUOTE_H
#define SSHFIX_SHQUOTE_H

#include <stdarg.h>

/*
 * WORD as one shell word (malloc'd): as it is when it holds only
 * [A-Za-z0-9_@%+=:,./-] and is not empty, else in single quotes. NULL
 * when WORD is not shell-safe: it holds a byte vis_str() rewrites (a
 * control byte, a backslash, any byte from 0x80), which the text report
 * would print, and a person paste, as another word; or a single quote,
 * whose escapes need a backslash ('\'') or a second kind of quoting, and
 * no account, group or path sshfix advises on needs one.
 */
char	*sh_quote(const char *word);

/*
 * A command line (malloc'd) from FMT, sshfix's own text, in which each %s
 * is the next argument, a word or part of a word from the target, quoted
 * by sh_quote(); "%%" is a '%'. FMT has no other conversion. An empty
 * argument adds nothing unless it is a whole word (then ''). NULL when an
 * argument is not shell-safe, or starts a word with '-' (a command reads
 * it as an option, however quoted): *BAD is then that argument.
 */
char	*sh_cmd(const char **bad, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
char	*sh_vcmd(const char **bad, const char *fmt, va_list)
	    __attribute__((format(printf, 2, 0)));

/*
 * VALUE as one whole word of a command (sh_cmd(), malloc'd), or a copy
 * of PLACEHOLDER (sshfix's own word: HOST, USER ...) when it is not
 * shell-safe.
 */
char	*sh_word(const char *value, const char *placeholder);

/*
 * The shadow tools' form for a target that is not the running system:
 * "PROG --root ROOT " then sh_cmd(FMT, ...); ROOT NULL: "PROG " then
 * sh_cmd(FMT, ...). ROOT goes through sh_root().
 */
char	*sh_rootcmd(const char **bad, const char *root, const char *prog,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * ROOTDIR (the person's --root) as a command's word: itself when it is
 * absolute and sh_quote() takes it, else the placeholder "ROOT", which
 * the person knows to be their --root.
 */
const char *sh_root(const char *rootdir);

/*
 * What goes before a target's absolute path in a command: "" for the
 * running system (LIVE, or ROOTDIR "/"), else sh_root(ROOTDIR).
 */
const char *sh_root_prefix(const char *rootdir, int live);

#endif
