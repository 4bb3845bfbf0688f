// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the contpte series' debugfs files (contpte.h).  The runner
 * records the counters before and after every measured loop and the
 * mapping proof counts the folded blocks of its own range, so a contpte
 * number taken on blocks that were never folded shows as such.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "contpte.h"

const char *contpte_dir(void)
{
	const char *d = getenv(ENV_CONTPTE_DEBUGFS);

	return d && *d ? d : CONTPTE_DEBUGFS;
}

/* Open dir/name; NULL with *err empty when it does not exist. */
static FILE *open_file(const char *name, char *path, size_t plen, char *err, size_t errlen)
{
	FILE *f;

	snprintf(path, plen, "%s/%s", contpte_dir(), name);
	err[0] = '\0';
	f = fopen(path, "r");
	if (!f && errno != ENOENT)
		snprintf(err, errlen, "open %s: %s", path, strerror(errno));
	return f;
}

/* A whole line: strip the newline; 0 if it fitted. */
static int chomp(char *line)
{
	size_t n = strlen(line);

	if (!n || line[n - 1] != '\n')
		return -1;
	line[n - 1] = '\0';
	return 0;
}

json_t *contpte_stats_read(char *err, size_t errlen)
{
	char path[512], line[256], name[128];
	unsigned long lineno = 0;
	json_t *o;
	FILE *f = open_file("stats", path, sizeof(path), err, errlen);

	if (!f)
		return NULL;
	o = json_object();
	while (fgets(line, sizeof(line), f)) {
		long long v;
		char end;

		lineno++;
		if (chomp(line) || sscanf(line, "%127s %lld %c", name, &v, &end) != 2 || v < 0) {
			snprintf(err, errlen, "%s:%lu: not \"name value\": '%.64s'", path, lineno, line);
			goto bad;
		}
		json_object_set_new(o, name, json_integer(v));
	}
	if (ferror(f)) {
		snprintf(err, errlen, "read %s: %s", path, strerror(errno));
		goto bad;
	}
	fclose(f);
	return o;
bad:
	fclose(f);
	json_decref(o);
	return NULL;
}

void contpte_stats_add_delta(json_t *acc, json_t *before, json_t *after)
{
	const char *name;
	json_t *v;

	json_object_foreach(after, name, v) {
		json_int_t b = json_integer_value(json_object_get(before, name));
		json_int_t a = json_integer_value(json_object_get(acc, name));

		json_object_set_new(acc, name, json_integer(a + json_integer_value(v) - b));
	}
}

long contpte_blocks_in(uintptr_t start, size_t len, char *err, size_t errlen)
{
	char path[512], line[128];
	unsigned long lineno = 0;
	long n = 0;
	FILE *f = open_file("blocks", path, sizeof(path), err, errlen);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		uintmax_t a;
		char end;

		lineno++;
		if (chomp(line) || sscanf(line, "0x%" SCNxMAX " %c", &a, &end) != 1) {
			snprintf(err, errlen, "%s:%lu: not a block address: '%.64s'", path, lineno, line);
			n = -1;
			break;
		}
		n += a >= start && a - start < len;
	}
	if (n >= 0 && ferror(f)) {
		snprintf(err, errlen, "read %s: %s", path, strerror(errno));
		n = -1;
	}
	fclose(f);
	return n;
}
