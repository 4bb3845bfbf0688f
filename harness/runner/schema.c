// SPDX-License-Identifier: GPL-2.0
/*
 * Results schema checks.  Fields may be added within a schema version (a
 * reader ignores what it does not know); a missing required field, a field
 * of the wrong type, an unknown schema version or a record out of order is
 * an error naming the file, line and field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "emit.h"
#include "jsonl.h"
#include "schema.h"

#define F(rec, path, types, req) { rec, path, types, req }

const struct schema_field schema_fields[] = {
	F("env", "type", T_STR, true),
	F("env", "schema_version", T_INT, true),
	F("env", "tlbbench_version", T_STR, true),
	F("env", "run_id", T_STR | T_NULL, true),
	F("env", "started_at", T_STR, true),
	F("env", "run", T_OBJ, true),
	F("env", "run.workload", T_STR, true),
	F("env", "run.options", T_OBJ, true),
	F("env", "run.reps", T_INT, true),
	F("env", "run.warmup", T_INT, true),
	F("env", "run.cpu", T_INT | T_NULL, true),
	F("env", "run.node", T_INT | T_NULL, true),
	F("env", "run.verify", T_BOOL, true),
	F("env", "run.argv", T_ARR, true),
	F("env", "kernel", T_OBJ, true),
	F("env", "kernel.release", T_STR, true),
	F("env", "kernel.version", T_STR, true),
	F("env", "kernel.cmdline", T_STR | T_NULL, true),
	F("env", "kernel.variant", T_STR | T_NULL, true),
	F("env", "kernel.config_sha256", T_STR | T_NULL, true),
	F("env", "kernel.series", T_STR | T_NULL, false),
	F("env", "cpu", T_OBJ, true),
	F("env", "cpu.arch", T_STR, true),
	F("env", "cpu.model", T_STR | T_NULL, true),
	F("env", "cpu.midr", T_STR | T_NULL, true),
	F("env", "cpu.online", T_INT, true),
	F("env", "mm", T_OBJ, true),
	F("env", "mm.page_size", T_INT, true),
	F("env", "mm.numa_nodes", T_INT, true),
	F("env", "mm.thp", T_OBJ | T_NULL, true),
	F("env", "mm.contpte", T_OBJ | T_NULL, true),
	F("env", "mm.numa_balancing", T_STR | T_NULL, true),
	F("env", "hostname", T_STR, true),
	F("env", "target", T_STR, true),
	F("env", "qemu_version", T_STR | T_NULL, true),
	F("env", "qemu_cpu", T_STR | T_NULL, true),
	F("env", "deterministic", T_BOOL, false),
	F("env", "tlb_model", T_OBJ | T_NULL, true),

	F("sample", "type", T_STR, true),
	F("sample", "seq", T_INT, true),
	F("sample", "phase", T_STR, true),
	F("sample", "rep", T_INT, true),
	F("sample", "region", T_INT, true),
	F("sample", "elapsed_ns", T_INT, true),
	F("sample", "ops", T_INT, true),
	F("sample", "verified", T_BOOL, true),
	F("sample", "counters", T_OBJ, true),
	F("sample", "rusage", T_OBJ, true),
	F("sample", "rusage.utime_ns", T_INT, true),
	F("sample", "rusage.stime_ns", T_INT, true),
	F("sample", "rusage.minflt", T_INT, true),
	F("sample", "rusage.majflt", T_INT, true),
	F("sample", "rusage.nvcsw", T_INT, true),
	F("sample", "rusage.nivcsw", T_INT, true),
	F("sample", "info", T_OBJ, true),
	F("sample", "info.mapping.contpte_folded_blocks", T_INT | T_NULL, false),
	F("sample", "contpte", T_OBJ | T_NULL, false),
	F("sample", "contpte.before", T_OBJ, false),
	F("sample", "contpte.after", T_OBJ, false),
	F("sample", "contpte.delta", T_OBJ, false),

	F("end", "type", T_STR, true),
	F("end", "status", T_STR, true),
	F("end", "stage", T_STR | T_NULL, true),
	F("end", "reason", T_STR | T_NULL, true),
	F("end", "samples", T_INT, true),
	F("end", "profile", T_STR | T_NULL, false),
};

const size_t nr_schema_fields = sizeof(schema_fields) / sizeof(schema_fields[0]);

static unsigned int type_bit(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return T_STR;
	case JSON_INTEGER:
		return T_INT;
	case JSON_REAL:
		return T_REAL;
	case JSON_TRUE:
	case JSON_FALSE:
		return T_BOOL;
	case JSON_OBJECT:
		return T_OBJ;
	case JSON_ARRAY:
		return T_ARR;
	case JSON_NULL:
		return T_NULL;
	}
	return 0;
}

/* Follow a dotted path; NULL when any step is missing. */
static json_t *lookup(json_t *rec, const char *path)
{
	char buf[128], *save = NULL, *key;
	json_t *v = rec;

	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key && v; key = strtok_r(NULL, ".", &save))
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	return v;
}

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

