// SPDX-License-Identifier: GPL-2.0
/*
 * test_model.c - cmocka unit tests of the tlbsim model on synthetic traces.
 *
 * No QEMU: the tests build page tables in a fake guest RAM array and drive
 * the TLB structure, the walker, the per-vCPU model, the TLBI and MSR
 * decoders and the argument parser directly, checking the properties the
 * plugin's numbers rest on (LRU behaviour, one refill per contiguous run,
 * invalidation of whole 64K entries, ASID and global semantics).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tlbsim.h"

#define RAM_BASE	0x40000000ull
#define RAM_PAGES	64
#define PAGE		4096ull
#define VA_CONT		0x0000008000000000ull	/* L0 index 1 */
#define D_TABLE		3ull
#define D_PAGE		3ull
#define D_BLOCK		1ull
#define D_AF		(1ull << 10)
#define D_NG		(1ull << 11)
#define D_CONT		(1ull << 52)
#define TCR_48BIT_4K	(16ull | (25ull << 16) | (2ull << 30))	/* T0SZ, T1SZ, TG1 */

static uint64_t ram[RAM_PAGES * 512];

static bool ram_rd(void *ctx, uint64_t pa, uint64_t *v)
{
	(void)ctx;
	if (pa < RAM_BASE || pa - RAM_BASE >= sizeof(ram))
		return false;
	*v = ram[(pa - RAM_BASE) / 8];
	return true;
}

static uint64_t *table(unsigned int page)
{
	return &ram[page * 512];
}

static uint64_t pa_of(unsigned int page)
{
	return RAM_BASE + page * PAGE;
}

/*
 * Tables: page 0 L0, 1 L1, 2 L2, 3 L3.  VA_CONT + i*4K -> data page 16+i
 * (i < 16, CONT, nG), VA_CONT + 2M -> 2M block at RAM_BASE, 1G block at
 * VA 1G -> RAM_BASE; TTBR1 (39-bit) page 4 L1 -> 5 L2 -> 6 L3 -> page 32.
 */
static void build(bool ng)
{
	unsigned int i;

	memset(ram, 0, sizeof(ram));
	table(0)[1] = pa_of(1) | D_TABLE;
	table(0)[0] = pa_of(7) | D_TABLE;
	table(7)[1] = RAM_BASE | D_BLOCK | D_AF;		/* 1G block */
	table(1)[0] = pa_of(2) | D_TABLE;
	table(2)[0] = pa_of(3) | D_TABLE;
	table(2)[1] = RAM_BASE | D_BLOCK | D_AF;		/* 2M block */
	for (i = 0; i < 16; i++)
		table(3)[i] = pa_of(16 + i) | D_PAGE | D_AF | D_CONT |
			      (ng ? D_NG : 0);
	table(4)[0] = pa_of(5) | D_TABLE;
	table(5)[0] = pa_of(6) | D_TABLE;
	table(6)[0] = pa_of(32) | D_PAGE | D_AF;
}

static const struct tlb_geom fa4k = { 8, 8, TLB_SZ(12), TLB_REPL_LRU };

static struct tlbsim_model_cfg a76(bool contpte)
{
	const struct core_preset *p = core_find("cortex-a76");
	struct tlbsim_model_cfg m = { p->l1i, p->l1d, p->l2, contpte, p->cost };

	return m;
}

static void cpu_up(struct tlbsim_cpu *c, bool contpte, uint16_t asid)
{
	struct tlbsim_model_cfg m = a76(contpte);

	assert_int_equal(tlbsim_cpu_init(c, &m, ram_rd, NULL), 0);
	tlbsim_set_sysreg(c, SYSREG_TCR, TCR_48BIT_4K);
	tlbsim_set_sysreg(c, SYSREG_TTBR0, pa_of(0) | (uint64_t)asid << 48);
	tlbsim_set_sysreg(c, SYSREG_TTBR1, pa_of(4));
	tlbsim_set_sysreg(c, SYSREG_SCTLR, 1);
}

static unsigned int cycle(struct tlb *t, unsigned int pages, unsigned int rounds)
{
	unsigned int r, p, misses = 0;

	for (r = 0; r < rounds; r++)
		for (p = 0; p < pages; p++)
			if (!tlb_lookup(t, p * PAGE, 1)) {
				misses++;
				assert_non_null(tlb_fill(t, p * PAGE, p * PAGE,
							 12, 1, false));
			}
	return misses;
}

