/*
 * The boot's kernel command line as the shell that sources
 * /etc/default/grub (and Debian's grub.d) leaves it (target/bootcmd.h).
 */
#include "fixture.h"
#include "os/runprog.h"
#include "target/bootcmd.h"

/* The command line of a fixture root whose /etc/default/grub is GRUB
   (and grub.d/50.cfg DROPIN, when not NULL); unsure in *UNSURE. */
static char *
cmdline(struct fx *fx, const char *grub, const char *dropin, int *unsure)
{
	struct target t;
	struct bootcmd bc;
	char *r;

	fx_mkdir(fx, "/etc/default", 0755, 0, 0);
	fx_write(fx, "/etc/default/grub", grub, 0644, 0, 0);
	if (dropin != NULL) {
		fx_mkdir(fx, "/etc/default/grub.d", 0755, 0, 0);
		fx_write(fx, "/etc/default/grub.d/50.cfg", dropin, 0644, 0, 0);
	}
	assert_int_equal(target_open(&t, fx->root), 0);
	bootcmd_read(&t, &bc);
	target_close(&t);
	*unsure = bc.unsure;
	r = bc.words;
	return r;
}

static void
check(const char *grub, const char *dropin, const char *want, int unsure)
{
	struct fx fx;
	char *got;
	int u;

	fx_init(&fx);
	got = cmdline(&fx, grub, dropin, &u);
	assert_string_equal(got, want);
	assert_int_equal(u, unsure);
	free(got);
	fx_cleanup(&fx);
}

/* /etc/default/grub, a Debian drop-in (or NULL), the command line, and
   whether the reader is unsure. */
static const struct tcase {
	const char	*grub, *dropin, *want;
	int		 unsure;
} quotes[] = {
	{ "GRUB_CMDLINE_LINUX=\"quiet splash\"\n", NULL, "quiet splash", 0 },
	{ "GRUB_CMDLINE_LINUX='a $c'\n", NULL, "a $c", 0 },
	/* Quotes left inside: the kernel and GRUB take them their way. */
	{ "GRUB_CMDLINE_LINUX='a \"b\"'\n", NULL, "a \"b\"", 1 },
	/* Other variables, as Debian's own file sets them. */
	{ "GRUB_DEFAULT=0\nGRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null "
	    "|| echo Debian`\nGRUB_CMDLINE_LINUX=\"\"\n", NULL, "", 0 },
	{ "  export GRUB_CMDLINE_LINUX=x\n", NULL, "x", 0 },
	{ "GRUB_CMDLINE_LINUX=\"a\" # selinux=0\n", NULL, "a", 0 },
	{ "#GRUB_CMDLINE_LINUX=\"selinux=0\"\n", NULL, "", 0 },
	/* No final newline. */
	{ "GRUB_CMDLINE_LINUX=\"a\"", NULL, "a", 0 },
	/* Another variable that only begins the same (Xen's entries). */
	{ "GRUB_CMDLINE_LINUX_XEN_REPLACE=\"selinux=0\"\n", NULL, "", 0 },
}, order[] = {
	/* LINUX then DEFAULT, whatever the order of the lines. */
	{ "GRUB_CMDLINE_LINUX_DEFAULT=\"d\"\nGRUB_CMDLINE_LINUX=\"l\"\n",
	    NULL, "l d", 0 },
	/* A later assignment replaces; one naming the variable appends. */
	{ "GRUB_CMDLINE_LINUX=\"a\"\nGRUB_CMDLINE_LINUX=\"b\"\n", NULL,
	    "b", 0 },
	{ "GRUB_CMDLINE_LINUX=\"a\"\n",
	    "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX b\"\n", "a b", 0 },
	{ "GRUB_CMDLINE_LINUX=\"a\"\n",
	    "GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX} c\"\n", "a c", 0 },
	{ "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet lsm=yama\"\n",
	    "GRUB_CMDLINE_LINUX_DEFAULT=\"console=ttyS0\"\n", "console=ttyS0",
	    0 },
}, unsure[] = {
	{ "GRUB_CMDLINE_LINUX=\"$(cat /x)\"\n", NULL, "", 1 },
	{ "GRUB_CMDLINE_LINUX=\"`cat /x`\"\n", NULL, "", 1 },
	{ "GRUB_CMDLINE_LINUX=\"$OTHER\"\n", NULL, "", 1 },
	{ "GRUB_CMDLINE_LINUX=\"a \\\n b\"\n", NULL, "", 1 },
	{ "GRUB_CMDLINE_LINUX=\"a\n", NULL, "", 1 },
	{ ". /etc/default/other\nGRUB_CMDLINE_LINUX=a\n", NULL, "a", 1 },
	{ "GRUB_CMDLINE_LINUX=a b=c\n", NULL, "", 1 },
	{ "GRUB_CMDLINE_LINUX+=a\n", NULL, "", 1 },
	{ "GRUB_CMDLINE_LINUX=\"selinux=0 \"\nGRUB_CMDLINE_LINUX="
	    "\"$GRUB_CMDLINE_LINUXz\"\n", NULL, "selinux=0 ", 1 },
	{ "GRUB_CMDLINE_LINUX=\"selinux=0\";GRUB_CMDLINE_LINUX=\"\"\n",
	    NULL, "", 1 },
	{ "if false; then\nGRUB_CMDLINE_LINUX=\"selinux=0\"\nfi\n", NULL,
	    "selinux=0", 1 },
	{ "unset GRUB_CMDLINE_LINUX\n", NULL, "", 1 },
	/* The parts sshfix did follow are kept. */
	{ "GRUB_CMDLINE_LINUX=a\nGRUB_CMDLINE_LINUX_DEFAULT=\"$X\"\n", NULL,
	    "a", 1 },
};

