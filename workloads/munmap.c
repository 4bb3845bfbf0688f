// SPDX-License-Identifier: GPL-2.0
/*
 * munmap: the cost of tearing down populated mappings.
 *
 * Before every repetition, unmeasured, "bytes" of the chosen backing are
 * mapped, filled and proven.  The measured loop unmaps either the whole
 * range (one call) or an unaligned 2-page range inside every 64K block
 * (one call per block; on a contpte kernel each unfolds its block first).
 * ops = pages unmapped.  --verify checks that the pages outside the holes
 * kept their data.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "backing.h"
#include "workload.h"

enum { RANGE_WHOLE, RANGE_PARTIAL };

static const char *const range_names[] = { "whole", "partial", NULL };

struct munmap_config {
	uint64_t bytes;
	unsigned int backing;
	unsigned int tmpfs_huge;
	unsigned int range;
};

static const struct opt_def munmap_options[] = {
	{ "bytes", OPT_SIZE, offsetof(struct munmap_config, bytes), "16M",
	  2 << 20, 64ULL << 30, NULL, "size of the populated mapping" },
	{ "backing", OPT_ENUM, offsetof(struct munmap_config, backing), "anon-4k",
	  0, 0, wl_backing_names, "what provides the memory" },
	WL_OPT_TMPFS_HUGE(struct munmap_config, tmpfs_huge),
	{ "range", OPT_ENUM, offsetof(struct munmap_config, range), "whole",
	  0, 0, range_names, "whole range, or an unaligned 2 pages of every 64K" },
	OPT_END
};

static enum wl_status munmap_setup(struct wl_ctx *ctx)
{
	const struct munmap_config *cfg = ctx->config;

	return wl_mapping_init_ranges(ctx, ctx->priv, cfg->backing, cfg->tmpfs_huge,
				      cfg->bytes, cfg->range == RANGE_PARTIAL);
}

/* what the last repetition left (holes and all) goes first */
static enum wl_status munmap_prepare(struct wl_ctx *ctx)
{
	return wl_mapping_refresh(ctx, ctx->priv);
}

static enum wl_status unmap_range(struct wl_ctx *ctx, char *p, size_t len)
{
	if (munmap(p, len))
		return wl_fail(ctx, "munmap", errno);
	return WL_OK;
}

static enum wl_status munmap_run(struct wl_ctx *ctx, uint64_t *ops)
{
	const struct munmap_config *cfg = ctx->config;
	struct wl_mapping *m = ctx->priv;
	enum wl_status ret;
	uint64_t pages = 0;

	ret = wl_for_each_range(ctx, m, cfg->range == RANGE_PARTIAL, unmap_range, &pages);
	if (ret != WL_OK)
		return ret;
	/* a whole unmap leaves nothing; a partial one leaves the rest mapped */
	m->mapped = cfg->range == RANGE_PARTIAL;
	*ops = pages;
	return wl_verify_point(ctx);
}

static enum wl_status munmap_verify(struct wl_ctx *ctx)
{
	struct wl_mapping *m = ctx->priv;
	size_t i, n = m->len / ctx->page_size;
	enum wl_status ret;

	for (i = 0; m->mapped && i < n; i++) {
		if (wl_in_partial(i))
			continue;
		ret = wl_mapping_check(ctx, m, i, 1);
		if (ret != WL_OK)
			return ret;
	}
	return WL_OK;
}

static void munmap_teardown(struct wl_ctx *ctx)
{
	wl_mapping_release(ctx, ctx->priv);
}

const struct workload wl_munmap = {
	.name = "munmap",
	.summary = "unmap populated memory, whole or partial ranges (ops = pages)",
	.op = "page",
	.options = munmap_options,
	.config_size = sizeof(struct munmap_config),
	.priv_size = sizeof(struct wl_mapping),
	.setup = munmap_setup,
	.prepare = munmap_prepare,
	.run = munmap_run,
	.verify = munmap_verify,
	.teardown = munmap_teardown,
};
