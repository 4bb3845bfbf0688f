// SPDX-License-Identifier: GPL-2.0
/*
 * compare: statistics against independently computed values, verdicts on
 * synthetic result sets, strict reading of damaged input, and snapshots
 * of the text and JSON reports.
 *
 * Reference values were computed once with SciPy 1.10.1 (Debian bookworm
 * python3-scipy): scipy.stats.ttest_ind(new, base, equal_var=False),
 * scipy.stats.t.interval(0.95, n - 1, mean, sd / sqrt(n)) and
 * scipy.stats.hmean.  Data set A is the first example of Welch's t-test on
 * Wikipedia (t = 2.46, df = 25.0, p = 0.021 there).
 */
#include <math.h>
#include <sys/stat.h>

#include "testutil.h"

#include "compare.h"
#include "stats.h"

static const double a1[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6,
			     23.1, 19.6, 19.0, 21.7, 21.4 };
static const double a2[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2,
			     21.9, 22.1, 22.9, 20.5, 24.4 };
static const double b1[] = { 17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8 };
static const double b2[] = { 21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8,
			     20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8 };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void summarize(const double *v, size_t n, struct summary *s)
{
	double *c = malloc(n * sizeof(*c));

	memcpy(c, v, n * sizeof(*c));
	stats_summarize(c, n, 0.05, s);
	free(c);
}

static void check_welch(const double *a, size_t na, const double *b, size_t nb,
			double t, double df, double p)
{
	struct summary sa, sb;
	struct welch w;

	summarize(a, na, &sa);
	summarize(b, nb, &sb);
	assert_int_equal(stats_welch(&sa, &sb, &w), 0);
	assert_float_equal(w.t, t, 1e-8);
	assert_float_equal(w.df, df, 1e-7);
	assert_float_equal(w.p, p, 1e-9);
}

static void test_welch_reference(void **state)
{
	check_welch(a1, N(a1), a2, N(a2), 2.455356398, 24.98852929, 0.02137800146);
	check_welch(b1, N(b1), b2, N(b2), 1.565433524, 9.904741249, 0.1488416966);
}

static void test_summary_reference(void **state)
{
	struct summary s;

	summarize(a1, N(a1), &s);
	assert_float_equal(s.mean, 20.82, 1e-9);
	assert_float_equal(s.sd, 2.804893683, 1e-8);
	assert_float_equal(s.median, 21, 1e-12);
	assert_float_equal(s.hmean, 20.48443569, 1e-7);
	assert_float_equal(s.ci_lo, 19.26670165, 1e-7);
	assert_float_equal(s.ci_hi, 22.37329835, 1e-7);
	summarize(b1, N(b1), &s);
	assert_float_equal(s.median, 21.55, 1e-12);
	assert_float_equal(s.ci_lo, 18.45904656, 1e-7);
	assert_float_equal(s.ci_hi, 22.76095344, 1e-7);
}

static void test_welch_undefined(void **state)
{
	const double same[] = { 5, 5, 5 }, one[] = { 4 };
	struct summary a, b;
	struct welch w;

	summarize(same, N(same), &a);
	summarize(same, N(same), &b);
	assert_int_equal(stats_welch(&a, &b, &w), -1);	/* no variance */
	summarize(one, N(one), &b);
	assert_int_equal(stats_welch(&a, &b, &w), -1);	/* n = 1 */
	assert_true(isnan(b.sd));
	assert_true(isnan(b.ci_lo));
}

/* Synthetic results ------------------------------------------------------ */

/*
 * Noise of repetition i of n in (-1, 1): the n values spread evenly over
 * the interval, in a scrambled order.  Every side gets noise of exactly
 * the stated spread and zero mean, so whether a test flags a difference
 * depends on the effect and the spread, not on a lucky seed.
 */
static double noise(int i, int n, unsigned int scramble)
{
	return (2.0 * ((i * scramble) % n) + 1) / n - 1;
}

struct synth {
	const char *variant;
	const char *bytes;	/* the option that tells runs apart */
	bool deterministic;
	double ns_per_op;	/* centre of elapsed_ns / ops */
	double noise;		/* relative amplitude */
	long long refills;	/* a model counter, fixed per repetition */
	int reps;
	unsigned int scramble;	/* order of the noise values: prime to reps */
	int schema_version;
	bool truncate;		/* cut the last line short */
	const char *core;	/* the TLB model's preset; NULL: cortex-a76 */
	bool unverified;	/* the preset's core_verified is false */
	bool contpte_proof;	/* mapping proofs from a contpte kernel: */
	long long folded, candidates;	/* contpte_folded_blocks, contig_64k_blocks */
};

