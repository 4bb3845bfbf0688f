// SPDX-License-Identifier: GPL-2.0
/*
 * End to end on the running kernel: every registered workload runs briefly
 * with --verify and its JSON Lines are read back and checked field by
 * field; bad options exit 2 naming the option; a missing resource is a
 * SKIP with its reason recorded; SIGINT keeps every completed repetition.
 */
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <sys/utsname.h>
#include <time.h>

#include "testutil.h"

#include "counters.h"
#include "exitcodes.h"
#include "schema.h"
#include "runner.h"
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
	char want[1024], got[1024] = "";
	struct utsname u;

	/* the default set of this machine, in table order, counted or with a reason */
	assert_int_equal(uname(&u), 0);
	event_set_list(default_set(u.machine, "native"), want, sizeof(want));
	json_object_foreach(counters, name, c) {
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", *got ? "," : "", name);
		assert_true(json_is_integer(json_object_get(c, "total")) ||
			    json_string_length(json_object_get(c, "unsupported")) > 10);
	}
	assert_string_equal(got, want);
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

/* The lowest CPU of this task's affinity, and how many it has. */
static int lowest_cpu(int *count)
{
	cpu_set_t set;
	int cpu, lowest = -1;

	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	*count = CPU_COUNT(&set);
	for (cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--)
		if (CPU_ISSET(cpu, &set))
			lowest = cpu;
	return lowest;
}

/* A run of fault with extra arguments; its records, stderr in *err. */
static json_t *run_fault(char **err, const char *const *extra)
{
	char *path, *out = out_arg(&path);
	const char *a[24] = { "run", "fault", "--bytes", "2M", "--events=page-faults", out };
	json_t *recs;
	int i, n = 6;

	for (i = 0; extra[i]; i++)
		a[n++] = extra[i];
	a[n] = NULL;
	if (run_tlbbench(err, a) != EXIT_PASS)
		fail_msg("fault: %s", *err);
	recs = read_jsonl(path);
	unlink(path);
	free(path);
	free(out);
	return recs;
}

/* env run.cpu, and every measured sample's info.cpus, are "cpu" (-1: null) */
static void expect_cpu(json_t *recs, int cpu)
{
	json_t *run = json_object_get(json_array_get(recs, 0), "run"), *r;
	size_t i;

	if (cpu < 0)
		assert_true(json_is_null(json_object_get(run, "cpu")));
	else
		assert_int_equal(jint(run, "cpu"), cpu);
	json_array_foreach(recs, i, r) {
		json_t *cpus = json_object_get(json_object_get(r, "info"), "cpus");

		if (strcmp(jstr(r, "type"), "sample"))
			continue;
		assert_int_equal(json_array_size(cpus), 1);
		if (cpu < 0)
			assert_true(json_is_null(json_array_get(cpus, 0)));
		else
			assert_int_equal(json_integer_value(json_array_get(cpus, 0)), cpu);
	}
}

/*
 * Pinned by default to the lowest CPU allowed (recorded in run.cpu and
 * info.cpus, named in the summary); --cpu=N there; --cpu=none floats.
 */
