/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one interface between the tlbbench runner and a workload.
 *
 * A workload is one file, workloads/<name>.c, that defines one
 * "const struct workload wl_<name>" and is listed once in
 * workloads/registry.h.  The registry refers to the symbol, so a listed
 * workload whose file is missing is a link error, and the compiler checks
 * every hook against the prototypes below.
 *
 * The workload owns setup, the measured loop and teardown.  Warm-up,
 * repetitions, CPU pinning, NUMA placement and counters belong to the runner.
 */
#ifndef TLBBENCH_WORKLOAD_H
#define TLBBENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_t;

/* Value types of workload and runner options. */
enum opt_type {
	OPT_U64,	/* unsigned integer, bounded by min..max, or a named value */
	OPT_SIZE,	/* byte count with optional K/M/G suffix (powers of 1024) */
	OPT_BOOL,	/* 0/1, true/false, yes/no, on/off */
	OPT_ENUM,	/* one of choices[]; stored as its index (unsigned int) */
	OPT_STRING,	/* free text; stored as a const char * into argv */
};

/*
 * One typed, bounded option.  The parsed value is stored at "offset" in the
 * workload's configuration block (config_size bytes, zeroed, defaults
 * applied before parsing).  OPT_U64 and OPT_SIZE store a uint64_t, OPT_BOOL
 * a bool, OPT_ENUM an unsigned int, OPT_STRING a const char *.  A NULL
 * default leaves the option unset (zero) unless given.
 */
struct opt_def {
	const char *name;
	enum opt_type type;
	size_t offset;
	const char *def;		/* default, written as on the command line */
	uint64_t min, max;		/* inclusive bounds for U64 and SIZE */
	/*
	 * NULL-terminated.  ENUM: the values.  U64: words also accepted in
	 * place of a number (--cpu=none), stored as OPT_NAMED(index).
	 */
	const char *const *choices;
	const char *help;
};

#define OPT_END { .name = NULL }

/* What an OPT_U64 stores for its named value choices[i]: above any bound. */
#define OPT_NAMED(i)	(UINT64_MAX - (uint64_t)(i))

/* Result of a hook.  Exit codes of the program are in harness/runner/exitcodes.h. */
enum wl_status {
	WL_OK = 0,
	WL_FAIL,	/* a syscall or a data check failed: the run fails */
	WL_SKIP,	/* a feature or resource is missing: the run is skipped */
};

/*
 * Per-run context handed to every hook.  The runner owns it; a workload
 * keeps its own state behind "priv".
 */
struct wl_ctx {
	const void *config;	/* the parsed option block */
	void *priv;		/* priv_size zeroed bytes of workload state */
	bool verify;		/* --verify: check the data at every verify point */
	unsigned int rep;	/* current repetition, counted from 0 within its phase */
	long page_size;
	/*
	 * Per-sample fields the workload wants recorded beside the counters
	 * (for example what mapping it got).  An object, emptied before every
	 * repetition; fill it with the jansson API.
	 */
	struct json_t *sample_info;
	/* Set by the runner on SIGINT/SIGTERM; long loops may stop early. */
	volatile const int *stop;
	/* Private to the runner. */
	struct runner_state *runner;
	char reason[256];	/* why a hook failed or skipped */
};

/*
 * The workload description.  Hooks may be NULL except run.
 *
 * setup     once, before any repetition: allocate, check features (SKIP).
 * prepare   before every repetition, not measured.
 * run       one measured repetition; stores its operation count in *ops.
 *           Counters and the clock run only inside this call.
 * verify    checks the data; called only through wl_verify_point(), with
 *           counters and clock paused, and only under --verify.
 * teardown  once, after the last repetition, even after a failure.
 *
 * op        what one operation of *ops is ("page", "fork"): the summary
 *           line prints the rate as pages/s, forks/s.
 * inherit   counters also count the threads and child processes the
 *           workload creates after they are opened (perf's inherit):
 *           threaded variants and process trees.
 */
struct workload {
	const char *name;
	const char *summary;
	const char *op;		/* one operation, singular: rates read "<op>s/s" */
	const struct opt_def *options;
	size_t config_size;
	size_t priv_size;
	bool inherit;
	enum wl_status (*setup)(struct wl_ctx *ctx);
	enum wl_status (*prepare)(struct wl_ctx *ctx);
	enum wl_status (*run)(struct wl_ctx *ctx, uint64_t *ops);
	enum wl_status (*verify)(struct wl_ctx *ctx);
	void (*teardown)(struct wl_ctx *ctx);
};

/*
 * Called by a workload inside run() where its data is complete: under
 * --verify it pauses counters and clock, calls the workload's verify hook
 * and resumes; otherwise it returns WL_OK at once.
 */
enum wl_status wl_verify_point(struct wl_ctx *ctx);

/*
 * Stop and restart counters, clock and TLB-model region inside run(), for
 * unmeasured work such as proving what mapping the loop got.  Pairs must
 * not nest.
 */
void wl_pause(struct wl_ctx *ctx);
void wl_resume(struct wl_ctx *ctx);

/*
 * Record why a hook failed: "<what>: <strerror(err)>" into ctx->reason.
 * Returns WL_FAIL so a hook can write "return wl_fail(ctx, "mmap", errno);".
 */
enum wl_status wl_fail(struct wl_ctx *ctx, const char *what, int err);

/* Record a formatted reason; returns the given status. */
enum wl_status wl_reason(struct wl_ctx *ctx, enum wl_status status,
			 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The registry: every workload, in the order of workloads/registry.h. */
extern const struct workload *const workloads[];
extern const size_t nr_workloads;

const struct workload *workload_find(const char *name);

#endif /* TLBBENCH_WORKLOAD_H */
