// SPDX-License-Identifier: GPL-2.0
/*
 * Backings and the mapping proof.
 *
 * The proof reads, for every page of the range, the PFN from
 * /proc/self/pagemap and that frame's flags from /proc/kpageflags, and
 * from them the order of the folio each page belongs to (compound head
 * plus its tails); /proc/self/smaps gives the PMD-mapped THP size and the
 * page size the kernel maps the VMA with.  Reading PFNs needs
 * CAP_SYS_ADMIN: without it the proof cannot be made and the run is
 * skipped, never reported as proven.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "backing.h"
#include "wlib.h"

const char *const wl_backing_names[] = {
	[BACKING_ANON_4K] = "anon-4k",
	[BACKING_ANON_THP] = "anon-thp",
	[BACKING_ANON_THP_PTE] = "anon-thp-pte",
	[BACKING_HUGETLB_64K] = "hugetlb-64k",
	[BACKING_HUGETLB_2M] = "hugetlb-2m",
	[BACKING_NR] = NULL,
};

enum wl_backing wl_backing_from_name(const char *name)
{
	int b;

	for (b = 0; b < BACKING_NR; b++)
		if (!strcmp(wl_backing_names[b], name))
			break;
	/* choices tables are built from these names: a miss is a typo in code */
	assert(b < BACKING_NR);
	return b;
}

/* pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_PRESENT	(1ULL << 63)
/* kpageflags bits (include/uapi/linux/kernel-page-flags.h) */
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_THP			22

#define MAX_FOLIO_PAGES	(1UL << 18)	/* 1G of 4K pages: the largest folio we follow */
#define CONT_PAGES	16		/* PTEs in one arm64 contiguous block (4K granule) */

static size_t backing_unit(enum wl_backing b)
{
	switch (b) {
	case BACKING_HUGETLB_64K:
		return 64UL << 10;
	case BACKING_ANON_THP:
	case BACKING_ANON_THP_PTE:
	case BACKING_HUGETLB_2M:
		return WL_PMD_SIZE;
	default:
		return 0;	/* the page size */
	}
}

static int read_sysfs_u64(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%" SCNu64, v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

static enum wl_status check_thp(struct wl_ctx *ctx)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return wl_reason(ctx, WL_SKIP, "kernel has no transparent hugepages");
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (strstr(buf, "[never]"))
		return wl_reason(ctx, WL_SKIP, "transparent_hugepage/enabled is never");
	return WL_OK;
}

static enum wl_status check_hugetlb(struct wl_ctx *ctx, size_t size, size_t len)
{
	char path[128];
	uint64_t free_pages;

	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%zukB/free_hugepages",
		 size >> 10);
	if (read_sysfs_u64(path, &free_pages))
		return wl_reason(ctx, WL_SKIP, "kernel has no %zukB hugetlb pages", size >> 10);
	if (free_pages * size < len)
		return wl_reason(ctx, WL_SKIP,
				 "%" PRIu64 " free %zukB hugetlb pages, %zu needed (nr_hugepages)",
				 free_pages, size >> 10, len / size);
	return WL_OK;
}

enum wl_status wl_mapping_init(struct wl_ctx *ctx, struct wl_mapping *m,
			       enum wl_backing backing, size_t len)
{
	size_t unit = backing_unit(backing) ? backing_unit(backing) : (size_t)ctx->page_size;
	enum wl_status ret = WL_OK;
	void *addr;

	m->backing = backing;
	m->len = len;
	m->mapped = false;
	if (len % unit)
		return wl_reason(ctx, WL_FAIL, "%zu bytes is not a multiple of %zu, the unit of backing %s",
				 len, unit, wl_backing_names[backing]);
	switch (backing) {
	case BACKING_ANON_THP:
	case BACKING_ANON_THP_PTE:
		ret = check_thp(ctx);
		break;
	case BACKING_HUGETLB_64K:
	case BACKING_HUGETLB_2M:
		ret = check_hugetlb(ctx, unit, len);
		break;
	default:
		break;
	}
	if (ret != WL_OK)
		return ret;
	/* 2M alignment for all: a range starts at a pte-page boundary */
	ret = wl_find_aligned(ctx, len, WL_PMD_SIZE, &addr);
	m->addr = addr;
	return ret;
}

