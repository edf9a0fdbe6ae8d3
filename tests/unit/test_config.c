/* The sshd_config model: splitting, first-wins, Match, Include, CRLF. */
#include <sys/socket.h>

#include <malloc.h>
#include <netdb.h>

#include "target/config/match.h"
#include "target/load.h"
#include "fixture.h"
#include "target/config/addrmatch.h"
#include "target/config/config.h"
#include "target/validate.h"

static struct cfg
load(const char *text)
{
	struct cfg c;

	assert_int_equal(cfg_load_buffer(&c, "/etc/ssh/sshd_config", text,
	    strlen(text)), 0);
	return c;
}

static void
split_ok(const char *line, const char *kw, int argc, const char *a0,
    const char *a1)
{
	char *k, **v;
	int n;

	assert_int_equal(cfg_split_line(line, strlen(line), &k, &n, &v), 0);
	if (kw == NULL) {
		assert_null(k);
		return;
	}
	assert_string_equal(k, kw);
	assert_int_equal(n, argc);
	if (a0)
		assert_string_equal(v[0], a0);
	if (a1)
		assert_string_equal(v[1], a1);
	free(k);
	cfg_free_argv(n, v);
}

static void
test_split(void **state)
{
	(void)state;
	split_ok("Port 22", "Port", 1, "22", NULL);
	split_ok("Port=22", "Port", 1, "22", NULL);
	split_ok("Port = 22", "Port", 1, "22", NULL);
	split_ok("  \tPort\t22  \r\n", "Port", 1, "22", NULL);
	split_ok("AllowUsers \"a b\" c", "AllowUsers", 2, "a b", "c");
	split_ok("AllowUsers a # b c", "AllowUsers", 1, "a", NULL);
	split_ok("AllowUsers a#b", "AllowUsers", 1, "a#b", NULL);
	split_ok("Banner 'x y'", "Banner", 1, "x y", NULL);
	split_ok("PidFile /run/a\\ b", "PidFile", 1, "/run/a b", NULL);
	split_ok("# Port 22", NULL, 0, NULL, NULL);
	split_ok("   ", NULL, 0, NULL, NULL);
	split_ok("", NULL, 0, NULL, NULL);
	split_ok("UsePAM", "UsePAM", 0, NULL, NULL);
}

static void
test_split_bad_quotes(void **state)
{
	const char *l = "AllowUsers \"alice";
	char *k, **v;
	int n;

	(void)state;
	assert_int_equal(cfg_split_line(l, strlen(l), &k, &n, &v), -1);
	assert_null(k);
}

static void
test_first_wins_and_case(void **state)
{
	struct cfg c = load("passwordauthentication NO\n"
	    "PasswordAuthentication yes\n");
	const struct cfg_entry *e = cfg_effective(&c, KW_PASSWORDAUTH, NULL,
	    NULL);

	(void)state;
	assert_non_null(e);
	assert_int_equal(e->line, 0);
	assert_int_equal(cfg_flag(e, 1), 0);
	cfg_free(&c);
}

static void
test_default_when_absent(void **state)
{
	struct cfg c = load("Port 22\n");

	(void)state;
	assert_null(cfg_effective(&c, KW_PASSWORDAUTH, NULL, NULL));
	assert_int_equal(cfg_flag(NULL, 1), 1);
	cfg_free(&c);
}

static void
test_match_user(void **state)
{
	struct cfg c = load("PasswordAuthentication no\n"
	    "Match User alice,carol\n"
	    "\tPasswordAuthentication yes\n"
	    "\tPasswordAuthentication no\n"
	    "Match all\n"
	    "PermitRootLogin no\n");
	struct match_ctx alice = { .user = "alice" }, bob = { .user = "bob" };
	const struct cfg_entry *e;

	(void)state;
	e = cfg_effective(&c, KW_PASSWORDAUTH, &alice, NULL);
	assert_int_equal(e->line, 2);
	assert_int_equal(cfg_flag(e, 0), 1);
	e = cfg_effective(&c, KW_PASSWORDAUTH, &bob, NULL);
	assert_int_equal(e->line, 0);
	/* After "Match all", sshd reads lines as global ones at start... */
	e = cfg_effective(&c, KW_PERMITROOTLOGIN, NULL, NULL);
	assert_non_null(e);
	assert_int_equal(e->line, 5);
	assert_true(e->match != NULL && e->match->all_global);
	cfg_free(&c);
}

