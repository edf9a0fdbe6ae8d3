#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "target/config/config.h"
#include "incglob.h"
#include "target/judge.h"
#include "os/runprog.h"
#include "os/sandbox.h"
#include "os/tmpdir.h"
#include "safefs.h"
#include "util.h"
#include "target/flatten.h"
#include "target/validate.h"

/* Errors sshd only reaches once the configuration has parsed. */
static int
post_parse_only(const char *output)
{
	static const char *ok[] = {
		"Missing privilege separation directory",
		"must be owned by root and not group or world-writable",
		"Privilege separation user",
		"no hostkeys available",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(ok); i++)
		if (strstr(output, ok[i]) != NULL)
			return 1;
	return 0;
}

/* sshd failed before or without parsing: it judged nothing. */
static int
judged_nothing(int r, const char *out)
{
	if (r <= 0 || post_parse_only(out ? out : ""))
		return 0;
	err_set("sshd -t failed (exit %d): %.*s", r,
	    out ? (int)strcspn(out, "\r\n") : 0, out ? out : "");
	return 1;
}

static int
write_tmp(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	ssize_t n;

	if (fd == -1)
		return -1;
	n = write(fd, data, len);
	if (close(fd) == -1 || n != (ssize_t)len)
		return -1;
	return 0;
}

/* A temporary directory for the flattened file and the host key. */
struct scratch {
	char	dir[TMPDIR_MAX];
	int	made;
	long	end;		/* the judge's deadline (mono_ms) */
};

/*
 * The judge's time in all, across its rounds: one round of a healthy
 * sshd -t takes milliseconds; a judge that does not answer is killed.
 */
#define JUDGE_ROUND_MS	10000
#define JUDGE_TOTAL_MS	20000

static void
scratch_init(struct scratch *s)
{
	memset(s, 0, sizeof(*s));
	s->end = mono_ms() + JUDGE_TOTAL_MS;
}

/*
 * sshd -t on DIR/sshd_config with a throw-away host key DIR/hostkey. On
 * a rescue disk, in the sandbox with DIR at its /tmp: the target's sshd
 * with the target's root, or the host's with the host's (the paths it is
 * given are the disk's bytes too). On the running system, its own sshd
 * on its own configuration, as root (its boot unit allows no namespace).
 * *CONF: the name sshd gives the file in its messages.
 */
static int
run_sshd_t(struct target *t, const struct judge *j, struct scratch *s,
    const char **conf, char **output)
{
	static char hconf[128];
	char key[128];
	char *kg[] = { KEYGEN_PATH, "-q", "-t", "ed25519", "-N", "", "-C", "",
	    "-f", key, NULL };
	char *cd[] = { SSHD_PATH, "-t", "-f", "/tmp/sshd_config", "-h",
	    "/tmp/hostkey", NULL };
	char *hd[] = { SSHD_PATH, "-t", "-f", hconf, "-h", key, NULL };
	struct sandbox sb = { j->kind == JUDGE_TARGET ? t->rootdir : "/",
	    s->dir, -1, -1, 0, 0, 0 };
	long left = s->end - mono_ms();
	int r;

	snprintf(key, sizeof(key), "%s/hostkey", s->dir);
	if (access(key, F_OK) == -1 &&
	    (r = runprog(kg, PROG_TIMEOUT_MS, NULL)) != 0) {
		if (r > 0)
			err_set("%s failed (exit %d)", KEYGEN_PATH, r);
		return -2;
	}
	if (left <= 0) {
		err_set("%s: no answer within %d ms in all", SSHD_PATH,
		    JUDGE_TOTAL_MS);
		return -2;
	}
	if (left > JUDGE_ROUND_MS)
		left = JUDGE_ROUND_MS;
	if (!t->live) {
		/* The key becomes the judge's, 0600: sshd accepts it as
		   its own; the directory is root's, 0711 (ssh-keygen, run
		   as root, writes DIR/hostkey by path). */
		if (tmpdir_share(s->dir) == -1)
			return -2;
		*conf = "/tmp/sshd_config";
		r = runprog_sandbox(&sb, cd, (int)left, output);
		/* Where no sandbox can be made (a container, a unit with no
		   namespaces), the host's own sshd runs as it always did;
		   the target's never. */
		if (j->kind == JUDGE_TARGET || !sandbox_refused(r))
			return r >= 0 ? r : errno == ETIMEDOUT ? -4 : -2;
		free(*output);
		*output = NULL;
		left = s->end - mono_ms();
		if (left > JUDGE_ROUND_MS)
			left = JUDGE_ROUND_MS;
		if (left <= 0)
			return -2;
	}
	snprintf(hconf, sizeof(hconf), "%s/sshd_config", s->dir);
	*conf = hconf;
	r = runprog(hd, (int)left, output);
	return r >= 0 ? r : errno == ETIMEDOUT ? -4 : -2;
}