enum wl_status wl_mapping_map(struct wl_ctx *ctx, struct wl_mapping *m)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
	void *p;

	if (m->backing == BACKING_HUGETLB_64K)
		flags |= MAP_HUGETLB | MAP_HUGE_64KB;
	else if (m->backing == BACKING_HUGETLB_2M)
		flags |= MAP_HUGETLB | MAP_HUGE_2MB;
	p = mmap(m->addr, m->len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED)
		return wl_fail(ctx, "mmap", errno);
	if (p != m->addr) {
		munmap(p, m->len);
		return wl_reason(ctx, WL_FAIL, "mmap: got %p, asked for %p", p, m->addr);
	}
	m->mapped = true;
	if (m->backing == BACKING_ANON_4K && madvise(p, m->len, MADV_NOHUGEPAGE))
		return wl_fail(ctx, "madvise(MADV_NOHUGEPAGE)", errno);
	if ((m->backing == BACKING_ANON_THP || m->backing == BACKING_ANON_THP_PTE) &&
	    madvise(p, m->len, MADV_HUGEPAGE))
		return wl_fail(ctx, "madvise(MADV_HUGEPAGE)", errno);
	return WL_OK;
}

enum wl_status wl_mapping_finish(struct wl_ctx *ctx, struct wl_mapping *m)
{
	size_t off;

	if (m->backing != BACKING_ANON_THP_PTE)
		return WL_OK;
	/*
	 * A protection change on one page splits the PMD mapping of its 2M
	 * THP into 512 PTEs and leaves the folio whole; restoring it merges
	 * the VMAs again but the PTEs stay.
	 */
	for (off = 0; off < m->len; off += WL_PMD_SIZE) {
		char *last = m->addr + off + WL_PMD_SIZE - ctx->page_size;

		if (mprotect(last, ctx->page_size, PROT_READ))
			return wl_fail(ctx, "mprotect (THP split)", errno);
		if (mprotect(last, ctx->page_size, PROT_READ | PROT_WRITE))
			return wl_fail(ctx, "mprotect (THP split, restore)", errno);
	}
	/*
	 * khugepaged would collapse the split folios back under PMDs (seen
	 * within a run); VM_NOHUGEPAGE makes it skip the range, and the
	 * folios already there stay whole.
	 */
	if (madvise(m->addr, m->len, MADV_NOHUGEPAGE))
		return wl_fail(ctx, "madvise(MADV_NOHUGEPAGE) after THP split", errno);
	return WL_OK;
}

void wl_mapping_fill(const struct wl_ctx *ctx, struct wl_mapping *m)
{
	size_t i, npages = m->len / ctx->page_size;

	for (i = 0; i < npages; i++)
		*(uint64_t *)(m->addr + i * ctx->page_size) = wl_pattern(i);
}

enum wl_status wl_mapping_check(struct wl_ctx *ctx, const struct wl_mapping *m,
				size_t first, size_t n)
{
	size_t i;

	for (i = first; i < first + n; i++)
		if (*(const uint64_t *)(m->addr + i * ctx->page_size) != wl_pattern(i))
			return wl_reason(ctx, WL_FAIL, "page %zu of the %s mapping lost its data",
					 i, wl_backing_names[m->backing]);
	return WL_OK;
}

enum wl_status wl_mapping_populate(struct wl_ctx *ctx, struct wl_mapping *m)
{
	enum wl_status ret = wl_mapping_map(ctx, m);