/*
 * The reference TLB: the scanning implementation tlb.c had before it got
 * its hash chains, free bitmap and use-order list (issue 16), kept here to
 * check that tlb.c returns the same entry and picks the same victim on
 * every operation.  A lookup scans the ways (after the hint, when fully
 * associative); a victim is the first free way, else a random one, else
 * the one with the smallest stamp.
 */
#define REF_MAX_ENTRIES	2048

struct ref_tlb {
	struct tlb_geom g;
	unsigned int sets;
	uint64_t clock, rng;
	struct tlb_entry e[REF_MAX_ENTRIES];
	uint32_t hint[TLB_HINT_SLOTS];
};

static void ref_init(struct ref_tlb *t, const struct tlb_geom *g)
{
	memset(t, 0, sizeof(*t));
	assert_true(g->entries <= REF_MAX_ENTRIES);
	t->g = *g;
	t->sets = g->entries / g->ways;
	t->rng = 0x9e3779b97f4a7c15ull;	/* tlb.c's TLB_RNG_SEED */
}

static bool ref_hits(const struct tlb_entry *e, uint64_t va, uint16_t asid)
{
	return e->shift && !((va ^ e->va) >> e->shift) &&
	       (e->global || e->asid == asid);
}

static struct tlb_entry *ref_lookup(struct ref_tlb *t, uint64_t va,
				    uint16_t asid)
{
	unsigned int slot = (va >> 12) % TLB_HINT_SLOTS, i;
	struct tlb_entry *e = NULL, *set;
	uint64_t sizes = t->g.sizes;

	if (t->sets == 1) {
		if (t->hint[slot] < t->g.ways &&
		    ref_hits(&t->e[t->hint[slot]], va, asid))
			e = &t->e[t->hint[slot]];
		for (i = 0; !e && i < t->g.ways; i++)
			if (ref_hits(&t->e[i], va, asid)) {
				t->hint[slot] = i;
				e = &t->e[i];
			}
	}
	while (t->sets > 1 && !e && sizes) {
		unsigned int shift = __builtin_ctzll(sizes);

		sizes &= sizes - 1;
		set = &t->e[((va >> shift) % t->sets) * t->g.ways];
		for (i = 0; !e && i < t->g.ways; i++)
			if (set[i].shift == shift && ref_hits(&set[i], va, asid))
				e = &set[i];
	}
	if (e && t->g.repl == TLB_REPL_LRU)
		e->stamp = ++t->clock;
	return e;
}

static struct tlb_entry *ref_fill(struct ref_tlb *t, uint64_t va, uint64_t pa,
				  unsigned int shift, uint16_t asid, bool global)
{
	unsigned int fit = tlb_fit_shift(t->g.sizes, shift), i;
	struct tlb_entry *set, *v = NULL;

	if (!fit)
		return NULL;
	set = &t->e[((va >> fit) % t->sets) * t->g.ways];
	for (i = 0; !v && i < t->g.ways; i++)
		if (!set[i].shift)
			v = &set[i];
	if (!v && t->g.repl == TLB_REPL_RANDOM) {
		t->rng ^= t->rng << 13;
		t->rng ^= t->rng >> 7;
		t->rng ^= t->rng << 17;
		v = &set[t->rng % t->g.ways];
	}
	if (!v) {
		v = &set[0];
		for (i = 1; i < t->g.ways; i++)
			if (set[i].stamp < v->stamp)
				v = &set[i];
	}
	v->va = va & ~(TLB_SZ(fit) - 1);
	v->pa = pa & ~(TLB_SZ(fit) - 1);
	v->shift = fit;
	v->asid = asid;
	v->global = global;
	v->stamp = ++t->clock;
	if (t->sets == 1)
		t->hint[(va >> 12) % TLB_HINT_SLOTS] = v - t->e;
	return v;
}

