// SPDX-License-Identifier: GPL-2.0
/*
 * A comparison back from its JSON form (compare --format=json), so the
 * text, Markdown and HTML forms can be rendered from the one report.json
 * that make report computes: the figures are drawn from that file, and
 * the forms that embed them are rendered from it, with no second reading
 * of the results and no second round of statistics.
 *
 * The JSON carries every number the renderers print; what it does not
 * carry is derived as compare derives it (a metric restating another,
 * the count of zero headline counters).  Reading is strict: a field
 * missing or of the wrong type is an error naming the group and metric.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "compare.h"

static double dnum(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static int word(const char *const *names, size_t n, const char *w)
{
	size_t i;

	for (i = 0; w && i < n; i++)
		if (!strcmp(names[i], w))
			return i;
	return -1;
}

static int load_sides(struct report *r, json_t *sides, char *err, size_t errlen)
{
	json_t *s, *notes, *note, *env;
	const char *label, *path;
	size_t k, i;
	int det;

	if (!json_is_array(sides) || json_array_size(sides) < 2 ||
	    json_array_size(sides) > CMP_MAX_SIDES) {
		snprintf(err, errlen, "sides: expected 2 to %d", CMP_MAX_SIDES);
		return -1;
	}
	json_array_foreach(sides, k, s) {
		struct side *sd = &r->sides[k];

		if (json_unpack(s, "{s:s, s:s, s:o, s:b, s:o}", "label", &label, "path", &path,
				"env", &env, "deterministic", &det, "notes", &notes) ||
		    !json_is_array(notes)) {
			snprintf(err, errlen, "sides[%zu]: needs label, path, env, deterministic, notes", k);
			return -1;
		}
		memset(sd, 0, sizeof(*sd));
		r->nsides++;
		sd->label = strdup(label);
		snprintf(sd->path, sizeof(sd->path), "%s", path);
		sd->env = json_incref(env);
		sd->deterministic = det;
		sd->notes = calloc(json_array_size(notes) + 1, sizeof(*sd->notes));
		json_array_foreach(notes, i, note)
			sd->notes[sd->nnotes++] = strdup(json_is_string(note) ?
							 json_string_value(note) : "");
	}
	return 0;
}

/* One side of one metric: its summary and, past the base, the test. */
static int load_metric_side(struct metric_cmp *m, size_t k, json_t *o)
{
	struct summary *s = &m->s[k];
	json_t *ci = json_object_get(o, "ci");
	json_int_t n;

	if (json_unpack(o, "{s:I}", "n", &n) || !json_is_array(ci) || json_array_size(ci) != 2)
		return -1;
	s->n = n;
	s->mean = dnum(json_object_get(o, "mean"));
	s->sd = dnum(json_object_get(o, "sd"));
	s->cov = dnum(json_object_get(o, "cov"));
	s->median = dnum(json_object_get(o, "median"));
	s->min = dnum(json_object_get(o, "min"));
	s->max = dnum(json_object_get(o, "max"));
	s->hmean = dnum(json_object_get(o, "hmean"));
	s->ci_lo = dnum(json_array_get(ci, 0));
	s->ci_hi = dnum(json_array_get(ci, 1));
	m->value[k] = dnum(json_object_get(o, "value"));
	if (!k)
		return 0;
	m->gain[k] = dnum(json_object_get(o, "gain_pct"));
	m->p[k] = dnum(json_object_get(o, "p"));
	m->regression[k] = json_is_true(json_object_get(o, "regression"));
	m->judged[k] = json_is_true(json_object_get(o, "judged"));
	m->small[k] = json_is_true(json_object_get(o, "small"));
	m->per_op[k] = dnum(json_object_get(o, "per_op_change"));
	n = word(cmp_mark_names, 4, json_string_value(json_object_get(o, "mark")));
	if (n < 0)
		return -1;
	m->mark[k] = n;
	return 0;
}

/* The base side's group holds the metric's name (and unit) for side_free(). */
static int load_metric(struct report *r, struct group_cmp *gc, struct group *g0,
		       json_t *jm)
{
	struct metric_cmp *m = &gc->m[gc->nm];
	const char *name, *unit, *dir, *stat;
	json_t *per, *o;
	int head, exact, d, st;
	size_t k;

	if (json_unpack(jm, "{s:s, s:s, s:s, s:s, s:b, s:b, s:o}", "name", &name, "unit", &unit,
			"direction", &dir, "statistic", &stat, "headline", &head, "exact", &exact,
			"sides", &per) || json_array_size(per) != r->nsides)
		return -1;
	d = word(cmp_dir_names, 3, dir);
	st = word(cmp_stat_names, 3, stat);
	if (d < 0 || st < 0)
		return -1;
	memset(m, 0, sizeof(*m));
	/* "name\0unit" in one string, which side_free() frees with the group */
	g0->metrics[g0->nmetrics].name = malloc(strlen(name) + strlen(unit) + 2);
	m->name = g0->metrics[g0->nmetrics++].name;
	strcpy((char *)m->name, name);
	strcpy((char *)m->name + strlen(name) + 1, unit);
	m->meta = metric_meta(name);
	m->meta.unit = m->name + strlen(name) + 1;
	m->meta.dir = d;
	m->meta.stat = st;
	m->meta.headline = head;
	m->exact = exact;
	json_array_foreach(per, k, o)
		if (load_metric_side(m, k, o))
			return -1;
	gc->nm++;
	return 0;
}

