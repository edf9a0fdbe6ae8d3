/*
 * SELinux's label for a path, from a target's file_contexts: see
 * include/os/selabel.h. The helper is sshfix itself (/proc/self/exe) with
 * SELABEL_HELPER_ARG; libselinux is loaded with dlopen there only, so a
 * run that never meets an SELinux target never loads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/runprog.h"
#include "os/sandbox.h"
#include "os/selabel.h"
#include "util.h"

#define SELABEL_MS	10000
#define LINE_MAX_Q	(PATH_MAX + 8)
#define READY		"sel. ready"

#if defined(HAVE_SELINUX) && !defined(SSHFIX_STATIC)
#include <dlfcn.h>
#include <selinux/label.h>
#include <selinux/selinux.h>

/* libselinux's own prototypes (selinux/label.h), checked by the compiler. */
static __typeof__(selabel_open) *p_open;
static __typeof__(selabel_lookup_raw) *p_lookup;
static __typeof__(selabel_close) *p_close;
static __typeof__(freecon) *p_freecon;

static const char *
load(void)
{
	void *lib = dlopen("libselinux.so.1", RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL)
		return "libselinux.so.1 is not installed";
	p_open = (__typeof__(p_open))dlsym(lib, "selabel_open");
	p_lookup = (__typeof__(p_lookup))dlsym(lib, "selabel_lookup_raw");
	p_close = (__typeof__(p_close))dlsym(lib, "selabel_close");
	p_freecon = (__typeof__(p_freecon))dlsym(lib, "freecon");
	if (p_open == NULL || p_lookup == NULL || p_close == NULL ||
	    p_freecon == NULL)
		return "libselinux.so.1 lacks selabel_lookup_raw";
	return NULL;
}

int
selabel_helper(const char *fc)
{
	struct selinux_opt opt[] = { { SELABEL_OPT_PATH, fc } };
	struct selabel_handle *h;
	char line[LINE_MAX_Q], *con;
	const char *why;
	size_t len;
	int fd;

	/* libselinux reports on stderr: only the answers go out. */
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) != -1) {
		(void)dup2(fd, STDERR_FILENO);
		close(fd);
	}
	if ((why = load()) != NULL) {
		printf("sel! %s\n", why);
		return 2;
	}
	if ((h = p_open(SELABEL_CTX_FILE, opt, 1)) == NULL) {
		printf("sel! file_contexts would not load: %s\n",
		    strerror(errno));
		return 3;
	}
	printf("%s\n", READY);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		len = strcspn(line, "\n");
		line[len] = '\0';
		if (len < 3 || line[1] != ' ' || line[2] != '/' ||
		    (line[0] != 'f' && line[0] != 'd')) {
			printf("sel?\n");
			continue;
		}
		con = NULL;
		if (p_lookup(h, &con, line + 2, line[0] == 'd' ? S_IFDIR :
		    S_IFREG) == 0 && con != NULL)
			printf("sel= %s\n", con);
		else
			printf(errno == ENOENT ? "sel-\n" : "sel?\n");
		if (con != NULL)
			p_freecon(con);
	}
	p_close(h);
	return fflush(stdout) == EOF ? 1 : 0;
}
#else
int
selabel_helper(const char *fc)
{
	(void)fc;
	printf("sel! %s\n",
#ifdef SSHFIX_STATIC
	    "a static sshfix cannot load libselinux"
#else
	    "sshfix was built without libselinux's headers"
#endif
	    );
	return 2;
}
#endif

/* The questions as the helper reads them, in a pipe: its read end. */
static int
question_pipe(const struct selabel_q *q, size_t n)
{
	struct sbuf b = { 0 };
	size_t i;
	int in;

	for (i = 0; i < n; i++)
		sbuf_addf(&b, "%c %s\n", S_ISDIR(q[i].mode) ? 'd' : 'f',
		    q[i].path);
	in = pipe_filled(b.s ? b.s : "", b.len);
	sbuf_free(&b);
	return in;
}