/* kind 0: range [start, end) of asid (any: every ASID); 1: asid; 2: all */
static unsigned int ref_inval(struct ref_tlb *t, int kind, uint64_t start,
			      uint64_t end, uint16_t asid, bool any)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->g.entries; i++) {
		struct tlb_entry *e = &t->e[i];
		uint64_t last = e->va + (TLB_SZ(e->shift) - 1);
		bool drop;

		if (!e->shift)
			continue;
		if (kind == 0)
			drop = end > start && e->va <= end - 1 && last >= start &&
			       (any || e->global || e->asid == asid);
		else if (kind == 1)
			drop = !e->global && e->asid == asid;
		else
			drop = true;
		if (drop) {
			e->shift = 0;
			n++;
		}
	}
	return n;
}

static uint64_t rnd_state;

static uint64_t rnd(uint64_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state % n;
}

static void same_entry(const struct tlb *t, const struct tlb_entry *e,
		       const struct ref_tlb *r, const struct tlb_entry *f)
{
	assert_true(!e == !f);
	if (!e)
		return;
	assert_int_equal(e - t->e, f - r->e);
	assert_int_equal(e->va, f->va);
	assert_int_equal(e->pa, f->pa);
	assert_int_equal(e->shift, f->shift);
	assert_int_equal(e->asid, f->asid);
	assert_int_equal(e->global, f->global);
}

static void same_contents(const struct tlb *t, const struct ref_tlb *r)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->g.entries; i++) {
		assert_int_equal(t->e[i].shift, r->e[i].shift);
		if (!r->e[i].shift)
			continue;
		same_entry(t, &t->e[i], r, &r->e[i]);
		n++;
	}
	assert_int_equal(tlb_valid_entries(t), n);
}

/*
 * One random stream through tlb.c and the reference.  The VAs are drawn
 * from a few MiB so entries of every size overlap, ASIDs from a few, a
 * fifth of the fills global, and some fills come without the lookup that
 * precedes a fill in the model: that makes two valid entries for one
 * address (a global one and an ASID's, a 4K one under a 64K one), the
 * case where which entry a lookup returns depends on how it searches.
 */
static void diff_stream(const struct tlb_geom *g, unsigned int ops,
			uint64_t seed)
{
	static const unsigned int shifts[] = { 12, 14, 16, 20, 21, 24, 25, 29, 30 };
	static struct ref_tlb r;
	struct tlb t;
	unsigned int i;

	rnd_state = seed;
	assert_int_equal(tlb_init(&t, g), 0);
	ref_init(&r, g);
	for (i = 0; i < ops; i++) {
		uint64_t va = rnd(2048) << 12 | rnd(4096);
		uint64_t pa = rnd(1ull << 36);
		uint16_t asid = rnd(4);
		unsigned int shift = rnd(4) ? 12 : shifts[rnd(9)];
		bool global = !rnd(5);
		unsigned int op = rnd(100);
		uint64_t len = rnd(64) << 12;

		if (op < 70) {
			struct tlb_entry *e = tlb_lookup(&t, va, asid);

			same_entry(&t, e, &r, ref_lookup(&r, va, asid));
			if (!e)
				same_entry(&t, tlb_fill(&t, va, pa, shift, asid, global),
					   &r, ref_fill(&r, va, pa, shift, asid, global));
		} else if (op < 85) {
			same_entry(&t, tlb_fill(&t, va, pa, shift, asid, global),
				   &r, ref_fill(&r, va, pa, shift, asid, global));
		} else if (op < 93) {
			assert_int_equal(tlb_inval_range(&t, va, va + len, asid, op & 1),
					 ref_inval(&r, 0, va, va + len, asid, op & 1));
		} else if (op < 97) {
			assert_int_equal(tlb_inval_va(&t, va, asid, op & 1),
					 ref_inval(&r, 0, va, va + 1, asid, op & 1));
		} else if (op < 99) {
			assert_int_equal(tlb_inval_asid(&t, asid),
					 ref_inval(&r, 1, 0, 0, asid, false));
		} else if (!rnd(20)) {
			assert_int_equal(tlb_inval_all(&t), ref_inval(&r, 2, 0, 0, 0, false));
		}
		if (!(i % 97))
			same_contents(&t, &r);
	}
	same_contents(&t, &r);
	tlb_free(&t);
}

