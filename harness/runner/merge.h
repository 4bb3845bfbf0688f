/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Merge TLB-model counters into samples: "tlbbench merge SAMPLES MODEL
 * --out=FILE".  Each region record of the model (tlbsim's JSON Lines) is
 * matched to the sample with the same region id; its counters join the
 * sample's counters under the same perf names, so a sample from the model
 * reads like a sample from a PMU.  The env records gain the model's
 * description as tlb_model.
 */
#ifndef TLBBENCH_MERGE_H
#define TLBBENCH_MERGE_H

#include <stddef.h>

int merge_files(const char *samples, const char *model, const char *out,
		char *err, size_t errlen);

int merge_main(int argc, char **argv);

#endif /* TLBBENCH_MERGE_H */
