// SPDX-License-Identifier: GPL-2.0
/*
 * contpte data-integrity stress.  A known pattern is written into memory
 * that folds (THP split into PTEs by a partial mprotect, tmpfs huge pages
 * mapped by PTEs at a 64K- but not 2M-aligned address) and into order-0
 * control memory, and every byte is checked against a shadow model after
 * each operation that would fold or unfold a contpte block: partial
 * mprotect, munmap and remap, mremap (keeping 64K alignment and not),
 * MADV_DONTNEED/FREE/COLD/PAGEOUT, fork with copy-on-write writes in parent
 * and child, swap (when a swap device such as zram is active), migration
 * between NUMA nodes, KSM merging, and reader threads verifying while the
 * main thread changes protections.
 *
 * After each operation the range it touched, widened to whole 64K blocks
 * plus one block either side (what a fold or unfold rewrites), is checked;
 * every phase ends with a check of every byte of every region, and the
 * regions are then built afresh so large folios come back.  One JSON
 * record per phase is appended and flushed as it is taken; the last line
 * on stderr is the summary.  On a contpte kernel the debugfs counters over
 * the run must show folds and unfolds when contpte is enabled, and the
 * order-0 control region must never hold a folded block.
 *
 * The first check that finds corrupt bytes ends the run (later checks
 * would only repeat them); each is printed with its region and offset.
 *
 * --inject corrupts one byte through a second mapping of the tmpfs file,
 * behind the model's back: the run must then fail naming that offset.
 *
 * Exit status: 0 pass, 1 fail (corruption, a failed syscall, no folds on
 * a contpte kernel), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "contpte.h"
#include "emit.h"
#include "sysfs.h"

#ifndef MADV_COLD
#define MADV_COLD	20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#define MPOL_MF_MOVE	(1 << 1)	/* move_pages(2): move pages of this process only */

#define PAGE		4096UL
#define BLOCK		(16 * PAGE)	/* one contpte block: 16 PTEs */
#define PMD		(2UL << 20)	/* one PMD-sized THP */
#define PM_SWAP		(1ULL << 62)	/* /proc/self/pagemap: page swapped */
#define PM_PRESENT	(1ULL << 63)
#define MAX_REPORTS	10		/* corrupt ranges printed per check */
#define MAX_READERS	8

/* A page's generation: 0 is a zero page; DUP marks content equal on every page (KSM). */
#define GEN_ZERO	0U
#define GEN_DUP		0x80000000U

enum region_kind { R_THP, R_TMPFS, R_SMALL, R_NR };
static const char *const region_names[R_NR] = { "thp", "tmpfs", "small" };

struct region {
	enum region_kind kind;
	char *addr;
	size_t len;
	bool shared;		/* MAP_SHARED of the tmpfs file */
	uint32_t *gen;		/* per page: what it must hold */
	uint8_t *maybe_zero;	/* per page: MADV_FREE'd, zero or gen until written */
};

enum op_kind {
	OP_WRITE, OP_MPROTECT, OP_MUNMAP, OP_MREMAP, OP_DONTNEED, OP_FREE, OP_COLD,
	OP_PAGEOUT, OP_FORK, OP_SWAP, OP_MIGRATE, OP_KSM, OP_RACE, OP_NR
};
static const char *const op_names[OP_NR] = {
	"write", "mprotect", "munmap", "mremap", "dontneed", "free", "cold",
	"pageout", "fork", "swap", "migrate", "ksm", "race",
};

static struct {
	uint64_t ops, seed, phase_ops;
	double time_limit;
	size_t size;
	unsigned int readers;
	bool inject;
	const char *out, *skip;
} opt = { .ops = 1000000, .seed = 1, .phase_ops = 2000, .size = 2 * PMD, .readers = 2,
	  .out = "-" };

static struct region reg[R_NR];
static char *scratch;		/* PROT_NONE reservation mremap moves into */
static char *tmpfs_alias;	/* 2M-aligned reservation: the tmpfs file is filled there */
static size_t scratch_len;
static int tmpfs_fd = -1;
static char tmpfs_dir[64], tmpfs_note[256];
static uint64_t rng;
static uint64_t op_count[OP_NR];
static bool op_off[OP_NR];
static char op_why[OP_NR][160];	/* why an operation is not done here */
static uint64_t corrupt_bytes;
static uint64_t swapped_pages, migrated_pages, ksm_merged;
static int nr_nodes = 1;
static struct emitter em;

