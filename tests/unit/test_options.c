// SPDX-License-Identifier: GPL-2.0
/*
 * Option parser: typed values, bounds, unknown names, bad values, defaults.
 * Also checks the real runner and workload tables: every default parses
 * and no workload option shadows a runner option.
 */
#include "testutil.h"

#include "options.h"
#include "runner.h"
#include "workload.h"

struct cfg {
	uint64_t n, size;
	bool flag;
	unsigned int mode;
	const char *name;
};

static const char *const modes[] = { "seq", "rand", NULL };

static const struct opt_def table[] = {
	{ "n", OPT_U64, offsetof(struct cfg, n), "3", 1, 10, NULL, "count" },
	{ "size", OPT_SIZE, offsetof(struct cfg, size), "64K", 4096, 1ULL << 30, NULL, "bytes" },
	{ "flag", OPT_BOOL, offsetof(struct cfg, flag), "off", 0, 0, NULL, "flag" },
	{ "mode", OPT_ENUM, offsetof(struct cfg, mode), "rand", 0, 0, modes, "mode" },
	{ "name", OPT_STRING, offsetof(struct cfg, name), NULL, 0, 0, NULL, "name" },
	OPT_END
};

static int parse(struct cfg *c, bool *given, const char *arg, char *err)
{
	return opt_parse_arg(table, arg, NULL, c, given, err, 256);
}

