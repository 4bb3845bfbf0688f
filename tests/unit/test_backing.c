// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping proof, natively: each backing yields the folios and mapping it
 * claims, read back from the samples' "mapping" record: order-0 folios for
 * anon-4k, PMD-mapped order-9 folios for anon-thp, order-9 folios mapped
 * by PTEs (with every 64K block contiguous) for anon-thp-pte, and the
 * hugetlb page size for hugetlb backings.  A backing the host cannot give
 * must be a SKIP with a reason.  nr_hugepages is saved and restored.
 */
#include "testutil.h"

#include "exitcodes.h"

#define NR_2M "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"

static long saved_2m = -1;

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%ld\n", v);
		fclose(f);
	}
}

static int reserve(void **state)
{
	saved_2m = read_long(NR_2M);
	if (saved_2m >= 0)
		write_long(NR_2M, saved_2m + 8);
	return 0;
}

static int restore(void **state)
{
	if (saved_2m >= 0)
		write_long(NR_2M, saved_2m);
	return 0;
}

/* Run one sample; returns exit code and the sample's mapping (or NULL). */
static int run_one(const char *workload, const char *backing, const char *bytes,
		   json_t **mapping, char **reason)
{
	char *path = tmp_path("backing"), *out, *b, *sz, *err;
	json_t *recs, *last;
	int code;

	assert_true(asprintf(&out, "--out=%s", path) > 0);
	assert_true(asprintf(&b, "--backing=%s", backing) > 0);
	assert_true(asprintf(&sz, "--bytes=%s", bytes) > 0);
	code = run_tlbbench(&err, (const char *const[]){ "run", workload, b, sz,
		"--reps=1", "--warmup=0", "--verify", "--events=page-faults", out,
		strcmp(workload, "tlb_reach") ? NULL : "--accesses=1000", NULL });
	if (code == EXIT_USAGE)
		fail_msg("%s", err);
	recs = read_jsonl(path);
	last = json_array_get(recs, json_array_size(recs) - 1);
	*reason = jstr(last, "reason") ? strdup(jstr(last, "reason")) : NULL;
	*mapping = NULL;
	if (code == EXIT_PASS) {
		*mapping = json_incref(json_object_get(json_object_get(
			json_array_get(recs, 1), "info"), "mapping"));
		assert_non_null(*mapping);
		assert_true(json_is_true(json_object_get(*mapping, "proven")));
	}
	json_decref(recs);
	unlink(path);
	free(path);
	free(out);
	free(b);
	free(sz);
	free(err);
	return code;
}

static long long order_pages(json_t *mapping, const char *order)
{
	json_t *v = json_object_get(json_object_get(mapping, "pages_by_folio_order"), order);

	return v ? json_integer_value(v) : 0;
}

static void test_anon_4k(void **state)
{
	json_t *m;
	char *why;

	assert_int_equal(run_one("fault", "anon-4k", "4M", &m, &why), EXIT_PASS);
	assert_int_equal(order_pages(m, "0"), jint(m, "pages"));
	assert_int_equal(json_object_size(json_object_get(m, "pages_by_folio_order")), 1);
	assert_int_equal(jint(m, "anon_huge_kb"), 0);
	assert_int_equal(jint(m, "contig_64k_blocks"), 0);
	json_decref(m);
}

static void test_anon_thp(void **state)
{
	json_t *m;
	char *why;
	int code = run_one("tlb_reach", "anon-thp", "8M", &m, &why);

	if (code == EXIT_SKIP)
		skip();	/* THP disabled on this host: the reason is recorded */
	assert_int_equal(code, EXIT_PASS);
	assert_int_equal(order_pages(m, "9"), jint(m, "pages"));
	assert_int_equal(jint(m, "anon_huge_kb"), 8192);
	json_decref(m);
}

static void test_anon_thp_pte(void **state)
{
	json_t *m;
	char *why;
	int code = run_one("tlb_reach", "anon-thp-pte", "8M", &m, &why);

	if (code == EXIT_SKIP)
		skip();
	assert_int_equal(code, EXIT_PASS);
	/* order-9 folios, but no PMD maps them: every 64K block is a candidate */
	assert_int_equal(order_pages(m, "9"), jint(m, "pages"));
	assert_int_equal(jint(m, "anon_huge_kb"), 0);
	assert_int_equal(jint(m, "kernel_page_kb"), 4);
	assert_int_equal(jint(m, "contig_64k_blocks"), jint(m, "pages") / 16);
	json_decref(m);
}

static void test_hugetlb(void **state)
{
	static const struct { const char *backing, *order; long long kb; } h[] = {
		{ "hugetlb-2m", "9", 2048 }, { "hugetlb-64k", "4", 64 },
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		json_t *m;
		char *why;
		int code = run_one("fault", h[i].backing, "4M", &m, &why);

		if (code == EXIT_SKIP) {
			/* a skip always says which resource is missing */
			assert_non_null(why);
			assert_non_null(strstr(why, "hugetlb"));
			print_message("%s: SKIP: %s\n", h[i].backing, why);
			free(why);
			continue;
		}
		assert_int_equal(code, EXIT_PASS);
		assert_int_equal(jint(m, "kernel_page_kb"), h[i].kb);
		assert_int_equal(order_pages(m, h[i].order), jint(m, "pages"));
		json_decref(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anon_4k),
		cmocka_unit_test(test_anon_thp),
		cmocka_unit_test(test_anon_thp_pte),
		cmocka_unit_test(test_hugetlb),
	};

	return cmocka_run_group_tests_name("backing", tests, reserve, restore);
}
