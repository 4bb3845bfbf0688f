/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Typed, bounded option tables (struct opt_def, declared in
 * workloads/workload.h): parsing "--name=value" arguments into a
 * configuration block, applying defaults, and describing a table.
 */
#ifndef TLBBENCH_OPTIONS_H
#define TLBBENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "workload.h"

struct json_t;

/* Number of entries before OPT_END. */
size_t opt_count(const struct opt_def *opts);

const struct opt_def *opt_find(const struct opt_def *opts, const char *name);

/*
 * Parse "text" as the value of "opt" and store it in "block".  On error
 * writes "--name: why" to err (errlen bytes) and returns -1.
 */
int opt_parse_value(const struct opt_def *opt, const char *text, void *block,
		    char *err, size_t errlen);

/* Store every default of "opts" into "block"; -1 if a default is invalid. */
int opt_apply_defaults(const struct opt_def *opts, void *block,
		       char *err, size_t errlen);

/*
 * Parse one "--name=value" argument against "opts", or "--name value"
 * with the value in "next" (the following argument, NULL if none; one
 * starting with "--" is not taken as a value).  A bare boolean means true
 * and never takes "next".  Returns the number of arguments used (1 or 2)
 * if it matched and was stored, 0 if the name is not in the table, -1 on
 * a bad or missing value (err says why).  given[] (one flag per table
 * entry, may be NULL) is set for the option; naming an option twice is an
 * error.
 */
int opt_parse_arg(const struct opt_def *opts, const char *arg, const char *next,
		  void *block, bool *given, char *err, size_t errlen);

/* A size as the command line writes it: 16M, 4K, 1536. */
void opt_size_text(uint64_t v, char *buf, size_t len);

/* Format the value stored for "opt" in "block" as the command line writes it. */
void opt_format(const struct opt_def *opt, const void *block, char *buf, size_t len);

/* The stored values of a whole table as a JSON object (name -> value). */
struct json_t *opt_to_json(const struct opt_def *opts, const void *block);

/* Human description of an option's type and bounds, e.g. "size 4K..64G". */
void opt_describe(const struct opt_def *opt, char *buf, size_t len);

/* One line per option: flag, type and bounds, default, help. */
void opt_print(FILE *f, const struct opt_def *opts);

#endif /* TLBBENCH_OPTIONS_H */
