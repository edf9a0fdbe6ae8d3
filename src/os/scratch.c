/*
 * sshfix's scratch in a target: the temp files safewrite renames into
 * place and ssh-keygen's staging directory. A crash can leave either
 * behind; a recovery removes them by name, so the names say whose they
 * are: the snapshot of the change that made them (sfw_set_tag).
 *
 * MUST: only names sshfix makes, only in directories the snapshot
 * recorded, resolved from the root fd (safefs); never follow a link;
 * remove only regular files and directories.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safefs.h"
#include "os/safewrite.h"
#include "util.h"

#define TREE_DEPTH	8	/* the staging directory is DIR/etc/ssh/... */

static char tag[48];

void
sfw_set_tag(const char *t)
{
	snprintf(tag, sizeof(tag), "%s", t ? t : "");
}

void
sfw_temp_name(char *buf, size_t len, int n)
{
	if (tag[0] != '\0')
		snprintf(buf, len, ".sshfix-%s.%d.tmp", tag, n);
	else
		snprintf(buf, len, ".sshfix-%ld-%d.tmp", (long)getpid(), n);
}

static int
is_temp_of(const char *name, const char *t)
{
	size_t tl = strlen(t), nl = strlen(name);

	return strncmp(name, ".sshfix-", 8) == 0 && nl > 8 + tl + 5 &&
	    strncmp(name + 8, t, tl) == 0 && name[8 + tl] == '.' &&
	    strcmp(name + nl - 4, ".tmp") == 0;
}

static int
dir_fail(const char *dir, const char *what)
{
	err_set("%s: %s: %s", dir, what, strerror(errno));
	return -1;
}

int
sfw_remove_temps(int rootfd, const char *dir, const char *t)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd, r = 0, n = 0;

	fd = sfs_open(rootfd, dir, O_RDONLY | O_DIRECTORY, &st);
	if (fd == -1)
		return errno == ENOENT || errno == ENOTDIR ? 0 :
		    dir_fail(dir, "open");
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return dir_fail(dir, "opendir");
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_temp_of(de->d_name, t) ||
		    fstatat(dirfd(d), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == -1) {
			r = dir_fail(dir, "removing a temp file");
			break;
		}
		n++;
	}
	if (r == 0 && n > 0 && fsync(dirfd(d)) == -1 && errno != EINVAL)
		r = dir_fail(dir, "fsync");
	closedir(d);
	return r;
}

/* Empty the directory FD (a real one, opened O_NOFOLLOW), depth first. */
static int
empty_dir(int fd, const char *path, int depth)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int sub, r = 0;

	if (depth > TREE_DEPTH) {
		err_set("%s: nested too deep; not removed", path);
		close(fd);
		return -1;
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return dir_fail(path, "opendir");
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1) {
			r = dir_fail(path, "lstat");
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			sub = openat(dirfd(d), de->d_name, O_RDONLY |
			    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub == -1 || empty_dir(sub, path, depth + 1) == -1)
				r = sub == -1 ? dir_fail(path, "open") : -1;
			else if (unlinkat(dirfd(d), de->d_name,
			    AT_REMOVEDIR) == -1)
				r = dir_fail(path, "rmdir");
		} else if (unlinkat(dirfd(d), de->d_name, 0) == -1)
			r = dir_fail(path, "unlink");
	}
	closedir(d);
	return r;
}

int
sfw_remove_tree(int rootfd, const char *path)
{
	const char *leaf;
	struct stat st;
	int dfd, fd, r = 0;

	if ((dfd = sfs_open_parent(rootfd, path, &leaf)) == -1)
		return errno == ENOENT ? 0 : dir_fail(path, "resolving the "
		    "parent directory");
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		r = errno == ENOENT ? 0 : dir_fail(path, "lstat");
		close(dfd);
		return r;
	}
	if (S_ISDIR(st.st_mode)) {
		fd = openat(dfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd == -1 || empty_dir(fd, path, 0) == -1)
			r = fd == -1 ? dir_fail(path, "open") : -1;
		else if (unlinkat(dfd, leaf, AT_REMOVEDIR) == -1)
			r = dir_fail(path, "rmdir");
	} else if (unlinkat(dfd, leaf, 0) == -1)
		r = dir_fail(path, "unlink");
	if (r == 0 && fsync(dfd) == -1 && errno != EINVAL)
		r = dir_fail(path, "fsync of the parent");
	close(dfd);
	return r;
}

int
sfw_move(int rootfd, const char *from, const char *to)
{
	const char *fl, *tl;
	int fdfd, tdfd, r = -1;

	if ((fdfd = sfs_open_parent(rootfd, from, &fl)) == -1)
		return dir_fail(from, "resolving the parent directory");
	if ((tdfd = sfs_open_parent(rootfd, to, &tl)) == -1) {
		dir_fail(to, "resolving the parent directory");
		close(fdfd);
		return -1;
	}
	if (renameat(fdfd, fl, tdfd, tl) == -1)
		dir_fail(to, "rename into place");
	else if (fsync(tdfd) == -1 || fsync(fdfd) == -1)
		dir_fail(to, "fsync of the directory");
	else
		r = 0;
	close(tdfd);
	close(fdfd);
	return r;
}