static void
cases(const struct tcase *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		check(c[i].grub, c[i].dropin, c[i].want, c[i].unsure);
}

static void
test_quotes(void **state)
{
	(void)state;
	cases(quotes, ARRAY_LEN(quotes));
}

static void
test_order(void **state)
{
	(void)state;
	cases(order, ARRAY_LEN(order));
}

static void
test_unsure(void **state)
{
	(void)state;
	cases(unsure, ARRAY_LEN(unsure));
}

static void
test_files(void **state)
{
	struct fx fx;
	struct target t;
	struct bootcmd bc;
	char buf[16];

	(void)state;
	/* A symlink a user owns: not followed, unsure. */
	fx_init(&fx);
	fx_mkdir(&fx, "/etc/default", 0755, 0, 0);
	fx_write(&fx, "/srv-grub", "GRUB_CMDLINE_LINUX=\"selinux=0\"\n", 0644,
	    0, 0);
	fx_symlink(&fx, "/srv-grub", "/etc/default/grub", 1000);
	assert_int_equal(target_open(&t, fx.root), 0);
	bootcmd_read(&t, &bc);
	assert_int_equal(bc.unsure, 1);
	assert_non_null(strstr(bc.why, "symlink"));
	assert_null(bootcmd_last(&bc, "selinux", buf, sizeof(buf)));
	bootcmd_free(&bc);
	target_close(&t);
	fx_cleanup(&fx);

	/* Drop-ins are read on Debian, not on RHEL; the last word wins. */
	fx_init(&fx);
	fx_mkdir(&fx, "/etc/default", 0755, 0, 0);
	fx_mkdir(&fx, "/etc/default/grub.d", 0755, 0, 0);
	fx_write(&fx, "/etc/default/grub", "GRUB_CMDLINE_LINUX=\"selinux=0 "
	    "x=1\"\n", 0644, 0, 0);
	fx_write(&fx, "/etc/default/grub.d/9.cfg", "GRUB_CMDLINE_LINUX="
	    "\"$GRUB_CMDLINE_LINUX selinux=1\"\n", 0644, 0, 0);
	assert_int_equal(target_open(&t, fx.root), 0);
	bootcmd_read(&t, &bc);
	assert_int_equal(bc.unsure, 0);
	assert_string_equal(bootcmd_last(&bc, "selinux", buf, sizeof(buf)),
	    "1");
	assert_null(bootcmd_last(&bc, "x=", buf, sizeof(buf)));
	bootcmd_free(&bc);
	target_close(&t);
	fx_rhel(&fx);
	assert_int_equal(target_open(&t, fx.root), 0);
	bootcmd_read(&t, &bc);
	assert_string_equal(bc.words, "selinux=0 x=1");
	bootcmd_free(&bc);
	target_close(&t);
	fx_cleanup(&fx);
}

