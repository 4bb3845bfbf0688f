// SPDX-License-Identifier: GPL-2.0
/*
 * tlbbench compare BASE NEW [NEW...]: match every run of BASE with the run
 * of the same workload and options on each other side, summarise each
 * metric, test the difference and render the report.
 *
 * A difference is significant when Welch's t-test rejects equal means at
 * the stated alpha, or, when every side was booted deterministically
 * (icount: a rerun repeats every count), whenever the means differ at all:
 * such counts carry no noise, so the difference is exact.  A regression is
 * a significant change of a headline metric for the worse by more than the
 * threshold; the exit status says whether there was one.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "compare.h"

/*
 * A metric's facts from the counter table: "name" or its ":user" and
 * ":kernel" parts, which are never headline (the total is).  A name the
 * table does not know is a count, lower is better, shown only in JSON.
 */
struct metric_meta metric_meta(const char *name)
{
	const struct counter_def *c = counter_find(name);
	struct metric_meta m = { "count", DIR_LOWER, STAT_AMEAN, false, false, false, NULL };

	if (!c)
		return m;
	m.unit = c->unit;
	m.dir = c->dir;
	m.stat = c->stat;
	m.headline = c->headline && !strchr(name, ':');
	m.mirror = c->restates != NULL;
	m.tlb = c->tlb;
	m.def = c;
	return m;
}

static struct group *find_group(struct side *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		if (!strcmp(s->groups[i].key, key))
			return &s->groups[i];
	return NULL;
}

/* Why "g" has no counterpart on side "other": the nearest run's difference. */
static void unmatched(const struct group *g, const char *gpath, const struct side *other,
		      char *err, size_t errlen)
{
	const char *name;
	json_t *v;
	size_t i;

	for (i = 0; i < other->ngroups; i++) {
		const struct group *o = &other->groups[i];

		if (strcmp(o->workload, g->workload))
			continue;
		json_object_foreach(g->options, name, v) {
			json_t *ov = json_object_get(o->options, name);
			char *a, *b;

			if (ov && json_equal(ov, v))
				continue;
			a = json_dumps(v, JSON_ENCODE_ANY);
			b = ov ? json_dumps(ov, JSON_ENCODE_ANY) : strdup("(none)");
			snprintf(err, errlen, "%s: run of %s has no counterpart in %s: "
				 "incomparable options (the run at %s has %s=%s, not %s)",
				 g->where, g->label, other->path, o->where, name, b, a);
			free(a);
			free(b);
			return;
		}
	}
	snprintf(err, errlen, "%s: run of %s has no counterpart in %s (%s)",
		 g->where, g->label, other->path, gpath);
}

static double shown_value(const struct summary *s, enum statistic stat)
{
	switch (stat) {
	case STAT_MEDIAN:
		return s->median;
	case STAT_HMEAN:
		return isnan(s->hmean) ? s->mean : s->hmean;
	case STAT_AMEAN:
		break;
	}
	return s->mean;
}

/*
 * The verdict rule, after the test: a significant or exact change is
 * judged only beyond the threshold (percent) and, for a count, beyond the
 * effect floor, in events per operation of the base (per repetition when
 * the run counts no operations).  Deterministic counts are exact, but a
 * refill more in 2048 operations, from code moved by a patch elsewhere, is
 * not a finding: it is shown, marked small, and set aside.
 */
static void judge(struct report *r, struct metric_cmp *m, size_t k, double ops_per_rep)
{
	const struct summary *a = &m->s[0], *b = &m->s[k];
	double delta = b->mean - a->mean;

	m->per_op[k] = NAN;
	if (!strcmp(m->meta.unit, "count")) {
		m->per_op[k] = ops_per_rep > 0 ? delta / ops_per_rep : delta;
		m->small[k] = fabs(m->per_op[k]) <= (ops_per_rep > 0 ? r->floor : 1);
	}
	if (m->meta.mirror || (m->mark[k] != MARK_SIG && m->mark[k] != MARK_EXACT))
		return;
	if (m->small[k]) {
		if (m->meta.headline)
			r->nsmall++;
		return;
	}
	if (m->meta.dir == DIR_NEUTRAL || !(fabs(m->gain[k]) > r->threshold))
		return;
	m->judged[k] = true;
	if (m->meta.headline)
		r->nsignificant++;
	if (m->meta.headline && m->gain[k] < 0) {
		m->regression[k] = true;
		r->nregressions++;
	}
}

