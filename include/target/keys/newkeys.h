#ifndef SSHFIX_NEWKEYS_H
#define SSHFIX_NEWKEYS_H

/*
 * The --authorized-key argument: one public key line, or the path of a
 * file holding key lines (comments and blank lines allowed). Returns a
 * NULL-terminated list of key lines, or NULL with err_set().
 */
char	**newkeys_load(const char *arg);

#endif