/* The helper's output into Q: 0, or -1 (err_set). */
static int
answers(const char *out, struct selabel_q *q, size_t n)
{
	const char *s = out, *e;
	size_t i = 0, len;
	int ready = 0;

	for (; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		len = (size_t)(e - s);
		if (len >= 5 && strncmp(s, "sel! ", 5) == 0) {
			err_set("%.*s", (int)(len - 5), s + 5);
			return -1;
		}
		if (len == strlen(READY) && strncmp(s, READY, len) == 0)
			ready = 1;
		if (!ready || len < 4 || strncmp(s, "sel", 3) != 0 || i >= n ||
		    (s[3] != '=' && s[3] != '-' && s[3] != '?'))
			continue;
		if (s[3] == '?') {
			err_set("libselinux could not look up %s", q[i].path);
			return -1;
		}
		q[i].ctx[0] = '\0';
		if (s[3] == '=' && len > 5 && len - 5 < SELABEL_CTX_MAX)
			snprintf(q[i].ctx, SELABEL_CTX_MAX, "%.*s",
			    (int)(len - 5), s + 5);
		else if (s[3] == '=') {
			err_set("a context for %s too long to take", q[i].path);
			return -1;
		}
		i++;
	}
	if (!ready && n > 0) {
		err_set("the lookup gave no answer%s%.*s", *out ? ": " : "",
		    (int)strcspn(out, "\n"), out);
		return -1;
	}
	if (i != n) {
		err_set("the lookup answered %zu of %zu questions", i, n);
		return -1;
	}
	return 0;
}

int
selabel_ask(const char *dir, struct selabel_q *q, size_t n)
{
	/* The helper is sshfix itself: its binary opened through the magic
	   link, never a path read from it (in a chroot readlink can name
	   the file as seen from outside, and a path is a second lookup). */
#ifdef SELABEL_HELPER_PATH
	char self[] = SELABEL_HELPER_PATH;
#else
	char self[] = "/proc/self/exe";
#endif
	char fc[PATH_MAX], *out = NULL;
	char *sbv[] = { self, SELABEL_HELPER_ARG, "/tmp/file_contexts", NULL };
	char *hostv[] = { self, SELABEL_HELPER_ARG, fc, NULL };
	struct sandbox sb = { "/", dir, -1, -1, 0, 0, 0 };
	int in, r, ret, exe;

	if (n > SELABEL_MAX_Q) {
		err_set("more than %d files to look up", SELABEL_MAX_Q);
		return -1;
	}
	snprintf(fc, sizeof(fc), "%s/file_contexts", dir);
	if ((in = question_pipe(q, n)) == -1) {
		err_set("cannot hand the questions over: %s", strerror(errno));
		return -1;
	}
	/* Run through an fd: the sandbox's uid may not enter the directory
	   sshfix lies in (built in /root, a 0700 clone). */
	if ((exe = open(self, O_PATH | O_CLOEXEC)) == -1) {
		close(in);
		err_set("cannot open sshfix's own binary (%s): %s", self,
		    strerror(errno));
		return -1;
	}
	sb.in = in;
	sb.exe = exe > 2 ? exe : 0;
	r = runprog_sandbox(&sb, sbv, SELABEL_MS, &out);
	close(exe);
	/* Where no sandbox can be made (a container), as a plain child with
	   the same deadline, as ssh-keygen -Q is (login/krl.c); in the child
	   /proc/self/exe is still sshfix. */
	if (sandbox_refused(r)) {
		free(out);
		out = NULL;
		r = runprog_stdin(hostv, in, SELABEL_MS, &out);
	}
	close(in);
	if (r == -1) {
		free(out);
		return -1;
	}
	ret = answers(out ? out : "", q, n);
	if (ret == 0 && r != 0)
		ret = (err_set("the lookup exited %d", r), -1);
	free(out);
	return ret;
}