static int
scratch_write(struct scratch *s, const struct sbuf *flat)
{
	char path[128];

	if (!s->made) {
		if (tmpdir_make(s->dir, "validate") == -1) {
			err_set("cannot validate: %s", err_get());
			return -1;
		}
		s->made = 1;
	}
	snprintf(path, sizeof(path), "%s/sshd_config", s->dir);
	if (unlink(path) == -1 && errno != ENOENT)
		return -1;
	if (write_tmp(path, flat->s ? flat->s : "", flat->len) == -1) {
		err_set("cannot validate: %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void
scratch_remove(struct scratch *s)
{
	if (s->made)
		tmpdir_remove(s->dir);
	s->made = 0;
}

/*
 * One round: flatten with F's masks, run the judge. *OUT: what sshd said;
 * returns its exit status, or -1 (flatten failed), -2 (cannot run), -4
 * (no answer in time).
 */
static int
round_once(struct flat *f, const struct judge *j, struct scratch *s,
    const char **conf, char **out)
{
	struct sbuf flat = { 0 };
	int r;

	f->out = &flat;
	if (flatten(f) == -1) {
		sbuf_free(&flat);
		return -1;
	}
	r = scratch_write(s, &flat) == -1 ? -2 :
	    run_sshd_t(f->t, j, s, conf, out);
	sbuf_free(&flat);
	return r;
}

/* Notices sshd prints for a line it then goes on to accept. */
static int
notice_only(const char *msg)
{
	return strncmp(msg, "Deprecated option", 17) == 0 ||
	    strncmp(msg, "Unsupported option", 18) == 0;
}

static int
known_error(const struct cfg_error *v, size_t n, const char *path,
    size_t line)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].line == line && strcmp(v[i].path, path) == 0)
			return 1;
	return 0;
}

/*
 * The errors in sshd's OUTPUT: every "CONF line N: ..." or "CONF: line
 * N: ..." that is not a notice, named in the target's terms. Returns how
 * many were new.
 */
static size_t
parse_errors(const char *output, const char *conf, const struct flat *f,
    struct cfg_error **v, size_t *n)
{
	const char *p = output, *nl, *q, *c, *le, *prev = NULL, *prevend = NULL;
	size_t added = 0, clen = strlen(conf);
	unsigned long ln;
	char *end;

	for (; *p != '\0'; p = *nl ? nl + 1 : nl) {
		struct cfg_error *e;
		const struct origin *o;

		nl = strchrnul(p, '\n');
		le = nl;	/* sshd ends its stderr lines with \r\n */
		while (le > p && le[-1] == '\r')
			le--;
		c = memmem(p, (size_t)(nl - p), conf, clen);
		if (c == NULL) {
			prev = p;
			prevend = le;
			continue;
		}
		q = c + clen;
		q += *q == ':';
		if (strncmp(q, " line ", 6) != 0)
			continue;
		ln = strtoul(q + 6, &end, 10);
		q = end + (*end == ':');
		q += *q == ' ';
		if (ln == 0 || ln > f->nmap || end > le || notice_only(q))
			continue;
		o = &f->map[ln - 1];
		if (known_error(*v, *n, o->path, o->line))
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		e = &(*v)[(*n)++];
		e->path = xstrdup(o->path);
		e->line = o->line;
		e->msg = xstrndup(q, (size_t)(le - q));
		e->logline = xasprintf("%.*s%s%s line %zu%.*s", (int)(c - p), p,
		    o->path, c[clen] == ':' ? ":" : "", o->line,
		    (int)(le - end), end);
		e->detail = prev ? xstrndup(prev, (size_t)(prevend - prev)) :
		    NULL;
		prev = NULL;
		added++;
	}
	return added;
}

