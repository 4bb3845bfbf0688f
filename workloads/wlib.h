/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by workloads: aligned address reservation and data
 * patterns for --verify.
 */
#ifndef TLBBENCH_WLIB_H
#define TLBBENCH_WLIB_H

#include <stddef.h>
#include <stdint.h>

#include "workload.h"

/* 2 MiB: a PMD on a 4K-granule kernel, and the span of one pte page. */
#define WL_PMD_SIZE	(2UL << 20)

/*
 * Find a free virtual range of "len" bytes aligned to "align", so a later
 * mmap(MAP_FIXED_NOREPLACE) lands at the same place every repetition and
 * ASLR does not decide which pte page the range starts in.
 */
enum wl_status wl_find_aligned(struct wl_ctx *ctx, size_t len, size_t align,
			       void **addr);

/* The value written to the first and last word of page "i" under --verify. */
static inline uint64_t wl_pattern(uint64_t i)
{
	/* an odd multiplier spreads page indices over all 64 bits */
	return (i + 1) * 0x9e3779b97f4a7c15ULL;
}

#endif /* TLBBENCH_WLIB_H */
