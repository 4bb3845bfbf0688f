// SPDX-License-Identifier: GPL-2.0
/*
 * Run plans: parse, validate against the runner's and the workloads' option
 * tables, expand lists into runs, and execute each run as a fresh
 * "tlbbench run" process (a clean address space and rusage per run), all
 * appending to one results file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "options.h"
#include "plan.h"
#include "runner.h"

#define MAX_KEYS	64	/* keys in one stanza */
#define MAX_VALUES	64	/* values in one list */
#define MAX_RUNS	100000	/* runs in one plan: a typo'd list is caught early */

struct kv {
	char *key;
	char *vals[MAX_VALUES];
	int nvals;
	unsigned int line;
};

struct stanza {
	struct kv kv[MAX_KEYS];
	int n;
	const struct workload *wl;
	unsigned int wl_line;
};

struct parser {
	const char *name;
	char *err;
	size_t errlen;
	struct stanza defaults;
	struct plan *plan;
};

static int perr(struct parser *p, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, unsigned int line, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	snprintf(p->err, p->errlen, "%s:%u: ", p->name, line);
	used = strlen(p->err);
	va_start(ap, fmt);
	vsnprintf(p->err + used, p->errlen - used, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static void stanza_clear(struct stanza *st)
{
	int i, j;

	for (i = 0; i < st->n; i++) {
		free(st->kv[i].key);
		for (j = 0; j < st->kv[i].nvals; j++)
			free(st->kv[i].vals[j]);
	}
	memset(st, 0, sizeof(*st));
}

/* Check one value against the option it names, in a scratch block. */
static int check_value(struct parser *p, const struct stanza *st, const struct kv *kv,
		       const char *val)
{
	const struct opt_def *opt = opt_find(runner_options, kv->key);
	char msg[256];
	void *block;
	int ret;

	if (!opt && st->wl)
		opt = opt_find(st->wl->options, kv->key);
	block = calloc(1, st->wl && st->wl->config_size > sizeof(struct run_config) ?
		       st->wl->config_size : sizeof(struct run_config));
	if (!block)
		return perr(p, kv->line, "out of memory");
	ret = opt_parse_value(opt, val, block, msg, sizeof(msg));
	free(block);
	return ret ? perr(p, kv->line, "%s", msg) : 0;
}

static int add_kv(struct parser *p, struct stanza *st, char *key, char *vals,
		  unsigned int line)
{
	struct kv *kv;
	char *save = NULL, *v;
	int i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->kv[i].key, key))
			return perr(p, line, "duplicate key '%s' (first at line %u)",
				    key, st->kv[i].line);
	if (!strcmp(key, "out"))
		return perr(p, line, "'out' cannot be set in a plan: the plan's --out names the file");
	if (!opt_find(runner_options, key) && !(st->wl && opt_find(st->wl->options, key))) {
		if (st->wl)
			return perr(p, line, "unknown key '%s' for workload %s (tlbbench list shows its options)",
				    key, st->wl->name);
		return perr(p, line, "unknown key '%s' before any workload= (workload options need workload= first in their stanza)",
			    key);
	}
	if (st->n == MAX_KEYS)
		return perr(p, line, "more than %d keys in one stanza", MAX_KEYS);
	kv = &st->kv[st->n++];
	kv->key = strdup(key);
	kv->line = line;
	for (v = strtok_r(vals, " \t", &save); v; v = strtok_r(NULL, " \t", &save)) {
		if (kv->nvals == MAX_VALUES)
			return perr(p, line, "more than %d values for '%s'", MAX_VALUES, key);
		if (check_value(p, st, kv, v))
			return -1;
		kv->vals[kv->nvals++] = strdup(v);
	}
	if (!kv->nvals)
		return perr(p, line, "'%s' has no value", key);
	if (kv->nvals > 1 && !st->wl)
		return perr(p, line, "'%s': a list is allowed in a workload stanza, not in the defaults", key);
	return 0;
}

