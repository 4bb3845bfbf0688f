/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tlbsim.h - the QEMU-independent core of tlbsim, an arm64 TLB model.
 *
 * Everything that decides anything lives behind this header in plain C so
 * the unit tests can drive it with synthetic traces: the set-associative TLB
 * structure (lookup, fill, invalidate, replacement), the core presets, the
 * stage-1 page-table walker, the per-vCPU model that chains L1 I/D TLBs, a
 * unified L2 TLB and the walker (with contiguous-bit coalescing), the
 * counters, the argument parser and the instruction decoders.  plugin.c is
 * only glue between this and QEMU's plugin API.
 */
#ifndef TLBSIM_H
#define TLBSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLBSIM_VERSION		"1.0.0"

/* ---- TLB structure ------------------------------------------------- */

enum tlb_repl {
	TLB_REPL_LRU,
	TLB_REPL_FIFO,
	TLB_REPL_RANDOM,
};

/* Geometry of one TLB: ways == entries means fully associative. */
struct tlb_geom {
	unsigned int entries;
	unsigned int ways;
	uint64_t sizes;		/* bit n set: can hold a 2^n byte entry */
	enum tlb_repl repl;
};

#define TLB_SZ(shift)	(1ULL << (shift))
#define SZ_4K_SHIFT	12
#define SZ_16K_SHIFT	14
#define SZ_64K_SHIFT	16
#define SZ_2M_SHIFT	21
#define SZ_32M_SHIFT	25
#define SZ_512M_SHIFT	29
#define SZ_1G_SHIFT	30

struct tlb_entry {
	uint64_t va;		/* base VA, aligned to the entry size */
	uint64_t pa;		/* base PA */
	uint64_t stamp;		/* set-associative: last use (LRU) or fill (FIFO) */
	uint16_t asid;
	uint8_t shift;		/* log2 of the size; 0 marks a free entry */
	uint8_t global;		/* nG was 0: matches every ASID */
	/* fully associative only: hash chain and use order, entry indices */
	uint32_t hnext, older, newer;
};

/* Direct-mapped hints from 4K page to way, for fully associative TLBs. */
#define TLB_HINT_SLOTS	256	/* power of two; 1 KiB of u32 per TLB */
#define TLB_NIL		UINT32_MAX	/* no entry: end of a chain or list */

struct tlb {
	struct tlb_geom g;
	unsigned int sets;
	unsigned int set_mask;	/* sets - 1 when sets is a power of two, else 0 */
	uint64_t clock;		/* monotonically increasing use counter */
	uint64_t rng;		/* xorshift64 state for random replacement */
	struct tlb_entry *e;	/* sets * ways entries, set-major */
	uint64_t held;		/* bit n set: an entry of 2^n bytes is valid */
	unsigned int nvalid;	/* valid entries */
	uint32_t nheld[64];	/* valid entries of each size */
	uint32_t hint[TLB_HINT_SLOTS];
	/*
	 * Fully associative only (sets == 1), so a miss costs as little as
	 * a hit: a chained hash of (VA >> size, size) to entries, a bitmap
	 * of free entries, and the valid entries in order of last use (LRU)
	 * or of fill (FIFO), oldest first.  See tlb.c.
	 */
	uint32_t *bucket;	/* chain heads, hash_bits wide */
	unsigned int hash_bits;
	uint64_t *free_map;	/* bit i of word i / 64: entry i is free */
	uint32_t oldest, newest;
};

int tlb_init(struct tlb *t, const struct tlb_geom *g);
void tlb_free(struct tlb *t);
struct tlb_entry *tlb_lookup(struct tlb *t, uint64_t va, uint16_t asid);
struct tlb_entry *tlb_fill(struct tlb *t, uint64_t va, uint64_t pa,
			   unsigned int shift, uint16_t asid, bool global);
unsigned int tlb_inval_va(struct tlb *t, uint64_t va, uint16_t asid,
			  bool any_asid);
unsigned int tlb_inval_range(struct tlb *t, uint64_t start, uint64_t end,
			     uint16_t asid, bool any_asid);
unsigned int tlb_inval_asid(struct tlb *t, uint16_t asid);
unsigned int tlb_inval_all(struct tlb *t);
unsigned int tlb_fit_shift(uint64_t sizes, unsigned int shift);
unsigned int tlb_valid_entries(const struct tlb *t);

/* ---- core presets ---------------------------------------------------- */

/*
 * What the modelled cycle count charges, in core cycles, on top of one
 * cycle per instruction (model.c, tlbsim_model_cycles()); cores.md gives
 * the source of each preset's numbers.
 */
