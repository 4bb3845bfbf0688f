// SPDX-License-Identifier: GPL-2.0
/*
 * The layout noise a verdict must absorb, measured rather than guessed.
 *
 * Deterministic counts are exact, and exact is not meaningful: a patch
 * that moves kernel code changes a refill here and there in paths it never
 * touches.  make layout-noise compares baseline with the same source whose
 * text is shifted by a padding function (kernel-patches/layout-pad) under
 * the deterministic model and keeps that comparison's report.json.
 * compare --noise=REPORT.json reads it back here and the report's footer
 * states how far exact counts moved from layout alone, next to the effect
 * floor that is meant to absorb it: a floor below the measured spread is
 * said to be one.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "compare.h"

/* Scan one A/A comparison: every count metric's per-operation change. */
static int noise_scan(struct noise *n, json_t *root, char *err, size_t errlen)
{
	json_t *groups = json_object_get(root, "groups"), *sides = json_object_get(root, "sides");
	json_t *g, *m;
	size_t i, j;

	if (!json_is_array(groups) || !json_is_array(sides) || json_array_size(sides) != 2) {
		snprintf(err, errlen, "not a comparison of two kernels (an A/A pair)");
		return -1;
	}
	snprintf(n->pair, sizeof(n->pair), "%s against %s",
		 json_str_at(json_array_get(sides, 1), "label", NULL),
		 json_str_at(json_array_get(sides, 0), "label", NULL));
	json_array_foreach(groups, i, g) {
		json_array_foreach(json_object_get(g, "metrics"), j, m) {
			json_t *per = json_object_get(json_array_get(json_object_get(m, "sides"), 1),
						      "per_op_change");
			double d;

			if (!json_is_number(per))
				continue;	/* not a count */
			d = fabs(json_number_value(per));
			n->counts++;
			if (d == 0)
				continue;
			n->differ++;
			if (d > n->max) {
				n->max = d;
				snprintf(n->metric, sizeof(n->metric), "%s",
					 json_str_at(m, "name", NULL));
				snprintf(n->group, sizeof(n->group), "%s",
					 json_str_at(g, "label", NULL));
			}
		}
	}
	if (!n->counts) {
		snprintf(err, errlen, "no count compared (no per_op_change): not a compare report");
		return -1;
	}
	n->set = true;
	return 0;
}

int noise_load(struct report *r, const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	char why[512];
	int ret;

	memset(&r->noise, 0, sizeof(r->noise));
	if (!root) {
		snprintf(err, errlen, "--noise: %s: %s", path, je.text);
		return -1;
	}
	ret = noise_scan(&r->noise, root, why, sizeof(why));
	if (ret)
		snprintf(err, errlen, "--noise: %s: %s", path, why);
	json_decref(root);
	return ret;
}

/* The footer's sentence, for the report's own effect floor. */
void noise_sentence(const struct report *r, char *buf, size_t len)
{
	const struct noise *n = &r->noise;

	if (!n->set) {
		snprintf(buf, len, "Layout noise: not measured for this report "
			 "(make layout-noise measures it; bench passes it on).");
		return;
	}
	if (!n->differ) {
		snprintf(buf, len, "Layout noise (make layout-noise, %s: the same code, "
			 "moved): none of %zu counts differ.", n->pair, n->counts);
		return;
	}
	snprintf(buf, len, "Layout noise (make layout-noise, %s: the same code, moved): "
		 "%zu of %zu counts differ exactly, the largest by %.4g events per operation "
		 "(%s, %s); the effect floor of %g %s.", n->pair, n->differ, n->counts,
		 n->max, n->metric, n->group, r->floor,
		 n->max <= r->floor ? "sets it aside" :
		 "is BELOW it: layout alone can be judged a change, raise --floor");
}

json_t *noise_json(const struct noise *n)
{
	if (!n->set)
		return json_null();
	return json_pack("{sssIsIsfssss}", "pair", n->pair, "counts", (json_int_t)n->counts,
			 "differ", (json_int_t)n->differ, "max_per_op", n->max,
			 "metric", n->metric, "group", n->group);
}

void noise_from_json(struct noise *n, json_t *o)
{
	json_int_t counts = 0, differ = 0;
	const char *pair = "", *metric = "", *group = "";

	memset(n, 0, sizeof(*n));
	if (!json_is_object(o) ||
	    json_unpack(o, "{s:s, s:I, s:I, s:F, s:s, s:s}", "pair", &pair, "counts", &counts,
			"differ", &differ, "max_per_op", &n->max, "metric", &metric,
			"group", &group))
		return;
	n->counts = counts;
	n->differ = differ;
	snprintf(n->pair, sizeof(n->pair), "%s", pair);
	snprintf(n->metric, sizeof(n->metric), "%s", metric);
	snprintf(n->group, sizeof(n->group), "%s", group);
	n->set = true;
}
