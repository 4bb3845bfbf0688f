// SPDX-License-Identifier: GPL-2.0
/*
 * The run loop.  For each repetition: prepare (unmeasured), reset the
 * counters, start clock and counters, call the workload's measured loop,
 * stop, read, and append one sample record.  Warm-up repetitions are
 * recorded too, with phase "warmup", so nothing measured is thrown away.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <numa.h>

#include "contpte.h"
#include "emit.h"
#include "env.h"
#include "events.h"
#include "exitcodes.h"
#include "options.h"
#include "profile.h"
#include "runner.h"
#include "summary.h"

#if __has_include("tlbsim_region.h")
#include "tlbsim_region.h"
#else
static inline void tlbsim_region_begin(uint64_t id, const char *label) { }
static inline void tlbsim_region_end(uint64_t id) { }
#endif

/* --cpu=none: not pinned */
static const char *const cpu_words[] = { "none", NULL };

const struct opt_def runner_options[] = {
	{ "reps", OPT_U64, offsetof(struct run_config, reps), "5", 1, 1000000, NULL,
	  "measured repetitions" },
	{ "warmup", OPT_U64, offsetof(struct run_config, warmup), "1", 0, 1000000, NULL,
	  "warm-up repetitions, recorded with phase=warmup" },
	[RUNNER_OPT_CPU] = { "cpu", OPT_U64, offsetof(struct run_config, cpu), NULL,
	  0, CPU_SETSIZE - 1, cpu_words,
	  "pin the run to this CPU (default: the lowest allowed one; none: let it float)" },
	[RUNNER_OPT_NODE] = { "node", OPT_U64, offsetof(struct run_config, node), NULL,
	  0, 1023, NULL, "bind memory (and CPUs, without --cpu) to this NUMA node" },
	{ "events", OPT_STRING, offsetof(struct run_config, events), NULL, 0, 0, NULL,
	  "comma-separated perf event names (default: this machine's set, tlbbench list --events; empty: none)" },
	{ "out", OPT_STRING, offsetof(struct run_config, out), "-", 0, 0, NULL,
	  "JSON Lines file to append to ('-': standard output)" },
	{ "verify", OPT_BOOL, offsetof(struct run_config, verify), "false", 0, 0, NULL,
	  "check the data at every verify point of the workload" },
	{ "profile", OPT_BOOL, offsetof(struct run_config, profile), "false", 0, 0, NULL,
	  "perf record (" PROFILE_EVENT ") the measured repetitions into a perf.data beside --out" },
	{ "quiet", OPT_BOOL, offsetof(struct run_config, quiet), "false", 0, 0, NULL,
	  "no summary line on stderr" },
	OPT_END
};

/* Runner state behind wl_ctx->runner. */
struct runner_state {
	const struct workload *wl;
	struct counter_set counters;
	uint64_t paused_at;	/* clock when wl_pause() stopped it */
	uint64_t paused_ns;	/* unmeasured time inside this repetition */
	struct rusage ru_paused_at;
	struct rusage ru_paused;	/* unmeasured rusage inside this repetition */
	uint64_t seq;		/* sample sequence number in this run */
	uint64_t region;	/* the TLB model's id for the current sample */
	struct profile *prof;	/* --profile: perf record, sampling measured reps */
	json_t *measured;	/* the measured sample records, for the summary */
	/*
	 * contpte debugfs counters of the current repetition: the delta so
	 * far (measured stretches only) and the values when the clock last
	 * started; NULL on kernels without contpte.  ct_err: a read failed.
	 */
	json_t *ct_delta, *ct_last;
	char ct_err[256];
};

/* Add what the counters moved since ct_last to ct_delta; end the stretch. */
static void contpte_stretch_end(struct runner_state *rs)
{
	json_t *now;

	if (!rs->ct_last)
		return;
	now = contpte_stats_read(rs->ct_err, sizeof(rs->ct_err));
	if (!now) {
		if (!rs->ct_err[0])
			snprintf(rs->ct_err, sizeof(rs->ct_err), "%s/stats vanished during the run",
				 contpte_dir());
		return;
	}
	contpte_stats_add_delta(rs->ct_delta, rs->ct_last, now);
	json_decref(rs->ct_last);
	rs->ct_last = now;
}

