/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tlbbench run --profile: a perf profile of the measured loop.  perf record
 * (Debian's linux-perf) is attached to the runner with its events off and
 * switched on and off around each measured repetition through its control
 * pipes, so the profile holds the measured loops only (and whatever they
 * pause inside for proofs and --verify), with every process they start.
 */
#ifndef TLBBENCH_PROFILE_H
#define TLBBENCH_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Where the profile of a run writing its samples to "out" goes: beside
 * them, named by workload and pid (unique within a plan's runs).
 */
void profile_path(char *buf, size_t len, const char *out, const char *workload);

/* The sampling event: a software clock, so it works without a PMU. */
#define PROFILE_EVENT	"cpu-clock"

struct profile {
	pid_t pid;		/* perf record, 0 when not running */
	int ctl, ack;		/* our ends of its control and ack pipes */
	char path[512];		/* perf.data */
	char log[528];		/* perf's own output */
};

/*
 * Start perf record on this process and its future children, writing
 * "path", with sampling off.  Returns 0; or the exit code (EXIT_SKIP when
 * perf is not installed, EXIT_FAIL otherwise) with the reason in why.
 */
int profile_start(struct profile *p, const char *path, char *why, size_t len);

/* Switch sampling on or off; returns once perf has done it.  0 or -1. */
int profile_enable(struct profile *p, bool on, char *why, size_t len);

/* Stop perf and wait for it to write the file.  0 or -1 with why. */
int profile_finish(struct profile *p, char *why, size_t len);

#endif /* TLBBENCH_PROFILE_H */
