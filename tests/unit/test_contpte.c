// SPDX-License-Identifier: GPL-2.0
/*
 * The contpte debugfs files, read from fixtures in the kernel's format
 * ($TLBBENCH_CONTPTE_DEBUGFS), since the host has no contpte kernel: the
 * stats lines are taken generically, whatever counters the kernel names;
 * blocks are counted inside a range, start included, end excluded; a
 * missing file is "not available" (null), a damaged one an error naming
 * file and line.  End to end, every sample carries the counters and the
 * mapping proof the folded-block count, null on a kernel without them.
 */
#include "testutil.h"

#include "contpte.h"
#include "exitcodes.h"

#define FIXTURES "tests/unit/fixtures/contpte"

static void use_dir(const char *dir)
{
	if (dir)
		assert_int_equal(setenv(ENV_CONTPTE_DEBUGFS, dir, 1), 0);
	else
		assert_int_equal(unsetenv(ENV_CONTPTE_DEBUGFS), 0);
}

static void test_stats_generic(void **state)
{
	char err[256] = "x";
	json_t *s;

	use_dir(FIXTURES "/good");
	s = contpte_stats_read(err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(json_object_size(s), 7);
	assert_int_equal(jint(s, "folds"), 1234);
	assert_int_equal(jint(s, "folded_now"), 17);
	assert_int_equal(jint(s, "unfold_future_reason"), 0);
	assert_int_equal(jint(s, "fold_fail_not_folio"), 1);
	json_decref(s);
}

static void test_absent_is_null(void **state)
{
	char err[256] = "x";

	use_dir(FIXTURES "/no-such-dir");
	assert_null(contpte_stats_read(err, sizeof(err)));
	assert_string_equal(err, "");
	strcpy(err, "x");
	assert_int_equal(contpte_blocks_in(0, ~(size_t)0, err, sizeof(err)), -1);
	assert_string_equal(err, "");
}

static void test_damage_names_line(void **state)
{
	char err[256];

	use_dir(FIXTURES "/bad");
	assert_null(contpte_stats_read(err, sizeof(err)));
	assert_non_null(strstr(err, FIXTURES "/bad/stats:2:"));
	assert_int_equal(contpte_blocks_in(0, ~(size_t)0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, FIXTURES "/bad/blocks:2:"));
}

static void test_blocks_in_range(void **state)
{
	const uintptr_t base = 0x7f0000000000UL;
	char err[256];

	use_dir(FIXTURES "/good");
	/* the first 2M: 0x..0000, 0x..10000, 0x..20000, 0x..1f0000 */
	assert_int_equal(contpte_blocks_in(base, 2 << 20, err, sizeof(err)), 4);
	/* the end is excluded, the start included */
	assert_int_equal(contpte_blocks_in(base, 0x10000, err, sizeof(err)), 1);
	assert_int_equal(contpte_blocks_in(base + 0x10000, 0x10000, err, sizeof(err)), 1);
	assert_int_equal(contpte_blocks_in(base + 0x200000, 1 << 20, err, sizeof(err)), 1);
	assert_int_equal(contpte_blocks_in(base + 0x300000, 1 << 20, err, sizeof(err)), 0);
	/* another mm's range: none of ours */
	assert_int_equal(contpte_blocks_in(0x10000000, 1 << 20, err, sizeof(err)), 0);
}

static void test_delta(void **state)
{
	json_t *acc = json_object();
	json_t *b = json_pack("{s:I, s:I}", "folds", (json_int_t)10, "folded_now", (json_int_t)5);
	json_t *a = json_pack("{s:I, s:I, s:I}", "folds", (json_int_t)25, "folded_now",
			      (json_int_t)2, "unfold_new", (json_int_t)4);

	contpte_stats_add_delta(acc, b, a);
	contpte_stats_add_delta(acc, b, a);	/* a second stretch adds up */
	assert_int_equal(jint(acc, "folds"), 30);
	assert_int_equal(jint(acc, "folded_now"), -6);
	assert_int_equal(jint(acc, "unfold_new"), 8);
	json_decref(acc);
	json_decref(a);
	json_decref(b);
}

/* One fault run; its last sample, or NULL; *code the exit status. */
static json_t *run_fault(int *code, char **err)
{
	char *path = tmp_path("contpte"), *out;
	const char *args[] = { "run", "fault", "--bytes=256K", "--reps=1", "--warmup=1", NULL, NULL };
	json_t *recs, *last = NULL;
	size_t i;

	assert_true(asprintf(&out, "--out=%s", path) > 0);
	args[5] = out;
	*code = run_tlbbench(err, args);
	recs = read_jsonl(path);
	for (i = 0; recs && i < json_array_size(recs); i++)
		if (!strcmp(jstr(json_array_get(recs, i), "type"), "sample"))
			last = json_array_get(recs, i);
	json_incref(last);
	json_decref(recs);
	unlink(path);
	free(path);
	free(out);
	return last;
}

static void test_sample_records_counters(void **state)
{
	json_t *s, *ct, *m;
	char *err;
	int code;

	use_dir(FIXTURES "/good");
	s = run_fault(&code, &err);
	if (code == EXIT_SKIP)
		skip();	/* the mapping proof needs root: the reason is recorded */
	assert_int_equal(code, EXIT_PASS);
	ct = json_object_get(s, "contpte");
	assert_true(json_is_object(ct));
	assert_int_equal(jint(json_object_get(ct, "before"), "folds"), 1234);
	assert_int_equal(jint(json_object_get(ct, "after"), "unfold_mprotect"), 40);
	/* the fixture does not move: every counter moved by 0 */
	assert_int_equal(json_object_size(json_object_get(ct, "delta")), 7);
	assert_int_equal(jint(json_object_get(ct, "delta"), "folds"), 0);
	m = json_object_get(json_object_get(s, "info"), "mapping");
	assert_true(json_is_integer(json_object_get(m, "contpte_folded_blocks")));
	/* and the summary line says what was folded */
	if (!strstr(err, "; contpte 0 folds, 0 unfolds/rep; 0 of 0 candidate 64K blocks folded"))
		fail_msg("summary lacks the contpte facts: %s", err);
	json_decref(s);
	free(err);
}

static void test_sample_without_contpte(void **state)
{
	json_t *s, *m;
	char *err;
	int code;

	use_dir(FIXTURES "/no-such-dir");
	s = run_fault(&code, &err);
	if (code == EXIT_SKIP)
		skip();
	assert_int_equal(code, EXIT_PASS);
	assert_true(json_is_null(json_object_get(s, "contpte")));
	m = json_object_get(json_object_get(s, "info"), "mapping");
	assert_non_null(m);
	assert_true(json_is_null(json_object_get(m, "contpte_folded_blocks")));
	assert_null(strstr(err, "contpte"));
	json_decref(s);
	free(err);
}

static void test_damaged_stats_fail_the_run(void **state)
{
	json_t *s;
	char *err;
	int code;

	use_dir(FIXTURES "/bad");
	s = run_fault(&code, &err);
	assert_int_equal(code, EXIT_FAIL);
	assert_null(s);
	if (!strstr(err, "FAIL in contpte") || !strstr(err, "bad/stats:2:"))
		fail_msg("stderr lacks the stage or the file and line: %s", err);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_generic),
		cmocka_unit_test(test_absent_is_null),
		cmocka_unit_test(test_damage_names_line),
		cmocka_unit_test(test_blocks_in_range),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_sample_records_counters),
		cmocka_unit_test(test_sample_without_contpte),
		cmocka_unit_test(test_damaged_stats_fail_the_run),
	};

	return cmocka_run_group_tests_name("contpte", tests, NULL, NULL);
}
