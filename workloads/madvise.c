// SPDX-License-Identifier: GPL-2.0
/*
 * madvise: the cost of discarding populated memory with MADV_DONTNEED or
 * MADV_FREE, over the whole range or an unaligned 2-page range inside
 * every 64K block (which a contpte kernel must unfold first).
 *
 * Before every repetition, unmeasured, "bytes" of the chosen backing are
 * mapped, filled and proven.  ops = pages advised.  --verify checks that
 * pages outside the advised ranges kept their data and, for dontneed,
 * that the advised pages read back as zero (private) or as the file's
 * data (tmpfs, xfs: MADV_DONTNEED drops the mapping, not the page cache).
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "backing.h"
#include "workload.h"

enum { RANGE_WHOLE, RANGE_PARTIAL };
enum { ADVICE_DONTNEED, ADVICE_FREE };

static const char *const range_names[] = { "whole", "partial", NULL };
static const char *const advice_names[] = { "dontneed", "free", NULL };

struct madvise_config {
	uint64_t bytes;
	unsigned int backing;
	unsigned int tmpfs_huge;
	unsigned int range;
	unsigned int advice;
};

static const struct opt_def madvise_options[] = {
	{ "bytes", OPT_SIZE, offsetof(struct madvise_config, bytes), "16M",
	  2 << 20, 64ULL << 30, NULL, "size of the populated mapping" },
	{ "backing", OPT_ENUM, offsetof(struct madvise_config, backing), "anon-4k",
	  0, 0, wl_backing_names, "what provides the memory" },
	WL_OPT_TMPFS_HUGE(struct madvise_config, tmpfs_huge),
	{ "range", OPT_ENUM, offsetof(struct madvise_config, range), "whole",
	  0, 0, range_names, "whole range, or an unaligned 2 pages of every 64K" },
	{ "advice", OPT_ENUM, offsetof(struct madvise_config, advice), "dontneed",
	  0, 0, advice_names, "MADV_DONTNEED or MADV_FREE" },
	OPT_END
};

static enum wl_status madvise_setup(struct wl_ctx *ctx)
{
	const struct madvise_config *cfg = ctx->config;
	enum wl_status ret;

	/* MADV_FREE is for private anonymous memory only (EINVAL otherwise) */
	if (cfg->advice == ADVICE_FREE &&
	    (wl_backing_is_hugetlb(cfg->backing) || wl_backing_is_file(cfg->backing)))
		return wl_reason(ctx, WL_SKIP, "MADV_FREE does not apply to %s mappings",
				 wl_backing_names[cfg->backing]);
	ret = wl_mapping_init_ranges(ctx, ctx->priv, cfg->backing, cfg->tmpfs_huge,
				     cfg->bytes, cfg->range == RANGE_PARTIAL);
	return ret;
}

/* start every repetition from a freshly populated mapping */
static enum wl_status madvise_prepare(struct wl_ctx *ctx)
{
	return wl_mapping_refresh(ctx, ctx->priv);
}

static enum wl_status dontneed(struct wl_ctx *ctx, char *p, size_t len)
{
	if (madvise(p, len, MADV_DONTNEED))
		return wl_fail(ctx, "madvise(MADV_DONTNEED)", errno);
	return WL_OK;
}

static enum wl_status free_pages(struct wl_ctx *ctx, char *p, size_t len)
{
	if (madvise(p, len, MADV_FREE))
		return wl_fail(ctx, "madvise(MADV_FREE)", errno);
	return WL_OK;
}

static enum wl_status madvise_run(struct wl_ctx *ctx, uint64_t *ops)
{
	const struct madvise_config *cfg = ctx->config;
	enum wl_status ret;
	uint64_t pages = 0;

	ret = wl_for_each_range(ctx, ctx->priv, cfg->range == RANGE_PARTIAL,
				cfg->advice == ADVICE_FREE ? free_pages : dontneed, &pages);
	if (ret != WL_OK)
		return ret;
	*ops = pages;
	return wl_verify_point(ctx);
}

static enum wl_status madvise_verify(struct wl_ctx *ctx)
{
	const struct madvise_config *cfg = ctx->config;
	struct wl_mapping *m = ctx->priv;
	size_t i, n = m->len / ctx->page_size;
	enum wl_status ret;

	for (i = 0; i < n; i++) {
		int advised = cfg->range == RANGE_WHOLE || wl_in_partial(i);

		/* a file's pages come back from the page cache, data intact */
		if (!advised || wl_backing_is_file(m->backing)) {
			ret = wl_mapping_check(ctx, m, i, 1);
			if (ret != WL_OK)
				return ret;
		} else if (cfg->advice == ADVICE_DONTNEED &&
			   *(const uint64_t *)(m->addr + i * ctx->page_size)) {
			/* a discarded private page refaults zero-filled */
			return wl_reason(ctx, WL_FAIL, "page %zu kept data after MADV_DONTNEED", i);
		}
		/* MADV_FREE pages may keep their data until reclaim: not checked */
	}
	return WL_OK;
}

static void madvise_teardown(struct wl_ctx *ctx)
{
	wl_mapping_release(ctx, ctx->priv);
}

const struct workload wl_madvise = {
	.name = "madvise",
	.summary = "MADV_DONTNEED/MADV_FREE, whole or partial ranges (ops = pages)",
	.op = "page",
	.options = madvise_options,
	.config_size = sizeof(struct madvise_config),
	.priv_size = sizeof(struct wl_mapping),
	.setup = madvise_setup,
	.prepare = madvise_prepare,
	.run = madvise_run,
	.verify = madvise_verify,
	.teardown = madvise_teardown,
};