/* "--name value": the next argument is the value, and counted as used */
static void test_separate_value(void **state)
{
	struct cfg c = { 0 };
	bool given[8] = { false };
	char err[256];

	assert_int_equal(opt_parse_arg(table, "--size", "2M", &c, given, err, sizeof(err)), 2);
	assert_int_equal(c.size, 2 << 20);
	assert_int_equal(opt_parse_arg(table, "--n", "7", &c, given, err, sizeof(err)), 2);
	assert_int_equal(c.n, 7);
	/* "--name=value" never takes the next argument */
	assert_int_equal(opt_parse_arg(table, "--mode=seq", "rand", &c, given, err, sizeof(err)), 1);
	assert_int_equal(c.mode, 0);
	/* a bare boolean is true and leaves the next argument alone */
	assert_int_equal(opt_parse_arg(table, "--flag", "off", &c, given, err, sizeof(err)), 1);
	assert_true(c.flag);
	/* an option is not a value */
	assert_int_equal(opt_parse_arg(table, "--name", "--n=3", &c, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "needs a value"));
	/* a bad separate value names the option */
	assert_int_equal(opt_parse_arg(table, "--size", "huge", &c, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--size: 'huge'"));
}

/* named values of an OPT_U64 (--cpu=none): parsed, formatted and in JSON */
static void test_named_value(void **state)
{
	static const char *const words[] = { "none", NULL };
	const struct opt_def t[] = {
		{ "cpu", OPT_U64, offsetof(struct cfg, n), NULL, 0, 7, words, "cpu" },
		OPT_END
	};
	struct cfg c = { 0 };
	char err[256], buf[32];
	json_t *j;

	assert_int_equal(opt_parse_value(&t[0], "none", &c, err, sizeof(err)), 0);
	assert_true(c.n == OPT_NAMED(0));
	opt_format(&t[0], &c, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	j = opt_to_json(t, &c);
	assert_string_equal(json_string_value(json_object_get(j, "cpu")), "none");
	json_decref(j);
	assert_int_equal(opt_parse_value(&t[0], "5", &c, err, sizeof(err)), 0);
	assert_int_equal(c.n, 5);
	assert_int_equal(opt_parse_value(&t[0], "8", &c, err, sizeof(err)), -1);
	assert_int_equal(opt_parse_value(&t[0], "all", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "or none"));
	opt_describe(&t[0], buf, sizeof(buf));
	assert_string_equal(buf, "u64 0..7|none");
}

static void test_defaults(void **state)
{
	struct cfg c = { 0 };
	char err[256];

	assert_int_equal(opt_apply_defaults(table, &c, err, sizeof(err)), 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.size, 65536);
	assert_false(c.flag);
	assert_int_equal(c.mode, 1);
	assert_null(c.name);
}

static void test_values(void **state)
{
	struct cfg c = { 0 };
	bool given[8] = { false };
	char err[256];

	assert_int_equal(parse(&c, given, "--n=10", err), 1);
	assert_int_equal(c.n, 10);
	assert_int_equal(parse(&c, given, "--size=2M", err), 1);
	assert_int_equal(c.size, 2 << 20);
	assert_int_equal(parse(&c, given, "--flag", err), 1);
	assert_true(c.flag);
	assert_int_equal(parse(&c, given, "--mode=seq", err), 1);
	assert_int_equal(c.mode, 0);
	assert_int_equal(parse(&c, given, "--name=a,b", err), 1);
	assert_string_equal(c.name, "a,b");
	assert_true(given[0] && given[1] && given[2] && given[3] && given[4]);
}

static void test_size_suffixes(void **state)
{
	static const struct { const char *text; uint64_t bytes; } ok[] = {
		{ "4096", 4096 }, { "4K", 4096 }, { "4k", 4096 }, { "4KB", 4096 },
		{ "4KiB", 4096 }, { "1G", 1ULL << 30 }, { "3M", 3ULL << 20 },
	};
	static const char *const bad[] = { "-1", "", "4Q", "4KK", "0x10", " 4", "4 K", "K" };
	struct cfg c = { 0 };
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(opt_parse_value(&table[1], ok[i].text, &c, err, sizeof(err)), 0);
		assert_int_equal(c.size, ok[i].bytes);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(opt_parse_value(&table[1], bad[i], &c, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "--size"));
	}
}

static void test_bounds(void **state)
{
	struct cfg c = { 0 };
	char err[256];

	assert_int_equal(parse(&c, NULL, "--n=0", err), -1);
	assert_non_null(strstr(err, "--n: 0 is out of range 1..10"));
	assert_int_equal(parse(&c, NULL, "--n=11", err), -1);
	assert_int_equal(parse(&c, NULL, "--size=2K", err), -1);
	assert_non_null(strstr(err, "4K..1G"));
	assert_int_equal(parse(&c, NULL, "--size=2G", err), -1);
	/* overflow of the multiplier is a bad value, not a wrap-around */
	assert_int_equal(parse(&c, NULL, "--size=99999999999999T", err), -1);
	assert_int_equal(parse(&c, NULL, "--n=99999999999999999999999", err), -1);
}

static void test_bad_values(void **state)
{
	struct cfg c = { 0 };
	char err[256];

	assert_int_equal(parse(&c, NULL, "--n=abc", err), -1);
	assert_non_null(strstr(err, "--n: 'abc' is not an unsigned integer"));
	assert_int_equal(parse(&c, NULL, "--n=-3", err), -1);
	assert_int_equal(parse(&c, NULL, "--n=3x", err), -1);
	assert_int_equal(parse(&c, NULL, "--n", err), -1);
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(parse(&c, NULL, "--flag=maybe", err), -1);
	assert_non_null(strstr(err, "--flag"));
	assert_int_equal(parse(&c, NULL, "--mode=zigzag", err), -1);
	assert_non_null(strstr(err, "seq, rand"));
}

static void test_unknown_and_twice(void **state)
{
	struct cfg c = { 0 };
	bool given[8] = { false };
	char err[256];

	assert_int_equal(parse(&c, given, "--nope=1", err), 0);
	assert_int_equal(parse(&c, given, "n=1", err), 0);
	assert_int_equal(parse(&c, given, "--n=1", err), 1);
	assert_int_equal(parse(&c, given, "--n=2", err), -1);
	assert_non_null(strstr(err, "given more than once"));
}

static void test_format_roundtrip(void **state)
{
	struct cfg c = { 0 }, d = { 0 };
	char err[256], buf[64];
	size_t i;

	assert_int_equal(opt_apply_defaults(table, &c, err, sizeof(err)), 0);
	c.size = 3ULL << 20;
	for (i = 0; table[i].name; i++) {
		if (table[i].type == OPT_STRING)
			continue;
		opt_format(&table[i], &c, buf, sizeof(buf));
		assert_int_equal(opt_parse_value(&table[i], buf, &d, err, sizeof(err)), 0);
	}
	assert_memory_equal(&c, &d, offsetof(struct cfg, name));
}

static void test_real_tables(void **state)
{
	size_t i;

	for (i = 0; i < nr_workloads; i++) {
		const struct workload *wl = workloads[i];
		void *block = calloc(1, wl->config_size + 1);
		const struct opt_def *o;
		char err[256];

		assert_non_null(wl->name);
		assert_non_null(wl->summary);
		assert_non_null(wl->run);
		assert_ptr_equal(workload_find(wl->name), wl);
		if (opt_apply_defaults(wl->options, block, err, sizeof(err)))
			fail_msg("%s: %s", wl->name, err);
		for (o = wl->options; o && o->name; o++) {
			if (opt_find(runner_options, o->name))
				fail_msg("%s: option --%s shadows a runner option", wl->name, o->name);
			assert_true(o->offset < wl->config_size);
		}
		free(block);
	}
	assert_null(workload_find("no-such-workload"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_separate_value),
		cmocka_unit_test(test_named_value),
		cmocka_unit_test(test_size_suffixes),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_unknown_and_twice),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_real_tables),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
