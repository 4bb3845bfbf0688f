// SPDX-License-Identifier: GPL-2.0
/*
 * tlbbench: run memory-management microbenchmarks with TLB counters and
 * write every sample as JSON Lines.  Commands: list, run, plan, validate,
 * merge.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "events.h"
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

static void print_options(const struct opt_def *opts)
{
	const struct opt_def *o;

	for (o = opts; o && o->name; o++) {
		char type[128], flag[64];

		opt_describe(o, type, sizeof(type));
		snprintf(flag, sizeof(flag), "--%s", o->name);
		printf("    %-16s %-28s default %-8s %s\n", flag, type,
		       o->def ? o->def : "(unset)", o->help);
	}
}

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

static int cmd_list(int argc, char **argv)
{
	bool json = argc > 0 && !strcmp(argv[0], "--json");
	size_t i;

	if (argc > 0 && !strcmp(argv[0], "--events")) {
		for (i = 0; i < nr_events; i++)
			printf("%-18s %s\n", event_table[i].name, event_table[i].help);
		return EXIT_PASS;
	}
	if (argc > (json ? 1 : 0)) {
		fprintf(stderr, "tlbbench list: usage: tlbbench list [--json | --events]\n");
		return EXIT_USAGE;
	}
	if (json) {
		json_t *arr = json_array();

		for (i = 0; i < nr_workloads; i++) {
			json_t *w = json_object();

			json_object_set_new(w, "name", json_string(workloads[i]->name));
			json_object_set_new(w, "summary", json_string(workloads[i]->summary));
			json_object_set_new(w, "options", options_json(workloads[i]->options));
			json_array_append_new(arr, w);
		}
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(arr);
		return EXIT_PASS;
	}
	for (i = 0; i < nr_workloads; i++) {
		printf("%s - %s\n", workloads[i]->name, workloads[i]->summary);
		print_options(workloads[i]->options);
	}
	printf("\nrunner options (every workload):\n");
	print_options(runner_options);
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
		"usage: tlbbench list [--json | --events]\n"
		"       tlbbench run WORKLOAD [--OPTION=VALUE ...] [--reps=N] [--warmup=N]\n"
		"                    [--cpu=N] [--node=N] [--events=LIST] [--out=FILE] [--verify]\n"
		"       tlbbench plan FILE.plan [--out=FILE] [--dry-run]\n"
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
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return EXIT_PASS;
	}
	fprintf(stderr, "tlbbench: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