static void write_env(FILE *f, const struct synth *s)
{
	json_t *env = json_pack(
		"{ss si ss ss ss"
		" s{ss s{sIss} si si sn sn sb s[]}"
		" s{ss ss ss ss ss ss}"
		" s{ss sn ss si}"
		" s{si si sn sn ss}"
		" ss ss ss ss s{ss ss ss} sb}",
		"type", "env", "schema_version", s->schema_version, "tlbbench_version", "test",
		"run_id", "synthetic", "started_at", "2026-11-26T00:00:00Z",
		"run", "workload", "fault", "options", "bytes", (json_int_t)atoll(s->bytes),
		"access", "write", "reps", s->reps, "warmup", 0, "cpu", "node", "verify", 1,
		"argv",
		"kernel", "release", "6.1.192-tlbbench", "version", "#1", "cmdline", "",
		"variant", s->variant, "config_sha256", "0123456789abcdef", "series", "",
		"cpu", "arch", "aarch64", "model", "midr", "0x410fd0c0", "online", 1,
		"mm", "page_size", 4096, "numa_nodes", 1, "thp", "contpte", "numa_balancing", "0",
		"hostname", "synthetic", "target", "tcg", "qemu_version", "10.0.2", "qemu_cpu", "max",
		"tlb_model", "name", "tlbsim", "core", s->core ? s->core : "cortex-a76",
		"contpte", "on",
		"deterministic", s->deterministic);

	assert_non_null(env);
	if (s->unverified)
		json_object_set_new(json_object_get(env, "tlb_model"), "core_verified",
				    json_false());
	json_dumpf(env, f, JSON_COMPACT);
	fputc('\n', f);
	json_decref(env);
}

static void write_synth(const char *dir, const struct synth *s)
{
	char *path;
	FILE *f;
	int i;

	assert_true(asprintf(&path, "%s/samples.jsonl", dir) > 0);
	mkdir(dir, 0777);
	f = fopen(path, "w");
	assert_non_null(f);
	write_env(f, s);
	for (i = 0; i < s->reps; i++) {
		double ns = 1000 * s->ns_per_op * (1 + s->noise * noise(i, s->reps, s->scramble));
		json_t *rec = json_pack(
			"{ss si ss si sI sI sI sb"
			" s{s{sIsIsIss}}"
			" s{sIsIsIsIsIsI} s{}}",
			"type", "sample", "seq", i, "phase", "measure", "rep", i,
			"region", (json_int_t)i, "elapsed_ns", (json_int_t)llround(ns),
			"ops", (json_int_t)1000, "verified", 1,
			"counters", "l1d_tlb_refill", "user", (json_int_t)s->refills,
			"kernel", (json_int_t)0, "total", (json_int_t)s->refills, "source", "tlbsim",
			"rusage", "utime_ns", (json_int_t)0, "stime_ns", (json_int_t)0,
			"minflt", (json_int_t)0, "majflt", (json_int_t)0, "nvcsw", (json_int_t)0,
			"nivcsw", (json_int_t)0, "info");
		char *line;

		assert_non_null(rec);
		if (s->contpte_proof)
			json_object_set_new(rec, "info", json_pack("{s{sIsI}}", "mapping",
					    "contpte_folded_blocks", (json_int_t)s->folded,
					    "contig_64k_blocks", (json_int_t)s->candidates));
		line = json_dumps(rec, JSON_COMPACT);
		if (s->truncate && i == s->reps - 1)
			line[strlen(line) / 2] = 0;
		fprintf(f, "%s%s", line, s->truncate && i == s->reps - 1 ? "" : "\n");
		free(line);
		json_decref(rec);
	}
	if (!s->truncate)
		fprintf(f, "{\"type\":\"end\",\"status\":\"pass\",\"stage\":null,\"reason\":null,"
			"\"samples\":%d}\n", s->reps);
	fclose(f);
	free(path);
}

static const struct synth base_run = {
	.variant = "baseline", .bytes = "16777216", .ns_per_op = 100, .noise = 0.01,
	.refills = 5000, .reps = 10, .scramble = 3, .schema_version = 1,
};

