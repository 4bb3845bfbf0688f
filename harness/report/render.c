// SPDX-License-Identifier: GPL-2.0
/*
 * The four forms of a comparison.  Text is the mailing-list form, laid out
 * like mmtests' compare-kernels and kept within 80 columns: one table per
 * kernel against the base, percentages as gains (positive is better,
 * whatever the metric's direction), significance marked around the
 * percentage.  Markdown and HTML carry the same tables; JSON carries every
 * number, for bots.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "compare.h"

const char *const cmp_stat_names[3] = {
	[STAT_MEDIAN] = "Median", [STAT_HMEAN] = "Hmean", [STAT_AMEAN] = "Amean",
};
const char *const cmp_dir_names[3] = {
	[DIR_LOWER] = "lower", [DIR_HIGHER] = "higher", [DIR_NEUTRAL] = "neutral",
};
const char *const cmp_mark_names[4] = {
	[MARK_NONE] = "none", [MARK_SIG] = "significant", [MARK_EXACT] = "exact",
	[MARK_FEW] = "too-few-samples",
};

/* A string of the environment for display: "-" when absent or empty. */
static const char *jstr(json_t *o, const char *a, const char *b)
{
	const char *v = json_str_at(o, a, b);

	return *v ? v : "-";
}

static void html_escape(FILE *f, const char *s);

/* The environment lines heading a report: one row per fact, one column per side. */
struct env_row {
	const char *name;
	char val[CMP_MAX_SIDES][160];
};

#define NR_ENV_ROWS 8

static void env_rows(const struct report *r, struct env_row *rows)
{
	size_t k;

	rows[0].name = "kernel";
	rows[1].name = "variant";
	rows[2].name = "series";
	rows[3].name = "config";
	rows[4].name = "target";
	rows[5].name = "cpu";
	rows[6].name = "TLB model";
	rows[7].name = "counts";
	for (k = 0; k < r->nsides; k++) {
		json_t *env = r->sides[k].env, *model = json_object_get(env, "tlb_model");
		json_t *series = json_object_get(json_object_get(env, "kernel"), "series");

		snprintf(rows[0].val[k], 160, "%s", jstr(env, "kernel", "release"));
		snprintf(rows[1].val[k], 160, "%s", jstr(env, "kernel", "variant"));
		snprintf(rows[2].val[k], 160, "%s", !json_is_string(series) ? "unknown" :
			 *json_string_value(series) ? json_string_value(series) : "none");
		snprintf(rows[3].val[k], 160, "sha256 %.12s", jstr(env, "kernel", "config_sha256"));
		if (strcmp(jstr(env, "qemu_version", NULL), "-"))
			snprintf(rows[4].val[k], 160, "%s, QEMU %s -cpu %s", jstr(env, "target", NULL),
				 jstr(env, "qemu_version", NULL), jstr(env, "qemu_cpu", NULL));
		else
			snprintf(rows[4].val[k], 160, "%s", jstr(env, "target", NULL));
		if (strcmp(jstr(env, "cpu", "model"), "-"))
			snprintf(rows[5].val[k], 160, "%s", jstr(env, "cpu", "model"));
		else
			snprintf(rows[5].val[k], 160, "%s midr %s", jstr(env, "cpu", "arch"),
				 jstr(env, "cpu", "midr"));
		if (json_is_object(model))
			snprintf(rows[6].val[k], 160, "tlbsim %s%s, contpte %s",
				 jstr(model, "core", NULL),
				 json_is_false(json_object_get(model, "core_verified")) ?
				 " (unverified)" : "", jstr(model, "contpte", NULL));
		else
			snprintf(rows[6].val[k], 160, "none (PMU counters)");
		snprintf(rows[7].val[k], 160, "%s", r->sides[k].deterministic ?
			 "deterministic (icount)" : "measured (noisy)");
	}
}

/* printf for report lines, without the trailing blanks padding leaves */
static void __attribute__((format(printf, 2, 3))) line(FILE *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	while (n && buf[n - 1] == ' ')
		buf[--n] = 0;
	fprintf(f, "%s\n", buf);
}

/* A group label over as many lines as it takes, continuations indented. */
static void wrap(FILE *f, const char *text)
{
	const char *indent = "";
	int width = 80;

	while (strlen(text) > (size_t)width) {
		int cut = width;

		while (cut > 0 && text[cut] != ' ')
			cut--;
		if (!cut)
			break;
		fprintf(f, "%s%.*s\n", indent, cut, text);
		text += cut + 1;
		indent = "  ";
		width = 78;
	}
	fprintf(f, "%s%s\n", indent, text);
}