static void die(const char *stage, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

static void die(const char *stage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "integrity: FAIL in %s: ", stage);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(uint64_t n)
{
	rng = splitmix(rng);
	return n ? rng % n : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The key of page p of region r holding generation g: every page, region,
 * generation and seed its own (DUP pages share one, for KSM); 0 for a
 * zero page.
 */
static inline uint64_t page_key(const struct region *r, size_t p, uint32_t g)
{
	if (g == GEN_ZERO)
		return 0;
	return splitmix(opt.seed * 0x2545f4914f6cdd1dULL ^ (uint64_t)r->kind << 60 ^
			(uint64_t)(g & GEN_DUP ? 0 : p) << 32 ^ g) | 1;
}

/*
 * Word w of a page with key k: one multiply, so checking every byte stays
 * cheap under TCG; distinct in every word (odd multiplier) and every page.
 */
static inline uint64_t pattern_word(uint64_t k, size_t w)
{
	return k ? k ^ (w + 1) * 0x9e3779b97f4a7c15ULL : 0;
}

static void fill_page(const struct region *r, char *base, size_t p, uint32_t g)
{
	uint64_t *w = (uint64_t *)(base + p * PAGE), k = page_key(r, p, g);
	size_t i;

	for (i = 0; i < PAGE / 8; i++)
		w[i] = pattern_word(k, i);
}

/* A new generation for pages [p0, p0 + n) of r, written through base. */
static uint32_t next_gen(void)
{
	static uint32_t g = 1;

	g = g + 1 >= GEN_DUP ? 1 : g + 1;
	return g;
}

static void write_pages(struct region *r, char *base, size_t p0, size_t n, uint32_t g)
{
	size_t p;

	for (p = p0; p < p0 + n; p++) {
		fill_page(r, base, p, g);
		r->gen[p] = g;
		r->maybe_zero[p] = 0;
	}
}

/*
 * Check pages [p0, p0 + n) of r as seen at base (r->addr, or where mremap
 * moved them).  Returns the corrupt bytes found, printing the first few.
 */
static uint64_t check_pages(struct region *r, const char *base, size_t p0, size_t n,
			    const char *after)
{
	uint64_t bad = 0;
	unsigned int reports = 0;
	size_t p, i;

	for (p = p0; p < p0 + n; p++) {
		const uint64_t *w = (const uint64_t *)(base + p * PAGE);
		uint64_t k = page_key(r, p, r->gen[p]), diff = 0;

		/* the fast pass: any difference at all on this page? */
		for (i = 0; i < PAGE / 8; i++)
			diff |= w[i] ^ pattern_word(k, i);
		if (!diff)
			continue;
		for (i = 0; i < PAGE / 8; i++) {
			uint64_t want = pattern_word(k, i), got = w[i];
			unsigned int b;

			/*
			 * Lazily freed (MADV_FREE): the data, or zeros once
			 * reclaimed, which may happen while this reads it.
			 */
			if (got == want || (!got && r->maybe_zero[p]))
				continue;
			for (b = 0; b < 8; b++) {
				uint8_t wb = want >> (8 * b), gb = got >> (8 * b);

				if (wb == gb)
					continue;
				bad++;
				if (reports++ < MAX_REPORTS)
					fprintf(stderr, "integrity: CORRUPT %s+0x%zx (page %zu, after %s): expected 0x%02x, got 0x%02x\n",
						region_names[r->kind], p * PAGE + i * 8 + b, p,
						after, wb, gb);
			}
		}
	}
	if (reports > MAX_REPORTS)
		fprintf(stderr, "integrity: ... %u more corrupt bytes in %s\n",
			reports - MAX_REPORTS, region_names[r->kind]);
	return bad;
}

/* After an operation on pages [p0, p0 + n): its 64K blocks and one either side. */
static void check_around(struct region *r, size_t p0, size_t n, const char *after)
{
	size_t bp = BLOCK / PAGE, first = p0 / bp * bp, end = (p0 + n + bp - 1) / bp * bp;
	size_t npages = r->len / PAGE;

	first = first >= bp ? first - bp : 0;
	end = end + bp <= npages ? end + bp : npages;
	corrupt_bytes += check_pages(r, r->addr, first, end - first, after);
}

static void check_all(const char *after)
{
	int k;

	for (k = 0; k < R_NR; k++)
		corrupt_bytes += check_pages(&reg[k], reg[k].addr, 0, reg[k].len / PAGE, after);
}

/* --- regions ------------------------------------------------------------ */

/* A 2M-aligned free range of len bytes (reserved, then released to the caller). */
static char *aligned_range(size_t len, size_t align)
{
	char *p = mmap(NULL, len + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	uintptr_t a;

	if (p == MAP_FAILED)
		die("setup", "mmap reservation of %zu bytes: %s", len + align, strerror(errno));
	a = ((uintptr_t)p + align - 1) & ~(align - 1);
	return (char *)a;	/* the rest stays reserved PROT_NONE: harmless */
}

/*
 * tmpfs with huge=always, mounted in a private mount namespace so it goes
 * with the process; without root, a memfd (shmem_enabled decides its
 * folios), said in the notes.
 */
static void tmpfs_open(void)
{
	char path[96];

	snprintf(tmpfs_dir, sizeof(tmpfs_dir), "/tmp/contpte-integrity-XXXXXX");
	if (!mkdtemp(tmpfs_dir))
		die("setup", "mkdtemp %s: %s", tmpfs_dir, strerror(errno));
	if (unshare(CLONE_NEWNS) == 0 &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount("tmpfs", tmpfs_dir, "tmpfs", 0, "huge=always,size=64m") == 0) {
		snprintf(path, sizeof(path), "%s/data", tmpfs_dir);
		tmpfs_fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (tmpfs_fd < 0)
			die("setup", "open %s: %s", path, strerror(errno));
		unlink(path);
		snprintf(tmpfs_note, sizeof(tmpfs_note), "tmpfs huge=always in a private mount namespace");
	} else {
		snprintf(tmpfs_note, sizeof(tmpfs_note),
			 "no private tmpfs mount (%s): memfd, huge pages as shmem_enabled says",
			 strerror(errno));
		tmpfs_fd = memfd_create("contpte-integrity", MFD_CLOEXEC);
		if (tmpfs_fd < 0)
			die("setup", "memfd_create: %s", strerror(errno));
	}
	rmdir(tmpfs_dir);	/* fails while mounted: removed at exit then */
	if (ftruncate(tmpfs_fd, opt.size))
		die("setup", "ftruncate tmpfs file: %s", strerror(errno));
}

static void map_at(struct region *r, char *addr, size_t off, size_t len)
{
	void *p;

	if (r->shared)
		p = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, tmpfs_fd, off);
	else
		p = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 -1, 0);
	if (p == MAP_FAILED)
		die("map", "mmap %s+0x%zx len 0x%zx: %s", region_names[r->kind], off, len,
		    strerror(errno));
	if (!r->shared && madvise(addr, len, r->kind == R_THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) &&
	    errno != EINVAL)
		die("map", "madvise %s: %s", region_names[r->kind], strerror(errno));
}

/* Map, fill and (THP) split into PTEs: the recipe of kernel-6.1-plan.md C. */
static void region_build(struct region *r)
{
	size_t npages = r->len / PAGE, p;

	map_at(r, r->addr, 0, r->len);
	if (r->shared) {
		/* fresh content: the file keeps what the last phase left */
		if (fallocate(tmpfs_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, r->len) &&
		    errno != EOPNOTSUPP)
			die("build", "punch the tmpfs file: %s", strerror(errno));
		/*
		 * Filled through a 2M-aligned view, so the page cache gets huge
		 * folios whatever the kernel thinks of the misaligned mapping
		 * (6.1 allocates them anyway; newer kernels only where a PMD
		 * could map them), then read through the region: PTEs only.
		 */
		if (mmap(tmpfs_alias, r->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			 tmpfs_fd, 0) == MAP_FAILED)
			die("build", "mmap the aligned view of the tmpfs file: %s", strerror(errno));
		write_pages(r, tmpfs_alias, 0, npages, next_gen());
		if (mmap(tmpfs_alias, r->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
			 MAP_NORESERVE, -1, 0) == MAP_FAILED)
			die("build", "drop the aligned view of the tmpfs file: %s", strerror(errno));
		corrupt_bytes += check_pages(r, r->addr, 0, npages, "building the tmpfs region");
		return;
	}
	write_pages(r, r->addr, 0, npages, next_gen());
	if (r->kind == R_THP) {
		/* the last 4K of every 2M read-only and back: PMD split, folio kept */
		for (p = 0; p < npages; p += PMD / PAGE) {
			char *last = r->addr + (p + PMD / PAGE - 1) * PAGE;

			if (mprotect(last, PAGE, PROT_READ) || mprotect(last, PAGE, PROT_READ | PROT_WRITE))
				die("build", "mprotect to split the THP: %s", strerror(errno));
		}
	}
}

static void regions_init(void)
{
	int k;

	tmpfs_open();
	for (k = 0; k < R_NR; k++) {
		struct region *r = &reg[k];

		r->kind = k;
		r->len = opt.size;
		r->shared = k == R_TMPFS;
		/* tmpfs: 64K- but not 2M-aligned, so its huge pages are PTE-mapped */
		r->addr = aligned_range(r->len + PMD, PMD) + (k == R_TMPFS ? BLOCK : 0);
		r->gen = calloc(r->len / PAGE, sizeof(*r->gen));
		r->maybe_zero = calloc(r->len / PAGE, 1);
		if (!r->gen || !r->maybe_zero)
			die("setup", "out of memory");
	}
	scratch_len = opt.size + PMD;
	scratch = aligned_range(scratch_len, PMD);
	tmpfs_alias = aligned_range(opt.size, PMD);
}

static void regions_build(void)
{
	int k;

	for (k = 0; k < R_NR; k++)
		region_build(&reg[k]);
}

#define PM_PFN		((1ULL << 55) - 1)
#define KPF_THP		22	/* /proc/kpageflags: part of a transparent huge page */

/*
 * Pages of r in transparent huge pages (PMD- or PTE-mapped), from pagemap
 * and kpageflags: the proof that the region is memory that can fold.
 * -1 when this cannot be read (PFNs need CAP_SYS_ADMIN).
 */
static long thp_pages(const struct region *r)
{
	size_t n = r->len / PAGE, i;
	uint64_t *pm = malloc(n * 8), f;
	int pfd = open("/proc/self/pagemap", O_RDONLY), kfd = open("/proc/kpageflags", O_RDONLY);
	long c = -1;

	if (pm && pfd >= 0 && kfd >= 0 &&
	    pread(pfd, pm, n * 8, (uintptr_t)r->addr / PAGE * 8) == (ssize_t)(n * 8)) {
		for (c = 0, i = 0; i < n; i++) {
			if (!(pm[i] & PM_PRESENT) || !(pm[i] & PM_PFN)) {
				if (pm[i] & PM_PRESENT)
					c = -1;	/* PFNs hidden */
				if (c < 0)
					break;
				continue;
			}
			if (pread(kfd, &f, 8, (pm[i] & PM_PFN) * 8) == 8 && (f >> KPF_THP & 1))
				c++;
		}
	}
	free(pm);
	if (pfd >= 0)
		close(pfd);
	if (kfd >= 0)
		close(kfd);
	return c;
}

static json_t *thp_proof(void)
{
	json_t *o = json_object();
	int k;

	for (k = 0; k < R_NR; k++) {
		long c = thp_pages(&reg[k]);

		json_object_set_new(o, region_names[k], c < 0 ? json_null() : json_integer(c));
	}
	return o;
}

/* --- operations ------------------------------------------------------- */

/* A random range: 1..32 pages, often block-aligned, sometimes not. */
static void pick(struct region **r, size_t *p0, size_t *n)
{
	size_t npages;

	*r = &reg[rnd(R_NR)];
	npages = (*r)->len / PAGE;
	if (rnd(2)) {
		*n = (1 + rnd(2)) * (BLOCK / PAGE);
		*p0 = rnd(npages / (BLOCK / PAGE) - 1) * (BLOCK / PAGE);
	} else {
		*n = 1 + rnd(BLOCK / PAGE * 2);
		*p0 = rnd(npages - *n);
	}
}

static void op_write(void)
{
	struct region *r;
	size_t p0, n;

	pick(&r, &p0, &n);
	write_pages(r, r->addr, p0, n, next_gen());
	check_around(r, p0, n, "write");
}

static void op_mprotect(void)
{
	struct region *r;
	size_t p0, n;
	int prot = rnd(2) ? PROT_READ : PROT_NONE;

	pick(&r, &p0, &n);
	if (mprotect(r->addr + p0 * PAGE, n * PAGE, prot))
		die("mprotect", "mprotect %s+0x%zx: %s", region_names[r->kind], p0 * PAGE, strerror(errno));
	if (prot == PROT_READ)
		check_around(r, p0, n, "mprotect PROT_READ");
	if (mprotect(r->addr + p0 * PAGE, n * PAGE, PROT_READ | PROT_WRITE))
		die("mprotect", "mprotect %s+0x%zx back: %s", region_names[r->kind], p0 * PAGE,
		    strerror(errno));
	check_around(r, p0, n, prot == PROT_READ ? "mprotect back from PROT_READ" :
		     "mprotect back from PROT_NONE");
	/* and write part of it again, so the block may fold again */
	write_pages(r, r->addr, p0, 1 + rnd(n), next_gen());
}

static void op_munmap(void)
{
	struct region *r;
	size_t p0, n, p;

	pick(&r, &p0, &n);
	if (munmap(r->addr + p0 * PAGE, n * PAGE))
		die("munmap", "munmap %s+0x%zx: %s", region_names[r->kind], p0 * PAGE, strerror(errno));
	map_at(r, r->addr + p0 * PAGE, p0 * PAGE, n * PAGE);
	/* a file mapping shows the page cache again; anonymous memory is new */
	if (!r->shared)
		for (p = p0; p < p0 + n; p++) {
			r->gen[p] = GEN_ZERO;
			r->maybe_zero[p] = 0;
		}
	check_around(r, p0, n, "munmap and mmap again");
	write_pages(r, r->addr, p0, n, next_gen());
}

static void do_mremap(char *from, size_t len, char *to, const char *what)
{
	if (mremap(from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to) != to)
		die("mremap", "mremap %s 0x%zx bytes %p -> %p: %s", what, len, (void *)from,
		    (void *)to, strerror(errno));
}

static void op_mremap(void)
{
	struct region *r;
	size_t p0, n;
	bool aligned = rnd(2);
	char *to;

	pick(&r, &p0, &n);
	/* keeping the offset in the 64K block (aligned moves can keep folds) or not */
	to = scratch + p0 * PAGE + (aligned ? 0 : PAGE);
	do_mremap(r->addr + p0 * PAGE, n * PAGE, to, aligned ? "64K-aligned" : "unaligned");
	corrupt_bytes += check_pages(r, to - p0 * PAGE, p0, n,
				     aligned ? "mremap keeping 64K alignment" : "mremap off 64K alignment");
	do_mremap(to, n * PAGE, r->addr + p0 * PAGE, "back");
	/* keep the scratch range reserved */
	if (mmap(to, n * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) == MAP_FAILED)
		die("mremap", "re-reserve the scratch range: %s", strerror(errno));
	check_around(r, p0, n, "mremap back");
}

static void op_madvise(enum op_kind k)
{
	static const int advice[OP_NR] = {
		[OP_DONTNEED] = MADV_DONTNEED, [OP_FREE] = MADV_FREE,
		[OP_COLD] = MADV_COLD, [OP_PAGEOUT] = MADV_PAGEOUT,
	};
	struct region *r;
	size_t p0, n, p;

	pick(&r, &p0, &n);
	if (k == OP_FREE && r->shared)
		r = &reg[R_THP];	/* MADV_FREE is for private anonymous memory */
	if (madvise(r->addr + p0 * PAGE, n * PAGE, advice[k]))
		die(op_names[k], "madvise %s %s+0x%zx: %s", op_names[k], region_names[r->kind],
		    p0 * PAGE, strerror(errno));
	for (p = p0; p < p0 + n; p++) {
		if (k == OP_DONTNEED && !r->shared)
			r->gen[p] = GEN_ZERO;
		if (k == OP_FREE)
			r->maybe_zero[p] = 1;
	}
	check_around(r, p0, n, op_names[k]);
	/* lazily freed pages hold data or zeros until written: write them all */
	if (k == OP_FREE)
		write_pages(r, r->addr, p0, n, next_gen());
	else if (k != OP_COLD)
		write_pages(r, r->addr, p0, 1 + rnd(n), next_gen());
}

/* A random private range for fork's copy-on-write writes. */
static void pick_private(struct region **r, size_t *p0, size_t *n)
{
	do
		pick(r, p0, n);
	while ((*r)->shared);
}

static uint64_t child_run(int ready, int go)
{
	struct region *r;
	size_t p0, n;
	uint64_t bad = 0;
	char c = 0;
	int k;

	for (k = 0; k < R_NR; k++)
		bad += check_pages(&reg[k], reg[k].addr, 0, reg[k].len / PAGE, "fork (child)");
	pick_private(&r, &p0, &n);
	write_pages(r, r->addr, p0, n, next_gen() | 0x40000000U);	/* copy-on-write in the child */
	bad += check_pages(r, r->addr, p0, n, "copy-on-write in the child");
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		return 1;
	/* the parent has written: private pages here must not have changed */
	for (k = 0; k < R_NR; k++)
		if (!reg[k].shared)
			bad += check_pages(&reg[k], reg[k].addr, 0, reg[k].len / PAGE,
					   "the parent's copy-on-write (child)");
	return bad;
}

static void op_fork(void)
{
	int ready[2], go[2], st;
	struct region *r;
	size_t p0, n;
	char c = 0;
	pid_t pid;

	if (pipe(ready) || pipe(go))
		die("fork", "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork", "fork: %s", strerror(errno));
	if (pid == 0) {
		/* exit status: 0 clean, 1 corrupt bytes seen (printed), 2 error */
		uint64_t bad = child_run(ready[1], go[0]);

		_exit(bad ? 1 : 0);
	}
	if (read(ready[0], &c, 1) != 1)
		die("fork", "the child died before writing (pid %d)", pid);
	pick_private(&r, &p0, &n);
	write_pages(r, r->addr, p0, n, next_gen());	/* copy-on-write in the parent */
	if (write(go[1], &c, 1) != 1)
		die("fork", "write to the child: %s", strerror(errno));
	if (waitpid(pid, &st, 0) != pid)
		die("fork", "waitpid: %s", strerror(errno));
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "integrity: CORRUPT the fork child %s (status 0x%x)\n",
			WIFEXITED(st) ? "saw corrupt bytes" : "died", st);
		corrupt_bytes++;	/* at least one; the child printed where */
	}
	/* the child's writes must not show here */
	check_all("fork (parent, after the child's copy-on-write)");
}