static void test_tlb_matches_reference(void **state)
{
	const struct core_preset *a76 = core_find("cortex-a76");
	const uint64_t many = TLB_SZ(12) | TLB_SZ(16) | TLB_SZ(21) | TLB_SZ(30);
	const struct tlb_geom geoms[] = {
		a76->l1d, a76->l1i, a76->l2,
		{ 8, 8, many, TLB_REPL_LRU },
		{ 8, 8, many, TLB_REPL_FIFO },
		{ 48, 48, a76->l1d.sizes, TLB_REPL_RANDOM },
		{ 300, 300, many, TLB_REPL_LRU },	/* > 256 hint slots, > 64 */
		{ 64, 4, many, TLB_REPL_FIFO },
		{ 16, 2, many, TLB_REPL_RANDOM },
		{ 1280, 5, TLB_SZ(12), TLB_REPL_LRU },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(geoms) / sizeof(geoms[0]); i++) {
		diff_stream(&geoms[i], 40000, 0x1234567ull + i);
		diff_stream(&geoms[i], 40000, 0xfeedfaceull * (i + 1));
	}
}

static void test_lru_n_plus_1_always_misses(void **state)
{
	struct tlb t;

	(void)state;
	assert_int_equal(tlb_init(&t, &fa4k), 0);
	assert_int_equal(cycle(&t, 9, 10), 90);
	tlb_free(&t);
}

static void test_lru_n_hits_after_warmup(void **state)
{
	struct tlb t;

	(void)state;
	assert_int_equal(tlb_init(&t, &fa4k), 0);
	assert_int_equal(cycle(&t, 8, 1), 8);
	assert_int_equal(cycle(&t, 8, 10), 0);
	tlb_free(&t);
}

static void test_set_assoc_conflicts(void **state)
{
	/* 2 ways x 4 sets: pages 0, 4, 8 share set 0 and thrash it */
	struct tlb_geom g = { 8, 2, TLB_SZ(12), TLB_REPL_LRU };
	struct tlb t;
	unsigned int r, misses = 0;

	(void)state;
	assert_int_equal(tlb_init(&t, &g), 0);
	for (r = 0; r < 5; r++) {
		uint64_t p;

		for (p = 0; p < 12; p += 4)
			if (!tlb_lookup(&t, p * PAGE, 1)) {
				misses++;
				tlb_fill(&t, p * PAGE, 0, 12, 1, false);
			}
	}
	assert_int_equal(misses, 15);
	tlb_free(&t);
}

static unsigned int touch_cont(struct tlbsim_cpu *c, unsigned int rounds)
{
	unsigned int r, i;
	uint64_t pa;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < 16; i++) {
			assert_true(tlbsim_data(c, VA_CONT + i * PAGE + 8,
						EL_USER, &pa));
			assert_int_equal(pa, pa_of(16 + i) + 8);
		}
	return c->ctr.v[EL_USER][CTR_L1D_TLB_REFILL];
}

static void test_cont_one_refill(void **state)
{
	struct tlbsim_cpu c;

	(void)state;
	build(true);
	cpu_up(&c, true, 1);
	assert_int_equal(touch_cont(&c, 4), 1);
	assert_int_equal(c.ctr.v[EL_USER][CTR_DTLB_WALK], 1);
	assert_int_equal(c.ctr.v[EL_USER][CTR_CONT_FILLS], 1);
	assert_int_equal(c.ctr.v[EL_USER][CTR_L1D_TLB], 64);
	tlbsim_cpu_free(&c);
}

static void test_cont_off_sixteen_refills(void **state)
{
	struct tlbsim_cpu c;

	(void)state;
	build(true);
	cpu_up(&c, false, 1);
	assert_int_equal(touch_cont(&c, 4), 16);
	assert_int_equal(c.ctr.v[EL_USER][CTR_DTLB_WALK], 16);
	assert_int_equal(c.ctr.v[EL_USER][CTR_WALK_CONT], 16);
	assert_int_equal(c.ctr.v[EL_USER][CTR_CONT_FILLS], 0);
	tlbsim_cpu_free(&c);
}

