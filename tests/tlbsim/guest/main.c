// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - bare-metal aarch64 guest whose TLB misses can be counted by hand.
 *
 * It builds its own stage-1 tables (4K granule; TTBR0 with a 48-bit VA and
 * ASIDs, TTBR1 with a 39-bit VA), with 16 CONT PTEs over a 64K buffer, a
 * run of plain 4K pages, 2M blocks (the first 16 of them CONT) and a 1G
 * device block, turns the MMU on, and runs the regions listed in
 * run_guest_test.py, each marked with tlbsim_region.h.  Every region only
 * touches pages whose TLB state the test knows, so the plugin's refill and
 * walk counts can be compared with exact numbers, with contpte on and off.
 */
#include <stdint.h>

#include "guest.h"
#include "tlbsim_region.h"

/* virt PL011 data register; volatile: every store is a device write */
#define UART_DR		((volatile uint32_t *)0x09000000)
#define PAGE		4096ull
#define RAM_BASE	0x40000000ull
#define RAM_2M_BLOCKS	64		/* identity-map 128 MiB */
#define USER_BLOCK	32		/* 0x44000000: the .utext block */
#define CONT_RUN	16		/* descriptors per contiguous run */
#define PLAIN_PAGES	64

/* VAs of the test mappings */
#define VA_BUF		0x0000008000000000ull	/* TTBR0, L0 index 1 */
#define VA_CONT		VA_BUF				/* 16 CONT PTEs */
#define VA_PLAIN	(VA_BUF + CONT_RUN * PAGE)	/* plain PTEs */
#define VA_HI		0xffffff8000000000ull	/* TTBR1 base, 39-bit VA */
#define TAG		0x5aull			/* TBI tag for the tbi region */

/* descriptor bits */
#define D_TABLE		3ull
#define D_BLOCK		1ull
#define D_PAGE		3ull
#define D_ATTR(i)	((uint64_t)(i) << 2)	/* MAIR index */
#define D_AP_RW_EL1	(0ull << 6)
#define D_AP_RW_ALL	(1ull << 6)
#define D_AP_RO_ALL	(3ull << 6)
#define D_SH_INNER	(3ull << 8)
#define D_AF		(1ull << 10)
#define D_NG		(1ull << 11)
#define D_CONT		(1ull << 52)
#define D_PXN		(1ull << 53)
#define D_UXN		(1ull << 54)
#define MAIR_DEVICE	0	/* attr0: Device-nGnRnE (0x00) */
#define MAIR_NORMAL	1	/* attr1: Normal WB RW-allocate (0xff) */
#define NORMAL		(D_ATTR(MAIR_NORMAL) | D_SH_INNER | D_AF)

/*
 * TCR: 48-bit TTBR0, 39-bit TTBR1, 4K granules, WB walks, 8-bit ASID in
 * TTBR0 (A1=0), 48-bit IPS, TBI0 on.
 */
#define TCR_VALUE	(16ull | (1ull << 8) | (1ull << 10) | (3ull << 12) | \
			 (25ull << 16) | (1ull << 24) | (1ull << 26) | \
			 (3ull << 28) | (2ull << 30) | (5ull << 32) | (1ull << 37))
/* SCTLR: RES1 bits 29,28,23(SPAN),22,20,11 + I, C, M */
#define SCTLR_VALUE	((1ull << 29) | (1ull << 28) | (1ull << 23) | \
			 (1ull << 22) | (1ull << 20) | (1ull << 11) | \
			 (1ull << 12) | (1ull << 2) | 1ull)
#define ASID_SHIFT	48

#define write_sysreg(v, r) \
	do { \
		__asm__ volatile("msr " #r ", %0" \
				 : : "r"((uint64_t)(v)) : "memory"); \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" : : : "memory");
}

#define TABLE __aligned(4096)
static uint64_t l0_lo[512] TABLE, l1_lo[512] TABLE, l2_ram[512] TABLE;
static uint64_t l1_buf[512] TABLE, l2_buf[512] TABLE, l3_buf[512] TABLE;
static uint64_t l1_hi[512] TABLE, l2_hi[512] TABLE, l3_hi[512] TABLE;
static uint8_t buf_cont[CONT_RUN * PAGE] __aligned(65536);
static uint8_t buf_plain[PLAIN_PAGES * PAGE] TABLE;

