// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by workloads.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "wlib.h"

enum wl_status wl_find_aligned(struct wl_ctx *ctx, size_t len, size_t align,
			       void **addr)
{
	size_t span = len + align;
	uintptr_t start;
	void *p;

	p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return wl_fail(ctx, "mmap (address reservation)", errno);
	start = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
	if (munmap(p, span))
		return wl_fail(ctx, "munmap (address reservation)", errno);
	*addr = (void *)start;
	return WL_OK;
}