/* name -> {"unsupported": reason} or {"total": n, ["user","kernel"]...} */
static int check_counters(json_t *counters, char *err, size_t errlen)
{
	const char *name;
	json_t *c;

	json_object_foreach(counters, name, c) {
		json_t *total = json_object_get(c, "total");
		json_t *why = json_object_get(c, "unsupported");

		if (!json_is_object(c) || (!!total == !!why)) {
			snprintf(err, errlen, "counters.%s: needs exactly one of total, unsupported",
				 name);
			return -1;
		}
		if ((total && !json_is_integer(total)) || (why && !json_is_string(why))) {
			snprintf(err, errlen, "counters.%s: total must be an integer, unsupported a string",
				 name);
			return -1;
		}
	}
	return 0;
}

/* contpte: null, or before, after and delta, each name -> int */
static int check_contpte(json_t *ct, char *err, size_t errlen)
{
	static const char *const parts[] = { "before", "after", "delta" };
	const char *name;
	json_t *v;
	size_t i;

	if (!json_is_object(ct))
		return 0;
	for (i = 0; i < 3; i++) {
		json_t *part = json_object_get(ct, parts[i]);

		if (!json_is_object(part)) {
			snprintf(err, errlen, "sample record: contpte needs before, after and delta");
			return -1;
		}
		json_object_foreach(part, name, v) {
			if (!json_is_integer(v)) {
				snprintf(err, errlen, "contpte.%s.%s must be an integer", parts[i], name);
				return -1;
			}
		}
	}
	return 0;
}

static int check_values(json_t *rec, const char *type, char *err, size_t errlen)
{
	static const char *const phases[] = { "warmup", "measure", NULL };
	static const char *const statuses[] = { "pass", "fail", "skip", "interrupted", NULL };
	static const char *const targets[] = { "native", "tcg", "kvm", NULL };

	if (!strcmp(type, "env")) {
		if (json_integer_value(json_object_get(rec, "schema_version")) != SCHEMA_VERSION) {
			snprintf(err, errlen, "schema_version %lld is not %d, the version this tlbbench reads",
				 json_integer_value(json_object_get(rec, "schema_version")),
				 SCHEMA_VERSION);
			return -1;
		}
		if (!one_of(json_string_value(json_object_get(rec, "target")), targets)) {
			snprintf(err, errlen, "target must be native, tcg or kvm");
			return -1;
		}
	} else if (!strcmp(type, "sample")) {
		if (!one_of(json_string_value(json_object_get(rec, "phase")), phases)) {
			snprintf(err, errlen, "phase must be warmup or measure");
			return -1;
		}
		if (check_contpte(json_object_get(rec, "contpte"), err, errlen))
			return -1;
		return check_counters(json_object_get(rec, "counters"), err, errlen);
	} else if (!one_of(json_string_value(json_object_get(rec, "status")), statuses)) {
		snprintf(err, errlen, "status must be pass, fail, skip or interrupted");
		return -1;
	}
	return 0;
}

static int check_order(struct schema_state *st, json_t *rec, const char *type,
		       char *err, size_t errlen)
{
	if (!strcmp(type, "env")) {
		/* a new run; the one before may lack its end if it died */
		st->seen_env = true;
		st->seen_end = false;
		st->next_seq = 0;
		return 0;
	}
	if (!st->seen_env) {
		snprintf(err, errlen, "the first record must be the env record");
		return -1;
	}
	if (st->seen_end) {
		snprintf(err, errlen, "%s record after the end record of its run", type);
		return -1;
	}
	if (!strcmp(type, "sample")) {
		long long seq = json_integer_value(json_object_get(rec, "seq"));

		if (seq != st->next_seq) {
			snprintf(err, errlen, "seq %lld where %lld was expected", seq, st->next_seq);
			return -1;
		}
		st->next_seq++;
	} else {
		st->seen_end = true;
	}
	return 0;
}

int schema_check_record(struct schema_state *st, json_t *rec, char *err, size_t errlen)
{
	const char *type = json_string_value(json_object_get(rec, "type"));
	size_t i;

	st->line++;
	if (!json_is_object(rec) || !type ||
	    (strcmp(type, "env") && strcmp(type, "sample") && strcmp(type, "end"))) {
		snprintf(err, errlen, "not a record: needs \"type\" env, sample or end");
		return -1;
	}
	for (i = 0; i < nr_schema_fields; i++) {
		const struct schema_field *f = &schema_fields[i];
		json_t *v;

		if (strcmp(f->record, type))
			continue;
		v = lookup(rec, f->path);
		if (!v) {
			if (!f->required)
				continue;
			snprintf(err, errlen, "%s record: missing field %s", type, f->path);
			return -1;
		}
		if (!(type_bit(v) & f->types)) {
			snprintf(err, errlen, "%s record: field %s has the wrong type", type, f->path);
			return -1;
		}
	}
	if (check_values(rec, type, err, errlen))
		return -1;
	return check_order(st, rec, type, err, errlen);
}

int schema_check_file(const char *path, char *err, size_t errlen)
{
	struct schema_state st = { 0 };
	struct jsonl_reader r;
	char msg[256];
	json_t *rec;
	int ret;

	if (jsonl_open(&r, path, err, errlen))
		return -1;
	while ((ret = jsonl_next(&r, &rec, err, errlen)) > 0) {
		ret = schema_check_record(&st, rec, msg, sizeof(msg));
		json_decref(rec);
		if (ret) {
			snprintf(err, errlen, "%s:%lu: %s", path, r.line, msg);
			break;
		}
	}
	if (!ret && !st.seen_env) {
		snprintf(err, errlen, "%s: no records", path);
		ret = -1;
	}
	jsonl_close(&r);
	return ret;
}