static void fmt_value(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) < 1e9)
		snprintf(buf, len, "%.2f", v);
	else if (fabs(v) < 1e12)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.4e", v);
}

static char mark_char(enum mark m)
{
	switch (m) {
	case MARK_SIG:
		return '*';
	case MARK_EXACT:
		return '=';
	case MARK_FEW:
		return '?';
	case MARK_NONE:
		break;
	}
	return 0;
}

/* "(   0.00%)", "*  -4.12%*", "=  10.00%=", "?   1.20%?", "~  -6.94%~" */
static void fmt_gain(const struct metric_cmp *m, size_t k, char *buf, size_t len)
{
	char c = k ? mark_char(m->mark[k]) : 0;

	if (c && c != '?' && m->small[k])
		c = '~';
	double g = k ? m->gain[k] : 0;

	if (isnan(g))
		snprintf(buf, len, "%c    n/a%c", c ? c : '(', c ? c : ')');
	else
		snprintf(buf, len, "%c%7.2f%%%c", c ? c : '(', g, c ? c : ')');
}

/* The verdict rule, in words: what is judged, what is set aside. */
static void text_rule(FILE *f, const struct report *r)
{
	fprintf(f,
		"Verdict rule: a significant or exact change is judged only beyond\n"
		"%.2f%% and, for a count, beyond %g events per operation of the base\n"
		"(1 per repetition when a run counts no operations); a regression is\n"
		"a judged change for the worse of a headline metric.  ~x%%~ marks a\n"
		"count's change below that floor: exact, but set aside (%zu here).\n",
		r->threshold, r->floor, r->nsmall);
}

static void text_legend(FILE *f, const struct report *r)
{
	fprintf(f,
		"Percentages are gains over the base: positive is better whatever the\n"
		"metric's direction (mmtests style); for neutral counts (accesses) the\n"
		"sign is the change.  *x%%* significant (Welch's t-test, p < %g);\n"
		"=x%%= exact difference between deterministic runs; ?x%%? too few\n"
		"samples to test (n < %d); (x%%) no significant difference.\n",
		r->alpha, CMP_MIN_SAMPLES);
	text_rule(f, r);
}

/*
 * Copy a group's text attachment (FIGURES/<slug><kind>.txt: the chart,
 * or the side-by-side profile) into the report; html escapes it.
 */
static void attachment(FILE *f, const struct report *r, const struct group_cmp *gc,
		       const char *kind, bool html)
{
	char path[PATH_MAX], buf[512];
	FILE *in;

	if (!r->figures)
		return;
	snprintf(path, sizeof(path), "%s/%s%s.txt", r->figures, gc->slug, kind);
	in = fopen(path, "r");
	if (!in)
		return;
	fputs(html ? "<pre>" : "\n", f);
	while (fgets(buf, sizeof(buf), in)) {
		if (html)
			html_escape(f, buf);
		else
			fputs(buf, f);
	}
	if (html)
		fputs("</pre>\n", f);
	fclose(in);
}

static void text_figure(FILE *f, const struct report *r, const struct group_cmp *gc)
{
	attachment(f, r, gc, "", false);
	attachment(f, r, gc, "-profile", false);
}

