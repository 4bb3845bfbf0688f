/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one table of counters and metrics: every name a sample can carry
 * (perf's software and PMU events, the TLB model's counters, and the
 * runner's own time, rate and CPU time per operation), with the facts the
 * rest of tlbbench needs about it: its unit, which way is better, the
 * statistic a report shows, whether it is a headline metric, where it
 * comes from, which default event sets hold it, and how perf opens it.
 *
 * The runner opens events from it, "tlbbench list --events --json"
 * exports it, compare reads it for every metric, and the scripts read it
 * from compare's JSON.  Nothing else holds a list of counter names.
 */
#ifndef TLBBENCH_COUNTERS_H
#define TLBBENCH_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_t;

/* Which way is better.  Neutral: how much work was done (accesses), not how well. */
enum direction { DIR_LOWER, DIR_HIGHER, DIR_NEUTRAL };

/* What a report shows of a metric's repetitions (mmtests: hmean for rates). */
enum statistic { STAT_MEDIAN, STAT_HMEAN, STAT_AMEAN };

/* Where a value comes from: bits of counter_def.sources. */
enum {
	SRC_SOFTWARE = 1 << 0,	/* a perf software event (the kernel counts it) */
	SRC_PMU = 1 << 1,	/* a perf hardware, cache or named PMU event */
	SRC_MODEL = 1 << 2,	/* the TLB model (tlbsim), merged into samples */
	SRC_RUNNER = 1 << 3,	/* the runner's clock and rusage, per operation */
};

/*
 * Default event sets, chosen by architecture and target (default_set()):
 * bits of counter_def.defaults.
 */
enum event_set {
	SET_GENERIC,	/* native on an architecture without its own set */
	SET_X86,	/* native x86-64: the generic dTLB and iTLB cache events */
	SET_ARM64,	/* native or KVM arm64: the PMUv3 TLB events */
	SET_TCG,	/* TCG guest: the TLB model counts the TLB, perf the rest */
	NR_EVENT_SETS
};
#define IN_SET(s)	(1u << (s))
#define IN_ALL_SETS	(IN_SET(SET_GENERIC) | IN_SET(SET_X86) | IN_SET(SET_ARM64) | \
			 IN_SET(SET_TCG))

/* How perf_event_open(2) counts an event. */
enum event_kind {
	EV_NONE,	/* not a perf event: the model or the runner provides it */
	EV_HARDWARE,	/* PERF_TYPE_HARDWARE generic event */
	EV_SOFTWARE,	/* PERF_TYPE_SOFTWARE */
	EV_HW_CACHE,	/* PERF_TYPE_HW_CACHE generic cache/TLB event */
	EV_PMU,		/* named PMU event, resolved from sysfs by name */
};

struct counter_def {
	const char *name;	/* perf's or the model's name, recorded unchanged */
	const char *unit;	/* "count", "ns", "ns/op", "ops/s" */
	enum direction dir;
	enum statistic stat;
	bool headline;		/* in the summary line and the report's tables */
	bool tlb;		/* a TLB counter: the TLB figures, a sweep's benefit */
	const char *restates;	/* another metric this one restates (rate: time) */
	unsigned int sources;	/* SRC_* */
	unsigned int defaults;	/* IN_SET() of the default sets holding it */
	enum event_kind kind;
	uint64_t config;	/* for the generic kinds */
	bool split;		/* count user and kernel separately when allowed */
	const char *help;
};

extern const struct counter_def counter_table[];
extern const size_t nr_counters;

/* The row of "name" (a ":user" or ":kernel" part finds its counter), or NULL. */
const struct counter_def *counter_find(const char *name);

extern const char *const event_set_names[NR_EVENT_SETS];

/* The default set for a machine ("x86_64", "aarch64", ...) and a target. */
enum event_set default_set(const char *machine, const char *target);

/*
 * The events of a set, comma-separated in table order, into buf.
 * Returns buf.
 */
char *event_set_list(enum event_set set, char *buf, size_t len);

/* The table as "tlbbench list --events --json" prints it. */
struct json_t *counters_json(void);

#endif /* TLBBENCH_COUNTERS_H */