/*
 * ...and as a block for every connection: its values replace the global
 * ones (sshd -T -C user=bob: passwordauthentication yes), while at start
 * the first global value stands (the differential test's seed 999).
 */
static void
test_match_all_replaces(void **state)
{
	struct cfg c = load("PasswordAuthentication no\n"
	    "Match all\n"
	    "PasswordAuthentication yes\n");
	struct match_ctx bob = { .user = "bob" };
	const struct cfg_entry *e;

	(void)state;
	e = cfg_effective(&c, KW_PASSWORDAUTH, &bob, NULL);
	assert_int_equal(e->line, 2);
	assert_int_equal(cfg_flag(e, 0), 1);
	e = cfg_effective(&c, KW_PASSWORDAUTH, NULL, NULL);
	assert_int_equal(e->line, 0);
	cfg_free(&c);
}

static void
test_match_group_and_negation(void **state)
{
	struct cfg c = load("PubkeyAuthentication yes\n"
	    "Match Group admins User *,!bob\n"
	    "PubkeyAuthentication no\n"
	    "Match User !alice\n"
	    "PasswordAuthentication no\n");
	const char *ag[] = { "alice", "admins", NULL };
	const char *bg[] = { "bob", "admins", NULL };
	struct match_ctx alice = { .user = "alice", .groups = ag };
	struct match_ctx bob = { .user = "bob", .groups = bg };

	(void)state;
	assert_int_equal(cfg_effective(&c, KW_PUBKEYAUTH, &alice, NULL)->line,
	    2);
	assert_int_equal(cfg_effective(&c, KW_PUBKEYAUTH, &bob, NULL)->line,
	    0);
	/* A list of only negations never matches. */
	assert_null(cfg_effective(&c, KW_PASSWORDAUTH, &bob, NULL));
	assert_null(cfg_effective(&c, KW_PASSWORDAUTH, &alice, NULL));
	cfg_free(&c);
}

static void
test_match_maybe(void **state)
{
	struct cfg c = load("PasswordAuthentication no\n"
	    "Match Address 10.0.0.0/8\n"
	    "PasswordAuthentication yes\n");
	struct match_ctx alice = { .user = "alice" };
	const struct cfg_entry *maybe, *e;

	(void)state;
	e = cfg_effective(&c, KW_PASSWORDAUTH, &alice, &maybe);
	assert_int_equal(e->line, 0);
	assert_non_null(maybe);
	assert_int_equal(maybe->line, 2);
	assert_true(cfg_match_unknowable(c.matches[0], NULL));
	cfg_free(&c);
	c = load("Match User a Group b\nPort 1\n");
	assert_false(cfg_match_unknowable(c.matches[0], NULL));
	cfg_free(&c);
}

static void
test_lists_replace(void **state)
{
	struct cfg c = load("AllowUsers a b\nAllowUsers c\n"
	    "Match User alice\nAllowUsers alice\n");
	struct match_ctx alice = { .user = "alice" }, bob = { .user = "bob" };
	const struct cfg_entry **l;

	(void)state;
	assert_int_equal(cfg_collect(&c, KW_ALLOWUSERS, &bob, &l), 2);
	free(l);
	assert_int_equal(cfg_collect(&c, KW_ALLOWUSERS, &alice, &l), 1);
	assert_string_equal(l[0]->argv[0], "alice");
	free(l);
	cfg_free(&c);
}

static void
test_crlf_and_lines_kept(void **state)
{
	const char *text = "# comment\r\nPasswordAuthentication no\r\n"
	    "Port 22";
	struct cfg c = load(text);
	const struct cfg_entry *e = cfg_effective(&c, KW_PASSWORDAUTH, NULL,
	    NULL);
	char *l;

	(void)state;
	assert_string_equal(e->argv[0], "no");
	assert_int_equal(c.files[0].nlines, 3);
	assert_int_equal(c.files[0].size, strlen(text));
	assert_memory_equal(c.files[0].data, text, strlen(text));
	l = cfg_line_text(&c, 0, 1);
	assert_string_equal(l, "PasswordAuthentication no");
	free(l);
	l = cfg_where(&c, 0, 1);
	assert_string_equal(l, "/etc/ssh/sshd_config:2");
	free(l);
	cfg_free(&c);
}

