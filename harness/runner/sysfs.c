// SPDX-License-Identifier: GPL-2.0
/*
 * Small sysfs and procfs files: one value each, read whole.
 */
#include <stdio.h>

#include "sysfs.h"

int read_small_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}