struct tlbsim_costs {
	unsigned int l2;		/* an L2 lookup after an L1 miss */
	unsigned int walk_step;		/* a descriptor read by a walk */
	unsigned int tlbi;		/* issuing one TLBI */
	unsigned int sync_local;	/* the DSB completing local TLBIs */
	unsigned int sync_broadcast;	/* the DSB completing broadcast ones */
	const char *estimated;		/* which are estimates: "l2+walk_step" */
};

struct core_preset {
	const char *name;
	struct tlb_geom l1i, l1d, l2;
	bool verified;		/* every geometry number confirmed from the TRM */
	struct tlbsim_costs cost;
};

const struct core_preset *core_find(const char *name);
const struct core_preset *core_table(size_t *n);

/* ---- translation regime and page-table walker ----------------------- */

/* Reads one 64-bit descriptor at physical address pa; false if unbacked. */
typedef bool (*phys_read_fn)(void *ctx, uint64_t pa, uint64_t *val);

struct regime {
	uint64_t ttbr0, ttbr1, tcr, sctlr;
	/* derived by regime_update() */
	bool mmu_on;
	uint16_t asid;
};

void regime_update(struct regime *r);

enum walk_status {
	WALK_OK,
	WALK_FAULT,		/* invalid descriptor, EPD, out of range */
	WALK_UNSUPPORTED,	/* granule other than 4K */
	WALK_BUS,		/* descriptor outside guest RAM */
};

struct walk_result {
	enum walk_status status;
	uint64_t pa;		/* PA of the input VA */
	unsigned int level;	/* level of the leaf descriptor */
	unsigned int shift;	/* log2 size the leaf maps: 12, 21 or 30 */
	unsigned int steps;	/* descriptors read */
	bool cont;		/* contiguous bit (52) set in the leaf */
	bool global;		/* nG (11) clear in the leaf */
};

/*
 * Replace the top byte with copies of bit 55: what TBI does for a tagged
 * address, and a no-op for every address that translated without TBI.
 */
static inline uint64_t va_strip_tbi(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 8) >> 8);
}

void walk(const struct regime *r, uint64_t va, phys_read_fn rd, void *ctx,
	  struct walk_result *w);

/* ---- counters -------------------------------------------------------- */

/*
 * PMU-named counters first (Arm ARM event names, lower case), then
 * model-only ones.  The order is the JSON order; names go out unchanged.
 */
#define TLBSIM_COUNTERS(X)						\
	X(L1D_TLB, "l1d_tlb")						\
	X(L1D_TLB_REFILL, "l1d_tlb_refill")				\
	X(L1I_TLB, "l1i_tlb")						\
	X(L1I_TLB_REFILL, "l1i_tlb_refill")				\
	X(L2D_TLB, "l2d_tlb")						\
	X(L2D_TLB_REFILL, "l2d_tlb_refill")				\
	X(DTLB_WALK, "dtlb_walk")					\
	X(ITLB_WALK, "itlb_walk")					\
	X(WALK_STEPS, "walk_steps")					\
	X(WALK_FAULTS, "walk_faults")					\
	X(WALK_CONT, "walk_cont")					\
	X(CONT_FILLS, "cont_fills")					\
	X(BLOCK_FILLS, "block_fills")					\
	X(MMU_OFF, "mmu_off_accesses")					\
	X(TLBI_ALL, "tlbi_all")						\
	X(TLBI_ASID, "tlbi_asid")					\
	X(TLBI_VA, "tlbi_va")						\
	X(TLBI_VAA, "tlbi_vaa")						\
	X(TLBI_RANGE, "tlbi_range")					\
	X(TLBI_OTHER, "tlbi_other")					\
	X(TLBI_DROPPED, "tlbi_entries_dropped")				\
	X(TLBI_BROADCAST, "tlbi_broadcast")				\
	X(TLBI_SYNC_LOCAL, "tlbi_sync_local")				\
	X(TLBI_SYNC_BROADCAST, "tlbi_sync_broadcast")			\
	X(MODEL_INSTRUCTIONS, "model_instructions")			\
	X(MODELLED_CYCLES, "modelled_cycles")			\
	X(CHECK_COMPARED, "check_compared")				\
	X(CHECK_MISMATCH, "check_mismatch")				\
	X(CHECK_SKIPPED, "check_skipped")

#define TLBSIM_CTR_ENUM(id, name) CTR_##id,
enum tlbsim_ctr { TLBSIM_COUNTERS(TLBSIM_CTR_ENUM) CTR_NR };
#undef TLBSIM_CTR_ENUM