/* A measured stretch starts: remember the counters (if there are any). */
static void contpte_stretch_start(struct runner_state *rs)
{
	if (!rs->ct_delta || rs->ct_err[0])
		return;
	json_decref(rs->ct_last);
	rs->ct_last = contpte_stats_read(rs->ct_err, sizeof(rs->ct_err));
	if (!rs->ct_last && !rs->ct_err[0])
		snprintf(rs->ct_err, sizeof(rs->ct_err), "%s/stats vanished during the run",
			 contpte_dir());
}

/*
 * Region ids must be unique across every run of one guest boot (a plan runs
 * one process per run, each counting seq from 0): pid in the high half.
 */
static uint64_t region_id(uint64_t seq)
{
	return (uint64_t)getpid() << 32 | seq;
}

static volatile int stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000ULL + (uint64_t)tv->tv_usec * 1000;
}

enum wl_status wl_fail(struct wl_ctx *ctx, const char *what, int err)
{
	snprintf(ctx->reason, sizeof(ctx->reason), "%s: %s", what, strerror(err));
	return WL_FAIL;
}

enum wl_status wl_reason(struct wl_ctx *ctx, enum wl_status status,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->reason, sizeof(ctx->reason), fmt, ap);
	va_end(ap);
	return status;
}

void wl_pause(struct wl_ctx *ctx)
{
	struct runner_state *rs = ctx->runner;

	counters_stop();
	tlbsim_region_end(rs->region);
	rs->paused_at = now_ns();
	getrusage(RUSAGE_SELF, &rs->ru_paused_at);
	contpte_stretch_end(rs);
}

/* acc += b - a, field by field, for the rusage fields samples record */
static void rusage_add_delta(struct rusage *acc, const struct rusage *a,
			     const struct rusage *b)
{
	struct timeval d;

	timersub(&b->ru_utime, &a->ru_utime, &d);
	timeradd(&acc->ru_utime, &d, &acc->ru_utime);
	timersub(&b->ru_stime, &a->ru_stime, &d);
	timeradd(&acc->ru_stime, &d, &acc->ru_stime);
	acc->ru_minflt += b->ru_minflt - a->ru_minflt;
	acc->ru_majflt += b->ru_majflt - a->ru_majflt;
	acc->ru_nvcsw += b->ru_nvcsw - a->ru_nvcsw;
	acc->ru_nivcsw += b->ru_nivcsw - a->ru_nivcsw;
}

void wl_resume(struct wl_ctx *ctx)
{
	struct runner_state *rs = ctx->runner;

	struct rusage now;

	contpte_stretch_start(rs);
	getrusage(RUSAGE_SELF, &now);
	rusage_add_delta(&rs->ru_paused, &rs->ru_paused_at, &now);
	rs->paused_ns += now_ns() - rs->paused_at;
	/* the same id again: the model's records for one sample are summed */
	tlbsim_region_begin(rs->region, rs->wl->name);
	counters_start();
}

enum wl_status wl_verify_point(struct wl_ctx *ctx)
{
	struct runner_state *rs = ctx->runner;
	enum wl_status ret;

	if (!ctx->verify || !rs->wl->verify)
		return WL_OK;
	wl_pause(ctx);
	ret = rs->wl->verify(ctx);
	wl_resume(ctx);
	return ret;
}