static void text_pair(FILE *f, const struct report *r, size_t k)
{
	struct env_row rows[NR_ENV_ROWS];
	size_t side[2] = { 0, k }, i, j, s;

	env_rows(r, rows);
	line(f, "%-14s %-31.31s %-.31s", "", r->sides[0].label, r->sides[k].label);
	for (i = 0; i < NR_ENV_ROWS; i++)
		line(f, "%-14s %-31.31s %-.31s", rows[i].name, rows[i].val[0], rows[i].val[k]);
	fputc('\n', f);

	for (i = 0; i < r->ngroups; i++) {
		const struct group_cmp *gc = &r->groups[i];
		char cells[2][48];

		wrap(f, gc->g[0]->label);
		line(f, "%-28s %24.24s %24.24s", "", r->sides[0].label, r->sides[k].label);
		for (j = 0; j < gc->nm; j++) {
			const struct metric_cmp *m = &gc->m[j];
			bool counted = strcmp(m->meta.unit, "count");
			char name[64], val[32], gain[32];

			if (!metric_in_tables(m, r->nsides))
				continue;
			snprintf(name, sizeof(name), "%s%s%s%s", m->name, counted ? " (" : "",
				 counted ? m->meta.unit : "", counted ? ")" : "");
			for (s = 0; s < 2; s++) {
				fmt_value(m->value[side[s]], val, sizeof(val));
				fmt_gain(m, side[s], gain, sizeof(gain));
				snprintf(cells[s], sizeof(cells[s]), "%13s %s", val, gain);
			}
			line(f, "%-6s %-21.21s %s %s", cmp_stat_names[m->meta.stat], name,
			     cells[0], cells[1]);
			if (m->exact || !(m->s[0].cov > 0 || m->s[k].cov > 0))
				continue;
			for (s = 0; s < 2; s++) {
				if (isnan(m->s[side[s]].cov))
					snprintf(cells[s], sizeof(cells[s]), "%13s %10s", "-", "");
				else
					snprintf(cells[s], sizeof(cells[s]), "%12.2f%% %10s",
						 100 * m->s[side[s]].cov, "");
			}
			line(f, "%-6s %-21.21s %s %s", "CoV", m->name, cells[0], cells[1]);
		}
		snprintf(cells[0], sizeof(cells[0]), "n=%zu", gc->g[0]->nsamples);
		snprintf(cells[1], sizeof(cells[1]), "n=%zu", gc->g[k]->nsamples);
		line(f, "%-28s %13s %10s %13s", "samples", cells[0], "", cells[1]);
		if (gc->hidden_zero)
			line(f, "(%zu counters zero on every side not shown)", gc->hidden_zero);
		text_figure(f, r, gc);
		fputc('\n', f);
	}
}

static void text_regressions(FILE *f, const struct report *r, size_t k)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->ngroups; i++) {
		for (j = 0; j < r->groups[i].nm; j++) {
			const struct metric_cmp *m = &r->groups[i].m[j];

			if (!m->regression[k])
				continue;
			if (!n++)
				fprintf(f, "Regressions of %s beyond %.2f%%:\n", r->sides[k].label,
					r->threshold);
			fprintf(f, "  %s: %s %.2f%%", r->groups[i].g[0]->label, m->name, m->gain[k]);
			if (isnan(m->p[k]))
				fprintf(f, " (%s)\n", m->exact ? "exact" : "no variance");
			else
				fprintf(f, " (p=%.2g)\n", m->p[k]);
		}
	}
	if (!n)
		fprintf(f, "No significant regression of %s beyond %.2f%%.\n", r->sides[k].label,
			r->threshold);
}

static void text_notes(FILE *f, const struct report *r)
{
	size_t k, i;

	for (k = 0; k < r->nsides; k++) {
		for (i = 0; i < r->sides[k].nnotes; i++)
			fprintf(f, "note: %s\n", r->sides[k].notes[i]);
	}
}

static const char *verdict(const struct report *r)
{
	return r->nregressions ? "significant regression beyond the threshold" :
		"no significant regression beyond the threshold";
}

void render_text(FILE *f, const struct report *r)
{
	char note[1024];
	size_t k;

	fprintf(f, "tlbbench compare: %zu kernel%s against %s\n", r->nsides - 1,
		r->nsides > 2 ? "s" : "", r->sides[0].label);
	fprintf(f, "verdict: %s (%.2f%%)\n%zu significant change%s, %zu regression%s, "
		"%zu below the effect floor\n\n",
		verdict(r), r->threshold, r->nsignificant, r->nsignificant == 1 ? "" : "s",
		r->nregressions, r->nregressions == 1 ? "" : "s", r->nsmall);
	if (r->model_note[0])
		fprintf(f, "%s\n\n", r->model_note);
	text_legend(f, r);
	for (k = 1; k < r->nsides; k++) {
		fprintf(f, "\n== %s against %s ==\n\n", r->sides[k].label, r->sides[0].label);
		text_pair(f, r, k);
		text_regressions(f, r, k);
	}
	text_notes(f, r);
	noise_sentence(r, note, sizeof(note));
	fputc('\n', f);
	wrap(f, note);
	fprintf(f, "\nresults:\n");
	for (k = 0; k < r->nsides; k++)
		fprintf(f, "  %s: %s\n", r->sides[k].label, r->sides[k].path);
}

