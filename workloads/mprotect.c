// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect: the cost of changing protection on populated memory.
 *
 * Setup maps and fills "bytes" of the chosen backing.  Each repetition
 * makes "toggles" read-only/read-write round trips, either over the whole
 * range (two calls per toggle; on a contpte kernel whole blocks can stay
 * folded) or over a 2-page range at an unaligned offset inside every 64K
 * block (two calls per block per toggle; each must unfold its block).
 * ops = mprotect calls.  The mapping is proven before every repetition;
 * --verify checks every page kept its data.
 *
 * threads=N runs the same toggles in N threads, each on its own mapping,
 * so every protection change must shoot down the other CPUs' TLB entries
 * for the process; ops is the sum.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "backing.h"
#include "wlib.h"
#include "workload.h"

enum { RANGE_WHOLE, RANGE_PARTIAL };

static const char *const range_names[] = { "whole", "partial", NULL };

struct mprotect_config {
	uint64_t bytes;
	uint64_t toggles;
	uint64_t threads;
	unsigned int backing;
	unsigned int tmpfs_huge;
	unsigned int range;
};

struct mprotect_state {
	struct wl_threads th;
	struct wl_mapping map[WL_MAX_THREADS];
};

static const struct opt_def mprotect_options[] = {
	{ "bytes", OPT_SIZE, offsetof(struct mprotect_config, bytes), "16M",
	  2 << 20, 64ULL << 30, NULL, "size of the populated mapping (per thread)" },
	{ "toggles", OPT_U64, offsetof(struct mprotect_config, toggles), "8",
	  1, 1000000, NULL, "read-only/read-write round trips per repetition" },
	{ "backing", OPT_ENUM, offsetof(struct mprotect_config, backing), "anon-4k",
	  0, 0, wl_backing_names, "what provides the memory" },
	WL_OPT_TMPFS_HUGE(struct mprotect_config, tmpfs_huge),
	{ "range", OPT_ENUM, offsetof(struct mprotect_config, range), "whole",
	  0, 0, range_names, "whole range, or an unaligned 2 pages of every 64K" },
	{ "threads", OPT_U64, offsetof(struct mprotect_config, threads), "1",
	  1, WL_MAX_THREADS, NULL, "threads running the loop, each on its own mapping" },
	OPT_END
};

static enum wl_status mprotect_setup(struct wl_ctx *ctx)
{
	const struct mprotect_config *cfg = ctx->config;
	struct mprotect_state *st = ctx->priv;
	enum wl_status ret = WL_OK;
	unsigned int t;

	/* the mapping lives through every repetition: the first would change it */
	if (cfg->range == RANGE_PARTIAL && cfg->backing == BACKING_ANON_THP)
		return wl_reason(ctx, WL_SKIP, "range=partial splits the PMD mappings of anon-thp for good (that is backing anon-thp-pte)");
	for (t = 0; t < cfg->threads && ret == WL_OK; t++) {
		ret = wl_mapping_init_ranges(ctx, &st->map[t], cfg->backing, cfg->tmpfs_huge,
					     cfg->bytes, cfg->range == RANGE_PARTIAL);
		if (ret == WL_OK)
			ret = wl_mapping_populate(ctx, &st->map[t]);
	}
	return ret == WL_OK ? wl_threads_start(ctx, &st->th, cfg->threads) : ret;
}

static enum wl_status mprotect_prepare(struct wl_ctx *ctx)
{
	const struct mprotect_config *cfg = ctx->config;
	struct mprotect_state *st = ctx->priv;
	enum wl_status ret = WL_OK;
	unsigned int t;

	for (t = 0; t < cfg->threads && ret == WL_OK; t++) {
		/*
		 * A partial change on a PMD-mapped file drops the PMD; the
		 * page cache keeps the folio, and touching maps it whole again.
		 */
		if (wl_backing_is_file(cfg->backing))
			wl_mapping_fill(ctx, &st->map[t]);
		ret = wl_mapping_prove(ctx, &st->map[t]);
	}
	wl_threads_info(ctx, &st->th);
	return ret;
}

static enum wl_status toggle(struct wl_ctx *ctx, char *p, size_t len)
{
	if (mprotect(p, len, PROT_READ))
		return wl_fail(ctx, "mprotect(PROT_READ)", errno);
	if (mprotect(p, len, PROT_READ | PROT_WRITE))
		return wl_fail(ctx, "mprotect(PROT_READ|PROT_WRITE)", errno);
	return WL_OK;
}

static enum wl_status toggles(struct wl_ctx *ctx, unsigned int th, uint64_t *ops)
{
	const struct mprotect_config *cfg = ctx->config;
	struct mprotect_state *st = ctx->priv;
	uint64_t t, pages = 0;
	enum wl_status ret;

	for (t = 0; t < cfg->toggles; t++) {
		ret = wl_for_each_range(ctx, &st->map[th], cfg->range == RANGE_PARTIAL, toggle,
					&pages);
		if (ret != WL_OK)
			return ret;
	}
	/* two calls per range: the whole mapping, or one range per 64K block */
	*ops += cfg->range == RANGE_PARTIAL ? 2 * pages / WL_PARTIAL_PAGES : 2 * cfg->toggles;
	return WL_OK;
}

static enum wl_status mprotect_run(struct wl_ctx *ctx, uint64_t *ops)
{
	struct mprotect_state *st = ctx->priv;
	enum wl_status ret = wl_threads_run(ctx, &st->th, toggles, ops);

	return ret == WL_OK ? wl_verify_point(ctx) : ret;
}

static enum wl_status mprotect_verify(struct wl_ctx *ctx)
{
	const struct mprotect_config *cfg = ctx->config;
	struct mprotect_state *st = ctx->priv;
	enum wl_status ret = WL_OK;
	unsigned int t;

	for (t = 0; t < cfg->threads && ret == WL_OK; t++)
		ret = wl_mapping_check(ctx, &st->map[t], 0, st->map[t].len / ctx->page_size);
	return ret;
}

static void mprotect_teardown(struct wl_ctx *ctx)
{
	const struct mprotect_config *cfg = ctx->config;
	struct mprotect_state *st = ctx->priv;
	unsigned int t;

	wl_threads_stop(&st->th);
	for (t = 0; t < cfg->threads; t++)
		wl_mapping_release(ctx, &st->map[t]);
}

const struct workload wl_mprotect = {
	.name = "mprotect",
	.summary = "read-only/read-write toggles, whole or partial ranges (ops = calls)",
	.op = "call",
	.options = mprotect_options,
	.config_size = sizeof(struct mprotect_config),
	.priv_size = sizeof(struct mprotect_state),
	.inherit = true,
	.setup = mprotect_setup,
	.prepare = mprotect_prepare,
	.run = mprotect_run,
	.verify = mprotect_verify,
	.teardown = mprotect_teardown,
};
