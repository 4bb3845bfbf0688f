// SPDX-License-Identifier: GPL-2.0
/*
 * tlb.c - one set-associative TLB that holds entries of several sizes.
 *
 * An entry maps one naturally aligned VA range of 2^shift bytes to a PA,
 * tagged with an ASID unless global.  A set-associative TLB indexes each
 * size with the VA bits just above that size (set = (va >> shift) % sets)
 * and probes every size it holds, the usual way multi-size TLBs are
 * modelled.  A fully associative TLB (one set) keeps a small direct-mapped
 * hint from 4K page to way so a hit costs one compare instead of a scan;
 * the hint is only a guess and is always verified against the entry.
 * Invalidation drops every entry that contains the address, whatever its
 * size, so a TLBI of one 4K page drops the whole 64K contiguous entry.
 */
#include <stdlib.h>
#include <string.h>

#include "tlbsim.h"

/* xorshift64 seed for random replacement: any non-zero constant works. */
#define TLB_RNG_SEED	0x9e3779b97f4a7c15ull

unsigned int tlb_fit_shift(uint64_t sizes, unsigned int shift)
{
	uint64_t fit;

	if (shift >= 63)
		shift = 63;
	fit = sizes & ((2ull << shift) - 1);
	if (!fit)
		return 0;
	return 63 - __builtin_clzll(fit);
}

int tlb_init(struct tlb *t, const struct tlb_geom *g)
{
	memset(t, 0, sizeof(*t));
	if (!g->entries || !g->ways || g->entries % g->ways)
		return -1;
	if (!(g->sizes & TLB_SZ(SZ_4K_SHIFT)))
		return -1;
	t->g = *g;
	t->sets = g->entries / g->ways;
	t->rng = TLB_RNG_SEED;
	t->e = calloc(g->entries, sizeof(*t->e));
	if (!t->e)
		return -1;
	return 0;
}

void tlb_free(struct tlb *t)
{
	free(t->e);
	t->e = NULL;
}

static inline bool entry_hits(const struct tlb_entry *e, uint64_t va,
			      uint16_t asid)
{
	return e->shift && !((va ^ e->va) >> e->shift) &&
	       (e->global || e->asid == asid);
}

static inline unsigned int hint_slot(uint64_t va)
{
	return (va >> SZ_4K_SHIFT) & (TLB_HINT_SLOTS - 1);
}

static inline void touch(struct tlb *t, struct tlb_entry *e)
{
	if (t->g.repl == TLB_REPL_LRU)
		e->stamp = ++t->clock;
}

static struct tlb_entry *lookup_fa(struct tlb *t, uint64_t va, uint16_t asid)
{
	unsigned int slot = hint_slot(va);
	uint32_t w = t->hint[slot];
	unsigned int i;

	if (w < t->g.ways && entry_hits(&t->e[w], va, asid))
		return &t->e[w];
	for (i = 0; i < t->g.ways; i++) {
		if (entry_hits(&t->e[i], va, asid)) {
			t->hint[slot] = i;
			return &t->e[i];
		}
	}
	return NULL;
}

static struct tlb_entry *lookup_sa(struct tlb *t, uint64_t va, uint16_t asid)
{
	uint64_t sizes = t->g.sizes;

	while (sizes) {
		unsigned int shift = __builtin_ctzll(sizes);
		struct tlb_entry *set;
		unsigned int i;

		sizes &= sizes - 1;
		set = &t->e[((va >> shift) % t->sets) * t->g.ways];
		for (i = 0; i < t->g.ways; i++)
			if (set[i].shift == shift && entry_hits(&set[i], va, asid))
				return &set[i];
	}
	return NULL;
}

struct tlb_entry *tlb_lookup(struct tlb *t, uint64_t va, uint16_t asid)
{
	struct tlb_entry *e;

	e = t->sets == 1 ? lookup_fa(t, va, asid) : lookup_sa(t, va, asid);
	if (e)
		touch(t, e);
	return e;
}