static void compare_side(struct report *r, struct metric_cmp *m, size_t k)
{
	const struct summary *a = &m->s[0], *b = &m->s[k];
	double v0 = m->value[0], vk = m->value[k], change;
	struct welch w;
	bool differ;

	m->p[k] = NAN;
	m->gain[k] = NAN;
	if (!a->n || !b->n) {
		m->mark[k] = MARK_FEW;
		return;
	}
	if (v0 != 0)
		change = (vk - v0) / fabs(v0) * 100;
	else
		change = vk == 0 ? 0 : copysign(INFINITY, vk);
	m->gain[k] = m->meta.dir == DIR_LOWER ? -change : change;
	if (m->gain[k] == 0)
		m->gain[k] = 0;	/* no "-0.00%" */
	differ = a->mean != b->mean;
	if (m->exact) {
		m->mark[k] = differ ? MARK_EXACT : MARK_NONE;
	} else if (a->n < CMP_MIN_SAMPLES || b->n < CMP_MIN_SAMPLES) {
		m->mark[k] = MARK_FEW;
	} else if (stats_welch(a, b, &w)) {
		/* no variance on either side: equal or not, nothing to test */
		m->mark[k] = differ ? MARK_SIG : MARK_NONE;
	} else {
		m->p[k] = w.p;
		m->mark[k] = w.p < r->alpha ? MARK_SIG : MARK_NONE;
	}
}

static void add_metric(struct report *r, struct group_cmp *gc, const char *name)
{
	struct metric_cmp *m;
	size_t k, i;
	bool exact = true;

	for (i = 0; i < gc->nm; i++)
		if (!strcmp(gc->m[i].name, name))
			return;
	gc->m = realloc(gc->m, (gc->nm + 1) * sizeof(*gc->m));
	if (!gc->m)
		exit(CMP_EXIT_BADINPUT);
	m = &gc->m[gc->nm++];
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->meta = metric_meta(name);
	for (k = 0; k < r->nsides; k++) {
		const struct series *s = group_series(gc->g[k], name);
		size_t n = s ? s->n : 0;
		double *v = malloc((n + 1) * sizeof(*v));

		if (n)
			memcpy(v, s->v, n * sizeof(*v));
		stats_summarize(v, n, r->alpha, &m->s[k]);
		free(v);
		m->value[k] = shown_value(&m->s[k], m->meta.stat);
		exact &= r->sides[k].deterministic;
	}
	m->exact = exact;
	for (k = 1; k < r->nsides; k++) {
		const struct group *g0 = gc->g[0];

		compare_side(r, m, k);
		judge(r, m, k, g0->nsamples ? g0->ops / g0->nsamples : 0);
	}
}

bool metric_all_zero(const struct metric_cmp *m, size_t nsides)
{
	size_t k;

	for (k = 0; k < nsides; k++)
		if (m->s[k].n && (m->s[k].min != 0 || m->s[k].max != 0))
			return false;
	return true;
}

bool metric_in_tables(const struct metric_cmp *m, size_t nsides)
{
	return m->meta.headline && !metric_all_zero(m, nsides);
}

int report_build(struct report *r, char *err, size_t errlen)
{
	size_t i, j, k;

	if (model_check(r, err, errlen))
		return -1;
	/* every run on every side has its counterpart on the base side */
	for (k = 1; k < r->nsides; k++) {
		for (i = 0; i < r->sides[k].ngroups; i++) {
			struct group *g = &r->sides[k].groups[i];

			if (!find_group(&r->sides[0], g->key)) {
				unmatched(g, r->sides[k].path, &r->sides[0], err, errlen);
				return -1;
			}
		}
	}
	r->groups = calloc(r->sides[0].ngroups, sizeof(*r->groups));
	for (i = 0; i < r->sides[0].ngroups; i++) {
		struct group_cmp *gc = &r->groups[r->ngroups++];

		gc->g[0] = &r->sides[0].groups[i];
		for (k = 1; k < r->nsides; k++) {
			gc->g[k] = find_group(&r->sides[k], gc->g[0]->key);
			if (!gc->g[k]) {
				unmatched(gc->g[0], r->sides[0].path, &r->sides[k], err, errlen);
				return -1;
			}
		}
		snprintf(gc->slug, sizeof(gc->slug), "g%02zu-%s", i + 1, gc->g[0]->workload);
		for (k = 0; k < r->nsides; k++)
			for (j = 0; j < gc->g[k]->nmetrics; j++)
				add_metric(r, gc, gc->g[k]->metrics[j].name);
		for (j = 0; j < gc->nm; j++)
			if (gc->m[j].meta.headline && !metric_in_tables(&gc->m[j], r->nsides))
				gc->hidden_zero++;
	}
	return 0;
}

