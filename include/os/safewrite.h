/*
 * Every change sshfix makes to a target goes through here.
 *
 * MUST: resolve the parent with safefs (one component at a time,
 * O_NOFOLLOW, root-owned links only); check the leaf with fstatat
 * (AT_SYMLINK_NOFOLLOW), open it O_NOFOLLOW and confirm it is the same
 * inode; act only on that fd (fchmod, fchown, futimens). Act only on
 * directories and regular files. Refuse every hard-linked regular file
 * (st_nlink > 1: it could be /etc/shadow under another name). Write
 * files as a temp file in the same directory + fsync + rename + fsync of
 * the directory.
 */
#ifndef SSHFIX_SAFEWRITE_H
#define SSHFIX_SAFEWRITE_H

#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

/*
 * Extended attributes, raw: SELinux labels and POSIX ACLs
 * (system.posix_acl_*) travel as they are, with no libacl.
 */
struct sfw_xattr {
	char	*name;
	void	*value;
	size_t	 len;
};

struct sfw_xattrs {
	struct sfw_xattr *v;
	size_t		  n;
};

int	sfw_get_xattrs(int fd, struct sfw_xattrs *);
/* The same attributes with the same values? */
int	sfw_xattrs_same(const struct sfw_xattrs *, const struct sfw_xattrs *);
void	sfw_add_xattr(struct sfw_xattrs *, const char *, const void *, size_t);
void	sfw_xattrs_free(struct sfw_xattrs *);

/* Open PATH (a directory or regular file) for a metadata change. */
int	sfw_open(int rootfd, const char *path, struct stat *st);

/*
 * chmod/chown PATH, which must still be as the plan saw it (FROM, or
 * owner OU:OG): anything else means someone changed it since, and the
 * change is refused.
 */
int	sfw_chmod(int rootfd, const char *path, mode_t from, mode_t to);
int	sfw_chown(int rootfd, const char *path, uid_t ou, gid_t og, uid_t,
	    gid_t);
/* The same for PATH's SELinux label (security.selinux): FROM ("": none)
   -> TO. */
int	sfw_relabel(int rootfd, const char *path, const char *from,
	    const char *to);
/*
 * Mode, owner, (if MTIME) modification time and (if XA) extended
 * attributes of an existing object: exactly XA's, those it lacks removed.
 */
int	sfw_set_meta(int rootfd, const char *path, mode_t, uid_t, gid_t,
	    const struct timespec *mtime, const struct sfw_xattrs *xa);

/*
 * Replace (or create) the regular file PATH with DATA: temp file in the
 * same directory, owner, mode, extended attributes (XA, may be NULL),
 * fsync, rename, fsync of the directory. MTIME NULL: now.
 */
int	sfw_write_file(int rootfd, const char *path, const void *data,
	    size_t len, mode_t mode, uid_t uid, gid_t gid,
	    const struct timespec *mtime, const struct sfw_xattrs *xa);

/*
 * Read the regular file PATH for a rewrite: contents (at most MAX
 * bytes), metadata and extended attributes. -1 with errno ENOENT (no
 * err_set) when it does not exist; else -1 with err_set.
 */
int	sfw_read_file(int rootfd, const char *path, size_t max,
	    struct stat *st, struct sfw_xattrs *xa, char **data, size_t *len);

/*
 * sshfix's own scratch in a target, and how a recovery finds it after a
 * crash. Temp files are ".sshfix-TAG.N.tmp" in the directory of the file
 * they replace, TAG the snapshot whose change writes them (set with
 * sfw_set_tag; without one, the pid). ssh-keygen writes into a staging
 * directory, SFW_KEYGEN_DIR in the directory of the key, never straight
 * into place: its own temp names are unknowable.
 */
#define SFW_TEMP_MAX	96
#define SFW_KEYGEN_DIR	".sshfix-keygen"
#define ROOTID_TAG	"root-id"	/* the tag of /var/lib/sshfix/root-id */
void	sfw_set_tag(const char *);
void	sfw_temp_name(char *, size_t, int n);
/* Remove DIR's temp files of TAG (regular files only); 0 if none. */
int	sfw_remove_temps(int rootfd, const char *dir, const char *tag);
/* Remove PATH and, if it is a directory, all under it (no links followed). */
int	sfw_remove_tree(int rootfd, const char *path);
/* Rename FROM to TO (both absolute in the root), fsync both directories. */
int	sfw_move(int rootfd, const char *from, const char *to);

/* Create directory PATH (its parent must exist); EEXIST if it does. */
int	sfw_mkdir(int rootfd, const char *path, mode_t, uid_t, gid_t);
/*
 * Create root-owned directories along PATH where missing: 0755 on the
 * way (as /var, /var/lib are everywhere), MODE for PATH itself.
 */
int	sfw_mkdir_p(int rootfd, const char *path, mode_t mode);
/* Remove a regular file, or an empty directory. */
int	sfw_remove(int rootfd, const char *path);

#endif
