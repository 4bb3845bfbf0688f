// SPDX-License-Identifier: GPL-2.0
/*
 * tlbbench: run memory-management microbenchmarks with TLB counters and
 * write every sample as JSON Lines.  Commands: list, run, help, plan,
 * validate, merge (and compare, on the host).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "counters.h"
#include "exitcodes.h"
#include "merge.h"
#include "options.h"
#include "plan.h"
#include "runner.h"
#include "schema.h"
#include "workload.h"
#ifdef TLBBENCH_HAVE_COMPARE
#include "compare.h"
#endif

static void usage(FILE *f);

static json_t *options_json(const struct opt_def *opts)
{
	json_t *arr = json_array();
	const struct opt_def *o;

	for (o = opts; o && o->name; o++) {
		json_t *j = json_object();
		char type[128];

		opt_describe(o, type, sizeof(type));
		json_object_set_new(j, "name", json_string(o->name));
		json_object_set_new(j, "type", json_string(type));
		json_object_set_new(j, "default", o->def ? json_string(o->def) : json_null());
		json_object_set_new(j, "help", json_string(o->help));
		json_array_append_new(arr, j);
	}
	return arr;
}

static void print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(j);
}

/* The counter table: name, sources, default sets, help. */
static int list_events(bool json)
{
	json_t *rows = counters_json(), *row, *v;
	size_t i, j;

	if (json) {
		print_json(rows);
		return EXIT_PASS;
	}
	printf("%-22s %-15s %-24s %s\n", "name", "from", "default in", "what");
	json_array_foreach(rows, i, row) {
		char from[64] = "", sets[64] = "";

		json_array_foreach(json_object_get(row, "sources"), j, v)
			snprintf(from + strlen(from), sizeof(from) - strlen(from), "%s%s",
				 j ? "," : "", json_string_value(v));
		json_array_foreach(json_object_get(row, "defaults"), j, v)
			snprintf(sets + strlen(sets), sizeof(sets) - strlen(sets), "%s%s",
				 j ? "," : "", json_string_value(v));
		printf("%-22s %-15s %-24s %s%s\n", json_string_value(json_object_get(row, "name")),
		       from, *sets ? sets : "-", json_string_value(json_object_get(row, "help")),
		       json_is_true(json_object_get(row, "headline")) ? " [headline]" : "");
	}
	json_decref(rows);
	return EXIT_PASS;
}

static int cmd_list(int argc, char **argv)
{
	bool json = false, events = false;
	size_t i;
	int a;

	for (a = 0; a < argc; a++) {
		if (!strcmp(argv[a], "--json")) {
			json = true;
		} else if (!strcmp(argv[a], "--events")) {
			events = true;
		} else {
			fprintf(stderr, "tlbbench list: usage: tlbbench list [--events] [--json]\n");
			return EXIT_USAGE;
		}
	}
	if (events)
		return list_events(json);
	if (json) {
		json_t *arr = json_array();

		for (i = 0; i < nr_workloads; i++) {
			json_t *w = json_object();

			json_object_set_new(w, "name", json_string(workloads[i]->name));
			json_object_set_new(w, "summary", json_string(workloads[i]->summary));
			json_object_set_new(w, "op", workloads[i]->op ?
					    json_string(workloads[i]->op) : json_null());
			json_object_set_new(w, "options", options_json(workloads[i]->options));
			json_array_append_new(arr, w);
		}
		print_json(arr);
		return EXIT_PASS;
	}
	for (i = 0; i < nr_workloads; i++) {
		printf("%s - %s\n", workloads[i]->name, workloads[i]->summary);
		opt_print(stdout, workloads[i]->options);
	}
	printf("\nrunner options (every workload):\n");
	opt_print(stdout, runner_options);
	return EXIT_PASS;
}

/* "tlbbench help [WORKLOAD]" */
static int cmd_help(int argc, char **argv)
{
	const struct workload *wl;

	if (!argc) {
		usage(stdout);
		return EXIT_PASS;
	}
	wl = workload_find(argv[0]);
	if (argc > 1 || !wl) {
		fprintf(stderr, "tlbbench help: %s%s%s(tlbbench list shows the workloads)\n",
			argc > 1 ? "usage: tlbbench help [WORKLOAD] " : "unknown workload '",
			argc > 1 ? "" : argv[0], argc > 1 ? "" : "' ");
		return EXIT_USAGE;
	}
	run_help(stdout, wl);
	return EXIT_PASS;
}

static int cmd_validate(int argc, char **argv)
{
	char err[512];
	int i, bad = 0;

	if (argc < 1) {
		fprintf(stderr, "tlbbench validate: usage: tlbbench validate FILE.jsonl...\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if (schema_check_file(argv[i], err, sizeof(err))) {
			fprintf(stderr, "tlbbench validate: %s\n", err);
			bad = 1;
		}
	}
	return bad ? EXIT_FAIL : EXIT_PASS;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tlbbench list [--events] [--json]\n"
		"       tlbbench run WORKLOAD [--OPTION=VALUE | --OPTION VALUE ...] [--reps=N]\n"
		"                    [--warmup=N] [--cpu=N|none] [--node=N] [--events=LIST]\n"
		"                    [--out=FILE] [--verify] [--profile] [--quiet]\n"
		"       tlbbench help [WORKLOAD]      (also: tlbbench run WORKLOAD --help)\n"
		"       tlbbench plan FILE.plan [--out=FILE] [--dry-run] [--quiet]\n"
		"       tlbbench validate FILE.jsonl...\n"
		"       tlbbench merge SAMPLES.jsonl TLBSIM.jsonl --out=FILE\n"
		"       tlbbench compare [--format=F] [--out=DIR] BASE NEW... (host only;\n"
		"                    tlbbench compare --help)\n"
		"       tlbbench version\n"
		"exit codes: 0 pass, 1 fail, 2 usage, 4 skip, 130 interrupted\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 2, argv + 2);
	if (!strcmp(argv[1], "run"))
		return run_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "merge"))
		return merge_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "plan"))
		return plan_main(argc - 2, argv + 2);
#ifdef TLBBENCH_HAVE_COMPARE
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
#endif
	if (!strcmp(argv[1], "validate"))
		return cmd_validate(argc - 2, argv + 2);
	if (!strcmp(argv[1], "version")) {
		printf("tlbbench %s\n", TLBBENCH_VERSION);
		return EXIT_PASS;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help"))
		return cmd_help(argc - 2, argv + 2);
	fprintf(stderr, "tlbbench: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