static void
test_bom_breaks_line_one(void **state)
{
	struct cfg c = load("\xef\xbb\xbfPasswordAuthentication no\n");

	(void)state;
	assert_int_equal(c.ents[0].kw, KW_UNKNOWN);
	cfg_free(&c);
}

static void
test_garbage_refused(void **state)
{
	struct cfg c;
	char big[CFG_MAX_LINE + 16];

	(void)state;
	assert_int_equal(cfg_load_buffer(&c, "/x", "Port 22\n\0\1\2", 11), -1);
	assert_non_null(strstr(err_get(), "/x line 2"));
	cfg_free(&c);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(cfg_load_buffer(&c, "/x", big, strlen(big)), -1);
	cfg_free(&c);
}

static void
test_keyword_table(void **state)
{
	size_t n, i;
	const struct kw_info *k = kw_table(&n);

	(void)state;
	for (i = 1; i < n; i++)
		assert_true(strcasecmp(k[i - 1].name, k[i].name) < 0);
	for (i = 0; i < n; i++)
		assert_ptr_equal(kw_lookup(k[i].name), &k[i]);
	assert_int_equal(kw_lookup("PASSWORDAUTHENTICATION")->kw,
	    KW_PASSWORDAUTH);
	assert_null(kw_lookup("PasswordAuth"));
}

static void
test_patterns(void **state)
{
	(void)state;
	assert_int_equal(match_pattern_list("alice", "bob,al*", 0), 1);
	assert_int_equal(match_pattern_list("alice", "bob,!al*", 0), -1);
	assert_int_equal(match_pattern_list("alice", "!bob", 0), 0);
	assert_int_equal(match_pattern_list("alice", "al?ce", 0), 1);
	assert_int_equal(match_pattern_list("alice", "ALICE", 0), 0);
	assert_int_equal(match_pattern_list("ALICE", "alice", 1), 1);
}

