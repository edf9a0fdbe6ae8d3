/*
 * config-invalid: sshd refuses to start because its configuration does
 * not parse. The judge is a real sshd (the target's own, chrooted, else
 * the host's: see judge.h); sshd -t stops at the first fatal error, so
 * the judge asks again with each rejected line masked until it finds no
 * more. Only when no sshd can run here does sshfix's keyword table judge,
 * and says so. A clean verdict is cached: a healthy root spawns nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fixes/fault.h"
#include "target/judge.h"
#include "target/validate.h"
#include "target/release.h"
#include "util.h"

#define BOM	"\357\273\277"

static const char *const criteria[] = { "all", "user", "group", "host",
    "localaddress", "localport", "rdomain", "address" };

static void
add_table_error(struct target *t, struct cfg_error **v, size_t *n,
    size_t file, size_t line, const char *msg)
{
	struct cfg_error *e;

	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	e = &(*v)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(t->cfg.files[file].path);
	e->line = line + 1;
	e->msg = xstrdup(msg);
	e->logline = xasprintf("%s line %zu: %s", e->path, e->line, msg);
}

static int
known_criterion(const char *c)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(criteria); i++)
		if (strcasecmp(c, criteria[i]) == 0)
			return 1;
	return 0;
}

/* What sshfix can tell without sshd: unknown keywords, Match criteria. */
static void
table_errors(struct target *t, struct cfg_error **v, size_t *n)
{
	const struct cfg *c = &t->cfg;
	char *m;
	size_t i;

	for (i = 0; i < c->nents; i++) {
		if (c->ents[i].kw != KW_UNKNOWN)
			continue;
		m = xasprintf("Bad configuration option: %s",
		    c->ents[i].keyword);
		add_table_error(t, v, n, c->ents[i].file, c->ents[i].line, m);
		free(m);
	}
	for (i = 0; i < c->nmatches; i++)
		if (c->matches[i]->argc == 0 ||
		    !known_criterion(c->matches[i]->argv[0]))
			add_table_error(t, v, n, c->matches[i]->file,
			    c->matches[i]->line, "Bad Match condition");
}

/* Lists where 10.x refuses any mention of ssh-dss but "-ssh-dss". */
static const char *const alg_lists[] = { "pubkeyacceptedalgorithms",
    "pubkeyacceptedkeytypes", "hostkeyalgorithms",
    "hostbasedacceptedalgorithms", "hostbasedacceptedkeytypes",
    "casignaturealgorithms" };

static int
names_dss(int argc, char **argv)
{
	const char *p;

	if (argc < 1 || argv[0][0] == '-')
		return 0;
	for (p = argv[0]; (p = strstr(p, "ssh-dss")) != NULL; p += 7)
		if ((p == argv[0] || strchr("+^,", p[-1]) != NULL) &&
		    (p[7] == '\0' || p[7] == ','))
			return 1;
	return 0;
}

static int
is_alg_list(const char *kw)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(alg_lists); i++)
		if (strcasecmp(kw, alg_lists[i]) == 0)
			return 1;
	return 0;
}

static int
has_error(const struct cfg_error *v, size_t n, const char *path,
    size_t line)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].line == line + 1 && strcmp(v[i].path, path) == 0)
			return 1;
	return 0;
}

/*
 * What the target's release refuses and a newer judge accepts: keywords
 * it does not know yet, ssh-dss in a list on 10.x (release.c's table).
 * Every line of every file, Include lines too (they are no entries).
 */
static void
release_errors(struct target *t, const struct cfg_error *seen, size_t nseen,
    struct cfg_error **v, size_t *n)
{
	const struct cfg *c = &t->cfg;
	const struct release_kw *k;
	size_t f, i;
	char *kw, **argv, *m;
	int argc;

	for (f = 0; f < c->nfiles; f++)
		for (i = 0; i < c->files[f].nlines; i++) {
			if (has_error(seen, nseen, c->files[f].path, i) ||
			    cfg_split_line(c->files[f].data +
			    c->files[f].lines[i].off, c->files[f].lines[i].len,
			    &kw, &argc, &argv) == -1 || kw == NULL)
				continue;
			m = NULL;
			if ((k = release_keyword(kw)) != NULL &&
			    release_has(t, k->rule) == TRI_NO)
				m = xasprintf("Bad configuration option: %s", kw);
			else if (is_alg_list(kw) && names_dss(argc, argv) &&
			    release_has(t, REL_DSA_IN_LIST_FATAL) == TRI_YES)
				m = xasprintf("Bad key types '%s'.", argv[0]);
			if (m != NULL)
				add_table_error(t, v, n, f, i, m);
			free(m);
			free(kw);
			cfg_free_argv(argc, argv);
		}
}