static void test_tlbi_va_drops_64k_entry(void **state)
{
	struct tlbsim_cpu c;
	struct tlbi_op op;

	(void)state;
	build(true);
	cpu_up(&c, true, 1);
	touch_cont(&c, 1);
	decode_tlbi(0xd5088325, &op);	/* tlbi vae1is, x5 */
	assert_int_equal(op.kind, TLBI_K_VA);
	/* page 5 of the run, ASID 1: drops the 64K entry in L1D and L2 */
	assert_int_equal(tlbsim_apply_tlbi(&c, op.kind,
					   (VA_CONT + 5 * PAGE) >> 12 | 1ull << 48),
			 2);
	assert_int_equal(touch_cont(&c, 1), 2);
	assert_int_equal(c.ctr.v[EL_USER][CTR_DTLB_WALK], 2);
	/* another ASID's TLBI by VA leaves the nG entry alone */
	assert_int_equal(tlbsim_apply_tlbi(&c, op.kind,
					   (VA_CONT + 5 * PAGE) >> 12 | 7ull << 48),
			 0);
	tlbsim_cpu_free(&c);
}

static void test_tlbi_range(void **state)
{
	struct tlbsim_cpu c;
	struct tlbi_op op;
	uint64_t xt;

	(void)state;
	build(true);
	cpu_up(&c, false, 1);
	touch_cont(&c, 1);
	decode_tlbi(0xd5088229, &op);	/* tlbi rvae1is, x9 */
	assert_int_equal(op.kind, TLBI_K_RVA);
	assert_true(op.broadcast);
	/* ASID 1, TG=4K, SCALE=0, NUM=1: (1+1)*2 = 4 pages from page 2 */
	xt = 1ull << 48 | 1ull << 46 | 1ull << 39 | ((VA_CONT >> 12) + 2);
	assert_int_equal(tlbsim_apply_tlbi(&c, op.kind, xt), 8);
	assert_int_equal(touch_cont(&c, 1), 20);
	tlbsim_cpu_free(&c);
}

static void test_asid_isolation(void **state)
{
	struct tlbsim_cpu c;

	(void)state;
	build(true);
	cpu_up(&c, true, 1);
	touch_cont(&c, 1);
	tlbsim_set_sysreg(&c, SYSREG_TTBR0, pa_of(0) | 2ull << 48);
	assert_int_equal(touch_cont(&c, 1), 2);
	tlbsim_set_sysreg(&c, SYSREG_TTBR0, pa_of(0) | 1ull << 48);
	assert_int_equal(touch_cont(&c, 1), 2);	/* ASID 1 entry still there */
	tlbsim_cpu_free(&c);
}

static void test_global_survives_asid_flush(void **state)
{
	struct tlb t;

	(void)state;
	assert_int_equal(tlb_init(&t, &fa4k), 0);
	tlb_fill(&t, 0x1000, 0, 12, 1, true);
	tlb_fill(&t, 0x2000, 0, 12, 1, false);
	assert_null(tlb_lookup(&t, 0x2000, 2));
	assert_non_null(tlb_lookup(&t, 0x1000, 2));
	assert_int_equal(tlb_inval_asid(&t, 1), 1);
	assert_non_null(tlb_lookup(&t, 0x1000, 1));
	assert_null(tlb_lookup(&t, 0x2000, 1));
	tlb_free(&t);
}

static void test_global_survives_aside1_in_model(void **state)
{
	struct tlbsim_cpu c;
	uint64_t pa;

	(void)state;
	build(false);			/* global CONT pages */
	cpu_up(&c, true, 1);
	touch_cont(&c, 1);
	assert_int_equal(tlbsim_apply_tlbi(&c, TLBI_K_ASID, 1ull << 48), 0);
	assert_true(tlbsim_data(&c, VA_CONT, EL_USER, &pa));
	assert_int_equal(c.ctr.v[EL_USER][CTR_L1D_TLB_REFILL], 1);
	tlbsim_cpu_free(&c);
}

