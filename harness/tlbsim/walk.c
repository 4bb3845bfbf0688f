// SPDX-License-Identifier: GPL-2.0
/*
 * walk.c - the arm64 stage-1 EL1&0 translation regime and its table walk.
 *
 * tlbsim cannot use QEMU's walker (the plugin API exposes no page size and
 * no descriptor bits) nor qemu_plugin_read_memory_vaddr (it applies the
 * current permissions), so it walks the guest tables itself through a
 * caller-supplied physical reader.  Supported: the 4K granule with any
 * T0SZ/T1SZ from 16 (48-bit VA, start level 0) to 39 (25-bit, level 3),
 * table, block (levels 1 and 2) and page descriptors, and the contiguous
 * and nG bits of the leaf.  Permissions and the access flag are not
 * checked: a memory callback only fires for accesses that succeeded.
 */
#include "tlbsim.h"

/* TCR_EL1 fields (Arm ARM D19.2.139) */
#define TCR_T0SZ(t)	((t) & 0x3f)		/* [5:0] */
#define TCR_EPD0	(1ull << 7)
#define TCR_TG0(t)	(((t) >> 14) & 3)	/* 00 = 4K */
#define TCR_T1SZ(t)	(((t) >> 16) & 0x3f)	/* [21:16] */
#define TCR_A1		(1ull << 22)		/* ASID comes from TTBR1 */
#define TCR_EPD1	(1ull << 23)
#define TCR_TG1(t)	(((t) >> 30) & 3)	/* 10 = 4K (other encoding) */
#define TCR_AS		(1ull << 36)		/* 16-bit ASID */
#define TG0_4K		0
#define TG1_4K		2

#define SCTLR_M		(1ull << 0)		/* stage-1 MMU enable */

/* Output address bits [47:12] of a descriptor or TTBR (no 52-bit PA). */
#define OA_MASK		0x0000fffffffff000ull
/* TTBR BADDR: a table of at least 8 entries is 64-byte aligned. */
#define TTBR_BADDR_MASK	0x0000ffffffffffc0ull

#define DESC_VALID	(1ull << 0)
#define DESC_TABLE	(1ull << 1)		/* table or level-3 page */
#define DESC_NG		(1ull << 11)
#define DESC_CONT	(1ull << 52)

#define GRANULE_SHIFT	12	/* 4K */
#define LEVEL_BITS	9	/* 512 descriptors per 4K table */
#define MIN_TSZ		16	/* 48-bit VA; 52-bit (LPA2) not modelled */
#define MAX_TSZ		39	/* one level-3 table */

void regime_update(struct regime *r)
{
	uint64_t ttbr = (r->tcr & TCR_A1) ? r->ttbr1 : r->ttbr0;

	r->mmu_on = r->sctlr & SCTLR_M;
	r->asid = ttbr >> 48;
	if (!(r->tcr & TCR_AS))
		r->asid &= 0xff;
}

static bool select_half(const struct regime *r, uint64_t va, uint64_t *ttbr,
			unsigned int *tsz, struct walk_result *w)
{
	bool upper = (va >> 55) & 1;
	uint64_t top;

	if (upper) {
		if ((r->tcr & TCR_EPD1))
			return false;
		if (TCR_TG1(r->tcr) != TG1_4K) {
			w->status = WALK_UNSUPPORTED;
			return false;
		}
		*tsz = TCR_T1SZ(r->tcr);
		*ttbr = r->ttbr1;
	} else {
		if ((r->tcr & TCR_EPD0))
			return false;
		if (TCR_TG0(r->tcr) != TG0_4K) {
			w->status = WALK_UNSUPPORTED;
			return false;
		}
		*tsz = TCR_T0SZ(r->tcr);
		*ttbr = r->ttbr0;
	}
	if (*tsz < MIN_TSZ)
		*tsz = MIN_TSZ;
	if (*tsz > MAX_TSZ)
		*tsz = MAX_TSZ;
	/* bits [55:64-tsz] must all equal bit 55 */
	top = (va << 8) >> (8 + 64 - *tsz);
	return upper ? top == (1ull << (*tsz - 8)) - 1 : top == 0;
}

void walk(const struct regime *r, uint64_t va, phys_read_fn rd, void *ctx,
	  struct walk_result *w)
{
	unsigned int tsz, vabits, levels, level, shift, bits;
	uint64_t ttbr, table, desc;

	w->status = WALK_FAULT;
	w->steps = 0;
	va = va_strip_tbi(va);
	if (!select_half(r, va, &ttbr, &tsz, w))
		return;
	vabits = 64 - tsz;
	levels = (vabits - GRANULE_SHIFT + LEVEL_BITS - 1) / LEVEL_BITS;
	level = 4 - levels;
	bits = vabits - (GRANULE_SHIFT + LEVEL_BITS * (3 - level));
	table = ttbr & TTBR_BADDR_MASK;
	for (;; level++, bits = LEVEL_BITS) {
		shift = GRANULE_SHIFT + LEVEL_BITS * (3 - level);
		if (!rd(ctx, table + ((va >> shift) & ((1ull << bits) - 1)) * 8,
			&desc)) {
			w->status = WALK_BUS;
			return;
		}
		w->steps++;
		if (!(desc & DESC_VALID))
			return;
		if (level < 3 && (desc & DESC_TABLE)) {
			table = desc & OA_MASK;
			continue;
		}
		/* level-3 needs bit 1; there are no level-0 blocks */
		if (level == 0 || (level == 3 && !(desc & DESC_TABLE)))
			return;
		break;
	}
	w->level = level;
	w->shift = shift;
	w->pa = (desc & OA_MASK & ~((1ull << shift) - 1)) |
		(va & ((1ull << shift) - 1));
	w->cont = desc & DESC_CONT;
	w->global = !(desc & DESC_NG);
	w->status = WALK_OK;
}
