// SPDX-License-Identifier: GPL-2.0
/*
 * Option tables: strict parsing of typed, bounded values.  Every error
 * names the option and the offending text, because the caller turns it
 * into exit code 2 and the user has to know what to fix.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "options.h"

size_t opt_count(const struct opt_def *opts)
{
	size_t n = 0;

	while (opts && opts[n].name)
		n++;
	return n;
}

const struct opt_def *opt_find(const struct opt_def *opts, const char *name)
{
	for (; opts && opts->name; opts++)
		if (!strcmp(opts->name, name))
			return opts;
	return NULL;
}

static void *field(const struct opt_def *opt, void *block)
{
	return (char *)block + opt->offset;
}

static const void *cfield(const struct opt_def *opt, const void *block)
{
	return (const char *)block + opt->offset;
}

/* Decimal digits only: no sign, no base prefix, no trailing junk. */
static int parse_u64(const char *s, const char **end, uint64_t *out)
{
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &e, 10);
	if (errno == ERANGE)
		return -1;
	*end = e;
	return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
	const char *end;
	unsigned int shift = 0;
	uint64_t v;

	if (parse_u64(s, &end, &v))
		return -1;
	switch (toupper((unsigned char)*end)) {
	case '\0':
		break;
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	default:
		return -1;
	}
	if (*end) {
		end++;
		/* accept "64K", "64KB" and "64KiB" */
		if (!strcasecmp(end, "B") || !strcasecmp(end, "iB"))
			end += strlen(end);
		if (*end)
			return -1;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* The word an OPT_U64 value stands for, or NULL for a number. */
static const char *named(const struct opt_def *opt, uint64_t v)
{
	size_t i;

	for (i = 0; opt->choices && opt->choices[i]; i++)
		if (v == OPT_NAMED(i))
			return opt->choices[i];
	return NULL;
}

static void size_text(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int i;

	for (i = 3; i >= 0; i--) {
		uint64_t unit = 1ULL << (10 * (i + 1));

		if (v && v % unit == 0) {
			snprintf(buf, len, "%" PRIu64 "%c", v / unit, units[i]);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64, v);
}

int opt_parse_value(const struct opt_def *opt, const char *text, void *block,
		    char *err, size_t errlen)
{
	const char *end;
	uint64_t v;
	size_t i;
	char lo[32], hi[32];

	switch (opt->type) {
	case OPT_U64:
		for (i = 0; opt->choices && opt->choices[i]; i++) {
			if (!strcmp(opt->choices[i], text)) {
				*(uint64_t *)field(opt, block) = OPT_NAMED(i);
				return 0;
			}
		}
		if (parse_u64(text, &end, &v) || *end) {
			snprintf(err, errlen, "--%s: '%s' is not an unsigned integer%s%s",
				 opt->name, text, opt->choices ? " or " : "",
				 opt->choices ? opt->choices[0] : "");
			return -1;
		}
		goto bounds;
	case OPT_SIZE:
		if (parse_size(text, &v)) {
			snprintf(err, errlen, "--%s: '%s' is not a size (bytes, or a number with K, M, G or T)",
				 opt->name, text);
			return -1;
		}
		goto bounds;
	case OPT_BOOL:
		if (parse_bool(text, field(opt, block))) {
			snprintf(err, errlen, "--%s: '%s' is not a boolean (0/1, true/false, yes/no, on/off)",
				 opt->name, text);
			return -1;
		}
		return 0;
	case OPT_ENUM:
		for (i = 0; opt->choices[i]; i++) {
			if (!strcmp(opt->choices[i], text)) {
				*(unsigned int *)field(opt, block) = i;
				return 0;
			}
		}
		snprintf(err, errlen, "--%s: '%s' is not one of", opt->name, text);
		for (i = 0; opt->choices[i]; i++) {
			size_t used = strlen(err);

			snprintf(err + used, errlen - used, "%s%s", i ? ", " : " ",
				 opt->choices[i]);
		}
		return -1;
	case OPT_STRING:
		*(const char **)field(opt, block) = text;
		return 0;
	}
	snprintf(err, errlen, "--%s: option has an unknown type", opt->name);
	return -1;

bounds:
	if (v < opt->min || v > opt->max) {
		if (opt->type == OPT_SIZE) {
			size_text(opt->min, lo, sizeof(lo));
			size_text(opt->max, hi, sizeof(hi));
		} else {
			snprintf(lo, sizeof(lo), "%" PRIu64, opt->min);
			snprintf(hi, sizeof(hi), "%" PRIu64, opt->max);
		}
		snprintf(err, errlen, "--%s: %s is out of range %s..%s",
			 opt->name, text, lo, hi);
		return -1;
	}
	*(uint64_t *)field(opt, block) = v;
	return 0;
}

int opt_apply_defaults(const struct opt_def *opts, void *block,
		       char *err, size_t errlen)
{
	for (; opts && opts->name; opts++)
		if (opts->def && opt_parse_value(opts, opts->def, block, err, errlen))
			return -1;
	return 0;
}

int opt_parse_arg(const struct opt_def *opts, const char *arg, const char *next,
		  void *block, bool *given, char *err, size_t errlen)
{
	const struct opt_def *opt;
	const char *eq, *value;
	char name[64];
	int used = 1;
	size_t n;

	if (strncmp(arg, "--", 2))
		return 0;
	arg += 2;
	eq = strchr(arg, '=');
	n = eq ? (size_t)(eq - arg) : strlen(arg);
	if (n >= sizeof(name))
		return 0;
	memcpy(name, arg, n);
	name[n] = '\0';
	opt = opt_find(opts, name);
	if (!opt)
		return 0;
	if (eq) {
		value = eq + 1;
	} else if (opt->type == OPT_BOOL) {
		value = "1";	/* a bare "--verify" means true */
	} else if (next && strncmp(next, "--", 2)) {
		value = next;	/* "--bytes 128M", as getopt_long takes it */
		used = 2;
	} else {
		snprintf(err, errlen, "--%s: needs a value (--%s=VALUE or --%s VALUE)",
			 name, name, name);
		return -1;
	}
	if (given) {
		if (given[opt - opts]) {
			snprintf(err, errlen, "--%s: given more than once", name);
			return -1;
		}
		given[opt - opts] = true;
	}
	return opt_parse_value(opt, value, block, err, errlen) ? -1 : used;
}

void opt_size_text(uint64_t v, char *buf, size_t len)
{
	size_text(v, buf, len);
}

void opt_format(const struct opt_def *opt, const void *block, char *buf, size_t len)
{
	const void *f = cfield(opt, block);

	switch (opt->type) {
	case OPT_U64:
		if (named(opt, *(const uint64_t *)f))
			snprintf(buf, len, "%s", named(opt, *(const uint64_t *)f));
		else
			snprintf(buf, len, "%" PRIu64, *(const uint64_t *)f);
		break;
	case OPT_SIZE:
		size_text(*(const uint64_t *)f, buf, len);
		break;
	case OPT_BOOL:
		snprintf(buf, len, "%s", *(const bool *)f ? "true" : "false");
		break;
	case OPT_ENUM:
		snprintf(buf, len, "%s", opt->choices[*(const unsigned int *)f]);
		break;
	case OPT_STRING:
		snprintf(buf, len, "%s", *(const char *const *)f ? *(const char *const *)f : "");
		break;
	}
}

struct json_t *opt_to_json(const struct opt_def *opts, const void *block)
{
	json_t *obj = json_object();

	for (; opts && opts->name; opts++) {
		const void *f = cfield(opts, block);
		json_t *v = NULL;

		switch (opts->type) {
		case OPT_U64:
			if (named(opts, *(const uint64_t *)f)) {
				v = json_string(named(opts, *(const uint64_t *)f));
				break;
			}
			/* fall through */
		case OPT_SIZE:
			v = json_integer((json_int_t)*(const uint64_t *)f);
			break;
		case OPT_BOOL:
			v = json_boolean(*(const bool *)f);
			break;
		case OPT_ENUM:
			v = json_string(opts->choices[*(const unsigned int *)f]);
			break;
		case OPT_STRING:
			v = *(const char *const *)f ? json_string(*(const char *const *)f) : json_null();
			break;
		}
		json_object_set_new(obj, opts->name, v);
	}
	return obj;
}

void opt_describe(const struct opt_def *opt, char *buf, size_t len)
{
	char lo[32], hi[32];
	size_t i, used;

	switch (opt->type) {
	case OPT_U64:
		snprintf(buf, len, "u64 %" PRIu64 "..%" PRIu64, opt->min, opt->max);
		for (i = 0; opt->choices && opt->choices[i]; i++) {
			used = strlen(buf);
			snprintf(buf + used, len - used, "|%s", opt->choices[i]);
		}
		break;
	case OPT_SIZE:
		size_text(opt->min, lo, sizeof(lo));
		size_text(opt->max, hi, sizeof(hi));
		snprintf(buf, len, "size %s..%s", lo, hi);
		break;
	case OPT_BOOL:
		snprintf(buf, len, "bool");
		break;
	case OPT_ENUM:
		snprintf(buf, len, "enum");
		for (i = 0; opt->choices[i]; i++) {
			used = strlen(buf);
			snprintf(buf + used, len - used, "%s%s", i ? "|" : " ",
				 opt->choices[i]);
		}
		break;
	case OPT_STRING:
		snprintf(buf, len, "string");
		break;
	}
}

void opt_print(FILE *f, const struct opt_def *opts)
{
	const struct opt_def *o;

	for (o = opts; o && o->name; o++) {
		char type[128], flag[64];

		opt_describe(o, type, sizeof(type));
		snprintf(flag, sizeof(flag), "--%s", o->name);
		fprintf(f, "    %-16s %-28s default %-8s %s\n", flag, type,
			o->def ? o->def : "(unset)", o->help);
	}
}