static uint64_t rng_next(struct tlb *t)
{
	t->rng ^= t->rng << 13;
	t->rng ^= t->rng >> 7;
	t->rng ^= t->rng << 17;
	return t->rng;
}

static struct tlb_entry *victim(struct tlb *t, struct tlb_entry *set)
{
	struct tlb_entry *v = &set[0];
	unsigned int i;

	for (i = 0; i < t->g.ways; i++)
		if (!set[i].shift)
			return &set[i];
	if (t->g.repl == TLB_REPL_RANDOM)
		return &set[rng_next(t) % t->g.ways];
	for (i = 1; i < t->g.ways; i++)
		if (set[i].stamp < v->stamp)
			v = &set[i];
	return v;
}

/*
 * Fill the entry covering va from a translation of 2^shift bytes whose PA
 * for va is pa.  The entry gets the largest size this TLB holds that does
 * not exceed the translation, which splits a 32M contiguous range into 2M
 * pieces in a TLB without a 32M size.
 */
struct tlb_entry *tlb_fill(struct tlb *t, uint64_t va, uint64_t pa,
			   unsigned int shift, uint16_t asid, bool global)
{
	unsigned int fit = tlb_fit_shift(t->g.sizes, shift);
	uint64_t mask;
	struct tlb_entry *e;

	if (!fit)
		return NULL;
	mask = TLB_SZ(fit) - 1;
	e = victim(t, &t->e[((va >> fit) % t->sets) * t->g.ways]);
	e->va = va & ~mask;
	e->pa = pa & ~mask;
	e->shift = fit;
	e->asid = asid;
	e->global = global;
	e->stamp = ++t->clock;
	if (t->sets == 1)
		t->hint[hint_slot(va)] = e - t->e;
	return e;
}

static unsigned int drop_if(struct tlb *t, bool (*match)(const struct tlb_entry *,
							   const void *),
			    const void *arg)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->g.entries; i++) {
		if (t->e[i].shift && match(&t->e[i], arg)) {
			t->e[i].shift = 0;
			n++;
		}
	}
	return n;
}

struct inval_arg {
	uint64_t start, end;	/* inclusive range of VAs */
	uint16_t asid;
	bool any_asid;
};

static bool match_range(const struct tlb_entry *e, const void *p)
{
	const struct inval_arg *a = p;
	uint64_t last = e->va + (TLB_SZ(e->shift) - 1);

	if (e->va > a->end || last < a->start)
		return false;
	return a->any_asid || e->global || e->asid == a->asid;
}

static bool match_asid(const struct tlb_entry *e, const void *p)
{
	const struct inval_arg *a = p;

	return !e->global && e->asid == a->asid;
}

static bool match_all(const struct tlb_entry *e, const void *p)
{
	(void)e;
	(void)p;
	return true;
}

unsigned int tlb_inval_va(struct tlb *t, uint64_t va, uint16_t asid,
			  bool any_asid)
{
	return tlb_inval_range(t, va, va + 1, asid, any_asid);
}

/* Drops entries overlapping [start, end); the same rule as by-VA. */
unsigned int tlb_inval_range(struct tlb *t, uint64_t start, uint64_t end,
			     uint16_t asid, bool any_asid)
{
	struct inval_arg a = {
		.start = start, .end = end - 1, .asid = asid,
		.any_asid = any_asid,
	};

	if (end <= start)
		return 0;
	return drop_if(t, match_range, &a);
}

unsigned int tlb_inval_asid(struct tlb *t, uint16_t asid)
{
	struct inval_arg a = { .asid = asid };

	return drop_if(t, match_asid, &a);
}

unsigned int tlb_inval_all(struct tlb *t)
{
	return drop_if(t, match_all, NULL);
}

unsigned int tlb_valid_entries(const struct tlb *t)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->g.entries; i++)
		n += !!t->e[i].shift;
	return n;
}