/* Options left out of the grouping by the next build() (a sweep). */
static const char *const *build_ignore;
/* --ignore-model for the next build() */
static bool build_ignore_model;
/* --floor for the next build(): the tool's default unless a test sets it */
static double build_floor = 0.01;

/* Build the report for two synthetic sides in-process. */
static int build(const struct synth *a, const struct synth *b, struct report *r,
		 struct side *sides, char *err, size_t errlen)
{
	char *dir = tmp_path("compare"), *da, *db;
	int ret = -1;

	assert_int_equal(mkdir(dir, 0777), 0);
	assert_true(asprintf(&da, "%s/a", dir) > 0);
	assert_true(asprintf(&db, "%s/b", dir) > 0);
	write_synth(da, a);
	write_synth(db, b);
	memset(r, 0, sizeof(*r));
	r->sides = sides;
	r->alpha = 0.05;
	r->threshold = 5;
	r->floor = build_floor;
	r->ignore_model = build_ignore_model;
	if (!side_load(&sides[0], da, build_ignore, err, errlen)) {
		r->nsides = 1;
		if (!side_load(&sides[1], db, build_ignore, err, errlen)) {
			r->nsides = 2;
			ret = report_build(r, err, errlen);
		}
	}
	free(da);
	free(db);
	free(dir);
	return ret;
}

static const struct metric_cmp *metric(const struct report *r, const char *name)
{
	size_t i;

	assert_int_equal(r->ngroups, 1);
	for (i = 0; i < r->groups[0].nm; i++)
		if (!strcmp(r->groups[0].m[i].name, name))
			return &r->groups[0].m[i];
	fail_msg("no metric %s", name);
	return NULL;
}

/* Notes of side k that contain "what". */
static size_t notes_with(const struct side *s, const char *what)
{
	size_t i, n = 0;

	for (i = 0; i < s->nnotes; i++)
		n += !!strstr(s->notes[i], what);
	return n;
}

/* A run that could fold but did not is said under the report. */
static void test_unfolded_note(void **state)
{
	static const struct { bool proof; long long folded; const char *note; } c[] = {
		{ false, 0, NULL },	/* no contpte kernel: nothing to say */
		{ true, 0, "none of its 64 candidate 64K blocks was folded" },
		{ true, 32, "at most 32 of its 64 candidate 64K blocks were folded" },
		{ true, 64, NULL },	/* all folded */
	};
	struct side sides[2];
	struct report r;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct synth b = base_run;

		b.variant = "contpte";
		b.contpte_proof = c[i].proof;
		b.folded = c[i].folded;
		b.candidates = 64;
		if (build(&base_run, &b, &r, sides, err, sizeof(err)))
			fail_msg("%s", err);
		assert_int_equal(sides[0].nnotes, 0);
		if (c[i].note) {
			assert_int_equal(notes_with(&sides[1], c[i].note), 1);
			assert_int_equal(notes_with(&sides[1], "fault"), 1);
		} else {
			assert_int_equal(sides[1].nnotes, 0);
		}
		report_free(&r);
	}
}

static void test_regression_flagged(void **state)
{
	struct synth b = base_run;
	struct side sides[2];
	struct report r;
	char err[1024];
	const struct metric_cmp *m;

	b.variant = "slower";
	b.ns_per_op = 110;	/* 10% slower, 1% noise */
	b.scramble = 7;
	assert_int_equal(build(&base_run, &b, &r, sides, err, sizeof(err)), 0);
	m = metric(&r, "time");
	assert_int_equal(m->mark[1], MARK_SIG);
	assert_true(m->p[1] < 1e-6);
	assert_float_equal(m->gain[1], -10, 1.5);
	assert_true(m->regression[1]);
	assert_true(r.nregressions >= 1);
	report_free(&r);
}

static void test_small_noisy_difference_not_flagged(void **state)
{
	struct synth a = base_run, b = base_run;
	struct side sides[2];
	struct report r;
	char err[1024];
	const struct metric_cmp *m;

	a.noise = b.noise = 0.05;
	b.variant = "same";
	b.ns_per_op = 100.1;	/* 0.1% slower, 5% noise */
	b.scramble = 7;
	assert_int_equal(build(&a, &b, &r, sides, err, sizeof(err)), 0);
	m = metric(&r, "time");
	assert_int_equal(m->mark[1], MARK_NONE);
	assert_true(m->p[1] > 0.05);
	assert_false(m->regression[1]);
	assert_int_equal(r.nregressions, 0);
	report_free(&r);
}

