// SPDX-License-Identifier: GPL-2.0
/*
 * The table of counters and metrics (counters.h says what each column
 * means).  A name appears here once; every other part of tlbbench asks
 * this table, so a new counter is one row and a typo is a test failure,
 * not a silently demoted metric.
 *
 * Generic perf events use the kernel's generic encodings; the arm64 TLB
 * events are named PMU events that events.c resolves through sysfs, so no
 * raw event number appears here.  The TLB model's counters carry the Arm
 * ARM event names where the model counts the same thing, and the model's
 * own names for the rest (harness/tlbsim/tlbsim.h lists them in its
 * JSON order; a unit test holds the two in agreement).
 */
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "counters.h"

#define CACHE(id, op, res) \
	((PERF_COUNT_HW_CACHE_##id) | (PERF_COUNT_HW_CACHE_OP_##op << 8) | \
	 (PERF_COUNT_HW_CACHE_RESULT_##res << 16))

/* columns that go together */
#define COUNT(d)	.unit = "count", .dir = DIR_##d, .stat = STAT_AMEAN
#define PER_OP(d, s)	.unit = "ns/op", .dir = DIR_##d, .stat = STAT_##s, .sources = SRC_RUNNER
#define SOFTWARE(c)	.sources = SRC_SOFTWARE, .kind = EV_SOFTWARE, .config = PERF_COUNT_SW_##c
#define HARDWARE(c)	.sources = SRC_PMU, .kind = EV_HARDWARE, .config = PERF_COUNT_HW_##c
#define HW_CACHE(i, o, r) .sources = SRC_PMU, .kind = EV_HW_CACHE, .config = CACHE(i, o, r), \
			.tlb = true, .split = true
#define X86		.defaults = IN_SET(SET_X86)
/* a PMUv3 common event by the armv8 driver's name; the model counts it too */
#define ARM_PMU		.sources = SRC_PMU, .kind = EV_PMU, .split = true
#define ARM_PMU_MODEL	.sources = SRC_PMU | SRC_MODEL, .kind = EV_PMU, .split = true, \
			.tlb = true, .defaults = IN_SET(SET_ARM64)
#define MODEL		.sources = SRC_MODEL, .kind = EV_NONE

const struct counter_def counter_table[] = {
	/* the runner's own, per operation of the measured loop */
	{ .name = "time", PER_OP(LOWER, MEDIAN), .headline = true,
	  .help = "wall-clock time of the measured loop per operation" },
	{ .name = "rate", .unit = "ops/s", .dir = DIR_HIGHER, .stat = STAT_HMEAN,
	  .sources = SRC_RUNNER, .headline = true, .restates = "time",
	  .help = "operations per second (1 / time)" },
	{ .name = "user-time", PER_OP(LOWER, MEDIAN),
	  .help = "user CPU time per operation (getrusage)" },
	{ .name = "sys-time", PER_OP(LOWER, MEDIAN),
	  .help = "system CPU time per operation (getrusage)" },

	/* perf software events: every machine counts them */
	{ .name = "page-faults", COUNT(LOWER), SOFTWARE(PAGE_FAULTS), .split = true,
	  .headline = true, .defaults = IN_ALL_SETS, .help = "page faults taken" },
	{ .name = "minor-faults", COUNT(LOWER), SOFTWARE(PAGE_FAULTS_MIN), .split = true,
	  .defaults = IN_ALL_SETS, .help = "page faults served without I/O" },
	{ .name = "major-faults", COUNT(LOWER), SOFTWARE(PAGE_FAULTS_MAJ), .split = true,
	  .defaults = IN_ALL_SETS, .help = "page faults that needed I/O" },
	{ .name = "task-clock", .unit = "ns", .dir = DIR_LOWER, .stat = STAT_MEDIAN,
	  SOFTWARE(TASK_CLOCK), .headline = true, .defaults = IN_ALL_SETS,
	  .help = "CPU time of the task, ns" },
	{ .name = "context-switches", COUNT(LOWER), SOFTWARE(CONTEXT_SWITCHES),
	  .headline = true, .defaults = IN_ALL_SETS, .help = "context switches" },
	{ .name = "cpu-migrations", COUNT(NEUTRAL), SOFTWARE(CPU_MIGRATIONS),
	  .defaults = IN_ALL_SETS, .help = "migrations to another CPU" },

	/* generic hardware events */
	{ .name = "instructions", COUNT(LOWER), HARDWARE(INSTRUCTIONS), .split = true,
	  .headline = true, .defaults = IN_ALL_SETS, .help = "instructions retired" },
	{ .name = "cycles", COUNT(LOWER), HARDWARE(CPU_CYCLES), .split = true,
	  .headline = true, .defaults = IN_ALL_SETS, .help = "CPU cycles" },

	/* generic TLB events: what x86 counts */
	{ .name = "dTLB-loads", COUNT(NEUTRAL), HW_CACHE(DTLB, READ, ACCESS),
	  X86, .help = "data TLB lookups by loads" },
	{ .name = "dTLB-load-misses", COUNT(LOWER), HW_CACHE(DTLB, READ, MISS),
	  .headline = true, X86, .help = "data TLB misses by loads" },
	{ .name = "dTLB-stores", COUNT(NEUTRAL), HW_CACHE(DTLB, WRITE, ACCESS),
	  X86, .help = "data TLB lookups by stores" },
	{ .name = "dTLB-store-misses", COUNT(LOWER), HW_CACHE(DTLB, WRITE, MISS),
	  .headline = true, X86, .help = "data TLB misses by stores" },
	/* few x86 cores count iTLB lookups: not in the default set */
	{ .name = "iTLB-loads", COUNT(NEUTRAL), HW_CACHE(ITLB, READ, ACCESS),
	  .help = "instruction TLB lookups" },
	{ .name = "iTLB-load-misses", COUNT(LOWER), HW_CACHE(ITLB, READ, MISS),
	  .headline = true, X86, .help = "instruction TLB misses" },

	/* arm64 PMUv3 TLB events, counted by the PMU natively and by the model under TCG */
	{ .name = "l1d_tlb", COUNT(NEUTRAL), ARM_PMU_MODEL,
	  .help = "L1 data TLB accesses (L1D_TLB)" },
	{ .name = "l1d_tlb_refill", COUNT(LOWER), ARM_PMU_MODEL, .headline = true,
	  .help = "L1 data TLB refills (L1D_TLB_REFILL)" },
	{ .name = "l1i_tlb", COUNT(NEUTRAL), ARM_PMU_MODEL,
	  .help = "L1 instruction TLB accesses (L1I_TLB)" },
	{ .name = "l1i_tlb_refill", COUNT(LOWER), ARM_PMU_MODEL, .headline = true,
	  .help = "L1 instruction TLB refills (L1I_TLB_REFILL)" },
	{ .name = "l2d_tlb", COUNT(NEUTRAL), ARM_PMU_MODEL,
	  .help = "L2 unified TLB accesses (L2D_TLB)" },
	{ .name = "l2d_tlb_refill", COUNT(LOWER), ARM_PMU_MODEL, .headline = true,
	  .help = "L2 unified TLB refills (L2D_TLB_REFILL)" },
	{ .name = "dtlb_walk", COUNT(LOWER), ARM_PMU_MODEL, .headline = true,
	  .help = "data accesses that walked the tables (DTLB_WALK)" },
	{ .name = "itlb_walk", COUNT(LOWER), ARM_PMU_MODEL, .headline = true,
	  .help = "instruction fetches that walked the tables (ITLB_WALK)" },
	/* other PMUv3 events, on request */
	{ .name = "l2i_tlb", COUNT(NEUTRAL), ARM_PMU, .tlb = true,
	  .help = "L2 instruction TLB accesses (L2I_TLB)" },
	{ .name = "l2i_tlb_refill", COUNT(LOWER), ARM_PMU, .tlb = true,
	  .help = "L2 instruction TLB refills (L2I_TLB_REFILL)" },
	{ .name = "inst_retired", COUNT(LOWER), ARM_PMU,
	  .help = "instructions retired (INST_RETIRED)" },
	{ .name = "cpu_cycles", COUNT(LOWER), ARM_PMU, .help = "cycles (CPU_CYCLES)" },
	{ .name = "mem_access", COUNT(NEUTRAL), ARM_PMU,
	  .help = "data memory accesses (MEM_ACCESS)" },

	/* the TLB model's own counters, in harness/tlbsim/tlbsim.h's order */
	{ .name = "walk_steps", COUNT(LOWER), MODEL, .headline = true,
	  .help = "table descriptors read by walks" },
	{ .name = "walk_faults", COUNT(LOWER), MODEL, .help = "walks that ended in a fault" },
	{ .name = "walk_cont", COUNT(NEUTRAL), MODEL,
	  .help = "walks that ended at a descriptor with the contiguous bit" },
	{ .name = "cont_fills", COUNT(NEUTRAL), MODEL, .headline = true,
	  .help = "TLB fills of a contiguous range as one entry" },
	{ .name = "block_fills", COUNT(NEUTRAL), MODEL, .headline = true,
	  .help = "TLB fills of a block mapping" },
	{ .name = "mmu_off_accesses", COUNT(NEUTRAL), MODEL,
	  .help = "accesses with the MMU off" },
	{ .name = "tlbi_all", COUNT(LOWER), MODEL, .headline = true,
	  .help = "TLBI of everything (each one a cost the refills do not show)" },
	{ .name = "tlbi_asid", COUNT(LOWER), MODEL, .headline = true,
	  .help = "TLBI by ASID (each one a cost the refills do not show)" },
	{ .name = "tlbi_va", COUNT(LOWER), MODEL, .headline = true,
	  .help = "TLBI by address and ASID (each one a cost the refills do not show)" },
	{ .name = "tlbi_vaa", COUNT(LOWER), MODEL, .headline = true,
	  .help = "TLBI by address, any ASID (each one a cost the refills do not show)" },
	{ .name = "tlbi_range", COUNT(LOWER), MODEL, .headline = true,
	  .help = "TLBI by address range (each one a cost the refills do not show)" },
	{ .name = "tlbi_other", COUNT(NEUTRAL), MODEL, .help = "other TLBI operations" },
	{ .name = "tlbi_entries_dropped", COUNT(NEUTRAL), MODEL,
	  .help = "TLB entries the TLBIs removed" },
	{ .name = "tlbi_broadcast", COUNT(NEUTRAL), MODEL,
	  .help = "TLBIs broadcast to the inner shareable domain" },
	{ .name = "tlbi_sync_local", COUNT(NEUTRAL), MODEL,
	  .help = "DSBs completing local TLBIs" },
	{ .name = "tlbi_sync_broadcast", COUNT(NEUTRAL), MODEL,
	  .help = "DSBs completing broadcast TLBIs" },
	{ .name = "model_instructions", COUNT(LOWER), MODEL,
	  .help = "instructions the model saw execute" },
	{ .name = "modelled_cycles", COUNT(LOWER), MODEL, .headline = true,
	  .help = "modelled cycles: one per instruction plus the TLBs' costs on the modelled core" },
	{ .name = "check_compared", COUNT(NEUTRAL), MODEL,
	  .help = "model walks checked against QEMU's translation" },
	{ .name = "check_mismatch", COUNT(NEUTRAL), MODEL,
	  .help = "checked walks that disagreed with QEMU" },
	{ .name = "check_skipped", COUNT(NEUTRAL), MODEL,
	  .help = "walks the check could not compare" },
};

const size_t nr_counters = sizeof(counter_table) / sizeof(counter_table[0]);

const char *const event_set_names[NR_EVENT_SETS] = {
	[SET_GENERIC] = "generic", [SET_X86] = "x86", [SET_ARM64] = "arm64",
	[SET_TCG] = "tcg",
};

const struct counter_def *counter_find(const char *name)
{
	size_t i, n = strcspn(name, ":");

	for (i = 0; i < nr_counters; i++)
		if (strlen(counter_table[i].name) == n &&
		    !strncmp(counter_table[i].name, name, n))
			return &counter_table[i];
	return NULL;
}

enum event_set default_set(const char *machine, const char *target)
{
	/* the guest's PMU is QEMU's, and the model counts the TLB */
	if (!strcmp(target, "tcg"))
		return SET_TCG;
	if (!strcmp(machine, "x86_64"))
		return SET_X86;
	if (!strcmp(machine, "aarch64"))
		return SET_ARM64;
	return SET_GENERIC;
}

char *event_set_list(enum event_set set, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < nr_counters; i++) {
		if (!(counter_table[i].defaults & IN_SET(set)))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s",
				 used ? "," : "", counter_table[i].name);
	}
	return buf;
}

static json_t *names_of(unsigned int bits, const char *const *names, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		if (bits & (1u << i))
			json_array_append_new(arr, json_string(names[i]));
	return arr;
}

json_t *counters_json(void)
{
	static const char *const dirs[] = {
		[DIR_LOWER] = "lower", [DIR_HIGHER] = "higher", [DIR_NEUTRAL] = "neutral",
	};
	static const char *const stats[] = {
		[STAT_MEDIAN] = "Median", [STAT_HMEAN] = "Hmean", [STAT_AMEAN] = "Amean",
	};
	/* in the order of the SRC_ bits */
	static const char *const sources[] = { "software", "pmu", "model", "runner" };
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < nr_counters; i++) {
		const struct counter_def *c = &counter_table[i];

		json_array_append_new(arr, json_pack("{ss ss ss ss sb sb so so so sb ss}",
			"name", c->name, "unit", c->unit, "direction", dirs[c->dir],
			"statistic", stats[c->stat], "headline", c->headline, "tlb", c->tlb,
			"restates", c->restates ? json_string(c->restates) : json_null(),
			"sources", names_of(c->sources, sources, 4),
			"defaults", names_of(c->defaults, event_set_names, NR_EVENT_SETS),
			"perf", c->kind != EV_NONE, "help", c->help));
	}
	return arr;
}