static int push_run(struct parser *p, const struct stanza *st, const int *pick)
{
	struct plan *plan = p->plan;
	struct plan_run *run, *grown;
	int i, k = 0;

	if (plan->n == MAX_RUNS)
		return perr(p, st->wl_line, "the plan expands to more than %d runs", MAX_RUNS);
	grown = realloc(plan->runs, (plan->n + 1) * sizeof(*grown));
	if (!grown)
		return perr(p, st->wl_line, "out of memory");
	plan->runs = grown;
	run = &plan->runs[plan->n++];
	run->wl = st->wl;
	run->line = st->wl_line;
	run->argv = calloc(p->defaults.n + st->n + 1, sizeof(char *));
	/* defaults first, unless the stanza sets the same key */
	for (i = 0; i < p->defaults.n; i++) {
		const struct kv *d = &p->defaults.kv[i];
		int j, overridden = 0;

		for (j = 0; j < st->n; j++)
			overridden |= !strcmp(st->kv[j].key, d->key);
		if (!overridden && asprintf(&run->argv[k++], "--%s=%s", d->key, d->vals[0]) < 0)
			return perr(p, st->wl_line, "out of memory");
	}
	for (i = 0; i < st->n; i++)
		if (asprintf(&run->argv[k++], "--%s=%s", st->kv[i].key,
			     st->kv[i].vals[pick[i]]) < 0)
			return perr(p, st->wl_line, "out of memory");
	run->argc = k;
	return 0;
}

/* One run per combination of list values, the last key varying fastest. */
static int expand(struct parser *p, const struct stanza *st)
{
	int pick[MAX_KEYS] = { 0 }, i;

	for (;;) {
		if (push_run(p, st, pick))
			return -1;
		for (i = st->n - 1; i >= 0; i--) {
			if (++pick[i] < st->kv[i].nvals)
				break;
			pick[i] = 0;
		}
		if (i < 0)
			return 0;
	}
}

/* A stanza ended (blank line or end of text). */
static int end_stanza(struct parser *p, struct stanza *st, unsigned int first_line,
		      bool first)
{
	int ret;

	if (!st->n)
		return 0;
	if (!st->wl) {
		if (!first)
			return perr(p, first_line, "stanza has no workload= (only the first stanza may hold defaults)");
		/* the defaults stanza: keep it, hand its strings over */
		p->defaults = *st;
		memset(st, 0, sizeof(*st));
		return 0;
	}
	ret = expand(p, st);
	stanza_clear(st);
	return ret;
}

static int parse_line(struct parser *p, struct stanza *st, char *line, unsigned int lineno)
{
	char *eq = strchr(line, '='), *key, *val;

	if (!eq)
		return perr(p, lineno, "expected key=value, got '%s'", line);
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	if (!*key)
		return perr(p, lineno, "missing key before '='");
	if (!strcmp(key, "workload")) {
		if (st->wl)
			return perr(p, lineno, "duplicate key 'workload' (first at line %u)", st->wl_line);
		if (st->n)
			return perr(p, lineno, "workload= must be the first key of its stanza");
		st->wl = workload_find(val);
		if (!st->wl)
			return perr(p, lineno, "unknown workload '%s' (tlbbench list shows them)", val);
		st->wl_line = lineno;
		return 0;
	}
	return add_kv(p, st, key, val, lineno);
}

int plan_parse(const char *name, const char *text, struct plan *plan,
	       char *err, size_t errlen)
{
	struct parser p = { .name = name, .err = err, .errlen = errlen, .plan = plan };
	struct stanza *st = calloc(1, sizeof(*st));
	char *copy = strdup(text), *line, *next;
	unsigned int lineno = 0, first_line = 0;
	bool first = true;
	int ret = 0;

	plan->n = 0;
	plan->runs = NULL;
	if (!st || !copy) {
		snprintf(err, errlen, "%s: out of memory", name);
		ret = -1;
		goto out;
	}
	for (line = copy; line && !ret; line = next) {
		char *hash;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line = trim(line);
		if (!*line) {
			/* a blank line ends a stanza; a comment-only line does not */
			if (!hash && st->n + !!st->wl) {
				ret = end_stanza(&p, st, first_line, first);
				first = false;
			}
			continue;
		}
		if (!st->n && !st->wl)
			first_line = lineno;
		ret = parse_line(&p, st, line, lineno);
	}
	if (!ret)
		ret = end_stanza(&p, st, first_line, first);
	if (!ret && !plan->n) {
		snprintf(err, errlen, "%s: the plan has no workload stanza", name);
		ret = -1;
	}
out:
	if (st)
		stanza_clear(st);
	stanza_clear(&p.defaults);
	free(st);
	free(copy);
	if (ret)
		plan_free(plan);
	return ret;
}

