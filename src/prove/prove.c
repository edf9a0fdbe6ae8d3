/*
 * Proof by the real sshd (prove.h). Two processes below sshfix: A
 * unshares network, mount and pid namespaces and forks B, the init of
 * the new pid namespace; both die with their parent (PR_SET_PDEATHSIG),
 * and when B dies the kernel kills all it started. B brings up loopback,
 * gives sshd a privilege separation directory if the system has none
 * (a private tmpfs /run), starts the installed sshd on 127.0.0.1 and a
 * port of its own, runs the installed ssh client once per (account, key),
 * stops sshd by its pid, and writes what each said to a pipe. sshfix
 * reads the pipe within PROVE_TOTAL_MS and kills A at the deadline.
 *
 * What B writes, one record after another: "C I LEN\n" and LEN bytes (the
 * client's output for try I), "L I LEN\n" and LEN bytes (sshd's log lines
 * of try I), "E 0 LEN\n" and LEN bytes (why nothing could be tried).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "os/runprog.h"
#include "os/sandbox.h"
#include "os/tmpdir.h"
#include "prove/prove.h"
#include "prove/rescue.h"
#include "target/keys/keyparse.h"
#include "target/net/listen.h"
#include "target/release.h"
#include "target/validate.h"
#include "util.h"

#define SSH_PATH	"/usr/bin/ssh"
#define PRIVSEP_RUN	"/run/sshd"
#define LOG_MAX		(64 * 1024)	/* sshd's lines kept per try */
#define SAYS_MAX	3		/* of them, reported */

struct ctx {
	char	 dir[TMPDIR_MAX];
	int	 port;
	int	 out;		/* B: the pipe to sshfix */
	struct proof *pf;
	char	**keyfile;	/* per try: the key's file, or NULL */
	struct rescue *rescue;	/* --root: the disk's files, or NULL */
};

static long
left(long end)
{
	long l = end - mono_ms();

	return l < 0 ? 0 : l;
}

/* B: one record. */
static void
record(int fd, char kind, size_t i, const char *s, size_t len)
{
	char head[64];
	int n = snprintf(head, sizeof(head), "%c %zu %zu\n", kind, i, len);

	if (write(fd, head, (size_t)n) != n || (len > 0 &&
	    write(fd, s, len) != (ssize_t)len))
		_exit(1);
}

/* B: loopback up (a new network namespace has it down). */
static int
loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -1;

	if (s == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return r;
}

/* B: does 127.0.0.1:PORT accept a connection? */
static int
port_open(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (s == -1)
		return 0;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = connect(s, (struct sockaddr *)&sin, sizeof(sin));
	close(s);
	return r == 0;
}

