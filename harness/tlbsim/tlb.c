// SPDX-License-Identifier: GPL-2.0
/*
 * tlb.c - one set-associative TLB that holds entries of several sizes.
 *
 * An entry maps one naturally aligned VA range of 2^shift bytes to a PA,
 * tagged with an ASID unless global.  A set-associative TLB indexes each
 * size with the VA bits just above that size (set = (va >> shift) % sets)
 * and probes every size it holds, the usual way multi-size TLBs are
 * modelled; "holds" is what is valid now, so a TLB with only 4K entries
 * in it probes one set.  Invalidation drops every entry that contains the
 * address, whatever its size, so a TLBI of one 4K page drops the whole
 * 64K contiguous entry.
 *
 * A fully associative TLB (one set) must answer a miss without scanning
 * its ways, because a workload that misses does so on every access:
 *
 *   - lookup: a direct-mapped hint from 4K page to way is tried first (a
 *     hit on it costs one compare); otherwise one hash chain per size
 *     held, keyed by (va >> size, size), gives the candidates;
 *   - victim: a free entry from a bitmap, else the head of a list of the
 *     valid entries, oldest first (LRU: last use; FIFO: fill), else for
 *     random replacement the seeded xorshift.
 *
 * These are an index over the same array, not a different policy: the
 * entry a lookup returns and the victim a fill picks are the ones a scan
 * of the ways would give (the lowest-numbered hitting entry when the hint
 * misses, the lowest-numbered free entry, the least recently used one),
 * so the counts do not depend on how the TLB is searched.
 * tests/tlbsim/test_model.c keeps the scanning implementation and checks
 * the two against each other on random streams.
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

static inline bool is_fa(const struct tlb *t)
{
	return t->sets == 1;
}

/* The first way of va's set for entries of 2^shift bytes. */
static inline struct tlb_entry *set_of(const struct tlb *t, uint64_t va,
				       unsigned int shift)
{
	uint64_t n = va >> shift;

	/* a mask, not a division, for the usual power-of-two set counts */
	n = t->set_mask ? n & t->set_mask : n % t->sets;
	return &t->e[n * t->g.ways];
}

/* Fibonacci hashing of (va >> shift, shift) to a chain. */
static inline uint32_t bucket_of(const struct tlb *t, uint64_t va,
				 unsigned int shift)
{
	uint64_t key = (va >> shift) ^ ((uint64_t)shift << 58);

	return (key * 0x9e3779b97f4a7c15ull) >> (64 - t->hash_bits);
}

/* ---- the use-order list of a fully associative TLB ------------------- */

static inline void list_unlink(struct tlb *t, uint32_t i)
{
	struct tlb_entry *e = &t->e[i];

	if (e->older != TLB_NIL)
		t->e[e->older].newer = e->newer;
	else
		t->oldest = e->newer;
	if (e->newer != TLB_NIL)
		t->e[e->newer].older = e->older;
	else
		t->newest = e->older;
}

static inline void list_append(struct tlb *t, uint32_t i)
{
	struct tlb_entry *e = &t->e[i];

	e->older = t->newest;
	e->newer = TLB_NIL;
	if (t->newest != TLB_NIL)
		t->e[t->newest].newer = i;
	else
		t->oldest = i;
	t->newest = i;
}

/* ---- the hash chains ---------------------------------------------------- */

static void hash_insert(struct tlb *t, uint32_t i)
{
	uint32_t b = bucket_of(t, t->e[i].va, t->e[i].shift);

	t->e[i].hnext = t->bucket[b];
	t->bucket[b] = i;
}

static void hash_remove(struct tlb *t, uint32_t i)
{
	uint32_t *p = &t->bucket[bucket_of(t, t->e[i].va, t->e[i].shift)];

	while (*p != i)
		p = &t->e[*p].hnext;
	*p = t->e[i].hnext;
}

/* ---- bookkeeping shared by fill and invalidation ------------------------ */

static void entry_added(struct tlb *t, struct tlb_entry *e)
{
	uint32_t i = e - t->e;

	t->nvalid++;
	if (!t->nheld[e->shift]++)
		t->held |= TLB_SZ(e->shift);
	if (!is_fa(t))
		return;
	t->free_map[i / 64] &= ~(1ull << (i % 64));
	hash_insert(t, i);
	list_append(t, i);
}

static void entry_drop(struct tlb *t, struct tlb_entry *e)
{
	uint32_t i = e - t->e;

	t->nvalid--;
	if (!--t->nheld[e->shift])
		t->held &= ~TLB_SZ(e->shift);
	if (is_fa(t)) {
		hash_remove(t, i);
		list_unlink(t, i);
		t->free_map[i / 64] |= 1ull << (i % 64);
	}
	e->shift = 0;
}