void report_free(struct report *r)
{
	size_t i, k;

	for (i = 0; i < r->ngroups; i++)
		free(r->groups[i].m);
	free(r->groups);
	for (k = 0; k < r->nsides; k++)
		side_free(&r->sides[k]);
}

static void compare_usage(FILE *f)
{
	fprintf(f,
		"usage: tlbbench compare [--format=text|markdown|json|html] [--out=DIR]\n"
		"                        [--figures=DIR] [--alpha=A] [--threshold=PCT] [--floor=EVENTS]\n"
		"                        [--noise=AA-REPORT.json]\n"
		"                        BASE NEW...\n"
		"  BASE, NEW: results folders (or samples.jsonl files) of one kernel each\n"
		"  --format     what to print on stdout (default text)\n"
		"  --out        also write DIR/report.{txt,md,json,html}\n"
		"  --figures    folder of figures (plots/plot.py) to include\n"
		"  --alpha      significance level of Welch's t-test (default 0.05)\n"
		"  --threshold  a significant change for the worse beyond PCT %% is a\n"
		"               regression (default 5)\n"
		"  --floor      and, for a count, beyond EVENTS per operation of the base\n"
		"               (default 0.01; per repetition, 1, when a run counts no\n"
		"               operations): smaller exact differences are shown, marked\n"
		"               ~x%%~, never judged\n"
		"  --noise      an A/A comparison of the same code moved (make layout-noise):\n"
		"               the footer states its spread against the floor\n"
		"  --labels     names of the sides, comma-separated (default: the variant)\n"
		"  --ignore-option  compare runs that differ in this workload option\n"
		"               (a sweep over it); may be repeated\n"
		"  --from=REPORT.json  render a report written with --format=json again\n"
		"               (with --figures, say) instead of comparing BASE NEW...\n"
		"  --ignore-model  compare sides run under different TLB models (core\n"
		"               preset, geometry, costs); the header says so\n"
		"exit: 0 no significant regression beyond the threshold, 1 regression,\n"
		"      2 usage, 3 unreadable, malformed or incomparable results\n");
}

static int parse_double(const char *opt, const char *text, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (errno || end == text || *end || !(*out > lo && *out < hi)) {
		fprintf(stderr, "tlbbench compare: --%s: '%s' is not a number in (%g, %g)\n",
			opt, text, lo, hi);
		return -1;
	}
	return 0;
}

