// SPDX-License-Identifier: GPL-2.0
/*
 * Merging TLB-model counters into samples: each sample gains the model's
 * counters for its region under perf's names (a region reported twice is
 * summed), env records gain tlb_model, and a sample without its region or
 * a damaged model file is an error naming the file and line.
 */
#include "testutil.h"

#include "merge.h"
#include "schema.h"

static char *raw;	/* a real run: env, 3 samples, end */
static long long regions[3];

static int make_raw(void **state)
{
	char *out, *err;
	json_t *recs;
	int i;

	raw = tmp_path("raw");
	assert_true(asprintf(&out, "--out=%s", raw) > 0);
	assert_int_equal(run_tlbbench(&err, (const char *const[]){
		"run", "fault", "--bytes=64K", "--reps=2", "--warmup=1",
		"--events=page-faults,l1d_tlb_refill", out, NULL }), 0);
	recs = read_jsonl(raw);
	for (i = 0; i < 3; i++)
		regions[i] = jint(json_array_get(recs, i + 1), "region");
	json_decref(recs);
	free(out);
	free(err);
	return 0;
}

/* A tlbsim-style output: model record, one region per sample (the first
 * split in two parts, as around a --verify pause), a total. */
static char *make_model(int skip_sample, const char *extra_line, bool with_model)
{
	char *path = tmp_path("model");
	FILE *f = fopen(path, "w");
	int i;

	assert_non_null(f);
	if (with_model)
		fputs("{\"type\":\"model\",\"plugin_version\":\"t\",\"core\":\"cortex-a76\",\"contpte\":\"on\"}\n", f);
	for (i = 0; i < 3; i++) {
		if (i == skip_sample)
			continue;
		fprintf(f, "{\"type\":\"region\",\"id\":%lld,\"label\":\"fault\",\"counters\":"
			"{\"l1d_tlb_refill\":{\"user\":%d,\"kernel\":%d},\"walk_steps\":{\"user\":1,\"kernel\":0}}}\n",
			regions[i], 10 * (i + 1), i);
		if (i == 0)
			fprintf(f, "{\"type\":\"region\",\"id\":%lld,\"label\":\"fault\",\"counters\":"
				"{\"l1d_tlb_refill\":{\"user\":5,\"kernel\":5}}}\n", regions[i]);
	}
	if (extra_line)
		fputs(extra_line, f);
	fputs("{\"type\":\"total\",\"counters\":{}}\n", f);
	fclose(f);
	return path;
}

static void test_merge_counts(void **state)
{
	char *model = make_model(-1, NULL, true), *out = tmp_path("merged"), err[512];
	json_t *recs, *env, *c;
	int i;

	if (merge_files(raw, model, out, err, sizeof(err)))
		fail_msg("%s", err);
	if (schema_check_file(out, err, sizeof(err)))
		fail_msg("%s", err);
	recs = read_jsonl(out);
	assert_int_equal(json_array_size(recs), 5);
	env = json_array_get(recs, 0);
	assert_string_equal(jstr(json_object_get(env, "tlb_model"), "name"), "tlbsim");
	assert_string_equal(jstr(json_object_get(env, "tlb_model"), "core"), "cortex-a76");
	for (i = 0; i < 3; i++) {
		json_t *counters = json_object_get(json_array_get(recs, i + 1), "counters");

		c = json_object_get(counters, "l1d_tlb_refill");
		/* the first region came in two parts: 10+5 user, 0+5 kernel */
		assert_int_equal(jint(c, "user"), i ? 10 * (i + 1) : 15);
		assert_int_equal(jint(c, "kernel"), i ? i : 5);
		assert_int_equal(jint(c, "total"), jint(c, "user") + jint(c, "kernel"));
		assert_string_equal(jstr(c, "source"), "tlbsim");
		assert_null(json_object_get(c, "unsupported"));
		/* model-only counters join under the model's names */
		assert_int_equal(jint(json_object_get(counters, "walk_steps"), "total"), i ? 1 : 1);
		/* perf's own counters are left alone */
		assert_non_null(json_object_get(counters, "page-faults"));
	}
	json_decref(recs);
	unlink(model);
	unlink(out);
	free(model);
	free(out);
}

static void expect_merge_error(char *model, const char *needle)
{
	char *out = tmp_path("merged"), err[512];

	assert_int_equal(merge_files(raw, model, out, err, sizeof(err)), -1);
	if (!strstr(err, needle))
		fail_msg("error '%s' lacks '%s'", err, needle);
	unlink(model);
	unlink(out);
	free(model);
	free(out);
}

static void test_merge_errors(void **state)
{
	char needle[256];

	/* the second measured sample (line 4 of the raw file) lost its region */
	snprintf(needle, sizeof(needle), "%s:4: sample seq 2 (region %lld) has no region record",
		 raw, regions[2]);
	expect_merge_error(make_model(2, NULL, true), needle);
	expect_merge_error(make_model(-1, "{\"type\":\"region\",\"id\":1,\n", true), ":6: not JSON");
	expect_merge_error(make_model(-1, "{\"type\":\"region\",\"id\":\"x\",\"counters\":{}}\n", true),
			   ":6: region record needs an integer id");
	expect_merge_error(make_model(-1, NULL, false), "no model record");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_counts),
		cmocka_unit_test(test_merge_errors),
	};

	return cmocka_run_group_tests_name("merge", tests, make_raw, NULL);
}