static void test_pinning(void **state)
{
	cpu_set_t mine, one;
	int count, low = lowest_cpu(&count), high;
	char *err, want[64];
	json_t *recs;

	recs = run_fault(&err, (const char *const[]){ "--reps=2", NULL });
	expect_cpu(recs, low);
	snprintf(want, sizeof(want), " on CPU %d: 2 reps", low);
	if (!strstr(err, want))
		fail_msg("summary does not say '%s': %s", want, err);
	json_decref(recs);
	free(err);
	if (count < 2) {
		print_message("one CPU allowed: --cpu=none and a narrower affinity not tested\n");
		return;
	}
	/* with only the highest allowed CPU left, the run takes that one */
	assert_int_equal(sched_getaffinity(0, sizeof(mine), &mine), 0);
	for (high = CPU_SETSIZE - 1; !CPU_ISSET(high, &mine); high--)
		;
	CPU_ZERO(&one);
	CPU_SET(high, &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	recs = run_fault(&err, (const char *const[]){ NULL });
	assert_int_equal(sched_setaffinity(0, sizeof(mine), &mine), 0);
	expect_cpu(recs, high);
	json_decref(recs);
	free(err);
	/* --cpu N, as GNU options are written */
	snprintf(want, sizeof(want), "%d", high);
	recs = run_fault(&err, (const char *const[]){ "--cpu", want, NULL });
	expect_cpu(recs, high);
	json_decref(recs);
	free(err);
	recs = run_fault(&err, (const char *const[]){ "--cpu=none", NULL });
	expect_cpu(recs, -1);
	assert_non_null(strstr(err, " unpinned: "));
	json_decref(recs);
	free(err);
}

/* A number in the summary as printed, SI prefix applied. */
static double si_number(const char *p)
{
	double v, scale = 1;
	char *end;

	v = strtod(p, &end);
	switch (*end) {
	case 'k': scale = 1e3; break;
	case 'M': scale = 1e6; break;
	case 'G': scale = 1e9; break;
	}
	return v * scale;
}

/* The number before " <unit>" in the summary line. */
static double number_before(const char *err, const char *unit)
{
	const char *u = strstr(err, unit), *p;

	if (!u || u - err < 2)
		fail_msg("no '%s' in the summary: %s", unit, err);
	for (p = u - 1; p > err && p[-1] != ' '; p--)
		;
	return si_number(p);
}

/* The number after "<name> " in the summary line. */
static double number_after(const char *err, const char *name)
{
	const char *p = strstr(err, name);

	if (!p)
		fail_msg("no '%s' in the summary: %s", name, err);
	return si_number(p + strlen(name));
}

/*
 * The summary line after the last repetition states what the JSON says:
 * the harmonic mean of ops per second of the measured samples, pages/s
 * for fault; --quiet silences it.
 */
static void test_summary_matches_json(void **state)
{
	double inv = 0, faults = 0, hmean, shown;
	json_t *recs, *r, *pf;
	size_t i, n = 0;
	char *err;

	recs = run_fault(&err, (const char *const[]){ "--reps", "3", "--warmup", "1", NULL });
	json_array_foreach(recs, i, r) {
		if (strcmp(jstr(r, "type"), "sample") || strcmp(jstr(r, "phase"), "measure"))
			continue;
		inv += (double)jint(r, "elapsed_ns") / jint(r, "ops") / 1e9;
		pf = json_object_get(json_object_get(json_object_get(r, "counters"), "page-faults"),
				     "total");
		faults = json_is_integer(pf) && faults >= 0 ?
			faults + (double)json_integer_value(pf) / jint(r, "ops") : -1;
		n++;
	}
	assert_int_equal(n, 3);
	hmean = n / inv;
	shown = number_before(err, " pages/s");
	/* four significant digits printed */
	if (fabs(shown - hmean) > 6e-4 * hmean)
		fail_msg("summary says %g pages/s, the JSON %g: %s", shown, hmean, err);
	assert_non_null(strstr(err, "fault bytes=2M "));
	assert_non_null(strstr(err, ": 3 reps, "));
	assert_non_null(strstr(err, "% CI, "));
	/* the headline counter per op: the mean of the JSON's (where perf counts) */
	shown = faults < 0 ? -1 : number_after(err, "; page-faults ");
	if (faults >= 0 && fabs(shown - faults / n) > 6e-4 * (faults / n))
		fail_msg("summary says %g page-faults/op, the JSON %g", shown, faults / n);
	json_decref(recs);
	free(err);

	recs = run_fault(&err, (const char *const[]){ "--reps=1", "--quiet", NULL });
	if (strstr(err, "pages/s"))
		fail_msg("--quiet printed: %s", err);
	json_decref(recs);
	free(err);
}

/* "run WORKLOAD --help" and "help WORKLOAD": the options, exit 0; bad ones exit 2 */
static void test_help(void **state)
{
	const struct workload *wl = workload_find("tlb_reach");
	const struct opt_def *o;
	char *out, *out2, *err, flag[64];
	json_t *recs;

	assert_int_equal(run_tlbbench_out(&out, &err, (const char *const[]){
		"run", "tlb_reach", "--bytes=2M", "--help", NULL }), EXIT_PASS);
	for (o = wl->options; o->name; o++) {
		snprintf(flag, sizeof(flag), "--%s ", o->name);
		if (!strstr(out, flag))
			fail_msg("run tlb_reach --help does not show %s: %s", flag, out);
	}
	for (o = runner_options; o->name; o++) {
		snprintf(flag, sizeof(flag), "--%s ", o->name);
		if (!strstr(out, flag))
			fail_msg("run tlb_reach --help does not show %s", flag);
	}
	free(err);
	assert_int_equal(run_tlbbench_out(&out2, &err, (const char *const[]){
		"help", "tlb_reach", NULL }), EXIT_PASS);
	assert_string_equal(out, out2);
	free(out);
	free(out2);
	free(err);
	expect_usage((const char *const[]){ "help", "nosuch", NULL }, "nosuch");
	expect_usage((const char *const[]){ "run", "fault", "--bytes", NULL }, "--bytes: needs a value");
	expect_usage((const char *const[]){ "run", "fault", "--bytes", "--reps=1", NULL },
		     "--bytes: needs a value");
	/* "--opt value" lands where "--opt=value" does */
	recs = run_fault(&err, (const char *const[]){ "--reps", "1", "--access", "read", NULL });
	assert_int_equal(jint(json_object_get(json_array_get(recs, 0), "run"), "reps"), 1);
	assert_string_equal(jstr(json_object_get(json_object_get(json_array_get(recs, 0), "run"),
						 "options"), "access"), "read");
	assert_int_equal(jint(json_object_get(json_object_get(json_array_get(recs, 0), "run"),
					      "options"), "bytes"), 2 << 20);
	json_decref(recs);
	free(err);
}

/*
 * The default events follow machine and target: natively on x86 the
 * generic TLB events and no arm64 PMU event; under TLBBENCH_TARGET=tcg no
 * TLB event at all (the model counts those, under the same names).
 */
static void test_default_events(void **state)
{
	char *path, *out = out_arg(&path), *err;
	const char *a[] = { "run", "fault", "--bytes=2M", "--reps=1", "--warmup=0", out, NULL };
	json_t *recs, *counters, *c;
	const char *name;
	struct utsname u;
	size_t tlb = 0;

	assert_int_equal(uname(&u), 0);
	assert_int_equal(run_tlbbench(&err, a), EXIT_PASS);
	free(err);
	recs = read_jsonl(path);
	counters = json_object_get(json_array_get(recs, 1), "counters");
	json_object_foreach(counters, name, c) {
		const struct counter_def *def = counter_find(name);

		assert_non_null(def);
		tlb += def->tlb;
		if (!strcmp(u.machine, "x86_64") && def->kind == EV_PMU)
			fail_msg("x86 default set has the arm64 event %s", name);
	}
	if (!strcmp(u.machine, "x86_64"))
		assert_non_null(json_object_get(counters, "dTLB-load-misses"));
	assert_true(tlb > 0);
	json_decref(recs);
	unlink(path);

	setenv("TLBBENCH_TARGET", "tcg", 1);
	assert_int_equal(run_tlbbench(&err, a), EXIT_PASS);
	unsetenv("TLBBENCH_TARGET");
	free(err);
	recs = read_jsonl(path);
	counters = json_object_get(json_array_get(recs, 1), "counters");
	assert_non_null(json_object_get(counters, "page-faults"));
	json_object_foreach(counters, name, c)
		if (counter_find(name)->tlb)
			fail_msg("tcg default set has the TLB event %s", name);
	json_decref(recs);
	unlink(path);
	free(path);
	free(out);
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
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_pinning),
		cmocka_unit_test(test_summary_matches_json),
		cmocka_unit_test(test_default_events),
		cmocka_unit_test(test_missing_resource_skips),
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_sigint_keeps_samples),
	};

	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
