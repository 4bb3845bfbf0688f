/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "tlbbench run": setup, warm-up and measured repetitions, teardown, with
 * pinning, NUMA placement and counters around the measured loop only.
 */
#ifndef TLBBENCH_RUNNER_H
#define TLBBENCH_RUNNER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "workload.h"

/* The runner's own options; workload options share the command line. */
struct run_config {
	uint64_t reps;
	uint64_t warmup;
	uint64_t cpu;
	uint64_t node;
	const char *events;
	const char *out;
	bool verify;
	bool profile;
	bool quiet;
};

extern const struct opt_def runner_options[];

/* Index of --cpu and --node in runner_options, for their given[] flags. */
enum { RUNNER_OPT_CPU = 2, RUNNER_OPT_NODE = 3 };

int run_main(int argc, char **argv);

/* "tlbbench run WORKLOAD --help": the workload's and the runner's options. */
void run_help(FILE *f, const struct workload *wl);

#endif /* TLBBENCH_RUNNER_H */
