/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment record: everything needed to know what a sample was
 * measured on, written first in every results file.
 */
#ifndef TLBBENCH_ENV_H
#define TLBBENCH_ENV_H

#include <stddef.h>

struct json_t;

/*
 * Context the harness passes to a runner it starts (in a guest, say),
 * by environment variable.  Each is optional; see results/SCHEMA.md.
 */
#define ENV_TARGET		"TLBBENCH_TARGET"	/* native | tcg | kvm */
#define ENV_VARIANT		"TLBBENCH_VARIANT"
#define ENV_CONFIG_SHA256	"TLBBENCH_CONFIG_SHA256"
#define ENV_QEMU_VERSION	"TLBBENCH_QEMU_VERSION"
#define ENV_QEMU_CPU		"TLBBENCH_QEMU_CPU"
#define ENV_RUN_ID		"TLBBENCH_RUN_ID"
#define ENV_SERIES		"TLBBENCH_SERIES"	/* patch series of the variant */
#define ENV_DETERMINISTIC	"TLBBENCH_DETERMINISTIC"	/* 1: icount boot, counts repeat */

/* native, tcg or kvm from $TLBBENCH_TARGET; NULL with err set if invalid. */
const char *env_target(char *err, size_t errlen);

/* The kernel variant from $TLBBENCH_VARIANT or a "-tlbbench-<v>" release. */
struct json_t *env_variant(const char *release);

/* A new object holding the machine and kernel part of the record. */
struct json_t *env_collect(const char *target);

/*
 * The value selected in a sysfs "a [b] c" list file, or the whole content
 * for a plain file, into buf.  Returns -1 if the file cannot be read.
 */
int env_read_sysfs_choice(const char *path, char *buf, size_t len);

#endif /* TLBBENCH_ENV_H */