void
cfg_errors_free(struct cfg_error *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].msg);
		free(v[i].logline);
		free(v[i].detail);
	}
	free(v);
}

#define JUDGE_ROUNDS	16

int
judge_errors(struct target *t, const struct judge *j, struct cfg_error **errs,
    size_t *n)
{
	struct scratch s;
	struct flat f;
	const char *conf = NULL;
	char *out;
	int r = 0, round;

	scratch_init(&s);
	*errs = NULL;
	*n = 0;
	for (round = 0; round < JUDGE_ROUNDS; round++) {
		memset(&f, 0, sizeof(f));
		f.t = t;
		f.mask = *errs;
		f.nmask = *n;
		out = NULL;
		r = round_once(&f, j, &s, &conf, &out);
		if (r >= 0 && out != NULL &&
		    parse_errors(out, conf, &f, errs, n) > 0)
			r = 0;
		else {
			/* What an earlier round found stands when sshd, those
			 * lines masked, stops on an error without a line. */
			if (judged_nothing(r, out))
				r = *n > 0 ? 1 : j->kind == JUDGE_TARGET ? -3 :
				    -2;
			round = JUDGE_ROUNDS;
		}
		free(out);
		flat_free(&f);
	}
	scratch_remove(&s);
	if (r == 1)
		return 1;	/* err_get(): judged_nothing()'s message */
	if (r < 0) {
		cfg_errors_free(*errs, *n);
		*errs = NULL;
		*n = 0;
		return r == -1 ? -2 : r;
	}
	return 0;
}

int
validate_config(struct target *t, const struct edited_file *ed, size_t ned)
{
	struct flat f = { .t = t, .ed = ed, .ned = ned };
	struct scratch s;
	struct judge j;
	struct cfg_error *e = NULL;
	const char *conf = NULL;
	char *out = NULL;
	size_t n = 0;
	int r;

	scratch_init(&s);
	judge_pick(t, &j);
	if (j.kind == JUDGE_TABLE) {
		err_set("cannot validate the edited sshd_config: %s not found "
		    "(install openssh-server)", SSHD_PATH);
		judge_free(&j);
		return -2;
	}
	r = round_once(&f, &j, &s, &conf, &out);
	if (r > 0 && out != NULL)
		parse_errors(out, conf, &f, &e, &n);
	if (j.kind == JUDGE_TARGET && n == 0 && judged_nothing(r, out)) {
		judge_fall_back(t, &j, err_get());
		free(out);
		out = NULL;
		flat_free(&f);
		memset(&f, 0, sizeof(f));
		f.t = t;
		f.ed = ed;
		f.ned = ned;
		r = j.kind == JUDGE_TABLE ? -2 :
		    round_once(&f, &j, &s, &conf, &out);
		if (r > 0 && out != NULL)
			parse_errors(out, conf, &f, &e, &n);
	}
	/* Errors sshd reaches only after parsing (no /run/sshd) pass. */
	if (n > 0) {
		err_set("sshd -t rejects the edited configuration: %s",
		    e[0].logline);
		r = -1;
	} else if (judged_nothing(r, out))
		r = -2;
	else if (r > 0)
		r = 0;
	cfg_errors_free(e, n);
	free(out);
	flat_free(&f);
	scratch_remove(&s);
	judge_free(&j);
	return r < -1 ? -2 : r;
}
