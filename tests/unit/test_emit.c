// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines emitter: one record per line, appended, strings escaped so
 * that any byte sequence a kernel or user can put in a field reads back
 * unchanged.
 */
#include "testutil.h"

#include "emit.h"

static void test_escaping_roundtrip(void **state)
{
	static const char *const nasty[] = {
		"plain", "quote \" and backslash \\", "new\nline\r\ttab",
		"ctrl \x01\x1f", "unicode \xc3\xa9\xe2\x82\xac", "</script>",
	};
	char *path = tmp_path("emit"), err[256];
	struct emitter em;
	json_t *arr;
	size_t i;

	assert_int_equal(emit_open(&em, path, err, sizeof(err)), 0);
	for (i = 0; i < sizeof(nasty) / sizeof(nasty[0]); i++) {
		json_t *rec = json_object();

		json_object_set_new(rec, "type", json_string("env"));
		json_object_set_new(rec, "s", json_string(nasty[i]));
		json_object_set_new(rec, "n", json_integer(1LL << 62));
		assert_int_equal(emit_record(&em, rec, err, sizeof(err)), 0);
	}
	emit_close(&em);

	arr = read_jsonl(path);
	assert_int_equal(json_array_size(arr), sizeof(nasty) / sizeof(nasty[0]));
	for (i = 0; i < json_array_size(arr); i++) {
		assert_string_equal(jstr(json_array_get(arr, i), "s"), nasty[i]);
		assert_int_equal(jint(json_array_get(arr, i), "n"), 1LL << 62);
	}
	json_decref(arr);
	unlink(path);
	free(path);
}

static void test_appends(void **state)
{
	char *path = tmp_path("append"), err[256];
	struct emitter em;
	json_t *arr;
	int round;

	for (round = 0; round < 2; round++) {
		assert_int_equal(emit_open(&em, path, err, sizeof(err)), 0);
		assert_int_equal(emit_record(&em, json_pack("{si}", "round", round), err,
					     sizeof(err)), 0);
		emit_close(&em);
	}
	arr = read_jsonl(path);
	assert_int_equal(json_array_size(arr), 2);
	assert_int_equal(jint(json_array_get(arr, 1), "round"), 1);
	json_decref(arr);
	unlink(path);
	free(path);
}

static void test_open_error_names_path(void **state)
{
	struct emitter em;
	char err[256];

	assert_int_equal(emit_open(&em, "/nonexistent-dir/x.jsonl", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent-dir/x.jsonl"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping_roundtrip),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_open_error_names_path),
	};

	return cmocka_run_group_tests_name("emit", tests, NULL, NULL);
}