/* B: the log's bytes from *OFF on (at most LOG_MAX), *OFF moved on. */
static char *
log_since(const char *path, off_t *off, size_t *len)
{
	char *buf = xmalloc(LOG_MAX + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n = 0;

	*len = 0;
	if (fd != -1) {
		n = pread(fd, buf, LOG_MAX, *off);
		close(fd);
	}
	if (n > 0) {
		*len = (size_t)n;
		*off += n;
	}
	buf[*len] = '\0';
	return buf;
}

/* B: start sshd with its output into DIR/sshd.log; its pid, or -1. */
static pid_t
sshd_start(struct ctx *c, const char *logpath)
{
	char listen[64], pidfile[TMPDIR_MAX + 32], hostkey[TMPDIR_MAX + 32];
	char *argv[20];
	posix_spawn_file_actions_t fa;
	size_t n = 0;
	pid_t pid;
	int r;

	snprintf(listen, sizeof(listen), "ListenAddress=127.0.0.1:%d",
	    c->port);
	snprintf(pidfile, sizeof(pidfile), "PidFile=%s/sshd.pid", c->dir);
	snprintf(hostkey, sizeof(hostkey), "%s/hostkey", c->dir);
	argv[n++] = SSHD_PATH;
	argv[n++] = "-D";
	argv[n++] = "-e";
	argv[n++] = "-h";
	argv[n++] = hostkey;
	argv[n++] = "-o";
	argv[n++] = listen;
	argv[n++] = "-o";
	argv[n++] = pidfile;
	argv[n++] = "-o";
	argv[n++] = "LogLevel=VERBOSE";
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, logpath,
	    O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	r = posix_spawn(&pid, argv[0], &fa, NULL, argv, prog_env);
	posix_spawn_file_actions_destroy(&fa);
	return r == 0 ? pid : -1;
}

static void
sshd_stop(pid_t pid)
{
	long end = mono_ms() + 2000;
	int st;

	kill(pid, SIGTERM);
	while (waitpid(pid, &st, WNOHANG) == 0 && left(end) > 0) {
		struct timespec ts = { 0, 20 * 1000000L };

		nanosleep(&ts, NULL);
	}
	if (waitpid(pid, &st, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
}

/* B: one try with the client; its output. */
static char *
client_try(const struct ctx *c, size_t i)
{
	const struct proof_try *tr = &c->pf->v[i];
	char port[16], id[TMPDIR_MAX + 32], bind[32], *out = NULL;
	char *argv[40];
	size_t n = 0;

	snprintf(port, sizeof(port), "%d", c->port);
	argv[n++] = SSH_PATH;
	argv[n++] = "-v";
	argv[n++] = "-F";
	argv[n++] = "/dev/null";
	argv[n++] = "-o";
	argv[n++] = "BatchMode=yes";
	argv[n++] = "-o";
	argv[n++] = "StrictHostKeyChecking=no";
	argv[n++] = "-o";
	argv[n++] = "UserKnownHostsFile=/dev/null";
	argv[n++] = "-o";
	argv[n++] = "GlobalKnownHostsFile=/dev/null";
	argv[n++] = "-o";
	argv[n++] = "ConnectTimeout=5";
	argv[n++] = "-o";
	argv[n++] = "ConnectionAttempts=1";
	argv[n++] = "-o";
	argv[n++] = "IdentitiesOnly=yes";
	argv[n++] = "-o";
	if (c->keyfile[i] != NULL) {
		argv[n++] = "PreferredAuthentications=publickey";
		snprintf(id, sizeof(id), "IdentityFile=%s", c->keyfile[i]);
		argv[n++] = "-o";
		argv[n++] = id;
	} else {
		/* The "none" request alone: sshd lists its methods. */
		argv[n++] = "PreferredAuthentications=none";
		argv[n++] = "-o";
		argv[n++] = "IdentityFile=/dev/null";
	}
	/* Each try from an address of its own: sshd 9.8 and later
	 * penalise a source after failed logins (PerSourcePenalties), and
	 * every try ends unauthenticated. */
	snprintf(bind, sizeof(bind), "BindAddress=127.0.0.%zu", i + 2);
	argv[n++] = "-o";
	argv[n++] = bind;
	argv[n++] = "-p";
	argv[n++] = port;
	argv[n++] = "-l";
	argv[n++] = tr->user;
	argv[n++] = "127.0.0.1";
	argv[n++] = "true";
	argv[n] = NULL;
	if (runprog(argv, PROVE_TRY_MS, &out) == -1 && out == NULL)
		out = xasprintf("%s\n", err_get());
	return out != NULL ? out : xstrdup("");
}

/* B: everything; never returns. */
static void
prover(struct ctx *c)
{
	char logpath[TMPDIR_MAX + 16], *s;
	long end = mono_ms() + PROVE_TOTAL_MS;
	struct stat st;
	off_t off = 0;
	size_t i, len;
	pid_t sshd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    loopback_up() == -1) {
		s = xasprintf("private namespaces: %s", strerror(errno));
		record(c->out, 'E', 0, s, strlen(s));
		_exit(1);
	}
	if (c->rescue != NULL && rescue_mount(c->rescue) == -1) {
		s = xasprintf("mounting the disk's files: %s",
		    strerror(errno));
		record(c->out, 'E', 0, s, strlen(s));
		_exit(1);
	}
	/* sshd stopped: systemd has not made its directory (a rescue
	 * machine's /run is its own). */
	if ((c->rescue != NULL || (stat(PRIVSEP_RUN, &st) == -1 &&
	    errno == ENOENT)) && (mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV,
	    "mode=0755,size=1m") == -1 || mkdir(PRIVSEP_RUN, 0755) == -1)) {
		s = xasprintf("%s: %s", PRIVSEP_RUN, strerror(errno));
		record(c->out, 'E', 0, s, strlen(s));
		_exit(1);
	}
	snprintf(logpath, sizeof(logpath), "%s/sshd.log", c->dir);
	if ((sshd = sshd_start(c, logpath)) == -1) {
		s = xasprintf("%s: cannot run it", SSHD_PATH);
		record(c->out, 'E', 0, s, strlen(s));
		_exit(1);
	}
	while (!port_open(c->port) && left(end) > 0 &&
	    waitpid(sshd, NULL, WNOHANG) == 0) {
		struct timespec ts = { 0, 20 * 1000000L };

		nanosleep(&ts, NULL);
	}
	if (!port_open(c->port)) {
		sshd_stop(sshd);
		s = log_since(logpath, &off, &len);
		record(c->out, 'E', 0, s, len);
		_exit(1);
	}
	/* The probes' connections are not the tries'. */
	free(log_since(logpath, &off, &len));
	for (i = 0; i < c->pf->n && left(end) > PROVE_TRY_MS; i++) {
		if (c->pf->v[i].client_says != NULL)	/* not asked */
			continue;
		s = client_try(c, i);
		record(c->out, 'C', i, s, strlen(s));
		free(s);
		/* What sshd logged of this connection, once it is closed. */
		{
			struct timespec ts = { 0, 100 * 1000000L };

			nanosleep(&ts, NULL);
		}
		s = log_since(logpath, &off, &len);
		record(c->out, 'L', i, s, len);
		free(s);
	}
	sshd_stop(sshd);
	_exit(0);
}

/* A: the namespaces, then B; exits with B's status. */
static void
nsparent(struct ctx *c)
{
	pid_t b;
	int st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID) == -1) {
		char *s = xasprintf("private namespaces: %s",
		    strerror(errno));

		record(c->out, 'E', 0, s, strlen(s));
		_exit(1);
	}
	if ((b = fork()) == -1)
		_exit(1);
	if (b == 0)
		prover(c);
	close(c->out);
	while (waitpid(b, &st, 0) == -1 && errno == EINTR)
		;
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

