/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics for compare, on GSL: a summary of one metric's repetitions
 * and Welch's unequal-variance t-test between two summaries.
 */
#ifndef TLBBENCH_STATS_H
#define TLBBENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>

struct summary {
	size_t n;
	double mean, sd, cov;	/* sd: sample (n-1); cov = sd / |mean| */
	double median, min, max;
	double hmean;		/* harmonic mean; NAN unless every value > 0 */
	double ci_lo, ci_hi;	/* two-sided (1 - alpha) t interval of the mean; NAN if n < 2 */
};

/* Summarise v[0..n) (sorted in place) at confidence 1 - alpha. */
void stats_summarize(double *v, size_t n, double alpha, struct summary *s);

struct welch {
	double t, df, p;	/* p: two-sided */
};

/*
 * Welch's t-test of the means of a and b.  Returns -1 when it is not
 * defined: fewer than two values on a side, or no variance on either.
 */
int stats_welch(const struct summary *a, const struct summary *b, struct welch *w);

#endif /* TLBBENCH_STATS_H */
