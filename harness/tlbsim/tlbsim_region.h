/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tlbsim_region.h - mark the start and end of a measured region for the
 * tlbsim QEMU plugin, with no effect anywhere else.
 *
 * The marker is "orr x16, x16, x16", a register-to-itself no-op on every
 * arm64 core, executed with x16 = TLBSIM_REQ_MAGIC | request, x17 = the
 * region id and, for begin, x15 = the address of a NUL-terminated label.
 * The plugin recognises the instruction at translation time and reads
 * x15-x17 when it executes; a marker whose x16 lacks the magic is
 * ignored.  The same binary thus runs unchanged on hardware, under plain
 * QEMU and under tlbsim.  The "memory" clobber keeps the compiler from
 * moving accesses across a marker.  Freestanding: needs only <stdint.h>.
 */
#ifndef TLBSIM_REGION_H
#define TLBSIM_REGION_H

#include <stdint.h>

#define TLBSIM_MAGIC_INSN	0xaa100210u	/* orr x16, x16, x16 */
#define TLBSIM_REQ_MAGIC	0x544c4253494d0000ull	/* "TLBSIM" << 16 */
#define TLBSIM_REQ_MASK		0xffffffffffff0000ull
#define TLBSIM_REQ_BEGIN	1
#define TLBSIM_REQ_END		2

static inline void tlbsim_region_begin(uint64_t id, const char *label)
{
#if defined(__aarch64__)
	register uint64_t x16 __asm__("x16") = TLBSIM_REQ_MAGIC | TLBSIM_REQ_BEGIN;
	register uint64_t x17 __asm__("x17") = id;
	register uint64_t x15 __asm__("x15") = (uint64_t)(uintptr_t)label;

	__asm__ volatile("orr x16, x16, x16"
			 : "+r"(x16) : "r"(x17), "r"(x15) : "memory");
#else
	(void)id;
	(void)label;
#endif
}

static inline void tlbsim_region_end(uint64_t id)
{
#if defined(__aarch64__)
	register uint64_t x16 __asm__("x16") = TLBSIM_REQ_MAGIC | TLBSIM_REQ_END;
	register uint64_t x17 __asm__("x17") = id;

	__asm__ volatile("orr x16, x16, x16" : "+r"(x16) : "r"(x17) : "memory");
#else
	(void)id;
#endif
}

#endif /* TLBSIM_REGION_H */
