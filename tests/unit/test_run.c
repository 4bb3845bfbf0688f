// SPDX-License-Identifier: GPL-2.0
/*
 * End to end on the running kernel: every registered workload runs briefly
 * with --verify and its JSON Lines are read back and checked field by
 * field; bad options exit 2 naming the option; a missing resource is a
 * SKIP with its reason recorded; SIGINT keeps every completed repetition.
 */
#include <poll.h>
#include <time.h>

#include "testutil.h"

#include "exitcodes.h"
#include "schema.h"
#include "workload.h"

static char *out_arg(char **path)
{
	char *arg;

	*path = tmp_path("run");
	assert_true(asprintf(&arg, "--out=%s", *path) > 0);
	return arg;
}

static void check_env(json_t *env, const char *workload)
{
	assert_string_equal(jstr(env, "type"), "env");
	assert_int_equal(jint(env, "schema_version"), 1);
	assert_string_equal(jstr(env, "target"), "native");
	assert_string_equal(jstr(json_object_get(env, "run"), "workload"), workload);
	assert_non_null(jstr(json_object_get(env, "kernel"), "release"));
	assert_true(jint(json_object_get(env, "mm"), "page_size") >= 4096);
	assert_true(json_is_null(json_object_get(env, "tlb_model")));
}

static void check_sample(json_t *s, const char *phase, int rep, long long seq,
			 bool verified)
{
	json_t *counters = json_object_get(s, "counters"), *c;
	const char *name;

	assert_string_equal(jstr(s, "type"), "sample");
	assert_string_equal(jstr(s, "phase"), phase);
	assert_int_equal(jint(s, "rep"), rep);
	assert_int_equal(jint(s, "seq"), seq);
	assert_true(jint(s, "elapsed_ns") > 0);
	assert_true(jint(s, "ops") > 0);
	assert_int_equal(json_is_true(json_object_get(s, "verified")), verified);
	assert_non_null(json_object_get(json_object_get(s, "rusage"), "utime_ns"));
	/* every default event is present, counted or with a reason */
	assert_true(json_object_size(counters) >= 20);
	json_object_foreach(counters, name, c)
		assert_true(json_is_integer(json_object_get(c, "total")) ||
			    json_string_length(json_object_get(c, "unsupported")) > 10);
}

static void test_every_workload_verifies(void **state)
{
	size_t i;

	for (i = 0; i < nr_workloads; i++) {
		char *path, *out = out_arg(&path), *err, verr[512];
		const char *args[] = { "run", workloads[i]->name, "--reps=2", "--warmup=1",
				       "--verify", out, NULL };
		json_t *recs, *end;
		int code = run_tlbbench(&err, args);

		recs = read_jsonl(path);
		end = json_array_get(recs, json_array_size(recs) - 1);
		if (code == EXIT_SKIP) {
			/* a skip must say why, in the file and on stderr */
			assert_string_equal(jstr(end, "status"), "skip");
			assert_non_null(jstr(end, "reason"));
			print_message("%s: SKIP: %s\n", workloads[i]->name, jstr(end, "reason"));
		} else {
			if (code != EXIT_PASS)
				fail_msg("%s exited %d: %s", workloads[i]->name, code, err);
			assert_int_equal(json_array_size(recs), 5);
			check_env(json_array_get(recs, 0), workloads[i]->name);
			check_sample(json_array_get(recs, 1), "warmup", 0, 0, true);
			check_sample(json_array_get(recs, 2), "measure", 0, 1, true);
			check_sample(json_array_get(recs, 3), "measure", 1, 2, true);
			assert_string_equal(jstr(end, "status"), "pass");
			assert_int_equal(jint(end, "samples"), 3);
		}
		if (schema_check_file(path, verr, sizeof(verr)))
			fail_msg("%s", verr);
		json_decref(recs);
		unlink(path);
		free(path);
		free(out);
		free(err);
	}
}