/* A port for sshd that its configuration does not use. */
static int
free_port(struct target *t)
{
	struct listen *l;
	size_t n = listen_effective(&t->cfg, &l), i;
	int port = 48022, again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < n; i++)
			if (l[i].port == port) {
				port++;
				again = 1;
			}
	}
	free(l);
	return port;
}

/* The text after PREFIX on the first line that has it, to its end. */
static char *
line_after(const char *out, const char *prefix)
{
	const char *p = strstr(out, prefix), *e;

	if (p == NULL)
		return NULL;
	p += strlen(prefix);
	e = p + strcspn(p, "\r\n");
	return xstrndup(p, (size_t)(e - p));
}

/* The client's last line that is not debug output. */
static char *
last_line(const char *out)
{
	const char *p = out, *best = NULL, *e;
	size_t bl = 0;

	while (*p != '\0') {
		e = p + strcspn(p, "\r\n");
		if (e > p && strncmp(p, "debug", 5) != 0) {
			best = p;
			bl = (size_t)(e - p);
		}
		p = *e ? e + 1 : e;
	}
	return best ? xstrndup(best, bl) : xstrdup("no output");
}

static void
parse_client(struct proof *pf, struct proof_try *tr, const char *out)
{
	char *m, *v;

	if (pf->sshd == NULL &&
	    (v = line_after(out, "remote software version ")) != NULL)
		pf->sshd = v;
	tr->methods = line_after(out, "Authentications that can continue: ");
	if (tr->methods == NULL && (m = line_after(out,
	    "Permission denied (")) != NULL) {
		m[strcspn(m, ")")] = '\0';
		tr->methods = m;
	}
	if (tr->key != NULL)
		tr->accepted = strstr(out, "Server accepts key: ") != NULL ?
		    1 : tr->methods != NULL ? 0 : -1;
	else
		tr->accepted = tr->methods != NULL ? 0 : -1;
	if (tr->accepted == -1)
		tr->client_says = last_line(out);
}

/* sshd's lines that say why: the rest is each connection's routine. */
static int
routine(const char *l)
{
	static const char *const skip[] = { "Connection from ",
	    "Connection closed by ", "Disconnected from ",
	    "Received disconnect from ", "Postponed ", "Failed none ",
	    "Accepted key ", "Server listening ", "Connection reset by ",
	    "debug", "Close session",
	    /* a connection that sent no banner: the port probes' */
	    "kex_exchange_identification: " };
	size_t i;

	for (i = 0; i < ARRAY_LEN(skip); i++)
		if (strncmp(l, skip[i], strlen(skip[i])) == 0)
			return 1;
	return *l == '\0';
}

