// SPDX-License-Identifier: GPL-2.0
/*
 * Event table and counters: unknown names are usage errors, named PMU
 * events are encoded through the PMU's sysfs format files (tested on a
 * fabricated sysfs tree), and an event that cannot be opened is recorded
 * as unsupported with a reason, never as a count of 0.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

#include "events.h"

static char *root;

static void put(const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_sysfs(void **state)
{
	root = tmp_path("sysfs");
	assert_int_equal(mkdir(root, 0755), 0);
	/* type 4242 is no PMU the kernel knows, so opening it must fail */
	put("zpmu/type", "4242\n");
	put("zpmu/events/l1d_tlb_refill", "event=0x05\n");
	put("zpmu/events/l2d_tlb", "event=0x2f,umask=0xab\n");
	put("zpmu/events/bad_term", "colour=3\n");
	put("zpmu/format/event", "config:0-15\n");
	put("zpmu/format/umask", "config1:0-3,8-11\n");
	put("apmu/type", "4343\n");
	put("apmu/format/event", "config:0-7\n");
	events_sysfs_root = root;
	return 0;
}

/* every default set opens: each name is a perf event of the table */
static void test_default_sets_open(void **state)
{
	struct counter_set set;
	char err[256], list[1024];
	int s;

	for (s = 0; s < NR_EVENT_SETS; s++) {
		event_set_list(s, list, sizeof(list));
		assert_int_equal(counters_open(&set, list, false, err, sizeof(err)), 0);
		assert_true(set.n >= 6);
		counters_close(&set);
	}
}

/* the model's counters and the runner's metrics are not perf events */
static void test_not_perf_refused(void **state)
{
	struct counter_set set;
	char err[256];

	assert_int_equal(counters_open(&set, "page-faults,walk_steps", false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "TLB model"));
	assert_int_equal(counters_open(&set, "time", false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "runner"));
	assert_int_equal(counters_open(&set, "page-faults:user", false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown event"));
}

static void test_unknown_event(void **state)
{
	struct counter_set set;
	char err[256];

	assert_int_equal(counters_open(&set, "page-faults,L1D_TLB_REFIL", false,
				       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown event 'L1D_TLB_REFIL'"));
	assert_int_equal(counters_open(&set, "page-faults,page-faults", false,
				       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "named twice"));
}

static void test_pmu_resolve(void **state)
{
	struct pmu_event ev;
	char why[256];

	assert_int_equal(pmu_event_resolve("l1d_tlb_refill", &ev, why, sizeof(why)), 0);
	assert_string_equal(ev.pmu, "zpmu");
	assert_int_equal(ev.type, 4242);
	assert_int_equal(ev.config, 0x05);

	assert_int_equal(pmu_event_resolve("l2d_tlb", &ev, why, sizeof(why)), 0);
	assert_int_equal(ev.config, 0x2f);
	/* 0xab split over bits 0-3 (0xb) and 8-11 (0xa) */
	assert_int_equal(ev.config1, 0xa0b);

	assert_int_equal(pmu_event_resolve("dtlb_walk", &ev, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "'dtlb_walk'"));
	assert_int_equal(pmu_event_resolve("bad_term", &ev, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "colour"));
}

static void test_unsupported_is_recorded(void **state)
{
	struct counter_set set;
	json_t *vals, *c;
	char err[256];

	assert_int_equal(counters_open(&set, "l1d_tlb_refill,itlb_walk", false,
				       err, sizeof(err)), 0);
	vals = counters_read(&set);
	c = json_object_get(vals, "l1d_tlb_refill");
	assert_non_null(json_object_get(c, "unsupported"));
	assert_null(json_object_get(c, "total"));
	assert_non_null(strstr(jstr(c, "unsupported"), "perf_event_open"));
	c = json_object_get(vals, "itlb_walk");
	assert_non_null(strstr(jstr(c, "unsupported"), "'itlb_walk'"));
	json_decref(vals);
	counters_close(&set);
}

static void test_software_event_counts(void **state)
{
	const size_t len = 64 * 4096;
	struct counter_set set;
	json_t *vals, *c;
	char err[256], *p;
	size_t i;

	assert_int_equal(counters_open(&set, "page-faults", false, err, sizeof(err)), 0);
	vals = counters_read(&set);
	c = json_object_get(vals, "page-faults");
	if (json_object_get(c, "unsupported"))
		skip();	/* perf_event_paranoid forbids even software events */
	json_decref(vals);

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	madvise(p, len, MADV_NOHUGEPAGE);
	counters_reset(&set);
	counters_start();
	for (i = 0; i < len; i += 4096)
		p[i] = 1;
	counters_stop();
	vals = counters_read(&set);
	c = json_object_get(vals, "page-faults");
	assert_true(jint(c, "total") >= 64);
	/* the faults were taken from user mode */
	if (json_object_get(c, "user"))
		assert_true(jint(c, "user") >= 64);
	json_decref(vals);
	munmap(p, len);
	counters_close(&set);
}

/* n fresh pages written, then exit */
static void touch_and_exit(size_t n)
{
	char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		_exit(1);
	madvise(p, n * 4096, MADV_NOHUGEPAGE);
	for (i = 0; i < n; i++)
		p[i * 4096] = 1;
	_exit(0);
}

/*
 * page-faults, counted by inheritance, of a child whose own child (as
 * make's compilers are) touches n fresh pages.
 */
static int64_t grandchild_faults(struct counter_set *set, size_t n)
{
	json_t *vals;
	int64_t total;
	pid_t pid;
	int st;

	counters_reset(set);
	counters_start();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pid_t gc = fork();

		if (gc == 0)
			touch_and_exit(n);
		_exit(gc < 0 || waitpid(gc, &st, 0) != gc || !WIFEXITED(st) ||
		      WEXITSTATUS(st) != 0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	counters_stop();
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	vals = counters_read(set);
	total = jint(json_object_get(vals, "page-faults"), "total");
	json_decref(vals);
	return total;
}

/*
 * Inherited counters hold what exited grandchildren counted, which the
 * reset ioctl leaves alone: every repetition must still start from zero.
 */
static void test_inherited_counts_reset(void **state)
{
	const size_t n = 256;
	struct counter_set set;
	json_t *vals;
	int64_t first, second;
	char err[256];

	assert_int_equal(counters_open(&set, "page-faults", true, err, sizeof(err)), 0);
	vals = counters_read(&set);
	if (json_object_get(json_object_get(vals, "page-faults"), "unsupported"))
		skip();
	json_decref(vals);
	first = grandchild_faults(&set, n);
	second = grandchild_faults(&set, n);
	assert_true(first >= (int64_t)n);
	assert_true(second >= (int64_t)n);
	/* not first + second: the forks and exits take far fewer than n faults */
	assert_true(second < first + (int64_t)n / 2);
	counters_close(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_sets_open),
		cmocka_unit_test(test_not_perf_refused),
		cmocka_unit_test(test_unknown_event),
		cmocka_unit_test(test_pmu_resolve),
		cmocka_unit_test(test_unsupported_is_recorded),
		cmocka_unit_test(test_software_event_counts),
		cmocka_unit_test(test_inherited_counts_reset),
	};

	return cmocka_run_group_tests_name("events", tests, make_sysfs, NULL);
}
