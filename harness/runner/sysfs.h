/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the small text files of sysfs and procfs.
 */
#ifndef TLBBENCH_SYSFS_H
#define TLBBENCH_SYSFS_H

#include <stddef.h>

/*
 * Read at most len - 1 bytes of "path" into buf, without trailing newlines
 * and blanks.  Returns 0, or -1 if the file cannot be opened.
 */
int read_small_file(const char *path, char *buf, size_t len);

#endif /* TLBBENCH_SYSFS_H */
