// SPDX-License-Identifier: GPL-2.0
/*
 * tlb_reach: how fast a working set larger than the TLB's reach can be
 * accessed, and how many TLB refills and walks that costs.  This is where
 * coalescing shows: with 4K entries a 48-entry L1 dTLB covers 192K and a
 * 1280-entry L2 5M; a contiguous 64K entry covers sixteen times as much.
 *
 * Setup maps and populates "bytes" of the chosen backing once and threads
 * a pointer chase through it: one 8-byte link per page visited, at a
 * different cache line in each page so cache sets do not collide.  The
 * measured loop follows "accesses" links; each load depends on the one
 * before, so neither prefetching nor out-of-order execution hides a miss.
 * Orders: seq (page after page), stride (every stride bytes), random (a
 * random cycle over all pages, fixed seed).  ops = accesses.  The mapping
 * is proven before every repetition.
 *
 * threads=N runs N chases at once, each over its own mapping of "bytes",
 * each thread on its own CPU where there are enough; ops is the sum.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <jansson.h>

#include "backing.h"
#include "wlib.h"
#include "workload.h"

enum reach_order { ORDER_SEQ, ORDER_STRIDE, ORDER_RANDOM };

static const char *const order_names[] = { "seq", "stride", "random", NULL };

struct reach_config {
	uint64_t bytes;
	uint64_t accesses;
	uint64_t stride;
	uint64_t threads;
	unsigned int order;
	unsigned int backing;
	unsigned int tmpfs_huge;
};

/* One thread's chase. */
struct chase {
	struct wl_mapping map;
	size_t nodes;		/* pages in the chase */
	uintptr_t *start;	/* the chase's first link */
	uintptr_t *last;	/* where the last repetition stopped */
};

struct reach_state {
	struct wl_threads th;
	struct chase c[WL_MAX_THREADS];
};

static const struct opt_def reach_options[] = {
	{ "bytes", OPT_SIZE, offsetof(struct reach_config, bytes), "64M",
	  2 << 20, 64ULL << 30, NULL, "working set" },
	{ "accesses", OPT_U64, offsetof(struct reach_config, accesses), "1000000",
	  1, 1ULL << 40, NULL, "dependent loads per repetition" },
	{ "stride", OPT_SIZE, offsetof(struct reach_config, stride), "4K",
	  4096, 1ULL << 30, NULL, "distance between visited pages (order=stride)" },
	{ "order", OPT_ENUM, offsetof(struct reach_config, order), "random",
	  0, 0, order_names, "order of the pages visited" },
	{ "backing", OPT_ENUM, offsetof(struct reach_config, backing), "anon-4k",
	  0, 0, wl_backing_names, "what provides the memory" },
	WL_OPT_TMPFS_HUGE(struct reach_config, tmpfs_huge),
	{ "threads", OPT_U64, offsetof(struct reach_config, threads), "1",
	  1, WL_MAX_THREADS, NULL, "threads chasing at once, each over its own mapping" },
	OPT_END
};

/* The link slot of page i: one cache line further into each page. */
static uintptr_t *slot(const struct chase *st, size_t page, size_t stride, long ps)
{
	/* 64: a cache line on every arm64 and x86 core we model */
	size_t line = (page % (ps / 64)) * 64;

	return (uintptr_t *)(st->map.addr + page * stride + line);
}