	if (ret != WL_OK)
		return ret;
	wl_mapping_fill(ctx, m);
	return wl_mapping_finish(ctx, m);
}

enum wl_status wl_mapping_init_ranges(struct wl_ctx *ctx, struct wl_mapping *m,
				      enum wl_backing backing, size_t len, int partial)
{
	enum wl_status ret = wl_mapping_init(ctx, m, backing, len);

	if (ret == WL_OK && partial &&
	    (backing == BACKING_HUGETLB_64K || backing == BACKING_HUGETLB_2M))
		ret = wl_reason(ctx, WL_SKIP, "range=partial would split %s pages, which the kernel refuses",
				wl_backing_names[backing]);
	return ret;
}

enum wl_status wl_mapping_refresh(struct wl_ctx *ctx, struct wl_mapping *m)
{
	enum wl_status ret = wl_mapping_unmap(ctx, m);

	if (ret == WL_OK)
		ret = wl_mapping_populate(ctx, m);
	return ret == WL_OK ? wl_mapping_prove(ctx, m) : ret;
}

enum wl_status wl_for_each_range(struct wl_ctx *ctx, const struct wl_mapping *m,
				 int partial, wl_range_op op, uint64_t *pages)
{
	size_t block = WL_BLOCK_PAGES * ctx->page_size, off;
	size_t len = WL_PARTIAL_PAGES * ctx->page_size;
	enum wl_status ret;

	if (!partial) {
		*pages += m->len / ctx->page_size;
		return op(ctx, m->addr, m->len);
	}
	for (off = 0; off < m->len; off += block) {
		ret = op(ctx, m->addr + off + WL_PARTIAL_FIRST * ctx->page_size, len);
		if (ret != WL_OK)
			return ret;
		*pages += WL_PARTIAL_PAGES;
	}
	return WL_OK;
}

enum wl_status wl_mapping_unmap(struct wl_ctx *ctx, struct wl_mapping *m)
{
	if (!m->mapped)
		return WL_OK;
	m->mapped = false;
	if (munmap(m->addr, m->len))
		return wl_fail(ctx, "munmap", errno);
	return WL_OK;
}

/* smaps fields of the VMA holding addr, in kB. */
struct smaps_facts {
	uint64_t anon_huge_kb, kernel_page_kb, rss_kb;
	uintptr_t vma_start, vma_end;
};

static int read_smaps(uintptr_t addr, struct smaps_facts *sf)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in = false, found = false;

	if (!f)
		return -1;
	memset(sf, 0, sizeof(*sf));
	while (fgets(line, sizeof(line), f)) {
		uintptr_t start, end;
		uint64_t kb;

		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = addr >= start && addr < end;
			if (in) {
				sf->vma_start = start;
				sf->vma_end = end;
			}
			found |= in;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, "AnonHugePages: %" SCNu64, &kb) == 1)
			sf->anon_huge_kb = kb;
		else if (sscanf(line, "KernelPageSize: %" SCNu64, &kb) == 1)
			sf->kernel_page_kb = kb;
		else if (sscanf(line, "Rss: %" SCNu64, &kb) == 1)
			sf->rss_kb = kb;
	}
	fclose(f);
	return found ? 0 : -1;
}

struct proof {
	int kpf;
	uint64_t head, head_pages;	/* the last folio measured, as a cache */
};

static int kpageflags(struct proof *pr, uint64_t pfn, uint64_t *flags)
{
	return pread(pr->kpf, flags, sizeof(*flags), pfn * sizeof(*flags)) ==
		sizeof(*flags) ? 0 : -1;
}

