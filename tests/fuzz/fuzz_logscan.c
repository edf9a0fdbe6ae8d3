/*
 * Log reader: the input is a temp root's /var/log/auth.log, then (after
 * "%%%" lines) /var/log/secure, the text of auth.log.1.gz (compressed
 * here) and the raw bytes of secure-20261115.gz, the rotations only when
 * the input has their parts; read by target_logs as
 * a diagnosis does (the mtimes are fixed: a traditional stamp takes its
 * year from its file's), judged by source-penalty, and attached to a
 * plan's findings by logs_attach. Every line kept is a copy of sshd's
 * message from one of the files read, in time order, in the window.
 */
#include <zlib.h>

#include "report/logevidence.h"
#include "target/load.h"
#include "fuzz.h"

#include "fixes/fault.h"
#include "target/logs/logscan.h"

#define NPARTS	4
/* 2026-11-22 12:00:00 UTC */
#define MTIME	1795348800

static const char *const dirs[] = { "etc", "etc/ssh", "var", "var/log",
    NULL };
static const char *const files[NPARTS] = { "var/log/auth.log",
    "var/log/secure", "var/log/auth.log.1.gz", "var/log/secure-20261115.gz" };
/* Each file's age at MTIME: the rotations are older. */
static const time_t age[NPARTS] = { 0, 0, 86400, 7 * 86400 };

/* Replace REL with DATA gzip'd. */
static void
put_gz(const char *rel, const void *data, size_t len)
{
	gzFile gz;
	int fd;

	if (unlinkat(fz_rootfd, rel, 0) == -1 && errno != ENOENT)
		fz_die(rel);
	fd = openat(fz_rootfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644);
	if (fd == -1 || (gz = gzdopen(fd, "wb")) == NULL)
		fz_die(rel);
	if ((len > 0 && gzwrite(gz, data, (unsigned)len) != (int)len) ||
	    gzclose(gz) != Z_OK)
		fz_die(rel);
}

static void
put_logs(const uint8_t *data, size_t size)
{
	const uint8_t *part[NPARTS];
	size_t len[NPARTS], n, i;
	struct timespec ts[2];

	n = fz_split(data, size, part, len, NPARTS);
	for (i = 0; i < NPARTS; i++) {
		/* A rotation only when the input has it: each .gz file
		   read costs gz_tail's buffer of 2 * LOG_TAIL. */
		if (i >= 2 && i >= n) {
			if (unlinkat(fz_rootfd, files[i], 0) == -1 &&
			    errno != ENOENT)
				fz_die(files[i]);
			continue;
		}
		if (i == 2)
			put_gz(files[i], part[i], len[i]);
		else
			fz_put(files[i], i < n ? part[i] : NULL, i < n ?
			    len[i] : 0, 0644);
		ts[0].tv_sec = ts[1].tv_sec = MTIME - age[i];
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		if (utimensat(fz_rootfd, files[i], ts, 0) == -1)
			fz_die(files[i]);
	}
}

/* Findings whose loglines are what sshd logs (fixes/), some with the
   placeholders and " / " of several lines. */
static void
plan_make(struct plan *p)
{
	static const struct {
		const struct fault *f;
		const char *ll;
	} v[] = {
		{ &fault_home_perms, "Authentication refused: bad ownership "
		    "or modes for directory /home/alice" },
		{ &fault_hostkey_perms, "Permissions 0777 for "
		    "'/etc/ssh/ssh_host_rsa_key' are too open." },
		{ &fault_max_auth_tries, "maximum authentication attempts "
		    "exceeded for USER from ADDR port N ssh2 [preauth]" },
		{ &fault_listen_address, "Bind to port 22 on 10.255.0.5 "
		    "failed: Cannot assign requested address. / Cannot bind "
		    "any address." },
		{ &fault_auth_methods, "Connection closed by authenticating "
		    "user alice ADDR port N [preauth]" },
		{ &fault_key_refused, "Failed publickey for alice from" },
	};
	struct finding *f;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		f = plan_add_finding(p, v[i].f, SEV_ERROR, "fuzz");
		finding_set_logline(f, "%s", v[i].ll);
	}
}

static void
logs_ok(const struct logset *ls, const uint8_t *data, size_t size)
{
	const struct logrec *r;
	size_t i, j;

	if (ls->nfiles > NPARTS)
		abort();
	for (i = 0; i < ls->n; i++) {
		r = &ls->v[i];
		for (j = 0; j < ls->nfiles && r->file != ls->files[j]; j++)
			;
		if (j == ls->nfiles || r->msg == NULL || r->journal ||
		    strchr(r->msg, '\n') != NULL ||
		    (i > 0 && r->when < ls->v[i - 1].when) ||
		    r->when < ls->v[ls->n - 1].when - LOG_WINDOW)
			abort();
		/* A copy of the input, but for what gzip'd input held. */
		if (strcmp(r->file, "/var/log/secure-20261115.gz") != 0 &&
		    memmem(data, size, r->msg, strlen(r->msg)) == NULL)
			abort();
	}
}

/* Evidence counts lines that were read; times in order. */
static void
evidence_ok(const struct plan *p, const struct logset *ls)
{
	const char *first = NULL, *last = NULL;
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->f[i].nev; j++) {
			if (strcmp(p->f[i].ev[j].key, "log_lines") == 0 &&
			    strtoul(p->f[i].ev[j].value, NULL, 10) > ls->n)
				abort();
			if (strcmp(p->f[i].ev[j].key, "log_first") == 0)
				first = p->f[i].ev[j].value;
			if (strcmp(p->f[i].ev[j].key, "log_last") == 0)
				last = p->f[i].ev[j].value;
		}
		/* "YYYY-MM-DDTHH:MM:SSZ" sorts as the time it names. */
		if (first != NULL && last != NULL && strlen(first) == 20 &&
		    strlen(last) == 20 && strcmp(first, last) > 0)
			abort();
		first = last = NULL;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p = { NULL, 0 };
	const struct logset *ls;
	struct target t;

	if (fz_rootfd == -1) {
		fz_root_init(dirs);
		fz_puts("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
		fz_puts("etc/ssh/sshd_config", "");
	}
	put_logs(data, size);
	if (target_open(&t, fz_root) == -1)
		abort();
	ls = target_logs(&t);
	logs_ok(ls, data, size);
	if (diagnose_one(&t, &fault_source_penalty, &p) == -1)
		abort();
	plan_make(&p);
	logs_attach(&t, &p);
	evidence_ok(&p, ls);
	plan_free(&p);
	target_close(&t);
	fz_fd_check();
	return 0;
}