static void test_fault_counts_pages(void **state)
{
	char *path, *out = out_arg(&path), *err;
	const char *args[] = { "run", "fault", "--bytes=1M", "--reps=1", "--warmup=0",
			       "--events=page-faults", out, NULL };
	json_t *recs, *s, *pf;

	assert_int_equal(run_tlbbench(&err, args), EXIT_PASS);
	recs = read_jsonl(path);
	s = json_array_get(recs, 1);
	assert_int_equal(jint(s, "ops"), (1 << 20) / getpagesize());
	pf = json_object_get(json_object_get(s, "counters"), "page-faults");
	if (json_object_get(pf, "total"))
		assert_true(jint(pf, "total") >= (1 << 20) / getpagesize());
	json_decref(recs);
	unlink(path);
	free(path);
	free(out);
	free(err);
}

/* ops of the one measured sample of a run, which must pass */
static long long ops_of(const char *const *args)
{
	char *path, *out = out_arg(&path), *err;
	const char *a[16];
	json_t *recs;
	long long ops;
	int i;

	for (i = 0; args[i]; i++)
		a[i] = args[i];
	a[i++] = "--reps=1";
	a[i++] = "--warmup=0";
	a[i++] = "--verify";
	a[i++] = "--events=";
	a[i++] = out;
	a[i] = NULL;
	if (run_tlbbench(&err, a) != EXIT_PASS)
		fail_msg("%s %s: %s", args[1], args[2], err);
	recs = read_jsonl(path);
	ops = jint(json_array_get(recs, 1), "ops");
	json_decref(recs);
	unlink(path);
	free(path);
	free(out);
	free(err);
	return ops;
}

/* ops counts what each workload's summary says it counts */
static void test_ops_meaning(void **state)
{
	/* 2M is 32 blocks of 64K: partial ranges are 2 pages in each */
	assert_int_equal(ops_of((const char *const[]){ "run", "mprotect", "--bytes=2M",
		"--range=partial", "--toggles=3", NULL }), 3 * 32 * 2);
	assert_int_equal(ops_of((const char *const[]){ "run", "mprotect", "--bytes=2M",
		"--toggles=3", NULL }), 3 * 2);
	assert_int_equal(ops_of((const char *const[]){ "run", "munmap", "--bytes=2M",
		"--range=partial", NULL }), 32 * 2);
	assert_int_equal(ops_of((const char *const[]){ "run", "munmap", "--bytes=2M", NULL }), 512);
	assert_int_equal(ops_of((const char *const[]){ "run", "madvise", "--bytes=2M",
		"--range=partial", NULL }), 32 * 2);
	assert_int_equal(ops_of((const char *const[]){ "run", "madvise", "--bytes=2M",
		"--advice=free", NULL }), 512);
	assert_int_equal(ops_of((const char *const[]){ "run", "fork", "--bytes=2M", "--forks=3",
		"--child=write", NULL }), 3);
	assert_int_equal(ops_of((const char *const[]){ "run", "tlb_reach", "--bytes=2M",
		"--accesses=777", "--order=seq", NULL }), 777);
}

static void expect_usage(const char *const *args, const char *needle)
{
	char *err;

	assert_int_equal(run_tlbbench(&err, args), EXIT_USAGE);
	if (!strstr(err, needle))
		fail_msg("stderr '%s' does not name '%s'", err, needle);
	free(err);
}

static void test_usage_errors(void **state)
{
	expect_usage((const char *const[]){ "run", "fault", "--bytes=-1", NULL }, "--bytes");
	expect_usage((const char *const[]){ "run", "fault", "--bytes=1", NULL }, "--bytes: 1 is out of range");
	expect_usage((const char *const[]){ "run", "fault", "--colour=red", NULL }, "--colour");
	expect_usage((const char *const[]){ "run", "fault", "--reps=0", NULL }, "--reps");
	expect_usage((const char *const[]){ "run", "fault", "--events=tlb_misses", NULL }, "tlb_misses");
	expect_usage((const char *const[]){ "run", "nosuch", NULL }, "nosuch");
	expect_usage((const char *const[]){ "frobnicate", NULL }, "frobnicate");
}

/*
 * --profile: a perf.data beside the samples, named in the end record; a
 * SKIP with the reason where perf is not installed.  Without --profile the
 * end record says null.
 */
