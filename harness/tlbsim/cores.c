// SPDX-License-Identifier: GPL-2.0
/*
 * cores.c - the one table of core presets: TLB geometry per Arm core.
 *
 * Every number and its source is listed in cores.md; rows whose numbers
 * are not all confirmed from the core's Technical Reference Manual carry
 * verified = false, which the plugin copies into its "model" record.
 */
#include <string.h>

#include "tlbsim.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define S(shift)	TLB_SZ(SZ_##shift##_SHIFT)
#define SZ_1M_SHIFT	20
#define SZ_16M_SHIFT	24

/* Cortex-A76 TRM (100798) A5.2.1-A5.2.3 entry sizes, 4K granule view. */
#define A76_L1I_SIZES	(S(4K) | S(16K) | S(64K) | S(2M) | S(32M))
#define A76_L1D_SIZES	(S(4K) | S(16K) | S(64K) | S(2M) | S(512M))
#define A76_L2_SIZES	(S(4K) | S(16K) | S(64K) | S(2M) | S(32M) | \
			 S(512M) | S(1G))
/* Cortex-A57/A72 generation: L1 4K/64K/1M, L2 adds 2M/16M/512M/1G. */
#define A57_L1_SIZES	(S(4K) | S(64K) | S(1M))
#define A57_L2_SIZES	(S(4K) | S(64K) | S(1M) | S(2M) | S(16M) | \
			 S(512M) | S(1G))

/*
 * Modelled costs in cycles: L2 lookup, walk step, TLBI, DSB after local
 * TLBIs, DSB after broadcast ones, and which of these are estimates.
 * cores.md gives the source of each; only the A76 L2 latency is a TRM
 * number.
 */
#define A76_COST	{ 3, 9, 1, 20, 300, "walk_step+tlbi+sync_local+sync_broadcast" }
#define N1_COST		{ 3, 9, 1, 20, 300, "l2+walk_step+tlbi+sync_local+sync_broadcast" }
#define ASSUMED_COST	{ 3, 9, 1, 20, 300, "l2+walk_step+tlbi+sync_local+sync_broadcast" }

#define FA(n, sizes)	{ (n), (n), (sizes), TLB_REPL_LRU }
#define SA(n, w, sizes)	{ (n), (w), (sizes), TLB_REPL_LRU }

static const struct core_preset cores[] = {
	{ "cortex-a76", FA(48, A76_L1I_SIZES), FA(48, A76_L1D_SIZES),
	  SA(1280, 5, A76_L2_SIZES), true, A76_COST },
	{ "neoverse-n1", FA(48, A76_L1I_SIZES), FA(48, A76_L1D_SIZES),
	  SA(1280, 5, A76_L2_SIZES), false, N1_COST },
	{ "neoverse-v1", FA(48, A76_L1I_SIZES), FA(48, A76_L1D_SIZES),
	  SA(2048, 8, A76_L2_SIZES), false, ASSUMED_COST },
	{ "neoverse-n2", FA(48, A76_L1I_SIZES), FA(48, A76_L1D_SIZES),
	  SA(1536, 6, A76_L2_SIZES), false, ASSUMED_COST },
	{ "cortex-a57", FA(48, A57_L1_SIZES), FA(32, A57_L1_SIZES),
	  SA(1024, 4, A57_L2_SIZES), false, ASSUMED_COST },
};

const struct core_preset *core_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cores); i++)
		if (!strcmp(cores[i].name, name))
			return &cores[i];
	return NULL;
}

const struct core_preset *core_table(size_t *n)
{
	*n = ARRAY_SIZE(cores);
	return cores;
}