static bool swap_active(char *why, size_t len)
{
	char buf[4096];

	if (read_small_file("/proc/swaps", buf, sizeof(buf))) {
		snprintf(why, len, "no /proc/swaps");
		return false;
	}
	if (!strchr(buf, '\n')) {
		snprintf(why, len, "no swap device active (the guest job sets up zram when the kernel has it)");
		return false;
	}
	return true;
}

/* Pages of [addr, addr + n pages) that pagemap says are swapped out. */
static uint64_t count_swapped(const char *addr, size_t n)
{
	uint64_t pm[64], c = 0;
	size_t i;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (n > 64)
		n = 64;
	if (pread(fd, pm, n * 8, (uintptr_t)addr / PAGE * 8) == (ssize_t)(n * 8))
		for (i = 0; i < n; i++)
			c += !!(pm[i] & PM_SWAP);
	close(fd);
	return c;
}

static void op_swap(void)
{
	struct region *r;
	size_t p0, n;

	pick(&r, &p0, &n);
	if (madvise(r->addr + p0 * PAGE, n * PAGE, MADV_PAGEOUT))
		die("swap", "madvise MADV_PAGEOUT: %s", strerror(errno));
	if (!r->shared)
		swapped_pages += count_swapped(r->addr + p0 * PAGE, n);
	check_around(r, p0, n, "swap out and in");
	write_pages(r, r->addr, p0, 1 + rnd(n), next_gen());
}

