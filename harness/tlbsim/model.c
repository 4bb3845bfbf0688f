// SPDX-License-Identifier: GPL-2.0
/*
 * model.c - one vCPU's TLB hierarchy: L1 I-TLB, L1 D-TLB, unified L2 TLB.
 *
 * A data access looks up the L1 D-TLB; a miss there (l1d_tlb_refill) looks
 * up the L2 (l2d_tlb); a miss there (l2d_tlb_refill, dtlb_walk) walks the
 * tables and fills the L2, and the L1 is filled from the L2 entry.  The
 * fetch side is the same with the L1 I-TLB and itlb_walk.  With contpte on,
 * a leaf whose contiguous bit is set fills one entry for the whole aligned
 * run of 16 descriptors (64K at level 3, 32M at level 2 with the 4K
 * granule), split to the largest size each TLB holds; with contpte off the
 * walk is the same and the entry has the descriptor's own size.
 *
 * The per-side memo remembers the 4K page of the last L1 hit or fill.  That
 * entry is the most recently used one, so a repeat access to the page is a
 * hit that changes no replacement state and can skip the lookup.  Anything
 * that may drop or replace that entry clears the memo.
 */
#include <string.h>

#include "tlbsim.h"

/* With the 4K granule a contiguous run is 16 descriptors: 2^4. */
#define CONT_SHIFT_4K	4

#define TLBSIM_CTR_NAME(id, name) name,
const char *const tlbsim_ctr_names[CTR_NR] = {
	TLBSIM_COUNTERS(TLBSIM_CTR_NAME)
};
#undef TLBSIM_CTR_NAME

int tlbsim_cpu_init(struct tlbsim_cpu *c, const struct tlbsim_model_cfg *m,
		    phys_read_fn rd, void *rd_ctx)
{
	memset(c, 0, sizeof(*c));
	if (tlb_init(&c->l1i, &m->l1i))
		goto err;
	if (tlb_init(&c->l1d, &m->l1d))
		goto err_l1i;
	if (tlb_init(&c->l2, &m->l2))
		goto err_l1d;
	c->contpte = m->contpte;
	c->rd = rd;
	c->rd_ctx = rd_ctx;
	regime_update(&c->reg);
	return 0;
err_l1d:
	tlb_free(&c->l1d);
err_l1i:
	tlb_free(&c->l1i);
err:
	return -1;
}

void tlbsim_cpu_free(struct tlbsim_cpu *c)
{
	tlb_free(&c->l2);
	tlb_free(&c->l1d);
	tlb_free(&c->l1i);
}

static void forget_memos(struct tlbsim_cpu *c)
{
	c->d_memo = false;
	c->i_memo = false;
}

void tlbsim_set_sysreg(struct tlbsim_cpu *c, int reg, uint64_t val)
{
	switch (reg) {
	case SYSREG_TTBR0:
		c->reg.ttbr0 = val;
		break;
	case SYSREG_TTBR1:
		c->reg.ttbr1 = val;
		break;
	case SYSREG_TCR:
		c->reg.tcr = val;
		break;
	case SYSREG_SCTLR:
		c->reg.sctlr = val;
		break;
	default:
		return;
	}
	regime_update(&c->reg);
	forget_memos(c);
}

/* L2 lookup, and on a miss the walk and L2 fill; NULL if the walk fails. */
static struct tlb_entry *l2_translate(struct tlbsim_cpu *c, uint64_t va,
				      uint64_t *ctr, enum tlbsim_ctr walk_ctr)
{
	struct tlb_entry *e;
	struct walk_result w;
	unsigned int shift;

	ctr[CTR_L2D_TLB]++;
	e = tlb_lookup(&c->l2, va, c->reg.asid);
	if (e)
		return e;
	ctr[CTR_L2D_TLB_REFILL]++;
	ctr[walk_ctr]++;
	walk(&c->reg, va, c->rd, c->rd_ctx, &w);
	ctr[CTR_WALK_STEPS] += w.steps;
	if (w.status != WALK_OK) {
		ctr[CTR_WALK_FAULTS]++;
		return NULL;
	}
	shift = w.shift;
	if (w.level < 3)
		ctr[CTR_BLOCK_FILLS]++;
	if (w.cont) {
		ctr[CTR_WALK_CONT]++;
		if (c->contpte)
			shift += CONT_SHIFT_4K;
	}
	e = tlb_fill(&c->l2, va, w.pa, shift, c->reg.asid, w.global);
	/* coalesced: the entry is larger than the descriptor's own size */
	if (e && e->shift > w.shift)
		ctr[CTR_CONT_FILLS]++;
	return e;
}

/* The L1 half shared by both sides; returns false if nothing translates. */
static bool l1_access(struct tlbsim_cpu *c, struct tlb *l1, uint64_t va,
		      uint64_t *ctr, enum tlbsim_ctr refill,
		      enum tlbsim_ctr walk_ctr, uint64_t *pa)
{
	struct tlb_entry *e, *e2;
	uint64_t pa2;