int plan_load(const char *path, struct plan *plan, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	size_t n;
	int ret;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = calloc(1, 1 << 20);
	n = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (!text || n == (1 << 20) - 1) {
		snprintf(err, errlen, "%s: larger than 1 MiB", path);
		free(text);
		return -1;
	}
	ret = plan_parse(path, text, plan, err, errlen);
	free(text);
	return ret;
}

void plan_free(struct plan *plan)
{
	size_t i;
	int j;

	for (i = 0; i < plan->n; i++) {
		for (j = 0; j < plan->runs[i].argc; j++)
			free(plan->runs[i].argv[j]);
		free(plan->runs[i].argv);
	}
	free(plan->runs);
	plan->runs = NULL;
	plan->n = 0;
}

static void print_run(FILE *f, const struct plan_run *run)
{
	int j;

	fprintf(f, "%s", run->wl->name);
	for (j = 0; j < run->argc; j++)
		fprintf(f, " %s", run->argv[j]);
}

/* Run one plan entry as "tlbbench run ..." in a child; returns its exit code. */
static int exec_run(const struct plan_run *run, const char *out, bool quiet)
{
	char **argv = calloc(run->argc + 6, sizeof(char *)), *outarg = NULL;
	int st, k = 0, j;
	pid_t pid;

	if (!argv || asprintf(&outarg, "--out=%s", out) < 0)
		return EXIT_FAIL;
	argv[k++] = "tlbbench";
	argv[k++] = "run";
	argv[k++] = (char *)run->wl->name;
	for (j = 0; j < run->argc; j++)
		argv[k++] = run->argv[j];
	argv[k++] = outarg;
	/* each run prints its own summary line, unless told to be quiet */
	if (quiet)
		argv[k++] = "--quiet";
	argv[k] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execv("/proc/self/exe", argv);
		fprintf(stderr, "tlbbench plan: exec /proc/self/exe: %s\n", strerror(errno));
		_exit(EXIT_FAIL);
	}
	free(argv);
	free(outarg);
	if (pid < 0) {
		fprintf(stderr, "tlbbench plan: fork: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAIL;
	if (WIFSIGNALED(st))
		return WTERMSIG(st) == SIGINT ? EXIT_INTERRUPTED : EXIT_FAIL;
	return WEXITSTATUS(st);
}

int plan_main(int argc, char **argv)
{
	const char *out = "-", *path = NULL;
	int i, code, worst = EXIT_PASS, failed = 0, skipped = 0;
	bool dry = false, quiet = false;
	struct plan plan;
	char err[512];
	size_t r;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "--out=", 6))
			out = argv[i] + 6;
		else if (!strcmp(argv[i], "--dry-run"))
			dry = true;
		else if (!strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			fprintf(stderr, "tlbbench plan: usage: tlbbench plan FILE [--out=FILE] [--dry-run] [--quiet]\n");
			return EXIT_USAGE;
		}
	}
	if (!path) {
		fprintf(stderr, "tlbbench plan: usage: tlbbench plan FILE [--out=FILE] [--dry-run] [--quiet]\n");
		return EXIT_USAGE;
	}
	if (plan_load(path, &plan, err, sizeof(err))) {
		fprintf(stderr, "tlbbench plan: %s\n", err);
		return EXIT_USAGE;
	}
	for (r = 0; r < plan.n; r++) {
		time_t t0 = time(NULL);

		if (dry) {
			print_run(stdout, &plan.runs[r]);
			putchar('\n');
			continue;
		}
		fprintf(stderr, "plan: [%zu/%zu] ", r + 1, plan.n);
		print_run(stderr, &plan.runs[r]);
		fputc('\n', stderr);
		code = exec_run(&plan.runs[r], out, quiet);
		fprintf(stderr, "plan: [%zu/%zu] %s in %lds\n", r + 1, plan.n,
			code == EXIT_PASS ? "pass" : code == EXIT_SKIP ? "skip" :
			code == EXIT_INTERRUPTED ? "interrupted" : "FAIL",
			(long)(time(NULL) - t0));
		if (code == EXIT_INTERRUPTED) {
			worst = code;
			break;
		}
		failed += code != EXIT_PASS && code != EXIT_SKIP;
		skipped += code == EXIT_SKIP;
	}
	if (!dry)
		fprintf(stderr, "plan: %zu runs, %d failed, %d skipped\n", plan.n, failed, skipped);
	plan_free(&plan);
	if (worst == EXIT_INTERRUPTED)
		return worst;
	return failed ? EXIT_FAIL : EXIT_PASS;
}