void render_markdown(FILE *f, const struct report *r)
{
	struct env_row rows[NR_ENV_ROWS];
	char note[1024];
	size_t i, j, k;

	env_rows(r, rows);
	fprintf(f, "# tlbbench compare: against %s\n\n", r->sides[0].label);
	fprintf(f, "**Verdict:** %s (%.2f%%): %zu significant changes, %zu regressions, "
		"%zu below the effect floor (%g events per operation) set aside.\n\n",
		verdict(r), r->threshold, r->nsignificant, r->nregressions, r->nsmall, r->floor);
	if (r->model_note[0])
		fprintf(f, "**%s**\n\n", r->model_note);
	fprintf(f, "Gains over the base, positive is better; **bold** is significant "
		"(Welch's t-test, p < %g), _=x%%=_ an exact difference between deterministic "
		"runs, `?` too few samples (n < %d).\n\n", r->alpha, CMP_MIN_SAMPLES);
	fprintf(f, "| |");
	for (k = 0; k < r->nsides; k++)
		fprintf(f, " %s |", r->sides[k].label);
	fprintf(f, "\n|---|");
	for (k = 0; k < r->nsides; k++)
		fprintf(f, "---|");
	fputc('\n', f);
	for (i = 0; i < NR_ENV_ROWS; i++) {
		fprintf(f, "| %s |", rows[i].name);
		for (k = 0; k < r->nsides; k++)
			fprintf(f, " %s |", rows[i].val[k]);
		fputc('\n', f);
	}
	for (i = 0; i < r->ngroups; i++) {
		const struct group_cmp *gc = &r->groups[i];

		fprintf(f, "\n## %s\n\n| metric | stat |", gc->g[0]->label);
		for (k = 0; k < r->nsides; k++)
			fprintf(f, " %s (n=%zu) |", r->sides[k].label, gc->g[k]->nsamples);
		fprintf(f, "\n|---|---|");
		for (k = 0; k < r->nsides; k++)
			fprintf(f, "--:|");
		fputc('\n', f);
		for (j = 0; j < gc->nm; j++) {
			const struct metric_cmp *m = &gc->m[j];
			char val[32];

			if (!metric_in_tables(m, r->nsides))
				continue;
			fprintf(f, "| %s (%s) | %s |", m->name, m->meta.unit, cmp_stat_names[m->meta.stat]);
			for (k = 0; k < r->nsides; k++) {
				fmt_value(m->value[k], val, sizeof(val));
				if (!k)
					fprintf(f, " %s |", val);
				else if (isnan(m->gain[k]))
					fprintf(f, " %s (n/a%s) |", val, m->mark[k] == MARK_FEW ? " ?" : "");
				else if ((m->mark[k] == MARK_SIG || m->mark[k] == MARK_EXACT) && m->small[k])
					fprintf(f, " %s ~%+.2f%%~ |", val, m->gain[k]);
				else if (m->mark[k] == MARK_SIG)
					fprintf(f, " %s **(%+.2f%%)** |", val, m->gain[k]);
				else if (m->mark[k] == MARK_EXACT)
					fprintf(f, " %s _=%+.2f%%=_ |", val, m->gain[k]);
				else
					fprintf(f, " %s (%+.2f%%)%s |", val, m->gain[k],
						m->mark[k] == MARK_FEW ? " `?`" : "");
			}
			fputc('\n', f);
		}
		if (gc->hidden_zero)
			fprintf(f, "\n%zu counters zero on every side not shown.\n", gc->hidden_zero);
	}
	for (k = 0; k < r->nsides; k++)
		for (i = 0; i < r->sides[k].nnotes; i++)
			fprintf(f, "\n> note: %s\n", r->sides[k].notes[i]);
	noise_sentence(r, note, sizeof(note));
	fprintf(f, "\n%s\n", note);
}

/* JSON has no NaN or infinity: those are null. */
static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *json_summary(const struct summary *s)
{
	return json_pack("{sIsososososososos[oo]}",
			 "n", (json_int_t)s->n, "mean", jnum(s->mean), "sd", jnum(s->sd),
			 "cov", jnum(s->cov), "median", jnum(s->median), "min", jnum(s->min),
			 "max", jnum(s->max), "hmean", jnum(s->hmean),
			 "ci", jnum(s->ci_lo), jnum(s->ci_hi));
}