	e = tlb_lookup(l1, va, c->reg.asid);
	if (e) {
		*pa = e->pa + (va - e->va);
		return true;
	}
	ctr[refill]++;
	e2 = l2_translate(c, va, ctr, walk_ctr);
	if (!e2)
		return false;
	pa2 = e2->pa + (va - e2->va);
	if (!tlb_fill(l1, va, pa2, e2->shift, e2->asid, e2->global))
		return false;
	*pa = pa2;
	return true;
}

/* tlbsim_data() when the access is not to the memo'd page. */
bool tlbsim_data_slow(struct tlbsim_cpu *c, uint64_t va, enum tlbsim_el el,
		      uint64_t *pa)
{
	uint64_t *ctr = c->ctr.v[el];
	uint64_t page;

	va = va_strip_tbi(va);
	if (!c->reg.mmu_on) {
		ctr[CTR_MMU_OFF]++;
		*pa = va;
		return true;
	}
	ctr[CTR_L1D_TLB]++;
	page = va >> SZ_4K_SHIFT;
	if (c->d_memo && page == c->d_page) {
		*pa = c->d_pa | (va & (TLB_SZ(SZ_4K_SHIFT) - 1));
		return true;
	}
	c->d_memo = l1_access(c, &c->l1d, va, ctr, CTR_L1D_TLB_REFILL,
			      CTR_DTLB_WALK, pa);
	c->d_page = page;
	c->d_pa = *pa & ~(TLB_SZ(SZ_4K_SHIFT) - 1);
	return c->d_memo;
}

/*
 * One instruction-side lookup for the 4K page holding va.  count_access is
 * false when the caller counts l1i_tlb itself (the plugin does so inline).
 */
bool tlbsim_fetch(struct tlbsim_cpu *c, uint64_t va, enum tlbsim_el el,
		  bool count_access)
{
	uint64_t *ctr = c->ctr.v[el];
	uint64_t page, pa;

	va = va_strip_tbi(va);
	if (!c->reg.mmu_on) {
		ctr[CTR_MMU_OFF] += count_access;
		return true;
	}
	if (count_access)
		ctr[CTR_L1I_TLB]++;
	page = va >> SZ_4K_SHIFT;
	if (c->i_memo && page == c->i_page)
		return true;
	c->i_memo = l1_access(c, &c->l1i, va, ctr, CTR_L1I_TLB_REFILL,
			      CTR_ITLB_WALK, &pa);
	c->i_page = page;
	return c->i_memo;
}

/* A side-effect-free translation, for reading guest strings. */
bool tlbsim_translate(struct tlbsim_cpu *c, uint64_t va, uint64_t *pa)
{
	struct walk_result w;

	va = va_strip_tbi(va);
	if (!c->reg.mmu_on) {
		*pa = va;
		return true;
	}
	walk(&c->reg, va, c->rd, c->rd_ctx, &w);
	*pa = w.pa;
	return w.status == WALK_OK;
}

/*
 * The modelled cycles of a set of counters, into modelled_cycles (user and
 * kernel each): one cycle per instruction, which is what -icount makes
 * guest time, plus what the TLBs cost on top of it on the modelled core.
 *
 *   modelled_cycles = model_instructions
 *                + l2d_tlb * cost.l2              (L1 misses looked up in L2)
 *                + walk_steps * cost.walk_step    (descriptors the walks read)
 *                + tlbi_* * cost.tlbi             (TLBIs issued)
 *                + tlbi_sync_local * cost.sync_local
 *                + tlbi_sync_broadcast * cost.sync_broadcast
 *
 * It is an estimate of where the time goes, not a timing model: no overlap
 * of a miss with other work, no walk cache.  The inputs are all counters,
 * so a reader can redo the sum.
 */
void tlbsim_model_cycles(struct tlbsim_counters *c,
			 const struct tlbsim_costs *k)
{
	static const enum tlbsim_ctr tlbis[] = {
		CTR_TLBI_ALL, CTR_TLBI_ASID, CTR_TLBI_VA, CTR_TLBI_VAA,
		CTR_TLBI_RANGE, CTR_TLBI_OTHER,
	};
	unsigned int el, i;

	for (el = 0; el < EL_NR; el++) {
		uint64_t *v = c->v[el];
		uint64_t n = v[CTR_MODEL_INSTRUCTIONS];

		n += v[CTR_L2D_TLB] * k->l2;
		n += v[CTR_WALK_STEPS] * k->walk_step;
		for (i = 0; i < sizeof(tlbis) / sizeof(tlbis[0]); i++)
			n += v[tlbis[i]] * k->tlbi;
		n += v[CTR_TLBI_SYNC_LOCAL] * k->sync_local;
		n += v[CTR_TLBI_SYNC_BROADCAST] * k->sync_broadcast;
		v[CTR_MODELLED_CYCLES] = n;
	}
}
