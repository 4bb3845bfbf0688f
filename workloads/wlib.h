/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by workloads: aligned address reservation, data patterns
 * for --verify, and worker threads for the threaded variants.
 */
#ifndef TLBBENCH_WLIB_H
#define TLBBENCH_WLIB_H

#include <pthread.h>
#include <stdbool.h>
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

/*
 * Threaded variants (--threads=N): the same measured loop runs in N threads
 * of one process, so every munmap, mprotect and unmap of one thread must
 * shoot down TLB entries that the others may hold.  Thread 0 is the
 * runner's own thread; the others are started once in setup, each pinned
 * to its own CPU when the machine has enough, and wait between phases.
 * The runner counts them too (struct workload.inherit).
 */
#define WL_MAX_THREADS	64

/* The loop of thread t; adds what it did to *ops.  Must not call wl_pause(). */
typedef enum wl_status (*wl_thread_fn)(struct wl_ctx *ctx, unsigned int t, uint64_t *ops);

struct wl_worker {
	struct wl_threads *pool;
	pthread_t tid;
	unsigned int t;
	int cpu;		/* pinned to, or -1 */
	struct wl_ctx ctx;	/* a copy: its own reason buffer */
	uint64_t ops;
	enum wl_status ret;
};

struct wl_threads {
	unsigned int n;		/* threads, the runner's own included */
	unsigned int running;	/* workers started */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int phase;	/* bumped to start a phase */
	unsigned int finished;	/* workers done with this phase */
	wl_thread_fn fn;	/* this phase's loop, NULL to exit */
	struct wl_worker w[WL_MAX_THREADS];
};

/*
 * Start threads 1..n-1 and pin all n; the option table bounds n.  Call
 * from setup, before any hook needs them.
 */
enum wl_status wl_threads_start(struct wl_ctx *ctx, struct wl_threads *th, unsigned int n);

/* One phase: fn in every thread at once; ops summed; the first failure wins. */
enum wl_status wl_threads_run(struct wl_ctx *ctx, struct wl_threads *th, wl_thread_fn fn,
			      uint64_t *ops);

/*
 * Record threads and CPUs in the sample's info: "threads", and "cpus", the
 * CPU each thread is pinned to (null where it floats).
 */
void wl_threads_info(struct wl_ctx *ctx, const struct wl_threads *th);

/* From teardown: end and join the threads (safe if never started). */
void wl_threads_stop(struct wl_threads *th);

#endif /* TLBBENCH_WLIB_H */