/*
 * Generated files judged by the shell update-grub sources them with:
 * lines of assignments to the two variables (plain, "export", indented,
 * with a comment or a CR after), other variables as Debian's file sets
 * them, comments and blank lines; values made of bare words, double
 * quotes (with $VAR and ${VAR} of the two) and single quotes (where $ is
 * plain); now and then a line bootcmd must not be sure of (odd[]: a
 * block, an operator, unset, another expansion, a substitution). Only
 * harmless commands are generated, so /bin/sh runs nothing else. Where
 * bootcmd is sure, its words are the shell's.
 */
static unsigned long long rng = 0x5eed5eedULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
gen_word(struct sbuf *b)
{
	static const char *const w[] = { "quiet", "selinux=0", "selinux=1",
	    "security=selinux", "lsm=yama,selinux", "ipv6.disable=1",
	    "console=ttyS0,115200", "a", "b=c", "-x" };

	sbuf_adds(b, w[rnd(ARRAY_LEN(w))]);
}

static void
gen_ref(struct sbuf *b)
{
	static const char *const r[] = { "$GRUB_CMDLINE_LINUX",
	    "${GRUB_CMDLINE_LINUX}", "$GRUB_CMDLINE_LINUX_DEFAULT",
	    "${GRUB_CMDLINE_LINUX_DEFAULT}" };

	sbuf_adds(b, r[rnd(ARRAY_LEN(r))]);
}

static void
gen_value(struct sbuf *b)
{
	unsigned i, n = rnd(3) + 1, k, j;

	for (i = 0; i < n; i++) {
		switch (rnd(3)) {
		case 0:		/* a bare word (no blank: sh would run it) */
			gen_word(b);
			break;
		case 1:
			sbuf_addc(b, '"');
			for (j = 0, k = rnd(4); j < k; j++) {
				if (j > 0)
					sbuf_adds(b, rnd(4) ? " " : "  ");
				if (rnd(3) == 0)
					gen_ref(b);
				else
					gen_word(b);
			}
			sbuf_addc(b, '"');
			break;
		default:
			sbuf_addc(b, '\'');
			for (j = 0, k = rnd(3); j < k; j++) {
				if (j > 0)
					sbuf_addc(b, ' ');
				if (rnd(4) == 0)
					sbuf_adds(b, "$x");
				else
					gen_word(b);
			}
			sbuf_addc(b, '\'');
			break;
		}
	}
}

/* Lines sh runs safely that bootcmd must not be sure of. */
static const char *const odd[] = {
	"if false; then\nGRUB_CMDLINE_LINUX=\"selinux=0\"\nfi\n",
	"GRUB_CMDLINE_LINUX=\"selinux=0\";GRUB_CMDLINE_LINUX=\"\"\n",
	"GRUB_CMDLINE_LINUX=\"selinux=0\" &\n",
	"unset GRUB_CMDLINE_LINUX\n",
	"GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUXa b\"\n",
	"GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX:-selinux=0}\"\n",
	"GRUB_CMDLINE_LINUX=\"`echo selinux=0`\"\n",
	": <<EOF\nGRUB_CMDLINE_LINUX=\"selinux=0\"\nEOF\n",
	"f() {\nGRUB_CMDLINE_LINUX=\"selinux=0\"\n}\n",
};

