// SPDX-License-Identifier: GPL-2.0
/*
 * Merge tlbsim region counters into sample records.
 *
 * The model may report one region id more than once (the runner closes and
 * reopens a sample's region around --verify checks), so counts for an id
 * are summed.  Reading is strict: a malformed line in either file, or a
 * sample whose region the model never reported, is an error naming the
 * file and line, and nothing is written in place of data.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "emit.h"
#include "exitcodes.h"
#include "jsonl.h"
#include "merge.h"
#include "schema.h"

struct model {
	json_t *desc;		/* the model record, less "type" */
	json_t *regions;	/* id (decimal string) -> summed counters */
	json_t *used;		/* ids matched to a sample */
};

/* Add {"user":u,"kernel":k} counters of one region record into "sum". */
static int add_counters(json_t *sum, json_t *counters)
{
	const char *name;
	json_t *c;

	json_object_foreach(counters, name, c) {
		json_t *s = json_object_get(sum, name), *u, *k;

		u = json_object_get(c, "user");
		k = json_object_get(c, "kernel");
		if (!json_is_integer(u) || !json_is_integer(k))
			return -1;
		if (!s) {
			s = json_pack("{sIsI}", "user", (json_int_t)0, "kernel", (json_int_t)0);
			json_object_set_new(sum, name, s);
		}
		json_object_set_new(s, "user", json_integer(json_integer_value(
			json_object_get(s, "user")) + json_integer_value(u)));
		json_object_set_new(s, "kernel", json_integer(json_integer_value(
			json_object_get(s, "kernel")) + json_integer_value(k)));
	}
	return 0;
}

static int model_record(struct model *m, json_t *rec, char *why, size_t len)
{
	const char *type = json_string_value(json_object_get(rec, "type"));
	json_t *id = json_object_get(rec, "id"), *sum;
	char key[32];

	if (!type) {
		snprintf(why, len, "record without a type");
		return -1;
	}
	if (!strcmp(type, "model")) {
		if (m->desc) {
			snprintf(why, len, "second model record");
			return -1;
		}
		m->desc = json_deep_copy(rec);
		json_object_del(m->desc, "type");
		json_object_set_new(m->desc, "name", json_string("tlbsim"));
		return 0;
	}
	if (strcmp(type, "region"))
		return 0;	/* the whole-run total is not a sample's */
	if (!json_is_integer(id) || !json_is_object(json_object_get(rec, "counters"))) {
		snprintf(why, len, "region record needs an integer id and a counters object");
		return -1;
	}
	snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT, json_integer_value(id));
	sum = json_object_get(m->regions, key);
	if (!sum) {
		sum = json_object();
		json_object_set_new(m->regions, key, sum);
	}
	if (add_counters(sum, json_object_get(rec, "counters"))) {
		snprintf(why, len, "region %s: a counter lacks integer user and kernel", key);
		return -1;
	}
	return 0;
}

static int model_load(struct model *m, const char *path, char *err, size_t errlen)
{
	struct jsonl_reader r;
	char why[256];
	json_t *rec;
	int ret;

	m->desc = NULL;
	m->regions = json_object();
	m->used = json_object();
	if (jsonl_open(&r, path, err, errlen))
		return -1;
	while ((ret = jsonl_next(&r, &rec, err, errlen)) > 0) {
		ret = model_record(m, rec, why, sizeof(why));
		json_decref(rec);
		if (ret) {
			snprintf(err, errlen, "%s:%lu: %s", path, r.line, why);
			break;
		}
	}
	if (!ret && !m->desc) {
		snprintf(err, errlen, "%s: no model record: not tlbsim output", path);
		ret = -1;
	}
	jsonl_close(&r);
	return ret;
}

static void model_free(struct model *m)
{
	json_decref(m->desc);
	json_decref(m->regions);
	json_decref(m->used);
}

/* Fold the model's counters for this sample's region into its counters. */
static int merge_sample(struct model *m, json_t *rec, char *why, size_t len)
{
	json_t *counters = json_object_get(rec, "counters"), *sum, *c;
	char key[32];
	const char *name;

	snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT,
		 json_integer_value(json_object_get(rec, "region")));
	sum = json_object_get(m->regions, key);
	if (!sum) {
		snprintf(why, len, "sample seq %" JSON_INTEGER_FORMAT
			 " (region %s) has no region record in the model output",
			 json_integer_value(json_object_get(rec, "seq")), key);
		return -1;
	}
	if (json_object_get(m->used, key)) {
		snprintf(why, len, "region %s matches a second sample", key);
		return -1;
	}
	json_object_set_new(m->used, key, json_true());
	json_object_foreach(sum, name, c) {
		json_int_t u = json_integer_value(json_object_get(c, "user"));
		json_int_t k = json_integer_value(json_object_get(c, "kernel"));

		json_object_set_new(counters, name,
				    json_pack("{sIsIsIss}", "user", u, "kernel", k,
					      "total", u + k, "source", "tlbsim"));
	}
	return 0;
}

int merge_files(const char *samples, const char *model, const char *out,
		char *err, size_t errlen)
{
	struct schema_state st = { 0 };
	struct emitter em = { .fd = -1 };
	struct jsonl_reader r = { 0 };
	struct model m;
	char why[256];
	json_t *rec;
	int ret = -1, more;

	if (model_load(&m, model, err, errlen) || jsonl_open(&r, samples, err, errlen) ||
	    emit_open(&em, out, err, errlen))
		goto out;
	while ((more = jsonl_next(&r, &rec, err, errlen)) > 0) {
		const char *type;
		int bad;

		bad = schema_check_record(&st, rec, why, sizeof(why));
		type = json_string_value(json_object_get(rec, "type"));
		if (!bad && !strcmp(type, "env"))
			json_object_set(rec, "tlb_model", m.desc);
		else if (!bad && !strcmp(type, "sample"))
			bad = merge_sample(&m, rec, why, sizeof(why));
		if (bad) {
			snprintf(err, errlen, "%s:%lu: %s", samples, r.line, why);
			json_decref(rec);
			goto out;
		}
		if (emit_record(&em, rec, err, errlen))
			goto out;
	}
	ret = more;	/* 0 at the end of the file, -1 on a damaged line */
out:
	emit_close(&em);
	jsonl_close(&r);
	model_free(&m);
	return ret;
}

int merge_main(int argc, char **argv)
{
	char err[512];

	if (argc != 3 || strncmp(argv[2], "--out=", 6)) {
		fprintf(stderr, "tlbbench merge: usage: tlbbench merge SAMPLES.jsonl TLBSIM.jsonl --out=FILE\n");
		return EXIT_USAGE;
	}
	if (merge_files(argv[0], argv[1], argv[2] + 6, err, sizeof(err))) {
		fprintf(stderr, "tlbbench merge: %s\n", err);
		return EXIT_FAIL;
	}
	return EXIT_PASS;
}
