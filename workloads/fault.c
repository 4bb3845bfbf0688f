// SPDX-License-Identifier: GPL-2.0
/*
 * fault: the cost of populating anonymous memory one page fault at a time.
 *
 * Each repetition maps "bytes" of private anonymous memory at a fixed
 * 2 MiB-aligned address, turns THP off for the range (so every page is an
 * order-0 folio mapped by one pte), touches every page once (a write, or a
 * read that maps the zero page) and unmaps it.  ops = pages faulted.  This
 * is will-it-scale's page_fault1 with the placement made repeatable.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include <jansson.h>

#include "wlib.h"
#include "workload.h"

enum fault_access { ACCESS_WRITE, ACCESS_READ };

static const char *const access_names[] = { "write", "read", NULL };

struct fault_config {
	uint64_t bytes;
	unsigned int access;
};

struct fault_state {
	char *addr;
	size_t len;
	uint64_t read_sum;	/* sum of every word read, for the read check */
};

static const struct opt_def fault_options[] = {
	{ "bytes", OPT_SIZE, offsetof(struct fault_config, bytes), "16M",
	  4096, 64ULL << 30, NULL, "size of the mapping faulted in" },
	{ "access", OPT_ENUM, offsetof(struct fault_config, access), "write",
	  0, 0, access_names, "how each page is touched" },
	OPT_END
};

static enum wl_status fault_setup(struct wl_ctx *ctx)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	enum wl_status ret;
	void *addr;

	if (cfg->bytes % ctx->page_size)
		return wl_reason(ctx, WL_FAIL, "bytes=%llu is not a multiple of the page size %ld",
				 (unsigned long long)cfg->bytes, ctx->page_size);
	st->len = cfg->bytes;
	ret = wl_find_aligned(ctx, st->len, WL_PMD_SIZE, &addr);
	st->addr = addr;
	return ret;
}

static enum wl_status fault_run(struct wl_ctx *ctx, uint64_t *ops)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	size_t ps = ctx->page_size, npages = st->len / ps, i;
	enum wl_status ret;
	char *p;

	p = mmap(st->addr, st->len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return wl_fail(ctx, "mmap", errno);
	if (p != st->addr) {
		/* a kernel before 4.17 treats MAP_FIXED_NOREPLACE as a hint */
		munmap(p, st->len);
		return wl_reason(ctx, WL_FAIL, "mmap: got %p, asked for %p", p, st->addr);
	}
	if (madvise(p, st->len, MADV_NOHUGEPAGE))
		return wl_fail(ctx, "madvise(MADV_NOHUGEPAGE)", errno);

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

	ret = wl_verify_point(ctx);
	if (munmap(p, st->len))
		return wl_fail(ctx, "munmap", errno);
	*ops = npages;
	json_object_set_new(ctx->sample_info, "addr", json_integer((uintptr_t)p));
	return ret;
}

static enum wl_status fault_verify(struct wl_ctx *ctx)
{
	const struct fault_config *cfg = ctx->config;
	struct fault_state *st = ctx->priv;
	size_t ps = ctx->page_size, npages = st->len / ps, i;

	if (cfg->access == ACCESS_READ) {
		/* every read of untouched anonymous memory returns zero */
		if (st->read_sum)
			return wl_reason(ctx, WL_FAIL, "read of fresh anonymous memory returned nonzero data");
		return WL_OK;
	}
	for (i = 0; i < npages; i++) {
		const uint64_t *w = (const uint64_t *)(st->addr + i * ps);

		if (w[0] != wl_pattern(i) || w[ps / sizeof(*w) - 1] != wl_pattern(i))
			return wl_reason(ctx, WL_FAIL, "page %zu: pattern mismatch", i);
		if (w[1])
			return wl_reason(ctx, WL_FAIL, "page %zu: untouched word is not zero", i);
	}
	return WL_OK;
}

const struct workload wl_fault = {
	.name = "fault",
	.summary = "map anonymous memory, touch every page once, unmap (ops = pages)",
	.options = fault_options,
	.config_size = sizeof(struct fault_config),
	.priv_size = sizeof(struct fault_state),
	.setup = fault_setup,
	.run = fault_run,
	.verify = fault_verify,
};
