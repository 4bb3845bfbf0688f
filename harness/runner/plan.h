/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run plans: small key=value files using the command line's option names.
 *
 *   # comment
 *   reps=5                  <- first stanza: defaults (runner options only)
 *   warmup=1
 *
 *   workload=fault          <- each later stanza: one workload
 *   bytes=4M 16M            <- a space-separated list: one run per value,
 *   access=write read          crossed with the other lists (4 runs here)
 *
 * Stanzas are separated by blank lines.  Unknown keys, bad values,
 * duplicate keys and unknown workloads are errors naming file and line.
 */
#ifndef TLBBENCH_PLAN_H
#define TLBBENCH_PLAN_H

#include <stddef.h>

#include "workload.h"

struct plan_run {
	const struct workload *wl;
	unsigned int line;	/* the stanza's workload= line */
	int argc;
	char **argv;		/* "--key=value", ready for "tlbbench run WORKLOAD" */
};

struct plan {
	size_t n;
	struct plan_run *runs;
};

/* Parse "text" (named "name" in errors).  0, or -1 with err set. */
int plan_parse(const char *name, const char *text, struct plan *plan,
	       char *err, size_t errlen);
int plan_load(const char *path, struct plan *plan, char *err, size_t errlen);
void plan_free(struct plan *plan);

/* "tlbbench plan FILE [--out=FILE] [--dry-run] [--quiet]" */
int plan_main(int argc, char **argv);

#endif /* TLBBENCH_PLAN_H */