/* Pages in the folio holding pfn (1 for a small folio), or 0 on error. */
static uint64_t folio_pages(struct proof *pr, uint64_t pfn, uint64_t flags)
{
	uint64_t head = pfn, n, f;

	if (!(flags & ((1ULL << KPF_COMPOUND_HEAD) | (1ULL << KPF_COMPOUND_TAIL))))
		return 1;
	while (!(flags & (1ULL << KPF_COMPOUND_HEAD))) {
		if (!head || pfn - head >= MAX_FOLIO_PAGES || kpageflags(pr, --head, &flags))
			return 0;
	}
	if (head == pr->head)
		return pr->head_pages;
	for (n = 1; n < MAX_FOLIO_PAGES; n++)
		if (kpageflags(pr, head + n, &f) || !(f & (1ULL << KPF_COMPOUND_TAIL)))
			break;
	pr->head = head;
	pr->head_pages = n;
	return n;
}

static int order_of(uint64_t pages)
{
	int o = 0;

	while ((1ULL << o) < pages)
		o++;
	return (1ULL << o) == pages ? o : -1;
}

/* What each backing promises, checked against the facts gathered. */
static enum wl_status check_claim(struct wl_ctx *ctx, const struct wl_mapping *m,
				  const uint64_t *pages_by_order, const struct smaps_facts *sf,
				  size_t npages)
{
	int pmd_order = order_of(WL_PMD_SIZE / ctx->page_size);
	const char *name = wl_backing_names[m->backing];
	uint64_t len_kb = m->len >> 10;

	switch (m->backing) {
	case BACKING_ANON_4K:
		if (pages_by_order[0] != npages || sf->anon_huge_kb)
			return wl_reason(ctx, WL_FAIL, "%s: %" PRIu64 " of %zu pages in order-0 folios, %" PRIu64 " kB PMD-mapped",
					 name, pages_by_order[0], npages, sf->anon_huge_kb);
		break;
	case BACKING_ANON_THP:
		if (pages_by_order[pmd_order] != npages || sf->anon_huge_kb != len_kb)
			return wl_reason(ctx, WL_FAIL, "%s: %" PRIu64 " of %zu pages in PMD-order folios, %" PRIu64 " of %" PRIu64 " kB PMD-mapped (THP allocation failed?)",
					 name, pages_by_order[pmd_order], npages, sf->anon_huge_kb, len_kb);
		break;
	case BACKING_ANON_THP_PTE:
		if (pages_by_order[pmd_order] != npages || sf->anon_huge_kb)
			return wl_reason(ctx, WL_FAIL, "%s: %" PRIu64 " of %zu pages in PMD-order folios, %" PRIu64 " kB still PMD-mapped",
					 name, pages_by_order[pmd_order], npages, sf->anon_huge_kb);
		break;
	case BACKING_HUGETLB_64K:
	case BACKING_HUGETLB_2M:
		if (sf->kernel_page_kb != backing_unit(m->backing) >> 10)
			return wl_reason(ctx, WL_FAIL, "%s: mapped with %" PRIu64 " kB pages",
					 name, sf->kernel_page_kb);
		break;
	default:
		break;
	}
	return WL_OK;
}

static json_t *proof_json(const struct wl_mapping *m, size_t npages, size_t present,
			  const uint64_t *pages_by_order, const struct smaps_facts *sf,
			  uint64_t contig_blocks)
{
	json_t *orders = json_object(), *o;
	char key[8];
	int i;

	for (i = 0; i < 64; i++) {
		if (!pages_by_order[i])
			continue;
		snprintf(key, sizeof(key), "%d", i);
		json_object_set_new(orders, key, json_integer(pages_by_order[i]));
	}
	o = json_object();
	json_object_set_new(o, "backing", json_string(wl_backing_names[m->backing]));
	json_object_set_new(o, "addr", json_integer((uintptr_t)m->addr));
	json_object_set_new(o, "pages", json_integer(npages));
	json_object_set_new(o, "present", json_integer(present));
	json_object_set_new(o, "pages_by_folio_order", orders);
	json_object_set_new(o, "anon_huge_kb", json_integer(sf->anon_huge_kb));
	json_object_set_new(o, "kernel_page_kb", json_integer(sf->kernel_page_kb));
	json_object_set_new(o, "vma_start", json_integer(sf->vma_start));
	json_object_set_new(o, "vma_end", json_integer(sf->vma_end));
	json_object_set_new(o, "contig_64k_blocks", json_integer(contig_blocks));
	json_object_set_new(o, "proven", json_true());
	return o;
}