static void test_profile(void **state)
{
	char *path, *out = out_arg(&path), *err, *log, magic[8] = "";
	const char *args[] = { "run", "fault", "--bytes=4M", "--reps=2", "--warmup=1",
			       "--profile", out, NULL };
	const char *plain[] = { "run", "fault", "--bytes=1M", "--reps=1", "--warmup=0",
				out, NULL };
	json_t *recs, *end;
	const char *prof;
	int code = run_tlbbench(&err, args);
	FILE *f;

	recs = read_jsonl(path);
	end = json_array_get(recs, json_array_size(recs) - 1);
	if (code == EXIT_SKIP) {
		assert_non_null(strstr(jstr(end, "reason"), "perf"));
		print_message("profile: SKIP: %s\n", jstr(end, "reason"));
	} else {
		if (code != EXIT_PASS)
			fail_msg("--profile exited %d: %s", code, err);
		prof = jstr(end, "profile");
		assert_non_null(prof);
		/* beside the samples */
		assert_memory_equal(prof, path, strrchr(path, '/') - path + 1);
		f = fopen(prof, "r");
		assert_non_null(f);
		assert_int_equal(fread(magic, 1, sizeof(magic), f), sizeof(magic));
		fclose(f);
		assert_memory_equal(magic, "PERFILE2", sizeof(magic));
		assert_true(asprintf(&log, "%s.log", prof) > 0);
		unlink(log);
		free(log);
		unlink(prof);
	}
	json_decref(recs);
	unlink(path);
	free(err);

	assert_int_equal(run_tlbbench(&err, plain), EXIT_PASS);
	recs = read_jsonl(path);
	end = json_array_get(recs, json_array_size(recs) - 1);
	assert_true(json_is_null(json_object_get(end, "profile")));
	json_decref(recs);
	unlink(path);
	free(path);
	free(out);
	free(err);
}

static void test_missing_resource_skips(void **state)
{
	char *path, *out = out_arg(&path), *err;
	const char *args[] = { "run", "fault", "--node=1023", "--reps=1", out, NULL };
	json_t *recs, *end;

	assert_int_equal(run_tlbbench(&err, args), EXIT_SKIP);
	assert_non_null(strstr(err, "SKIP"));
	recs = read_jsonl(path);
	assert_int_equal(json_array_size(recs), 2);
	end = json_array_get(recs, 1);
	assert_string_equal(jstr(end, "status"), "skip");
	assert_non_null(strstr(jstr(end, "reason"), "--node"));
	json_decref(recs);
	unlink(path);
	free(path);
	free(out);
	free(err);
}

static size_t count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;
	int ch;

	if (!f)
		return 0;
	while ((ch = fgetc(f)) != EOF)
		n += ch == '\n';
	fclose(f);
	return n;
}

static void test_sigint_keeps_samples(void **state)
{
	char *path, *out = out_arg(&path), *ef = tmp_path("sigint-err"), verr[512];
	const char *args[] = { "run", "fault", "--bytes=2M", "--reps=1000000", out, NULL };
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	json_t *recs, *end;
	size_t i, samples = 0;
	pid_t pid;
	int tries;

	pid = spawn_tlbbench(ef, args);
	/* wait for a few samples (env + 3), at most 20 s */
	for (tries = 0; tries < 2000 && count_lines(path) < 4; tries++)
		nanosleep(&nap, NULL);
	assert_true(count_lines(path) >= 4);
	kill(pid, SIGINT);
	assert_int_equal(wait_exit(pid), EXIT_INTERRUPTED);

	recs = read_jsonl(path);
	end = json_array_get(recs, json_array_size(recs) - 1);
	assert_string_equal(jstr(end, "status"), "interrupted");
	for (i = 1; i + 1 < json_array_size(recs); i++) {
		check_sample(json_array_get(recs, i), i == 1 ? "warmup" : "measure",
			     i == 1 ? 0 : i - 2, i - 1, false);
		samples++;
	}
	assert_true(samples >= 3);
	assert_int_equal(jint(end, "samples"), samples);
	if (schema_check_file(path, verr, sizeof(verr)))
		fail_msg("%s", verr);
	json_decref(recs);
	unlink(path);
	unlink(ef);
	free(path);
	free(ef);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_workload_verifies),
		cmocka_unit_test(test_fault_counts_pages),
		cmocka_unit_test(test_ops_meaning),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_missing_resource_skips),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_sigint_keeps_samples),
	};

	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