/* The release table's verdict, beside J's: who judged, and why. */
static void
release_judge(struct target *t, const struct judge *j, struct judge *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = JUDGE_TABLE;
	r->desc = release_judge_desc(t);
	if (j->kind == JUDGE_TARGET)
		r->note = xasprintf("%s judged a copy with every Include "
		    "expanded", j->desc);
	else
		r->note = xasprintf("%s judged the rest, not the target's "
		    "own sshd%s%s", j->desc, j->note ? ": " : "",
		    j->note ? j->note : "");
}

static size_t
file_index(const struct cfg *c, const char *path)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].path, path) == 0)
			return i;
	return (size_t)-1;
}

static void
report(struct target *t, struct plan *p, const struct judge *j,
    const struct cfg_error *e)
{
	char *where = xasprintf("%s:%zu", e->path, e->line);
	struct finding *f = plan_add_finding(p, &fault_config_invalid,
	    SEV_ERROR, where);

	finding_set_message(f, "sshd refuses to start: %s line %zu: %s%s%s",
	    e->path, e->line, e->msg, e->detail ? " / " : "",
	    e->detail ? e->detail : "");
	finding_set_logline(f, "%s", e->logline);
	finding_add_evidence(f, "config", "%s", where);
	if (e->detail != NULL)
		finding_add_evidence(f, "sshd", "%s", e->detail);
	finding_add_evidence(f, "judge", "%s", j->desc);
	if (j->note != NULL)
		finding_add_evidence(f, "note", "%s", j->note);
	f->path = xstrdup(e->path);
	f->kind = (int)e->line - 1;
	(void)t;
	free(where);
}

/* Report what the release table finds beyond J's errors V. */
static void
by_release(struct target *t, struct plan *p, const struct judge *j,
    const struct cfg_error *v, size_t n)
{
	struct cfg_error *w = NULL;
	struct judge r;
	size_t i, m = 0;

	release_errors(t, v, n, &w, &m);
	if (m > 0) {
		release_judge(t, j, &r);
		for (i = 0; i < m; i++)
			report(t, p, &r, &w[i]);
		judge_free(&r);
	}
	cfg_errors_free(w, m);
}

/*
 * A judge that never answered (killed at its deadline) judged nothing:
 * an sshd that hangs at sshd -t hangs at its start too, or it is not
 * sshd at all. Not a clean bill: the diagnosis is incomplete.
 */
static void
no_answer(struct target *t, const struct judge *j)
{
	char *why = xasprintf("it gave no answer to sshd -t and was killed "
	    "(%s): cannot tell whether sshd accepts its configuration",
	    err_get());

	unread_note_why(&t->unread, j->kind == JUDGE_TARGET ? SSHD_PATH :
	    "the host's " SSHD_PATH, why);
	free(why);
}

/*
 * The errors sshd gave a line for stand; with those lines masked it
 * stopped on one it gives none for (err_get()): said as a note, for the
 * rest of the configuration was not judged past it.
 */
static int
rest_unjudged(struct target *t, const struct judge *j)
{
	target_note(t, "with the lines below masked, %s stopped on an error "
	    "it names no line for (%s); the configuration past it is not "
	    "judged: fix those lines and run sshfix again", j->desc,
	    err_get());
	return 0;
}

static int
detect(struct target *t, struct plan *p)
{
	struct cfg_error *v = NULL;
	struct judge j;
	size_t n = 0, i;
	int r;

	if (t->cfg.missing)
		return 0;
	judge_pick(t, &j);
	if (j.kind != JUDGE_TABLE && judge_cache_hit(t, &j)) {
		by_release(t, p, &j, NULL, 0);
		judge_free(&j);
		return 0;
	}
	r = j.kind == JUDGE_TABLE ? -2 : judge_errors(t, &j, &v, &n);
	if (r == -4)
		no_answer(t, &j);
	if (r == -3 || (r == -4 && j.kind == JUDGE_TARGET)) {
		judge_fall_back(t, &j, err_get());
		r = j.kind == JUDGE_TABLE ? -2 : judge_errors(t, &j, &v, &n);
		if (r == -4)
			no_answer(t, &j);
	}
	if (r == 1)
		r = rest_unjudged(t, &j);
	if (r == -4)
		r = -2;
	if (r == -2 && j.kind != JUDGE_TABLE) {
		char *why = xasprintf("sshd -t failed: %s", err_get());

		judge_free(&j);
		j.kind = JUDGE_TABLE;
		j.desc = xstrdup("sshfix's keyword table (OpenSSH 9.2)");
		j.note = why;
	}
	if (j.kind == JUDGE_TABLE)
		table_errors(t, &v, &n);
	else if (n == 0 && t->overlay == NULL)	/* a candidate is not
						   installed: keep no verdict */
		judge_cache_store(t, &j);
	for (i = 0; i < n; i++)
		report(t, p, &j, &v[i]);
	by_release(t, p, &j, v, n);
	cfg_errors_free(v, n);
	judge_free(&j);
	return 0;
}