/* A file; *ODD: a line of odd[] is in it. */
static void
gen_file(struct sbuf *b, int *isodd)
{
	unsigned i, n = rnd(6) + 1;

	*isodd = 0;
	for (i = 0; i < n; i++) {
		switch (rnd(12)) {
		case 0:
			sbuf_adds(b, "# GRUB_CMDLINE_LINUX=\"selinux=0\"\n");
			continue;
		case 1:
			sbuf_adds(b, "\n");
			continue;
		case 2:
			sbuf_adds(b, "export ");
			break;
		case 3:
			sbuf_adds(b, "  ");
			break;
		case 4:
			sbuf_adds(b, rnd(2) ? "GRUB_TIMEOUT=5\n" :
			    "GRUB_DISTRIBUTOR=`echo Debian`\n");
			continue;
		case 5:
			if (rnd(3) == 0) {
				sbuf_adds(b, odd[rnd(ARRAY_LEN(odd))]);
				*isodd = 1;
				continue;
			}
			break;
		}
		sbuf_adds(b, rnd(2) ? "GRUB_CMDLINE_LINUX=" :
		    "GRUB_CMDLINE_LINUX_DEFAULT=");
		gen_value(b);
		sbuf_adds(b, rnd(4) == 0 ? " # selinux=0 x\n" :
		    rnd(8) == 0 ? "\r\n" : "\n");
	}
}

/* Split S at blanks into V (at most MAX words): the count. */
static size_t
words(char *s, char **v, size_t max)
{
	size_t n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(s, " \t\n\r\v\f", &save); w != NULL && n < max;
	    w = strtok_r(NULL, " \t\n\r\v\f", &save))
		v[n++] = w;
	return n;
}

static void
test_generated(void **state)
{
	char *const argv[] = { "/bin/sh", "-c", ". /dev/stdin; printf "
	    "'%s %s' \"$GRUB_CMDLINE_LINUX\" \"$GRUB_CMDLINE_LINUX_DEFAULT\"",
	    NULL };
	struct fx fx;
	struct target t;
	struct bootcmd bc;
	struct sbuf f = { 0 };
	char *out, *want[64], *got[64];
	size_t i, nw, ng, k, sure = 0, odd_seen = 0;
	int in, isodd;

	(void)state;
	fx_init(&fx);
	fx_mkdir(&fx, "/etc/default", 0755, 0, 0);
	for (i = 0; i < 400; i++) {
		gen_file(&f, &isodd);
		fx_write(&fx, "/etc/default/grub", f.s, 0644, 0, 0);
		assert_int_equal(target_open(&t, fx.root), 0);
		bootcmd_read(&t, &bc);
		target_close(&t);
		in = pipe_filled(f.s, f.len);
		assert_true(in >= 0);
		out = NULL;
		assert_int_equal(runprog_stdin(argv, in, 10000, &out), 0);
		close(in);
		if (isodd) {
			if (!bc.unsure)
				print_error("sure of:\n%s\n", f.s);
			assert_true(bc.unsure);
			odd_seen++;
		} else if (!bc.unsure) {
			sure++;
			nw = words(out, want, ARRAY_LEN(want));
			ng = words(bc.words, got, ARRAY_LEN(got));
			if (nw != ng)
				print_error("file:\n%s\nsh: %zu words, bootcmd: "
				    "%zu\n", f.s, nw, ng);
			assert_int_equal(nw, ng);
			for (k = 0; k < nw; k++)
				assert_string_equal(got[k], want[k]);
		}
		free(out);
		bootcmd_free(&bc);
		sbuf_free(&f);
	}
	/* Everything else the generator makes, bootcmd follows. */
	assert_true(odd_seen > 0);
	assert_int_equal(sure + odd_seen, 400);
	fx_cleanup(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_unsure),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_generated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