/* sshd's addrmatch.c and match.c semantics for client addresses. */
static void
test_addrmatch(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(addr_match_list("10.1.2.3", "10.0.0.0/8"), 1);
	assert_int_equal(addr_match_list("11.1.2.3", "10.0.0.0/8"), 0);
	assert_int_equal(addr_match_list("10.1.2.3", "10.0.0.0/8,!10.1.0.0/16"),
	    -1);
	assert_int_equal(addr_match_list("10.1.2.3", "!10.1.0.0/16,10.0.0.0/8"),
	    -1);
	assert_int_equal(addr_match_list("10.9.2.3", "!10.1.0.0/16,10.0.0.0/8"),
	    1);
	/* Host bits set, a mask too long, an empty word: invalid. */
	assert_int_equal(addr_match_list("10.1.2.3", "10.0.0.1/8"), -2);
	assert_int_equal(addr_match_list("10.1.2.3", "10.0.0.0/33"), -2);
	assert_int_equal(addr_match_list("10.1.2.3", "10.0.0.0/8,"), -2);
	assert_int_equal(addr_match_list(NULL, "10.0.0.0/8"), 0);
	/* Wildcards where a word is not an address. */
	assert_int_equal(addr_match_list("192.168.4.7", "192.168.*"), 1);
	assert_int_equal(addr_match_list("2001:db8::5", "2001:db8::/32"), 1);
	assert_int_equal(addr_match_list("2001:db9::5", "2001:db8::/32"), 0);
	assert_int_equal(addr_match_list("10.1.2.3", "::/0"), 0);
	assert_int_equal(addr_match_list("not-an-address", "*"), 0);
	/* user@host words: split at the last '@', host or address. */
	assert_int_equal(match_user("alice", "10.0.0.5", "10.0.0.5",
	    "alice@10.0.0.0/24"), 1);
	assert_int_equal(match_user("alice", "10.0.1.5", "10.0.1.5",
	    "alice@10.0.0.0/24"), 0);
	assert_int_equal(match_user("alice", "10.0.1.5", "10.0.1.5",
	    "al*"), 1);
	assert_int_equal(match_user("bob", "10.0.0.5", "10.0.0.5",
	    "alice@10.0.0.0/24"), 0);
	assert_int_equal(match_user("alice", "gw.example", "10.0.0.5",
	    "alice@GW.example"), 0);
	assert_int_equal(match_user("alice", "gw.example", "10.0.0.5",
	    "alice@gw.*"), 1);
	assert_int_equal(match_user("alice", "10.0.0.5", "10.0.0.5",
	    "alice@10.0.0.1/24"), -1);
	assert_int_equal(match_host_and_ip("10.0.0.5", "10.0.0.5",
	    "*,!10.0.0.5"), 0);
	/* --from is kept as sshd prints the client. */
	assert_int_equal(addr_canonical("::ffff:10.1.2.3", buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, "10.1.2.3");
	assert_int_equal(addr_canonical("127.1", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "127.0.0.1");
	assert_int_equal(addr_canonical("2001:DB8::1", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2001:db8::1");
	assert_int_equal(addr_canonical("host.example", buf, sizeof(buf)), -1);
	assert_int_equal(addr_canonical("10.0.0.0/8", buf, sizeof(buf)), -1);
}

/* What sshd's getaddrinfo + getnameinfo make of S (NULL: no address). */
static int
glibc_canonical(const char *s, char *out, size_t outlen)
{
	struct addrinfo hints, *ai;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(s, NULL, &hints, &ai) != 0)
		return -1;
	r = getnameinfo(ai->ai_addr, ai->ai_addrlen, out, (socklen_t)outlen,
	    NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(ai);
	return r == 0 ? 0 : -1;
}

/*
 * addrmatch parses without getaddrinfo (no NSS in the static build): it
 * must accept and name exactly what glibc's numeric getaddrinfo does.
 */
static void
test_addr_parse_as_glibc(void **state)
{
	static const char *cases[] = {
	    "127.1", "10.1.2.3", "0x7f.1", "017.0.0.1", "4294967295",
	    "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\tx", "1.2.3.4x", "1.2.3", "",
	    "256.1.1.1", "1.2.3.4.5", "::", "::1", "2001:DB8::1",
	    "2001:db8:0:0:0:0:0:1", "::ffff:10.1.2.3", "::10.1.2.3",
	    "fe80::1%lo", "fe80::1%1", "fe80::1%nonexistent0", "fe80::1%",
	    "fe80::1%4294967295", "fe80::1%4294967296", "ff02::1%lo",
	    "ff01::1%lo", "2001:db8::1%3", "2001:db8::1%lo", "2001:db8::1%3x",
	    "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:255.255.255.255",
	    "0000:0000:0000:0000:0000:ffff:255.255.255.255",
	    "00000000000000000000000000000000000000000000000000000000000127.1",
	    "host.example", "10.0.0.0/8", "1.2.3.4%lo",
	};
	char want[NI_MAXHOST], got[NI_MAXHOST];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = glibc_canonical(cases[i], want, sizeof(want));
		if (r == 0 && strncmp(want, "::ffff:", 7) == 0 &&
		    strchr(want, '.') != NULL)
			memmove(want, want + 7, strlen(want + 7) + 1);
		print_message("# %s -> %s\n", cases[i], r == 0 ? want : "-");
		assert_int_equal(addr_canonical(cases[i], got, sizeof(got)), r);
		if (r == 0)
			assert_string_equal(got, want);
	}
	assert_int_equal(addr_canonical("fe80::1%lo", got, 10), -1);
}

/* Match Address and Host are judged once the client address is known. */
static void
test_match_address(void **state)
{
	struct cfg c;
	const char *text =
	    "PasswordAuthentication no\n"
	    "Match Address 10.0.0.0/8,!10.9.0.0/16 User alice\n"
	    "PasswordAuthentication yes\n"
	    "Match Host 192.168.*\n"
	    "PubkeyAuthentication no\n";
	struct match_ctx unknown = { .user = "alice" };
	struct match_ctx in = { .user = "alice", .addr = "10.1.1.1",
	    .host = "10.1.1.1" };
	struct match_ctx neg = { .user = "alice", .addr = "10.9.1.1",
	    .host = "10.9.1.1" };
	struct match_ctx bob = { .user = "bob", .addr = "10.1.1.1",
	    .host = "10.1.1.1" };
	struct match_ctx lan = { .user = "bob", .addr = "192.168.1.1",
	    .host = "192.168.1.1" };
	struct match_ctx nodns = { .user = "bob", .addr = "192.168.1.1" };
	const struct cfg_entry *e, *maybe;

	(void)state;
	assert_int_equal(cfg_load_buffer(&c, "/etc/ssh/sshd_config", text,
	    strlen(text)), 0);
	e = cfg_effective(&c, KW_PASSWORDAUTH, &unknown, &maybe);
	assert_string_equal(e->argv[0], "no");
	assert_non_null(maybe);
	assert_true(cfg_match_unknowable(c.matches[0], &unknown));
	assert_false(cfg_match_unknowable(c.matches[0], &in));
	e = cfg_effective(&c, KW_PASSWORDAUTH, &in, &maybe);
	assert_string_equal(e->argv[0], "yes");
	assert_null(maybe);
	e = cfg_effective(&c, KW_PASSWORDAUTH, &neg, NULL);
	assert_string_equal(e->argv[0], "no");
	e = cfg_effective(&c, KW_PASSWORDAUTH, &bob, NULL);
	assert_string_equal(e->argv[0], "no");
	assert_non_null(cfg_effective(&c, KW_PUBKEYAUTH, &lan, NULL));
	assert_null(cfg_effective(&c, KW_PUBKEYAUTH, &bob, NULL));
	/* Without the host name (UseDNS yes), Host stays unknowable. */
	assert_null(cfg_effective(&c, KW_PUBKEYAUTH, &nodns, &maybe));
	assert_non_null(maybe);
	assert_true(cfg_match_unknowable(c.matches[1], &nodns));
	cfg_free(&c);
}

/*
 * Every Match criterion sshd supports (servconf.c match_cfg_line of
 * 10.0), judged where it can be known: NONE knows only the account, SRV
 * also the server side. CHECK_U: cfg_match_unknowable agrees (a
 * malformed criterion is MAYBE without being "unknowable").
 */
static void
test_match_criteria(void **state)
{
	static const struct match_ctx none = { .user = "alice" };
	static const struct match_ctx srv = { .user = "alice", .lport = 2222,
	    .laddr = "10.0.0.5", .rdomain = "", .version = "OpenSSH_10.0p2" };
	static const struct {
		const char	*line;
		enum tri	 none, srv;
		int		 check_u;
	} cases[] = {
		{ "Match invalid-user", TRI_NO, TRI_NO, 1 },
		{ "Match User=alice", TRI_YES, TRI_YES, 1 },
		{ "Match user=bob", TRI_NO, TRI_NO, 1 },
		{ "Match USER=alice Group=wheel", TRI_NO, TRI_NO, 1 },
		{ "Match LocalPort 2222", TRI_MAYBE, TRI_YES, 1 },
		{ "Match LocalPort=22", TRI_MAYBE, TRI_NO, 1 },
		{ "Match LocalPort 0x8ae", TRI_MAYBE, TRI_MAYBE, 0 },
		{ "Match LocalAddress 10.0.0.0/24", TRI_MAYBE, TRI_YES, 1 },
		{ "Match LocalAddress=192.168.0.1", TRI_MAYBE, TRI_NO, 1 },
		{ "Match RDomain vrf-blue", TRI_MAYBE, TRI_NO, 1 },
		{ "Match RDomain *", TRI_MAYBE, TRI_YES, 1 },
		{ "Match Version OpenSSH_10.*", TRI_MAYBE, TRI_YES, 1 },
		{ "Match version=OpenSSH_9.*", TRI_MAYBE, TRI_NO, 1 },
		{ "Match User alice LocalPort 22", TRI_MAYBE, TRI_NO, 1 },
		{ "Match Address=10.0.0.0/8", TRI_MAYBE, TRI_MAYBE, 1 },
		{ "Match user=", TRI_MAYBE, TRI_MAYBE, 0 },
		{ "Match LocalPort", TRI_MAYBE, TRI_MAYBE, 1 },
		{ "Match Bogus=x", TRI_MAYBE, TRI_MAYBE, 1 },
	};
	struct cfg c;
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		text = xasprintf("%s\nPasswordAuthentication no\n",
		    cases[i].line);
		c = load(text);
		print_message("%s\n", cases[i].line);
		assert_int_equal(cfg_match_eval(c.matches[0], &none),
		    cases[i].none);
		assert_int_equal(cfg_match_eval(c.matches[0], &srv),
		    cases[i].srv);
		if (cases[i].check_u)
			assert_int_equal(cfg_match_unknowable(c.matches[0],
			    &srv), cases[i].srv == TRI_MAYBE);
		cfg_free(&c);
		free(text);
	}
}

/* The server side a Match can know, read from the target's config. */
static void
test_match_server(void **state)
{
	static const struct {
		const char	*conf;
		int		 lport;
		const char	*laddr;
		int		 rdomain;
	} cases[] = {
		{ "Port 2222\nMatch LocalPort 22 LocalAddress 1.2.3.4 "
		    "RDomain x\n", 2222, NULL, 1 },
		{ "ListenAddress 10.0.0.5:2200\nMatch LocalPort 22 "
		    "LocalAddress 10.0.0.5\n", 2200, "10.0.0.5", 0 },
		{ "Port 22\nPort 2222\nMatch LocalPort 22\n", 0, NULL, 0 },
		{ "ListenAddress 10.0.0.5\nListenAddress 10.0.0.6\n"
		    "Match LocalAddress 10.0.0.5\n", 22, NULL, 0 },
		{ "ListenAddress ::1\nMatch LocalAddress ::1\n", 22, "::1", 0 },
		{ "RDomain vrf0\nMatch RDomain x\n", 0, NULL, 0 },
		{ "ListenAddress 10.0.0.5 rdomain v\nMatch RDomain x\n", 0,
		    NULL, 0 },
		/* Nothing asks: nothing is computed. */
		{ "Port 2222\n", 0, NULL, 0 },
	};
	struct fx fx;
	struct target t;
	struct match_ctx ctx = { .user = "alice" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		fx_init(&fx);
		fx_write(&fx, "/etc/ssh/sshd_config", cases[i].conf, 0644, 0,
		    0);
		print_message("%s\n", cases[i].conf);
		assert_int_equal(target_open(&t, fx.root), 0);
		target_ctx_from(&t, &ctx, NULL);
		assert_int_equal(ctx.lport, cases[i].lport);
		if (cases[i].laddr == NULL)
			assert_null(ctx.laddr);
		else
			assert_string_equal(ctx.laddr, cases[i].laddr);
		assert_int_equal(ctx.rdomain != NULL, cases[i].rdomain);
		if (cases[i].rdomain)
			assert_string_equal(ctx.rdomain, "");
		target_close(&t);
		fx_cleanup(&fx);
	}
}

/* Include on disk: bytewise order, relative paths, Match scoping. */
static void
test_include(void **state)
{
	struct fx fx;
	struct target t;
	struct match_ctx alice = { .user = "alice" };
	const struct cfg_entry *e;
	const struct cfg_entry **l;
	size_t n;

	(void)state;
	fx_init(&fx);
	fx_write(&fx, "/etc/ssh/sshd_config",
	    "Include sshd_config.d/*.conf\n"
	    "Include /etc/ssh/nothing-here/*.conf\n"
	    "Match User alice\n"
	    "Include /etc/ssh/alice.inc\n"
	    "PubkeyAuthentication no\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/sshd_config.d/Z.conf", "Port 3\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/sshd_config.d/10-b.conf", "Port 1\n"
	    "Match User bob\nPasswordAuthentication no\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/sshd_config.d/2-a.conf", "Port 2\n"
	    "PasswordAuthentication yes\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/sshd_config.d/a.conf", "Port 4\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/alice.inc", "PermitRootLogin no\n", 0644, 0,
	    0);
	assert_int_equal(target_open(&t, fx.root), 0);
	n = cfg_collect(&t.cfg, KW_PORT, NULL, &l);
	assert_int_equal(n, 4);
	assert_string_equal(l[0]->argv[0], "1");
	assert_string_equal(l[1]->argv[0], "2");
	assert_string_equal(l[2]->argv[0], "3");
	assert_string_equal(l[3]->argv[0], "4");
	free(l);
	/* The Match in 10-b.conf ended with its file. */
	e = cfg_effective(&t.cfg, KW_PASSWORDAUTH, NULL, NULL);
	assert_string_equal(t.cfg.files[e->file].path,
	    "/etc/ssh/sshd_config.d/2-a.conf");
	/* Lines included inside a Match block are conditional. */
	assert_null(cfg_effective(&t.cfg, KW_PERMITROOTLOGIN, NULL, NULL));
	e = cfg_effective(&t.cfg, KW_PERMITROOTLOGIN, &alice, NULL);
	assert_non_null(e);
	assert_string_equal(t.cfg.files[e->file].path, "/etc/ssh/alice.inc");
	/* ... and the Match around the Include goes on after it. */
	e = cfg_effective(&t.cfg, KW_PUBKEYAUTH, &alice, NULL);
	assert_non_null(e);
	assert_null(cfg_effective(&t.cfg, KW_PUBKEYAUTH, NULL, NULL));
	target_close(&t);
	fx_cleanup(&fx);
}

/* An overlay (--preflight): bytes read instead of a file, or a new file. */
static int
has_file(const struct cfg *c, const char *path)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].path, path) == 0)
			return 1;
	return 0;
}