static int node_count(void)
{
	char buf[256];
	int a, b;

	if (read_small_file("/sys/devices/system/node/online", buf, sizeof(buf)))
		return 1;
	if (sscanf(buf, "%d-%d", &a, &b) == 2)
		return b - a + 1;
	return 1;
}

static void op_migrate(void)
{
	void *pages[32];
	int nodes[32], status[32];
	struct region *r;
	size_t p0, n, i;
	int to = rnd(nr_nodes);

	pick(&r, &p0, &n);
	for (i = 0; i < n; i++) {
		pages[i] = r->addr + (p0 + i) * PAGE;
		nodes[i] = to;
	}
	if (syscall(SYS_move_pages, 0, n, pages, nodes, status, MPOL_MF_MOVE) < 0)
		die("migrate", "move_pages to node %d: %s", to, strerror(errno));
	for (i = 0; i < n; i++)
		migrated_pages += status[i] == to;
	check_around(r, p0, n, "migration between nodes");
	write_pages(r, r->addr, p0, 1 + rnd(n), next_gen());
}

static long ksm_read(const char *name)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", name);
	return read_small_file(path, buf, sizeof(buf)) ? -1 : atol(buf);
}

static int ksm_write(const char *name, const char *val)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

static char ksm_saved[16];

static void ksm_restore(void)
{
	if (ksm_saved[0])
		ksm_write("run", ksm_saved);
}

