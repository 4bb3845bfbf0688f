/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters: the perf events of the counter table (counters.h), by perf's
 * names, opened with perf_event_open(2) on the measuring task around the
 * measured loop.
 * An event the machine cannot count is kept with the reason, never as 0.
 */
#ifndef TLBBENCH_EVENTS_H
#define TLBBENCH_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counters.h"

struct json_t;

/* sysfs root of perf PMUs; tests point it at a fabricated tree. */
extern const char *events_sysfs_root;

/*
 * A PMU event resolved from <root>/<pmu>/events/<name> and the PMU's
 * format/ files: the perf_event_attr fields to use.
 */
struct pmu_event {
	char pmu[64];
	uint32_t type;
	uint64_t config, config1, config2;
};

/* 0 on success; -1 with the reason in why (never an errno-less "failed"). */
int pmu_event_resolve(const char *name, struct pmu_event *ev,
		      char *why, size_t whylen);

/* What read(2) of a counter returns (PERF_FORMAT_TOTAL_TIME_*). */
struct read_value {
	uint64_t value, enabled, running;
};

struct counter {
	const struct counter_def *def;
	int fd_user, fd_kernel;	/* split; fd_user holds the total when !split */
	bool split;
	char pmu[64];		/* which PMU served a named event */
	char unsupported[192];	/* empty when the event counts */
	/* the values at the last counters_reset(), subtracted by counters_read() */
	struct read_value base_user, base_kernel;
};

struct counter_set {
	size_t n;
	struct counter *c;
};

/*
 * Open the comma-separated "list" (empty: none) on the calling task.
 * inherit: also count children created later (for process trees).
 * Returns 0, or -1 with err set for a name not in the table or not a perf
 * event (a usage error);
 * events the machine cannot count are opened as unsupported, not errors.
 */
int counters_open(struct counter_set *set, const char *list, bool inherit,
		  char *err, size_t errlen);
void counters_close(struct counter_set *set);

/*
 * Zero every counter (by taking its current values as the base: an
 * inherited counter holds what its children counted, which the reset
 * ioctl does not clear); then start/stop all of this task's counters.
 */
void counters_reset(struct counter_set *set);
void counters_start(void);
void counters_stop(void);

/* Read every counter into a JSON object: name -> {user,kernel,total,...}. */
struct json_t *counters_read(const struct counter_set *set);

#endif /* TLBBENCH_EVENTS_H */