void render_json(FILE *f, const struct report *r)
{
	json_t *root, *sides = json_array(), *groups = json_array();
	size_t i, j, k;

	for (k = 0; k < r->nsides; k++) {
		json_t *notes = json_array();

		for (i = 0; i < r->sides[k].nnotes; i++)
			json_array_append_new(notes, json_string(r->sides[k].notes[i]));
		json_array_append_new(sides, json_pack("{sssssOsbso}", "label", r->sides[k].label,
						       "path", r->sides[k].path, "env", r->sides[k].env,
						       "deterministic", r->sides[k].deterministic,
						       "notes", notes));
	}
	for (i = 0; i < r->ngroups; i++) {
		const struct group_cmp *gc = &r->groups[i];
		json_t *metrics = json_array(), *n = json_array(), *prof = json_array();

		for (k = 0; k < r->nsides; k++) {
			json_array_append_new(n, json_integer(gc->g[k]->nsamples));
			json_array_append_new(prof, gc->g[k]->profile ?
					      json_string(gc->g[k]->profile) : json_null());
		}
		for (j = 0; j < gc->nm; j++) {
			const struct metric_cmp *m = &gc->m[j];
			json_t *per = json_array();

			for (k = 0; k < r->nsides; k++) {
				json_t *o = json_summary(&m->s[k]);

				json_object_set_new(o, "value", jnum(m->value[k]));
				if (k) {
					json_object_set_new(o, "gain_pct", jnum(m->gain[k]));
					json_object_set_new(o, "p", jnum(m->p[k]));
					json_object_set_new(o, "mark", json_string(cmp_mark_names[m->mark[k]]));
					json_object_set_new(o, "per_op_change", jnum(m->per_op[k]));
					json_object_set_new(o, "small", json_boolean(m->small[k]));
					json_object_set_new(o, "judged", json_boolean(m->judged[k]));
					json_object_set_new(o, "regression", json_boolean(m->regression[k]));
				}
				json_array_append_new(per, o);
			}
			json_array_append_new(metrics, json_pack("{sssssssssbsbsbsbso}",
				"name", m->name, "unit", m->meta.unit,
				"direction", cmp_dir_names[m->meta.dir],
				"statistic", cmp_stat_names[m->meta.stat], "headline", m->meta.headline,
				"tlb", m->meta.tlb, "exact", m->exact,
				"zero", metric_all_zero(m, r->nsides), "sides", per));
		}
		json_array_append_new(groups, json_pack("{sssssOsssssososo}",
			"label", gc->g[0]->label, "workload", gc->g[0]->workload,
			"options", gc->g[0]->options, "figure", gc->slug,
			"where", gc->g[0]->where, "samples", n, "profiles", prof,
			"metrics", metrics));
	}
	root = json_pack("{sisfsfsfsssIsIsIsoso}", "tlbbench_compare", 1, "alpha", r->alpha,
			 "threshold_pct", r->threshold, "floor_per_op", r->floor,
			 "verdict", r->nregressions ? "regression" : "ok",
			 "significant", (json_int_t)r->nsignificant,
			 "regressions", (json_int_t)r->nregressions,
			 "below_floor", (json_int_t)r->nsmall,
			 "sides", sides, "groups", groups);
	if (r->model_note[0])
		json_object_set_new(root, "tlb_model_note", json_string(r->model_note));
	json_object_set_new(root, "layout_noise", noise_json(&r->noise));
	json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(root);
}

static void html_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void html_figures(FILE *f, const struct report *r, const struct group_cmp *gc)
{
	static const char *const kinds[] = { "", "-tlb" };
	char path[PATH_MAX];
	size_t i;

	if (!r->figures)
		return;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s%s.svg", r->figures, gc->slug, kinds[i]);
		if (access(path, R_OK))
			continue;
		fprintf(f, "<img src=\"");
		html_escape(f, r->figures_href ? r->figures_href : r->figures);
		fprintf(f, "/%s%s.svg", gc->slug, kinds[i]);
		/* the TLB figure is a row of one panel per counter: full width */
		fprintf(f, "\" alt=\"%s%s\"%s>\n", gc->slug, kinds[i],
			*kinds[i] ? " class=\"wide\"" : "");
	}
}

