// SPDX-License-Identifier: GPL-2.0
/*
 * fault: the cost of populating memory one page fault at a time.
 *
 * Each repetition maps "bytes" of memory of the chosen backing at a fixed
 * 2 MiB-aligned address, touches every base page once (a write, or a read,
 * which maps the zero page on anon-4k) and unmaps it.  ops = base pages
 * touched.  With anon-4k this is will-it-scale's page_fault1 with the
 * placement made repeatable; the large-folio, THP and hugetlb backings
 * take one fault per folio or page.  The file backings (tmpfs, xfs) keep
 * their page cache between repetitions, so after the first one they time
 * mapping cached pages.  Between touching and unmapping, unmeasured, the
 * mapping is proven.
 *
 * threads=N runs the same loop in N threads, each on its own mapping; the
 * unmaps then shoot down TLB entries on the other threads' CPUs.  ops is
 * the sum.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include <jansson.h>

#include "backing.h"
#include "wlib.h"
#include "workload.h"

enum fault_access { ACCESS_WRITE, ACCESS_READ };

static const char *const access_names[] = { "write", "read", NULL };

/* anon-thp-pte is a state reached after population, so not a fault backing */
static const char *const fault_backings[] = {
	"anon-4k", "anon-64k", "anon-thp", "hugetlb-64k", "hugetlb-2m", "tmpfs", "xfs", NULL
};

struct fault_config {
	uint64_t bytes;
	uint64_t threads;
	unsigned int access;
	unsigned int backing;
	unsigned int tmpfs_huge;
};

struct fault_state {
	struct wl_threads th;
	struct wl_mapping map[WL_MAX_THREADS];
	uint64_t read_sum[WL_MAX_THREADS];	/* sum of every word read, for the read check */
};

static const struct opt_def fault_options[] = {
	{ "bytes", OPT_SIZE, offsetof(struct fault_config, bytes), "16M",
	  4096, 64ULL << 30, NULL, "size of the mapping faulted in (per thread)" },
	{ "access", OPT_ENUM, offsetof(struct fault_config, access), "write",
	  0, 0, access_names, "how each page is touched" },
	{ "backing", OPT_ENUM, offsetof(struct fault_config, backing), "anon-4k",
	  0, 0, fault_backings, "what provides the memory" },
	WL_OPT_TMPFS_HUGE(struct fault_config, tmpfs_huge),
	{ "threads", OPT_U64, offsetof(struct fault_config, threads), "1",
	  1, WL_MAX_THREADS, NULL, "threads running the loop, each on its own mapping" },
	OPT_END
};

static enum wl_status fault_setup(struct wl_ctx *ctx)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	enum wl_status ret;

	/*
	 * Threads first: their stacks must not land in the ranges this
	 * workload leaves unmapped between repetitions.
	 */
	ret = wl_threads_start(ctx, &st->th, cfg->threads);
	if (ret == WL_OK)
		ret = wl_mapping_init_many(ctx, st->map, cfg->threads,
					   wl_backing_from_name(fault_backings[cfg->backing]),
					   cfg->tmpfs_huge, cfg->bytes);
	return ret;
}

static enum wl_status touch(struct wl_ctx *ctx, unsigned int t, uint64_t *ops)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	struct wl_mapping *m = &st->map[t];
	size_t ps = ctx->page_size, npages = m->len / ps, i;
	char *p = m->addr;
	enum wl_status ret;

	ret = wl_mapping_map(ctx, m);
	if (ret != WL_OK)
		return ret;
	if (cfg->access == ACCESS_WRITE) {
		for (i = 0; i < npages; i++) {
			uint64_t *w = (uint64_t *)(p + i * ps);

			w[0] = wl_pattern(i);
			w[ps / sizeof(*w) - 1] = wl_pattern(i);
		}
	} else {
		uint64_t sum = 0;

		for (i = 0; i < npages; i++)
			sum += *(volatile uint64_t *)(p + i * ps);
		st->read_sum[t] = sum;
	}
	*ops += npages;
	return WL_OK;
}

static enum wl_status unmap(struct wl_ctx *ctx, unsigned int t, uint64_t *ops)
{
	struct fault_state *st = ctx->priv;

	return wl_mapping_unmap(ctx, &st->map[t]);
}

static enum wl_status fault_run(struct wl_ctx *ctx, uint64_t *ops)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	enum wl_status ret, ret2;
	uint64_t none = 0;
	unsigned int t;

	ret = wl_threads_run(ctx, &st->th, touch, ops);
	wl_pause(ctx);
	for (t = 0; t < cfg->threads && ret == WL_OK; t++)
		ret = wl_mapping_prove(ctx, &st->map[t]);
	wl_threads_info(ctx, &st->th);
	wl_resume(ctx);
	if (ret == WL_OK)
		ret = wl_verify_point(ctx);
	/* unmapped whatever happened: the next repetition maps again */
	ret2 = wl_threads_run(ctx, &st->th, unmap, &none);
	return ret != WL_OK ? ret : ret2;
}

static enum wl_status fault_verify(struct wl_ctx *ctx)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	size_t ps = ctx->page_size, npages = st->map[0].len / ps, i;
	unsigned int t;

	for (t = 0; t < cfg->threads; t++) {
		const char *base = st->map[t].addr;

		/* every read of untouched memory (anonymous, or holes of a file) is zero */
		if (cfg->access == ACCESS_READ && st->read_sum[t])
			return wl_reason(ctx, WL_FAIL, "thread %u: read of fresh memory returned nonzero data", t);
		for (i = 0; cfg->access == ACCESS_WRITE && i < npages; i++) {
			const uint64_t *w = (const uint64_t *)(base + i * ps);

			if (w[0] != wl_pattern(i) || w[ps / sizeof(*w) - 1] != wl_pattern(i))
				return wl_reason(ctx, WL_FAIL, "thread %u: page %zu: pattern mismatch", t, i);
			if (w[1])
				return wl_reason(ctx, WL_FAIL, "thread %u: page %zu: untouched word is not zero", t, i);
		}
	}
	return WL_OK;
}

static void fault_teardown(struct wl_ctx *ctx)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	unsigned int t;

	wl_threads_stop(&st->th);
	/* after a failure inside run() the mappings may still be there */
	for (t = 0; t < cfg->threads; t++)
		wl_mapping_release(ctx, &st->map[t]);
}

const struct workload wl_fault = {
	.name = "fault",
	.summary = "map memory, touch every page once, unmap (ops = base pages)",
	.op = "page",
	.options = fault_options,
	.config_size = sizeof(struct fault_config),
	.priv_size = sizeof(struct fault_state),
	.inherit = true,
	.setup = fault_setup,
	.run = fault_run,
	.verify = fault_verify,
	.teardown = fault_teardown,
};
