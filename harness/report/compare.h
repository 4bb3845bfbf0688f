/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tlbbench compare: results of a baseline and of one or more other kernels,
 * grouped by workload and options, each metric summarised and tested.
 */
#ifndef TLBBENCH_COMPARE_H
#define TLBBENCH_COMPARE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "counters.h"
#include "stats.h"

struct json_t;

#define CMP_MAX_SIDES	8
#define CMP_MIN_SAMPLES	3	/* fewer on a side: said, never tested */

/* Exit status of compare (README.md documents it). */
#define CMP_EXIT_OK		0	/* no significant regression beyond the threshold */
#define CMP_EXIT_REGRESSION	1	/* at least one */
#define CMP_EXIT_USAGE		2
#define CMP_EXIT_BADINPUT	3	/* unreadable, malformed or incomparable results */

/* What the counter table (counters.h) says of a metric. */
struct metric_meta {
	const char *unit;
	enum direction dir;
	enum statistic stat;
	bool headline;		/* in the text and Markdown tables */
	bool mirror;		/* restates another metric (rate = 1 / time): never counted twice */
	bool tlb;		/* a TLB counter: the TLB figures */
	const struct counter_def *def;	/* its row; NULL for a name not in the table */
};

/* One metric's values on one side, one per measured repetition. */
struct series {
	char *name;
	double *v;
	size_t n, cap;
};

struct group {
	char *key;		/* workload + options, canonical JSON */
	char *workload;
	struct json_t *options;
	char *label;		/* "fault access=write bytes=16M ..." */
	char where[PATH_MAX + 32];	/* file:line of its first env record */
	struct series *metrics;
	size_t nmetrics;
	size_t nsamples;	/* measured repetitions */
	double ops;		/* operations over those repetitions */
	char *profile;		/* perf.data of its first profiled run, or NULL */
	/*
	 * The mapping proofs of its measured samples on a contpte kernel
	 * (info.mapping.contpte_folded_blocks not null): the most blocks
	 * folded and the most that could have been (contig_64k_blocks).
	 */
	bool contpte_proven;
	long long folded_max, candidates_max;
};

struct side {
	char *label;
	char path[PATH_MAX];
	struct json_t *env;	/* the first env record */
	bool deterministic;
	struct group *groups;
	size_t ngroups;
	char **notes;		/* runs that did not pass, and the like */
	size_t nnotes;
};

enum mark { MARK_NONE, MARK_SIG, MARK_EXACT, MARK_FEW };

struct metric_cmp {
	const char *name;
	struct metric_meta meta;
	bool exact;		/* every side deterministic: no noise */
	struct summary s[CMP_MAX_SIDES];
	double value[CMP_MAX_SIDES];	/* the statistic shown */
	double gain[CMP_MAX_SIDES];	/* %, positive = better (change, if neutral) */
	double p[CMP_MAX_SIDES];	/* Welch p against side 0; NAN if untested */
	enum mark mark[CMP_MAX_SIDES];
	/*
	 * The verdict rule: a significant or exact change is judged (coloured,
	 * counted, a regression if for the worse in a headline metric) only
	 * beyond the threshold and, for counts, beyond the effect floor per
	 * operation; "small" is a change of a count below that floor.
	 */
	double per_op[CMP_MAX_SIDES];	/* count change per operation; NAN if not a count */
	bool small[CMP_MAX_SIDES];
	bool judged[CMP_MAX_SIDES];
	bool regression[CMP_MAX_SIDES];
};

struct group_cmp {
	struct group *g[CMP_MAX_SIDES];
	struct metric_cmp *m;
	size_t nm;
	size_t hidden_zero;	/* headline counters zero everywhere, not shown */
	char slug[96];		/* names its figures */
};

/* An A/A comparison's spread (compare --noise, noise.c). */
struct noise {
	bool set;
	size_t counts, differ;	/* count metrics compared, and those that moved */
	double max;		/* the largest change, events per operation */
	char pair[160], metric[64], group[160];
};

struct report {
	struct side *sides;
	size_t nsides;
	struct group_cmp *groups;
	size_t ngroups;
	double alpha, threshold;	/* threshold in % */
	double floor;		/* effect floor of a count: events per operation */
	size_t nsignificant, nregressions;
	size_t nsmall;		/* exact or significant changes of counts below the floor */
	const char *figures;	/* folder of figures, or NULL */
	const char *figures_href;	/* the same folder as the HTML report links it */
	bool ignore_model;	/* --ignore-model: compare across TLB models */
	char model_note[512];	/* how the TLB models differ, "" when they do not */
	struct noise noise;	/* the layout noise the floor must absorb */
};

/* noise.c */
/* Read an A/A comparison (its report.json) as the layout noise. */
int noise_load(struct report *r, const char *path, char *err, size_t errlen);
/* The footer's sentence on the layout noise, against r->floor. */
void noise_sentence(const struct report *r, char *buf, size_t len);
struct json_t *noise_json(const struct noise *n);
void noise_from_json(struct noise *n, struct json_t *o);

/* results.c */
/* The string at o.a (o.a.b with b), or "" when absent or not a string. */
const char *json_str_at(struct json_t *o, const char *a, const char *b);
/* The values of metric "name" in group g, or NULL. */
const struct series *group_series(const struct group *g, const char *name);
/*
 * Load one side.  "ignore" (NULL-terminated, may be NULL) names workload
 * options left out of the grouping: runs that differ only in them are
 * compared (a sweep over a runner option).
 */
int side_load(struct side *s, const char *arg, const char *const *ignore,
	      char *err, size_t errlen);
void side_free(struct side *s);
/*
 * The sides' TLB models (preset, its verified flag, contpte, geometry,
 * costs) must be one, or their model counters are not like for like: an
 * error naming the difference, unless r->ignore_model, which records it
 * in r->model_note for the header instead.
 */
int model_check(struct report *r, char *err, size_t errlen);

/* compare.c */
struct metric_meta metric_meta(const char *name);
bool metric_all_zero(const struct metric_cmp *m, size_t nsides);
/* In the text, Markdown and HTML tables: a headline metric not zero everywhere. */
bool metric_in_tables(const struct metric_cmp *m, size_t nsides);
int report_build(struct report *r, char *err, size_t errlen);
void report_free(struct report *r);
int cmd_compare(int argc, char **argv);

/* reload.c: a report back from its JSON form, to render it again */
int report_load_json(struct report *r, const char *path, char *err, size_t errlen);

/* render.c */
/* The JSON words for enum statistic, enum direction and enum mark. */
extern const char *const cmp_stat_names[3], *const cmp_dir_names[3], *const cmp_mark_names[4];
void render_text(FILE *f, const struct report *r);
void render_markdown(FILE *f, const struct report *r);
void render_json(FILE *f, const struct report *r);
void render_html(FILE *f, const struct report *r);

#endif /* TLBBENCH_COMPARE_H */