/* Is a line of PATH already edited by some finding of the plan? */
static int
line_planned(const struct plan *p, const char *path, size_t line)
{
	size_t i, k;

	for (i = 0; i < p->n; i++)
		for (k = 0; k < p->f[i].nact; k++)
			if (p->f[i].act[k].type == ACT_EDIT_LINE &&
			    p->f[i].act[k].line == line &&
			    strcmp(p->f[i].act[k].path, path) == 0)
				return 1;
	return 0;
}

static void
comment_line(struct target *t, struct plan *p, struct finding *f,
    size_t file, size_t line)
{
	const char *path = t->cfg.files[file].path;
	char *old, *new;

	if (line_planned(p, path, line))
		return;
	old = cfg_line_text(&t->cfg, file, line);
	new = xasprintf("#%s", old);
	plan_add_edit(f, path, line, old, new, 0);
	free(old);
	free(new);
}

/* Keyword of a line ("" for blank and comment lines); free it. */
static char *
line_keyword(struct target *t, size_t file, size_t line)
{
	const struct cfg_file *cf = &t->cfg.files[file];
	char *kw, **argv;
	int argc;

	if (cfg_split_line(cf->data + cf->lines[line].off,
	    cf->lines[line].len, &kw, &argc, &argv) == -1 || kw == NULL)
		kw = xstrdup("");
	cfg_free_argv(argc, argv);
	return kw;
}

/* A bad Match: its line and every directive of its block, to its end. */
static void
disable_block(struct target *t, struct plan *p, struct finding *f,
    size_t file, size_t line)
{
	size_t i;
	char *kw;

	comment_line(t, p, f, file, line);
	for (i = line + 1; i < t->cfg.files[file].nlines; i++) {
		kw = line_keyword(t, file, i);
		if (strcasecmp(kw, "match") == 0) {
			free(kw);
			break;
		}
		if (*kw != '\0')
			comment_line(t, p, f, file, i);
		free(kw);
	}
}

/*
 * A keyword the target's release knows by an older name: rename it
 * (PubkeyAcceptedAlgorithms -> PubkeyAcceptedKeyTypes before 8.5), the
 * rest of the line kept. 0 if it is not such a line.
 */
static int
rename_keyword(struct target *t, struct plan *p, struct finding *f,
    const char *old, const char *kw)
{
	const struct release_kw *k = release_keyword(kw);
	size_t ws = strspn(old, " \t"), n = strlen(kw);
	char *new;

	if (k == NULL || k->older == NULL ||
	    release_has(t, k->rule) != TRI_NO ||
	    strncasecmp(old + ws, kw, n) != 0)
		return 0;
	if (!line_planned(p, f->path, (size_t)f->kind)) {
		new = xasprintf("%.*s%s%s", (int)ws, old, k->older,
		    old + ws + n);
		plan_add_edit(f, f->path, (size_t)f->kind, old, new, 0);
		free(new);
	}
	return 1;
}

static void
plan(struct target *t, struct plan *p, struct finding *f)
{
	size_t file = file_index(&t->cfg, f->path), line = (size_t)f->kind;
	char *old, *kw;

	if (file == (size_t)-1 || line >= t->cfg.files[file].nlines) {
		plan_add_manual(f, "correct or remove %s line %zu", f->path,
		    line + 1);
		return;
	}
	old = cfg_line_text(&t->cfg, file, line);
	kw = line_keyword(t, file, line);
	if (line == 0 && strncmp(old, BOM, 3) == 0) {
		if (!line_planned(p, f->path, line))
			plan_add_edit(f, f->path, line, old, old + 3, 0);
	} else if (strcasecmp(kw, "match") == 0)
		disable_block(t, p, f, file, line);
	else if (!rename_keyword(t, p, f, old, kw))
		comment_line(t, p, f, file, line);
	if (strcasecmp(kw, "include") == 0 &&
	    release_has(t, REL_KW_INCLUDE) == TRI_NO)
		plan_add_manual(f, "%s has no Include: the files it named are "
		    "no longer read; copy the lines you need from them into %s",
		    release_text(t), f->path);
	free(kw);
	free(old);
}

const struct fault fault_config_invalid = {
	.id = "config-invalid",
	.summary = "sshd refuses to start: its configuration does not parse",
	.detect = detect,
	.plan = plan,
};
