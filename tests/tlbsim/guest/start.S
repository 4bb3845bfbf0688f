// SPDX-License-Identifier: GPL-2.0
/*
 * start.S - entry, exception vectors, EL0 trampoline and the measured
 * access loops of the tlbsim bare-metal test guest.
 *
 * The loops are assembly so that a region contains exactly the loads the
 * hand counts in run_guest_test.py assume: no stack or literal-pool
 * accesses.  The region markers here spell out the sequence that
 * harness/tlbsim/tlbsim_region.h emits from C.
 */

#define PSCI_SYSTEM_OFF	0x84000008	/* PSCI 0.2 function id */
#define EC_SVC64	0x15		/* ESR_EL1.EC of an SVC from AArch64 */
#define SPSR_EL0T	0x3c0		/* EL0t with D, A, I, F masked */
#define PAGE		4096

/* x16 = "TLBSIM" << 16 | req; see tlbsim_region.h */
.macro tlbsim_req req
	movz	x16, #\req
	movk	x16, #0x494d, lsl #16
	movk	x16, #0x4253, lsl #32
	movk	x16, #0x544c, lsl #48
.endm

	.section .text.start, "ax"
	.globl	_start
_start:
	ldr	x0, =stack_top
	mov	sp, x0
	adr	x0, vectors
	msr	vbar_el1, x0
	mov	x0, #(3 << 20)		// CPACR_EL1.FPEN: no FP/SIMD traps
	msr	cpacr_el1, x0
	isb
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	main
	.globl	psci_off
psci_off:
	ldr	x0, =PSCI_SYSTEM_OFF
	hvc	#0
	b	.

	.text
/* touch_pages(base, npages, rounds): one load per page, rounds times */
	.globl	touch_pages
touch_pages:
1:	mov	x3, x0
	mov	x4, x1
2:	ldr	x5, [x3]
	add	x3, x3, #PAGE
	subs	x4, x4, #1
	b.ne	2b
	subs	x2, x2, #1
	b.ne	1b
	ret

/*
 * warm_then_measure(base, npages, rounds, label, id): one untimed round,
 * then region <id> around <rounds> rounds.  The warm-up must be in the same
 * leaf so nothing touches another page between it and the region.
 */
	.globl	warm_then_measure
warm_then_measure:
	mov	x9, x0
	mov	x10, x1
1:	ldr	x11, [x9]
	add	x9, x9, #PAGE
	subs	x10, x10, #1
	b.ne	1b
	tlbsim_req 1
	mov	x17, x4
	mov	x15, x3
	orr	x16, x16, x16		// region begin
	mov	x12, x2
2:	mov	x9, x0
	mov	x10, x1
3:	ldr	x11, [x9]
	add	x9, x9, #PAGE
	subs	x10, x10, #1
	b.ne	3b
	subs	x12, x12, #1
	b.ne	2b
	tlbsim_req 2
	mov	x17, x4
	orr	x16, x16, x16		// region end
	ret

/* run_user(fn, arg): run fn(arg) at EL0 until it issues svc, then return */
	.globl	run_user
run_user:
	ldr	x9, =user_ctx
	stp	x19, x20, [x9, #0]
	stp	x21, x22, [x9, #16]
	stp	x23, x24, [x9, #32]
	stp	x25, x26, [x9, #48]
	stp	x27, x28, [x9, #64]
	stp	x29, x30, [x9, #80]
	mov	x10, sp
	str	x10, [x9, #96]
	msr	elr_el1, x0
	mov	x0, x1
	mov	x10, #SPSR_EL0T
	msr	spsr_el1, x10
	eret

user_return:
	ldr	x9, =user_ctx
	ldp	x19, x20, [x9, #0]
	ldp	x21, x22, [x9, #16]
	ldp	x23, x24, [x9, #32]
	ldp	x25, x26, [x9, #48]
	ldp	x27, x28, [x9, #64]
	ldp	x29, x30, [x9, #80]
	ldr	x10, [x9, #96]
	mov	sp, x10
	ret

lower_sync:
	mrs	x9, esr_el1
	lsr	x9, x9, #26
	cmp	x9, #EC_SVC64
	b.eq	user_return
	mov	x0, #0x400
	b	bad

bad:	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	ldr	x9, =stack_top
	mov	sp, x9
	bl	report_exception
	b	psci_off

.macro vec off
	.balign	0x80
	mov	x0, #\off
	b	bad
.endm

	.balign	2048
vectors:
	vec	0x000
	vec	0x080
	vec	0x100
	vec	0x180
	vec	0x200
	vec	0x280
	vec	0x300
	vec	0x380
	.balign	0x80
	b	lower_sync		// 0x400: lower EL, AArch64, synchronous
	vec	0x480
	vec	0x500
	vec	0x580
	vec	0x600
	vec	0x680
	vec	0x700
	vec	0x780

	.bss
	.balign	16
user_ctx:
	.skip	112

/* EL0 code: its own read-only, EL0-executable 2 MiB block. */
	.section .utext, "ax"
	.globl	user_touch
user_touch:				// x0 = base of 16 CONT pages
	tlbsim_req 1
	mov	x17, #9
	adr	x15, user_label
	orr	x16, x16, x16		// region begin
	mov	x2, #2
1:	mov	x3, x0
	mov	x4, #16
2:	ldr	x5, [x3]
	add	x3, x3, #PAGE
	subs	x4, x4, #1
	b.ne	2b
	subs	x2, x2, #1
	b.ne	1b
	tlbsim_req 2
	mov	x17, #9
	orr	x16, x16, x16		// region end
	svc	#0
	b	.
user_label:
	.asciz	"user-cont16"
