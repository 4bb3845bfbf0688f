// SPDX-License-Identifier: GPL-2.0
/*
 * Results schema: results/SCHEMA.md documents exactly the fields the
 * validator knows, a real run validates, and each kind of damage to a file
 * (truncation, bad JSON, wrong schema version, missing or mistyped field,
 * records out of order) is an error naming the file and line.
 */
#include "testutil.h"

#include "schema.h"

static char *good;	/* a real run's output */

static int make_good(void **state)
{
	static const char *const args[] = {
		"run", "fault", "--bytes=64K", "--reps=2", "--warmup=1", NULL, NULL
	};
	const char *a[7];
	char *err, *out;

	good = tmp_path("good");
	assert_true(asprintf(&out, "--out=%s", good) > 0);
	memcpy(a, args, sizeof(a));
	a[5] = out;
	assert_int_equal(run_tlbbench(&err, a), 0);
	free(err);
	free(out);
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The text of "## <record> record" up to the next "## " heading. */
static char *section(const char *doc, const char *record)
{
	char head[64], *start, *end, *copy;

	snprintf(head, sizeof(head), "\n## %s record", record);
	start = strstr(doc, head);
	if (!start)
		fail_msg("SCHEMA.md has no section '## %s record'", record);
	end = strstr(start + 1, "\n## ");
	copy = strndup(start, end ? (size_t)(end - start) : strlen(start));
	return copy;
}

static void test_doc_matches_table(void **state)
{
	static const char *const records[] = { "env", "sample", "end" };
	char *doc = slurp("results/SCHEMA.md");
	size_t r, i;

	for (r = 0; r < 3; r++) {
		char *sec = section(doc, records[r]), *line, *save = NULL;

		for (i = 0; i < nr_schema_fields; i++) {
			char want[96];

			if (strcmp(schema_fields[i].record, records[r]))
				continue;
			snprintf(want, sizeof(want), "| `%s` |", schema_fields[i].path);
			if (!strstr(sec, want))
				fail_msg("SCHEMA.md, %s record: field %s is not documented",
					 records[r], schema_fields[i].path);
		}
		/* and every documented field row is a field the validator knows */
		for (line = strtok_r(sec, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char path[96];
			bool known = false;

			if (sscanf(line, "| `%95[^`]` |", path) != 1)
				continue;
			for (i = 0; i < nr_schema_fields; i++)
				if (!strcmp(schema_fields[i].record, records[r]) &&
				    !strcmp(schema_fields[i].path, path))
					known = true;
			if (!known)
				fail_msg("SCHEMA.md, %s record: documents %s, which the validator does not know",
					 records[r], path);
		}
		free(sec);
	}
	free(doc);
}

static void test_real_run_validates(void **state)
{
	char err[512];

	if (schema_check_file(good, err, sizeof(err)))
		fail_msg("%s", err);
}

/* Copy the good file with line "lineno" (1-based) replaced by "text". */
static char *damaged(unsigned int lineno, const char *text, bool drop_newline_at_end)
{
	char *path = tmp_path("bad"), *line = NULL;
	FILE *in = fopen(good, "r"), *out = fopen(path, "w");
	unsigned int n = 0;
	size_t cap = 0;

	assert_non_null(in);
	assert_non_null(out);
	while (getline(&line, &cap, in) > 0) {
		n++;
		fputs(n == lineno ? text : line, out);
	}
	fclose(in);
	fclose(out);
	free(line);
	if (drop_newline_at_end) {
		FILE *f = fopen(path, "r+");

		fseek(f, -1, SEEK_END);
		assert_int_equal(ftruncate(fileno(f), ftell(f)), 0);
		fclose(f);
	}
	return path;
}

static void expect_error(char *path, const char *where, const char *what)
{
	char err[512], loc[600];

	assert_int_equal(schema_check_file(path, err, sizeof(err)), -1);
	snprintf(loc, sizeof(loc), "%s:%s", path, where);
	if (!strstr(err, loc) || !strstr(err, what))
		fail_msg("error '%s' lacks '%s' or '%s'", err, loc, what);
	unlink(path);
	free(path);
}

/* Line 2 of the good file as a JSON object, for editing. */
static json_t *line_json(unsigned int lineno)
{
	json_t *arr = read_jsonl(good), *rec = json_incref(json_array_get(arr, lineno - 1));

	json_decref(arr);
	return rec;
}

static char *dump_line(json_t *rec)
{
	char *s = json_dumps(rec, JSON_COMPACT), *line;

	assert_true(asprintf(&line, "%s\n", s) > 0);
	free(s);
	json_decref(rec);
	return line;
}

static void test_damage_is_named(void **state)
{
	json_t *rec;
	char *text;

	expect_error(damaged(0, "", true), "5:", "truncated");
	expect_error(damaged(3, "{\"type\":\"sample\",\n", false), "3:", "not JSON");

	rec = line_json(1);
	json_object_set_new(rec, "schema_version", json_integer(99));
	text = dump_line(rec);
	expect_error(damaged(1, text, false), "1:", "schema_version 99");
	free(text);

	rec = line_json(2);
	json_object_del(rec, "elapsed_ns");
	text = dump_line(rec);
	expect_error(damaged(2, text, false), "2:", "missing field elapsed_ns");
	free(text);

	rec = line_json(2);
	json_object_set_new(json_object_get(rec, "rusage"), "minflt", json_string("7"));
	text = dump_line(rec);
	expect_error(damaged(2, text, false), "2:", "rusage.minflt has the wrong type");
	free(text);

	rec = line_json(3);
	json_object_set_new(rec, "seq", json_integer(0));
	text = dump_line(rec);
	expect_error(damaged(3, text, false), "3:", "seq 0 where 1");
	free(text);

	rec = line_json(2);
	json_object_set_new(json_object_get(rec, "counters"), "cycles",
			    json_pack("{si}", "kernel", 3));
	text = dump_line(rec);
	expect_error(damaged(2, text, false), "2:", "counters.cycles");
	free(text);

	/* contpte: null, or before, after and delta of integers */
	rec = line_json(2);
	json_object_set_new(rec, "contpte", json_pack("{s{si}s{si}}", "before", "folds", 1,
						      "after", "folds", 2));
	text = dump_line(rec);
	expect_error(damaged(2, text, false), "2:", "contpte needs before, after and delta");
	free(text);

	rec = line_json(2);
	json_object_set_new(rec, "contpte", json_pack("{s{si}s{si}s{ss}}", "before", "folds", 1,
						      "after", "folds", 2, "delta", "folds", "1"));
	text = dump_line(rec);
	expect_error(damaged(2, text, false), "2:", "contpte.delta.folds must be an integer");
	free(text);

	rec = line_json(2);
	json_object_set_new(rec, "info", json_pack("{s{ss}}", "mapping",
						   "contpte_folded_blocks", "3"));
	text = dump_line(rec);
	expect_error(damaged(2, text, false), "2:", "info.mapping.contpte_folded_blocks has the wrong type");
	free(text);

	expect_error(damaged(1, "{\"type\":\"end\",\"status\":\"pass\",\"stage\":null,\"reason\":null,\"samples\":0}\n",
			     false), "1:", "first record must be the env");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_matches_table),
		cmocka_unit_test(test_real_run_validates),
		cmocka_unit_test(test_damage_is_named),
	};

	return cmocka_run_group_tests_name("schema", tests, make_good, NULL);
}