static int write_report(const char *dir, const char *name,
			void (*render)(FILE *, const struct report *), const struct report *r)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "tlbbench compare: %s: %s\n", path, strerror(errno));
		return -1;
	}
	render(f, r);
	if (fclose(f)) {
		fprintf(stderr, "tlbbench compare: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* --labels=a,b,...: one name per side, in order */
static int set_labels(struct report *r, const char *list)
{
	char *copy = strdup(list), *save = NULL, *l;
	size_t k = 0;

	for (l = strtok_r(copy, ",", &save); l; l = strtok_r(NULL, ",", &save), k++) {
		if (k == r->nsides)
			break;
		free(r->sides[k].label);
		r->sides[k].label = strdup(l);
	}
	free(copy);
	if (k != r->nsides || l) {
		fprintf(stderr, "tlbbench compare: --labels: give one label per side (%zu)\n",
			r->nsides);
		return -1;
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "figures", required_argument, NULL, 'g' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "threshold", required_argument, NULL, 't' },
		{ "floor", required_argument, NULL, 'e' },
		{ "labels", required_argument, NULL, 'l' },
		{ "noise", required_argument, NULL, 'n' },
		{ "ignore-option", required_argument, NULL, 'i' },
		{ "from", required_argument, NULL, 'F' },
		{ "ignore-model", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	void (*render)(FILE *, const struct report *) = render_text;
	struct side sides[CMP_MAX_SIDES];
	struct report r = { .sides = sides, .alpha = 0.05, .threshold = 5, .floor = 0.01 };
	const char *out = NULL, *ignore[16] = { NULL }, *from = NULL, *noise = NULL;
	char *labels = NULL, err[2 * PATH_MAX + 1024];
	int nignore = 0, computing = 0;
	int c, i, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				render = render_text;
			else if (!strcmp(optarg, "markdown") || !strcmp(optarg, "md"))
				render = render_markdown;
			else if (!strcmp(optarg, "json"))
				render = render_json;
			else if (!strcmp(optarg, "html"))
				render = render_html;
			else {
				fprintf(stderr, "tlbbench compare: --format: '%s' is not text, markdown, json or html\n",
					optarg);
				return CMP_EXIT_USAGE;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'g':
			r.figures = optarg;
			break;
		case 'F':
			from = optarg;
			break;
		case 'a':
			computing++;
			if (parse_double("alpha", optarg, 0, 0.5, &r.alpha))
				return CMP_EXIT_USAGE;
			break;
		case 't':
			computing++;
			if (parse_double("threshold", optarg, -1e-9, 1e6, &r.threshold))
				return CMP_EXIT_USAGE;
			break;
		case 'e':
			computing++;
			if (parse_double("floor", optarg, -1e-9, 1e6, &r.floor))
				return CMP_EXIT_USAGE;
			break;
		case 'l':
			computing++;
			labels = optarg;
			break;
		case 'n':
			computing++;
			noise = optarg;
			break;
		case 'i':
			if (nignore == (int)(sizeof(ignore) / sizeof(ignore[0])) - 1) {
				fprintf(stderr, "tlbbench compare: too many --ignore-option\n");
				return CMP_EXIT_USAGE;
			}
			ignore[nignore++] = optarg;
			computing++;
			break;
		case 'm':
			r.ignore_model = true;
			break;
		case 'h':
			compare_usage(stdout);
			return 0;
		default:
			compare_usage(stderr);
			return CMP_EXIT_USAGE;
		}
	}
	if (from) {
		/* render a computed report again: nothing to compute, nothing to read */
		if (argc != optind || computing || r.ignore_model) {
			fprintf(stderr, "tlbbench compare: --from renders REPORT.json as it is: "
				"no results and no option of the comparison\n");
			return CMP_EXIT_USAGE;
		}
		if (report_load_json(&r, from, err, sizeof(err))) {
			fprintf(stderr, "tlbbench compare: %s\n", err);
			report_free(&r);
			return CMP_EXIT_BADINPUT;
		}
		goto render;
	}
	if (argc - optind < 2 || argc - optind > CMP_MAX_SIDES) {
		fprintf(stderr, "tlbbench compare: give a base and 1 to %d other results\n",
			CMP_MAX_SIDES - 1);
		compare_usage(stderr);
		return CMP_EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		if (side_load(&sides[r.nsides], argv[i], ignore, err, sizeof(err))) {
			fprintf(stderr, "tlbbench compare: %s\n", err);
			report_free(&r);
			return CMP_EXIT_BADINPUT;
		}
		r.nsides++;
	}
	if (labels && set_labels(&r, labels)) {
		report_free(&r);
		return CMP_EXIT_USAGE;
	}
	/* two sides with one variant name: tell them apart by position */
	for (i = 1; i < (int)r.nsides; i++) {
		int j;

		for (j = 0; j < i; j++) {
			if (!strcmp(sides[i].label, sides[j].label)) {
				char *l;

				if (asprintf(&l, "%s#%d", sides[i].label, i + 1) < 0)
					return CMP_EXIT_BADINPUT;
				free(sides[i].label);
				sides[i].label = l;
				break;
			}
		}
	}
	if (report_build(&r, err, sizeof(err)) ||
	    (noise && noise_load(&r, noise, err, sizeof(err)))) {
		fprintf(stderr, "tlbbench compare: %s\n", err);
		report_free(&r);
		return CMP_EXIT_BADINPUT;
	}
render:
	ret = r.nregressions ? CMP_EXIT_REGRESSION : CMP_EXIT_OK;
	if (out && r.figures) {
		/* report.html links its figures relative to itself */
		size_t len = strlen(out);

		if (!strncmp(r.figures, out, len) && r.figures[len] == '/')
			r.figures_href = r.figures + len + 1;
		else
			r.figures_href = realpath(r.figures, NULL);
	}
	if (out) {
		if ((mkdir(out, 0777) && errno != EEXIST) ||
		    write_report(out, "report.txt", render_text, &r) ||
		    write_report(out, "report.md", render_markdown, &r) ||
		    write_report(out, "report.json", render_json, &r) ||
		    write_report(out, "report.html", render_html, &r))
			ret = CMP_EXIT_BADINPUT;
	}
	render(stdout, &r);
	fflush(stdout);
	report_free(&r);
	return ret;
}
