/*
 * The manual step that puts back a file a package shipped: the package
 * from the target's dpkg database when it says, the command an admin
 * would type for the target's distribution, chrooted for --root.
 */
#ifndef SSHFIX_REINSTALL_H
#define SSHFIX_REINSTALL_H

struct target;
struct finding;

/*
 * NAME: the missing file's name; DIRS: where it belongs (NULL-terminated);
 * RPMPATH: the path to ask rpm -qf about. Sets f->aux to the package.
 */
void	reinstall_lookup(struct target *, struct finding *, const char *name,
	    const char *const *dirs);
/* The same for an absolute PATH. */
void	reinstall_lookup_path(struct target *, struct finding *,
	    const char *path);
void	plan_reinstall(struct target *, struct finding *, const char *rpmpath);
/* The command that installs package PKG on the target's distribution. */
void	plan_install(struct target *, struct finding *, const char *pkg);
/* Put the package's default DEF back at PATH (ACT_COPY, 0644 root:root). */
void	plan_restore_default(struct finding *, const char *def,
	    const char *path);

#endif
