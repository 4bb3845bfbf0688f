// SPDX-License-Identifier: GPL-2.0
/*
 * Run plans: lists expand to the cross product, defaults apply unless a
 * stanza overrides them, and every kind of bad file is an error that names
 * the file and line.  The shipped plans must parse (which checks every
 * value against the option tables), full.plan must cover every backing of
 * every workload, and a real plan run appends every run to one file that
 * validates.
 */
#include <glob.h>

#include "testutil.h"

#include "options.h"
#include "plan.h"
#include "schema.h"

static void expect_runs(const char *text, size_t n)
{
	struct plan plan;
	char err[512];

	if (plan_parse("t.plan", text, &plan, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(plan.n, n);
	plan_free(&plan);
}

static void expect_error(const char *text, const char *where_what)
{
	struct plan plan;
	char err[512];

	assert_int_equal(plan_parse("t.plan", text, &plan, err, sizeof(err)), -1);
	if (!strstr(err, where_what))
		fail_msg("error '%s' lacks '%s'", err, where_what);
	assert_null(plan.runs);
}

static void test_expansion(void **state)
{
	static const char text[] =
		"# defaults\n"
		"reps=3\n"
		"warmup=0\n"
		"\n"
		"workload=fault\n"
		"bytes=4M 8M 16M   # three sizes\n"
		"access=write read\n"
		"\n"
		"workload=fault\n"
		"reps=7\n";
	struct plan plan;
	char err[512];

	assert_int_equal(plan_parse("t.plan", text, &plan, err, sizeof(err)), 0);
	assert_int_equal(plan.n, 7);
	/* the last key varies fastest; defaults come first */
	assert_int_equal(plan.runs[0].argc, 4);
	assert_string_equal(plan.runs[0].argv[0], "--reps=3");
	assert_string_equal(plan.runs[0].argv[1], "--warmup=0");
	assert_string_equal(plan.runs[0].argv[2], "--bytes=4M");
	assert_string_equal(plan.runs[0].argv[3], "--access=write");
	assert_string_equal(plan.runs[1].argv[3], "--access=read");
	assert_string_equal(plan.runs[2].argv[2], "--bytes=8M");
	assert_int_equal(plan.runs[5].line, 5);
	/* a stanza's own value replaces the default */
	assert_int_equal(plan.runs[6].argc, 2);
	assert_string_equal(plan.runs[6].argv[0], "--warmup=0");
	assert_string_equal(plan.runs[6].argv[1], "--reps=7");
	assert_int_equal(plan.runs[6].line, 9);
	plan_free(&plan);

	/* comment lines do not split a stanza; CRLF and blanks are tolerated */
	expect_runs("workload=fault\r\n# note\r\nbytes = 4M \r\n\r\n\r\n", 1);
}

static void test_errors_name_line(void **state)
{
	expect_error("workload=fault\nbites=4M\n", "t.plan:2: unknown key 'bites' for workload fault");
	expect_error("workload=fault\nbytes=4M 3\n", "t.plan:2: --bytes: 3 is out of range");
	expect_error("workload=fault\nbytes=-1\n", "t.plan:2: --bytes: '-1' is not a size");
	expect_error("workload=fault\nbytes=4M\nreps=2\nbytes=8M\n",
		     "t.plan:4: duplicate key 'bytes' (first at line 2)");
	expect_error("workload=fault\nworkload=fault\n", "t.plan:2: duplicate key 'workload'");
	expect_error("\n\nworkload=faults\n", "t.plan:3: unknown workload 'faults'");
	expect_error("reps=2\n\nreps=3\n", "t.plan:3: stanza has no workload=");
	expect_error("reps=2\n\nbytes=4M\n", "t.plan:3: unknown key 'bytes' before any workload=");
	expect_error("bytes=4M\n", "t.plan:1: unknown key 'bytes' before any workload=");
	expect_error("reps=2 3\n\nworkload=fault\n", "t.plan:1: 'reps': a list is allowed");
	expect_error("workload=fault\njust words\n", "t.plan:2: expected key=value");
	expect_error("workload=fault\n=4M\n", "t.plan:2: missing key");
	expect_error("workload=fault\nbytes=\n", "t.plan:2: 'bytes' has no value");
	expect_error("workload=fault\nout=x.jsonl\n", "t.plan:2: 'out' cannot be set");
	expect_error("workload=fault\nverify=sometimes\n", "t.plan:2: --verify");
	expect_error("reps=2\nbytes=4M\nworkload=fault\n", "t.plan:2: unknown key 'bytes'");
	expect_error("# nothing\n", "t.plan: the plan has no workload stanza");
}

static void test_shipped_plans_parse(void **state)
{
	struct plan plan;
	char err[512];
	glob_t g;
	size_t i;

	assert_int_equal(glob("plans/*.plan", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 1);
	for (i = 0; i < g.gl_pathc; i++) {
		if (plan_load(g.gl_pathv[i], &plan, err, sizeof(err)))
			fail_msg("%s", err);
		assert_true(plan.n >= 1);
		plan_free(&plan);
	}
	globfree(&g);
}

/* Does a run of workload wl in the plan pass "--backing=b"? */
static bool plan_has(const struct plan *plan, const struct workload *wl, const char *b)
{
	char arg[64];
	size_t r;
	int j;

	snprintf(arg, sizeof(arg), "--backing=%s", b);
	for (r = 0; r < plan->n; r++)
		for (j = 0; plan->runs[r].wl == wl && j < plan->runs[r].argc; j++)
			if (!strcmp(plan->runs[r].argv[j], arg))
				return true;
	return false;
}

static void test_full_plan_covers_backings(void **state)
{
	struct plan plan;
	char err[512];
	size_t i, c, checked = 0;

	if (plan_load("plans/full.plan", &plan, err, sizeof(err)))
		fail_msg("%s", err);
	for (i = 0; i < nr_workloads; i++) {
		const struct opt_def *b = opt_find(workloads[i]->options, "backing");

		for (c = 0; b && b->choices[c]; c++, checked++)
			if (!plan_has(&plan, workloads[i], b->choices[c]))
				fail_msg("plans/full.plan: no %s run with backing=%s",
					 workloads[i]->name, b->choices[c]);
	}
	assert_true(checked >= 8);
	plan_free(&plan);
}

static void test_plan_run_appends(void **state)
{
	char *plan_path = tmp_path("plan"), *out = tmp_path("planout"), *outarg, *err;
	const char *args[] = { "plan", plan_path, NULL, NULL };
	FILE *f = fopen(plan_path, "w");
	char verr[512];
	json_t *recs;
	size_t i, envs = 0, ends = 0;

	assert_non_null(f);
	fputs("reps=1\nwarmup=0\n\nworkload=fault\nbytes=64K 128K\n", f);
	fclose(f);
	assert_true(asprintf(&outarg, "--out=%s", out) > 0);
	args[2] = outarg;
	assert_int_equal(run_tlbbench(&err, args), 0);
	assert_non_null(strstr(err, "plan: [2/2] pass"));
	/* every run of the plan says its summary, in order */
	assert_non_null(strstr(err, "fault bytes=64K "));
	assert_non_null(strstr(strstr(err, "fault bytes=64K "), "fault bytes=128K "));
	recs = read_jsonl(out);
	for (i = 0; i < json_array_size(recs); i++) {
		envs += !strcmp(jstr(json_array_get(recs, i), "type"), "env");
		ends += !strcmp(jstr(json_array_get(recs, i), "type"), "end");
	}
	assert_int_equal(envs, 2);
	assert_int_equal(ends, 2);
	assert_int_equal(jint(json_object_get(json_object_get(json_array_get(recs, 3), "run"),
					      "options"), "bytes"), 128 * 1024);
	if (schema_check_file(out, verr, sizeof(verr)))
		fail_msg("%s", verr);
	json_decref(recs);
	unlink(plan_path);
	unlink(out);
	free(plan_path);
	free(out);
	free(outarg);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expansion),
		cmocka_unit_test(test_errors_name_line),
		cmocka_unit_test(test_shipped_plans_parse),
		cmocka_unit_test(test_full_plan_covers_backings),
		cmocka_unit_test(test_plan_run_appends),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
