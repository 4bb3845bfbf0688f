// SPDX-License-Identifier: GPL-2.0
/*
 * Reading one side of a comparison: a results folder (or one samples.jsonl)
 * into groups of per-repetition metric values.
 *
 * Reading is strict.  Every record is checked against the schema; a
 * malformed or truncated line, an unknown schema version, or a side that
 * mixes kernels, targets or TLB models is an error naming the file and
 * line.  Runs that did not pass keep the samples they wrote (they were
 * measured) and leave a note that the report prints.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "compare.h"
#include "jsonl.h"
#include "options.h"
#include "schema.h"
#include "workload.h"

#define RESULTS_FILE "samples.jsonl"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("tlbbench compare");
		exit(CMP_EXIT_BADINPUT);
	}
	return p;
}

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/*
 * ARG is a samples.jsonl, a folder holding one, or a folder with exactly
 * one subfolder holding one (results/<run>/ of a single-variant bench).
 */
static int find_results(const char *arg, char *path, size_t len, char *err, size_t errlen)
{
	struct dirent *de;
	struct stat st;
	char cand[PATH_MAX];
	int found = 0;
	DIR *d;

	if (stat(arg, &st)) {
		snprintf(err, errlen, "%s: %s", arg, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		snprintf(path, len, "%s", arg);
		return 0;
	}
	snprintf(cand, sizeof(cand), "%s/%s", arg, RESULTS_FILE);
	if (is_file(cand)) {
		snprintf(path, len, "%s", cand);
		return 0;
	}
	d = opendir(arg);
	if (!d) {
		snprintf(err, errlen, "%s: %s", arg, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(cand, sizeof(cand), "%s/%s/%s", arg, de->d_name, RESULTS_FILE);
		if (!is_file(cand))
			continue;
		if (found++) {
			snprintf(err, errlen, "%s: holds results of several kernels (%s, %s, ...): name one folder",
				 arg, path, cand);
			closedir(d);
			return -1;
		}
		snprintf(path, len, "%s", cand);
	}
	closedir(d);
	if (!found) {
		snprintf(err, errlen, "%s: no %s in it or in a folder below it", arg, RESULTS_FILE);
		return -1;
	}
	return 0;
}

const char *json_str_at(json_t *rec, const char *a, const char *b)
{
	json_t *v = json_object_get(rec, a);

	if (b)
		v = json_object_get(v, b);
	return json_is_string(v) ? json_string_value(v) : "";
}

/*
 * What makes two runs' numbers comparable within one side: the same
 * kernel build, machine, target and TLB model.
 */
static char *env_identity(json_t *env)
{
	json_t *model = json_object_get(env, "tlb_model");
	char *id;

	if (asprintf(&id, "kernel %s (variant %s, config %.12s), %s %s%s, target %s%s%s, TLB model %s %s contpte=%s, %s",
		     json_str_at(env, "kernel", "release"), json_str_at(env, "kernel", "variant"),
		     json_str_at(env, "kernel", "config_sha256"), json_str_at(env, "cpu", "arch"),
		     json_str_at(env, "cpu", "model"), json_str_at(env, "cpu", "midr"),
		     json_str_at(env, "target", NULL), *json_str_at(env, "qemu_cpu", NULL) ? " -cpu " : "",
		     json_str_at(env, "qemu_cpu", NULL), json_is_object(model) ? "tlbsim" : "none",
		     json_str_at(model, "core", NULL), json_str_at(model, "contpte", NULL),
		     json_is_true(json_object_get(env, "deterministic")) ?
		     "deterministic" : "not deterministic") < 0)
		exit(CMP_EXIT_BADINPUT);
	return id;
}

/* The parts of a tlb_model record that make it one model. */
static const char *const model_keys[] = {
	"core", "core_verified", "contpte", "geometry", "costs", NULL,
};

/* "core neoverse-n1 against cortex-a76": the first part a and b differ in. */
static bool model_differs(json_t *a, json_t *b, char *what, size_t len)
{
	const char *const *k;
	char *x, *y;

	if (!json_is_object(a) || !json_is_object(b)) {
		if (json_is_object(a) == json_is_object(b))
			return false;
		snprintf(what, len, "tlbsim %s against no TLB model",
			 json_is_object(a) ? "here" : "on the base");
		return true;
	}
	for (k = model_keys; *k; k++) {
		json_t *va = json_object_get(a, *k), *vb = json_object_get(b, *k);

		if ((!va && !vb) || (va && vb && json_equal(va, vb)))
			continue;
		x = va ? json_dumps(va, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS) : strdup("none");
		y = vb ? json_dumps(vb, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS) : strdup("none");
		snprintf(what, len, "%s %s against %s", *k, y, x);
		free(x);
		free(y);
		return true;
	}
	return false;
}

int model_check(struct report *r, char *err, size_t errlen)
{
	json_t *base = json_object_get(r->sides[0].env, "tlb_model");
	char what[384];
	size_t k;

	r->model_note[0] = 0;
	for (k = 1; k < r->nsides; k++) {
		if (!model_differs(base, json_object_get(r->sides[k].env, "tlb_model"),
				   what, sizeof(what)))
			continue;
		if (!r->ignore_model) {
			snprintf(err, errlen, "%s: another TLB model than %s's (%s): its model "
				 "counters are not comparable; --ignore-model compares them anyway",
				 r->sides[k].path, r->sides[0].label, what);
			return -1;
		}
		snprintf(r->model_note, sizeof(r->model_note),
			 "TLB models differ, compared anyway (--ignore-model): %s has %s; "
			 "model counters and modelled_cycles are not like for like",
			 r->sides[k].label, what);
		break;
	}
	return 0;
}

static const struct opt_def *find_opt(const char *workload, const char *name)
{
	size_t i;

	for (i = 0; i < nr_workloads; i++)
		if (!strcmp(workloads[i]->name, workload))
			return opt_find(workloads[i]->options, name);
	return NULL;
}

/* "fault access=write backing=anon-4k bytes=16M": sizes as typed. */
static char *group_label(const char *workload, json_t *options)
{
	const struct opt_def *opt;
	const char *name;
	char *out = strdup(workload), *next, val[64];
	json_t *v;

	json_object_foreach(options, name, v) {
		opt = find_opt(workload, name);
		if (json_is_integer(v) && opt && opt->type == OPT_SIZE)
			opt_size_text(json_integer_value(v), val, sizeof(val));
		else if (json_is_string(v))
			snprintf(val, sizeof(val), "%s", json_string_value(v));
		else if (json_is_integer(v))
			snprintf(val, sizeof(val), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else
			snprintf(val, sizeof(val), "%s", json_is_true(v) ? "true" : "false");
		if (asprintf(&next, "%s %s=%s", out, name, val) < 0)
			exit(CMP_EXIT_BADINPUT);
		free(out);
		out = next;
	}
	return out;
}

static struct group *group_get(struct side *s, json_t *env, const char *where,
				const char *const *ignore)
{
	json_t *run = json_object_get(env, "run");
	const char *workload = json_string_value(json_object_get(run, "workload"));
	json_t *options = json_deep_copy(json_object_get(run, "options"));
	char *opts, *key;
	struct group *g;
	size_t i;

	for (; ignore && *ignore; ignore++)
		json_object_del(options, *ignore);
	opts = json_dumps(options, JSON_SORT_KEYS | JSON_COMPACT);
	if (asprintf(&key, "%s %s", workload, opts) < 0)
		exit(CMP_EXIT_BADINPUT);
	free(opts);
	for (i = 0; i < s->ngroups; i++) {
		if (!strcmp(s->groups[i].key, key)) {
			free(key);
			json_decref(options);
			return &s->groups[i];
		}
	}
	s->groups = xrealloc(s->groups, (s->ngroups + 1) * sizeof(*s->groups));
	g = &s->groups[s->ngroups++];
	memset(g, 0, sizeof(*g));
	g->key = key;
	g->workload = strdup(workload);
	g->options = options;
	g->label = group_label(workload, options);
	snprintf(g->where, sizeof(g->where), "%s", where);
	return g;
}

const struct series *group_series(const struct group *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nmetrics; i++)
		if (!strcmp(g->metrics[i].name, name))
			return &g->metrics[i];
	return NULL;
}

static void add_value(struct group *g, const char *name, double v)
{
	struct series *m = (struct series *)group_series(g, name);

	if (!m) {
		g->metrics = xrealloc(g->metrics, (g->nmetrics + 1) * sizeof(*g->metrics));
		m = &g->metrics[g->nmetrics++];
		memset(m, 0, sizeof(*m));
		m->name = strdup(name);
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 8;
		m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n++] = v;
}

static double num(json_t *v)
{
	return json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
}

/* What the contpte kernel folded of the range a sample proved. */
static void mapping_facts(struct group *g, json_t *m)
{
	json_t *folded = json_object_get(m, "contpte_folded_blocks");
	long long cand = json_integer_value(json_object_get(m, "contig_64k_blocks"));

	if (!json_is_integer(folded))
		return;		/* no proof, or no contpte on this kernel */
	if (!g->contpte_proven || json_integer_value(folded) > g->folded_max)
		g->folded_max = json_integer_value(folded);
	if (!g->contpte_proven || cand > g->candidates_max)
		g->candidates_max = cand;
	g->contpte_proven = true;
}

/*
 * A measured repetition's metrics: time and rate per operation, CPU time
 * per operation, and every counted event (its total and, where counted
 * apart, its user and kernel parts).
 */
static void sample_metrics(struct group *g, json_t *rec)
{
	double ns = num(json_object_get(rec, "elapsed_ns"));
	double ops = num(json_object_get(rec, "ops"));
	json_t *ru = json_object_get(rec, "rusage"), *c, *part;
	const char *name;
	char buf[128];

	g->nsamples++;
	mapping_facts(g, json_object_get(json_object_get(rec, "info"), "mapping"));
	if (ops > 0)
		g->ops += ops;
	if (ns > 0 && ops > 0) {
		add_value(g, "time", ns / ops);
		add_value(g, "rate", ops * 1e9 / ns);
		add_value(g, "user-time", num(json_object_get(ru, "utime_ns")) / ops);
		add_value(g, "sys-time", num(json_object_get(ru, "stime_ns")) / ops);
	}
	json_object_foreach(json_object_get(rec, "counters"), name, c) {
		if (!json_is_integer(json_object_get(c, "total")))
			continue;	/* unsupported here: not a zero */
		add_value(g, name, num(json_object_get(c, "total")));
		if ((part = json_object_get(c, "user"))) {
			snprintf(buf, sizeof(buf), "%s:user", name);
			add_value(g, buf, num(part));
		}
		if ((part = json_object_get(c, "kernel"))) {
			snprintf(buf, sizeof(buf), "%s:kernel", name);
			add_value(g, buf, num(part));
		}
	}
}

static void add_note(struct side *s, char *note)
{
	s->notes = xrealloc(s->notes, (s->nnotes + 1) * sizeof(*s->notes));
	s->notes[s->nnotes++] = note;
}

/*
 * The runner names a profile as it wrote it (inside a guest, say); the
 * file lies beside the results file.  NULL if it is not there.
 */
static char *profile_path(const char *results, const char *name)
{
	const char *slash = strrchr(results, '/'), *base = strrchr(name, '/');
	char *p;

	if (asprintf(&p, "%.*s%s", slash ? (int)(slash - results + 1) : 0, results,
		     base ? base + 1 : name) < 0)
		exit(CMP_EXIT_BADINPUT);
	if (!is_file(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static int side_record(struct side *s, json_t *rec, const char *where,
		       const char *const *ignore, struct group **cur,
		       char **identity, char *identity_where, size_t iwlen,
		       char *why, size_t len)
{
	const char *type = json_string_value(json_object_get(rec, "type"));
	char *id, *note;

	if (!strcmp(type, "env")) {
		id = env_identity(rec);
		if (!*identity) {
			*identity = id;
			snprintf(identity_where, iwlen, "%s", where);
			s->env = json_incref(rec);
			s->deterministic = json_is_true(json_object_get(rec, "deterministic"));
		} else if (strcmp(id, *identity)) {
			snprintf(why, len, "this run is not comparable with the one at %s: "
				 "one side must hold one kernel and machine (here: %s; there: %s)",
				 identity_where, id, *identity);
			free(id);
			return -1;
		} else {
			free(id);
		}
		*cur = group_get(s, rec, where, ignore);
		return 0;
	}
	if (!strcmp(type, "sample")) {
		if (!strcmp(json_string_value(json_object_get(rec, "phase")), "measure"))
			sample_metrics(*cur, rec);
		return 0;
	}
	if (!strcmp(type, "end") && json_is_string(json_object_get(rec, "profile")) &&
	    !(*cur)->profile)
		(*cur)->profile = profile_path(s->path, json_str_at(rec, "profile", NULL));
	if (!strcmp(type, "end") && strcmp(json_str_at(rec, "status", NULL), "pass")) {
		if (asprintf(&note, "%s: %s ended %s%s%s: %s (%" JSON_INTEGER_FORMAT
			     " samples kept)", where, (*cur)->label, json_str_at(rec, "status", NULL),
			     json_is_string(json_object_get(rec, "stage")) ? " at " : "",
			     json_str_at(rec, "stage", NULL), json_str_at(rec, "reason", NULL),
			     json_integer_value(json_object_get(rec, "samples"))) < 0)
			exit(CMP_EXIT_BADINPUT);
		add_note(s, note);
	}
	return 0;
}

/*
 * A run that could fold (candidate 64K blocks in its mapping) on a contpte
 * kernel but had fewer blocks folded is said under the report: a contpte
 * number measured on blocks never folded must show as such.
 */
static void folding_notes(struct side *s)
{
	size_t i;
	char *note;

	for (i = 0; i < s->ngroups; i++) {
		const struct group *g = &s->groups[i];

		if (!g->contpte_proven || g->folded_max >= g->candidates_max)
			continue;
		if (g->folded_max == 0 ?
		    asprintf(&note, "%s: %s: none of its %lld candidate 64K blocks was folded in any measured sample (contpte_folded_blocks 0): not a contpte measurement",
			     g->where, g->label, g->candidates_max) < 0 :
		    asprintf(&note, "%s: %s: at most %lld of its %lld candidate 64K blocks were folded",
			     g->where, g->label, g->folded_max, g->candidates_max) < 0)
			exit(CMP_EXIT_BADINPUT);
		add_note(s, note);
	}
}

int side_load(struct side *s, const char *arg, const char *const *ignore,
	      char *err, size_t errlen)
{
	struct schema_state st = { 0 };
	struct jsonl_reader r;
	struct group *cur = NULL;
	char why[1024], where[PATH_MAX + 32], identity_where[PATH_MAX + 32] = "";
	char *identity = NULL, *slash;
	json_t *rec;
	int ret;

	memset(s, 0, sizeof(*s));
	if (find_results(arg, s->path, sizeof(s->path), err, errlen) ||
	    jsonl_open(&r, s->path, err, errlen))
		return -1;
	while ((ret = jsonl_next(&r, &rec, err, errlen)) > 0) {
		snprintf(where, sizeof(where), "%s:%lu", s->path, r.line);
		ret = schema_check_record(&st, rec, why, sizeof(why));
		if (!ret)
			ret = side_record(s, rec, where, ignore, &cur, &identity, identity_where,
					  sizeof(identity_where), why, sizeof(why));
		json_decref(rec);
		if (ret) {
			snprintf(err, errlen, "%s: %s", where, why);
			break;
		}
	}
	jsonl_close(&r);
	free(identity);
	if (!ret && !s->ngroups) {
		snprintf(err, errlen, "%s: no runs in it", s->path);
		ret = -1;
	}
	if (ret)
		return -1;
	folding_notes(s);
	/* the kernel variant names the side; else its folder */
	if (*json_str_at(s->env, "kernel", "variant")) {
		s->label = strdup(json_str_at(s->env, "kernel", "variant"));
	} else {
		s->label = strdup(arg);
		while ((slash = strrchr(s->label, '/')) && !slash[1] && slash != s->label)
			*slash = 0;
		if ((slash = strrchr(s->label, '/')))
			memmove(s->label, slash + 1, strlen(slash));
	}
	return 0;
}

void side_free(struct side *s)
{
	size_t i, j;

	for (i = 0; i < s->ngroups; i++) {
		struct group *g = &s->groups[i];

		for (j = 0; j < g->nmetrics; j++) {
			free(g->metrics[j].name);
			free(g->metrics[j].v);
		}
		free(g->metrics);
		free(g->key);
		free(g->workload);
		free(g->label);
		free(g->profile);
		json_decref(g->options);
	}
	for (i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->notes);
	free(s->groups);
	free(s->label);
	json_decref(s->env);
}