#ifdef TLBSIM_BENCH
/*
 * Benchmark builds (make bench-tlbsim), one per TLBSIM_BENCH value:
 *
 *   BENCH_HIT  a 4 MiB buffer behind 1024 plain 4K PTEs, summed a word at
 *              a time with a little arithmetic per load: 512 loads per
 *              page, so nearly every access hits the page just used;
 *   BENCH_L1   one load from each of 64 pages, cycled: 64 pages do not fit
 *              the 48-entry L1 D-TLB, so with LRU every access is an L1
 *              miss and an L2 hit;
 *   BENCH_L2   one load from each of 2048 pages, cycled: 8 pages per set
 *              of the 5-way L2 (256 sets with 4K entries), so with LRU
 *              every access misses both TLBs and walks.
 *
 * The buffer sits behind 2048 4K PTEs (8 MiB, four L3 tables) in all
 * three, so the builds differ only in their loop.
 */
#define BENCH_HIT	1
#define BENCH_L1	2
#define BENCH_L2	3
#define BENCH_PAGES	2048
#define BENCH_L3	(BENCH_PAGES / 512)
#define VA_BENCH	(VA_BUF + 0x200000ull)	/* L2 index 1 */
static uint64_t l3_bench[BENCH_L3][512] TABLE;
static uint8_t buf_bench[BENCH_PAGES * PAGE] TABLE;
#endif

static void puts_(const char *s)
{
	while (*s)
		*UART_DR = *s++;
}

static void puthex(uint64_t v)
{
	int i;

	puts_("0x");
	for (i = 60; i >= 0; i -= 4)
		*UART_DR = "0123456789abcdef"[(v >> i) & 0xf];
}

void report_exception(uint64_t vec, uint64_t esr, uint64_t elr, uint64_t far)
{
	puts_("guest: unexpected exception vec ");
	puthex(vec);
	puts_(" esr ");
	puthex(esr);
	puts_(" elr ");
	puthex(elr);
	puts_(" far ");
	puthex(far);
	puts_("\n");
}

static void build_tables(void)
{
	uint64_t i, attr;

	l0_lo[0] = (uint64_t)l1_lo | D_TABLE;
	l0_lo[1] = (uint64_t)l1_buf | D_TABLE;
	/* level-1 1G device block holding the UART */
	l1_lo[0] = 0 | D_BLOCK | D_ATTR(MAIR_DEVICE) | D_AF | D_PXN | D_UXN;
	l1_lo[1] = (uint64_t)l2_ram | D_TABLE;
	for (i = 0; i < RAM_2M_BLOCKS; i++) {
		attr = NORMAL | D_AP_RW_EL1 | D_UXN;
		if (i < CONT_RUN)
			attr |= D_CONT;		/* one 32M CONT PMD run */
		if (i == USER_BLOCK)
			attr = NORMAL | D_AP_RO_ALL | D_PXN;
		l2_ram[i] = (RAM_BASE + (i << 21)) | D_BLOCK | attr;
	}
	l1_buf[0] = (uint64_t)l2_buf | D_TABLE;
	l2_buf[0] = (uint64_t)l3_buf | D_TABLE;
#ifdef TLBSIM_BENCH
	for (i = 0; i < BENCH_PAGES; i++)
		l3_bench[i / 512][i % 512] = ((uint64_t)buf_bench + i * PAGE) |
					     D_PAGE | NORMAL | D_AP_RW_EL1 |
					     D_PXN | D_UXN;
	for (i = 0; i < BENCH_L3; i++)
		l2_buf[1 + i] = (uint64_t)l3_bench[i] | D_TABLE;
#endif
	for (i = 0; i < CONT_RUN; i++)
		l3_buf[i] = ((uint64_t)buf_cont + i * PAGE) | D_PAGE | NORMAL |
			    D_AP_RW_ALL | D_NG | D_CONT | D_PXN | D_UXN;
	for (i = 0; i < PLAIN_PAGES; i++)
		l3_buf[CONT_RUN + i] = ((uint64_t)buf_plain + i * PAGE) |
				       D_PAGE | NORMAL | D_AP_RW_ALL | D_PXN |
				       D_UXN;
	/* TTBR1: global CONT alias of buf_cont at the bottom of the range */
	l1_hi[0] = (uint64_t)l2_hi | D_TABLE;
	l2_hi[0] = (uint64_t)l3_hi | D_TABLE;
	for (i = 0; i < CONT_RUN; i++)
		l3_hi[i] = ((uint64_t)buf_cont + i * PAGE) | D_PAGE | NORMAL |
			   D_AP_RW_EL1 | D_CONT | D_PXN | D_UXN;
}

