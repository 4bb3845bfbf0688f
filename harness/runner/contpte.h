/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contpte series' debugfs files, read by the runner around every
 * measured loop and by the mapping proof:
 *
 *   stats   one "name value" line per counter (folds, folded_now,
 *           unfold_<reason>..., fold_fail_<reason>...); the set of names
 *           may grow, so every line is taken as it comes
 *   blocks  one "0x<start>" line per block folded now in the reading
 *           process's own mm
 *
 * Kernels without contpte (baseline 6.1, upstream 6.12) have neither file:
 * that is "not available" (NULL, a null in the JSON), never zero.
 */
#ifndef TLBBENCH_CONTPTE_H
#define TLBBENCH_CONTPTE_H

#include <stddef.h>
#include <stdint.h>

struct json_t;

#define CONTPTE_DEBUGFS		"/sys/kernel/debug/contpte"
/*
 * Another directory holding "stats" and "blocks" in the kernel's format,
 * read instead of CONTPTE_DEBUGFS: for tests, which have no contpte kernel.
 */
#define ENV_CONTPTE_DEBUGFS	"TLBBENCH_CONTPTE_DEBUGFS"

/* The folder read: $TLBBENCH_CONTPTE_DEBUGFS, else CONTPTE_DEBUGFS. */
const char *contpte_dir(void);

/*
 * The stats file as an object name -> int.  NULL without error when the
 * file does not exist (no contpte kernel); NULL with err set when it
 * exists but cannot be read or a line is not "name value".
 */
struct json_t *contpte_stats_read(char *err, size_t errlen);

/*
 * acc[name] += after[name] - before[name] for every name of after (a name
 * new in after counts from 0).  acc may start empty.
 */
void contpte_stats_add_delta(struct json_t *acc, struct json_t *before,
			     struct json_t *after);

/*
 * Blocks of the blocks file starting inside [start, start + len): 0 or
 * more; -1 without error when the file does not exist; -1 with err set
 * when it cannot be read or a line is not a hexadecimal address.
 */
long contpte_blocks_in(uintptr_t start, size_t len, char *err, size_t errlen);

#endif /* TLBBENCH_CONTPTE_H */