static void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("tlbbench run: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* What the measured loop used: b - a, less what paused work used. */
static json_t *rusage_delta(const struct rusage *a, const struct rusage *b,
			    const struct rusage *paused)
{
	json_t *o = json_object();

	json_object_set_new(o, "utime_ns", json_integer(tv_ns(&b->ru_utime) - tv_ns(&a->ru_utime) -
							 tv_ns(&paused->ru_utime)));
	json_object_set_new(o, "stime_ns", json_integer(tv_ns(&b->ru_stime) - tv_ns(&a->ru_stime) -
							 tv_ns(&paused->ru_stime)));
	json_object_set_new(o, "minflt", json_integer(b->ru_minflt - a->ru_minflt - paused->ru_minflt));
	json_object_set_new(o, "majflt", json_integer(b->ru_majflt - a->ru_majflt - paused->ru_majflt));
	json_object_set_new(o, "nvcsw", json_integer(b->ru_nvcsw - a->ru_nvcsw - paused->ru_nvcsw));
	json_object_set_new(o, "nivcsw", json_integer(b->ru_nivcsw - a->ru_nivcsw - paused->ru_nivcsw));
	return o;
}

/* Parse runner and workload options, which may come in any order. */
static int parse_args(int argc, char **argv, const struct workload *wl,
		      struct run_config *rc, bool *rc_given, void *wcfg)
{
	bool wl_given[64] = { false };
	char err[256];
	int i, r;

	if (opt_count(wl->options) > sizeof(wl_given) / sizeof(wl_given[0])) {
		usage_error("%s: too many options", wl->name);
		return -1;
	}
	if (opt_apply_defaults(runner_options, rc, err, sizeof(err)) ||
	    opt_apply_defaults(wl->options, wcfg, err, sizeof(err))) {
		usage_error("bad default: %s", err);
		return -1;
	}
	for (i = 0; i < argc; i += r) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;

		r = opt_parse_arg(runner_options, argv[i], next, rc, rc_given, err, sizeof(err));
		if (r == 0)
			r = opt_parse_arg(wl->options, argv[i], next, wcfg, wl_given,
					  err, sizeof(err));
		if (r < 0) {
			usage_error("%s", err);
			return -1;
		}
		if (r == 0) {
			usage_error("%s: unknown option '%s' (tlbbench help %s shows its options)",
				    wl->name, argv[i], wl->name);
			return -1;
		}
	}
	return 0;
}

void run_help(FILE *f, const struct workload *wl)
{
	fprintf(f, "usage: tlbbench run %s [--OPTION=VALUE | --OPTION VALUE ...]\n\n"
		"%s - %s\n", wl->name, wl->name, wl->summary);
	opt_print(f, wl->options);
	fprintf(f, "\nrunner options (every workload):\n");
	opt_print(f, runner_options);
	fprintf(f, "\nWrites JSON Lines to --out and a summary line to stderr.\n"
		"exit codes: 0 pass, 1 fail, 2 usage, 4 skip, 130 interrupted\n");
}

/* The lowest CPU this task may run on, or -1. */
static int lowest_allowed_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return -1;
}

static int pin_to(int cpu, char *why, size_t len)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		snprintf(why, len, "--cpu=%d: sched_setaffinity: %s", cpu, strerror(errno));
		return errno == EINVAL ? EXIT_SKIP : EXIT_FAIL;
	}
	return EXIT_PASS;
}

/*
 * NUMA binding and CPU pinning: --cpu, else the lowest CPU the task (on
 * --node, the node) allows, as will-it-scale pins; --cpu=none floats.
 * *cpu is the CPU pinned to, -1 when floating.  Returns an exit code,
 * EXIT_PASS if done.
 */
static int place(const struct run_config *rc, const bool *given, int *cpu,
		 char *why, size_t len)
{
	bool floating = given[RUNNER_OPT_CPU] && rc->cpu == OPT_NAMED(0);
	int code;

	*cpu = -1;
	if (given[RUNNER_OPT_NODE]) {
		struct bitmask *nodes;

		if (numa_available() < 0) {
			snprintf(why, len, "--node: this kernel has no NUMA support");
			return EXIT_SKIP;
		}
		if ((int)rc->node > numa_max_node()) {
			snprintf(why, len, "--node=%llu: the machine has nodes 0..%d",
				 (unsigned long long)rc->node, numa_max_node());
			return EXIT_SKIP;
		}
		nodes = numa_allocate_nodemask();
		numa_bitmask_setbit(nodes, rc->node);
		numa_set_bind_policy(1);
		numa_set_membind(nodes);
		numa_free_nodemask(nodes);
		if (!(given[RUNNER_OPT_CPU] && !floating) && numa_run_on_node(rc->node)) {
			snprintf(why, len, "--node=%llu: numa_run_on_node: %s",
				 (unsigned long long)rc->node, strerror(errno));
			return EXIT_FAIL;
		}
	}
	if (floating)
		return EXIT_PASS;
	*cpu = given[RUNNER_OPT_CPU] ? (int)rc->cpu : lowest_allowed_cpu();
	if (*cpu < 0) {
		snprintf(why, len, "sched_getaffinity: %s", strerror(errno));
		return EXIT_FAIL;
	}
	code = pin_to(*cpu, why, len);
	if (code != EXIT_PASS)
		*cpu = -1;	/* not where it was asked to be */
	return code;
}