static void test_deterministic_counts(void **state)
{
	struct synth a = base_run, b = base_run;
	struct side sides[2];
	struct report r;
	char err[1024];
	const struct metric_cmp *m;

	a.deterministic = b.deterministic = true;
	a.noise = b.noise = 0;
	b.variant = "twin";
	assert_int_equal(build(&a, &b, &r, sides, err, sizeof(err)), 0);
	m = metric(&r, "l1d_tlb_refill");
	assert_true(m->exact);
	assert_int_equal(m->mark[1], MARK_NONE);
	assert_float_equal(m->gain[1], 0, 0);
	assert_int_equal(r.nsignificant, 0);
	report_free(&r);

	b.refills = 5001;	/* one refill more is exact, and no regression */
	assert_int_equal(build(&a, &b, &r, sides, err, sizeof(err)), 0);
	m = metric(&r, "l1d_tlb_refill");
	assert_int_equal(m->mark[1], MARK_EXACT);
	assert_float_equal(m->gain[1], -0.02, 1e-9);
	assert_false(m->regression[1]);
	report_free(&r);
}

/*
 * The verdict rule: between deterministic runs a count that moves by one
 * event in a thousand operations is exact but immaterial (code layout),
 * and is set aside; one more event per operation (a TLB flush per fault)
 * is a regression.  The floor is what decides: at 0 the first one is
 * flagged too.  A time that moves by 0.001% is exact, but no colour.
 */
static void test_effect_floor(void **state)
{
	struct synth a = base_run, b = base_run;
	struct side sides[2];
	struct report r;
	char err[1024], *html = NULL;
	size_t len = 0;
	FILE *f;
	const struct metric_cmp *m;

	a.deterministic = b.deterministic = true;
	a.noise = b.noise = 0;
	a.refills = 14;
	b.refills = 15;		/* -7.1%, 0.001 per operation */
	b.variant = "layout";
	assert_int_equal(build(&a, &b, &r, sides, err, sizeof(err)), 0);
	m = metric(&r, "l1d_tlb_refill");
	assert_int_equal(m->mark[1], MARK_EXACT);
	assert_true(m->gain[1] < -5);
	assert_float_equal(m->per_op[1], 0.001, 1e-12);
	assert_true(m->small[1]);
	assert_false(m->judged[1]);
	assert_false(m->regression[1]);
	assert_int_equal(r.nregressions, 0);
	assert_int_equal(r.nsmall, 1);
	report_free(&r);

	build_floor = 0;
	assert_int_equal(build(&a, &b, &r, sides, err, sizeof(err)), 0);
	assert_true(metric(&r, "l1d_tlb_refill")->regression[1]);
	report_free(&r);
	build_floor = 0.01;

	a.refills = 5000;
	b.refills = 6000;	/* one more per operation */
	b.variant = "flush";
	assert_int_equal(build(&a, &b, &r, sides, err, sizeof(err)), 0);
	m = metric(&r, "l1d_tlb_refill");
	assert_float_equal(m->per_op[1], 1, 1e-12);
	assert_false(m->small[1]);
	assert_true(m->judged[1]);
	assert_true(m->regression[1]);
	assert_int_equal(r.nregressions, 1);
	report_free(&r);

	b.refills = a.refills;
	b.ns_per_op = 100.001;	/* exact, but 0.001% */
	b.variant = "same";
	assert_int_equal(build(&a, &b, &r, sides, err, sizeof(err)), 0);
	m = metric(&r, "time");
	assert_int_equal(m->mark[1], MARK_EXACT);
	assert_false(m->judged[1]);
	f = open_memstream(&html, &len);
	assert_non_null(f);
	render_html(f, &r);
	fclose(f);
	assert_null(strstr(html, "class=\"n worse"));
	assert_null(strstr(html, "class=\"n regression"));
	free(html);
	report_free(&r);
}

static void test_too_few_samples(void **state)
{
	struct synth a = base_run, b = base_run;
	struct side sides[2];
	struct report r;
	char err[1024];

	a.reps = b.reps = 2;
	b.variant = "other";
	b.ns_per_op = 200;
	assert_int_equal(build(&a, &b, &r, sides, err, sizeof(err)), 0);
	assert_int_equal(metric(&r, "time")->mark[1], MARK_FEW);
	assert_int_equal(r.nregressions, 0);
	report_free(&r);
}