/* xorshift64: a fixed-seed generator so every run builds the same cycle */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static enum wl_status build_chase(struct wl_ctx *ctx, struct chase *st)
{
	const struct reach_config *cfg = ctx->config;
	size_t stride = cfg->order == ORDER_STRIDE ? cfg->stride : (size_t)ctx->page_size;
	size_t i, *perm;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	st->nodes = st->map.len / stride;
	perm = malloc(st->nodes * sizeof(*perm));
	if (!perm)
		return wl_reason(ctx, WL_FAIL, "out of memory for %zu pages", st->nodes);
	for (i = 0; i < st->nodes; i++)
		perm[i] = i;
	if (cfg->order == ORDER_RANDOM) {
		/* Sattolo's shuffle: one cycle through every page */
		for (i = st->nodes - 1; i > 0; i--) {
			size_t j = next_random(&seed) % i, t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
	}
	/* touching every page in order populates the mapping */
	for (i = 0; i < st->nodes; i++)
		*slot(st, perm[i], stride, ctx->page_size) =
			(uintptr_t)slot(st, perm[(i + 1) % st->nodes], stride, ctx->page_size);
	/* pages the chase skips (stride > page) are populated too */
	for (i = 0; i < st->map.len; i += ctx->page_size)
		st->map.addr[i + ctx->page_size - 1] = 1;
	st->start = slot(st, perm[0], stride, ctx->page_size);
	st->last = st->start;
	free(perm);
	return WL_OK;
}

static enum wl_status reach_setup(struct wl_ctx *ctx)
{
	const struct reach_config *cfg = ctx->config;
	struct reach_state *st = ctx->priv;
	enum wl_status ret = WL_OK;
	unsigned int t;

	if (cfg->stride % ctx->page_size)
		return wl_reason(ctx, WL_FAIL, "stride=%llu is not a multiple of the page size",
				 (unsigned long long)cfg->stride);
	for (t = 0; t < cfg->threads && ret == WL_OK; t++) {
		struct chase *c = &st->c[t];

		ret = wl_mapping_init(ctx, &c->map, cfg->backing, cfg->tmpfs_huge, cfg->bytes);
		if (ret == WL_OK)
			ret = wl_mapping_map(ctx, &c->map);
		if (ret == WL_OK)
			ret = build_chase(ctx, c);
		if (ret == WL_OK)
			ret = wl_mapping_finish(ctx, &c->map);
	}
	return ret == WL_OK ? wl_threads_start(ctx, &st->th, cfg->threads) : ret;
}

static enum wl_status reach_prepare(struct wl_ctx *ctx)
{
	const struct reach_config *cfg = ctx->config;
	struct reach_state *st = ctx->priv;
	enum wl_status ret = WL_OK;
	unsigned int t;

	/* khugepaged or reclaim may have changed the mapping since the last one */
	for (t = 0; t < cfg->threads && ret == WL_OK; t++)
		ret = wl_mapping_prove(ctx, &st->c[t].map);
	wl_threads_info(ctx, &st->th);
	return ret;
}

static enum wl_status chase(struct wl_ctx *ctx, unsigned int t, uint64_t *ops)
{
	const struct reach_config *cfg = ctx->config;
	struct reach_state *st = ctx->priv;
	uintptr_t *p = st->c[t].last;
	uint64_t i;

	for (i = 0; i < cfg->accesses; i++)
		p = (uintptr_t *)*p;
	/* keeps the loop: its result is used */
	st->c[t].last = p;
	*ops += cfg->accesses;
	return WL_OK;
}

static enum wl_status reach_run(struct wl_ctx *ctx, uint64_t *ops)
{
	struct reach_state *st = ctx->priv;
	enum wl_status ret = wl_threads_run(ctx, &st->th, chase, ops);

	return ret == WL_OK ? wl_verify_point(ctx) : ret;
}

static enum wl_status reach_verify(struct wl_ctx *ctx)
{
	const struct reach_config *cfg = ctx->config;
	struct reach_state *rs = ctx->priv;
	unsigned int t;

	for (t = 0; t < cfg->threads; t++) {
		struct chase *st = &rs->c[t];
		uintptr_t *p = st->start;
		size_t n = 0;

		/* the chase must be one cycle through every page, back to the start */
		do {
			uintptr_t next = *p;

			if (next < (uintptr_t)st->map.addr ||
			    next >= (uintptr_t)st->map.addr + st->map.len)
				return wl_reason(ctx, WL_FAIL, "thread %u: link %zu points outside the mapping",
						 t, n);
			p = (uintptr_t *)next;
		} while (++n <= st->nodes && p != st->start);
		if (n != st->nodes)
			return wl_reason(ctx, WL_FAIL, "thread %u: the chase visits %zu of %zu pages",
					 t, n, st->nodes);
	}
	return WL_OK;
}

static void reach_teardown(struct wl_ctx *ctx)
{
	const struct reach_config *cfg = ctx->config;
	struct reach_state *st = ctx->priv;
	unsigned int t;

	wl_threads_stop(&st->th);
	for (t = 0; t < cfg->threads; t++)
		wl_mapping_release(ctx, &st->c[t].map);
}

const struct workload wl_tlb_reach = {
	.name = "tlb_reach",
	.summary = "dependent loads over a working set beyond TLB reach (ops = loads)",
	.op = "load",
	.options = reach_options,
	.config_size = sizeof(struct reach_config),
	.priv_size = sizeof(struct reach_state),
	.inherit = true,
	.setup = reach_setup,
	.prepare = reach_prepare,
	.run = reach_run,
	.verify = reach_verify,
	.teardown = reach_teardown,
};
