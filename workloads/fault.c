// SPDX-License-Identifier: GPL-2.0
/*
 * fault: the cost of populating memory one page fault at a time.
 *
 * Each repetition maps "bytes" of private memory of the chosen backing at a
 * fixed 2 MiB-aligned address, touches every base page once (a write, or a
 * read, which maps the zero page on anon-4k) and unmaps it.  ops = base
 * pages touched.  With anon-4k this is will-it-scale's page_fault1 with the
 * placement made repeatable; the THP and hugetlb backings take one fault
 * per large page.  Before unmapping, unmeasured, the mapping is proven.
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
	"anon-4k", "anon-thp", "hugetlb-64k", "hugetlb-2m", NULL
};

struct fault_config {
	uint64_t bytes;
	unsigned int access;
	unsigned int backing;
};

struct fault_state {
	struct wl_mapping map;
	uint64_t read_sum;	/* sum of every word read, for the read check */
};

static const struct opt_def fault_options[] = {
	{ "bytes", OPT_SIZE, offsetof(struct fault_config, bytes), "16M",
	  4096, 64ULL << 30, NULL, "size of the mapping faulted in" },
	{ "access", OPT_ENUM, offsetof(struct fault_config, access), "write",
	  0, 0, access_names, "how each page is touched" },
	{ "backing", OPT_ENUM, offsetof(struct fault_config, backing), "anon-4k",
	  0, 0, fault_backings, "what provides the memory" },
	OPT_END
};

static enum wl_status fault_setup(struct wl_ctx *ctx)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;

	return wl_mapping_init(ctx, &st->map,
			       wl_backing_from_name(fault_backings[cfg->backing]),
			       cfg->bytes);
}

static enum wl_status fault_run(struct wl_ctx *ctx, uint64_t *ops)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	size_t ps = ctx->page_size, npages = st->map.len / ps, i;
	char *p = st->map.addr;
	enum wl_status ret;

	ret = wl_mapping_map(ctx, &st->map);
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
		st->read_sum = sum;
	}

	wl_pause(ctx);
	ret = wl_mapping_prove(ctx, &st->map);
	wl_resume(ctx);
	if (ret == WL_OK)
		ret = wl_verify_point(ctx);
	if (wl_mapping_unmap(ctx, &st->map) != WL_OK)
		return WL_FAIL;
	*ops = npages;
	return ret;
}

static enum wl_status fault_verify(struct wl_ctx *ctx)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	size_t ps = ctx->page_size, npages = st->map.len / ps, i;

	if (cfg->access == ACCESS_READ) {
		/* every read of untouched anonymous memory returns zero */
		if (st->read_sum)
			return wl_reason(ctx, WL_FAIL, "read of fresh anonymous memory returned nonzero data");
		return WL_OK;
	}
	for (i = 0; i < npages; i++) {
		const uint64_t *w = (const uint64_t *)(st->map.addr + i * ps);

		if (w[0] != wl_pattern(i) || w[ps / sizeof(*w) - 1] != wl_pattern(i))
			return wl_reason(ctx, WL_FAIL, "page %zu: pattern mismatch", i);
		if (w[1])
			return wl_reason(ctx, WL_FAIL, "page %zu: untouched word is not zero", i);
	}
	return WL_OK;
}

static void fault_teardown(struct wl_ctx *ctx)
{
	struct fault_state *st = ctx->priv;

	/* after a failure inside run() the mapping may still be there */
	wl_mapping_unmap(ctx, &st->map);
}

const struct workload wl_fault = {
	.name = "fault",
	.summary = "map memory, touch every page once, unmap (ops = base pages)",
	.options = fault_options,
	.config_size = sizeof(struct fault_config),
	.priv_size = sizeof(struct fault_state),
	.setup = fault_setup,
	.run = fault_run,
	.verify = fault_verify,
	.teardown = fault_teardown,
};