static json_t *env_record(const struct workload *wl, const struct run_config *rc,
			  const bool *given, const void *wcfg, const char *target,
			  int cpu, int argc, char **argv)
{
	json_t *rec = json_object(), *env, *run, *args = json_array();
	char stamp[32];
	time_t t = time(NULL);
	int i;

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	json_object_set_new(rec, "type", json_string("env"));
	json_object_set_new(rec, "schema_version", json_integer(SCHEMA_VERSION));
	json_object_set_new(rec, "tlbbench_version", json_string(TLBBENCH_VERSION));
	json_object_set_new(rec, "run_id", getenv(ENV_RUN_ID) ?
			    json_string(getenv(ENV_RUN_ID)) : json_null());
	json_object_set_new(rec, "started_at", json_string(stamp));

	run = json_object();
	json_object_set_new(run, "workload", json_string(wl->name));
	json_object_set_new(run, "options", opt_to_json(wl->options, wcfg));
	json_object_set_new(run, "reps", json_integer(rc->reps));
	json_object_set_new(run, "warmup", json_integer(rc->warmup));
	/* the CPU pinned to, whether --cpu named it or not; null: floating */
	json_object_set_new(run, "cpu", cpu >= 0 ? json_integer(cpu) : json_null());
	json_object_set_new(run, "node", given[RUNNER_OPT_NODE] ? json_integer(rc->node) : json_null());
	json_object_set_new(run, "verify", json_boolean(rc->verify));
	for (i = 0; i < argc; i++)
		json_array_append_new(args, json_string(argv[i]));
	json_object_set_new(run, "argv", args);
	json_object_set_new(rec, "run", run);

	env = env_collect(target);
	json_object_update(rec, env);
	json_decref(env);
	return rec;
}

static json_t *end_record(const char *status, const char *stage, const char *reason,
			  uint64_t samples, const char *profile)
{
	json_t *rec = json_object();

	json_object_set_new(rec, "type", json_string("end"));
	json_object_set_new(rec, "status", json_string(status));
	json_object_set_new(rec, "stage", stage ? json_string(stage) : json_null());
	json_object_set_new(rec, "reason", reason && *reason ? json_string(reason) : json_null());
	json_object_set_new(rec, "samples", json_integer(samples));
	json_object_set_new(rec, "profile", profile ? json_string(profile) : json_null());
	return rec;
}

/*
 * Start the repetition's contpte record: the counters before the loop, or
 * nothing on a kernel without them.  Returns -1 with ctx->reason set if
 * the file is there but unreadable.
 */
static int contpte_rep_begin(struct wl_ctx *ctx, json_t **before)
{
	struct runner_state *rs = ctx->runner;

	rs->ct_err[0] = '\0';
	json_decref(rs->ct_delta);
	json_decref(rs->ct_last);
	rs->ct_delta = rs->ct_last = NULL;
	*before = contpte_stats_read(rs->ct_err, sizeof(rs->ct_err));
	if (!*before) {
		snprintf(ctx->reason, sizeof(ctx->reason), "%s", rs->ct_err);
		return rs->ct_err[0] ? -1 : 0;
	}
	rs->ct_delta = json_object();
	rs->ct_last = json_deep_copy(*before);
	return 0;
}

/*
 * The sample's "contpte": before, after and the delta over the measured
 * stretches (null without contpte), into *out.  Returns -1 with
 * ctx->reason set if a read failed on the way.
 */