static void expect_error(const struct synth *a, const struct synth *b, const char *what)
{
	struct side sides[2];
	struct report r;
	char err[2048] = "";

	assert_int_equal(build(a, b, &r, sides, err, sizeof(err)), -1);
	if (!strstr(err, what))
		fail_msg("error '%s' does not say '%s'", err, what);
	report_free(&r);
}

static void test_bad_input(void **state)
{
	struct synth b = base_run;

	b.variant = "new";
	b.truncate = true;
	expect_error(&base_run, &b, "b/samples.jsonl:11: truncated");
	b = base_run;
	b.schema_version = 2;
	expect_error(&base_run, &b, "b/samples.jsonl:1: schema_version 2");
	b = base_run;
	b.bytes = "8388608";
	expect_error(&base_run, &b, "incomparable options");
	expect_error(&base_run, &b, "bytes=16777216");
}

static void test_ignore_option(void **state)
{
	static const char *const ignore[] = { "bytes", NULL };
	struct synth b = base_run;
	struct side sides[2];
	struct report r;
	char err[1024];

	b.variant = "swept";
	b.bytes = "8388608";
	build_ignore = ignore;
	assert_int_equal(build(&base_run, &b, &r, sides, err, sizeof(err)), 0);
	build_ignore = NULL;
	assert_int_equal(r.ngroups, 1);
	assert_null(strstr(r.groups[0].g[0]->label, "bytes"));
	report_free(&r);
}

/* Another core preset on one side: refused, or compared and said so. */
static void test_model_mismatch(void **state)
{
	struct synth b = base_run;
	struct side sides[2];
	struct report r;
	char err[1024], *text = NULL;
	size_t len;
	FILE *f;

	(void)state;
	b.variant = "n1";
	b.core = "neoverse-n1";
	b.unverified = true;
	assert_int_equal(build(&base_run, &b, &r, sides, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "core \"neoverse-n1\" against \"cortex-a76\""));
	assert_non_null(strstr(err, "--ignore-model"));
	report_free(&r);

	build_ignore_model = true;
	assert_int_equal(build(&base_run, &b, &r, sides, err, sizeof(err)), 0);
	build_ignore_model = false;
	assert_non_null(strstr(r.model_note, "--ignore-model"));
	f = open_memstream(&text, &len);
	assert_non_null(f);
	render_text(f, &r);
	fclose(f);
	/* in the header, before the first table, and the unverified preset named */
	assert_non_null(strstr(text, "TLB models differ"));
	assert_true(strstr(text, "TLB models differ") < strstr(text, "== n1 against"));
	assert_non_null(strstr(text, "tlbsim neoverse-n1 (unverified)"));
	free(text);
	report_free(&r);

	/* the same preset on both sides: no note */
	b.core = NULL;
	b.unverified = false;
	assert_int_equal(build(&base_run, &b, &r, sides, err, sizeof(err)), 0);
	assert_string_equal(r.model_note, "");
	report_free(&r);
}

/* Snapshots -------------------------------------------------------------- */

#define FIXTURES "tests/unit/fixtures/compare"

/* Run tlbbench compare with stdout to a file; returns its exit status. */
static int run_compare(const char *out, const char *const *args)
{
	posix_spawn_file_actions_t fa;
	const char *argv[16];
	pid_t pid;
	int i;

	argv[0] = tlbbench_bin();
	argv[1] = "compare";
	for (i = 0; args[i]; i++)
		argv[i + 2] = args[i];
	argv[i + 2] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	return wait_exit(pid);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	assert_int_equal(getdelim(&buf, &len, 0, f) >= 0, 1);
	fclose(f);
	return buf;
}

/*
 * The report of the checked-in synthetic sides, byte for byte.  After an
 * intended change of the report: UPDATE_SNAPSHOTS=1 make test-unit, and
 * review the diff of the fixtures.
 */
