// SPDX-License-Identifier: GPL-2.0
/*
 * decode.c - recognise the instructions that change the translation
 * regime (MSR to TTBR0/TTBR1/TCR/SCTLR_EL1) and TLB maintenance (TLBI),
 * and apply a TLBI's operand to one vCPU's model.
 *
 * The plugin decodes these at translation time and reads x<Rt> when they
 * execute, so it never has to read system registers on a memory access.
 * Encodings are from the Arm ARM (C5.2 system instructions, C5.5 TLBI);
 * the TLBI ones were checked by assembling each form.
 */
#include "tlbsim.h"

/* MSR <sysreg>, Xt with Rt masked out: op0=3 op1=0 CRn CRm op2. */
#define MSR_RT_MASK		0xffffffe0u
#define MSR_TTBR0_EL1		0xd5182000u	/* CRn=2 CRm=0 op2=0 */
#define MSR_TTBR1_EL1		0xd5182020u	/* CRn=2 CRm=0 op2=1 */
#define MSR_TCR_EL1		0xd5182040u	/* CRn=2 CRm=0 op2=2 */
#define MSR_SCTLR_EL1		0xd5181000u	/* CRn=1 CRm=0 op2=0 */

/* SYS with L=0, op0=1, CRn=8: every TLBI (op1, CRm, op2 vary). */
#define TLBI_MASK		0xfff8f000u
#define TLBI_MATCH		0xd5088000u
#define TLBI_OP1(i)		(((i) >> 16) & 7)
#define TLBI_CRM(i)		(((i) >> 8) & 0xf)
#define TLBI_OP2(i)		(((i) >> 5) & 7)

/* TLBI operand fields */
#define XT_ASID(x)		((uint16_t)((x) >> 48))
#define XT_VA_BITS		44	/* VA[55:12] in [43:0] */
#define XT_RANGE_TG(x)		(((x) >> 46) & 3)
#define XT_RANGE_SCALE(x)	(((x) >> 44) & 3)
#define XT_RANGE_NUM(x)		(((x) >> 39) & 0x1f)
#define XT_RANGE_BASE_BITS	37	/* BaseADDR [36:0] */
#define TCR_AS			(1ull << 36)

enum sysreg_id decode_msr(uint32_t insn, unsigned int *rt)
{
	*rt = insn & 0x1f;
	switch (insn & MSR_RT_MASK) {
	case MSR_TTBR0_EL1:
		return SYSREG_TTBR0;
	case MSR_TTBR1_EL1:
		return SYSREG_TTBR1;
	case MSR_TCR_EL1:
		return SYSREG_TCR;
	case MSR_SCTLR_EL1:
		return SYSREG_SCTLR;
	}
	return SYSREG_NONE;
}

/*
 * DSB <option> (op2 = 4, CRm = the domain) and the FEAT_XS DSB <option>nXS
 * form.  CRm 0 and 4 with op2 = 4 are SSBB and PSSBB, not DSBs.
 */
#define DSB_MASK		0xfffff0ffu
#define DSB_MATCH		0xd503309fu
#define DSB_CRM(i)		(((i) >> 8) & 0xf)
#define DSB_NXS_MASK		0xfffff3ffu
#define DSB_NXS_MATCH		0xd503323fu

bool decode_dsb(uint32_t insn)
{
	if ((insn & DSB_NXS_MASK) == DSB_NXS_MATCH)
		return true;
	return (insn & DSB_MASK) == DSB_MATCH && DSB_CRM(insn) != 0 &&
	       DSB_CRM(insn) != 4;
}

static enum tlbi_kind decode_plain(unsigned int op2)
{
	switch (op2) {
	case 0:
		return TLBI_K_ALL;	/* VMALLE1 */
	case 1:				/* VAE1 */
	case 5:				/* VALE1 */
		return TLBI_K_VA;
	case 2:
		return TLBI_K_ASID;	/* ASIDE1 */
	case 3:				/* VAAE1 */
	case 7:				/* VAALE1 */
		return TLBI_K_VAA;
	}
	return TLBI_K_OTHER;
}