/*
 * Identical pages in a private range, MADV_MERGEABLE, two full KSM scans
 * (bounded at 20 s), check, then write over the merged pages (copy-on-write
 * out of the KSM page) and check again.
 */
static void op_ksm(void)
{
	struct region *r;
	size_t p0, n;
	long scans, shared0;
	double end;

	pick_private(&r, &p0, &n);
	if (n < 2)
		n = 2;
	write_pages(r, r->addr, p0, n, next_gen() | GEN_DUP);
	shared0 = ksm_read("pages_sharing");
	if (madvise(r->addr + p0 * PAGE, n * PAGE, MADV_MERGEABLE))
		die("ksm", "madvise MADV_MERGEABLE: %s", strerror(errno));
	scans = ksm_read("full_scans");
	for (end = now_s() + 20; ksm_read("full_scans") < scans + 2 && now_s() < end;)
		usleep(10000);
	if (ksm_read("pages_sharing") > shared0)
		ksm_merged += ksm_read("pages_sharing") - shared0;
	check_around(r, p0, n, "KSM merge");
	write_pages(r, r->addr, p0, 1 + rnd(n), next_gen());
	if (madvise(r->addr + p0 * PAGE, n * PAGE, MADV_UNMERGEABLE))
		die("ksm", "madvise MADV_UNMERGEABLE: %s", strerror(errno));
	check_around(r, p0, n, "KSM unmerge");
}

/* Reader threads: check the THP region over and over while it changes protection. */
static atomic_bool race_stop;
static atomic_uint_fast64_t race_bad, race_checks;

static void *reader(void *arg)
{
	struct region *r = arg;
	size_t np = r->len / PAGE, p;

	while (!atomic_load(&race_stop)) {
		for (p = 0; p < np && !atomic_load(&race_stop); p += BLOCK / PAGE)
			atomic_fetch_add(&race_bad, check_pages(r, r->addr, p, BLOCK / PAGE,
								"a protection change (reader thread)"));
		atomic_fetch_add(&race_checks, 1);
	}
	return NULL;
}

/*
 * opt.readers threads read and check while this one makes sub-ranges
 * read-only and writable again, rewrites them with the same data (write
 * faults, refolds) and ages them; counted as one op per change.
 */
static uint64_t op_race(uint64_t budget)
{
	pthread_t t[MAX_READERS];
	struct region *r = &reg[R_THP];
	size_t np = r->len / PAGE, p0, n, p;
	unsigned int i;
	uint64_t done = 0;

	atomic_store(&race_stop, false);
	for (i = 0; i < opt.readers; i++)
		if (pthread_create(&t[i], NULL, reader, r))
			die("race", "pthread_create: %s", strerror(errno));
	for (; done < budget; done++) {
		n = 1 + rnd(BLOCK / PAGE * 2);
		p0 = rnd(np - n);
		switch (rnd(3)) {
		case 0:
			if (mprotect(r->addr + p0 * PAGE, n * PAGE, PROT_READ) ||
			    mprotect(r->addr + p0 * PAGE, n * PAGE, PROT_READ | PROT_WRITE))
				die("race", "mprotect: %s", strerror(errno));
			break;
		case 1:
			/* the same bytes again: write faults, no change of content */
			for (p = p0; p < p0 + n; p++)
				fill_page(r, r->addr, p, r->gen[p]);
			break;
		default:
			if (madvise(r->addr + p0 * PAGE, n * PAGE, MADV_COLD))
				die("race", "madvise MADV_COLD: %s", strerror(errno));
		}
	}
	atomic_store(&race_stop, true);
	for (i = 0; i < opt.readers; i++)
		pthread_join(t[i], NULL);
	corrupt_bytes += atomic_exchange(&race_bad, 0);
	return done;
}

