// SPDX-License-Identifier: GPL-2.0
/*
 * fold-demo - does the contpte kernel fold a PTE-mapped THP in this very
 * process?  Maps 4M at a 2M-aligned address with MADV_HUGEPAGE, touches
 * it, splits each PMD into PTEs with an mprotect() of its last page (and
 * back), then prints the folded blocks that
 * /sys/kernel/debug/contpte/blocks lists for this mm, and how many of them
 * fall inside the mapping.  A guest-side check for the contpte series:
 * /sys/kernel/debug/contpte/blocks only shows the reader's own mm.
 *
 * Exit: 0 when at least one block inside the mapping is folded, 1 when
 * none is, 2 on a failed system call.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PMD_SIZE	(2UL << 20)	/* a PMD THP with 4K pages */
#define LEN		(2 * PMD_SIZE)
#define PAGE		4096UL

static int fail(const char *what)
{
	fprintf(stderr, "fold-demo: %s: %s\n", what, strerror(errno));
	return 2;
}

int main(void)
{
	unsigned long start, n = 0, inside = 0, a;
	char line[64];
	char *raw, *p;
	size_t off;
	FILE *f;

	/* over-allocate to find a 2M-aligned start */
	raw = mmap(NULL, LEN + PMD_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return fail("mmap");
	start = ((uintptr_t)raw + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	p = (char *)start;
	if (madvise(p, LEN, MADV_HUGEPAGE))
		return fail("madvise(MADV_HUGEPAGE)");
	memset(p, 0x5a, LEN);
	for (off = 0; off < LEN; off += PMD_SIZE) {
		char *last = p + off + PMD_SIZE - PAGE;

		if (mprotect(last, PAGE, PROT_READ) ||
		    mprotect(last, PAGE, PROT_READ | PROT_WRITE))
			return fail("mprotect (THP split)");
	}

	f = fopen("/sys/kernel/debug/contpte/blocks", "r");
	if (!f)
		return fail("/sys/kernel/debug/contpte/blocks");
	while (fgets(line, sizeof(line), f)) {
		a = strtoul(line, NULL, 16);
		n++;
		if (a >= start && a < start + LEN)
			inside++;
	}
	fclose(f);
	for (off = 0; off < LEN; off++)
		if (p[off] != 0x5a) {
			fprintf(stderr, "fold-demo: byte %zu corrupt\n", off);
			return 1;
		}
	printf("fold-demo: mapping 0x%lx-0x%lx: %lu folded blocks listed, %lu inside (of %lu)\n",
	       start, start + LEN, n, inside, LEN / (16 * PAGE));
	return inside ? 0 : 1;
}
