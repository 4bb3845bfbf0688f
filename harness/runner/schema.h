/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The results schema as data: every field of every record type, its JSON
 * types and whether it is required.  "tlbbench validate" checks files
 * against it, and a unit test checks that results/SCHEMA.md documents
 * exactly these fields.
 */
#ifndef TLBBENCH_SCHEMA_H
#define TLBBENCH_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

struct json_t;

/* Bits of the JSON types a field may have. */
enum {
	T_STR = 1 << 0,
	T_INT = 1 << 1,
	T_REAL = 1 << 2,
	T_BOOL = 1 << 3,
	T_OBJ = 1 << 4,
	T_ARR = 1 << 5,
	T_NULL = 1 << 6,
};

struct schema_field {
	const char *record;	/* "env", "sample" or "end" */
	const char *path;	/* dotted path inside the record */
	unsigned int types;
	bool required;
};

extern const struct schema_field schema_fields[];
extern const size_t nr_schema_fields;

/*
 * Check one record against the schema.  "state" carries what the file has
 * shown so far (each run starts with env, seq counts from 0 without gaps,
 * nothing but a new env after end); zero it before the first line.
 * Returns 0, or -1 with err set.
 */
struct schema_state {
	unsigned long line;
	bool seen_env, seen_end;
	long long next_seq;
};

int schema_check_record(struct schema_state *st, struct json_t *rec,
			char *err, size_t errlen);

/* Validate a whole JSON Lines file; errors name the file and line. */
int schema_check_file(const char *path, char *err, size_t errlen);

#endif /* TLBBENCH_SCHEMA_H */