/* --- injection ---------------------------------------------------------- */

/*
 * What a broken unfold would do: a partial mprotect of a tmpfs block, and
 * one byte of it changed behind the model's back, through a second mapping
 * of the file; the check after the operation must report that offset.
 */
static void inject(void)
{
	struct region *r = &reg[R_TMPFS];
	size_t p0 = rnd(r->len / BLOCK) * (BLOCK / PAGE), off = p0 * PAGE + PAGE + rnd(PAGE);
	char *alias = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED, tmpfs_fd, 0);

	if (alias == MAP_FAILED)
		die("inject", "mmap a second view of the tmpfs file: %s", strerror(errno));
	if (mprotect(r->addr + p0 * PAGE + PAGE, PAGE, PROT_READ) ||
	    mprotect(r->addr + p0 * PAGE + PAGE, PAGE, PROT_READ | PROT_WRITE))
		die("inject", "mprotect: %s", strerror(errno));
	alias[off] ^= 0x5a;
	munmap(alias, r->len);
	fprintf(stderr, "integrity: inject: flipped tmpfs+0x%zx through a second mapping\n", off);
	check_around(r, p0, BLOCK / PAGE, "inject");
}

/* --- the run ------------------------------------------------------------ */

static json_t *stats_or_null(void)
{
	char err[256];
	json_t *s = contpte_stats_read(err, sizeof(err));

	if (!s && err[0])
		die("contpte", "%s", err);
	return s ? s : json_null();
}

/* folds, and unfolds of every reason, between two stats reads */
static void fold_totals(json_t *before, json_t *after, long long *folds, long long *unfolds,
			json_t **delta)
{
	const char *name;
	json_t *v;

	*folds = *unfolds = 0;
	*delta = json_null();
	if (!json_is_object(before) || !json_is_object(after))
		return;
	*delta = json_object();
	contpte_stats_add_delta(*delta, before, after);
	json_object_foreach(*delta, name, v) {
		if (!strcmp(name, "folds"))
			*folds += json_integer_value(v);
		else if (!strncmp(name, "unfold_", 7))
			*unfolds += json_integer_value(v);
	}
}

static json_t *folded_blocks(void)
{
	json_t *o = json_object();
	char err[256];
	int k;

	for (k = 0; k < R_NR; k++) {
		long b = contpte_blocks_in((uintptr_t)reg[k].addr, reg[k].len, err, sizeof(err));

		if (b < 0 && err[0])
			die("contpte", "%s", err);
		json_object_set_new(o, region_names[k], b < 0 ? json_null() : json_integer(b));
	}
	return o;
}

static void emit(json_t *rec)
{
	char err[256];

	if (emit_record(&em, rec, err, sizeof(err)))
		die("record", "%s", err);
}

static json_t *op_counts(void)
{
	json_t *o = json_object();
	int k;

	for (k = 0; k < OP_NR; k++)
		json_object_set_new(o, op_names[k], op_off[k] ? json_null() : json_integer(op_count[k]));
	return o;
}

static void disable(enum op_kind k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void disable(enum op_kind k, const char *fmt, ...)
{
	va_list ap;

	op_off[k] = true;
	va_start(ap, fmt);
	vsnprintf(op_why[k], sizeof(op_why[k]), fmt, ap);
	va_end(ap);
	fprintf(stderr, "integrity: %s: skipped: %s\n", op_names[k], op_why[k]);
}

/* What this machine and kernel offer; the rest is skipped with a reason. */
static void probe(void)
{
	char why[160], buf[64];
	int k;

	if (opt.skip) {
		char *s = strdup(opt.skip), *save = NULL, *w;

		for (w = strtok_r(s, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			for (k = 0; k < OP_NR && strcmp(w, op_names[k]); k++)
				;
			if (k == OP_NR) {
				fprintf(stderr, "integrity: --skip: no operation '%s'\n", w);
				exit(2);
			}
			disable(k, "--skip");
		}
		free(s);
	}
	if (!op_off[OP_SWAP] && !swap_active(why, sizeof(why)))
		disable(OP_SWAP, "%s", why);
	nr_nodes = node_count();
	if (!op_off[OP_MIGRATE] && nr_nodes < 2)
		disable(OP_MIGRATE, "one NUMA node");
	if (!op_off[OP_KSM]) {
		if (read_small_file("/sys/kernel/mm/ksm/run", buf, sizeof(buf)))
			disable(OP_KSM, "no /sys/kernel/mm/ksm (kernel without CONFIG_KSM)");
		else if (geteuid())
			disable(OP_KSM, "/sys/kernel/mm/ksm/run needs root");
		else {
			snprintf(ksm_saved, sizeof(ksm_saved), "%s", buf);
			if (ksm_write("run", "1"))
				disable(OP_KSM, "cannot write /sys/kernel/mm/ksm/run: %s", strerror(errno));
			atexit(ksm_restore);
		}
	}
	if (!op_off[OP_RACE] && !opt.readers)
		disable(OP_RACE, "--readers=0");
}

/* The operation mix: cheap ones often, expensive ones (fork, KSM, race) rarely. */
static enum op_kind choose(void)
{
	static const unsigned int weight[OP_NR] = {
		[OP_WRITE] = 10, [OP_MPROTECT] = 20, [OP_MUNMAP] = 8, [OP_MREMAP] = 10,
		[OP_DONTNEED] = 8, [OP_FREE] = 6, [OP_COLD] = 6, [OP_PAGEOUT] = 6,
		[OP_FORK] = 1, [OP_SWAP] = 4, [OP_MIGRATE] = 4, [OP_KSM] = 0, [OP_RACE] = 0,
	};
	unsigned int total = 0, x;
	int k;

	for (k = 0; k < OP_NR; k++)
		total += op_off[k] ? 0 : weight[k];
	x = rnd(total);
	for (k = 0; k < OP_NR; k++) {
		if (op_off[k])
			continue;
		if (x < weight[k])
			return k;
		x -= weight[k];
	}
	return OP_WRITE;
}

static void do_op(enum op_kind k)
{
	switch (k) {
	case OP_WRITE: op_write(); break;
	case OP_MPROTECT: op_mprotect(); break;
	case OP_MUNMAP: op_munmap(); break;
	case OP_MREMAP: op_mremap(); break;
	case OP_DONTNEED: case OP_FREE: case OP_COLD: case OP_PAGEOUT: op_madvise(k); break;
	case OP_FORK: op_fork(); break;
	case OP_SWAP: op_swap(); break;
	case OP_MIGRATE: op_migrate(); break;
	case OP_KSM: op_ksm(); break;
	default: break;
	}
	op_count[k]++;
}

static void usage(int code)
{
	fprintf(code ? stderr : stdout,
		"usage: integrity [--ops=N] [--seed=S] [--time=SECONDS] [--phase-ops=N] [--size=MB]\n"
		"                 [--readers=N] [--skip=op,...] [--out=FILE|-] [--inject]\n"
		"  --ops        operations in all (default 1000000)\n"
		"  --time       stop after this many seconds, whatever --ops says (default: none)\n"
		"  --phase-ops  operations between full checks and rebuilds (default 2000)\n"
		"  --size       MB per region, a multiple of 2 (default 4)\n"
		"  --readers    reader threads of the protection race (default 2, max %d)\n"
		"  --skip       operations not to do: write,mprotect,munmap,mremap,dontneed,free,\n"
		"               cold,pageout,fork,swap,migrate,ksm,race\n"
		"  --out        JSON Lines, one record per phase (default -: standard output)\n"
		"  --inject     corrupt one byte through a second mapping: the run must fail\n"
		"exit: 0 pass, 1 fail, 2 usage\n", MAX_READERS);
	exit(code);
}

static uint64_t num_arg(const char *name, const char *s, uint64_t lo, uint64_t hi)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "integrity: --%s=%s: a number in %llu..%llu\n", name, s,
			(unsigned long long)lo, (unsigned long long)hi);
		exit(2);
	}
	return v;
}