static int load_group(struct report *r, size_t i, json_t *jg, char *err, size_t errlen)
{
	struct group_cmp *gc = &r->groups[i];
	const char *label, *workload, *slug, *where;
	json_t *options, *samples, *profiles, *metrics, *jm;
	size_t k, j;

	if (json_unpack(jg, "{s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o}", "label", &label,
			"workload", &workload, "options", &options, "figure", &slug,
			"where", &where, "samples", &samples, "profiles", &profiles,
			"metrics", &metrics) ||
	    json_array_size(samples) != r->nsides || json_array_size(profiles) != r->nsides ||
	    !json_is_array(metrics)) {
		snprintf(err, errlen, "groups[%zu]: needs label, workload, options, figure, where, "
			 "and samples, profiles and metrics per side", i);
		return -1;
	}
	snprintf(gc->slug, sizeof(gc->slug), "%s", slug);
	for (k = 0; k < r->nsides; k++) {
		struct group *g = &r->sides[k].groups[i];
		json_t *prof = json_array_get(profiles, k);

		g->key = strdup(label);
		g->workload = strdup(workload);
		g->label = strdup(label);
		g->options = json_incref(options);
		snprintf(g->where, sizeof(g->where), "%s", where);
		g->nsamples = json_integer_value(json_array_get(samples, k));
		g->profile = json_is_string(prof) ? strdup(json_string_value(prof)) : NULL;
		r->sides[k].ngroups++;
		gc->g[k] = g;
	}
	gc->m = calloc(json_array_size(metrics) + 1, sizeof(*gc->m));
	gc->g[0]->metrics = calloc(json_array_size(metrics) + 1, sizeof(struct series));
	json_array_foreach(metrics, j, jm) {
		if (load_metric(r, gc, gc->g[0], jm)) {
			snprintf(err, errlen, "groups[%zu].metrics[%zu]: not a compare metric", i, j);
			return -1;
		}
		if (gc->m[j].meta.headline && !metric_in_tables(&gc->m[j], r->nsides))
			gc->hidden_zero++;
	}
	return 0;
}

int report_load_json(struct report *r, const char *path, char *err, size_t errlen)
{
	json_t *root, *groups, *jg, *sides;
	json_error_t e;
	json_int_t version, nsig, nreg;
	size_t i, k;
	int ret = -1;

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!root) {
		snprintf(err, errlen, "%s:%d: not JSON: %s", path, e.line, e.text);
		return -1;
	}
	if (json_unpack(root, "{s:I, s:F, s:F, s:I, s:I, s:o, s:o}", "tlbbench_compare", &version,
			"alpha", &r->alpha, "threshold_pct", &r->threshold, "significant", &nsig,
			"regressions", &nreg, "sides", &sides, "groups", &groups) ||
	    version != 1 || !json_is_array(groups)) {
		snprintf(err, errlen, "%s: not a tlbbench compare report (version 1)", path);
		goto out;
	}
	r->nsignificant = nsig;
	r->nregressions = nreg;
	r->nsmall = json_integer_value(json_object_get(root, "below_floor"));
	r->floor = json_is_number(json_object_get(root, "floor_per_op")) ?
		json_number_value(json_object_get(root, "floor_per_op")) : 0.01;
	if (json_is_string(json_object_get(root, "tlb_model_note")))
		snprintf(r->model_note, sizeof(r->model_note), "%s",
			 json_string_value(json_object_get(root, "tlb_model_note")));
	noise_from_json(&r->noise, json_object_get(root, "layout_noise"));
	if (load_sides(r, sides, err, errlen))
		goto fail;
	for (k = 0; k < r->nsides; k++)
		r->sides[k].groups = calloc(json_array_size(groups) + 1, sizeof(struct group));
	r->groups = calloc(json_array_size(groups) + 1, sizeof(*r->groups));
	json_array_foreach(groups, i, jg) {
		r->ngroups++;
		if (load_group(r, i, jg, err, errlen))
			goto fail;
	}
	ret = 0;
	goto out;
fail:
	/* name the file in front of what was wrong */
	{
		char why[512];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "%s: %s", path, why);
	}
out:
	json_decref(root);
	return ret;
}
