// SPDX-License-Identifier: GPL-2.0
/*
 * The run's summary line.  Statistics as the report states them (the
 * counter table says which): the median for times, the harmonic mean for
 * rates, the table's statistic for each counter per operation.  The
 * interval of the median is the distribution-free one from order
 * statistics (the rank of the median is binomial), so it needs no
 * assumption about the noise and no statistics library in the guest.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "counters.h"
#include "summary.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* P(X <= k) for X ~ Binomial(n, 1/2). */
static double binom_half_cdf(size_t n, size_t k)
{
	double sum = 0;
	size_t i;

	for (i = 0; i <= k && i <= n; i++)
		sum += exp(lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) - n * M_LN2);
	return sum;
}

double summary_median_ci(double *v, size_t n, double *lo, double *hi, double *conf)
{
	size_t j = 0;

	*lo = *hi = NAN;
	*conf = 0;
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	if (n >= 2) {
		/* widen from the inside out: the narrowest interval still at 95% */
		while (j + 1 < n - 1 - (j + 1) && 1 - 2 * binom_half_cdf(n, j + 1) >= 0.95)
			j++;
		*lo = v[j];
		*hi = v[n - 1 - j];
		*conf = 1 - 2 * binom_half_cdf(n, j);
	}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double summary_hmean(const double *v, size_t n)
{
	double inv = 0;
	size_t i;

	for (i = 0; i < n; i++)
		inv += 1 / v[i];
	return n ? n / inv : 0;
}

static double mean(const double *v, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	return n ? sum / n : 0;
}

/* 66.39k, 1.234M: four significant digits and an SI prefix. */
static void fmt_si(double v, char *buf, size_t len)
{
	static const char prefix[] = " kMGTP";
	int i = 0;

	while (fabs(v) >= 1000 && i < 5) {
		v /= 1000;
		i++;
	}
	if (i)
		snprintf(buf, len, "%.4g%c", v, prefix[i]);
	else
		snprintf(buf, len, "%.4g", v);
}

/* nanoseconds in the unit that reads best: 15.06 us */
static const char *time_unit(double ns, double *scale)
{
	static const struct { double div; const char *name; } units[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (fabs(ns) >= units[i].div) {
			*scale = units[i].div;
			return units[i].name;
		}
	}
	*scale = 1;
	return "ns";
}

static double num(json_t *v)
{
	return json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
}

/* The appending snprintf: bounded, never past len. */
static void add(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* Each headline counter of the samples, per operation, by its statistic. */
static void add_counters(json_t *samples, size_t n, double *v, char *buf, size_t len)
{
	json_t *first = json_object_get(json_array_get(samples, 0), "counters"), *c;
	size_t counted = 0, uncounted = 0, i, k;
	const char *name;

	json_object_foreach(first, name, c) {
		const struct counter_def *def = counter_find(name);
		char val[32];
		double x, scale, lo, hi, conf;
		const char *unit;

		if (!def || !def->headline)
			continue;
		for (k = i = 0; i < n; i++) {
			json_t *s = json_array_get(samples, i);
			json_t *total = json_object_get(json_object_get(json_object_get(s, "counters"),
									name), "total");
			double ops = num(json_object_get(s, "ops"));

			if (json_is_integer(total) && ops > 0)
				v[k++] = num(total) / ops;
		}
		if (!k) {
			uncounted++;
			continue;
		}
		x = def->stat == STAT_MEDIAN ? summary_median_ci(v, k, &lo, &hi, &conf) :
			mean(v, k);
		add(buf, len, "%s %s", counted++ ? "," : ";", name);
		if (!strcmp(def->unit, "ns")) {
			unit = time_unit(x, &scale);
			add(buf, len, " %.4g %s/op", x / scale, unit);
		} else {
			fmt_si(x, val, sizeof(val));
			add(buf, len, " %s/op", val);
		}
	}
	if (uncounted)
		add(buf, len, "; %zu headline event%s not counted here (\"unsupported\" in the JSON)",
		    uncounted, uncounted == 1 ? "" : "s");
}

/*
 * On a contpte kernel: the folds and unfolds per repetition and, from the
 * last sample's mapping proof, how many candidate blocks were folded, so
 * a contpte number taken on blocks never folded says so.
 */
static void add_contpte(json_t *samples, size_t n, char *buf, size_t len)
{
	json_t *last = json_array_get(samples, n - 1);
	json_t *m = json_object_get(json_object_get(last, "info"), "mapping");
	json_t *folded = json_object_get(m, "contpte_folded_blocks");
	double folds = 0, unfolds = 0;
	size_t i, seen = 0;

	for (i = 0; i < n; i++) {
		json_t *d = json_object_get(json_object_get(json_array_get(samples, i), "contpte"),
					    "delta");
		const char *name;
		json_t *v;

		if (!json_is_object(d))
			continue;
		seen++;
		json_object_foreach(d, name, v) {
			if (!strcmp(name, "folds"))
				folds += num(v);
			else if (!strncmp(name, "unfold_", 7))
				unfolds += num(v);
		}
	}
	if (seen)
		add(buf, len, "; contpte %.4g folds, %.4g unfolds/rep", folds / seen, unfolds / seen);
	if (json_is_integer(folded))
		add(buf, len, "; %lld of %lld candidate 64K blocks folded%s",
		    json_integer_value(folded),
		    json_integer_value(json_object_get(m, "contig_64k_blocks")),
		    !json_integer_value(folded) &&
		    json_integer_value(json_object_get(m, "contig_64k_blocks")) ?
		    " (NONE: not a contpte measurement)" : "");
}

char *summary_line(json_t *samples, const char *head, const char *op, char *buf, size_t len)
{
	size_t n = json_array_size(samples), k = 0, i;
	double *t = calloc(n + 1, sizeof(*t)), *r = calloc(n + 1, sizeof(*r));
	double med, lo, hi, conf, scale, rate;
	const char *unit;
	char rbuf[32];

	snprintf(buf, len, "%s: %zu rep%s", head, n, n == 1 ? "" : "s");
	if (!t || !r)
		goto out;
	for (i = 0; i < n; i++) {
		json_t *s = json_array_get(samples, i);
		double ns = num(json_object_get(s, "elapsed_ns"));
		double ops = num(json_object_get(s, "ops"));

		if (ns > 0 && ops > 0) {
			t[k] = ns / ops;
			r[k++] = ops * 1e9 / ns;
		}
	}
	if (!k) {
		add(buf, len, ", no operation timed");
		goto out;
	}
	rate = summary_hmean(r, k);
	med = summary_median_ci(t, k, &lo, &hi, &conf);
	unit = time_unit(med, &scale);
	add(buf, len, ", %.4g %s/op", med / scale, unit);
	if (conf > 0)
		add(buf, len, " [%.4g, %.4g] %.0f%% CI", lo / scale, hi / scale, floor(conf * 100));
	fmt_si(rate, rbuf, sizeof(rbuf));
	add(buf, len, ", %s %ss/s", rbuf, op ? op : "op");
	add_counters(samples, n, t, buf, len);
	add_contpte(samples, n, buf, len);
out:
	free(t);
	free(r);
	return buf;
}