static int contpte_rep_end(struct wl_ctx *ctx, json_t *before, json_t **out)
{
	struct runner_state *rs = ctx->runner;
	json_t *o;

	*out = json_null();
	if (!before)
		return 0;
	contpte_stretch_end(rs);
	if (rs->ct_err[0]) {
		json_decref(before);
		snprintf(ctx->reason, sizeof(ctx->reason), "contpte counters: %s", rs->ct_err);
		return -1;
	}
	o = json_object();
	json_object_set_new(o, "before", before);
	json_object_set(o, "after", rs->ct_last);
	json_object_set(o, "delta", rs->ct_delta);
	*out = o;
	return 0;
}

/* One repetition; returns WL_OK or the hook's status with ctx->reason set. */
static enum wl_status one_rep(struct wl_ctx *ctx, const char *phase, unsigned int rep,
			      struct emitter *em, const char **stage)
{
	struct runner_state *rs = ctx->runner;
	const struct workload *wl = rs->wl;
	struct rusage ru0, ru1;
	enum wl_status ret;
	uint64_t ops = 0, t0, t1;
	bool sampled = rs->prof && !strcmp(phase, "measure");
	json_t *rec, *ct_before, *ct;
	char err[256];

	ctx->rep = rep;
	json_object_clear(ctx->sample_info);
	if (wl->prepare) {
		*stage = "prepare";
		ret = wl->prepare(ctx);
		if (ret != WL_OK)
			return ret;
	}
	rs->paused_ns = 0;
	memset(&rs->ru_paused, 0, sizeof(rs->ru_paused));
	*stage = "profile";
	if (sampled && profile_enable(rs->prof, true, ctx->reason, sizeof(ctx->reason)))
		return WL_FAIL;
	*stage = "contpte";
	if (contpte_rep_begin(ctx, &ct_before))
		return WL_FAIL;
	counters_reset(&rs->counters);
	getrusage(RUSAGE_SELF, &ru0);
	*stage = "run";
	rs->region = region_id(rs->seq);
	t0 = now_ns();
	tlbsim_region_begin(rs->region, wl->name);
	counters_start();
	ret = wl->run(ctx, &ops);
	counters_stop();
	tlbsim_region_end(rs->region);
	t1 = now_ns();
	getrusage(RUSAGE_SELF, &ru1);
	if (sampled && profile_enable(rs->prof, false, ctx->reason, sizeof(ctx->reason))) {
		*stage = "profile";
		json_decref(ct_before);
		return WL_FAIL;
	}
	if (ret != WL_OK) {
		json_decref(ct_before);
		return ret;
	}
	/* outside the clock and the counters, as the reads in wl_pause() */
	if (contpte_rep_end(ctx, ct_before, &ct)) {
		*stage = "contpte";
		return WL_FAIL;
	}

	rec = json_object();
	json_object_set_new(rec, "type", json_string("sample"));
	json_object_set_new(rec, "seq", json_integer(rs->seq));
	json_object_set_new(rec, "phase", json_string(phase));
	json_object_set_new(rec, "rep", json_integer(rep));
	json_object_set_new(rec, "region", json_integer(rs->region));
	json_object_set_new(rec, "elapsed_ns", json_integer(t1 - t0 - rs->paused_ns));
	json_object_set_new(rec, "ops", json_integer(ops));
	json_object_set_new(rec, "verified", json_boolean(ctx->verify && wl->verify));
	json_object_set_new(rec, "counters", counters_read(&rs->counters));
	json_object_set_new(rec, "rusage", rusage_delta(&ru0, &ru1, &rs->ru_paused));
	json_object_set_new(rec, "contpte", ct);
	json_object_set_new(rec, "info", json_deep_copy(ctx->sample_info));
	rs->seq++;
	if (!strcmp(phase, "measure"))
		json_array_append(rs->measured, rec);
	*stage = "record";
	if (emit_record(em, rec, err, sizeof(err))) {
		snprintf(ctx->reason, sizeof(ctx->reason), "%s", err);
		return WL_FAIL;
	}
	return WL_OK;
}