static void
overlay_ports(struct fx *fx, const char *path, const char *data,
    const char *want)
{
	struct cfg_overlay ov = { path, data, strlen(data) };
	struct target t;
	const struct cfg_entry **l;
	struct sbuf got = { 0 };
	size_t n, i;

	assert_int_equal(target_open_overlay(&t, fx->root, &ov), 0);
	n = cfg_collect(&t.cfg, KW_PORT, NULL, &l);
	for (i = 0; i < n; i++)
		sbuf_addf(&got, "%s%s", i ? " " : "", l[i]->argv[0]);
	free(l);
	assert_string_equal(got.s ? got.s : "", want);
	sbuf_free(&got);
	target_close(&t);
}

static void
test_overlay(void **state)
{
	struct fx fx;
	struct target t;
	struct cfg_overlay ov = { "/etc/ssh/sshd_config.d/5-new.conf",
	    "Port 9\n", 7 };

	(void)state;
	fx_init(&fx);
	fx_write(&fx, "/etc/ssh/sshd_config",
	    "Include sshd_config.d/*.conf\nPort 1\n", 0644, 0, 0);
	fx_write(&fx, "/etc/ssh/sshd_config.d/2-a.conf", "Port 2\n", 0644,
	    0, 0);
	fx_write(&fx, "/etc/ssh/sshd_config.d/7-b.conf", "Port 7\n", 0644,
	    0, 0);
	/* A new drop-in takes its place in the glob's bytewise order. */
	overlay_ports(&fx, ov.path, ov.data, "2 9 7 1");
	/* An existing one is replaced, the main file too. */
	overlay_ports(&fx, "/etc/ssh/sshd_config.d/7-b.conf", "Port 8\n",
	    "2 8 1");
	overlay_ports(&fx, "/etc/ssh/sshd_config", "Port 5\n", "5");
	/* Names the glob would not pick up are not read. */
	overlay_ports(&fx, "/etc/ssh/sshd_config.d/5-new.txt", "Port 9\n",
	    "2 7 1");
	overlay_ports(&fx, "/etc/ssh/sshd_config.d/.5.conf", "Port 9\n",
	    "2 7 1");
	overlay_ports(&fx, "/etc/ssh/sshd_config.d/x/5.conf", "Port 9\n",
	    "2 7 1");
	/* Nothing on disk changed, and without the overlay it is gone. */
	assert_int_equal(target_open_overlay(&t, fx.root, &ov), 0);
	assert_true(has_file(&t.cfg, ov.path));
	target_close(&t);
	assert_int_equal(target_open(&t, fx.root), 0);
	assert_false(has_file(&t.cfg, ov.path));
	target_close(&t);
	fx_cleanup(&fx);
}

