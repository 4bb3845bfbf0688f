/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one JSON Lines emitter.  Every record tlbbench writes goes through
 * emit_record(): serialised by jansson, then appended with a single
 * write(2) to a file opened O_APPEND, so a record is on disk (in the page
 * cache) as soon as it is taken and an interrupted run keeps every record
 * it completed.
 */
#ifndef TLBBENCH_EMIT_H
#define TLBBENCH_EMIT_H

#include <stddef.h>

struct json_t;

/* Results schema version; bump on any incompatible change (SCHEMA.md). */
#define SCHEMA_VERSION 1

struct emitter {
	int fd;
	const char *path;
};

/* "-" means standard output.  Returns 0, or -1 with err set. */
int emit_open(struct emitter *em, const char *path, char *err, size_t errlen);
void emit_close(struct emitter *em);

/*
 * Append one record (steals the reference to "rec") and flush it.
 * Returns 0, or -1 with err set ("write <path>: <reason>").
 */
int emit_record(struct emitter *em, struct json_t *rec, char *err, size_t errlen);

#endif /* TLBBENCH_EMIT_H */