/* Warm-up then measured repetitions.  Returns the exit code. */
static int run_reps(struct wl_ctx *ctx, const struct run_config *rc,
		    struct emitter *em, uint64_t *samples, const char **stage)
{
	static const char *const phases[] = { "warmup", "measure" };
	uint64_t counts[] = { rc->warmup, rc->reps };
	unsigned int p, rep;
	enum wl_status ret;

	for (p = 0; p < 2; p++) {
		for (rep = 0; rep < counts[p]; rep++) {
			if (stop_requested) {
				*stage = phases[p];
				return EXIT_INTERRUPTED;
			}
			ret = one_rep(ctx, phases[p], rep, em, stage);
			if (ret != WL_OK)
				return ret == WL_SKIP ? EXIT_SKIP : EXIT_FAIL;
			(*samples)++;
		}
	}
	return EXIT_PASS;
}

static int finish(struct emitter *em, int code, const char *stage, const char *reason,
		  uint64_t samples, const char *wl, const char *profile)
{
	static const char *const names[] = {
		[EXIT_PASS] = "pass", [EXIT_FAIL] = "fail", [EXIT_SKIP] = "skip",
	};
	const char *status = code == EXIT_INTERRUPTED ? "interrupted" : names[code];
	char err[256];

	if (code == EXIT_SKIP)
		fprintf(stderr, "tlbbench run %s: SKIP: %s\n", wl, reason);
	else if (code == EXIT_FAIL)
		fprintf(stderr, "tlbbench run %s: FAIL in %s: %s\n", wl, stage, reason);
	else if (code == EXIT_INTERRUPTED)
		fprintf(stderr, "tlbbench run %s: interrupted; %llu samples kept\n",
			wl, (unsigned long long)samples);
	if (emit_record(em, end_record(status, code == EXIT_PASS ? NULL : stage, reason, samples,
				       profile), err, sizeof(err))) {
		fprintf(stderr, "tlbbench run %s: %s\n", wl, err);
		if (code == EXIT_PASS)
			code = EXIT_FAIL;
	}
	emit_close(em);
	return code;
}

/* "fault access=write backing=anon-4k bytes=128M threads=1 on CPU 0" */
static void run_head(const struct workload *wl, const void *wcfg, int cpu,
		     char *buf, size_t len)
{
	const struct opt_def *o;
	size_t used;

	snprintf(buf, len, "%s", wl->name);
	for (o = wl->options; o && o->name; o++) {
		char val[128];

		opt_format(o, wcfg, val, sizeof(val));
		used = strlen(buf);
		snprintf(buf + used, len - used, " %s=%s", o->name, val);
	}
	used = strlen(buf);
	if (cpu >= 0)
		snprintf(buf + used, len - used, " on CPU %d", cpu);
	else
		snprintf(buf + used, len - used, " unpinned");
}

/* The perf events to open: --events, else this machine's default set. */
static const char *event_list(const struct run_config *rc, const char *target,
			      char *buf, size_t len)
{
	struct utsname u;

	if (rc->events)
		return rc->events;
	if (uname(&u))
		snprintf(u.machine, sizeof(u.machine), "unknown");
	return event_set_list(default_set(u.machine, target), buf, len);
}