static void test_walk_blocks_ttbr1_tbi(void **state)
{
	struct tlbsim_cpu c;
	struct walk_result w;

	(void)state;
	build(true);
	cpu_up(&c, true, 1);
	walk(&c.reg, VA_CONT + 0x200000 + 0x1234, ram_rd, NULL, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.level, 2);
	assert_int_equal(w.shift, 21);
	assert_int_equal(w.pa, RAM_BASE + 0x1234);
	walk(&c.reg, 0x40000000ull + 0x123456, ram_rd, NULL, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.level, 1);
	assert_int_equal(w.pa, RAM_BASE + 0x123456);
	/* TTBR1 with T1SZ=25: three levels from level 1 */
	walk(&c.reg, 0xffffff8000000010ull, ram_rd, NULL, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.steps, 3);
	assert_int_equal(w.pa, pa_of(32) + 0x10);
	/* a tagged pointer walks like the untagged one */
	walk(&c.reg, VA_CONT | 0x5aull << 56, ram_rd, NULL, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_true(w.cont);
	assert_false(w.global);
	/* outside the 39-bit TTBR1 range */
	walk(&c.reg, 0xffff000000000000ull, ram_rd, NULL, &w);
	assert_int_equal(w.status, WALK_FAULT);
	tlbsim_cpu_free(&c);
}

static void test_cont_pmd_split(void **state)
{
	const struct core_preset *p = core_find("cortex-a76");

	(void)state;
	/* a 32M CONT PMD range: 2M pieces in the L1D, one entry in L1I/L2 */
	assert_int_equal(tlb_fit_shift(p->l1d.sizes, 25), 21);
	assert_int_equal(tlb_fit_shift(p->l1i.sizes, 25), 25);
	assert_int_equal(tlb_fit_shift(p->l2.sizes, 25), 25);
	/* a 1G block: 512M in the L1D, 32M in the L1I */
	assert_int_equal(tlb_fit_shift(p->l1d.sizes, 30), 29);
	assert_int_equal(tlb_fit_shift(p->l1i.sizes, 30), 25);
}

static void test_decode(void **state)
{
	struct tlbi_op op;
	unsigned int rt;

	(void)state;
	decode_tlbi(0xd508831f, &op);		/* tlbi vmalle1is */
	assert_int_equal(op.kind, TLBI_K_ALL);
	assert_true(op.broadcast);
	decode_tlbi(0xd5088346, &op);		/* tlbi aside1is, x6 */
	assert_int_equal(op.kind, TLBI_K_ASID);
	assert_int_equal(op.rt, 6);
	decode_tlbi(0xd50883a7, &op);		/* tlbi vale1is, x7 */
	assert_int_equal(op.kind, TLBI_K_VA);
	decode_tlbi(0xd5088728, &op);		/* tlbi vae1, x8 */
	assert_int_equal(op.kind, TLBI_K_VA);
	assert_false(op.broadcast);
	decode_tlbi(0xd503201f, &op);		/* nop */
	assert_int_equal(op.kind, TLBI_NONE);
	assert_int_equal(decode_msr(0xd5182003, &rt), SYSREG_TTBR0);
	assert_int_equal(rt, 3);
	assert_int_equal(decode_msr(0xd5182021, &rt), SYSREG_TTBR1);
	assert_int_equal(decode_msr(0xd5182042, &rt), SYSREG_TCR);
	assert_int_equal(decode_msr(0xd5181000, &rt), SYSREG_SCTLR);
	assert_int_equal(decode_msr(0xd5382000, &rt), SYSREG_NONE); /* mrs */
}

/* l2_sizes=4k: a contiguous walk has nothing larger to fill, so no cont_fill */
static void test_cont_fills_counts_what_was_filled(void **state)
{
	struct tlbsim_model_cfg m = a76(true);
	struct tlbsim_cpu c;

	(void)state;
	build(true);
	m.l2.sizes = TLB_SZ(12);
	assert_int_equal(tlbsim_cpu_init(&c, &m, ram_rd, NULL), 0);
	tlbsim_set_sysreg(&c, SYSREG_TCR, TCR_48BIT_4K);
	tlbsim_set_sysreg(&c, SYSREG_TTBR0, pa_of(0) | 1ull << 48);
	tlbsim_set_sysreg(&c, SYSREG_TTBR1, pa_of(4));
	tlbsim_set_sysreg(&c, SYSREG_SCTLR, 1);
	assert_int_equal(touch_cont(&c, 1), 16);
	assert_int_equal(c.ctr.v[EL_USER][CTR_WALK_CONT], 16);
	assert_int_equal(c.ctr.v[EL_USER][CTR_CONT_FILLS], 0);
	tlbsim_cpu_free(&c);
}

static void test_model_cycles(void **state)
{
	struct tlbsim_costs k = { 3, 9, 1, 20, 300, "" };
	struct tlbsim_counters c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.v[EL_USER][CTR_MODEL_INSTRUCTIONS] = 1000;
	c.v[EL_USER][CTR_L2D_TLB] = 10;
	c.v[EL_USER][CTR_WALK_STEPS] = 8;
	c.v[EL_KERNEL][CTR_MODEL_INSTRUCTIONS] = 50;
	c.v[EL_KERNEL][CTR_TLBI_ASID] = 2;
	c.v[EL_KERNEL][CTR_TLBI_VA] = 3;
	c.v[EL_KERNEL][CTR_TLBI_SYNC_LOCAL] = 1;
	c.v[EL_KERNEL][CTR_TLBI_SYNC_BROADCAST] = 2;
	/* counters the sum must not charge */
	c.v[EL_USER][CTR_L1D_TLB_REFILL] = 10;
	c.v[EL_KERNEL][CTR_TLBI_BROADCAST] = 5;
	c.v[EL_KERNEL][CTR_TLBI_DROPPED] = 40;
	tlbsim_model_cycles(&c, &k);
	assert_int_equal(c.v[EL_USER][CTR_MODELLED_CYCLES], 1000 + 30 + 72);
	assert_int_equal(c.v[EL_KERNEL][CTR_MODELLED_CYCLES], 50 + 5 + 20 + 600);
}

static void test_decode_dsb(void **state)
{
	(void)state;
	assert_true(decode_dsb(0xd5033b9f));	/* dsb ish */
	assert_true(decode_dsb(0xd503379f));	/* dsb nsh */
	assert_true(decode_dsb(0xd5033f9f));	/* dsb sy */
	assert_true(decode_dsb(0xd5033a9f));	/* dsb ishst */
	assert_true(decode_dsb(0xd5033a3f));	/* dsb ishnxs */
	assert_false(decode_dsb(0xd503309f));	/* ssbb */
	assert_false(decode_dsb(0xd503349f));	/* pssbb */
	assert_false(decode_dsb(0xd5033bbf));	/* dmb ish */
	assert_false(decode_dsb(0xd5033fdf));	/* isb */
}

static int parse(struct tlbsim_config *cfg, char *err, const char *a0,
		 const char *a1, const char *a2, const char *a3)
{
	char *const argv[] = { (char *)a0, (char *)a1, (char *)a2, (char *)a3 };
	int argc = 0;

	while (argc < 4 && argv[argc])
		argc++;
	return tlbsim_parse_args(cfg, argc, (char **)argv, err, 256);
}

static void test_args_ok(void **state)
{
	struct tlbsim_config cfg;
	char err[256];

	(void)state;
	assert_int_equal(parse(&cfg, err, "mem=/m", "l2_ways=8", "out=/o",
			       "core=neoverse-n2"), 0);
	assert_string_equal(cfg.core, "neoverse-n2");
	assert_int_equal(cfg.model.l2.entries, 1536);
	assert_int_equal(cfg.model.l2.ways, 8);	/* override after preset */
	assert_true(cfg.model.contpte);
	assert_int_equal(parse(&cfg, err, "mem=/m", "out=/o", "contpte=off",
			       "l1d_sizes=4k+2m"), 0);
	assert_false(cfg.model.contpte);
	assert_int_equal(cfg.model.l1d.sizes, TLB_SZ(12) | TLB_SZ(21));
	assert_int_equal(parse(&cfg, err, "mem=/m", "out=/o", "l1d_entries=64",
			       "l1d_repl=fifo"), 0);
	assert_int_equal(cfg.model.l1d.ways, 64);	/* still fully assoc */
	assert_int_equal(cfg.model.l1d.repl, TLB_REPL_FIFO);
	/* costs come from the preset unless an argument sets one */
	assert_int_equal(parse(&cfg, err, "mem=/m", "out=/o", "core=neoverse-n1",
			       NULL), 0);
	assert_int_equal(cfg.model.cost.l2, core_find("neoverse-n1")->cost.l2);
	assert_false(cfg.cost_set);
	assert_int_equal(parse(&cfg, err, "mem=/m", "out=/o", "cost_walk_step=40",
			       "cost_sync_broadcast=0"), 0);
	assert_int_equal(cfg.model.cost.walk_step, 40);
	assert_int_equal(cfg.model.cost.sync_broadcast, 0);
	assert_int_equal(cfg.model.cost.l2, core_find("cortex-a76")->cost.l2);
	assert_true(cfg.cost_set);
}

static void expect_reject(const char *bad, const char *named)
{
	struct tlbsim_config cfg;
	char err[256];

	assert_int_equal(parse(&cfg, err, "mem=/m", "out=/o", bad, NULL), -1);
	assert_non_null(strstr(err, named));
}

static void test_args_rejected(void **state)
{
	struct tlbsim_config cfg;
	char err[256];

	(void)state;
	expect_reject("bogus=1", "bogus");
	expect_reject("contpte=maybe", "contpte");
	expect_reject("check=", "check");
	expect_reject("l1d_entries=12x", "l1d_entries");
	expect_reject("l1d_entries=-3", "l1d_entries");
	expect_reject("l2_sizes=3k", "l2_sizes");
	expect_reject("l2_sizes=64k", "4k");	/* no 4K */
	expect_reject("l2_ways=7", "l2");		/* 1280 % 7 */
	expect_reject("core=pentium", "pentium");
	expect_reject("nokey", "nokey");
	expect_reject("l1d_colour=blue", "l1d_colour");
	expect_reject("cost_l2=x", "cost_l2");
	expect_reject("cost_walk_step=-1", "cost_walk_step");
	expect_reject("cost_dram=9", "cost_dram");
	assert_int_equal(parse(&cfg, err, "out=/o", NULL, NULL, NULL), -1);
	assert_non_null(strstr(err, "mem"));
	assert_int_equal(parse(&cfg, err, "mem=/m", NULL, NULL, NULL), -1);
	assert_non_null(strstr(err, "out"));
}

static void test_presets(void **state)
{
	const struct core_preset *p;
	size_t n, i;

	(void)state;
	p = core_table(&n);
	assert_true(n >= 5);
	for (i = 0; i < n; i++) {
		struct tlb t;

		assert_int_equal(tlb_init(&t, &p[i].l1i), 0);
		tlb_free(&t);
		assert_int_equal(tlb_init(&t, &p[i].l1d), 0);
		tlb_free(&t);
		assert_int_equal(tlb_init(&t, &p[i].l2), 0);
		tlb_free(&t);
	}
	assert_non_null(core_find("cortex-a57"));
	assert_non_null(core_find("neoverse-v1"));
	assert_true(core_find("cortex-a76")->verified);
	assert_false(core_find("neoverse-v1")->verified);
	assert_false(core_find("neoverse-n2")->verified);
	/* every preset has costs, and says which of them are estimates */
	for (i = 0; i < n; i++) {
		assert_true(p[i].cost.l2 > 0 && p[i].cost.walk_step > 0);
		assert_non_null(p[i].cost.estimated);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lru_n_plus_1_always_misses),
		cmocka_unit_test(test_lru_n_hits_after_warmup),
		cmocka_unit_test(test_set_assoc_conflicts),
		cmocka_unit_test(test_tlb_matches_reference),
		cmocka_unit_test(test_cont_one_refill),
		cmocka_unit_test(test_cont_off_sixteen_refills),
		cmocka_unit_test(test_tlbi_va_drops_64k_entry),
		cmocka_unit_test(test_tlbi_range),
		cmocka_unit_test(test_asid_isolation),
		cmocka_unit_test(test_global_survives_asid_flush),
		cmocka_unit_test(test_global_survives_aside1_in_model),
		cmocka_unit_test(test_walk_blocks_ttbr1_tbi),
		cmocka_unit_test(test_cont_pmd_split),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_dsb),
		cmocka_unit_test(test_cont_fills_counts_what_was_filled),
		cmocka_unit_test(test_model_cycles),
		cmocka_unit_test(test_args_ok),
		cmocka_unit_test(test_args_rejected),
		cmocka_unit_test(test_presets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