extern const char *const tlbsim_ctr_names[CTR_NR];

enum tlbsim_el { EL_USER, EL_KERNEL, EL_NR };

struct tlbsim_counters {
	uint64_t v[EL_NR][CTR_NR];
};

/* ---- per-vCPU model -------------------------------------------------- */

struct tlbsim_model_cfg {
	struct tlb_geom l1i, l1d, l2;
	bool contpte;
	struct tlbsim_costs cost;
};

struct tlbsim_cpu {
	struct tlb l1i, l1d, l2;
	struct regime reg;
	bool contpte;
	phys_read_fn rd;
	void *rd_ctx;
	/* one-entry memo of the last L1 hit/fill: see model.c */
	uint64_t d_page, d_pa, i_page, i_pa;
	bool d_memo, i_memo;
	struct tlbsim_counters ctr;
};

int tlbsim_cpu_init(struct tlbsim_cpu *c, const struct tlbsim_model_cfg *m,
		    phys_read_fn rd, void *rd_ctx);
void tlbsim_cpu_free(struct tlbsim_cpu *c);
void tlbsim_set_sysreg(struct tlbsim_cpu *c, int reg, uint64_t val);
bool tlbsim_data_slow(struct tlbsim_cpu *c, uint64_t va, enum tlbsim_el el,
		      uint64_t *pa);
bool tlbsim_fetch(struct tlbsim_cpu *c, uint64_t va, enum tlbsim_el el,
		  bool count_access);

/*
 * One data access at va (as the guest issued it, tag included) from el.
 * Returns the modelled PA in *pa; false if the model could not translate
 * (MMU on and the walk failed), which the walk_faults counter records.
 * The repeat-access case is inline: it is most of the plugin's work.
 */
static inline bool tlbsim_data(struct tlbsim_cpu *c, uint64_t va,
			       enum tlbsim_el el, uint64_t *pa)
{
	uint64_t sva = va_strip_tbi(va);

	if (__builtin_expect(c->d_memo && c->reg.mmu_on &&
			     (sva >> SZ_4K_SHIFT) == c->d_page, 1)) {
		c->ctr.v[el][CTR_L1D_TLB]++;
		*pa = c->d_pa | (sva & (TLB_SZ(SZ_4K_SHIFT) - 1));
		return true;
	}
	return tlbsim_data_slow(c, sva, el, pa);
}
bool tlbsim_translate(struct tlbsim_cpu *c, uint64_t va, uint64_t *pa);
void tlbsim_model_cycles(struct tlbsim_counters *c,
			 const struct tlbsim_costs *k);

/* ---- instruction decoding -------------------------------------------- */

enum sysreg_id { SYSREG_NONE, SYSREG_TTBR0, SYSREG_TTBR1, SYSREG_TCR,
		 SYSREG_SCTLR };

enum tlbi_kind {
	TLBI_NONE,	/* not a TLBI */
	TLBI_K_ALL,	/* VMALLE1 */
	TLBI_K_VA,	/* VAE1, VALE1: VA + ASID (and global) */
	TLBI_K_VAA,	/* VAAE1, VAALE1: VA, every ASID */
	TLBI_K_ASID,	/* ASIDE1 */
	TLBI_K_RVA,	/* RVAE1, RVALE1 */
	TLBI_K_RVAA,	/* RVAAE1, RVAALE1 */
	TLBI_K_OTHER,	/* EL2/EL3 or IPA forms: not modelled */
};

struct tlbi_op {
	enum tlbi_kind kind;
	bool broadcast;		/* inner or outer shareable */
	unsigned int rt;
};

/* Region marker constants: one definition, shared with the guest side. */
#include "tlbsim_region.h"

enum sysreg_id decode_msr(uint32_t insn, unsigned int *rt);
bool decode_dsb(uint32_t insn);
void decode_tlbi(uint32_t insn, struct tlbi_op *op);
unsigned int tlbsim_apply_tlbi(struct tlbsim_cpu *c, enum tlbi_kind kind,
			       uint64_t xt);

/* ---- configuration (plugin arguments) -------------------------------- */

struct tlbsim_config {
	const char *core;
	struct tlbsim_model_cfg model;
	const char *mem_path;
	uint64_t mem_base;
	const char *out_path;
	bool check;
	bool cost_set;		/* a cost_* argument overrode the preset's */
};

int tlbsim_parse_args(struct tlbsim_config *cfg, int argc, char **argv,
		      char *err, size_t errlen);
int tlbsim_format_sizes(uint64_t sizes, char *buf, size_t len);

#endif /* TLBSIM_H */
