/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one JSON Lines reader: strict, line by line, every error naming the
 * file and line.  A line without its newline is a truncated record, not a
 * record; duplicate keys are rejected.
 */
#ifndef TLBBENCH_JSONL_H
#define TLBBENCH_JSONL_H

#include <stddef.h>
#include <stdio.h>

struct json_t;

struct jsonl_reader {
	FILE *f;
	const char *path;
	unsigned long line;	/* line of the record jsonl_next() last returned */
	char *buf;
	size_t cap;
};

/* 0, or -1 with err set ("<path>: <reason>"). */
int jsonl_open(struct jsonl_reader *r, const char *path, char *err, size_t errlen);

/*
 * 1 with the next record in *rec (the caller owns it), 0 at the end of the
 * file, or -1 with err set ("<path>:<line>: truncated record ..." or
 * "... not JSON: ...").
 */
int jsonl_next(struct jsonl_reader *r, struct json_t **rec, char *err, size_t errlen);

void jsonl_close(struct jsonl_reader *r);

#endif /* TLBBENCH_JSONL_H */