int run_main(int argc, char **argv)
{
	struct runner_state rs = { 0 };
	struct run_config rc = { 0 };
	struct profile prof = { 0 };
	bool rc_given[16] = { false };
	struct wl_ctx ctx = { 0 };
	const struct workload *wl;
	struct sigaction sa = { 0 };
	const char *target, *stage = "setup";
	struct emitter em;
	uint64_t samples = 0;
	void *wcfg = NULL;
	char err[256], why[256] = "", ppath[512], events[1024], head[1024], line[4096];
	enum wl_status ret;
	int code, cpu, i;

	if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		printf("usage: tlbbench run WORKLOAD [--OPTION=VALUE ...]; "
		       "tlbbench help WORKLOAD shows a workload's options\n");
		return EXIT_PASS;
	}
	if (argc < 1 || argv[0][0] == '-') {
		usage_error("usage: tlbbench run WORKLOAD [--OPTION=VALUE ...]");
		return EXIT_USAGE;
	}
	wl = workload_find(argv[0]);
	if (!wl) {
		usage_error("unknown workload '%s' (tlbbench list shows them)", argv[0]);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			run_help(stdout, wl);
			return EXIT_PASS;
		}
	}
	wcfg = calloc(1, wl->config_size ? wl->config_size : 1);
	ctx.priv = calloc(1, wl->priv_size ? wl->priv_size : 1);
	rs.measured = json_array();
	if (!wcfg || !ctx.priv || !rs.measured) {
		fprintf(stderr, "tlbbench run: out of memory\n");
		return EXIT_FAIL;
	}
	if (parse_args(argc - 1, argv + 1, wl, &rc, rc_given, wcfg))
		return EXIT_USAGE;
	target = env_target(err, sizeof(err));
	if (!target) {
		usage_error("%s", err);
		return EXIT_USAGE;
	}
	if (counters_open(&rs.counters, event_list(&rc, target, events, sizeof(events)),
			  wl->inherit, err, sizeof(err))) {
		usage_error("%s", err);
		return EXIT_USAGE;
	}
	if (emit_open(&em, rc.out, err, sizeof(err))) {
		fprintf(stderr, "tlbbench run %s: %s\n", wl->name, err);
		return EXIT_FAIL;
	}

	/* the first SIGINT ends the run after the current repetition */
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* placed first, so the env record says where the run is */
	code = place(&rc, rc_given, &cpu, why, sizeof(why));
	if (emit_record(&em, env_record(wl, &rc, rc_given, wcfg, target, cpu, argc, argv),
			err, sizeof(err))) {
		fprintf(stderr, "tlbbench run %s: %s\n", wl->name, err);
		return EXIT_FAIL;
	}
	if (code != EXIT_PASS)
		return finish(&em, code, "placement", why, 0, wl->name, NULL);

	rs.wl = wl;
	ctx.config = wcfg;
	ctx.verify = rc.verify;
	ctx.page_size = sysconf(_SC_PAGESIZE);
	ctx.sample_info = json_object();
	ctx.stop = &stop_requested;
	ctx.runner = &rs;

	ret = wl->setup ? wl->setup(&ctx) : WL_OK;
	if (ret != WL_OK) {
		code = ret == WL_SKIP ? EXIT_SKIP : EXIT_FAIL;
		snprintf(why, sizeof(why), "%s", ctx.reason);
	} else if (rc.profile && (profile_path(ppath, sizeof(ppath), rc.out, wl->name),
				  code = profile_start(&prof, ppath, why, sizeof(why)))) {
		stage = "profile";
	} else {
		rs.prof = rc.profile ? &prof : NULL;
		code = run_reps(&ctx, &rc, &em, &samples, &stage);
		snprintf(why, sizeof(why), "%s", code == EXIT_INTERRUPTED ?
			 "interrupted by signal" : ctx.reason);
		if (rs.prof && profile_finish(rs.prof, err, sizeof(err)) && code == EXIT_PASS) {
			code = EXIT_FAIL;
			stage = "profile";
			snprintf(why, sizeof(why), "%s", err);
		}
	}
	if (wl->teardown)
		wl->teardown(&ctx);
	run_head(wl, wcfg, cpu, head, sizeof(head));
	json_decref(ctx.sample_info);
	json_decref(rs.ct_delta);
	json_decref(rs.ct_last);
	counters_close(&rs.counters);
	free(ctx.priv);
	free(wcfg);
	code = finish(&em, code, stage, why, samples, wl->name, rs.prof ? prof.path : NULL);
	/* after the end record: what was measured, as the JSON has it */
	if (!rc.quiet && json_array_size(rs.measured) &&
	    (code == EXIT_PASS || code == EXIT_INTERRUPTED))
		fprintf(stderr, "%s\n", summary_line(rs.measured, head, wl->op, line, sizeof(line)));
	json_decref(rs.measured);
	return code;
}