static void
parse_log(struct proof_try *tr, const char *log, size_t len)
{
	const char *p = log, *end = log + len, *e;
	size_t n = 0;

	while (p < end && n < SAYS_MAX) {
		e = memchr(p, '\n', (size_t)(end - p));
		if (e == NULL)
			e = end;
		{
			char *l = xstrndup(p, (size_t)(e - p));

			l[strcspn(l, "\r")] = '\0';
			if (routine(l))
				free(l);
			else {
				tr->sshd_says = xreallocarray(tr->sshd_says,
				    n + 2, sizeof(char *));
				tr->sshd_says[n++] = l;
				tr->sshd_says[n] = NULL;
			}
		}
		p = e + 1;
	}
}

/* Take the records in S apart into PF. */
static void
parse_records(struct proof *pf, const char *s, size_t len)
{
	size_t off = 0, i, n;
	char kind;
	int used;

	while (off < len && sscanf(s + off, "%c %zu %zu\n%n", &kind, &i, &n,
	    &used) == 3) {
		const char *body = s + off + (size_t)used;

		if ((size_t)used > len - off || n > len - off - (size_t)used)
			break;
		if (kind == 'E' && pf->error == NULL) {
			char *b = xstrndup(body, n);
			char *last = last_line(b);

			pf->error = xasprintf("sshd did not answer: %s", last);
			free(last);
			free(b);
		} else if (kind == 'C' && i < pf->n) {
			char *b = xstrndup(body, n);

			parse_client(pf, &pf->v[i], b);
			free(b);
		} else if (kind == 'L' && i < pf->n)
			parse_log(&pf->v[i], body, n);
		off += (size_t)used + n;
	}
}

/* "ED25519 SHA256:..." for a key line, as ssh -v shows it; or NULL. */
static char *
key_name(const char *line)
{
	char type[128], *b64, *fp, *r;
	const char *p = line;
	size_t tl, bl;

	p += strspn(p, " \t");
	tl = strcspn(p, " \t");
	if (tl == 0 || tl >= sizeof(type))
		return NULL;
	memcpy(type, p, tl);
	type[tl] = '\0';
	p += tl;
	p += strspn(p, " \t");
	bl = strcspn(p, " \t\r\n");
	b64 = xstrndup(p, bl);
	fp = pubkey_fingerprint(b64, bl);
	free(b64);
	if (fp == NULL)
		return NULL;
	r = xasprintf("%s %s", key_log_type(type), fp);
	free(fp);
	return r;
}

/* The tries: each account with each key, or with none. */
static void
plan_tries(struct target *t, struct proof *pf, char *const *keys,
    const char *const *users, char ***lines)
{
	size_t nu, nk = 0, u, k;

	for (nu = 0; users[nu] != NULL && nu < PROVE_USERS_MAX; nu++)
		;
	while (keys != NULL && keys[nk] != NULL && nk < PROVE_KEYS_MAX)
		nk++;
	pf->v = xcalloc(nu * (nk ? nk : 1) + 1, sizeof(*pf->v));
	*lines = xcalloc(nu * (nk ? nk : 1) + 1, sizeof(char *));
	for (u = 0; u < nu; u++)
		for (k = 0; k < (nk ? nk : 1); k++) {
			struct proof_try *tr = &pf->v[pf->n];

			tr->user = xstrdup(users[u]);
			tr->accepted = -1;
			if (pf->rescue && !rescue_home_ok(t, users[u]))
				tr->client_says = xstrdup("not asked: the "
				    "home is outside /home and /root, which "
				    "the proof mounts");
			if (nk > 0) {
				(*lines)[pf->n] = keys[k];
				tr->key = key_name(keys[k]);
				if (tr->key == NULL)
					tr->key = xstrdup("(a key line ssh "
					    "cannot read)");
			}
			pf->n++;
		}
}

