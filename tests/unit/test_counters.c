// SPDX-License-Identifier: GPL-2.0
/*
 * The counter table (harness/runner/counters.c): one row per name, its
 * columns consistent, the TLB model's counters exactly those tlbsim
 * counts, the default sets chosen by architecture and target, and no
 * list of counter names anywhere else in the tree.  Also the statistics
 * of the run's summary line, on synthetic data.
 */
#include <math.h>

#include "testutil.h"

#include "counters.h"
#include "summary.h"
#include "tlbsim.h"

static void test_names_unique_and_found(void **state)
{
	size_t i, j;

	for (i = 0; i < nr_counters; i++) {
		assert_ptr_equal(counter_find(counter_table[i].name), &counter_table[i]);
		for (j = i + 1; j < nr_counters; j++)
			assert_string_not_equal(counter_table[i].name, counter_table[j].name);
	}
	/* a ":user" or ":kernel" part finds its counter; an unknown name nothing */
	assert_ptr_equal(counter_find("dtlb_walk:kernel"), counter_find("dtlb_walk"));
	assert_null(counter_find("dtlb_walks"));
	assert_null(counter_find("dtlb"));
}

/* columns that must agree with each other */
static void test_rows_consistent(void **state)
{
	size_t i;

	for (i = 0; i < nr_counters; i++) {
		const struct counter_def *c = &counter_table[i];
		bool perf = c->sources & (SRC_SOFTWARE | SRC_PMU);

		if (!c->help || !*c->help || !c->unit || !c->sources)
			fail_msg("%s: help, unit and sources are required", c->name);
		/* perf opens it exactly when it comes from perf */
		if (perf != (c->kind != EV_NONE))
			fail_msg("%s: sources and kind disagree", c->name);
		/* a default set holds perf events only: the others are not opened */
		if (c->defaults && !perf)
			fail_msg("%s: in a default set but not a perf event", c->name);
		if (c->restates && !counter_find(c->restates))
			fail_msg("%s restates %s, not in the table", c->name, c->restates);
		/* a neutral count is never a regression, so it is never time or rate */
		if ((c->sources & SRC_RUNNER) && c->dir == DIR_NEUTRAL)
			fail_msg("%s: a runner metric has a direction", c->name);
	}
}

/* the model's rows are what tlbsim.h counts, no more, no fewer */
static void test_model_counters_match_tlbsim(void **state)
{
#define NAME(id, name) name,
	static const char *const model[] = { TLBSIM_COUNTERS(NAME) };
#undef NAME
	size_t i, n = sizeof(model) / sizeof(model[0]), rows = 0;

	for (i = 0; i < n; i++) {
		const struct counter_def *c = counter_find(model[i]);

		if (!c || strcmp(c->name, model[i]) || !(c->sources & SRC_MODEL))
			fail_msg("tlbsim counts %s: no model row in counters.c", model[i]);
	}
	for (i = 0; i < nr_counters; i++)
		rows += !!(counter_table[i].sources & SRC_MODEL);
	if (rows != n)
		fail_msg("counters.c has %zu model rows, tlbsim.h %zu counters", rows, n);
}

static bool in_set(const char *name, enum event_set set)
{
	const struct counter_def *c = counter_find(name);

	return c && (c->defaults & IN_SET(set));
}

/* the set follows the machine natively and the model under TCG */
static void test_default_set_choice(void **state)
{
	size_t i;

	assert_int_equal(default_set("x86_64", "native"), SET_X86);
	assert_int_equal(default_set("x86_64", "kvm"), SET_X86);
	assert_int_equal(default_set("aarch64", "native"), SET_ARM64);
	assert_int_equal(default_set("aarch64", "kvm"), SET_ARM64);
	assert_int_equal(default_set("aarch64", "tcg"), SET_TCG);
	assert_int_equal(default_set("riscv64", "native"), SET_GENERIC);

	for (i = 0; i < nr_counters; i++) {
		const struct counter_def *c = &counter_table[i];

		/* the software events count everywhere: every set has them */
		if (c->kind == EV_SOFTWARE && c->defaults != IN_ALL_SETS)
			fail_msg("%s: a software event missing from a default set", c->name);
		/* x86 has no arm64 PMU events, arm64 no generic cache events */
		if (c->kind == EV_PMU && in_set(c->name, SET_X86))
			fail_msg("%s: an arm64 PMU event in the x86 set", c->name);
		if (c->kind == EV_HW_CACHE && in_set(c->name, SET_ARM64))
			fail_msg("%s: a generic cache event in the arm64 set", c->name);
		/* under TCG the model counts the TLB: a perf event of that name would clash */
		if (c->tlb && in_set(c->name, SET_TCG))
			fail_msg("%s: a TLB event in the tcg set", c->name);
		if (c->tlb && c->headline && c->kind == EV_HW_CACHE && !in_set(c->name, SET_X86))
			fail_msg("%s: an x86 TLB miss event missing from the x86 set", c->name);
		if (c->tlb && c->headline && (c->sources & SRC_MODEL) && !in_set(c->name, SET_ARM64))
			fail_msg("%s: an arm64 TLB event missing from the arm64 set", c->name);
	}
	assert_true(in_set("dTLB-load-misses", SET_X86));
	assert_true(in_set("l1d_tlb_refill", SET_ARM64));
}