static void
test_include_loop(void **state)
{
	struct fx fx;
	struct target t;

	(void)state;
	fx_init(&fx);
	fx_write(&fx, "/etc/ssh/sshd_config.d/x.conf",
	    "Include sshd_config.d/x.conf\n", 0644, 0, 0);
	assert_int_equal(target_open(&t, fx.root), -1);
	assert_non_null(strstr(err_get(), "Include nested more than 16"));
	fx_cleanup(&fx);
}

/*
 * Includes within CFG_MAX_FILES in all (budget.h): 4 files a level, each
 * including the next level by a glob, 6 levels (4,096 reads from 24
 * files). The model stops at the budget and the diagnosis is incomplete,
 * in one line; the copy for sshd -t stops there too, and says so.
 */
static void
test_include_budget(void **state)
{
	char dir[64], file[80], text[64];
	struct sbuf flat = { 0 };
	struct target t;
	struct fx fx;
	int i, j;

	(void)state;
	fx_init(&fx);
	fx_write(&fx, "/etc/ssh/sshd_config", "Include /etc/ssh/b1/*\n",
	    0644, 0, 0);
	for (i = 1; i <= 6; i++) {
		snprintf(dir, sizeof(dir), "/etc/ssh/b%d", i);
		fx_mkdir(&fx, dir, 0755, 0, 0);
		snprintf(text, sizeof(text), i < 6 ? "Include /etc/ssh/b%d/*\n" :
		    "X11Forwarding no\n", i + 1);
		for (j = 1; j <= 4; j++) {
			snprintf(file, sizeof(file), "%s/%d", dir, j);
			fx_write(&fx, file, text, 0644, 0, 0);
		}
	}
	assert_int_equal(target_open(&t, fx.root), 0);
	assert_int_equal(t.cfg.nfiles, CFG_MAX_FILES);
	assert_true(t.cfg.partial);
	assert_true(target_incomplete(&t));
	assert_string_equal(t.unread.v[0].path,
	    "/etc/ssh/sshd_config and its Includes");
	assert_non_null(strstr(t.unread.v[0].why, "more than 256 files"));
	assert_int_equal(validate_flatten(&t, NULL, 0, &flat), -1);
	assert_non_null(strstr(err_get(), "(sshfix's budget): cannot be "
	    "checked"));
	sbuf_free(&flat);
	target_close(&t);
	fx_cleanup(&fx);
}

