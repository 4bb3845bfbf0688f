/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every workload, one line each, in the order "tlbbench list" shows them.
 * WORKLOAD(x) refers to "const struct workload wl_x" defined in x.c, so a
 * line without its file fails to link.  No include guard: this is an
 * X-macro list, included once per expansion by registry.c.
 */
WORKLOAD(fault)
WORKLOAD(tlb_reach)
WORKLOAD(mprotect)
WORKLOAD(fork)
WORKLOAD(munmap)
WORKLOAD(madvise)
WORKLOAD(kbuild)