/* the JSON export carries every row with its facts */
static void test_json_export(void **state)
{
	json_t *rows = counters_json(), *row;
	size_t i;

	assert_int_equal(json_array_size(rows), nr_counters);
	json_array_foreach(rows, i, row) {
		assert_string_equal(jstr(row, "name"), counter_table[i].name);
		assert_int_equal(json_is_true(json_object_get(row, "headline")),
				 counter_table[i].headline);
		assert_int_equal(json_is_true(json_object_get(row, "perf")),
				 counter_table[i].kind != EV_NONE);
	}
	row = json_array_get(rows, counter_find("dTLB-load-misses") - counter_table);
	assert_string_equal(json_string_value(json_array_get(json_object_get(row, "defaults"), 0)),
			    "x86");
	assert_string_equal(jstr(row, "direction"), "lower");
	json_decref(rows);
}

/*
 * No second list of counter names: outside the table (and tests), no
 * source file names two or more table counters as quoted strings or
 * comma-separated list items.  Such a list is how a metric silently
 * falls out of a report; read the table instead (tlbbench list --events
 * --json, or the compare JSON's "headline", "tlb" and "direction").
 */
static void test_no_stray_counter_lists(void **state)
{
	/* the table; tlbsim.h's X-macro is held to it by the test above */
	static const char *const allowed[] = {
		"harness/runner/counters.c", "harness/tlbsim/tlbsim.h", NULL,
	};
	FILE *ls = popen("git ls-files -- '*.c' '*.h' '*.py' '*.sh' '*.mk' '*.plan' "
			 "'Makefile' 'tests/summary' 'tests/run-suite' 2>/dev/null", "r");
	char path[4096], *text = malloc(1 << 21);
	size_t files = 0, i, k;
	int stray = 0;

	assert_non_null(ls);
	assert_non_null(text);
	while (fgets(path, sizeof(path), ls)) {
		char found[512] = "";
		FILE *f;
		size_t n, hits = 0;

		path[strcspn(path, "\n")] = '\0';
		for (k = 0; allowed[k] && strcmp(allowed[k], path); k++)
			;
		if (allowed[k] || !strncmp(path, "tests/", 6) || !(f = fopen(path, "r")))
			continue;
		n = fread(text, 1, (1 << 21) - 1, f);
		text[n] = '\0';
		fclose(f);
		files++;
		for (i = 0; i < nr_counters; i++) {
			const char *name = counter_table[i].name, *p = text;
			size_t len = strlen(name);

			if (counter_table[i].sources & SRC_RUNNER)
				continue;	/* "time", "rate": ordinary words too */
			while ((p = strstr(p, name))) {
				if (p > text && strchr("\"',", p[-1]) && p[len] && strchr("\"',", p[len])) {
					hits++;
					snprintf(found + strlen(found), sizeof(found) - strlen(found),
						 " %s", name);
					break;
				}
				p += len;
			}
		}
		if (hits >= 2) {
			print_message("%s names counters outside the table:%s\n", path, found);
			stray++;
		}
	}
	pclose(ls);
	free(text);
	if (!files)
		skip();	/* not a git checkout */
	assert_int_equal(stray, 0);
}

static void test_median_ci(void **state)
{
	double five[] = { 5, 1, 4, 2, 3 };
	double ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	double one[] = { 42 }, lo, hi, conf;

	/* n=5: no pair of order statistics reaches 95%: the range, at 1 - 2/32 */
	assert_true(summary_median_ci(five, 5, &lo, &hi, &conf) == 3);
	assert_true(lo == 1 && hi == 5);
	assert_true(fabs(conf - (1 - 2.0 / 32)) < 1e-12);
	/* n=10: the 2nd and 9th values, at 1 - 2 * 11/1024; the median between */
	assert_true(summary_median_ci(ten, 10, &lo, &hi, &conf) == 5.5);
	assert_true(lo == 2 && hi == 9);
	assert_true(fabs(conf - (1 - 2 * 11.0 / 1024)) < 1e-12);
	/* one value: no interval */
	assert_true(summary_median_ci(one, 1, &lo, &hi, &conf) == 42);
	assert_true(conf == 0 && isnan(lo));
	/* rates: the harmonic mean */
	assert_true(fabs(summary_hmean((double[]){ 1, 2, 4 }, 3) - 3 / 1.75) < 1e-12);
}

/* the line states what the samples say: rate from elapsed_ns and ops */
static void test_summary_line(void **state)
{
	json_t *samples = json_array();
	char buf[1024];
	int i;

	/* 1000 ops in 1, 2 and 4 ms: hmean of 1M, 500k, 250k ops/s = 428.6k */
	for (i = 0; i < 3; i++)
		json_array_append_new(samples, json_pack("{sIsIs{s{sI}s{ss}}}",
			"elapsed_ns", (json_int_t)(1000000 << i), "ops", (json_int_t)1000,
			"counters", "page-faults", "total", (json_int_t)2000,
			"dTLB-load-misses", "unsupported", "no PMU"));
	summary_line(samples, "fault bytes=4M on CPU 1", "page", buf, sizeof(buf));
	if (!strstr(buf, "fault bytes=4M on CPU 1: 3 reps, 2 us/op [1, 4] 75% CI, 428.6k pages/s; "
		    "page-faults 2/op; 1 headline event not counted here"))
		fail_msg("summary line: %s", buf);
	json_decref(samples);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_unique_and_found),
		cmocka_unit_test(test_rows_consistent),
		cmocka_unit_test(test_model_counters_match_tlbsim),
		cmocka_unit_test(test_default_set_choice),
		cmocka_unit_test(test_json_export),
		cmocka_unit_test(test_no_stray_counter_lists),
		cmocka_unit_test(test_median_ci),
		cmocka_unit_test(test_summary_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