enum wl_status wl_mapping_prove(struct wl_ctx *ctx, const struct wl_mapping *m)
{
	size_t npages = m->len / ctx->page_size, present = 0, i;
	uint64_t pages_by_order[64] = { 0 }, contig = 0, *pm = NULL, any_pfn = 0;
	struct proof pr = { .kpf = -1, .head = UINT64_MAX };
	struct smaps_facts sf;
	enum wl_status ret;
	int pmfd;

	pmfd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pmfd < 0)
		return wl_reason(ctx, WL_SKIP, "mapping proof: open /proc/self/pagemap: %s", strerror(errno));
	pr.kpf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (pr.kpf < 0) {
		ret = wl_reason(ctx, WL_SKIP, "mapping proof: open /proc/kpageflags: %s", strerror(errno));
		goto out;
	}
	pm = malloc(npages * sizeof(*pm));
	if (!pm) {
		ret = wl_reason(ctx, WL_FAIL, "mapping proof: out of memory");
		goto out;
	}
	if (pread(pmfd, pm, npages * sizeof(*pm),
		  (uintptr_t)m->addr / ctx->page_size * sizeof(*pm)) != (ssize_t)(npages * sizeof(*pm))) {
		ret = wl_fail(ctx, "mapping proof: pread /proc/self/pagemap", errno);
		goto out;
	}
	for (i = 0; i < npages; i++)
		any_pfn |= pm[i] & PM_PFN_MASK;
	for (i = 0; i < npages; i++) {
		uint64_t pfn = pm[i] & PM_PFN_MASK, flags, n;
		int order;

		if (!(pm[i] & PM_PRESENT))
			continue;
		present++;
		if (!any_pfn) {
			ret = wl_reason(ctx, WL_SKIP, "mapping proof: pagemap hides PFNs (needs CAP_SYS_ADMIN)");
			goto out;
		}
		if (kpageflags(&pr, pfn, &flags)) {
			ret = wl_fail(ctx, "mapping proof: pread /proc/kpageflags", errno);
			goto out;
		}
		n = folio_pages(&pr, pfn, flags);
		order = n ? order_of(n) : -1;
		if (order < 0) {
			ret = wl_reason(ctx, WL_FAIL, "mapping proof: page %zu: folio of %" PRIu64 " pages", i, n);
			goto out;
		}
		pages_by_order[order]++;
		/* an aligned 16-page block of one folio, physically contiguous */
		if (i % CONT_PAGES == 0 && i + CONT_PAGES <= npages && pfn % CONT_PAGES == 0 &&
		    n >= CONT_PAGES) {
			size_t j;

			for (j = 1; j < CONT_PAGES; j++)
				if (!(pm[i + j] & PM_PRESENT) || (pm[i + j] & PM_PFN_MASK) != pfn + j)
					break;
			contig += j == CONT_PAGES;
		}
	}
	if (read_smaps((uintptr_t)m->addr, &sf)) {
		ret = wl_reason(ctx, WL_FAIL, "mapping proof: no VMA at %p in /proc/self/smaps", m->addr);
		goto out;
	}
	json_object_set_new(ctx->sample_info, "mapping",
			    proof_json(m, npages, present, pages_by_order, &sf, contig));
	if (present != npages)
		ret = wl_reason(ctx, WL_FAIL, "mapping proof: %zu of %zu pages present", present, npages);
	else
		ret = check_claim(ctx, m, pages_by_order, &sf, npages);
out:
	free(pm);
	if (pr.kpf >= 0)
		close(pr.kpf);
	close(pmfd);
	return ret;
}