static void set_asid(uint64_t asid)
{
	write_sysreg((uint64_t)l0_lo | asid << ASID_SHIFT, ttbr0_el1);
	isb();
}

static void mmu_on(void)
{
	dsb_ish();
	write_sysreg(0xff00ull, mair_el1);	/* attr1 normal, attr0 device */
	write_sysreg(TCR_VALUE, tcr_el1);
	set_asid(1);
	write_sysreg((uint64_t)l1_hi, ttbr1_el1);
	isb();
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb_ish();
	isb();
	write_sysreg(SCTLR_VALUE, sctlr_el1);
	isb();
}

static void tlbi_va(uint64_t va, uint64_t asid)
{
	__asm__ volatile("tlbi vae1is, %0"
			 : : "r"((va >> 12) | asid << ASID_SHIFT) : "memory");
	dsb_ish();
	isb();
}

static void tlbi_asid(uint64_t asid)
{
	__asm__ volatile("tlbi aside1is, %0" : : "r"(asid << ASID_SHIFT)
			 : "memory");
	dsb_ish();
	isb();
}

#ifdef TLBSIM_BENCH
/* volatile: every word must really be loaded, through the plugin */
static const volatile uint64_t *const bench_buf =
	(const volatile uint64_t *)VA_BENCH;

#if TLBSIM_BENCH == BENCH_HIT
#define BENCH_ROUNDS	200
static uint64_t bench(void)
{
	uint64_t sum = 0, r, i;

	for (r = 0; r < BENCH_ROUNDS; r++)
		for (i = 0; i < 1024 * PAGE / 8; i++)
			sum = (sum ^ bench_buf[i]) * 3 + (sum >> 7) + i;
	return sum;
}
#else
#if TLBSIM_BENCH == BENCH_L1
#define BENCH_CYCLE	64
#define BENCH_ROUNDS	100000		/* 6.4 M loads */
#else
#define BENCH_CYCLE	BENCH_PAGES
#define BENCH_ROUNDS	1000		/* 2 M loads, each a walk */
#endif
/* one load per page with the hit build's arithmetic per load */
static uint64_t bench(void)
{
	uint64_t sum = 0, r, i;

	for (r = 0; r < BENCH_ROUNDS; r++)
		for (i = 0; i < BENCH_CYCLE; i++)
			sum = (sum ^ bench_buf[i * (PAGE / 8)]) * 3 +
			      (sum >> 7) + i;
	return sum;
}
#endif
#endif

int main(void)
{
	puts_("tlbsim guest: start\n");
	build_tables();
	mmu_on();
#ifdef TLBSIM_BENCH
	tlbsim_region_begin(100, "bench");
	if (bench() == 42)	/* keep the result live */
		puts_("tlbsim guest: unlikely sum\n");
	tlbsim_region_end(100);
	return 0;
#endif

	tlbsim_region_begin(1, "cont16");
	touch_pages(VA_CONT, CONT_RUN, 8);
	tlbsim_region_end(1);

	tlbsim_region_begin(2, "tbi");
	touch_pages(VA_CONT | TAG << 56, CONT_RUN, 1);
	tlbsim_region_end(2);

	tlbsim_region_begin(3, "tlbi-va");
	tlbi_va(VA_CONT + 5 * PAGE, 1);
	touch_pages(VA_CONT, CONT_RUN, 1);
	tlbsim_region_end(3);

	tlbsim_region_begin(4, "asid");
	set_asid(2);
	touch_pages(VA_CONT, CONT_RUN, 1);
	set_asid(1);
	touch_pages(VA_CONT, CONT_RUN, 1);
	tlbsim_region_end(4);

	touch_pages(VA_PLAIN, 1, 1);
	tlbsim_region_begin(5, "aside-global");
	tlbi_asid(1);
	touch_pages(VA_PLAIN, 1, 1);
	touch_pages(VA_CONT, CONT_RUN, 1);
	tlbsim_region_end(5);

	tlbsim_region_begin(6, "lru-49");
	touch_pages(VA_PLAIN + 8 * PAGE, 49, 4);
	tlbsim_region_end(6);

	warm_then_measure(VA_PLAIN + 8 * PAGE, 48, 4, "lru-48", 7);

	tlbsim_region_begin(8, "ttbr1-cont16");
	touch_pages(VA_HI, CONT_RUN, 2);
	tlbsim_region_end(8);

	set_asid(3);
	run_user((uint64_t)user_touch, VA_CONT);
	set_asid(1);

	puts_("tlbsim guest: done\n");
	return 0;
}