static enum tlbi_kind decode_range(unsigned int op2)
{
	switch (op2) {
	case 1:				/* RVAE1 */
	case 5:				/* RVALE1 */
		return TLBI_K_RVA;
	case 3:				/* RVAAE1 */
	case 7:				/* RVAALE1 */
		return TLBI_K_RVAA;
	}
	return TLBI_K_OTHER;
}

void decode_tlbi(uint32_t insn, struct tlbi_op *op)
{
	op->kind = TLBI_NONE;
	op->broadcast = false;
	op->rt = insn & 0x1f;
	if ((insn & TLBI_MASK) != TLBI_MATCH)
		return;
	op->kind = TLBI_K_OTHER;
	if (TLBI_OP1(insn) != 0)	/* EL2/EL3 forms */
		return;
	switch (TLBI_CRM(insn)) {
	case 1:				/* outer shareable */
	case 3:				/* inner shareable */
		op->broadcast = true;
		/* fall through */
	case 7:				/* local */
		op->kind = decode_plain(TLBI_OP2(insn));
		break;
	case 2:				/* range, inner shareable */
	case 5:				/* range, outer shareable */
		op->broadcast = true;
		/* fall through */
	case 6:				/* range, local */
		op->kind = decode_range(TLBI_OP2(insn));
		break;
	}
}

static uint64_t sign_extend(uint64_t v, unsigned int top_bit)
{
	unsigned int s = 63 - top_bit;

	return (uint64_t)((int64_t)(v << s) >> s);
}

/*
 * Range operand: (NUM+1) * 2^(5*SCALE+1) pages of the TG granule from
 * BaseADDR, which holds VA[48:12] for 4K (sign-extended from its top bit
 * so kernel addresses come out canonical).  TG=0 is reserved: no-op.
 */
static bool range_of(uint64_t xt, uint64_t *start, uint64_t *end)
{
	static const unsigned int tg_shift[4] = { 0, 12, 14, 16 };
	unsigned int ps = tg_shift[XT_RANGE_TG(xt)];
	uint64_t pages;

	if (!ps)
		return false;
	pages = (XT_RANGE_NUM(xt) + 1) << (5 * XT_RANGE_SCALE(xt) + 1);
	*start = sign_extend((xt & ((1ull << XT_RANGE_BASE_BITS) - 1)) << ps,
			     XT_RANGE_BASE_BITS - 1 + ps);
	*end = *start + (pages << ps);
	return true;
}

static unsigned int inval_range_all(struct tlbsim_cpu *c, uint64_t start,
				    uint64_t end, uint16_t asid, bool any)
{
	return tlb_inval_range(&c->l1i, start, end, asid, any) +
	       tlb_inval_range(&c->l1d, start, end, asid, any) +
	       tlb_inval_range(&c->l2, start, end, asid, any);
}

/* Applies one TLBI to c's TLBs; returns the number of entries dropped. */
unsigned int tlbsim_apply_tlbi(struct tlbsim_cpu *c, enum tlbi_kind kind,
			       uint64_t xt)
{
	uint16_t asid = XT_ASID(xt);
	uint64_t va, start, end;
	unsigned int n = 0;

	if (!(c->reg.tcr & TCR_AS))
		asid &= 0xff;
	va = sign_extend((xt & ((1ull << XT_VA_BITS) - 1)) << SZ_4K_SHIFT, 55);
	switch (kind) {
	case TLBI_K_ALL:
		n = tlb_inval_all(&c->l1i) + tlb_inval_all(&c->l1d) +
		    tlb_inval_all(&c->l2);
		break;
	case TLBI_K_ASID:
		n = tlb_inval_asid(&c->l1i, asid) +
		    tlb_inval_asid(&c->l1d, asid) + tlb_inval_asid(&c->l2, asid);
		break;
	case TLBI_K_VA:
	case TLBI_K_VAA:
		n = inval_range_all(c, va, va + 1, asid, kind == TLBI_K_VAA);
		break;
	case TLBI_K_RVA:
	case TLBI_K_RVAA:
		if (range_of(xt, &start, &end))
			n = inval_range_all(c, start, end, asid,
					    kind == TLBI_K_RVAA);
		break;
	default:
		return 0;
	}
	c->d_memo = false;
	c->i_memo = false;
	c->ctr.v[EL_KERNEL][CTR_TLBI_DROPPED] += n;
	return n;
}