static void check_snapshot(const char *format, const char *fixture, int want_exit)
{
	char *out = tmp_path("snapshot"), *got, *want, arg[32];
	const char *args[] = { arg, FIXTURES "/base", FIXTURES "/new", NULL };

	snprintf(arg, sizeof(arg), "--format=%s", format);
	assert_int_equal(run_compare(out, args), want_exit);
	got = slurp(out);
	assert_non_null(got);
	if (getenv("UPDATE_SNAPSHOTS")) {
		FILE *f = fopen(fixture, "w");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = slurp(fixture);
	assert_non_null(want);
	if (strcmp(got, want))
		fail_msg("%s report differs from %s (output in %s)", format, fixture, out);
	unlink(out);
	free(out);
	free(got);
	free(want);
}

static void test_snapshot_text(void **state)
{
	char *text, *l, *save = NULL;

	check_snapshot("text", FIXTURES "/report.txt", CMP_EXIT_REGRESSION);
	/* the mailing-list form fits 80 columns (notes and paths may not) */
	text = slurp(FIXTURES "/report.txt");
	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(l, "note: ", 6) || !strncmp(l, "  ", 2))
			continue;
		if (strlen(l) > 80)
			fail_msg("line longer than 80 columns: '%s'", l);
	}
	free(text);
}

static void test_snapshot_json(void **state)
{
	check_snapshot("json", FIXTURES "/report.json", CMP_EXIT_REGRESSION);
}

static void test_exit_status(void **state)
{
	char *out = tmp_path("exit");
	const char *same[] = { FIXTURES "/base", FIXTURES "/base", NULL };
	const char *bad[] = { "--alpha=2", FIXTURES "/base", FIXTURES "/new", NULL };
	const char *missing[] = { FIXTURES "/base", FIXTURES "/none", NULL };
	const char *labels[] = { "--labels=a", FIXTURES "/base", FIXTURES "/new", NULL };

	assert_int_equal(run_compare(out, same), CMP_EXIT_OK);
	assert_int_equal(run_compare(out, bad), CMP_EXIT_USAGE);
	assert_int_equal(run_compare(out, missing), CMP_EXIT_BADINPUT);
	assert_int_equal(run_compare(out, labels), CMP_EXIT_USAGE);	/* 1 label, 2 sides */
	unlink(out);
	free(out);
}

/*
 * compare --from=REPORT.json renders every form byte for byte as the
 * comparison did (make report computes once and renders from the file);
 * it takes no results or comparison options, and refuses a non-report.
 */
static void test_from_json(void **state)
{
	static const char *const formats[] = { "json", "text", "markdown", "html" };
	char *json = tmp_path("from"), *direct = tmp_path("direct"), *again = tmp_path("again");
	char fmt[32], from[512];
	const char *compute[] = { "--format=json", FIXTURES "/base", FIXTURES "/new", NULL };
	size_t i;

	assert_int_equal(run_compare(json, compute), CMP_EXIT_REGRESSION);
	snprintf(from, sizeof(from), "--from=%s", json);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const char *a[] = { fmt, FIXTURES "/base", FIXTURES "/new", NULL };
		const char *b[] = { fmt, from, NULL };
		char *x, *y;

		snprintf(fmt, sizeof(fmt), "--format=%s", formats[i]);
		assert_int_equal(run_compare(direct, a), CMP_EXIT_REGRESSION);
		assert_int_equal(run_compare(again, b), CMP_EXIT_REGRESSION);
		x = slurp(direct);
		y = slurp(again);
		if (strcmp(x, y))
			fail_msg("--from renders %s differently (%s, %s)", formats[i], direct, again);
		free(x);
		free(y);
	}
	assert_int_equal(run_compare(again, (const char *[]){ from, FIXTURES "/base", NULL }),
			 CMP_EXIT_USAGE);
	assert_int_equal(run_compare(again, (const char *[]){ from, "--threshold=2", NULL }),
			 CMP_EXIT_USAGE);
	assert_int_equal(run_compare(again, (const char *[]){
		"--from=" FIXTURES "/base/samples.jsonl", NULL }), CMP_EXIT_BADINPUT);
	unlink(json);
	unlink(direct);
	unlink(again);
	free(json);
	free(direct);
	free(again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_welch_reference),
		cmocka_unit_test(test_summary_reference),
		cmocka_unit_test(test_welch_undefined),
		cmocka_unit_test(test_regression_flagged),
		cmocka_unit_test(test_unfolded_note),
		cmocka_unit_test(test_small_noisy_difference_not_flagged),
		cmocka_unit_test(test_deterministic_counts),
		cmocka_unit_test(test_effect_floor),
		cmocka_unit_test(test_too_few_samples),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_ignore_option),
		cmocka_unit_test(test_model_mismatch),
		cmocka_unit_test(test_snapshot_text),
		cmocka_unit_test(test_snapshot_json),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_from_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
