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
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "backing.h"
#include "workload.h"

enum { RANGE_WHOLE, RANGE_PARTIAL };

static const char *const range_names[] = { "whole", "partial", NULL };

struct mprotect_config {
	uint64_t bytes;
	uint64_t toggles;
	unsigned int backing;
	unsigned int range;
};

static const struct opt_def mprotect_options[] = {
	{ "bytes", OPT_SIZE, offsetof(struct mprotect_config, bytes), "16M",
	  2 << 20, 64ULL << 30, NULL, "size of the populated mapping" },
	{ "toggles", OPT_U64, offsetof(struct mprotect_config, toggles), "8",
	  1, 1000000, NULL, "read-only/read-write round trips per repetition" },
	{ "backing", OPT_ENUM, offsetof(struct mprotect_config, backing), "anon-4k",
	  0, 0, wl_backing_names, "what provides the memory" },
	{ "range", OPT_ENUM, offsetof(struct mprotect_config, range), "whole",
	  0, 0, range_names, "whole range, or an unaligned 2 pages of every 64K" },
	OPT_END
};

static enum wl_status mprotect_setup(struct wl_ctx *ctx)
{
	const struct mprotect_config *cfg = ctx->config;
	enum wl_status ret;

	ret = wl_mapping_init_ranges(ctx, ctx->priv, cfg->backing, cfg->bytes,
				     cfg->range == RANGE_PARTIAL);
	return ret == WL_OK ? wl_mapping_populate(ctx, ctx->priv) : ret;
}

static enum wl_status mprotect_prepare(struct wl_ctx *ctx)
{
	return wl_mapping_prove(ctx, ctx->priv);
}

static enum wl_status toggle(struct wl_ctx *ctx, char *p, size_t len)
{
	if (mprotect(p, len, PROT_READ))
		return wl_fail(ctx, "mprotect(PROT_READ)", errno);
	if (mprotect(p, len, PROT_READ | PROT_WRITE))
		return wl_fail(ctx, "mprotect(PROT_READ|PROT_WRITE)", errno);
	return WL_OK;
}

static enum wl_status mprotect_run(struct wl_ctx *ctx, uint64_t *ops)
{
	const struct mprotect_config *cfg = ctx->config;
	uint64_t t, pages = 0, calls = 0;
	enum wl_status ret;

	for (t = 0; t < cfg->toggles; t++) {
		ret = wl_for_each_range(ctx, ctx->priv, cfg->range == RANGE_PARTIAL, toggle,
					&pages);
		if (ret != WL_OK)
			return ret;
	}
	/* two calls per range: the whole mapping, or one range per 64K block */
	calls = cfg->range == RANGE_PARTIAL ?
		2 * pages / WL_PARTIAL_PAGES : 2 * cfg->toggles;
	*ops = calls;
	return wl_verify_point(ctx);
}

static enum wl_status mprotect_verify(struct wl_ctx *ctx)
{
	struct wl_mapping *m = ctx->priv;

	return wl_mapping_check(ctx, m, 0, m->len / ctx->page_size);
}

static void mprotect_teardown(struct wl_ctx *ctx)
{
	wl_mapping_unmap(ctx, ctx->priv);
}

const struct workload wl_mprotect = {
	.name = "mprotect",
	.summary = "read-only/read-write toggles, whole or partial ranges (ops = calls)",
	.options = mprotect_options,
	.config_size = sizeof(struct mprotect_config),
	.priv_size = sizeof(struct wl_mapping),
	.setup = mprotect_setup,
	.prepare = mprotect_prepare,
	.run = mprotect_run,
	.verify = mprotect_verify,
	.teardown = mprotect_teardown,
};