static void parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "ops", required_argument, NULL, 'n' }, { "seed", required_argument, NULL, 's' },
		{ "time", required_argument, NULL, 't' }, { "phase-ops", required_argument, NULL, 'p' },
		{ "size", required_argument, NULL, 'm' }, { "readers", required_argument, NULL, 'r' },
		{ "skip", required_argument, NULL, 'k' }, { "out", required_argument, NULL, 'o' },
		{ "inject", no_argument, NULL, 'i' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'n': opt.ops = num_arg("ops", optarg, 1, UINT64_MAX / 2); break;
		case 's': opt.seed = num_arg("seed", optarg, 0, UINT64_MAX); break;
		case 't': opt.time_limit = num_arg("time", optarg, 1, 1000000); break;
		case 'p': opt.phase_ops = num_arg("phase-ops", optarg, 1, 100000000); break;
		case 'm': opt.size = num_arg("size", optarg, 2, 1024) << 20; break;
		case 'r': opt.readers = num_arg("readers", optarg, 0, MAX_READERS); break;
		case 'k': opt.skip = optarg; break;
		case 'o': opt.out = optarg; break;
		case 'i': opt.inject = true; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind < argc || opt.size % PMD) {
		fprintf(stderr, "integrity: %s\n", optind < argc ? "no arguments besides options" :
			"--size must be a multiple of 2 (MB)");
		exit(2);
	}
}

static json_t *start_record(json_t *stats0, const char *enabled)
{
	json_t *o = json_object(), *skipped = json_object();
	struct utsname u;
	int k;

	uname(&u);
	for (k = 0; k < OP_NR; k++)
		if (op_off[k])
			json_object_set_new(skipped, op_names[k], json_string(op_why[k]));
	json_object_set_new(o, "type", json_string("start"));
	json_object_set_new(o, "kernel", json_string(u.release));
	json_object_set_new(o, "arch", json_string(u.machine));
	json_object_set_new(o, "ops", json_integer(opt.ops));
	json_object_set_new(o, "seed", json_integer(opt.seed));
	json_object_set_new(o, "phase_ops", json_integer(opt.phase_ops));
	json_object_set_new(o, "region_bytes", json_integer(opt.size));
	json_object_set_new(o, "readers", json_integer(opt.readers));
	json_object_set_new(o, "inject", json_boolean(opt.inject));
	json_object_set_new(o, "numa_nodes", json_integer(nr_nodes));
	json_object_set_new(o, "tmpfs", json_string(tmpfs_note));
	json_object_set_new(o, "skipped", skipped);
	json_object_set_new(o, "contpte_enabled", enabled ? json_string(enabled) : json_null());
	json_object_set_new(o, "contpte_stats", json_deep_copy(stats0));
	return o;
}