/*
 * A config that fails to load (bad quotes, an Include loop) leaves
 * nothing allocated: the heap in use is the same after each failed
 * target_open (and LeakSanitizer finds nothing under SANITIZE=1). glibc
 * counts chunks in its thread cache as in use, so main runs this test
 * with that cache off.
 */
static void
test_failed_load_frees(void **state)
{
	static const char *bad[] = { "Port 22\nBanner \"/etc/issue\n",
	    "Include x.conf\n" };
	struct fx fx;
	struct target t;
	size_t before = 0, i;
	int k;

	(void)state;
	fx_init(&fx);
	fx_write(&fx, "/etc/ssh/x.conf", "Include x.conf\n", 0644, 0, 0);
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		fx_write(&fx, "/etc/ssh/sshd_config", bad[i], 0644, 0, 0);
		for (k = 0; k < 4; k++) {
			assert_int_equal(target_open(&t, fx.root), -1);
			if (i == 0 && k == 0)
				before = mallinfo2().uordblks;
		}
		assert_int_equal(mallinfo2().uordblks, before);
	}
	fx_cleanup(&fx);
}

/* An absolute Include resolves inside the root, never on the host. */
static void
test_include_stays_in_root(void **state)
{
	struct fx fx;
	struct target t;

	(void)state;
	fx_init(&fx);
	fx_write(&fx, "/etc/ssh/sshd_config", "Include /etc/passwd\n", 0644,
	    0, 0);
	fx_write(&fx, "/etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644, 0,
	    0);
	assert_int_equal(target_open(&t, fx.root), 0);
	assert_int_equal(t.cfg.nfiles, 2);
	assert_string_equal(t.cfg.files[1].path, "/etc/passwd");
	assert_int_equal(t.cfg.files[1].nlines, 1);
	target_close(&t);
	fx_cleanup(&fx);
}

