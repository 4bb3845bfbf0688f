/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Backings: how a workload's memory is provided (base pages, THP mapped by
 * a PMD or split into PTEs, hugetlb pages), placed at a fixed, aligned
 * address so ASLR does not decide which page table a range lands in, and
 * proven after the fact from /proc/self/pagemap, /proc/kpageflags and
 * /proc/self/smaps.  A run whose mapping is not what its backing claims
 * fails: a "contiguous" number measured on plain 4K PTEs is the worst bug
 * this suite can have.
 */
#ifndef TLBBENCH_BACKING_H
#define TLBBENCH_BACKING_H

#include <stdbool.h>
#include <stddef.h>

#include "workload.h"

enum wl_backing {
	BACKING_ANON_4K,	/* anonymous, THP off for the range: order-0 folios */
	BACKING_ANON_64K,	/* anonymous 64K (order-4) folios, through a kernel knob */
	BACKING_ANON_THP,	/* anonymous THP, each 2M mapped by one PMD */
	BACKING_ANON_THP_PTE,	/* anonymous THP split into 512 PTEs (folio kept whole) */
	BACKING_HUGETLB_64K,	/* hugetlb 64K pages: PTE_CONT on arm64 4K kernels */
	BACKING_HUGETLB_2M,	/* hugetlb 2M pages: one PMD each */
	BACKING_TMPFS,		/* MAP_SHARED file on a private tmpfs mount (huge=) */
	BACKING_XFS,		/* MAP_SHARED file on XFS on a loop device: large folios */
	BACKING_NR
};

/* Names as options spell them, indexed by enum wl_backing. */
extern const char *const wl_backing_names[];

/* The backing an option's choice names (a workload may offer a subset). */
enum wl_backing wl_backing_from_name(const char *name);

static inline bool wl_backing_is_file(enum wl_backing b)
{
	return b == BACKING_TMPFS || b == BACKING_XFS;
}

static inline bool wl_backing_is_hugetlb(enum wl_backing b)
{
	return b == BACKING_HUGETLB_64K || b == BACKING_HUGETLB_2M;
}

/* huge= of the tmpfs mount (Documentation/filesystems/tmpfs.rst). */
enum wl_tmpfs_huge { TMPFS_HUGE_NEVER, TMPFS_HUGE_ALWAYS, TMPFS_HUGE_WITHIN_SIZE,
		     TMPFS_HUGE_ADVISE };
extern const char *const wl_tmpfs_huge_names[];

/* The option every memory workload has for it: "tmpfs_huge". */
#define WL_OPT_TMPFS_HUGE(type, field)						\
	{ "tmpfs_huge", OPT_ENUM, offsetof(type, field), "always", 0, 0,	\
	  wl_tmpfs_huge_names, "huge= of the tmpfs mount (backing=tmpfs)" }

/*
 * The XFS backing loop-mounts the image this variable names (a small,
 * empty XFS filesystem: "make xfs-image" builds one under build/xfs/), in
 * a private mount namespace; without it the backing is a SKIP.
 */
#define WL_XFS_IMAGE_ENV	"TLBBENCH_XFS_IMAGE"

struct wl_mapping {
	enum wl_backing backing;
	enum wl_tmpfs_huge tmpfs_huge;
	char *addr;	/* fixed address, aligned for the backing */
	size_t len;
	bool mapped;
	int fd;		/* the file of a file backing, else -1 */
	bool held;	/* holds a reference on the mount or the knob */
};

/*
 * Setup: check the kernel and machine can give this backing (SKIP with the
 * reason if not), check len fits it, and pick the aligned address.  File
 * backings mount their filesystem (once per process, in a private mount
 * namespace: needs root, else SKIP) and create the mapping's file; anon-64k
 * sets its kernel knob.  wl_mapping_release() undoes all of it.
 */
enum wl_status wl_mapping_init(struct wl_ctx *ctx, struct wl_mapping *m,
			       enum wl_backing backing, enum wl_tmpfs_huge huge, size_t len);

/*
 * wl_mapping_init() for n mappings of one run (one per thread), placed
 * side by side in one reservation so no two pick the same free range.
 */
enum wl_status wl_mapping_init_many(struct wl_ctx *ctx, struct wl_mapping *m, unsigned int n,
				    enum wl_backing backing, enum wl_tmpfs_huge huge, size_t len);

/* Unmap, close the file, and drop the mount or knob with the last user. */
void wl_mapping_release(struct wl_ctx *ctx, struct wl_mapping *m);

/* mmap at the chosen address with the backing's flags and madvise. */
enum wl_status wl_mapping_map(struct wl_ctx *ctx, struct wl_mapping *m);

/*
 * Write wl_pattern(i) into the first word of every page i: populates it.
 * The data of a file backing outlives an unmap, in the page cache.
 */
void wl_mapping_fill(const struct wl_ctx *ctx, struct wl_mapping *m);

/* Check the fill pattern on pages [first, first + n); WL_FAIL names the page. */
enum wl_status wl_mapping_check(struct wl_ctx *ctx, const struct wl_mapping *m,
				size_t first, size_t n);

/*
 * Map, fill and finish (THP split) in one go, for workloads that measure
 * what happens to an existing mapping.
 */
enum wl_status wl_mapping_populate(struct wl_ctx *ctx, struct wl_mapping *m);

/* After the pages are populated: anything the backing needs (THP split). */
enum wl_status wl_mapping_finish(struct wl_ctx *ctx, struct wl_mapping *m);

enum wl_status wl_mapping_unmap(struct wl_ctx *ctx, struct wl_mapping *m);

/*
 * Prove the populated mapping is what the backing claims and record the
 * facts in ctx->sample_info as "mapping".  Unmeasured: call it between
 * wl_pause() and wl_resume(), or from prepare().
 */
enum wl_status wl_mapping_prove(struct wl_ctx *ctx, const struct wl_mapping *m);

/*
 * Partial ranges: inside every 64K block, the 2 pages starting 1 page in.
 * Unaligned to the block on both ends, so on a contpte kernel every
 * operation on them must unfold the block first.
 */
#define WL_BLOCK_PAGES		16
#define WL_PARTIAL_FIRST	1
#define WL_PARTIAL_PAGES	2

/*
 * wl_mapping_init() for workloads with whole/partial ranges: partial
 * ranges would split hugetlb pages, which the kernel refuses, so that
 * combination is a SKIP.
 */
enum wl_status wl_mapping_init_ranges(struct wl_ctx *ctx, struct wl_mapping *m,
				      enum wl_backing backing, enum wl_tmpfs_huge huge,
				      size_t len, int partial);

/*
 * For workloads that consume their mapping each repetition: drop what the
 * last one left, then map, fill and prove a fresh one.
 */
enum wl_status wl_mapping_refresh(struct wl_ctx *ctx, struct wl_mapping *m);

/*
 * Call op on the whole mapping, or on every partial range of it; *pages
 * accumulates the pages covered.  Stops at the first failure.
 */
typedef enum wl_status (*wl_range_op)(struct wl_ctx *ctx, char *p, size_t len);
enum wl_status wl_for_each_range(struct wl_ctx *ctx, const struct wl_mapping *m,
				 int partial, wl_range_op op, uint64_t *pages);

/* Is page i inside a partial range? */
static inline int wl_in_partial(size_t i)
{
	return i % WL_BLOCK_PAGES >= WL_PARTIAL_FIRST &&
	       i % WL_BLOCK_PAGES < WL_PARTIAL_FIRST + WL_PARTIAL_PAGES;
}

#endif /* TLBBENCH_BACKING_H */