int tlb_init(struct tlb *t, const struct tlb_geom *g)
{
	unsigned int i, words;

	memset(t, 0, sizeof(*t));
	if (!g->entries || !g->ways || g->entries % g->ways)
		return -1;
	if (!(g->sizes & TLB_SZ(SZ_4K_SHIFT)))
		return -1;
	t->g = *g;
	t->sets = g->entries / g->ways;
	if (t->sets > 1 && !(t->sets & (t->sets - 1)))
		t->set_mask = t->sets - 1;
	t->rng = TLB_RNG_SEED;
	t->oldest = t->newest = TLB_NIL;
	t->e = calloc(g->entries, sizeof(*t->e));
	if (!t->e)
		return -1;
	if (!is_fa(t))
		return 0;
	/* at least two chains per entry, so chains stay a few entries long */
	t->hash_bits = 1;
	while ((1u << t->hash_bits) < 2 * g->entries)
		t->hash_bits++;
	words = (g->entries + 63) / 64;
	t->bucket = malloc(sizeof(*t->bucket) << t->hash_bits);
	t->free_map = calloc(words, sizeof(*t->free_map));
	if (!t->bucket || !t->free_map) {
		tlb_free(t);
		return -1;
	}
	memset(t->bucket, 0xff, sizeof(*t->bucket) << t->hash_bits);
	for (i = 0; i < g->entries; i++)
		t->free_map[i / 64] |= 1ull << (i % 64);
	return 0;
}

void tlb_free(struct tlb *t)
{
	free(t->e);
	free(t->bucket);
	free(t->free_map);
	t->e = NULL;
	t->bucket = NULL;
	t->free_map = NULL;
}

/*
 * The hint's entry if it hits, else the lowest-numbered entry that hits:
 * with two valid entries for one address (an ASID's and a global one, or
 * a small entry under a larger one filled later) that is the one a scan
 * from way 0 finds first.
 */
static struct tlb_entry *lookup_fa(struct tlb *t, uint64_t va, uint16_t asid)
{
	unsigned int slot = hint_slot(va);
	uint32_t w = t->hint[slot], best = TLB_NIL, i;
	uint64_t sizes = t->held;

	if (w < t->g.ways && entry_hits(&t->e[w], va, asid))
		return &t->e[w];
	while (sizes) {
		unsigned int shift = __builtin_ctzll(sizes);

		sizes &= sizes - 1;
		for (i = t->bucket[bucket_of(t, va, shift)]; i != TLB_NIL;
		     i = t->e[i].hnext)
			if (i < best && t->e[i].shift == shift &&
			    entry_hits(&t->e[i], va, asid))
				best = i;
	}
	if (best == TLB_NIL)
		return NULL;
	t->hint[slot] = best;
	return &t->e[best];
}

static struct tlb_entry *lookup_sa(struct tlb *t, uint64_t va, uint16_t asid)
{
	uint64_t sizes = t->held;

	while (sizes) {
		unsigned int shift = __builtin_ctzll(sizes);
		struct tlb_entry *set;
		unsigned int i;

		sizes &= sizes - 1;
		set = set_of(t, va, shift);
		for (i = 0; i < t->g.ways; i++)
			if (set[i].shift == shift && entry_hits(&set[i], va, asid))
				return &set[i];
	}
	return NULL;
}

struct tlb_entry *tlb_lookup(struct tlb *t, uint64_t va, uint16_t asid)
{
	struct tlb_entry *e;

	e = is_fa(t) ? lookup_fa(t, va, asid) : lookup_sa(t, va, asid);
	if (e && t->g.repl == TLB_REPL_LRU) {
		e->stamp = ++t->clock;
		if (is_fa(t) && t->newest != (uint32_t)(e - t->e)) {
			list_unlink(t, e - t->e);
			list_append(t, e - t->e);
		}
	}
	return e;
}

static uint64_t rng_next(struct tlb *t)
{
	t->rng ^= t->rng << 13;
	t->rng ^= t->rng >> 7;
	t->rng ^= t->rng << 17;
	return t->rng;
}

/* The lowest-numbered free entry, else a random one or the oldest. */
static struct tlb_entry *victim_fa(struct tlb *t)
{
	unsigned int i;

	for (i = 0; t->nvalid < t->g.entries; i++)
		if (t->free_map[i])
			return &t->e[i * 64 + __builtin_ctzll(t->free_map[i])];
	if (t->g.repl == TLB_REPL_RANDOM)
		return &t->e[rng_next(t) % t->g.ways];
	return &t->e[t->oldest];
}

static struct tlb_entry *victim_sa(struct tlb *t, struct tlb_entry *set)
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
	if (is_fa(t))
		e = victim_fa(t);
	else
		e = victim_sa(t, set_of(t, va, fit));
	if (e->shift)
		entry_drop(t, e);
	e->va = va & ~mask;
	e->pa = pa & ~mask;
	e->shift = fit;
	e->asid = asid;
	e->global = global;
	e->stamp = ++t->clock;
	entry_added(t, e);
	if (is_fa(t))
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
			entry_drop(t, &t->e[i]);
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
	return t->nvalid;
}