#define NO_TCACHE "glibc.malloc.tcache_count=0"

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_bad_quotes),
		cmocka_unit_test(test_first_wins_and_case),
		cmocka_unit_test(test_default_when_absent),
		cmocka_unit_test(test_match_user),
		cmocka_unit_test(test_match_all_replaces),
		cmocka_unit_test(test_match_group_and_negation),
		cmocka_unit_test(test_match_maybe),
		cmocka_unit_test(test_lists_replace),
		cmocka_unit_test(test_crlf_and_lines_kept),
		cmocka_unit_test(test_bom_breaks_line_one),
		cmocka_unit_test(test_garbage_refused),
		cmocka_unit_test(test_keyword_table),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_addrmatch),
		cmocka_unit_test(test_addr_parse_as_glibc),
		cmocka_unit_test(test_match_address),
		cmocka_unit_test(test_match_criteria),
		cmocka_unit_test(test_match_server),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_include_loop),
		cmocka_unit_test(test_include_budget),
		cmocka_unit_test(test_failed_load_frees),
		cmocka_unit_test(test_include_stays_in_root),
	};

	const char *tun = getenv("GLIBC_TUNABLES");

	(void)argc;
	if (tun == NULL || strstr(tun, NO_TCACHE) == NULL) {
		char *v = tun ? xasprintf("%s:%s", tun, NO_TCACHE) :
		    xstrdup(NO_TCACHE);

		if (setenv("GLIBC_TUNABLES", v, 1) == -1 ||
		    execv("/proc/self/exe", argv) == -1)
			return 1;
	}

	return cmocka_run_group_tests(tests, NULL, NULL);
}
