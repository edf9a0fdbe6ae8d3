/*
 * RevokedKeys as a KRL: see include/target/login/krl.h.
 *
 * MUST: the KRL is the disk's bytes. They reach ssh-keygen through a
 * pipe (never a path inside the target), in the sandbox on a rescue disk
 * (a crafted KRL must not reach the rescue machine through a flaw of
 * ssh-keygen's), killed at a deadline. The key is sshfix's own file, in
 * sshfix's own directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os/runprog.h"
#include "os/sandbox.h"
#include "os/tmpdir.h"
#include "target/login/krl.h"
#include "target/login/revoked.h"
#include "target/validate.h"	/* KEYGEN_PATH */
#include "util.h"

#define KRL_MS		10000
#define KRL_PIPE_MAX	(1024 * 1024)	/* Linux's default pipe-max-size */

/* The pipe ssh-keygen reads the KRL from, filled: its read end, or -1. */
static int
krl_pipe(const char *d, size_t len)
{
	int p[2];

	if (len > KRL_PIPE_MAX || pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((len > 65536 && fcntl(p[1], F_SETPIPE_SZ, (int)len) == -1) ||
	    fcntl(p[1], F_SETFL, O_NONBLOCK) == -1 ||
	    write(p[1], d, len) != (ssize_t)len) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	return p[0];
}

/* DIR/key.pub holding "TYPE B64": 0, or -1. */
static int
key_file(const char *dir, const char *type, const char *b64)
{
	char path[TMPDIR_MAX + 16];
	FILE *f;
	int fd, r;

	snprintf(path, sizeof(path), "%s/key.pub", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	r = fprintf(f, "%s %s\n", type, b64) < 0;
	return fclose(f) != 0 || r ? -1 : 0;
}

/* ssh-keygen -Q's answer: "FILE: ok" (exit 0), "FILE: REVOKED" (1). */
static int
verdict(int r, const char *out)
{
	if (out == NULL)
		return REV_UNKNOWN;
	if (r == 0 && strstr(out, ": ok\n") != NULL)
		return REV_NO;
	if (r == 1 && strstr(out, ": REVOKED\n") != NULL)
		return REV_LISTED;
	if (r == 255 && strstr(out, "Invalid KRL file") != NULL)
		return REV_ALL;
	return REV_UNKNOWN;
}

int
krl_check(const char *d, size_t len, const char *type, const char *b64,
    int live)
{
	char dir[TMPDIR_MAX], key[TMPDIR_MAX + 16], *out = NULL;
	char *sbv[] = { KEYGEN_PATH, "-Q", "-f", "/dev/stdin",
	    "/tmp/key.pub", NULL };
	char *hostv[] = { KEYGEN_PATH, "-Q", "-f", "/dev/stdin", key, NULL };
	struct sandbox sb = { "/", dir, -1, -1, 0, 0, 0 };
	int in, r = -1, v;

	if (len > KRL_PIPE_MAX || tmpdir_make(dir, "krl") == -1)
		return REV_UNKNOWN;
	snprintf(key, sizeof(key), "%s/key.pub", dir);
	if (key_file(dir, type, b64) == -1 || tmpdir_share(dir) == -1 ||
	    (in = krl_pipe(d, len)) == -1) {
		tmpdir_remove(dir);
		return REV_UNKNOWN;
	}
	sb.in = in;
	if (!live)
		r = runprog_sandbox(&sb, sbv, KRL_MS, &out);
	/* Where no sandbox can be made: the host's ssh-keygen, as before. */
	if (live || sandbox_refused(r)) {
		free(out);
		out = NULL;
		r = runprog_stdin(hostv, in, KRL_MS, &out);
	}
	close(in);
	v = verdict(r, out);
	free(out);
	tmpdir_remove(dir);
	return v;
}