void render_html(FILE *f, const struct report *r)
{
	struct env_row rows[NR_ENV_ROWS];
	char note[1024];
	size_t i, j, k;

	env_rows(r, rows);
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
		"<title>tlbbench compare against ");
	html_escape(f, r->sides[0].label);
	fprintf(f, "</title>\n<style>\n"
		"body{font-family:sans-serif;max-width:70em;margin:1em auto}\n"
		"table{border-collapse:collapse;margin:.5em 0}\n"
		"td,th{border:1px solid #ccc;padding:.2em .5em}td.n{text-align:right;font-family:monospace}\n"
		".better{background:#dfd}.worse{background:#fdd}.regression{background:#f99;font-weight:bold}\n"
		".exact{font-style:italic}img{max-width:48%%}\n"
		"img.wide{max-width:100%%;display:block}\n</style></head><body>\n");
	fprintf(f, "<h1>tlbbench compare against ");
	html_escape(f, r->sides[0].label);
	fprintf(f, "</h1>\n<p><b>Verdict:</b> %s (%.2f%%): %zu significant changes, "
		"%zu regressions, %zu below the effect floor set aside. Gains over the base, "
		"positive is better. Coloured cells are the changes the verdict judges: "
		"significant (Welch's t-test, p &lt; %g) or exact differences between "
		"deterministic runs (italic), beyond %.2f%% and, for counts, beyond %g "
		"events per operation. Smaller exact differences are shown uncoloured, "
		"marked ~.</p>\n", verdict(r), r->threshold,
		r->nsignificant, r->nregressions, r->nsmall, r->alpha, r->threshold, r->floor);
	if (r->model_note[0]) {
		fprintf(f, "<p><b>");
		html_escape(f, r->model_note);
		fprintf(f, "</b></p>\n");
	}
	fprintf(f, "<table><tr><th></th>");
	for (k = 0; k < r->nsides; k++) {
		fprintf(f, "<th>");
		html_escape(f, r->sides[k].label);
		fprintf(f, "</th>");
	}
	fprintf(f, "</tr>\n");
	for (i = 0; i < NR_ENV_ROWS; i++) {
		fprintf(f, "<tr><th>%s</th>", rows[i].name);
		for (k = 0; k < r->nsides; k++) {
			fprintf(f, "<td>");
			html_escape(f, rows[i].val[k]);
			fprintf(f, "</td>");
		}
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table>\n");
	for (i = 0; i < r->ngroups; i++) {
		const struct group_cmp *gc = &r->groups[i];

		fprintf(f, "<h2 id=\"%s\">", gc->slug);
		html_escape(f, gc->g[0]->label);
		fprintf(f, "</h2>\n<table><tr><th>metric</th><th>stat</th>");
		for (k = 0; k < r->nsides; k++) {
			fprintf(f, "<th>");
			html_escape(f, r->sides[k].label);
			fprintf(f, " (n=%zu)</th>", gc->g[k]->nsamples);
		}
		fprintf(f, "</tr>\n");
		for (j = 0; j < gc->nm; j++) {
			const struct metric_cmp *m = &gc->m[j];
			char val[32];

			if (!metric_in_tables(m, r->nsides))
				continue;
			fprintf(f, "<tr><td>%s (%s)</td><td>%s</td>", m->name, m->meta.unit,
				cmp_stat_names[m->meta.stat]);
			for (k = 0; k < r->nsides; k++) {
				const char *cls = "";

				fmt_value(m->value[k], val, sizeof(val));
				if (k && m->judged[k])
					cls = m->regression[k] ? "regression" :
						m->gain[k] >= 0 ? "better" : "worse";
				fprintf(f, "<td class=\"n %s%s\">%s", cls,
					k && m->mark[k] == MARK_EXACT ? " exact" : "", val);
				if (k && !isnan(m->gain[k]))
					fprintf(f, m->small[k] && m->mark[k] != MARK_NONE ?
						" (~%+.2f%%~)" : " (%+.2f%%)", m->gain[k]);
				if (k && m->mark[k] == MARK_FEW)
					fprintf(f, " ?");
				if (!isnan(m->s[k].cov) && !m->exact)
					fprintf(f, "<br><small>CoV %.2f%%</small>", 100 * m->s[k].cov);
				fprintf(f, "</td>");
			}
			fprintf(f, "</tr>\n");
		}
		fprintf(f, "</table>\n");
		html_figures(f, r, gc);
		attachment(f, r, gc, "-profile", true);
	}
	for (k = 0; k < r->nsides; k++) {
		for (i = 0; i < r->sides[k].nnotes; i++) {
			fprintf(f, "<p>note: ");
			html_escape(f, r->sides[k].notes[i]);
			fprintf(f, "</p>\n");
		}
	}
	noise_sentence(r, note, sizeof(note));
	fprintf(f, "<p>");
	html_escape(f, note);
	fprintf(f, "</p>\n</body></html>\n");
}
