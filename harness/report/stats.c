// SPDX-License-Identifier: GPL-2.0
/*
 * Summaries and Welch's t-test.  GSL supplies the moments, the median and
 * the Student t distribution; nothing here approximates a distribution.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

void stats_summarize(double *v, size_t n, double alpha, struct summary *s)
{
	size_t i;
	double inv = 0;

	s->n = n;
	s->mean = s->sd = s->cov = s->median = s->min = s->max = NAN;
	s->hmean = s->ci_lo = s->ci_hi = NAN;
	if (!n)
		return;
	gsl_sort(v, 1, n);
	s->mean = gsl_stats_mean(v, 1, n);
	s->median = gsl_stats_median_from_sorted_data(v, 1, n);
	s->min = v[0];
	s->max = v[n - 1];
	for (i = 0; i < n && v[i] > 0; i++)
		inv += 1 / v[i];
	if (i == n)
		s->hmean = n / inv;
	if (n < 2)
		return;
	s->sd = gsl_stats_sd_m(v, 1, n, s->mean);
	s->cov = s->mean != 0 ? s->sd / fabs(s->mean) : (s->sd == 0 ? 0 : NAN);
	{
		double half = gsl_cdf_tdist_Pinv(1 - alpha / 2, n - 1) * s->sd / sqrt(n);

		s->ci_lo = s->mean - half;
		s->ci_hi = s->mean + half;
	}
}

int stats_welch(const struct summary *a, const struct summary *b, struct welch *w)
{
	double va, vb, se2;

	if (a->n < 2 || b->n < 2)
		return -1;
	va = a->sd * a->sd / a->n;
	vb = b->sd * b->sd / b->n;
	se2 = va + vb;
	if (!(se2 > 0))
		return -1;
	w->t = (b->mean - a->mean) / sqrt(se2);
	/* Welch-Satterthwaite degrees of freedom */
	w->df = se2 * se2 / (va * va / (a->n - 1) + vb * vb / (b->n - 1));
	w->p = 2 * gsl_cdf_tdist_Q(fabs(w->t), w->df);
	return 0;
}