int main(int argc, char **argv)
{
	uint64_t ops = 0, phase = 0, order0_folded = 0;
	long long folds = 0, unfolds = 0;
	json_t *stats0, *stats1, *delta, *first_thp = NULL;
	char enabled_buf[16], err[256], cp[96];
	const char *enabled = NULL;
	bool timed_out = false, fail;
	double t0 = now_s();

	parse(argc, argv);
	setvbuf(stderr, NULL, _IOLBF, 0);
	rng = splitmix(opt.seed);
	if (emit_open(&em, opt.out, err, sizeof(err)))
		die("setup", "%s", err);
	signal(SIGPIPE, SIG_IGN);
	probe();
	regions_init();
	snprintf(cp, sizeof(cp), "/sys/kernel/mm/contpte/enabled");
	if (!read_small_file(cp, enabled_buf, sizeof(enabled_buf)))
		enabled = enabled_buf;
	stats0 = stats_or_null();
	emit(start_record(stats0, enabled));

	while (ops < opt.ops && !timed_out && !corrupt_bytes) {
		uint64_t end = ops + opt.phase_ops < opt.ops ? ops + opt.phase_ops : opt.ops;
		uint64_t corrupt_before = corrupt_bytes, inject_at = (ops + end) / 2;
		json_t *ps0 = stats_or_null(), *ps1, *rec, *blocks, *pd, *thp;
		long long pf, pu;
		double tp = now_s();

		regions_build();
		thp = thp_proof();
		if (phase == 0)
			first_thp = json_incref(thp);
		/* the first corruption ends the run: later checks would repeat it */
		while (ops < end && !corrupt_bytes) {
			if (opt.inject && phase == 0 && ops == inject_at)
				inject();
			if (!op_off[OP_RACE] && ops % 500 == 250 && end - ops > 50) {
				uint64_t n = op_race(50);

				op_count[OP_RACE] += n;
				ops += n;
			} else if (!op_off[OP_KSM] && ops % 1000 == 500) {
				do_op(OP_KSM);
				ops++;
			} else {
				do_op(choose());
				ops++;
			}
			if (opt.time_limit && (ops & 63) == 0 && now_s() - t0 > opt.time_limit) {
				timed_out = true;
				break;
			}
		}
		/* the folded blocks as the phase left them, before the full check */
		blocks = folded_blocks();
		if (json_is_integer(json_object_get(blocks, "small")))
			order0_folded += json_integer_value(json_object_get(blocks, "small"));
		if (!corrupt_bytes)
			check_all("the phase (full check)");
		ps1 = stats_or_null();
		fold_totals(ps0, ps1, &pf, &pu, &pd);
		rec = json_object();
		json_object_set_new(rec, "type", json_string("phase"));
		json_object_set_new(rec, "phase", json_integer(phase));
		json_object_set_new(rec, "ops", json_integer(ops));
		json_object_set_new(rec, "elapsed_s", json_real(now_s() - tp));
		json_object_set_new(rec, "corrupt_bytes", json_integer(corrupt_bytes - corrupt_before));
		json_object_set_new(rec, "op_counts", op_counts());
		json_object_set_new(rec, "thp_pages_at_start", thp);
		json_object_set_new(rec, "folded_blocks", blocks);
		json_object_set_new(rec, "contpte_delta", pd);
		emit(rec);
		json_decref(ps0);
		json_decref(ps1);
		phase++;
	}

	stats1 = stats_or_null();
	fold_totals(stats0, stats1, &folds, &unfolds, &delta);
	fail = corrupt_bytes > 0;
	{
		json_t *rec = json_object();

		json_object_set_new(rec, "type", json_string("end"));
		json_object_set_new(rec, "ops", json_integer(ops));
		json_object_set_new(rec, "phases", json_integer(phase));
		json_object_set_new(rec, "elapsed_s", json_real(now_s() - t0));
		json_object_set_new(rec, "timed_out", json_boolean(timed_out));
		json_object_set_new(rec, "corrupt_bytes", json_integer(corrupt_bytes));
		json_object_set_new(rec, "op_counts", op_counts());
		json_object_set_new(rec, "swapped_pages", json_integer(swapped_pages));
		json_object_set_new(rec, "migrated_pages", json_integer(migrated_pages));
		json_object_set_new(rec, "ksm_pages_merged", json_integer(ksm_merged));
		json_object_set_new(rec, "order0_folded_blocks", json_is_object(stats1) ?
				    json_integer(order0_folded) : json_null());
		json_object_set_new(rec, "contpte_delta", json_deep_copy(delta));
		emit(rec);
	}

	fprintf(stderr, "integrity: %" PRIu64 " ops in %" PRIu64 " phases, %.1f s%s, corrupt bytes %" PRIu64
		"; swapped %" PRIu64 ", migrated %" PRIu64 ", KSM-merged %" PRIu64 " pages; ",
		ops, phase, now_s() - t0, timed_out ? " (time bound reached)" : "", corrupt_bytes,
		swapped_pages, migrated_pages, ksm_merged);
	if (first_thp) {
		int k;

		fprintf(stderr, "THP pages at the start:");
		for (k = 0; k < R_NR; k++) {
			json_t *v = json_object_get(first_thp, region_names[k]);

			if (json_is_integer(v))
				fprintf(stderr, " %s %lld/%zu", region_names[k],
					json_integer_value(v), opt.size / PAGE);
			else
				fprintf(stderr, " %s ?", region_names[k]);
		}
		fprintf(stderr, "; ");
		json_decref(first_thp);
	}
	if (!json_is_object(stats1)) {
		fprintf(stderr, "contpte counters: not available (no %s/stats): integrity only\n",
			contpte_dir());
	} else {
		const char *name;
		json_t *v;

		fprintf(stderr, "contpte (enabled=%s): %lld folds, %lld unfolds, %" PRIu64
			" order-0 blocks folded; moved:", enabled ? enabled : "?", folds, unfolds,
			order0_folded);
		/* every counter that moved, by the kernel's names */
		json_object_foreach(delta, name, v)
			if (json_integer_value(v))
				fprintf(stderr, " %s %lld", name, (long long)json_integer_value(v));
		fputc('\n', stderr);
		if (enabled && !strcmp(enabled, "1") && (!folds || !unfolds)) {
			fprintf(stderr, "integrity: FAIL: contpte is enabled but the run %s\n",
				!folds ? "folded nothing" : "unfolded nothing");
			fail = true;
		}
		if (order0_folded) {
			fprintf(stderr, "integrity: FAIL: the order-0 control region had folded blocks\n");
			fail = true;
		}
	}
	if (corrupt_bytes)
		fprintf(stderr, "integrity: FAIL: %" PRIu64 " corrupt bytes\n", corrupt_bytes);
	fprintf(stderr, "integrity: %s\n", fail ? "FAIL" : "PASS");
	json_decref(stats0);
	json_decref(stats1);
	json_decref(delta);
	emit_close(&em);
	return fail ? 1 : 0;
}
