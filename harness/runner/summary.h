/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The summary line "tlbbench run" prints on stderr after its last
 * repetition, as perf stat and hyperfine do: the run, its repetitions, the
 * median time per operation with a confidence interval, the rate and the
 * headline counters per operation.  It is computed from the very sample
 * records the run wrote, so it says nothing the JSON does not.
 */
#ifndef TLBBENCH_SUMMARY_H
#define TLBBENCH_SUMMARY_H

#include <stddef.h>

struct json_t;

/*
 * The median of v[0..n) (sorted in place) and a distribution-free
 * interval around it: the order statistics v[j] and v[n-1-j] for the
 * largest j whose coverage is at least 95%, or the whole range when no j
 * reaches that (n < 6).  *conf is the interval's exact coverage (0 when
 * n < 2: no interval).
 */
double summary_median_ci(double *v, size_t n, double *lo, double *hi, double *conf);

/* The harmonic mean of v[0..n), every value > 0; 0 when n is 0. */
double summary_hmean(const double *v, size_t n);

/*
 * The summary of "samples" (an array of measured sample records) into buf:
 *   "<head>: <n> reps, <t> us/op [lo, hi] 95% CI, <r> <op>s/s; <counter> <v>/op, ..."
 * op names one operation ("page"; NULL: "op").  Returns buf.
 */
char *summary_line(struct json_t *samples, const char *head, const char *op,
		   char *buf, size_t len);

#endif /* TLBBENCH_SUMMARY_H */
