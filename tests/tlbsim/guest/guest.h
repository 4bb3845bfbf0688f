/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest.h - the assembly routines of the tlbsim bare-metal test guest
 * (start.S) as C sees them, and the one C function start.S calls.
 */
#ifndef TLBSIM_GUEST_H
#define TLBSIM_GUEST_H

#include <stdint.h>

#define __aligned(n)	__attribute__((aligned(n)))

/* one load from each of npages consecutive 4K pages, rounds times */
void touch_pages(uint64_t base, uint64_t npages, uint64_t rounds);
/* an unmeasured round, then region id around rounds more */
void warm_then_measure(uint64_t base, uint64_t npages, uint64_t rounds,
		       const char *label, uint64_t id);
/* fn(arg) at EL0 until it issues svc */
void run_user(uint64_t fn, uint64_t arg);
/* EL0: region 9 around two rounds over 16 pages from base */
void user_touch(uint64_t base);
/* called by start.S on an unexpected exception, before powering off */
void report_exception(uint64_t vec, uint64_t esr, uint64_t elr, uint64_t far);

#endif /* TLBSIM_GUEST_H */