/* Each key line into DIR/keyN (0600: the client reads it as its own). */
static int
write_keys(struct ctx *c, char **lines)
{
	size_t i;

	c->keyfile = xcalloc(c->pf->n + 1, sizeof(char *));
	for (i = 0; i < c->pf->n; i++) {
		int fd;
		size_t len;

		if (lines[i] == NULL)
			continue;
		c->keyfile[i] = xasprintf("%s/key%zu", c->dir, i);
		fd = open(c->keyfile[i], O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		len = strlen(lines[i]);
		if (fd == -1 || write(fd, lines[i], len) != (ssize_t)len ||
		    write(fd, "\n", 1) != 1) {
			err_set("%s: %s", c->keyfile[i], strerror(errno));
			if (fd != -1)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static int
make_hostkey(const struct ctx *c)
{
	char key[TMPDIR_MAX + 16];
	char *argv[] = { KEYGEN_PATH, "-q", "-t", "ed25519", "-N", "", "-C",
	    "sshfix-proof", "-f", key, NULL };
	int r;

	snprintf(key, sizeof(key), "%s/hostkey", c->dir);
	if ((r = runprog(argv, PROG_TIMEOUT_MS, NULL)) != 0) {
		if (r > 0)
			err_set("%s failed (exit %d)", KEYGEN_PATH, r);
		return -1;
	}
	return 0;
}

/* Fork A, read what B says, A reaped (killed at the deadline). */
static void
ask(struct ctx *c)
{
	struct sbuf s = { 0 };
	long end = mono_ms() + PROVE_TOTAL_MS + 5000;
	int p[2], st;
	pid_t a;

	if (pipe2(p, O_CLOEXEC) == -1) {
		c->pf->error = xasprintf("pipe: %s", strerror(errno));
		return;
	}
	fflush(NULL);
	if ((a = fork()) == -1) {
		c->pf->error = xasprintf("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (a == 0) {
		close(p[0]);
		c->out = p[1];
		nsparent(c);
	}
	close(p[1]);
	if (fd_drain(p[0], &s, end, (size_t)(PROVE_USERS_MAX *
	    PROVE_KEYS_MAX + 1) * 2 * LOG_MAX) == -1) {
		kill(a, SIGKILL);
		if (c->pf->error == NULL)
			c->pf->error = xasprintf("no answer within %d s; "
			    "stopped", (PROVE_TOTAL_MS + 5000) / 1000);
	}
	close(p[0]);
	while (waitpid(a, &st, 0) == -1 && errno == EINTR)
		;
	parse_records(c->pf, s.s ? s.s : "", s.len);
	sbuf_free(&s);
}

int
prove_run(struct target *t, char *const *keys, const char *const *users,
    struct proof *pf)
{
	struct ctx c = { .pf = pf };
	struct rescue rescue;
	char **lines = NULL;
	size_t i;

	memset(pf, 0, sizeof(*pf));
	pf->ran = 1;
	pf->rescue = !t->live;
	if (pf->rescue && release_text(t) != NULL)
		pf->disk_sshd = xstrdup(release_text(t));
	if (pf->rescue && (pf->error = rescue_refusal(t)) != NULL)
		return 0;
	if (users == NULL || users[0] == NULL) {
		pf->error = xstrdup("no account to ask about");
		return 0;
	}
	if (access(SSHD_PATH, X_OK) == -1 || access(SSH_PATH, X_OK) == -1) {
		pf->error = xasprintf("%s: %s", access(SSHD_PATH, X_OK) ?
		    SSHD_PATH : SSH_PATH, strerror(errno));
		return 0;
	}
	plan_tries(t, pf, keys, users, &lines);
	c.port = free_port(t);
	if (pf->rescue && rescue_open(t, &rescue) == -1) {
		pf->error = xasprintf("not asked: %s", err_get());
		free(lines);
		return 0;
	}
	if (pf->rescue)
		c.rescue = &rescue;
	if (tmpdir_make(c.dir, "prove") == -1) {
		pf->error = xstrdup(err_get());
		if (c.rescue != NULL)
			rescue_close(c.rescue);
		free(lines);
		return 0;
	}
	if (make_hostkey(&c) == -1 || write_keys(&c, lines) == -1)
		pf->error = xstrdup(err_get());
	else
		ask(&c);
	tmpdir_remove(c.dir);
	if (c.rescue != NULL)
		rescue_close(c.rescue);
	for (i = 0; c.keyfile != NULL && i < pf->n; i++)
		free(c.keyfile[i]);
	free(c.keyfile);
	free(lines);
	return 0;
}

int
proof_refuses(const struct proof *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++)
		if (pf->v[i].key != NULL && pf->v[i].accepted == 0)
			return 1;
	return 0;
}

void
proof_free(struct proof *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++) {
		free(pf->v[i].user);
		free(pf->v[i].key);
		free(pf->v[i].methods);
		free_strv(pf->v[i].sshd_says);
		free(pf->v[i].client_says);
	}
	free(pf->v);
	free(pf->error);
	free(pf->sshd);
	free(pf->disk_sshd);
	memset(pf, 0, sizeof(*pf));
}
