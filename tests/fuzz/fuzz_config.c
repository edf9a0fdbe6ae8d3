/*
 * sshd_config reader: the input is the main config of a temp root (and,
 * after a "%%%" line, a drop-in its Include can read), loaded by
 * target_open as a diagnosis does, then evaluated for every keyword,
 * globally and for one user; the main part is also parsed in memory.
 */
#include "target/load.h"
#include "fuzz.h"

#include "target/config/config.h"
#include "target/target.h"

static const char *const dirs[] = { "etc", "etc/ssh",
    "etc/ssh/sshd_config.d", NULL };

static void
evaluate(const struct cfg *c)
{
	static const char *groups[] = { "alice", "users", NULL };
	const struct match_ctx ctx = { .user = "alice", .groups = groups,
	    .addr = "10.1.2.3", .host = "10.1.2.3" };
	const struct cfg_entry **all, *maybe;
	size_t i, n;
	int k;

	for (k = 0; k < KW__COUNT; k++) {
		(void)cfg_flag(cfg_effective(c, (enum kw)k, NULL, &maybe), 1);
		(void)cfg_effective(c, (enum kw)k, &ctx, &maybe);
		n = cfg_collect(c, (enum kw)k, &ctx, &all);
		free(all);
	}
	for (i = 0; i < c->nmatches; i++) {
		free(cfg_match_text(c->matches[i]));
		(void)cfg_match_eval(c->matches[i], &ctx);
		(void)cfg_match_unknowable(c->matches[i], &ctx);
	}
	for (i = 0; i < c->nents; i++) {
		free(cfg_where(c, c->ents[i].file, c->ents[i].line));
		free(cfg_line_text(c, c->ents[i].file, c->ents[i].line));
	}
	(void)n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *part[2];
	size_t len[2], n;
	struct target t;
	struct cfg c;

	if (fz_rootfd == -1) {
		fz_root_init(dirs);
		fz_puts("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
		    "alice:x:1000:1000::/home/alice:/bin/sh\n");
		fz_puts("etc/group", "users:x:100:alice\n");
	}
	n = fz_split(data, size, part, len, 2);
	fz_put("etc/ssh/sshd_config", part[0], len[0], 0644);
	fz_put("etc/ssh/sshd_config.d/fuzz.conf", n > 1 ? part[1] : data,
	    n > 1 ? len[1] : 0, 0644);
	if (target_open(&t, fz_root) == 0) {
		evaluate(&t.cfg);
		target_close(&t);
	}
	if (cfg_load_buffer(&c, "/etc/ssh/sshd_config", (const char *)part[0],
	    len[0]) == 0)
		evaluate(&c);
	cfg_free(&c);
	fz_fd_check();
	return 0;
}
