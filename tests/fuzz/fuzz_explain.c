/*
 * --explain reader: the input is a client's ssh -v output, written to a
 * file of the temp root and read by explain_read as --explain FILE does,
 * then reported as text and as JSON, alone and combined with a server's
 * findings. Each case has its kind, words and the line that shows it (a
 * piece of the input); the text report is printable ASCII, the JSON one
 * well-formed UTF-8 without a raw control character.
 */
#include "fuzz.h"

#include "escape.h"
#include "report/explain.h"
#include "fixes/fault.h"

#define LOGFILE	"client.log"
/* Cases one log can show at most (explain_judge.c: the authentication
   ones, one of the connection's or the login that worked). */
#define CASES_MAX	6

static const char *const dirs[] = { NULL };
static char path[PATH_MAX];
static struct plan server;

static void
setup(void)
{
	static const struct fault *const f[] = { &fault_listen_address,
	    &fault_hostkey_missing, &fault_home_perms, &fault_auth_lockout,
	    &fault_max_auth_tries, &fault_source_penalty };
	struct finding *x;
	size_t i;

	fz_root_init(dirs);
	snprintf(path, sizeof(path), "%s/" LOGFILE, fz_root);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		x = plan_add_finding(&server, f[i], SEV_ERROR, "/home/alice");
		finding_set_message(x, "why sshd refuses it");
	}
}

/* S, if not NULL, is a piece of the input. */
static void
piece(const char *s, const uint8_t *data, size_t size)
{
	if (s != NULL && *s != '\0' && memmem(data, size, s, strlen(s)) ==
	    NULL)
		abort();
}

static void
log_ok(const struct client_log *cl, const uint8_t *data, size_t size)
{
	size_t i;

	if (cl->n > CASES_MAX)
		abort();
	for (i = 0; i < cl->n; i++) {
		if (cl->c[i].kind == NULL || cl->c[i].detail == NULL ||
		    cl->c[i].next == NULL || cl->c[i].line == NULL)
			abort();
		piece(cl->c[i].line, data, size);
	}
	piece(cl->version, data, size);
	piece(cl->host, data, size);
	piece(cl->addr, data, size);
	piece(cl->port, data, size);
	piece(cl->user, data, size);
}

/* Run REPORT into memory; TEXT: printable ASCII and newlines only. */
static void
report(const struct client_log *cl, const struct plan *p, int json)
{
	char *buf = NULL;
	unsigned char c;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		abort();
	if (json)
		explain_json(fp, cl, p ? "/mnt" : NULL, p);
	else
		explain_text(fp, cl, "/mnt", p);
	if (fclose(fp) != 0)
		abort();
	for (i = 0; i < len; i++)
		if (((c = (unsigned char)buf[i]) < ' ' && c != '\n') ||
		    (!json && c > '~'))
			abort();
	if (json && (memchr(buf, '\0', len) != NULL || !utf8_valid(buf)))
		abort();
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct client_log cl;

	if (fz_rootfd == -1)
		setup();
	fz_put(LOGFILE, data, size, 0644);
	if (explain_read(path, &cl) == -1)
		abort();
	log_ok(&cl, data, size);
	(void)explain_local(&cl);
	report(&cl, NULL, 0);
	report(&cl, NULL, 1);
	report(&cl, &server, 0);
	report(&cl, &server, 1);
	explain_free(&cl);
	fz_fd_check();
	return 0;
}
