// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines reading for validate and merge.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonl.h"

int jsonl_open(struct jsonl_reader *r, const char *path, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->f = fopen(path, "r");
	if (!r->f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int jsonl_next(struct jsonl_reader *r, json_t **rec, char *err, size_t errlen)
{
	json_error_t jerr;
	ssize_t n = getline(&r->buf, &r->cap, r->f);

	*rec = NULL;
	if (n <= 0)
		return 0;
	r->line++;
	if (r->buf[n - 1] != '\n') {
		snprintf(err, errlen, "%s:%lu: truncated record (no newline)", r->path, r->line);
		return -1;
	}
	*rec = json_loads(r->buf, JSON_REJECT_DUPLICATES, &jerr);
	if (!*rec) {
		snprintf(err, errlen, "%s:%lu: not JSON: %s", r->path, r->line, jerr.text);
		return -1;
	}
	return 1;
}

void jsonl_close(struct jsonl_reader *r)
{
	if (r->f)
		fclose(r->f);
	free(r->buf);
	r->f = NULL;
	r->buf = NULL;
}
